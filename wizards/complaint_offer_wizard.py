from odoo import fields, models


class MunicipalComplaintOfferWizard(models.TransientModel):
    """Ter afhandeling aanbieden: a Medewerker says the case is ready to close and
    what the coordinator needs to know; the case's ``action_offer_for_closing``
    does the rest."""

    _name = "municipal.complaint.offer.wizard"
    _inherit = ["municipal.complaint.wizard.access"]
    _description = "Offer a complaint for closing"

    complaint_id = fields.Many2one(
        "municipal.complaint", required=True, readonly=True, ondelete="cascade"
    )
    note = fields.Text(
        string="For the coordinator",
        help="What was done and how the case can be closed; the coordinators read it "
        "in their activity.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.complaint_id.action_offer_for_closing(self.note)
        return {"type": "ir.actions.act_window_close"}
