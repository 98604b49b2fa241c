from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .res_company import SEQUENCE_CODE

CHANNELS = [
    ("phone", "Phone"),
    ("in_person", "In person"),
    ("email", "E-mail"),
    ("web_form", "Web form"),
    ("letter", "Letter"),
    ("social_media", "Social media"),
]

# How the annual report groups the channels (docs/rules.md, "The figures").
CHANNEL_GROUPS = {
    "phone": "oral",
    "in_person": "oral",
    "email": "digital",
    "web_form": "digital",
    "social_media": "digital",
    "letter": "letter",
}


class MunicipalComplaint(models.Model):
    """A registered case (zaak): a complaint or another signal of dissatisfaction.

    This file holds the identity of the case, its parties and its classification.
    Its state (stage, closing, contact, referral, postponement, ombudsman) and the
    steps that change it live in ``complaint_lifecycle.py``; deadlines, referral,
    closing and the Nationale ombudsman compute and present in their own files.
    """

    _name = "municipal.complaint"
    _description = "Complaint"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "received_date desc, id desc"
    _rec_names_search = ["name", "subject"]

    # identity
    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    # the list's default search looks in the reference and the subject: both need a
    # trigram index, or every search reads the whole register
    subject = fields.Char(required=True, tracking=True, index="trigram")
    description = fields.Html(
        string="What happened",
        sanitize_style=True,
        help="The complaint in the complainant's own words, as far as possible.",
    )
    active = fields.Boolean(
        default=True,
        help="Archive a case registered by mistake (for example a duplicate). "
        "Cases are never deleted: the law requires them to be kept.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    color = fields.Integer()

    # parties
    user_id = fields.Many2one(
        "res.users",
        string="Handler",
        tracking=True,
        index=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="The employee who handles the case (behandelaar).",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Complainant",
        tracking=True,
        index=True,
        help="Leave empty for an anonymous complaint.",
    )
    # read as the user: the case shows no more of its complainant than the user may
    # read of the contact itself
    partner_email = fields.Char(
        related="partner_id.email", string="Complainant e-mail", compute_sudo=False
    )
    partner_phone = fields.Char(
        related="partner_id.phone", string="Complainant phone", compute_sudo=False
    )
    respondent_user_id = fields.Many2one(
        "res.users",
        string="Respondent",
        tracking=True,
        domain="[('share', '=', False)]",
        help="The employee the complaint is about (beklaagde). "
        "The respondent must not handle the complaint (Awb 9:7).",
    )

    # classification
    category_id = fields.Many2one(
        "municipal.complaint.category",
        required=True,
        tracking=True,
        index=True,
        ondelete="restrict",
        domain="[('company_id', 'in', [company_id, False])]",
    )
    kind = fields.Selection(
        related="category_id.kind",
        store=True,
        index=True,
        readonly=True,
    )
    channel = fields.Selection(
        CHANNELS,
        required=True,
        default="phone",
        tracking=True,
        help="How the complaint reached the Dienst.",
    )
    received_date = fields.Date(
        required=True,
        index=True,
        tracking=True,
        default=fields.Date.context_today,
        help="The day the complaint or signal was received; the terms count from here.",
    )
    received_year = fields.Integer(
        compute="_compute_received_year",
        store=True,
        index=True,
        aggregator=False,
        help="The reporting year: cases are counted in the year they were received.",
    )

    @api.depends("received_date")
    def _compute_received_year(self):
        for complaint in self:
            complaint.received_year = (
                complaint.received_date.year if complaint.received_date else 0
            )

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"
        return res

    _name_company_uniq = models.UniqueIndex(
        "(company_id, name)",
        lambda env, diag: env._("This reference is already used in this company."),
    )

    @api.constrains("subject")
    def _check_subject(self):
        for complaint in self:
            if not (complaint.subject or "").strip():
                raise ValidationError(self.env._("A complaint needs a subject."))

    @api.constrains("received_date")
    def _check_received_date(self):
        for complaint in self:
            today = fields.Date.context_today(complaint)
            if complaint.received_date and complaint.received_date > today:
                raise ValidationError(
                    self.env._(
                        "The received date of %(reference)s cannot be in the future.",
                        reference=complaint.name,
                    )
                )

    @api.model
    def _assign_references(self, vals_list):
        """Number new cases in their company's sequence, by the year of receipt
        (KL/<year>/0001)."""
        today = fields.Date.context_today(self)
        Sequence = self.env["ir.sequence"].sudo()
        checked = set()  # (company, year) whose number range exists or is locked
        sequences = {}  # company id: its sequence
        for vals in vals_list:
            if vals.get("name") and vals["name"] != self.env._("New"):
                continue
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            received = fields.Date.to_date(vals.get("received_date") or today)
            if company.id not in sequences:
                sequences[company.id] = Sequence.search(
                    [("code", "=", SEQUENCE_CODE), ("company_id", "=", company.id)],
                    limit=1,
                ) or self._create_sequence_serialized(company)
            sequence = sequences[company.id]
            if (company.id, received.year) not in checked:
                self._lock_sequence_year(sequence, received)
                checked.add((company.id, received.year))
            # the company's own sequence, found above (next_by_code would search
            # it again)
            vals["name"] = sequence._next(sequence_date=received)

    def _create_sequence_serialized(self, company):
        """The company's sequence, made by the first case that finds none (it is
        made with the company: only a deleted one is missing). Two first cases at
        the same moment: the row update makes the second wait for the first and
        fail to serialize once it committed; Odoo then runs the second request
        again, which finds the sequence (PostgreSQL's repeatable read: a lock alone
        would leave it the old snapshot, without the sequence)."""
        self.env.cr.execute(
            SQL("UPDATE res_company SET name = name WHERE id = %s", company.id)
        )
        return company._create_complaint_sequences()

    def _lock_sequence_year(self, sequence, day):
        """The first case of a year creates the year's number range: two first
        cases must not create two ranges and share a number. The row update makes
        the second wait for the first and, once the first committed, fail to
        serialize: Odoo runs the second request again, which then finds the range
        (a lock alone would leave it the snapshot without it). Later cases of the
        year need no lock."""
        if not sequence.use_date_range or self.env[
            "ir.sequence.date_range"
        ].sudo().search_count(
            [
                ("sequence_id", "=", sequence.id),
                ("date_from", "<=", day),
                ("date_to", ">=", day),
            ],
            limit=1,
        ):
            return
        self.env.cr.execute(
            SQL("UPDATE ir_sequence SET name = name WHERE id = %s", sequence.id)
        )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for vals in vals_list:
            vals.pop("received_date", None)
        return vals_list

    def _check_day_between_receipt_and_today(self, field_name, too_early, too_late):
        """A day on which something happened to the case (contact, hearing,
        escalation): not before the case was received, and not in the future."""
        for complaint in self:
            day = complaint[field_name]
            if not day:
                continue
            if complaint.received_date and day < complaint.received_date:
                raise ValidationError(too_early)
            if day > fields.Date.context_today(complaint):
                raise ValidationError(too_late)

    def _check_categories_active(self, vals_list):
        """An archived category may stay on old cases but cannot be chosen."""
        category_ids = {
            vals["category_id"] for vals in vals_list if vals.get("category_id")
        }
        if not category_ids:
            return
        archived = (
            self.env["municipal.complaint.category"]
            .with_context(active_test=False)
            .browse(category_ids)
            .filtered(lambda category: not category.active)
        )
        if archived:
            raise ValidationError(
                self.env._(
                    "The category %(category)s is archived and cannot be chosen.",
                    category=archived[0].display_name,
                )
            )

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.name.replace("/", "-")
