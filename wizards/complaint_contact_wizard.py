from odoo import fields, models


class MunicipalComplaintContactWizard(models.TransientModel):
    """Contact opgenomen: the day the complainant was first contacted (today, or the
    day of the call when it is recorded later) and what was discussed; the case's
    ``action_contact_made`` records it."""

    _name = "municipal.complaint.contact.wizard"
    _description = "Record the first contact with the complainant"
    _inherit = ["municipal.complaint.wizard.access"]

    complaint_id = fields.Many2one(
        "municipal.complaint", required=True, readonly=True, ondelete="cascade"
    )
    received_date = fields.Date(
        related="complaint_id.received_date", compute_sudo=False
    )
    contact_date = fields.Date(
        string="Contacted on", required=True, default=fields.Date.context_today
    )
    note = fields.Text(
        string="What was discussed",
        help="Kept on the case as an internal note.",
    )

    def action_confirm(self):
        self.ensure_one()
        complaint = self.complaint_id
        complaint.action_contact_made(self.contact_date)
        if (self.note or "").strip():
            complaint.message_post(
                body=self.env._(
                    "Contact with the complainant: %(note)s", note=self.note.strip()
                ),
                subtype_xmlid="mail.mt_note",
            )
        return {"type": "ir.actions.act_window_close"}
