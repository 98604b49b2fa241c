from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import is_html_empty

IMPROVEMENT_STATES = [
    ("open", "Open"),
    ("in_progress", "Under way"),
    ("done", "Done"),
]


class MunicipalComplaintImprovement(models.Model):
    """A verbeterpunt: what the organisation learns from complaints and changes.

    "Leer van klachten" and "Voorkom klachten": a bottleneck seen in one or
    more cases becomes an improvement point with an owner and a due date; its
    result goes into the annual report.
    """

    _name = "municipal.complaint.improvement"
    _description = "Improvement point"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_sequence, due_date, id desc"
    _check_company_auto = True

    name = fields.Char(string="Improvement", required=True, tracking=True)
    description = fields.Html(help="What goes wrong, and what should change.")
    complaint_ids = fields.Many2many(
        "municipal.complaint",
        "municipal_complaint_improvement_rel",
        "improvement_id",
        "complaint_id",
        string="Cases",
        check_company=True,
        help="The cases this improvement point came from.",
    )
    complaint_count = fields.Integer(
        compute="_compute_complaint_count", string="Number of cases"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Who sees to it that the improvement is made.",
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
    result = fields.Html(help="What was changed, and what it brought.")
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
    color = fields.Integer()
    is_overdue = fields.Boolean(compute="_compute_is_overdue")

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

    @api.depends("complaint_ids")
    def _compute_complaint_count(self):
        for improvement in self:
            improvement.complaint_count = len(improvement.complaint_ids)

    @api.depends("due_date", "state")
    @api.depends_context("tz")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for improvement in self:
            improvement.is_overdue = bool(
                improvement.due_date
                and improvement.due_date < today
                and improvement.state != "done"
            )

    def action_start(self):
        self.write({"state": "in_progress"})

    def action_done(self):
        """Done means something changed: say what."""
        for improvement in self:
            if is_html_empty(improvement.result):
                raise UserError(
                    self.env._(
                        "Describe the result of the improvement point "
                        "%(name)s before marking it done.",
                        name=improvement.name,
                    )
                )
        self.write({"state": "done"})

    def action_reopen(self):
        self.write({"state": "open"})

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_complaint.action_municipal_complaint"
        )
        action.update(
            domain=[("id", "in", self.complaint_ids.ids)],
            context={"create": False},
            view_mode="list,form",
            views=[(False, "list"), (False, "form")],
        )
        return action


class MunicipalComplaint(models.Model):
    """The improvement points a case contributed to."""

    _inherit = "municipal.complaint"

    improvement_ids = fields.Many2many(
        "municipal.complaint.improvement",
        "municipal_complaint_improvement_rel",
        "complaint_id",
        "improvement_id",
        string="Improvement points",
        copy=False,
    )
    improvement_count = fields.Integer(compute="_compute_improvement_count")

    @api.depends("improvement_ids")
    def _compute_improvement_count(self):
        for complaint in self:
            complaint.improvement_count = len(complaint.improvement_ids)

    def action_create_improvement(self):
        """A new improvement point, prefilled with this case (button "Verbeterpunt")."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Improvement point"),
            "res_model": "municipal.complaint.improvement",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_complaint_ids": [Command.set(self.ids)],
                "default_company_id": self.company_id.id,
            },
        }

    def action_view_improvements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_complaint.action_municipal_complaint_improvement"
        )
        action.update(
            domain=[("complaint_ids", "in", self.ids)],
            context={
                "default_complaint_ids": [Command.set(self.ids)],
                "default_company_id": self.company_id.id,
            },
        )
        if len(self.improvement_ids) == 1:
            action.update(
                view_mode="form",
                views=[(False, "form")],
                res_id=self.improvement_ids.id,
            )
        return action
