from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

TERM_OUTCOMES = [
    ("within", "Within the legal term"),
    ("late", "After the legal term"),
    ("ombudsman", "Submitted to the Nationale ombudsman"),
    ("mediation", "In mediation"),
    ("open", "Open, within the term"),
]

DEADLINE_STATES = [
    ("on_track", "On track"),
    ("due_soon", "Due soon"),
    ("overdue", "Overdue"),
    ("done", "Done"),
]

# kanban colour indexes: 1 red, 2 orange, 10 green, 0 none
DEADLINE_COLORS = {"overdue": 1, "due_soon": 2, "on_track": 10, "done": 0}


class MunicipalComplaint(models.Model):
    """Deadlines: the service norm for first contact, the legal term (Awb 9:11), the
    postponement, and how the case did against its term."""

    _inherit = "municipal.complaint"

    contact_deadline = fields.Date(
        compute="_compute_deadlines",
        store=True,
        tracking=True,
        help="First contact is promised within this many working days after receipt "
        "(service norm of the Dienst).",
    )
    contact_date = fields.Date(
        string="Contacted on",
        tracking=True,
        copy=False,
        help="The day the complainant was first contacted.",
    )
    legal_deadline = fields.Date(
        string="Legal deadline",
        compute="_compute_deadlines",
        store=True,
        tracking=True,
        help="Awb 9:11: six weeks after receipt, ten when postponed; a term ending on "
        "a weekend or public holiday ends on the next working day. Only real "
        "complaints have a legal term.",
    )
    postponed = fields.Boolean(tracking=True, copy=False)
    postpone_reason = fields.Text(copy=False)
    closed_date = fields.Date(tracking=True, copy=False, index=True)
    term_outcome = fields.Selection(
        TERM_OUTCOMES,
        compute="_compute_term_outcome",
        store=True,
        index=True,
        help="How the case did against its legal term, as counted in the annual "
        "report.",
    )
    deadline_state = fields.Selection(
        DEADLINE_STATES,
        compute="_compute_deadline_state",
        search="_search_deadline_state",
        help="Where the next open deadline stands today.",
    )
    deadline_color = fields.Integer(
        compute="_compute_deadline_state",
        help="Kanban highlight: red when overdue, orange when due soon, green on "
        "track.",
    )
    next_deadline = fields.Date(
        compute="_compute_deadline_state",
        help="The earliest deadline that is still to be met.",
    )

    @api.depends("received_date", "postponed", "kind", "company_id")
    def _compute_deadlines(self):
        by_company = defaultdict(lambda: self.browse())
        for complaint in self:
            if not complaint.received_date:
                complaint.contact_deadline = complaint.legal_deadline = False
                continue
            by_company[complaint.company_id] |= complaint
        for company, complaints in by_company.items():
            first = min(complaints.mapped("received_date"))
            last = max(complaints.mapped("received_date"))
            weeks = company.complaint_term_weeks + company.complaint_postpone_weeks
            # enough room for the longest term plus a run of holidays
            working_days = company._get_complaint_calendar()._complaint_working_days(
                first, last + timedelta(weeks=weeks) + timedelta(days=60)
            )
            for complaint in complaints:
                complaint.contact_deadline = working_days.add_working_days(
                    complaint.received_date, company.complaint_contact_days
                )
                complaint.legal_deadline = (
                    working_days.next_working_day(
                        complaint.received_date
                        + relativedelta(weeks=complaint._legal_term_weeks())
                    )
                    if complaint.kind == "complaint"
                    else False
                )

    def _legal_term_weeks(self):
        self.ensure_one()
        weeks = self.company_id.complaint_term_weeks
        if self.postponed:
            weeks += self.company_id.complaint_postpone_weeks
        return weeks

    @api.depends(
        "kind", "closed_date", "legal_deadline", "ombudsman_date", "mediation_state"
    )
    def _compute_term_outcome(self):
        today = fields.Date.context_today(self)
        for complaint in self:
            complaint.term_outcome = complaint._get_term_outcome(today)

    def _get_term_outcome(self, today):
        """The rule of design.md, in its order: within, ombudsman, mediation, late,
        open."""
        self.ensure_one()
        deadline = self.legal_deadline
        if self.kind != "complaint" or not deadline:
            return False
        if self.closed_date and self.closed_date <= deadline:
            return "within"
        if self.ombudsman_date and self.ombudsman_date <= deadline:
            return "ombudsman"
        if not self.closed_date and self.mediation_state == "ongoing":
            return "mediation"
        if self.closed_date or today > deadline:
            return "late"
        return "open"

    @api.depends(
        "closed_date", "is_closed", "contact_date", "contact_deadline", "legal_deadline"
    )
    @api.depends_context("tz")
    def _compute_deadline_state(self):
        today = fields.Date.context_today(self)
        soon = today + timedelta(days=self.env.company.complaint_warning_days)
        for complaint in self:
            pending = complaint._pending_deadlines()
            complaint.next_deadline = min(pending) if pending else False
            if complaint.closed_date or complaint.is_closed:
                complaint.deadline_state = "done"
            elif not pending:
                complaint.deadline_state = "on_track"
            elif complaint.next_deadline < today:
                complaint.deadline_state = "overdue"
            elif complaint.next_deadline <= soon:
                complaint.deadline_state = "due_soon"
            else:
                complaint.deadline_state = "on_track"
            complaint.deadline_color = DEADLINE_COLORS[complaint.deadline_state]

    def _pending_deadlines(self):
        self.ensure_one()
        pending = []
        if not self.contact_date and self.contact_deadline:
            pending.append(self.contact_deadline)
        if self.legal_deadline:
            pending.append(self.legal_deadline)
        return pending

    def _search_deadline_state(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        today = fields.Date.context_today(self)
        soon = today + timedelta(days=self.env.company.complaint_warning_days)
        is_open = Domain("closed_date", "=", False) & Domain("is_closed", "=", False)
        contact_pending = Domain("contact_date", "=", False) & Domain(
            "contact_deadline", "!=", False
        )

        def any_pending_before(day, strict):
            op = "<" if strict else "<="
            return is_open & (
                (contact_pending & Domain("contact_deadline", op, day))
                | Domain("legal_deadline", op, day)
            )

        overdue = any_pending_before(today, strict=True)
        due_soon = any_pending_before(soon, strict=False) & ~overdue
        done = ~is_open
        states = {
            "overdue": overdue,
            "due_soon": due_soon,
            "done": done,
            "on_track": is_open & ~overdue & ~due_soon,
        }
        domain = Domain.OR(states[state] for state in value if state in states)
        return ~domain if operator == "not in" else domain

    @api.constrains("contact_date", "received_date")
    def _check_contact_date(self):
        for complaint in self:
            if not complaint.contact_date:
                continue
            if (
                complaint.received_date
                and complaint.contact_date < complaint.received_date
            ):
                raise ValidationError(
                    self.env._(
                        "The contact date cannot be before the complaint was received."
                    )
                )
            if complaint.contact_date > fields.Date.context_today(complaint):
                raise ValidationError(
                    self.env._("The contact date cannot be in the future.")
                )

    @api.constrains("closed_date", "received_date")
    def _check_closed_date(self):
        for complaint in self:
            if (
                complaint.closed_date
                and complaint.received_date
                and complaint.closed_date < complaint.received_date
            ):
                raise ValidationError(
                    self.env._("A case cannot be closed before it was received.")
                )

    @api.model
    def _recompute_open_deadlines(self, companies):
        """Mark the deadlines of the open cases of ``companies`` for recomputation.

        Closed cases keep their deadlines: changing a norm or a calendar today must not
        change how last year's cases did against their term.
        """
        complaints = (
            self.sudo()
            .with_context(active_test=False)
            .search([("company_id", "in", companies.ids), ("closed_date", "=", False)])
        )
        if complaints:
            for field_name in ("contact_deadline", "legal_deadline"):
                self.env.add_to_compute(self._fields[field_name], complaints)

    @api.model
    def _refresh_term_outcomes(self):
        """Open cases whose legal term passed yesterday become ``late`` without any
        write: recompute the stored outcome of those (called daily by the deadline
        cron)."""
        today = fields.Date.context_today(self)
        complaints = (
            self.sudo()
            .with_context(active_test=False)
            .search([("term_outcome", "=", "open"), ("legal_deadline", "<", today)])
        )
        if complaints:
            self.env.add_to_compute(self._fields["term_outcome"], complaints)
            complaints.flush_recordset(["term_outcome"])
        return complaints
