from odoo import api, fields, models


class MunicipalComplaintPostponeWizard(models.TransientModel):
    """Gathers the reason (and for a further postponement the consent and the new date),
    then calls :meth:`municipal.complaint.action_postpone`, where the rules live."""

    _name = "municipal.complaint.postpone.wizard"
    _description = "Postpone the legal term of a complaint"

    complaint_id = fields.Many2one(
        "municipal.complaint", required=True, ondelete="cascade"
    )
    current_deadline = fields.Date(
        related="complaint_id.legal_deadline", string="Current deadline"
    )
    further = fields.Boolean(
        compute="_compute_further",
        help="The term was postponed before: this postponement needs the "
        "complainant's written consent.",
    )
    proposed_deadline = fields.Date(
        string="New deadline",
        compute="_compute_proposed_deadline",
        help="The legal deadline after a postponement by the company's postponement "
        "weeks.",
    )
    reason = fields.Text(
        string="Reason for postponement",
        required=True,
        help="Told to the complainant and noted on the case.",
    )
    new_date = fields.Date(
        string="Agreed new deadline",
        help="The date agreed with the complainant in writing.",
    )
    consent_file = fields.Binary(string="Written consent", attachment=False)
    consent_filename = fields.Char()

    @api.depends("complaint_id.postpone_count", "complaint_id.postponed")
    def _compute_further(self):
        for wizard in self:
            wizard.further = bool(
                wizard.complaint_id and wizard.complaint_id._postpone_number()
            )

    @api.depends("complaint_id", "further")
    def _compute_proposed_deadline(self):
        for wizard in self:
            wizard.proposed_deadline = (
                wizard.complaint_id._postponed_legal_deadline()
                if wizard.complaint_id.received_date and not wizard.further
                else False
            )

    def action_confirm(self):
        self.ensure_one()
        attachment = self.env["ir.attachment"]
        if self.further and self.consent_file:
            attachment = attachment.create(
                {
                    "name": self.consent_filename or self.env._("Written consent"),
                    "datas": self.consent_file,
                    "res_model": self.complaint_id._name,
                    "res_id": self.complaint_id.id,
                }
            )
        result = self.complaint_id.action_postpone(
            self.reason,
            new_date=self.new_date if self.further else None,
            consent_attachment=attachment,
        )
        if isinstance(result, dict):
            # a letter to print for a complainant without e-mail: download it, then
            # close
            result["close_on_report_download"] = True
            return result
        return {"type": "ir.actions.act_window_close"}
