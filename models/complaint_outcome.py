from odoo import api, fields, models


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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """A case keeps the outcomes it was handled with (a closed case's record is
        frozen; a withdrawal also decides its retention term): archive instead."""
        self.env["municipal.complaint"]._check_tags_unused("outcome_ids", self)
