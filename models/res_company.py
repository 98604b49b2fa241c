from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .holidays import WORKING_DAYS_CACHE, WorkingDays

SEQUENCE_CODE = "municipal.complaint"

# Awb 9:11: six weeks to handle a complaint, postponed once by at most four.
LEGAL_TERM_MAX_WEEKS = 6
POSTPONEMENT_MAX_WEEKS = 4


class ResCompany(models.Model):
    """The deadline norms of the Dienst, the working-day calendar they count in, and
    the company's own reference sequence."""

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
        help="Awb 9:11 paragraph 2: the length a postponement proposes; the term may "
        "be postponed once by at most 4 weeks.",
    )
    complaint_warning_days = fields.Integer(
        string="Warn working days before a deadline",
        default=2,
        help="A deadline this many working days away (or less) is approaching: the "
        "case turns orange and its handler gets a warning.",
    )
    complaint_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working-day calendar",
        help="The Dienst's working days: the first-contact norm and the warnings count "
        "in them. Legal terms do not: they end under the Algemene termijnenwet.",
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
            if (
                company.complaint_term_weeks > LEGAL_TERM_MAX_WEEKS
                or company.complaint_postpone_weeks > POSTPONEMENT_MAX_WEEKS
            ):
                raise ValidationError(
                    self.env._(
                        "The Awb allows at most 6 weeks to handle a complaint and a "
                        "postponement of at most 4 weeks."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._create_complaint_sequences()
        return companies

    def write(self, vals):
        result = super().write(vals)
        if {
            "complaint_contact_days",
            "complaint_term_weeks",
            "complaint_calendar_id",
        } & set(vals):
            self.env["municipal.complaint"]._recompute_open_deadlines(self)
        if "complaint_calendar_id" in vals:
            # shown to the administrator; deadlines count the holidays anyway
            self._get_complaint_calendar()._generate_dutch_holidays(
                self.env["resource.calendar"]._complaint_holiday_years()
            )
        return result

    def _get_complaint_calendar(self):
        """The calendar of each company, falling back to the shipped one."""
        # by its cached XML id: env.ref would ask the database whether it exists
        calendars = self.env["resource.calendar"]
        default = calendars.browse(
            self.env["ir.model.data"]._xmlid_to_res_id(
                "municipal_complaint.calendar_complaint_working_days",
                raise_if_not_found=False,
            )
        )
        for company in self:
            calendars |= (
                company.complaint_calendar_id or default or company.resource_calendar_id
            )
        return calendars

    def _complaint_working_days(self, *days):
        """The Dienst's working days of this company: the one service every count in
        working days uses (first contact, approaching deadlines). ``days`` are read
        ahead in one query; later days are read when asked. Legal terms do not count
        in it: see ``holidays.atw_term_end``."""
        self.ensure_one()
        calendar = self._get_complaint_calendar()
        read = self.env.cr.cache.setdefault(WORKING_DAYS_CACHE, {})
        working_days = read.get(calendar.id)
        if working_days is None:
            working_days = read[calendar.id] = WorkingDays(calendar)
        working_days.preload(*days)
        return working_days

    def _create_complaint_sequences(self):
        """Each company numbers its cases in its own sequence (KL/<year>/0001), made
        with the company (and for the companies that exist when the addon is
        installed), so two first cases of a company never race to create it."""
        Sequence = self.env["ir.sequence"].sudo()
        template = self.env.ref(
            "municipal_complaint.sequence_complaint", raise_if_not_found=False
        )
        if not template:  # during the install, before the sequence data is loaded
            return Sequence
        have = set(
            Sequence.search(
                [("code", "=", SEQUENCE_CODE), ("company_id", "in", self.ids)]
            ).company_id.ids
        )
        vals_list = [
            {
                "name": f"{template.name} ({company.name})",
                "code": SEQUENCE_CODE,
                "company_id": company.id,
                "prefix": template.prefix,
                "padding": template.padding,
                "use_date_range": template.use_date_range,
                "implementation": template.implementation,
            }
            for company in self
            if company.id not in have
        ]
        return Sequence.create(vals_list)

    @api.model
    def _create_all_complaint_sequences(self):
        # every company numbers its cases, and there are a handful of them
        # pylint: disable-next=no-search-all
        self.sudo().search([])._create_complaint_sequences()
