from odoo import api, fields, models

from ..models.complaint_closing import (
    AGREEMENT_CHANNELS,
    CLOSING_FIELDS,
    HANDLINGS,
    HEARING_SKIP_REASONS,
    JUDGMENTS,
    MEDIATION_RESULTS,
    NOT_HANDLED_REASONS,
    RESPONDENT_HEARING,
)

HEARING_CHOICES = [
    ("held", "The complainant was heard"),
    ("skipped", "The complainant was not heard"),
]

MEDIATION_RESULT_CHOICES = [
    ("succeeded", "Succeeded"),
    ("failed", "Failed"),
]


class MunicipalComplaintCloseWizard(models.TransientModel):
    """Afhandelen: gathers how a case was handled and closes it through
    ``municipal.complaint.action_close``, which checks the requirements."""

    _name = "municipal.complaint.close.wizard"
    _inherit = ["municipal.complaint.letter.step", "municipal.complaint.wizard.access"]
    _description = "Close a complaint"

    complaint_id = fields.Many2one(
        "municipal.complaint", required=True, readonly=True, ondelete="cascade"
    )
    kind = fields.Selection(related="complaint_id.kind", compute_sudo=False)
    partner_id = fields.Many2one(related="complaint_id.partner_id", compute_sudo=False)
    partner_email = fields.Char(
        related="complaint_id.partner_id.email",
        string="Complainant e-mail",
        compute_sudo=False,
    )
    user_id = fields.Many2one(related="complaint_id.user_id", compute_sudo=False)
    respondent_user_id = fields.Many2one(
        related="complaint_id.respondent_user_id", compute_sudo=False
    )
    not_handled_deadline = fields.Date(
        related="complaint_id.not_handled_deadline", compute_sudo=False
    )
    not_handled_late = fields.Boolean(compute="_compute_not_handled_late")
    respondent_conflict = fields.Boolean(compute="_compute_respondent_conflict")
    letter_delivery = fields.Selection(
        [("email", "By e-mail"), ("post", "By post"), ("none", "No letter")],
        compute="_compute_letter_delivery",
    )

    closed_date = fields.Date(
        string="Date of the decision",
        required=True,
        default=fields.Date.context_today,
        help="The day the case was decided: between receipt and today. The term is "
        "judged on it and the letter carries it.",
    )
    letter_sent_on_decision_date = fields.Boolean(
        string="The letter went out on that day",
        help="The conclusion (or the notice of not handling) was sent to the "
        "complainant on the date of the decision, outside this system: it is filed on "
        "the case, not sent again. A letter sent now is dated today (Awb 9:12).",
    )
    received_date = fields.Date(
        related="complaint_id.received_date", compute_sudo=False
    )
    handling = fields.Selection(HANDLINGS)
    informal_agreement_date = fields.Date(string="The complainant agreed on")
    informal_agreement_how = fields.Selection(AGREEMENT_CHANNELS, string="Agreed by")
    judgment = fields.Selection(JUDGMENTS)
    findings = fields.Html()
    conclusions = fields.Html()
    hearing = fields.Selection(HEARING_CHOICES, default="held")
    hearing_date = fields.Date()
    hearing_attendees = fields.Char(string="Heard by and present")
    hearing_report = fields.Html(string="Summary of the hearing")
    respondent_hearing = fields.Selection(
        RESPONDENT_HEARING,
        string="The respondent",
        help="Awb 9:10: the beklaagde too is given the opportunity to be heard.",
    )
    hearing_skip_reason = fields.Selection(
        HEARING_SKIP_REASONS, string="Not heard because"
    )
    not_handled_reason = fields.Selection(
        NOT_HANDLED_REASONS, string="Ground (Awb 9:8)"
    )
    resolution_note = fields.Html(string="Resolution")
    mediation_state = fields.Selection(
        MEDIATION_RESULT_CHOICES, string="Mediation result"
    )
    outcome_ids = fields.Many2many(
        "municipal.complaint.outcome",
        "municipal_complaint_close_wizard_outcome_rel",
        string="Outcomes",
    )
    norm_ids = fields.Many2many(
        "municipal.complaint.norm",
        "municipal_complaint_close_wizard_norm_rel",
        string="Breached norms",
    )

    @api.model
    def default_get(self, fields_list):
        """Start from what the case already holds (a handler may
        have filled the closing page)."""
        values = super().default_get(fields_list)
        complaint = self.env["municipal.complaint"].browse(values.get("complaint_id"))
        if not complaint:
            return values
        # the plain closing fields; relations and the mediation result are set below
        relational = ("mediation_state", "outcome_ids", "norm_ids")
        copied = [name for name in CLOSING_FIELDS if name not in relational]
        for name in copied:
            if name in fields_list and complaint[name]:
                values[name] = complaint[name]
        if "outcome_ids" in fields_list:
            values["outcome_ids"] = [fields.Command.set(complaint.outcome_ids.ids)]
        if "norm_ids" in fields_list:
            values["norm_ids"] = [fields.Command.set(complaint.norm_ids.ids)]
        if (
            "mediation_state" in fields_list
            and complaint.mediation_state in MEDIATION_RESULTS
        ):
            values["mediation_state"] = complaint.mediation_state
        if "hearing" in fields_list and complaint.hearing_skip_reason:
            values["hearing"] = "skipped"
        return values

    @api.depends("not_handled_deadline", "handling")
    @api.depends_context("tz")
    def _compute_not_handled_late(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            wizard.not_handled_late = bool(
                wizard.handling == "not_handled"
                and wizard.not_handled_deadline
                and wizard.not_handled_deadline < today
            )

    @api.depends("respondent_user_id", "user_id", "kind")
    def _compute_respondent_conflict(self):
        for wizard in self:
            respondent = wizard.respondent_user_id
            wizard.respondent_conflict = bool(
                wizard.kind == "complaint"
                and respondent
                and respondent in (wizard.user_id, self.env.user)
            )

    @api.depends("kind", "handling", "partner_id", "partner_email")
    def _compute_letter_delivery(self):
        for wizard in self:
            if (
                wizard.kind != "complaint"
                or wizard.handling not in ("formal", "not_handled")
                or not wizard.partner_id
            ):
                wizard.letter_delivery = "none"
            elif wizard.partner_email:
                wizard.letter_delivery = "email"
            else:
                wizard.letter_delivery = "post"

    def _compute_letter_copy(self):
        for wizard in self:
            wizard.letter_copy = (
                wizard.respondent_user_id.name
                if wizard.handling == "formal" and wizard.kind == "complaint"
                else False
            )

    def _run_letter_step(self, complaint, letter=None):
        return complaint.action_close(self._get_closing_values(), letter=letter)

    def action_close(self):
        self.ensure_one()
        result = self._confirm_letter_step()
        return (
            result
            if isinstance(result, dict)
            else {"type": "ir.actions.act_window_close"}
        )

    def _get_closing_values(self):
        self.ensure_one()
        values = {
            "closed_date": self.closed_date,
            "letter_sent_on_decision_date": self.letter_sent_on_decision_date,
            "outcome_ids": self.outcome_ids.ids,
            "norm_ids": self.norm_ids.ids,
            "resolution_note": self.resolution_note,
        }
        if self.kind == "referral":
            values["mediation_state"] = self.mediation_state
        if self.kind != "complaint":
            return values
        values["handling"] = self.handling
        if self.handling == "formal":
            values.update(
                judgment=self.judgment,
                findings=self.findings,
                conclusions=self.conclusions,
                respondent_hearing=self.respondent_hearing,
            )
            if self.hearing == "skipped":
                values.update(
                    hearing_skip_reason=self.hearing_skip_reason,
                    hearing_date=False,
                    hearing_attendees=False,
                    hearing_report=False,
                )
            else:
                values.update(
                    hearing_skip_reason=False,
                    hearing_date=self.hearing_date,
                    hearing_attendees=self.hearing_attendees,
                    hearing_report=self.hearing_report,
                )
        elif self.handling == "not_handled":
            values["not_handled_reason"] = self.not_handled_reason
        elif self.handling == "informal":
            values.update(
                informal_agreement_date=self.informal_agreement_date,
                informal_agreement_how=self.informal_agreement_how,
            )
        return values
