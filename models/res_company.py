from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """The deadline norms of the Dienst and the working-day calendar they count in."""

    _inherit = "res.company"

    complaint_contact_days = fields.Integer(
        string="First contact within (working days)",
        default=5,
        help="Service norm: working days after receipt within which the complainant is "
        "contacted.",
    )
    complaint_term_weeks = fields.Integer(
        string="Legal term (weeks)",
        default=6,
        help="Awb 9:11: weeks after receipt within which a complaint is handled.",
    )
    complaint_postpone_weeks = fields.Integer(
        string="Postponement (weeks)",
        default=4,
        help="Awb 9:11 paragraph 2: the term may be postponed once by at most this "
        "many weeks.",
    )
    complaint_warning_days = fields.Integer(
        string="Warn days before a deadline",
        default=2,
    )
    complaint_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working-day calendar",
        help="Working days and public holidays used to count the complaint deadlines.",
        default=lambda self: self.env.ref(
            "municipal_complaint.calendar_complaint_working_days",
            raise_if_not_found=False,
        ),
    )

    @api.constrains(
        "complaint_contact_days",
        "complaint_term_weeks",
        "complaint_postpone_weeks",
        "complaint_warning_days",
    )
    def _check_complaint_norms(self):
        for company in self:
            if company.complaint_contact_days < 1 or company.complaint_term_weeks < 1:
                raise ValidationError(
                    self.env._(
                        "The contact norm and the legal term must be at least 1."
                    )
                )
            if (
                company.complaint_postpone_weeks < 0
                or company.complaint_warning_days < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The postponement and the warning days cannot be negative."
                    )
                )
            if company.complaint_term_weeks > 6 or company.complaint_postpone_weeks > 4:
                raise ValidationError(
                    self.env._(
                        "The Awb allows at most 6 weeks to handle a complaint and a "
                        "postponement of at most 4 weeks."
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        deadline_fields = {
            "complaint_contact_days",
            "complaint_term_weeks",
            "complaint_postpone_weeks",
            "complaint_calendar_id",
        }
        if deadline_fields & set(vals):
            self.env["municipal.complaint"]._recompute_open_deadlines(self)
        return result

    def _get_complaint_calendar(self):
        """The calendar of each company, falling back to the shipped one."""
        default = self.env.ref(
            "municipal_complaint.calendar_complaint_working_days",
            raise_if_not_found=False,
        )
        calendars = self.env["resource.calendar"]
        for company in self:
            calendars |= (
                company.complaint_calendar_id or default or company.resource_calendar_id
            )
        return calendars

    def _get_complaint_sequence(self):
        """This company's own copy of the reference sequence, made on its first case."""
        self.ensure_one()
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search(
            [("code", "=", "municipal.complaint"), ("company_id", "=", self.id)],
            limit=1,
        )
        if not sequence:
            template = self.env.ref("municipal_complaint.sequence_complaint")
            sequence = template.sudo().copy(
                {
                    "company_id": self.id,
                    "code": "municipal.complaint",
                    "name": f"{template.name} ({self.name})",
                }
            )
        return sequence
