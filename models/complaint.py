from odoo import api, fields, models
from odoo.exceptions import ValidationError

CHANNELS = [
    ("phone", "Phone"),
    ("in_person", "In person"),
    ("email", "E-mail"),
    ("web_form", "Web form"),
    ("letter", "Letter"),
    ("social_media", "Social media"),
]

# How the annual report groups the channels (domain.md §5).
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

    This file holds the identity of the case, its parties, stage and category.
    Deadlines, referral, closing and the Nationale ombudsman extend the same model in
    their own files.
    """

    _name = "municipal.complaint"
    _description = "Complaint"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "received_date desc, id desc"
    _rec_names_search = ["name", "subject"]
    _check_company_auto = True

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
    partner_email = fields.Char(related="partner_id.email", string="Complainant e-mail")
    partner_phone = fields.Char(related="partner_id.phone", string="Complainant phone")
    respondent_user_id = fields.Many2one(
        "res.users",
        string="Respondent",
        tracking=True,
        domain="[('share', '=', False)]",
        help="The employee the complaint is about (beklaagde). "
        "The respondent must not handle the complaint (Awb 9:7).",
    )

    # classification
    stage_id = fields.Many2one(
        "municipal.complaint.stage",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage_id(),
    )
    is_closed = fields.Boolean(
        related="stage_id.is_closed", store=True, string="Closed stage"
    )
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

    # stories for the annual report (anonymised; never the description)
    is_story = fields.Boolean(
        string="Story for the annual report",
        copy=False,
        help="Tell this case, anonymised, as a story (verhaal) in the annual report.",
    )
    story_title = fields.Char(copy=False)
    story_text = fields.Text(
        copy=False,
        help="An anonymised summary: no names, addresses, dates of birth or BSN.",
    )

    def _default_stage_id(self):
        return self.env["municipal.complaint.stage"].search([], limit=1)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        # every stage is a kanban column, and there are a handful of them
        # pylint: disable-next=no-search-all
        return stages.search([])

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

    @api.model_create_multi
    def create(self, vals_list):
        """References and the first stage are looked up once per batch, not per case:
        importing a register or a mail batch creates many cases at once."""
        self._check_categories_active(vals_list)
        today = fields.Date.context_today(self)
        sequences = {}
        default_stage = None
        for vals in vals_list:
            if "stage_id" not in vals and "default_stage_id" not in self.env.context:
                if default_stage is None:
                    default_stage = self._default_stage_id()
                vals["stage_id"] = default_stage.id
            if not vals.get("name") or vals["name"] == self.env._("New"):
                company_id = vals.get("company_id") or self.env.company.id
                if company_id not in sequences:
                    company = self.env["res.company"].browse(company_id)
                    sequences[company_id] = company._get_complaint_sequence()
                received = fields.Date.to_date(vals.get("received_date") or today)
                vals["name"] = sequences[company_id]._next(sequence_date=received)
        return super().create(vals_list)

    def write(self, vals):
        self._check_categories_active([vals])
        return super().write(vals)

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
