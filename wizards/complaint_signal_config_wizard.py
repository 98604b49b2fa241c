from odoo import api, fields, models
from odoo.exceptions import AccessError


class MunicipalComplaintSignalConfigWizard(models.TransientModel):
    """The recognition threshold of a company, for the Beheerder (Odoo's Settings are
    for system administrators only). Which records are watched is chosen in Settings:
    it names the models of other apps, which only system administrators may read."""

    _name = "municipal.complaint.signal.config.wizard"
    _description = "Complaint recognition settings"
    _inherit = ["municipal.complaint.wizard.access"]

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    complaint_signal_threshold = fields.Float(
        string="Recognition threshold",
        digits=(3, 2),
        help="From this score (0 to 1) a message is taken for a possible complaint. "
        "Lower: fewer complaints missed, more messages to dismiss.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        company = (
            self.env["res.company"].browse(values.get("company_id")) or self.env.company
        )
        if "complaint_signal_threshold" in fields_list:
            values["complaint_signal_threshold"] = company.complaint_signal_threshold
        return values

    def action_save(self):
        self.ensure_one()
        if not self.env.user.has_group("municipal_complaint.group_complaint_manager"):
            raise AccessError(
                self.env._(
                    "Only a complaint administrator can change how complaints "
                    "are recognised."
                )
            )
        # the company is the wizard's own field: a client can send any id
        self._check_wizard_access(company_id=self.company_id.id)
        # the Beheerder has no write access on companies: the checks above are the gate
        self.company_id.sudo().write(
            {"complaint_signal_threshold": self.complaint_signal_threshold}
        )
        return {"type": "ir.actions.act_window_close"}
