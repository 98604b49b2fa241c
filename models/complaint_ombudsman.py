from odoo import fields, models

OMBUDSMAN_INITIATORS = [
    ("complainant", "The complainant"),
    ("service", "The Dienst, with the complainant's consent"),
]

OMBUDSMAN_FINDINGS = [
    ("not_at_fault", "Not at fault"),
    ("at_fault", "At fault"),
    ("partly", "Partly at fault"),
    ("not_investigated", "Not investigated"),
]


class MunicipalComplaint(models.Model):
    """Escalation to the Nationale ombudsman, after the Dienst's own handling."""

    _inherit = "municipal.complaint"

    ombudsman_initiator = fields.Selection(
        OMBUDSMAN_INITIATORS, string="Escalated by", tracking=True, copy=False
    )
    ombudsman_date = fields.Date(string="Escalated on", tracking=True, copy=False)
    ombudsman_reference = fields.Char(copy=False)
    ombudsman_finding = fields.Selection(OMBUDSMAN_FINDINGS, tracking=True, copy=False)
    ombudsman_advice = fields.Text(copy=False)
    ombudsman_followup = fields.Text(
        string="What the Dienst did with the advice", copy=False
    )
