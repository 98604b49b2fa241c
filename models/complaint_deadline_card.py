"""The next deadline of an open case as its kanban card says it: which deadline, on
which day, and how many of the Dienst's working days are left (or past) --
counted in the office calendar (docs/rules.md, "Twee kalenders")."""

from odoo import api, fields, models
from odoo.tools import format_date

DEADLINE_KINDS = [
    ("contact", "First contact"),
    ("legal", "Legal term"),
    ("partner_answer", "Partner's answer"),
    ("promised", "Promised answer"),
]


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    next_deadline_kind = fields.Selection(
        DEADLINE_KINDS,
        string="Next deadline for",
        compute="_compute_next_deadline_card",
    )
    next_deadline_days = fields.Integer(
        string="Working days left",
        compute="_compute_next_deadline_card",
        help="The Dienst's working days until the next deadline; negative when it "
        "has passed.",
    )
    next_deadline_label = fields.Char(
        string="Next deadline",
        compute="_compute_next_deadline_card",
    )

    @api.depends(
        "closed_date",
        "contact_date",
        "contact_deadline",
        "legal_deadline",
        "partner_answer_deadline",
        "partner_response_date",
        "promised_deadline",
    )
    @api.depends_context("tz", "lang")
    def _compute_next_deadline_card(self):
        today = fields.Date.context_today(self)
        pending = {complaint: complaint._pending_deadlines() for complaint in self}
        for company, complaints in self.grouped("company_id").items():
            working_days = company._complaint_working_days(today) if company else None
            for complaint in complaints:
                deadlines = pending[complaint]
                if not deadlines or not working_days:
                    complaint.next_deadline_kind = False
                    complaint.next_deadline_days = 0
                    complaint.next_deadline_label = False
                    continue
                kind, day = min(deadlines, key=lambda item: item[1])
                if day >= today:
                    days = working_days.count_working_days(today, day)
                else:
                    days = -working_days.count_working_days(day, today)
                complaint.next_deadline_kind = kind
                complaint.next_deadline_days = days
                complaint.next_deadline_label = complaint._next_deadline_text(
                    kind, day, days, today
                )

    def _next_deadline_text(self, kind, day, days, today):
        what = dict(
            self._fields["next_deadline_kind"]._description_selection(self.env)
        )[kind]
        when = format_date(self.env, day, date_format="EEE d MMM")
        if day == today:
            return self.env._("%(what)s: today", what=what)
        if days > 1:
            return self.env._(
                "%(what)s by %(date)s: %(days)s working days left",
                what=what,
                date=when,
                days=days,
            )
        if days == 1:
            return self.env._(
                "%(what)s by %(date)s: 1 working day left", what=what, date=when
            )
        if day > today:
            return self.env._(
                "%(what)s by %(date)s: no working day left", what=what, date=when
            )
        if days < -1:
            return self.env._(
                "%(what)s was due %(date)s: %(days)s working days late",
                what=what,
                date=when,
                days=-days,
            )
        if days == -1:
            return self.env._(
                "%(what)s was due %(date)s: 1 working day late", what=what, date=when
            )
        return self.env._("%(what)s was due %(date)s", what=what, date=when)
