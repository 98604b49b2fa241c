"""Where and how sure: the company's settings for recognising complaints in messages."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Never watched: a case's own conversation is a registered complaint already, and a
# signal's conversation is the staff's discussion of one.
UNWATCHED_MODELS = (
    "municipal.complaint",
    "municipal.complaint.signal",
    "municipal.complaint.annual.report",
    "municipal.complaint.improvement",
)
WATCHABLE_DOMAIN = [
    ("is_mail_thread", "=", True),
    ("transient", "=", False),
    ("model", "not in", UNWATCHED_MODELS),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_signal_threshold = fields.Float(
        string="Recognition threshold",
        default=0.5,
        digits=(3, 2),
        help="From this score (0 to 1) a message is taken for a possible complaint. "
        "Lower: fewer complaints missed, more messages to dismiss.",
    )
    complaint_signal_model_ids = fields.Many2many(
        "ir.model",
        "res_company_complaint_signal_model_rel",
        "company_id",
        "model_id",
        string="Recognise complaints in messages on",
        domain=WATCHABLE_DOMAIN,
        default=lambda self: self.env["ir.model"]._get("res.partner"),
        help="Incoming messages of citizens on these kinds of records are scored once, "
        "after they arrive. Contacts by default; add the records of other apps on "
        "which citizens write to the Dienst.",
    )

    @api.constrains("complaint_signal_threshold")
    def _check_complaint_signal_threshold(self):
        for company in self:
            if not 0 < company.complaint_signal_threshold <= 1:
                raise ValidationError(
                    self.env._(
                        "The recognition threshold must lie above 0 and at most 1."
                    )
                )

    @api.constrains("complaint_signal_model_ids")
    def _check_complaint_signal_models(self):
        watchable = self.env["ir.model"].search(WATCHABLE_DOMAIN)
        for company in self:
            wrong = company.complaint_signal_model_ids - watchable
            if wrong:
                raise ValidationError(
                    self.env._(
                        "Complaints cannot be recognised in messages on %(models)s: "
                        "only records with a conversation (not the cases themselves) "
                        "can be watched.",
                        models=", ".join(wrong.mapped("name")),
                    )
                )

    @api.model
    def _init_complaint_signal_models(self):
        """Contacts are watched in every company that watches nothing (once, see
        ``municipal.complaint.signal._setup_signal_scanning``)."""
        partner_model = self.env["ir.model"]._get("res.partner")
        for company in self.search([("complaint_signal_model_ids", "=", False)]):
            company.complaint_signal_model_ids = partner_model


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_signal_threshold = fields.Float(
        related="company_id.complaint_signal_threshold", readonly=False
    )
    complaint_signal_model_ids = fields.Many2many(
        related="company_id.complaint_signal_model_ids", readonly=False
    )
