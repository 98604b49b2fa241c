import base64
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import format_date

from .holidays import atw_term_end
from .res_company import POSTPONEMENT_MAX_WEEKS

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

# Awb 9:14: ten weeks instead of six when an advisory committee hears the complaint.
ADVISORY_COMMITTEE_TERM_WEEKS = 10
# Awb 9:8: the complainant hears within four weeks that the complaint is not handled.
NOT_HANDLED_WEEKS = 4

# The deadlines an open case can miss: (key, deadline field, the field whose value
# meets it; None: only closing meets it). The one definition of "pending": the kanban
# state (Python), its search (a domain) and the warning cron's selection (the SQL of
# that domain) are all derived from this table.
PENDING_DEADLINES = (
    ("contact", "contact_deadline", "contact_date"),
    ("legal", "legal_deadline", None),
    # a referral: the partner's answer, and the date promised to the complainant
    # (complaint_referral_promise.py)
    ("partner_answer", "partner_answer_deadline", "partner_response_date"),
    ("promised", "promised_deadline", None),
)


class MunicipalComplaint(models.Model):
    """Deadlines, in two calendars (docs/rules.md, "Twee kalenders"): the service norm
    for first contact counts the Dienst's working days; the legal terms (Awb 9:8,
    9:11, 9:14) count calendar weeks and end under the Algemene termijnenwet. And how
    the case did against its term."""

    _inherit = "municipal.complaint"

    contact_deadline = fields.Date(
        compute="_compute_deadlines",
        store=True,
        tracking=True,
        help="First contact is promised within this many working days of the Dienst "
        "after receipt (service norm).",
    )
    legal_deadline = fields.Date(
        string="Legal deadline",
        compute="_compute_deadlines",
        store=True,
        tracking=True,
        help="Awb 9:11: six weeks after receipt (ten when an advisory committee hears "
        "the complaint), plus a postponement; a term ending on a Saturday, Sunday or "
        "a holiday of the Algemene termijnenwet ends the next day that is none of "
        "these. Only real complaints have a legal term.",
    )
    not_handled_deadline = fields.Date(
        string="Not-handled notice due",
        compute="_compute_deadlines",
        store=True,
        help="Awb 9:8: a complainant whose complaint is not handled is told so in "
        "writing within four weeks of receipt (Algemene termijnenwet applies).",
    )
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
        help="Where the next open deadline stands today; 'due soon' counts the "
        "Dienst's working days.",
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

    @api.depends(
        "received_date",
        "postponed",
        "postpone_weeks",
        "extended_deadline",
        "advisory_committee",
        "kind",
        "company_id",
    )
    def _compute_deadlines(self):
        """The deadlines of many cases at once: one working-day service per company,
        which reads the calendar a year at a time."""
        by_company = defaultdict(list)
        for complaint in self:
            if not complaint.received_date:
                complaint.contact_deadline = complaint.legal_deadline = False
                complaint.not_handled_deadline = False
                continue
            by_company[complaint.company_id].append(complaint.id)
        for company, complaint_ids in by_company.items():
            complaints = self.browse(complaint_ids)
            working_days = company._complaint_working_days(
                *complaints.mapped("received_date")
            )
            for complaint in complaints:
                received = complaint.received_date
                complaint.contact_deadline = working_days.add_working_days(
                    received, company.complaint_contact_days
                )
                is_complaint = complaint.kind == "complaint"
                complaint.legal_deadline = (
                    complaint._compute_legal_deadline() if is_complaint else False
                )
                complaint.not_handled_deadline = (
                    atw_term_end(received + relativedelta(weeks=NOT_HANDLED_WEEKS))
                    if is_complaint
                    else False
                )

    def _compute_legal_deadline(self):
        """Awb 9:11 and 9:14, counted from receipt in calendar weeks; only the last
        day moves, under the Algemene termijnenwet."""
        self.ensure_one()
        if self.extended_deadline:
            # a date agreed with the complainant (Awb 9:11 paragraph 3) is no term
            # set by law: the Algemene termijnenwet does not move it
            return self.extended_deadline
        return atw_term_end(self.received_date + timedelta(weeks=self._term_weeks()))

    def _term_weeks(self, postponement_weeks=None):
        """The weeks of this case's term: the norm (ten with an advisory committee),
        plus the postponement decided (or ``postponement_weeks`` proposed)."""
        self.ensure_one()
        company = self.company_id
        weeks = (
            ADVISORY_COMMITTEE_TERM_WEEKS
            if self.advisory_committee
            else company.complaint_term_weeks
        )
        if postponement_weeks is not None:
            return weeks + postponement_weeks
        if self.postponed:
            # a case imported as postponed was postponed by the norm of its company
            weeks += self.postpone_weeks or company.complaint_postpone_weeks
        return weeks

    @api.depends(
        "kind",
        "closed_date",
        "legal_deadline",
        "not_handled_deadline",
        "handling",
        "ombudsman_date",
        "mediation_state",
    )
    def _compute_term_outcome(self):
        today = fields.Date.context_today(self)
        for complaint in self:
            complaint.term_outcome = complaint._get_term_outcome(today)

    def _get_term_outcome(self, today):
        """In this order: decided on or before the deadline, within; else with the
        Nationale ombudsman on or before it, ombudsman; else open in mediation,
        mediation; else decided late or open past the deadline, late; else open.
        The deadline of a complaint not handled is the four weeks of Awb 9:8."""
        self.ensure_one()
        deadline = self.legal_deadline
        if self.handling == "not_handled" and self.closed_date:
            # Awb 9:8 paragraph 3: told within four weeks, not six
            deadline = self.not_handled_deadline
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

    # ------------------------------------------------------------------ pending
    @api.depends(
        "closed_date",
        "contact_date",
        "contact_deadline",
        "legal_deadline",
        "partner_answer_deadline",
        "partner_response_date",
        "promised_deadline",
        "company_id.complaint_warning_days",
    )
    @api.depends_context("tz")
    def _compute_deadline_state(self):
        today = fields.Date.context_today(self)
        soon = self._due_soon_limits(today)
        for complaint in self:
            pending = [day for _key, day in complaint._pending_deadlines()]
            complaint.next_deadline = min(pending) if pending else False
            if complaint.is_closed:
                state = "done"
            elif not pending:
                state = "on_track"
            elif complaint.next_deadline < today:
                state = "overdue"
            elif complaint.next_deadline <= soon[complaint.company_id]:
                state = "due_soon"
            else:
                state = "on_track"
            complaint.deadline_state = state
            complaint.deadline_color = DEADLINE_COLORS[state]

    def _search_deadline_state(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        today = fields.Date.context_today(self)
        overdue = self._pending_before_domain(today, strict=True)
        # the warning window counts each company's working days: one branch per
        # company, and every company counts (there are a handful of them)
        # pylint: disable-next=no-search-all
        companies = self.env["res.company"].sudo().search([])
        soon = companies._get_due_soon_limits(today)
        due_soon = (
            Domain.OR(
                Domain("company_id", "=", company.id)
                & self._pending_before_domain(soon[company], strict=False)
                for company in companies
            )
            & ~overdue
        )
        is_open = self._open_domain()
        states = {
            "overdue": overdue,
            "due_soon": due_soon,
            "done": ~is_open,
            "on_track": is_open & ~overdue & ~due_soon,
        }
        domain = Domain.OR(states[state] for state in value if state in states)
        return ~domain if operator == "not in" else domain

    def _pending_deadlines(self):
        """[(key, date)]: the deadlines of :data:`PENDING_DEADLINES` this open case
        can still miss."""
        self.ensure_one()
        if self.is_closed:
            return []
        return [
            (key, self[deadline])
            for key, deadline, met in PENDING_DEADLINES
            if self[deadline] and not (met and self[met])
        ]

    @api.model
    def _pending_domain(self, key):
        """The cases whose deadline ``key`` of :data:`PENDING_DEADLINES` is
        pending, as a domain."""
        _key, deadline, met = next(row for row in PENDING_DEADLINES if row[0] == key)
        domain = self._open_domain() & Domain(deadline, "!=", False)
        return domain & Domain(met, "=", False) if met else domain

    @api.model
    def _pending_before_domain(self, day, strict):
        """Open cases with a pending deadline before (``strict``) or on ``day``."""
        return Domain.OR(
            self._pending_domain(key) & Domain(deadline, "<" if strict else "<=", day)
            for key, deadline, _met in PENDING_DEADLINES
        )

    def _due_soon_limits(self, today):
        """Per company of these cases, the last day a deadline is 'due soon' on."""
        return self.company_id._get_due_soon_limits(today)

    # ------------------------------------------------------------------ actions
    def action_open_contact_wizard(self):
        self.ensure_one()
        self._check_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Contact made"),
            "res_model": "municipal.complaint.contact.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    # ------------------------------------------------------------------ postponement
    def action_open_postpone_wizard(self):
        self.ensure_one()
        self._check_postpone_allowed()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Postpone the legal term"),
            "res_model": "municipal.complaint.postpone.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def _postpone_number(self):
        """How often the term was postponed; a case imported as postponed counts
        once."""
        self.ensure_one()
        return max(self.postpone_count, 1 if self.postponed else 0)

    def _postponed_legal_deadline(self, weeks=None):
        """The legal deadline a first postponement by ``weeks`` (default: the
        company's proposal) would give, as the wizard shows it."""
        self.ensure_one()
        if weeks is None:
            weeks = self.company_id.complaint_postpone_weeks
        return atw_term_end(
            self.received_date + timedelta(weeks=self._term_weeks(weeks))
        )

    def _check_postpone_allowed(self):
        """Raise a clear error when the term of this case cannot be postponed now."""
        self.ensure_one()
        self._check_coordinator(self.env._("postpone the legal term"))
        if self.kind != "complaint" or not self.legal_deadline:
            raise UserError(
                self.env._(
                    "Only a complaint has a legal term to postpone; %(reference)s is "
                    "not a complaint.",
                    reference=self.display_name,
                )
            )
        self._check_open()
        if fields.Date.context_today(self) > self.legal_deadline:
            raise UserError(
                self.env._(
                    "The legal term of %(reference)s ended on %(deadline)s: a term "
                    "can only be postponed before it ends.",
                    reference=self.display_name,
                    deadline=format_date(self.env, self.legal_deadline),
                )
            )

    def _check_postpone_input(self, reason, weeks, new_date, consent_name, consent):
        """Raise a clear error when the step's input does not allow the
        postponement; return the weeks of a first postponement."""
        self.ensure_one()
        self._check_postpone_allowed()
        if not (reason or "").strip():
            raise UserError(
                self.env._(
                    "Give the reason for the postponement: the complainant is told."
                )
            )
        if not self._postpone_number():
            weeks = self.company_id.complaint_postpone_weeks if weeks is None else weeks
            if not isinstance(weeks, int) or not 1 <= weeks <= POSTPONEMENT_MAX_WEEKS:
                raise UserError(
                    self.env._(
                        "A term is postponed by 1 to %(max)s weeks (Awb 9:11).",
                        max=POSTPONEMENT_MAX_WEEKS,
                    )
                )
            return weeks
        if not consent or not (consent_name or "").strip():
            raise UserError(
                self.env._(
                    "The term of %(reference)s was already postponed once. A further "
                    "postponement needs the complainant's written consent: attach it.",
                    reference=self.display_name,
                )
            )
        if not new_date:
            raise UserError(
                self.env._("Give the new deadline agreed with the complainant.")
            )
        if new_date <= self.legal_deadline:
            raise UserError(
                self.env._(
                    "The agreed new deadline must be after the current deadline "
                    "(%(deadline)s).",
                    deadline=format_date(self.env, self.legal_deadline),
                )
            )
        return None

    def _store_consent(self, name, data):
        """The complainant's written consent, as uploaded in the postponement step,
        stored on this case (never an attachment that exists elsewhere)."""
        self.ensure_one()
        self._intake_check_attachments([(name, _b64decode(data))], self.company_id)
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "datas": data,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
            .sudo(False)
        )

    # ------------------------------------------------------------------ recompute
    @api.model
    def _recompute_open_deadlines(self, companies):
        """Mark the deadlines of the open cases of ``companies`` for recomputation.

        Closed cases keep their deadlines: changing a norm or a calendar today must not
        change how last year's cases did against their term.
        """
        if not companies:
            return
        complaints = (
            self.sudo()
            .with_context(active_test=False)
            .search(Domain("company_id", "in", companies.ids) & self._open_domain())
        )
        if complaints:
            for field_name in self._open_deadline_fields():
                self.env.add_to_compute(self._fields[field_name], complaints)
            complaints._close_stale_deadline_activities()

    def _open_deadline_fields(self):
        """The stored deadlines of an open case that count in the company's norms and
        calendar: recomputed when those change."""
        return ("contact_deadline", "legal_deadline", "not_handled_deadline")

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


class ResCompany(models.Model):
    _inherit = "res.company"

    def _get_due_soon_limits(self, today):
        """Per company, the last day a deadline counts as approaching today:
        ``complaint_warning_days`` of its working days ahead."""
        return {
            company: company._complaint_working_days(today).add_working_days(
                today, company.complaint_warning_days
            )
            for company in self
        }


def _b64decode(data):
    try:
        return base64.b64decode(data or b"", validate=True)
    except (ValueError, TypeError):
        return b""
