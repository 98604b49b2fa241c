from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_contact_days = fields.Integer(
        related="company_id.complaint_contact_days", readonly=False
    )
    complaint_term_weeks = fields.Integer(
        related="company_id.complaint_term_weeks", readonly=False
    )
    complaint_postpone_weeks = fields.Integer(
        related="company_id.complaint_postpone_weeks", readonly=False
    )
    complaint_warning_days = fields.Integer(
        related="company_id.complaint_warning_days", readonly=False
    )
    complaint_calendar_id = fields.Many2one(
        related="company_id.complaint_calendar_id", readonly=False
    )
