from odoo import fields, models


class MunicipalComplaintReopenWizard(models.TransientModel):
    """Reopens a closed case; the reason goes on the chatter."""

    _name = "municipal.complaint.reopen.wizard"
    _description = "Reopen a complaint"
    _inherit = ["municipal.complaint.wizard.access"]

    complaint_id = fields.Many2one(
        "municipal.complaint", required=True, readonly=True, ondelete="cascade"
    )
    reason = fields.Text(
        required=True, help="Why the case is reopened; it is posted on the chatter."
    )

    def action_reopen(self):
        self.ensure_one()
        self.complaint_id.action_reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
