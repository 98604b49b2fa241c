from odoo import fields, models


class MunicipalComplaintStage(models.Model):
    """A column of the kanban. ``is_closed`` marks the stage a case lands in when it is
    afgehandeld; the closing itself (handling, outcomes, closed date) is done by the
    case."""

    _name = "municipal.complaint.stage"
    _description = "Complaint stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(string="Folded in kanban")
    is_closed = fields.Boolean(
        string="Closing stage",
        help="Cases in this stage are afgehandeld: they count as closed and get no "
        "deadline warnings.",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
