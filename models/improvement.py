from odoo import api, fields, models

IMPROVEMENT_STATES = [
    ("open", "Open"),
    ("in_progress", "In progress"),
    ("done", "Done"),
]


class MunicipalComplaintImprovement(models.Model):
    """A verbeterpunt: what the organisation learns from complaints and changes."""

    _name = "municipal.complaint.improvement"
    _description = "Improvement point"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_sequence, due_date, id desc"

    name = fields.Char(string="Improvement", required=True, tracking=True)
    description = fields.Html()
    complaint_ids = fields.Many2many(
        "municipal.complaint",
        "municipal_complaint_improvement_rel",
        "improvement_id",
        "complaint_id",
        string="Cases",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    due_date = fields.Date(tracking=True)
    state = fields.Selection(
        IMPROVEMENT_STATES,
        required=True,
        default="open",
        tracking=True,
        group_expand=True,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    result = fields.Html()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    year = fields.Integer(
        compute="_compute_year",
        store=True,
        aggregator=False,
        help="The year the improvement point was raised, for the annual report.",
    )
    active = fields.Boolean(default=True)

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {
            state: index for index, (state, _label) in enumerate(IMPROVEMENT_STATES)
        }
        for improvement in self:
            improvement.state_sequence = order.get(improvement.state, 0)

    @api.depends("create_date")
    def _compute_year(self):
        for improvement in self:
            improvement.year = (improvement.create_date or fields.Datetime.now()).year
