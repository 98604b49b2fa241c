from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_date

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

COORDINATOR_GROUP = "municipal_complaint.group_complaint_coordinator"


class MunicipalComplaint(models.Model):
    """Deadlines: the service norm for first contact, the legal term (Awb 9:11), the
    postponement, and how the case did against its term."""

    _inherit = "municipal.complaint"

    # first contact (service norm)
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

    # legal term (Awb 9:11) and its postponement
    legal_deadline = fields.Date(
        string="Legal deadline",
        compute="_compute_deadlines",
        store=True,
        tracking=True,
        help="Awb 9:11: six weeks after receipt, ten when postponed; a term ending "
        "on a weekend or public holiday ends on the next working day. Only real "
        "complaints have a legal term.",
    )
    postponed = fields.Boolean(
        tracking=True,
        copy=False,
        help="The legal term was postponed once by the company's postponement weeks "
        "(Awb 9:11).",
    )
    postpone_reason = fields.Text(
        string="Reason for postponement",
        copy=False,
        help="Why the term was postponed (the latest postponement); told to the "
        "complainant.",
    )
    postpone_count = fields.Integer(
        string="Postponements",
        copy=False,
        readonly=True,
        help="How often the legal term was postponed. Only the first postponement is "
        "the body's own decision; any further one needs the complainant's written "
        "consent.",
    )
    extended_deadline = fields.Date(
        string="Agreed new deadline",
        copy=False,
        tracking=True,
        help="The date agreed with the complainant, in writing, for a further "
        "postponement (Awb 9:11 paragraph 2). When set, the legal deadline follows it.",
    )
    postpone_consent_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Written consent",
        copy=False,
        readonly=True,
        help="The complainant's written consent to the further postponement.",
    )

    # closing and the outcome against the term
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

    @api.depends(
        "received_date", "postponed", "extended_deadline", "kind", "company_id"
    )
    def _compute_deadlines(self):
        """Both deadlines of many cases at once: the calendar's leaves are read once per
        company (one query), whatever the number of cases."""
        by_company = defaultdict(list)
        for complaint in self:
            if not complaint.received_date:
                complaint.contact_deadline = complaint.legal_deadline = False
                continue
            by_company[complaint.company_id].append(complaint.id)
        for company, complaint_ids in by_company.items():
            complaints = self.browse(complaint_ids)
            contact_days = company.complaint_contact_days
            term = timedelta(weeks=company.complaint_term_weeks)
            postponed_term = term + timedelta(weeks=company.complaint_postpone_weeks)
            received_dates = complaints.mapped("received_date")
            agreed = [day for day in complaints.mapped("extended_deadline") if day]
            last = max([max(received_dates) + postponed_term, *agreed])
            # enough room for the longest term plus a run of holidays
            working_days = company._get_complaint_calendar()._complaint_working_days(
                min(received_dates), last + timedelta(days=60)
            )
            for complaint in complaints:
                received = complaint.received_date
                complaint.contact_deadline = working_days.add_working_days(
                    received, contact_days
                )
                if complaint.kind != "complaint":
                    complaint.legal_deadline = False
                elif complaint.extended_deadline:
                    complaint.legal_deadline = working_days.next_working_day(
                        complaint.extended_deadline
                    )
                else:
                    complaint.legal_deadline = working_days.next_working_day(
                        received + (postponed_term if complaint.postponed else term)
                    )

    @api.depends(
        "kind", "closed_date", "legal_deadline", "ombudsman_date", "mediation_state"
    )
    def _compute_term_outcome(self):
        today = fields.Date.context_today(self)
        for complaint in self:
            complaint.term_outcome = complaint._get_term_outcome(today)

    @api.depends(
        "closed_date",
        "is_closed",
        "contact_date",
        "contact_deadline",
        "legal_deadline",
        "company_id.complaint_warning_days",
    )
    @api.depends_context("tz")
    def _compute_deadline_state(self):
        today = fields.Date.context_today(self)
        for complaint in self:
            soon = today + timedelta(days=complaint.company_id.complaint_warning_days)
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

    def _search_deadline_state(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        today = fields.Date.context_today(self)
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
        # the warning window is a company setting: one branch per company, and every
        # company counts (there are a handful of them)
        # pylint: disable-next=no-search-all
        companies = self.env["res.company"].sudo().search([])
        due_soon = (
            Domain.OR(
                Domain("company_id", "=", company.id)
                & any_pending_before(
                    today + timedelta(days=company.complaint_warning_days), strict=False
                )
                for company in companies
            )
            & ~overdue
        )
        states = {
            "overdue": overdue,
            "due_soon": due_soon,
            "done": ~is_open,
            "on_track": is_open & ~overdue & ~due_soon,
        }
        domain = Domain.OR(states[state] for state in value if state in states)
        return ~domain if operator == "not in" else domain

    @api.constrains("contact_date", "received_date")
    def _check_contact_date(self):
        self._check_day_between_receipt_and_today(
            "contact_date",
            self.env._("The contact date cannot be before the complaint was received."),
            self.env._("The contact date cannot be in the future."),
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

    @api.constrains("extended_deadline", "received_date")
    def _check_extended_deadline(self):
        for complaint in self:
            if (
                complaint.extended_deadline
                and complaint.received_date
                and complaint.extended_deadline <= complaint.received_date
            ):
                raise ValidationError(
                    self.env._(
                        "The agreed new deadline must be after the day the complaint "
                        "was received."
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        if vals.get("contact_date"):
            self._on_contact_made(move_stage="stage_id" not in vals)
        if vals.get("closed_date"):
            self._close_deadline_activities()
        return result

    def action_contact_made(self):
        """Button "Contact made": record today as the contact date (unless a date was
        already filled in) and move the case from Received to Contacted."""
        today = fields.Date.context_today(self)
        for complaint in self:
            if complaint.closed_date or complaint.is_closed:
                raise UserError(
                    self.env._(
                        "%(reference)s is closed.", reference=complaint.display_name
                    )
                )
            if complaint.contact_date:
                complaint._on_contact_made(move_stage=True)
            else:
                complaint.contact_date = today
        return True

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

    def action_postpone(self, reason, new_date=None, consent_attachment=None):
        """Postpone the legal term (Awb 9:11).

        The first postponement is the coordinator's decision: it extends the term by
        the company's postponement weeks and needs a reason. A further postponement
        needs the complainant's written consent (``consent_attachment``, an
        ir.attachment or its id) and the agreed ``new_date``. Both only while the
        current term runs. The reason goes on the chatter (notifying the beklaagde)
        and a notice to the complainant: by e-mail, or, without an e-mail address, as
        a letter to print (the returned report action).
        """
        self.ensure_one()
        attachment = consent_attachment
        if isinstance(attachment, int):
            attachment = self.env["ir.attachment"].browse(attachment)
        new_date = fields.Date.to_date(new_date) if new_date else None
        self._check_postpone_allowed()
        self._check_postpone_input(reason, new_date, attachment)
        reason = reason.strip()
        previous = self.legal_deadline
        done = self._postpone_number()
        if not done:
            self.write(
                {"postponed": True, "postpone_count": 1, "postpone_reason": reason}
            )
        else:
            if attachment.res_model != self._name or attachment.res_id != self.id:
                attachment.sudo().write({"res_model": self._name, "res_id": self.id})
            self.write(
                {
                    "postpone_count": done + 1,
                    "postpone_reason": reason,
                    "extended_deadline": new_date,
                    "postpone_consent_attachment_id": attachment.id,
                }
            )
        self.message_post(
            body=self.env._(
                "Legal term postponed from %(old)s to %(new)s. Reason: %(reason)s",
                old=format_date(self.env, previous),
                new=format_date(self.env, self.legal_deadline),
                reason=reason,
            ),
            partner_ids=self.respondent_user_id.partner_id.ids,
            attachment_ids=attachment.ids if attachment else [],
        )
        # the warning for the old date no longer applies; the cron warns again for the
        # new one
        self._close_deadline_activities(
            kinds=("legal",), feedback=self.env._("Legal term postponed.")
        )
        return self._send_complainant_notice(
            "municipal_complaint.mail_template_postponement",
            "municipal_complaint.action_report_postponement",
        )

    def action_print_postponement(self):
        self.ensure_one()
        return self.env.ref(
            "municipal_complaint.action_report_postponement"
        ).report_action(self)

    def _postpone_number(self):
        """How often the term was postponed; a case imported as postponed counts
        once."""
        self.ensure_one()
        return max(self.postpone_count, 1 if self.postponed else 0)

    def _postponed_legal_deadline(self):
        """The legal deadline the first postponement would give (shown by the
        wizard)."""
        self.ensure_one()
        company = self.company_id
        day = self.received_date + timedelta(
            weeks=company.complaint_term_weeks + company.complaint_postpone_weeks
        )
        working_days = company._get_complaint_calendar()._complaint_working_days(
            day, day + timedelta(days=60)
        )
        return working_days.next_working_day(day)

    def _check_postpone_allowed(self):
        """Raise a clear error when the term of this case cannot be postponed now."""
        self.ensure_one()
        if not self.env.su and not self.env.user.has_group(COORDINATOR_GROUP):
            raise AccessError(
                self.env._("Only a complaint coordinator can postpone the legal term.")
            )
        if self.kind != "complaint" or not self.legal_deadline:
            raise UserError(
                self.env._(
                    "Only a complaint has a legal term to postpone; %(reference)s is "
                    "not a complaint.",
                    reference=self.display_name,
                )
            )
        if self.closed_date or self.is_closed:
            raise UserError(
                self.env._(
                    "%(reference)s is closed: its term can no longer be postponed.",
                    reference=self.display_name,
                )
            )
        if fields.Date.context_today(self) > self.legal_deadline:
            raise UserError(
                self.env._(
                    "The legal term of %(reference)s ended on %(deadline)s: a term "
                    "can only be postponed before it ends.",
                    reference=self.display_name,
                    deadline=format_date(self.env, self.legal_deadline),
                )
            )
        if not self._postpone_number() and not self.company_id.complaint_postpone_weeks:
            raise UserError(
                self.env._(
                    "No postponement period is set for %(company)s.",
                    company=self.company_id.name,
                )
            )

    def _check_postpone_input(self, reason, new_date, consent_attachment):
        """Raise a clear error when the wizard's input does not allow the
        postponement."""
        self.ensure_one()
        if not (reason or "").strip():
            raise UserError(
                self.env._(
                    "Give the reason for the postponement: the complainant is told."
                )
            )
        if not self._postpone_number():
            return
        if not consent_attachment:
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

    def _pending_deadlines(self):
        self.ensure_one()
        pending = []
        if not self.contact_date and self.contact_deadline:
            pending.append(self.contact_deadline)
        if self.legal_deadline:
            pending.append(self.legal_deadline)
        return pending

    def _on_contact_made(self, move_stage=True):
        """First contact was made: the contact warning is done, and a case still in the
        stage Received moves on to Contacted."""
        received = self.env.ref(
            "municipal_complaint.stage_received", raise_if_not_found=False
        )
        contacted = self.env.ref(
            "municipal_complaint.stage_contacted", raise_if_not_found=False
        )
        if move_stage and received and contacted:
            self.filtered(lambda complaint: complaint.stage_id == received).write(
                {"stage_id": contacted.id}
            )
        self._close_deadline_activities(
            kinds=("contact",), feedback=self.env._("Contact made.")
        )

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
            .search([("company_id", "in", companies.ids), ("closed_date", "=", False)])
        )
        if complaints:
            for field_name in self._open_deadline_fields():
                self.env.add_to_compute(self._fields[field_name], complaints)

    @api.model
    def _open_deadline_fields(self):
        """The stored deadlines counted in the company's norms and working days, which
        :meth:`_recompute_open_deadlines` recomputes; a file that adds such a deadline
        adds its name here."""
        return ["contact_deadline", "legal_deadline"]

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
