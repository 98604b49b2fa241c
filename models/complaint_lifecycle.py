"""The one owner of a case's state: the legal record changes only through its steps.

The state of a case -- its stage and closing, first contact, acknowledgment of
receipt, referral and mediation, postponement and the Nationale ombudsman -- is what
the Awb counts (docs/rules.md, "Levensloop van een zaak"). Those fields are read-only
in the model; the only way to change them is one of the transitions below, each
behind its checks:

    register -> contact made -> (refer -> partner answers -> mediation ends)
             -> postpone -> close -> (reopen) ; escalate to the Nationale ombudsman

This file holds the state fields, the only ``create`` and ``write`` overrides of the
case, and the transitions. The concern files (deadlines, referral, closing,
ombudsman, acknowledgment) compute, check and present; they call these transitions
and never write a state field themselves.

A transition writes through :meth:`_write_state`, which marks the write with a
Python object in the context: a JSON-RPC caller controls the whole context but can
only send JSON, never that object. The one other way in is the import of a historic
register (:meth:`_is_history_import`): the context key ``complaint_import_history``,
honoured for a complaint administrator (Beheerder) and for server code running as
superuser (data files), never for anyone else.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_date

from .complaint_closing import CLOSING_FIELDS
from .complaint_ombudsman import OMBUDSMAN_FINDINGS, OMBUDSMAN_INITIATORS
from .complaint_referral import MEDIATION_STATES, PARTNER_RESOLVED

COORDINATOR_GROUP = "municipal_complaint.group_complaint_coordinator"
MANAGER_GROUP = "municipal_complaint.group_complaint_manager"

# The mark of a transition's own write: compared by identity, never sent by a client.
_TRANSITION = object()
TRANSITION_KEY = "municipal_complaint_transition"

# The documented import path of a historic register (docs/rules.md, "Historisch
# register importeren").
HISTORY_IMPORT_KEY = "complaint_import_history"

# Context keys that mean "data, not a new complaint": module data and demo
# (install_mode), the import dialog (import_file), or a caller that says so. They
# only spare the acknowledgment; they open no state.
NO_ACKNOWLEDGMENT_CONTEXT_KEYS = (
    "install_mode",
    "import_file",
    "complaint_no_acknowledgment",
)

# The state of a case: written by the transitions only.
STATE_FIELDS = frozenset(
    {
        "stage_id",
        "closed_date",
        "contact_date",
        "acknowledgment_date",
        "referral_partner_id",
        "referral_date",
        "referral_note",
        "referral_text",
        "referral_share_contact",
        "partner_response",
        "partner_response_date",
        "partner_resolved",
        "mediation_state",
        "mediation_end_date",
        "partner_access_end_date",
        "postponed",
        "postpone_count",
        "postpone_weeks",
        "postpone_reason",
        "extended_deadline",
        "postpone_consent_attachment_id",
        "ombudsman_initiator",
        "ombudsman_date",
        "ombudsman_reference",
        "ombudsman_consent",
        "ombudsman_finding",
        "ombudsman_advice",
        "ombudsman_followup",
        "contact_warning_deadline",
        "legal_warning_deadline",
        "anonymised_date",
        "history_imported",
        "retention_date",
        "promised_deadline",
        "partner_answer_warning_deadline",
        "promised_warning_deadline",
    }
)

# What a closed case was handled under: its figures and letters read these, so they
# stay as they were until the case is reopened -- what it is about and who is
# involved, and what the closing step recorded.
CLOSED_RECORD_FIELDS = (
    frozenset(
        {
            "company_id",
            "category_id",
            "received_date",
            "channel",
            "recognition",
            "partner_id",
            "respondent_user_id",
            "advisory_committee",
            "advisory_committee_date",
            "advisory_committee_note",
        }
    )
    | frozenset(CLOSING_FIELDS)
) - STATE_FIELDS

# Fields only a coordinator sets on an existing case: archiving takes a case out of
# the figures, the receipt date and the advisory committee move the legal term, and
# a story is published.
COORDINATOR_FIELDS = frozenset(
    {
        "active",
        "received_date",
        "advisory_committee",
        "advisory_committee_date",
        "advisory_committee_note",
        "is_story",
        "story_title",
        "story_text",
    }
)


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    # stage and closing
    stage_id = fields.Many2one(
        "municipal.complaint.stage",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage_id(),
    )
    closed_date = fields.Date(
        string="Decided on",
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
        help="The date of the decision that closed the case: the term is judged on "
        "it and the letters carry it.",
    )
    is_closed = fields.Boolean(
        compute="_compute_is_closed",
        store=True,
        string="Closed",
        help="A case is closed when it has a decision date; it then sits in the "
        "closing stage.",
    )

    # first contact and acknowledgment of receipt (Awb 9:6)
    contact_date = fields.Date(
        string="Contacted on",
        readonly=True,
        tracking=True,
        copy=False,
        help="The day the complainant was first contacted.",
    )
    acknowledgment_date = fields.Date(
        readonly=True,
        copy=False,
        tracking=True,
        help="The day the receipt of the complaint was confirmed to the complainant "
        "(Awb 9:6): sent by e-mail or printed as a letter.",
    )

    # referral and mediation
    referral_partner_id = fields.Many2one(
        "res.partner",
        string="Referred to",
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
        domain="[('is_complaint_partner', '=', True), ('is_company', '=', True)]",
        help="The contract partner the case was referred to. "
        "Its portal users see the case.",
    )
    referral_date = fields.Date(readonly=True, tracking=True, copy=False)
    referral_note = fields.Text(
        string="Note to the partner",
        readonly=True,
        copy=False,
        help="What the partner needs to know; visible to the partner in the portal.",
    )
    referral_text = fields.Text(
        string="Complaint text shared with the partner",
        readonly=True,
        copy=False,
        help="The complaint as the partner reads it in the portal, confirmed by the "
        "klachtcoördinator at the referral: by default the complaint without quoted "
        "e-mails and signature. The partner never reads the complaint as received.",
    )
    referral_share_contact = fields.Boolean(
        string="Share the complainant's contact details",
        readonly=True,
        tracking=True,
        copy=False,
        help="Show the complainant's name, e-mail and phone to the partner. By default "
        "the partner sees only the complaint text.",
    )
    partner_response = fields.Text(
        string="Response of the partner", readonly=True, tracking=True, copy=False
    )
    partner_response_date = fields.Date(
        string="Partner responded on", readonly=True, copy=False
    )
    partner_resolved = fields.Selection(
        PARTNER_RESOLVED,
        string="According to the partner",
        readonly=True,
        tracking=True,
        copy=False,
        help="Whether the partner says the complaint was resolved. The "
        "klachtcoördinator confirms this by ending the mediation.",
    )
    mediation_state = fields.Selection(
        MEDIATION_STATES,
        string="Mediation",
        default="none",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    mediation_end_date = fields.Date(
        string="Mediation ended on",
        readonly=True,
        copy=False,
        help="The day the klachtcoördinator ended the mediation; the partner's access "
        "to the case ends from it.",
    )

    # postponement of the legal term (Awb 9:11)
    postponed = fields.Boolean(
        readonly=True,
        tracking=True,
        copy=False,
        help="The legal term was postponed once (Awb 9:11 paragraph 2).",
    )
    postpone_weeks = fields.Integer(
        string="Postponed by (weeks)",
        readonly=True,
        copy=False,
        help="The length of the postponement the coordinator decided (at most 4 "
        "weeks).",
    )
    postpone_count = fields.Integer(
        string="Postponements",
        readonly=True,
        copy=False,
        help="How often the legal term was postponed. Only the first postponement is "
        "the body's own decision; any further one needs the complainant's written "
        "consent.",
    )
    postpone_reason = fields.Text(
        string="Reason for postponement",
        readonly=True,
        copy=False,
        help="Why the term was postponed (the latest postponement); told to the "
        "complainant.",
    )
    extended_deadline = fields.Date(
        string="Agreed new deadline",
        readonly=True,
        copy=False,
        tracking=True,
        help="The date agreed with the complainant, in writing, for a further "
        "postponement (Awb 9:11 paragraph 2). When set, the legal deadline follows it.",
    )
    postpone_consent_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Written consent",
        readonly=True,
        copy=False,
        help="The complainant's written consent to the further postponement.",
    )

    # the Nationale ombudsman
    ombudsman_initiator = fields.Selection(
        OMBUDSMAN_INITIATORS,
        string="Escalated by",
        readonly=True,
        tracking=True,
        copy=False,
    )
    ombudsman_date = fields.Date(
        string="Escalated on",
        readonly=True,
        index="btree_not_null",
        tracking=True,
        copy=False,
        help="The day the Nationale ombudsman received the case: from the "
        "complainant, or submitted by the Dienst.",
    )
    ombudsman_reference = fields.Char(
        readonly=True, copy=False, help="The Nationale ombudsman's file number."
    )
    ombudsman_consent = fields.Boolean(
        string="Complainant consented",
        readonly=True,
        tracking=True,
        copy=False,
        help="The complainant agreed that the Dienst submits the "
        "case to the Nationale ombudsman.",
    )
    ombudsman_finding = fields.Selection(
        OMBUDSMAN_FINDINGS, readonly=True, tracking=True, copy=False
    )
    ombudsman_advice = fields.Text(readonly=True, copy=False)
    ombudsman_followup = fields.Text(
        string="What the Dienst did with the advice", readonly=True, copy=False
    )

    history_imported = fields.Boolean(
        string="From a historic register",
        readonly=True,
        copy=False,
        help="The case came in through the import of a historic register, with its "
        "state: an import may correct it later.",
    )

    # destruction of the personal data after the retention term
    anonymised_date = fields.Date(
        string="Anonymised on",
        readonly=True,
        copy=False,
        index=True,
        help="The day the personal data of the case was destroyed at the end of its "
        "retention term. The statistical facts stay; the case can no longer change.",
    )

    @api.depends("closed_date")
    def _compute_is_closed(self):
        for complaint in self:
            complaint.is_closed = bool(complaint.closed_date)

    @api.model
    def _open_domain(self):
        """The one definition of an open case, as a domain."""
        return Domain("closed_date", "=", False)

    def _default_stage_id(self):
        return self.env["municipal.complaint.stage"].search(
            [("is_closed", "=", False)], limit=1
        )

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        # every stage is a kanban column, and there are a handful of them
        # pylint: disable-next=no-search-all
        return stages.search([])

    @api.constrains("closed_date", "received_date")
    def _check_closed_date(self):
        self._check_day_between_receipt_and_today(
            "closed_date",
            self.env._("A case cannot be decided before it was received."),
            self.env._("The decision date cannot be in the future."),
        )

    @api.constrains("contact_date", "received_date")
    def _check_contact_date(self):
        self._check_day_between_receipt_and_today(
            "contact_date",
            self.env._("The contact date cannot be before the complaint was received."),
            self.env._("The contact date cannot be in the future."),
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

    @api.constrains("ombudsman_date", "received_date")
    def _check_ombudsman_date(self):
        self._check_day_between_receipt_and_today(
            "ombudsman_date",
            self.env._(
                "A case cannot go to the Nationale ombudsman before it was received."
            ),
            self.env._(
                "The date of the escalation to the Nationale "
                "ombudsman cannot be in the future."
            ),
        )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        """Register cases. A new case starts open, in the first stage, without any
        state: contact, referral, closing and the rest are steps taken afterwards.
        Only the import of a historic register brings its state along."""
        importing = self._is_history_import()
        defaults = {}
        if not importing:
            self, defaults = self._checked_context_defaults()  # noqa: PLW0642
        coordinator_defaults = {
            name: value
            for name, value in defaults.items()
            if name in COORDINATOR_FIELDS
        }
        for vals in vals_list:
            self._check_create_values({**coordinator_defaults, **vals}, importing)
        self._check_categories_active(vals_list)
        self._set_initial_stage(vals_list)
        self._assign_references(vals_list)
        if importing:
            for vals in vals_list:
                vals["history_imported"] = True
        complaints = super().create(vals_list)
        complaints._after_registration(importing)
        return complaints

    def write(self, vals):
        self._check_not_anonymised()
        if not self._in_transition():
            self._check_write_values(vals)
        self._check_categories_active([vals])
        respondents = {complaint: complaint.respondent_user_id for complaint in self}
        parties = self._parties_before_write(vals)
        promised = (
            {
                complaint: complaint.legal_deadline
                for complaint in self
                if complaint.kind == "complaint" and complaint.acknowledgment_date
            }
            if "category_id" in vals and not self._in_transition()
            else {}
        )
        importing = self._is_history_import()
        if importing and "closed_date" in vals:
            vals = self._history_stage_values(vals)
        result = super().write(vals)
        if importing and (STATE_FIELDS | CLOSED_RECORD_FIELDS) & set(vals):
            # a correction of the register is kept on the case, tracking or not
            for complaint in self:
                complaint._message_log(
                    body=self.env._(
                        "Register corrected through the import of a historic register "
                        "by %(user)s: %(fields)s.",
                        user=self.env.user.name,
                        fields=self._field_labels(
                            (STATE_FIELDS | CLOSED_RECORD_FIELDS) & set(vals)
                        ),
                    )
                )
        self._after_parties_write(parties)
        if promised:
            self._keep_promised_deadlines(promised)
        if vals.get("closed_date"):
            # a closed case has no deadline left to warn about
            self._close_deadline_activities(feedback=self.env._("Case closed."))
        if "respondent_user_id" in vals and not self._is_history_import():
            self.filtered(
                lambda complaint: (
                    complaint.respondent_user_id
                    and complaint.respondent_user_id != respondents[complaint]
                )
            )._send_respondent_copy()
        return result

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        """In the history import (and only there) the state fields can be mapped:
        the import dialog offers no read-only field."""
        descriptions = super().fields_get(allfields=allfields, attributes=attributes)
        if self._is_history_import(raise_if_refused=False):
            for name in STATE_FIELDS & set(descriptions):
                if "readonly" in descriptions[name]:
                    descriptions[name]["readonly"] = False
        return descriptions

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for vals in vals_list:
            vals.pop("received_date", None)
        return vals_list

    # ------------------------------------------------------------------ transitions
    def action_contact_made(self, contact_date=None):
        """Contact made (button "Contact opgenomen"): the complainant was contacted on
        ``contact_date`` (today by default). A case in the first stage moves on; the
        contact warning ends. Correcting a recorded date is a coordinator's step."""
        day = fields.Date.to_date(contact_date) or fields.Date.context_today(self)
        for complaint in self:
            complaint._check_open()
            if complaint.contact_date and complaint.contact_date != day:
                complaint._check_coordinator(
                    self.env._(
                        "correct the contact date of %(reference)s",
                        reference=complaint.display_name,
                    )
                )
        self._write_state({"contact_date": day})
        first = self._default_stage_id()
        contacted = self.env.ref(
            "municipal_complaint.stage_contacted", raise_if_not_found=False
        )
        if contacted and first:
            self.filtered(lambda c: c.stage_id == first)._write_state(
                {"stage_id": contacted.id}
            )
        self._close_deadline_activities(
            kinds=("contact",), feedback=self.env._("Contact made.")
        )
        return True

    def _mark_acknowledged(self):
        """The acknowledgment of receipt (Awb 9:6) went out today, by e-mail or on
        paper; a first acknowledgment is never overwritten."""
        self.filtered(lambda c: not c.acknowledgment_date)._write_state(
            {"acknowledgment_date": fields.Date.context_today(self)}
        )

    def action_refer(
        self,
        partner,
        note=False,
        share_contact=False,
        about_partner=True,
        shared_text=None,
        letter=None,
        portal_contacts=None,
    ):
        """Refer the cases to the contract partner ``partner`` (a ``res.partner``
        record or id): they move to the referral stage with the mediation ongoing,
        and the partner's people are told and given portal access.

        :param str note: the note to the partner, shown in the portal;
        :param bool share_contact: show the complainant's contact details to the
            partner (only for a case with a complainant);
        :param bool about_partner: the complaint is about the partner, not about the
            Dienst: its category becomes the referral category (Doorverwijzing); the
            legal deadline told to the complainant stays as the promised deadline;
        :param str shared_text: the complaint text the partner reads, as the
            coordinator confirmed it (one case at a time); by default each case's
            complaint without quoted e-mails and signature;
        :param dict letter: the notice to the complainant as previewed and edited
            (``subject`` and ``body``); by default the template's text;
        :param portal_contacts: the partner's contacts (records or ids) the
            coordinator confirmed for a portal account (the referral step asks);
            by default all of its complaint contacts.

        The complainant is told where the complaint went and when they hear back;
        returns the letter to print when they have no e-mail address, else ``True``.
        """
        self._check_coordinator(self.env._("refer a case to a contract partner"))
        self._check_not_respondent()
        if isinstance(partner, int):
            partner = self.env["res.partner"].browse(partner)
        partner = partner.exists()
        if not partner or not partner.is_complaint_partner or not partner.is_company:
            raise UserError(
                self.env._(
                    "A case can only be referred to a contract partner organisation."
                )
            )
        self._check_open()
        if shared_text is not None and len(self) > 1:
            raise UserError(
                self.env._("Confirm the text shared with the partner case by case.")
            )
        values = {
            "referral_partner_id": partner.id,
            "referral_date": fields.Date.context_today(self),
            "referral_note": note or False,
            "mediation_state": "ongoing",
            "mediation_end_date": False,
            "partner_response": False,
            "partner_response_date": False,
            "partner_resolved": False,
        }
        stage = self.env.ref(
            "municipal_complaint.stage_referred", raise_if_not_found=False
        )
        if stage:
            values["stage_id"] = stage.id
        if about_partner:
            category = self._get_referral_category()
            if category:
                values["category_id"] = category.id
        for complaint in self:
            text = (
                shared_text
                if shared_text is not None
                else complaint._default_referral_text()
            )
            complaint._write_state(
                dict(
                    values,
                    referral_share_contact=bool(share_contact and complaint.partner_id),
                    referral_text=(text or "").strip() or False,
                    **complaint._referral_promise_values(about_partner),
                )
            )
        self._after_referral(partner, portal_contacts)
        return self._notify_complainant_of_referral(letter=letter)

    def _portal_record_partner_response(self, response, resolved):
        """The contract partner records its response and whether the complaint was
        resolved (the portal's form). Called by the portal on the sudo-ed case after
        the controller checked that the current user may read it; this checks that
        the user speaks for the partner and that the mediation still runs."""
        self.ensure_one()
        user = self.env.user
        if not self._is_referral_partner_side(user.partner_id):
            raise AccessError(
                self.env._(
                    "Only the organisation the case was referred to can respond."
                )
            )
        response = (response or "").strip()
        if not response:
            raise UserError(self.env._("Please write your response."))
        if resolved not in dict(PARTNER_RESOLVED):
            raise UserError(
                self.env._("Please say whether the complaint was resolved.")
            )
        if self.mediation_state != "ongoing":
            raise UserError(
                self.env._(
                    "The mediation of this case has ended; send a message instead."
                )
            )
        self.sudo()._write_state(
            {
                "partner_response": response,
                "partner_resolved": resolved,
                "partner_response_date": fields.Date.context_today(self),
            }
        )
        self._after_partner_response(response, resolved)
        return True

    def action_mediation_succeeded(self):
        return self._set_mediation_result("succeeded")

    def action_mediation_failed(self):
        return self._set_mediation_result("failed")

    def _set_mediation_result(self, state):
        self._check_coordinator(self.env._("end a mediation"))
        self._check_not_respondent()
        for complaint in self:
            if complaint.mediation_state != "ongoing":
                raise UserError(
                    self.env._(
                        "%(reference)s has no ongoing mediation.",
                        reference=complaint.name,
                    )
                )
        self._write_state(
            {
                "mediation_state": state,
                "mediation_end_date": fields.Date.context_today(self),
            }
        )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_postpone(
        self,
        reason,
        weeks=None,
        new_date=None,
        consent_name=None,
        consent_data=None,
        letter=None,
    ):
        """Postpone the legal term (Awb 9:11 paragraph 2).

        The first postponement is the coordinator's decision: by ``weeks`` (at most
        4; default the company's proposal), with a reason. A further one needs the
        complainant's written consent -- the file uploaded now (``consent_name`` and
        ``consent_data``, base64), stored on this case -- and the agreed
        ``new_date``. Both only while the current term runs. The reason goes on the
        chatter, notifying the beklaagde, and a notice to the complainant: by e-mail,
        or, without an e-mail address, as a letter to print (the returned action);
        ``letter`` is that notice as previewed and edited (``subject`` and ``body``).
        """
        self.ensure_one()
        self._check_coordinator(self.env._("postpone the legal term"))
        self._check_not_respondent()
        new_date = fields.Date.to_date(new_date) if new_date else None
        further = bool(self._postpone_number())
        weeks = self._check_postpone_input(
            reason, weeks, new_date, consent_name, consent_data
        )
        reason = reason.strip()
        previous = self.legal_deadline
        if not further:
            self._write_state(
                {
                    "postponed": True,
                    "postpone_count": 1,
                    "postpone_weeks": weeks,
                    "postpone_reason": reason,
                }
            )
            consent = self.env["ir.attachment"]
        else:
            consent = self._store_consent(consent_name, consent_data)
            self._write_state(
                {
                    "postpone_count": self._postpone_number() + 1,
                    "postpone_reason": reason,
                    "extended_deadline": new_date,
                    "postpone_consent_attachment_id": consent.id,
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
            attachment_ids=consent.ids,
        )
        # the warning for the old date no longer applies; the cron warns again for the
        # new one
        self._close_deadline_activities(
            kinds=("legal",), feedback=self.env._("Legal term postponed.")
        )
        return self._send_complainant_notice(
            "municipal_complaint.mail_template_postponement",
            "municipal_complaint.action_report_postponement",
            letter=letter,
        )

    def action_close(self, values, letter=None):
        """Close the case with ``values``, the closing step's answers: handling,
        judgment, findings, conclusions, the hearing or the reason it was skipped,
        the Awb 9:8 ground, the resolution and the complainant's agreement (Awb
        9:5), mediation result, outcomes and breached norms (ids), and
        ``closed_date``: the date of the decision (default today, between receipt and
        today). Every missing requirement is reported at once and nothing changes. On
        success the case is closed on that date in the closing stage, its letter is
        sent (or attached for printing) and the beklaagde gets a copy (Awb 9:9);
        ``letter`` is the e-mail carrying it as previewed and edited (``subject`` and
        ``body``).

        Returns the print action of the letter when it must go by post, else
        ``True``.
        """
        self.ensure_one()
        self._check_coordinator(self.env._("close a case"))
        self._check_open()
        values = dict(values)
        decided = fields.Date.to_date(values.pop("closed_date", None))
        decided = decided or fields.Date.context_today(self)
        sent_before = bool(values.pop("letter_sent_on_decision_date", False))
        vals = self._prepare_closing_values(values)
        self._check_closing_requirements(vals)
        self._check_decision_date(decided, vals, sent_before)
        vals.update({"stage_id": self._get_closed_stage().id, "closed_date": decided})
        if not self.user_id:
            vals["user_id"] = self.env.user.id
        self._write_state(vals)
        self._close_offer_activities()
        if sent_before:
            return self._file_closing_letter_sent_before() or True
        return self._send_closing_letter(letter=letter) or True

    def action_offer_for_closing(self, note=None):
        """Offer the case to the coordinators for closing (button "Ter afhandeling
        aanbieden"): a Medewerker who may work on the case says it is ready; each
        coordinator of its company gets an activity, which closing marks done. Closing
        itself stays the coordinator's step."""
        for complaint in self:
            complaint._check_open()
            complaint.check_access("write")
            if complaint._get_offer_activities():
                raise UserError(
                    self.env._(
                        "%(reference)s was already offered for closing.",
                        reference=complaint.display_name,
                    )
                )
        self._schedule_offer_activities(note)
        return True

    def action_reopen(self, reason):
        """Reopen a closed case; the coordinator's reason goes on the chatter."""
        self._check_coordinator(self.env._("reopen a case"))
        self._check_not_respondent()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for reopening the case."))
        stage = self._get_reopen_stage()
        for complaint in self:
            if not complaint.is_closed:
                raise UserError(
                    self.env._(
                        "Case %(reference)s is not closed.", reference=complaint.name
                    )
                )
            complaint._write_state({"stage_id": stage.id, "closed_date": False})
            complaint.message_post(
                body=self.env._("Case reopened: %(reason)s", reason=reason.strip()),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_record_ombudsman(self, values):
        """Record the escalation to the Nationale ombudsman and, later, its finding
        (the ombudsman step's answers: initiator, date, reference, consent, finding,
        advice, follow-up)."""
        self.ensure_one()
        self._check_coordinator(self.env._("record an escalation"))
        self._check_not_respondent()
        vals = self._check_ombudsman_values(values)
        was_outside = self.ombudsman_outside_window
        self._write_state(vals)
        if self.ombudsman_outside_window and not was_outside:
            self._log_ombudsman_outside_window()
        return True

    def _anonymise(self):
        """Destroy the personal data of closed cases at the end of their retention
        term (Selectielijst gemeenten, "Geschillen behandelen"; docs/rules.md,
        "Privacy and retention"), as an approved destruction list does.

        What identifies the complainant, the beklaagde and the correspondence goes:
        the texts are blanked (``_get_anonymised_values``) and the messages, tracking
        values, activities, followers, attachments and mails are removed
        (``_remove_personal_records``). What the figures count stays: kind,
        category, channel, dates, deadlines, handling, judgment, outcomes and term,
        so no year's figures change. The case is marked anonymised, not archived
        (archived cases are left out of the figures), and refuses every change
        afterwards. A contact whose only use was an anonymised case is archived and
        blanked.
        """
        self._check_coordinator(self.env._("destroy the personal data of a case"))
        self.check_access("write")
        for complaint in self:
            if not complaint.is_closed:
                raise UserError(
                    self.env._(
                        "%(reference)s is still open: only a closed case is "
                        "anonymised.",
                        reference=complaint.name,
                    )
                )
        contacts = self.sudo().with_context(active_test=False).partner_id
        today = fields.Date.context_today(self)
        cases = self.sudo().with_context(
            tracking_disable=True, mail_notrack=True, mail_create_nolog=True
        )
        for complaint in cases:
            complaint._write_state(
                dict(complaint._get_anonymised_values(), anonymised_date=today)
            )
        cases._remove_personal_records()
        contacts._forget_complainant_contacts()
        return True

    # ------------------------------------------------------------------ checks
    def _check_coordinator(self, step=None):
        """The one check of a coordinator's step: the user is a complaint
        coordinator (server code running as superuser may take it too)."""
        if self.env.su or self.env.user.has_group(COORDINATOR_GROUP):
            return
        raise AccessError(
            self.env._(
                "Only a complaint coordinator can %(step)s.",
                step=step or self.env._("take this step"),
            )
        )

    def _check_not_anonymised(self):
        """An anonymised case is what is left of it after its retention term: it
        changes no more, whoever asks (anonymising it again included)."""
        anonymised = self.filtered("anonymised_date")
        if anonymised:
            raise UserError(
                self.env._(
                    "%(reference)s was anonymised on %(date)s after its retention "
                    "term and can no longer be changed.",
                    reference=anonymised[0].name,
                    date=format_date(self.env, anonymised[0].anonymised_date),
                )
            )

    def _check_kind_change(self, category_id):
        """A new category of another kind changes how a case is handled and counted
        (docs/rules.md, "Levensloop"): it is a coordinator's decision; a referral is
        made with the referral step (it tells the complainant); and a complaint whose
        legal term has passed stays a complaint, counted as late."""
        new_kind = self.env["municipal.complaint.category"].browse(category_id).kind
        changing = self.filtered(lambda complaint: complaint.kind != new_kind)
        if not changing:
            return
        self._check_coordinator(self.env._("change the kind of a case"))
        if new_kind == "referral":
            raise UserError(
                self.env._(
                    "Refer a case to a contract partner with the Refer button: the "
                    "complainant is told where the complaint went."
                )
            )
        today = fields.Date.context_today(self)
        for complaint in changing:
            if (
                complaint.kind == "complaint"
                and complaint.legal_deadline
                and complaint.legal_deadline < today
            ):
                raise UserError(
                    self.env._(
                        "The legal term of %(reference)s ended on %(date)s: it stays "
                        "a complaint, counted as handled late.",
                        reference=complaint.name,
                        date=format_date(self.env, complaint.legal_deadline),
                    )
                )

    def _check_term_inputs_open(self, names):
        """What the legal term counts from (the receipt) and how long it is (an
        advisory committee) no longer change once the term has ended: that would
        make a late case open again. The receipt also stays once the complainant
        was told the dates it gives (the acknowledgment)."""
        today = fields.Date.context_today(self)
        for complaint in self:
            if complaint.legal_deadline and complaint.legal_deadline < today:
                raise UserError(
                    self.env._(
                        "The legal term of %(reference)s ended on %(date)s: its "
                        "receipt date and its advisory committee no longer change.",
                        reference=complaint.name,
                        date=format_date(self.env, complaint.legal_deadline),
                    )
                )
            if "received_date" in names and complaint.acknowledgment_date:
                raise UserError(
                    self.env._(
                        "The complainant of %(reference)s was told the dates that "
                        "follow from its receipt date: it no longer changes.",
                        reference=complaint.name,
                    )
                )

    def _keep_promised_deadlines(self, promised):
        """A complaint that becomes another kind after its acknowledgment told the
        complainant a date keeps that date as its promised deadline (``promised``:
        {case: the legal deadline it had})."""
        for complaint, deadline in promised.items():
            if (
                deadline
                and complaint.kind != "complaint"
                and not complaint.promised_deadline
            ):
                complaint._write_state({"promised_deadline": deadline})

    def _check_not_respondent(self):
        """Awb 9:7: nobody takes a step on a complaint about themselves."""
        for complaint in self:
            if complaint.respondent_user_id and complaint.respondent_user_id == (
                self.env.user
            ):
                raise UserError(
                    self.env._(
                        "You are the respondent (beklaagde) of %(reference)s: another "
                        "coordinator takes this step (Awb 9:7).",
                        reference=complaint.name,
                    )
                )

    def _check_open(self):
        for complaint in self:
            if complaint.is_closed:
                raise UserError(
                    self.env._(
                        "%(reference)s is already closed: reopen it first.",
                        reference=complaint.display_name,
                    )
                )

    def _check_decision_date(self, day, vals=None, sent_before=False):
        """The decision that closes the case lies between receipt and today, and
        not before what it rests on: the hearing it reports on (Awb 9:10), the
        complainant's agreement that ends the informal route (Awb 9:5).

        A formal conclusion or a notice of not handling is the letter itself (Awb
        9:8, 9:12): the complaint is handled the day the complainant is told. A
        letter sent now is dated today; an earlier decision date is for a letter
        that went out on that day (``sent_before``), which the step then files
        instead of sending it again."""
        self.ensure_one()
        vals = vals or {}
        today = fields.Date.context_today(self)
        if day < self.received_date or day > today:
            raise UserError(
                self.env._(
                    "The decision date of %(reference)s must lie between the day "
                    "the complaint was received (%(received)s) and today.",
                    reference=self.name,
                    received=format_date(self.env, self.received_date),
                )
            )
        hearing = fields.Date.to_date(self._closing_value(vals, "hearing_date"))
        if hearing and day < hearing:
            raise UserError(
                self.env._("The decision cannot come before the hearing it rests on.")
            )
        agreed = self._closing_value(vals, "informal_agreement_date")
        if agreed and day < fields.Date.to_date(agreed):
            raise UserError(
                self.env._(
                    "The case is decided when the complainant agreed it was resolved, "
                    "not before."
                )
            )
        handling = self._closing_value(vals, "handling")
        sends_letter = (
            self.kind == "complaint"
            and handling in ("formal", "not_handled")
            and self.partner_id
        )
        if sends_letter and day < today and not sent_before:
            raise UserError(
                self.env._(
                    "A conclusion sent now is dated today: the complaint is handled "
                    "the day the complainant is told (Awb 9:12). Give an earlier "
                    "date only for a letter that went out on that day."
                )
            )
        if sent_before and (not sends_letter or day >= today):
            raise UserError(
                self.env._(
                    "Only a conclusion or a notice of not handling that went out on "
                    "an earlier day is filed instead of sent."
                )
            )
        if day < self.received_date or day > today:
            raise UserError(
                self.env._(
                    "The decision date of %(reference)s must lie between the day "
                    "the complaint was received (%(received)s) and today.",
                    reference=self.name,
                    received=format_date(self.env, self.received_date),
                )
            )

    def _check_stage_move(self, stage_id):
        """A drag on the kanban or a click on the stage bar moves a case between
        stages only as its facts allow: closing, reopening and referring are steps of
        their own, and a case leaves the first stage once the complainant was
        contacted."""
        stage = self.env["municipal.complaint.stage"].browse(stage_id)
        referred = self.env.ref(
            "municipal_complaint.stage_referred", raise_if_not_found=False
        )
        first = self._default_stage_id()
        for complaint in self:
            if stage == complaint.stage_id:
                continue
            if stage.is_closed:
                raise UserError(self._close_with_the_button_message())
            if complaint.is_closed:
                raise UserError(
                    self.env._(
                        "Reopen a closed case with the Reopen button, giving the "
                        "reason."
                    )
                )
            if stage == referred or complaint.mediation_state == "ongoing":
                raise UserError(
                    self.env._(
                        "A case enters and leaves the stage %(stage)s through the "
                        "referral and the end of the mediation.",
                        stage=(referred or stage).display_name,
                    )
                )
            if stage != first and not complaint.contact_date:
                raise UserError(
                    self.env._(
                        "%(reference)s moves on once the complainant was contacted: "
                        "record the contact first (Contact made).",
                        reference=complaint.display_name,
                    )
                )

    def _close_with_the_button_message(self):
        return self.env._(
            "Close a case with the Close button: it checks what the Awb "
            "requires and sends the letter."
        )

    def _check_create_values(self, vals, importing):
        """What a new case may bring: nothing the case computes itself (an imported
        register may bring its own reference), no state (unless imported) and, from
        a Medewerker, no coordinator's field."""
        self._check_complainant_choice(
            vals.get("partner_id", self.env.context.get("default_partner_id"))
        )
        self._check_source_message(vals)
        derived = {
            name
            for name in self._derived_fields() & set(vals)
            if not (name == "name" and (importing or vals[name] == self.env._("New")))
        }
        if derived:
            raise UserError(self._derived_fields_message(derived))
        if importing:
            return
        state = {
            name
            for name in STATE_FIELDS & set(vals)
            if not self._is_default_state_value(name, vals[name])
        }
        if state:
            raise UserError(self._state_fields_message(state))
        coordinator_only = (COORDINATOR_FIELDS - {"received_date", "active"}) & {
            name for name, value in vals.items() if value
        }
        if coordinator_only or vals.get("active") is False:
            self._check_coordinator(self.env._("set these fields of a case"))

    def _check_write_values(self, vals):
        """The one guard of the legal record on a plain write (form, import, JSON-RPC):
        state only through a transition, a closed case's record as it was closed,
        and the coordinator's fields by a coordinator."""
        names = set(vals)
        if "partner_id" in names:
            self._check_complainant_choice(vals["partner_id"])
        self._check_source_message(vals)
        importing = self._is_history_import()
        derived = self._derived_fields() & names
        if derived:
            self.check_access("write")
            raise UserError(self._derived_fields_message(derived))
        state = STATE_FIELDS & names
        if state and not importing:
            # who may not write the case at all hears that first
            self.check_access("write")
            if state == {"stage_id"}:
                self._check_stage_move(vals["stage_id"])
            else:
                raise UserError(self._state_fields_message(state))
        if importing:
            return
        frozen = CLOSED_RECORD_FIELDS & names
        if frozen and any(complaint.is_closed for complaint in self):
            changed = {
                name
                for name in frozen
                for complaint in self.filtered("is_closed")
                if complaint._differs(name, vals[name])
            }
            if changed:
                raise UserError(
                    self.env._(
                        "A closed case keeps what it was handled under (%(fields)s): "
                        "reopen it first, giving the reason.",
                        fields=self._field_labels(changed),
                    )
                )
        if COORDINATOR_FIELDS & names:
            self._check_coordinator(
                self.env._(
                    "change %(fields)s",
                    fields=self._field_labels(COORDINATOR_FIELDS & names),
                )
            )
        if "category_id" in vals:
            self._check_kind_change(vals["category_id"])
        if {"received_date", "advisory_committee"} & names:
            self._check_term_inputs_open(names)
        if vals.get("active") is False and any(c.is_closed for c in self):
            raise UserError(
                self.env._(
                    "A closed case is counted in the figures of its year: reopen it "
                    "first, giving the reason, when it was registered by mistake."
                )
            )

    @api.model
    def _derived_fields(self):
        """The stored fields the case computes from its record (deadlines, term
        outcome, kind, year, closed, reference): nobody writes them, not even the
        import of a historic register, which brings the facts they follow from."""
        return frozenset(
            name
            for name, field in self._fields.items()
            if field.store
            and (field.compute or field.related)
            and not field.inverse
            and not (field.related and not field.readonly)
        ) | {"name"}

    def _derived_fields_message(self, names):
        return self.env._(
            "%(fields)s of a case follow from its record and cannot be written.",
            fields=self._field_labels(names),
        )

    def _state_fields_message(self, names):
        return self.env._(
            "%(fields)s of a case change only through its steps (contact made, "
            "refer, postpone, close, reopen, Nationale ombudsman), which check what "
            "the Awb requires.",
            fields=self._field_labels(names),
        )

    def _field_labels(self, names):
        descriptions = self.fields_get(sorted(names), ["string"])
        return ", ".join(
            sorted(descriptions.get(name, {}).get("string", name) for name in names)
        )

    def _differs(self, name, value):
        """Whether writing ``value`` would change field ``name`` of this case."""
        self.ensure_one()
        field = self._fields[name]
        new = field.convert_to_cache(value, self)
        new = field.convert_to_record(new, self)
        if field.type in ("many2one", "many2many", "one2many"):
            return set(new.ids) != set(self[name].ids)
        if field.type == "html":
            return (new or "") != (self[name] or "")
        return new != self[name]

    @api.model
    def _is_default_state_value(self, name, value):
        """A state value a new case has anyway (the form sends some defaults)."""
        if name == "stage_id":
            return not value or value == self._default_stage_id().id
        if name == "mediation_state":
            return value in (False, "none")
        return not value

    # ------------------------------------------------------------------ plumbing
    def _write_state(self, vals):
        """The transitions' write: the only write that may change the state."""
        return self.with_context(**{TRANSITION_KEY: _TRANSITION}).write(vals)

    def _in_transition(self):
        return self.env.context.get(TRANSITION_KEY) is _TRANSITION

    def _is_history_import(self, raise_if_refused=True):
        """The import of a historic register: asked for in the context, honoured for
        a complaint administrator and for server code running as superuser only. An
        administrator's import changes only cases that came in through an import:
        a live case's record is changed by its steps."""
        if not self.env.context.get(HISTORY_IMPORT_KEY):
            return False
        if self.env.su:
            return True
        if self.env.user.has_group(MANAGER_GROUP):
            live = self.filtered(lambda complaint: not complaint.history_imported)
            if not live:
                return True
            if raise_if_refused:
                raise AccessError(
                    self.env._(
                        "%(reference)s was registered here, not imported: its record "
                        "changes through its steps only.",
                        reference=live[0].name,
                    )
                )
            return False
        if not raise_if_refused:
            return False
        raise AccessError(
            self.env._("Only a complaint administrator can import a historic register.")
        )

    def _checked_context_defaults(self):
        """Context defaults (``default_closed_date`` and the like) fill no state of a
        new case: a client controls the whole context. A default stage (the kanban's
        column) is dropped, a new case starts in the first one; any other state
        default is refused, and a coordinator's field is checked as a value."""
        prefix = "default_"
        defaults = {
            key[len(prefix) :]: value
            for key, value in self.env.context.items()
            if key.startswith(prefix)
        }
        state = STATE_FIELDS & set(defaults)
        if not state:
            return self, defaults
        stage = self.env["municipal.complaint.stage"].browse(
            defaults.get("stage_id") or []
        )
        if stage.exists() and stage.is_closed:
            raise UserError(self._close_with_the_button_message())
        refused = {
            name
            for name in state - {"stage_id"}
            if not self._is_default_state_value(name, defaults[name])
        }
        if refused:
            raise UserError(self._state_fields_message(refused))
        # a new case's state is empty: its defaults are too
        return self.with_context(
            **dict.fromkeys(map(prefix.__add__, state), False)
        ), defaults

    @api.model
    def _set_initial_stage(self, vals_list):
        """A new case starts in the first stage; an imported closed case sits in the
        closing stage, and an imported case cannot sit there without a decision
        date."""
        Stage = self.env["municipal.complaint.stage"]
        default_stage = None
        for vals in vals_list:
            if vals.get("closed_date"):
                stage = Stage.browse(vals.get("stage_id"))
                if not stage.is_closed:
                    vals["stage_id"] = self._get_closed_stage().id
                continue
            if vals.get("stage_id"):
                if Stage.browse(vals["stage_id"]).is_closed:
                    raise UserError(self._close_with_the_button_message())
                continue
            if default_stage is None:
                default_stage = self._default_stage_id()
            vals["stage_id"] = default_stage.id

    def _history_stage_values(self, vals):
        """An import correcting the register's decision date moves the stage along."""
        vals = dict(vals)
        if vals["closed_date"] and "stage_id" not in vals:
            vals["stage_id"] = self._get_closed_stage().id
        elif not vals["closed_date"] and "stage_id" not in vals:
            vals["stage_id"] = self._get_reopen_stage().id
        return vals

    def _after_registration(self, importing):
        """What registering a case sets in motion: the acknowledgment of receipt
        (Awb 9:6) and the copy to the beklaagde (Awb 9:9). Neither for an imported
        register or module data; a caller may spare the acknowledgment only."""
        if importing or self.env.context.get("install_mode"):
            return
        if not any(self.env.context.get(key) for key in NO_ACKNOWLEDGMENT_CONTEXT_KEYS):
            self._send_automatic_acknowledgments()
        self.filtered("respondent_user_id")._send_respondent_copy()
