from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from .holidays import atw_term_end

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

# The Nationale ombudsman takes a complaint up to one year after the body's conclusion.
OMBUDSMAN_WINDOW_YEARS = 1

OMBUDSMAN_FIELDS = (
    "ombudsman_initiator",
    "ombudsman_date",
    "ombudsman_reference",
    "ombudsman_consent",
    "ombudsman_finding",
    "ombudsman_advice",
    "ombudsman_followup",
)


class MunicipalComplaint(models.Model):
    """Escalation to the Nationale ombudsman, after the Dienst's own handling.

    A complainant goes to the ombudsman after the case is closed, within a year of the
    conclusion; the Dienst itself may submit a case (also while it is open) with the
    complainant's consent. A case submitted before its legal term ended counts as
    ``ombudsman`` in the term figures (see ``_get_term_outcome``).
    """

    _inherit = "municipal.complaint"

    ombudsman_window_end = fields.Date(
        string="Ombudsman window ends",
        compute="_compute_ombudsman_window",
        help="A complainant can go to the Nationale ombudsman until "
        "one year after the conclusion.",
    )
    ombudsman_outside_window = fields.Boolean(
        compute="_compute_ombudsman_window",
        help="The complainant went to the Nationale ombudsman more "
        "than a year after the conclusion.",
    )

    @api.depends(
        "closed_date", "legal_deadline", "ombudsman_date", "ombudsman_initiator"
    )
    @api.depends_context("tz")
    def _compute_ombudsman_window(self):
        for complaint in self:
            complaint.ombudsman_window_end = complaint._ombudsman_window_end()
            complaint.ombudsman_outside_window = complaint._is_outside_ombudsman_window(
                complaint.ombudsman_initiator, complaint.ombudsman_date
            )

    def _check_ombudsman_values(self, values):
        """The escalation step's answers, checked: return the values to write, or
        raise one error listing what is missing or does not fit.

        A complainant goes to the Nationale ombudsman after the Dienst's own handling:
        their escalation is dated on or after the decision. The Dienst may submit a
        case earlier, with the complainant's consent, also while it is open (then the
        case counts as ``ombudsman`` against its term). A complainant's request
        outside the one-year window is recorded all the same (the ombudsman decides
        whether to take it), with a note on the chatter.
        """
        self.ensure_one()
        vals = {key: value for key, value in values.items() if key in OMBUDSMAN_FIELDS}

        def value(name):
            return vals[name] if name in vals else self[name]

        initiator = value("ombudsman_initiator")
        escalation_date = fields.Date.to_date(value("ombudsman_date"))
        missing = []
        if not initiator:
            missing.append(self.env._("who went to the Nationale ombudsman"))
        if not escalation_date:
            missing.append(self.env._("the date of the escalation"))
        if initiator == "service" and not value("ombudsman_consent"):
            missing.append(
                self.env._(
                    "the complainant's consent: the Dienst submits a case only with it"
                )
            )
        if (value("ombudsman_advice") or value("ombudsman_followup")) and not value(
            "ombudsman_finding"
        ):
            missing.append(
                self.env._("the finding of the Nationale ombudsman, before its advice")
            )
        if missing:
            raise UserError(
                self.env._(
                    "The escalation of %(reference)s cannot "
                    "be recorded yet. Still needed:",
                    reference=self.name,
                )
                + "\n"
                + "\n".join(f"- {item}" for item in missing)
            )
        if initiator == "complainant" and not self._complainant_may_escalate(
            escalation_date
        ):
            raise UserError(
                self.env._(
                    "A complainant goes to the Nationale ombudsman after the Dienst's "
                    "own handling, or once its legal term passed without it: close "
                    "%(reference)s first, and date the escalation on or after its "
                    "conclusion. (The Dienst itself may submit an open case, with the "
                    "complainant's consent.)",
                    reference=self.name,
                )
            )
        if vals.get("ombudsman_date"):
            vals["ombudsman_date"] = escalation_date
        return vals

    def _log_ombudsman_outside_window(self):
        self.ensure_one()
        self.message_post(
            body=self.env._(
                "The complainant went to the Nationale ombudsman on %(date)s, more "
                "than a year after the conclusion of %(closed)s (window ended "
                "%(end)s). Recorded all the same: the Nationale ombudsman decides "
                "whether to take the complaint.",
                date=format_date(self.env, self.ombudsman_date),
                closed=format_date(self.env, self.closed_date),
                end=format_date(self.env, self.ombudsman_window_end),
            ),
            subtype_xmlid="mail.mt_note",
        )

    def action_open_ombudsman_wizard(self):
        return self._get_step_wizard_action(
            "municipal.complaint.ombudsman.wizard", self.env._("Nationale ombudsman")
        )

    def _complainant_may_escalate(self, escalation_date):
        """Awb 9:24 paragraph 1: the complainant turns to the Nationale ombudsman
        after the conclusion, or after the legal term passed without one."""
        self.ensure_one()
        if self.closed_date:
            return escalation_date >= self.closed_date
        return bool(self.legal_deadline and escalation_date > self.legal_deadline)

    def _ombudsman_window_end(self):
        """Awb 9:24 paragraph 1: a year after the conclusion, or after the legal
        term ended without one; ending under the Algemene termijnenwet."""
        self.ensure_one()
        start = self.closed_date or (
            self.legal_deadline
            if self.legal_deadline
            and self.legal_deadline < fields.Date.context_today(self)
            else False
        )
        if not start:
            return False
        return atw_term_end(start + relativedelta(years=OMBUDSMAN_WINDOW_YEARS))

    def _get_ombudsman_deadline_for_letter(self):
        """The last day to go to the Nationale ombudsman, as a letter states
        it: a year after the conclusion (today, when the letter is printed
        before the case is closed)."""
        self.ensure_one()
        return self._ombudsman_window_end() or atw_term_end(
            fields.Date.context_today(self)
            + relativedelta(years=OMBUDSMAN_WINDOW_YEARS)
        )

    def _is_outside_ombudsman_window(self, initiator, escalation_date):
        """Whether a complainant's request on
        ``escalation_date`` comes after the window."""
        self.ensure_one()
        window_end = self._ombudsman_window_end()
        return bool(
            initiator == "complainant"
            and escalation_date
            and window_end
            and fields.Date.to_date(escalation_date) > window_end
        )
