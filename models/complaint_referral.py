from odoo import fields, models

MEDIATION_STATES = [
    ("none", "No mediation"),
    ("ongoing", "Ongoing"),
    ("succeeded", "Succeeded"),
    ("failed", "Failed"),
]


class MunicipalComplaint(models.Model):
    """Referral (doorverwijzing) of a case to a contract partner, and mediation
    (bemiddeling)."""

    _inherit = "municipal.complaint"

    referral_partner_id = fields.Many2one(
        "res.partner",
        string="Referred to",
        tracking=True,
        index=True,
        domain="[('is_complaint_partner', '=', True), ('is_company', '=', True)]",
        help="The contract partner the case was referred to. Its portal users see the "
        "case.",
    )
    referral_date = fields.Date(tracking=True, copy=False)
    referral_note = fields.Text(
        string="Note to the partner",
        help="What the partner needs to know; visible to the partner in the portal.",
    )
    partner_response = fields.Text(
        string="Response of the partner",
        tracking=True,
        copy=False,
    )
    mediation_state = fields.Selection(
        MEDIATION_STATES,
        string="Mediation",
        default="none",
        required=True,
        tracking=True,
        copy=False,
    )
