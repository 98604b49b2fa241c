from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

NORM_FIELDS = (
    "complaint_contact_days",
    "complaint_term_weeks",
    "complaint_postpone_weeks",
    "complaint_warning_days",
    "complaint_calendar_id",
    "complaint_retention_years",
    "complaint_retention_ombudsman_years",
    "complaint_retention_short_years",
    "complaint_access_log_months",
    "complaint_partner_answer_days",
    "complaint_home_employee",
    "complaint_home_coordinator",
    "complaint_partner_access_days",
)


class MunicipalComplaintConfigWizard(models.TransientModel):
    """The complaint settings of a company, for the Beheerder: the deadline norms and
    where complaint staff start.

    Odoo's Settings screen is for system administrators only; the complaint Beheerder
    edits the norms here, the one place for them (Settings links here). The values
    live on the company.
    """

    _name = "municipal.complaint.config.wizard"
    _description = "Complaint deadline norms"
    _inherit = ["municipal.complaint.wizard.access"]

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    complaint_contact_days = fields.Integer(
        string="First contact within (working days)"
    )
    complaint_term_weeks = fields.Integer(string="Legal term (weeks)")
    complaint_postpone_weeks = fields.Integer(string="Postponement (weeks)")
    complaint_warning_days = fields.Integer(string="Warn days before a deadline")
    complaint_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working-day calendar",
        domain="[('is_complaint_calendar', '=', True)]",
    )
    complaint_retention_years = fields.Integer(string="Keep closed cases (years)")
    complaint_retention_ombudsman_years = fields.Integer(
        string="Keep cases the Nationale ombudsman saw (years)"
    )
    complaint_retention_short_years = fields.Integer(
        string="Keep cases not handled or withdrawn (years)"
    )
    complaint_access_log_months = fields.Integer(string="Keep the access log (months)")
    complaint_partner_answer_days = fields.Integer(
        string="Partner answers within (working days)"
    )
    complaint_home_employee = fields.Boolean(string="Employees start in Complaints")
    complaint_home_coordinator = fields.Boolean(
        string="Coordinators start in Complaints"
    )
    complaint_partner_access_days = fields.Integer(
        string="Partners read a case after the mediation (days)"
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        company = (
            self.env["res.company"].browse(values.get("company_id")) or self.env.company
        )
        for name in NORM_FIELDS:
            if name in fields_list:
                value = company[name]
                values[name] = (
                    value.id if isinstance(value, models.BaseModel) else value
                )
        return values

    def action_save(self):
        self.ensure_one()
        if not self.env.user.has_group("municipal_complaint.group_complaint_manager"):
            raise AccessError(
                self.env._(
                    "Only a complaint administrator can change the complaint settings."
                )
            )
        # the company is the wizard's own field: a client can send any id
        self._check_wizard_access(company_id=self.company_id.id)
        calendar = self.complaint_calendar_id
        if calendar and not calendar.is_complaint_calendar:
            raise UserError(
                self.env._(
                    "Choose a calendar of the complaint working days (Configuration > "
                    "Working days)."
                )
            )
        values = {name: self[name] for name in NORM_FIELDS}
        values["complaint_calendar_id"] = self.complaint_calendar_id.id
        # the Beheerder has no write access on companies: the check above is the gate
        self.company_id.sudo().write(values)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The complaint settings are saved; the deadlines of open cases "
                    "were recomputed."
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
