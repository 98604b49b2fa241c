from odoo import api, fields, models

from ..models.complaint_ombudsman import (
    OMBUDSMAN_FIELDS,
    OMBUDSMAN_FINDINGS,
    OMBUDSMAN_INITIATORS,
)


class MunicipalComplaintOmbudsmanWizard(models.TransientModel):
    """Records an escalation to the Nationale ombudsman and, later, its finding, through
    ``municipal.complaint.action_record_ombudsman``. Shows the one-year window and warns
    when a complainant's request falls outside it (it is recorded all the same)."""

    _name = "municipal.complaint.ombudsman.wizard"
    _description = "Escalate to the Nationale ombudsman"
    _inherit = ["municipal.complaint.wizard.access"]

    complaint_id = fields.Many2one(
        "municipal.complaint", required=True, readonly=True, ondelete="cascade"
    )
    kind = fields.Selection(related="complaint_id.kind", compute_sudo=False)
    closed_date = fields.Date(
        related="complaint_id.closed_date", string="Concluded on", compute_sudo=False
    )
    legal_deadline = fields.Date(
        related="complaint_id.legal_deadline", compute_sudo=False
    )
    window_end = fields.Date(
        related="complaint_id.ombudsman_window_end",
        string="Window ends",
        compute_sudo=False,
    )
    outside_window = fields.Boolean(compute="_compute_outside_window")

    ombudsman_initiator = fields.Selection(OMBUDSMAN_INITIATORS, string="Escalated by")
    ombudsman_date = fields.Date(
        string="Escalated on", default=fields.Date.context_today
    )
    ombudsman_reference = fields.Char(string="Reference of the Nationale ombudsman")
    ombudsman_consent = fields.Boolean(string="The complainant consented")
    ombudsman_finding = fields.Selection(OMBUDSMAN_FINDINGS, string="Finding")
    ombudsman_advice = fields.Text(string="Advice")
    ombudsman_followup = fields.Text(string="What the Dienst did with the advice")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        complaint = self.env["municipal.complaint"].browse(values.get("complaint_id"))
        if complaint:
            for name in OMBUDSMAN_FIELDS:
                if name in fields_list and complaint[name]:
                    values[name] = complaint[name]
            if "ombudsman_initiator" in fields_list and not values.get(
                "ombudsman_initiator"
            ):
                values["ombudsman_initiator"] = (
                    "complainant" if complaint.closed_date else "service"
                )
        return values

    @api.depends("ombudsman_initiator", "ombudsman_date", "closed_date")
    def _compute_outside_window(self):
        for wizard in self:
            wizard.outside_window = (
                wizard.complaint_id._is_outside_ombudsman_window(
                    wizard.ombudsman_initiator, wizard.ombudsman_date
                )
                if wizard.complaint_id
                else False
            )

    def action_record(self):
        self.ensure_one()
        self.complaint_id.action_record_ombudsman(
            {name: self[name] for name in OMBUDSMAN_FIELDS}
        )
        return {"type": "ir.actions.act_window_close"}
