from odoo import fields, models


class MunicipalComplaintSignalDismissWizard(models.TransientModel):
    """Dismiss a signal: the message is not a complaint, and why. The reason is kept,
    so the coordinator can tune the recognition rules."""

    _name = "municipal.complaint.signal.dismiss.wizard"
    _description = "Dismiss a possible complaint"

    signal_id = fields.Many2one(
        "municipal.complaint.signal", required=True, readonly=True, ondelete="cascade"
    )
    reason = fields.Text(
        required=True,
        help="Why the message is not a complaint, e.g. 'a question about the "
        "payment date' or 'satisfied, thanks the consultant'.",
    )

    def action_dismiss(self):
        self.ensure_one()
        # the signal checks that this user may decide on it
        self.signal_id._dismiss(self.reason)
        return {"type": "ir.actions.act_window_close"}
