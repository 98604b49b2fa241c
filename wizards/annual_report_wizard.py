from odoo import fields, models


class MunicipalComplaintAnnualReportWizard(models.TransientModel):
    """Jaarverslag maken: pick a year and a company, get
    that year's report to work on."""

    _name = "municipal.complaint.annual.report.wizard"
    _description = "Make an annual report"
    _inherit = ["municipal.complaint.wizard.access"]

    year = fields.Integer(
        required=True,
        default=lambda self: fields.Date.context_today(self).year - 1,
        help="The reporting year: the cases received in this year are counted.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    def action_open_report(self):
        self.ensure_one()
        report = self.env["municipal.complaint.annual.report"]._get_or_create_for_year(
            self.year, self.company_id
        )
        return report._get_form_action()
