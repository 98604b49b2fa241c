from odoo import fields, models


class MunicipalComplaintOutcome(models.Model):
    """What a case resulted in (excuses, uitleg, herbeoordeling, ...): tags, several
    per case."""

    _name = "municipal.complaint.outcome"
    _description = "Complaint outcome"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)
