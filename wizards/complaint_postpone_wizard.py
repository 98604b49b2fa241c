from odoo import api, fields, models

from ..models.res_company import POSTPONEMENT_MAX_WEEKS


class MunicipalComplaintPostponeWizard(models.TransientModel):
    """Gathers the reason (and for a further postponement the consent and the new date),
    then calls :meth:`municipal.complaint.action_postpone`, where the rules live."""

    _name = "municipal.complaint.postpone.wizard"
    _inherit = ["municipal.complaint.letter.step", "municipal.complaint.wizard.access"]
    _description = "Postpone the legal term of a complaint"

    complaint_id = fields.Many2one(
        "municipal.complaint", required=True, ondelete="cascade"
    )
    current_deadline = fields.Date(
        related="complaint_id.legal_deadline",
        string="Current deadline",
        compute_sudo=False,
    )
    further = fields.Boolean(
        compute="_compute_further",
        help="The term was postponed before: this postponement needs the "
        "complainant's written consent.",
    )
    weeks = fields.Integer(
        string="Postpone by (weeks)",
        default=lambda self: self.env.company.complaint_postpone_weeks or 4,
        help="Awb 9:11: at most 4 weeks.",
    )
    proposed_deadline = fields.Date(
        string="New deadline",
        compute="_compute_proposed_deadline",
        help="The legal deadline after this postponement, ending under the Algemene "
        "termijnenwet.",
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

    @api.depends("complaint_id", "further", "weeks")
    def _compute_proposed_deadline(self):
        for wizard in self:
            wizard.proposed_deadline = (
                wizard.complaint_id._postponed_legal_deadline(wizard.weeks)
                if wizard.complaint_id.received_date
                and not wizard.further
                and 1 <= wizard.weeks <= POSTPONEMENT_MAX_WEEKS
                else False
            )

    def _compute_letter_copy(self):
        for wizard in self:
            wizard.letter_copy = wizard.complaint_id.respondent_user_id.name or False

    def _run_letter_step(self, complaint, letter=None):
        further = self.further
        return complaint.action_postpone(
            self.reason,
            weeks=None if further else self.weeks,
            new_date=self.new_date if further else None,
            consent_name=(self.consent_filename or self.env._("Written consent"))
            if further and self.consent_file
            else None,
            consent_data=self.consent_file if further else None,
            letter=letter,
        )

    def action_confirm(self):
        self.ensure_one()
        result = self._confirm_letter_step()
        if isinstance(result, dict):
            # a letter to print for a complainant without e-mail: download it, then
            # close
            result["close_on_report_download"] = True
            return result
        return {"type": "ir.actions.act_window_close"}
