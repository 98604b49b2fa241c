from odoo import api, fields, models


class MunicipalComplaintLetterWizard(models.TransientModel):
    """The acknowledgment of receipt (Awb 9:6) sent by staff: shown, edited, sent.
    The automatic acknowledgment of the public form and the mail alias goes without
    it."""

    _name = "municipal.complaint.letter.wizard"
    _inherit = ["municipal.complaint.letter.step", "municipal.complaint.wizard.access"]
    _description = "Send the acknowledgment of receipt"

    complaint_id = fields.Many2one(
        "municipal.complaint", required=True, readonly=True, ondelete="cascade"
    )

    @api.model
    def default_get(self, fields_list):
        """The acknowledgment is shown at once: there is nothing to fill in first."""
        values = super().default_get(fields_list)
        complaint = self.env["municipal.complaint"].browse(values.get("complaint_id"))
        if complaint:
            values.update(self._get_letter_preview_values(complaint))
        return values

    def _run_letter_step(self, complaint, letter=None):
        return complaint.action_send_acknowledgment(letter=letter)

    def action_send(self):
        self.ensure_one()
        self._confirm_letter_step()
        return {"type": "ir.actions.act_window_close"}
