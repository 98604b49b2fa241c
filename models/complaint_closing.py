from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import format_date, is_html_empty

from .complaint import CHANNEL_GROUPS

HANDLINGS = [
    ("informal", "Informal (Awb 9:5)"),
    ("formal", "Formal (Awb 9:12)"),
    ("not_handled", "Not handled (Awb 9:8)"),
]

JUDGMENTS = [
    ("founded", "Founded"),
    ("partly_founded", "Partly founded"),
    ("unfounded", "Unfounded"),
    ("no_judgment", "No judgment"),
]

# Awb 9:10 paragraph 2: when the complainant need not be heard.
HEARING_SKIP_REASONS = [
    ("unfounded", "The complaint is clearly unfounded (Awb 9:10 2a)"),
    ("waived", "The complainant does not wish to be heard (Awb 9:10 2b)"),
    ("no_response", "The complainant did not ask to be heard in time (Awb 9:10 2c)"),
]

# Awb 9:10 paragraph 1: the beklaagde too is given the opportunity to be heard.
RESPONDENT_HEARING = [
    ("heard", "The respondent was heard"),
    ("declined", "The respondent declined to be heard"),
]

# Awb 9:8: the grounds on which a complaint need not be handled.
NOT_HANDLED_REASONS = [
    ("already_handled", "Already handled as a complaint (Awb 9:8 1a)"),
    ("over_a_year", "Conduct more than a year before the complaint (Awb 9:8 1b)"),
    ("objection_appeal", "Objection or appeal is or was possible (Awb 9:8 1c-d)"),
    ("court", "Before a court, or judged by one (Awb 9:8 1e)"),
    ("criminal_investigation", "Subject of a criminal investigation (Awb 9:8 1f)"),
    ("trivial", "Interest or conduct clearly too slight (Awb 9:8 2)"),
]

# Mediation results a referral case can close with.
MEDIATION_RESULTS = ("succeeded", "failed")

# What the closing step may write (the wizard's answers).
CLOSING_FIELDS = (
    "handling",
    "judgment",
    "findings",
    "conclusions",
    "hearing_date",
    "hearing_attendees",
    "hearing_report",
    "hearing_skip_reason",
    "respondent_hearing",
    "not_handled_reason",
    "resolution_note",
    "informal_agreement_date",
    "informal_agreement_how",
    "mediation_state",
    "outcome_ids",
    "norm_ids",
)

# Awb 9:5: how the complainant said the complaint was resolved.
AGREEMENT_CHANNELS = [
    ("phone", "By phone"),
    ("in_person", "In person"),
    ("email", "By e-mail"),
    ("letter", "By letter"),
]


class MunicipalComplaint(models.Model):
    """How a case was handled and what it led to, and the closing step itself.

    The constraints here hold for every entry path (form, RPC, import of a
    historic register); the richer requirements of the closing step (hearing,
    findings, outcomes, letters, Awb 9:7) are checked by :meth:`action_close`,
    which the closing wizard calls.
    """

    _inherit = "municipal.complaint"

    handling = fields.Selection(HANDLINGS, tracking=True, copy=False)
    judgment = fields.Selection(JUDGMENTS, tracking=True, copy=False)
    outcome_ids = fields.Many2many(
        "municipal.complaint.outcome",
        string="Outcomes",
        copy=False,
    )
    norm_ids = fields.Many2many(
        "municipal.complaint.norm",
        string="Breached norms",
        copy=False,
        help="The norms of proper conduct (Nationale "
        "ombudsman) the case shows were not met.",
    )
    resolution_note = fields.Html(
        string="Resolution",
        copy=False,
        help="How the case was resolved; for an informal handling, how it was resolved "
        "to the complainant's satisfaction (Awb 9:5); for a "
        "policy case, the explanation given.",
    )

    # formal handling (Awb 9:10, 9:12)
    findings = fields.Html(
        copy=False, help="What the investigation of the complaint found (bevindingen)."
    )
    conclusions = fields.Html(
        copy=False,
        help="The conclusions drawn from the findings and what "
        "the Dienst will do about them.",
    )
    hearing_date = fields.Date(string="Hearing date", copy=False, tracking=True)
    hearing_attendees = fields.Char(
        string="Heard by and present",
        copy=False,
        help="Who took part in the hoorgesprek (Awb 9:10): "
        "complainant, beklaagde, hearer.",
    )
    hearing_report = fields.Html(
        string="Hearing report", copy=False, help="Summary of the hoorgesprek."
    )
    respondent_hearing = fields.Selection(
        RESPONDENT_HEARING,
        string="The respondent",
        copy=False,
        tracking=True,
        help="Awb 9:10: the beklaagde too is given the opportunity to be heard.",
    )
    hearing_skip_reason = fields.Selection(
        HEARING_SKIP_REASONS,
        string="Not heard because",
        copy=False,
        tracking=True,
        help="Awb 9:10: the complainant is heard unless one of these grounds applies.",
    )

    # not handled (Awb 9:8)
    not_handled_reason = fields.Selection(
        NOT_HANDLED_REASONS,
        string="Ground for not handling",
        copy=False,
        tracking=True,
    )

    # Awb 9:5: the informal route ends when the complainant agrees it was resolved
    informal_agreement_date = fields.Date(
        string="Complainant agreed on",
        copy=False,
        tracking=True,
        help="Awb 9:5: the day the complainant said the complaint was resolved to "
        "their satisfaction.",
    )
    informal_agreement_how = fields.Selection(
        AGREEMENT_CHANNELS,
        string="Agreed by",
        copy=False,
        help="How the complainant said so.",
    )

    # Awb 9:14: an advisory committee hears the complaint (ten weeks instead of six)
    advisory_committee = fields.Boolean(
        string="Advisory committee",
        copy=False,
        tracking=True,
        help="An advisory committee (Awb 9:14) hears the complaint: the legal term is "
        "ten weeks instead of six.",
    )
    advisory_committee_date = fields.Date(
        string="Advice of the committee",
        copy=False,
        tracking=True,
        help="The day the advisory committee gave its advice.",
    )
    advisory_committee_note = fields.Text(string="About the committee", copy=False)

    @api.constrains("handling", "judgment", "resolution_note")
    def _check_handling(self):
        for complaint in self:
            if complaint.handling == "formal" and not complaint.judgment:
                raise ValidationError(
                    self.env._(
                        "A formally handled complaint needs a judgment (Awb 9:12)."
                    )
                )
            if complaint.handling == "informal" and is_html_empty(
                complaint.resolution_note
            ):
                raise ValidationError(
                    self.env._(
                        "An informally handled complaint needs a note on "
                        "how it was resolved (Awb 9:5)."
                    )
                )

    @api.constrains("hearing_date", "received_date")
    def _check_hearing_date(self):
        self._check_day_between_receipt_and_today(
            "hearing_date",
            self.env._(
                "The hearing cannot have taken place before the complaint was received."
            ),
            self.env._("The hearing date cannot be in the future."),
        )

    @api.constrains("user_id", "respondent_user_id")
    def _check_handler_is_not_respondent(self):
        """Awb 9:7: the complaint is not handled by the person it is about."""
        for complaint in self:
            if (
                complaint.respondent_user_id
                and complaint.respondent_user_id == complaint.user_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(person)s is the respondent (beklaagde) of %(reference)s "
                        "and cannot handle it (Awb 9:7). Assign another handler.",
                        person=complaint.respondent_user_id.name,
                        reference=complaint.name,
                    )
                )

    @api.constrains("informal_agreement_date", "received_date")
    def _check_informal_agreement_date(self):
        self._check_day_between_receipt_and_today(
            "informal_agreement_date",
            self.env._(
                "The complainant cannot have agreed before the complaint was received."
            ),
            self.env._(
                "The date of the complainant's agreement cannot be in the future."
            ),
        )

    # ------------------------------------------------------------------ closing
    def action_open_close_wizard(self):
        self.ensure_one()
        return self._get_step_wizard_action(
            "municipal.complaint.close.wizard",
            self.env._("Close %(reference)s", reference=self.name),
        )

    def action_open_reopen_wizard(self):
        self.ensure_one()
        return self._get_step_wizard_action(
            "municipal.complaint.reopen.wizard",
            self.env._("Reopen %(reference)s", reference=self.name),
        )

    def action_print_closing_letter(self):
        self.ensure_one()
        report = self._get_closing_letter_report()
        if not report:
            raise UserError(self.env._("This handling does not produce a letter."))
        return report.report_action(self, config=False)

    # ------------------------------------------------------------------ helpers
    def _get_step_wizard_action(self, res_model, name):
        """The dialog of a coordinator's step on this case (close, reopen, Nationale
        ombudsman): ``res_model`` is the wizard, opened on this case."""
        self.ensure_one()
        self._check_coordinator()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": res_model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def _prepare_closing_values(self, values):
        """The values to write, cleaned of what does not
        belong to the chosen handling."""
        unknown = set(values) - set(CLOSING_FIELDS)
        if unknown:
            raise UserError(
                self.env._(
                    "The closing step cannot set %(fields)s.",
                    fields=", ".join(sorted(unknown)),
                )
            )
        vals = dict(values)
        for field_name in ("outcome_ids", "norm_ids"):
            if field_name in vals:
                ids = vals[field_name]
                if isinstance(ids, models.BaseModel):
                    ids = ids.ids
                if ids and isinstance(ids[0], (list, tuple)):  # already commands
                    continue
                vals[field_name] = [Command.set(ids or [])]
        if self.kind != "complaint":
            vals["handling"] = False
        handling = vals.get("handling", self.handling)
        if handling != "formal":
            vals.update(
                judgment=False, hearing_skip_reason=False, respondent_hearing=False
            )
        if handling != "not_handled":
            vals["not_handled_reason"] = False
        if handling != "informal":
            vals.update(informal_agreement_date=False, informal_agreement_how=False)
        if self.kind != "referral":
            vals.pop("mediation_state", None)
        return vals

    def _closing_value(self, vals, field_name):
        """The value ``field_name`` will have after writing ``vals``."""
        if field_name not in vals:
            return self[field_name]
        field = self._fields[field_name]
        if field.type == "many2many":
            return self.env[field.comodel_name].browse(
                _command_ids(vals[field_name], self[field_name].ids)
            )
        if field.type == "many2one":
            return self.env[field.comodel_name].browse(vals[field_name] or [])
        return vals[field_name]

    def _check_closing_requirements(self, vals):
        """Raise one UserError listing everything the closing still lacks."""
        self.ensure_one()

        def value(name):
            return self._closing_value(vals, name)

        def empty(name):
            val = value(name)
            if self._fields[name].type == "html":
                return is_html_empty(val)
            return not (val.strip() if isinstance(val, str) else val)

        missing = []
        handling = value("handling")
        if self.kind == "complaint":
            missing += self._get_complaint_closing_missing(handling, value, empty)
        elif self.kind == "policy":
            if empty("resolution_note"):
                missing.append(
                    self.env._("the explanation of the policy given to the complainant")
                )
        elif self.kind == "referral":
            if value("mediation_state") not in MEDIATION_RESULTS:
                missing.append(
                    self.env._("the result of the mediation (succeeded or failed)")
                )
        elif self.kind == "proactive" and empty("resolution_note"):
            missing.append(self.env._("what the contact with the citizen led to"))
        if missing:
            raise UserError(
                self.env._(
                    "Case %(reference)s cannot be closed yet. Still needed:",
                    reference=self.name,
                )
                + "\n"
                + "\n".join(f"- {item}" for item in missing)
            )
        if self.kind == "complaint":
            self._check_handler_not_respondent(vals)

    def _get_complaint_closing_missing(self, handling, value, empty):
        """What the closing of a real complaint still lacks, by its handling."""
        missing = []
        if not handling:
            missing.append(
                self.env._(
                    "how the complaint was handled (informal, formal or not handled)"
                )
            )
        elif handling == "informal":
            if empty("resolution_note"):
                missing.append(
                    self.env._(
                        "how the complaint was resolved to the "
                        "complainant's satisfaction (Awb 9:5)"
                    )
                )
            if empty("informal_agreement_date") or empty("informal_agreement_how"):
                missing.append(
                    self.env._(
                        "when and how the complainant agreed it was resolved (Awb 9:5)"
                    )
                )
            if empty("outcome_ids"):
                missing.append(self.env._("at least one outcome"))
        elif handling == "formal":
            missing += self._get_formal_closing_missing(value, empty)
        elif handling == "not_handled" and empty("not_handled_reason"):
            missing.append(
                self.env._("the legal ground for not handling the complaint (Awb 9:8)")
            )
        return missing

    def _get_formal_closing_missing(self, value, empty):
        """What a formal handling (Awb 9:10, 9:12) still lacks."""
        missing = []
        if empty("judgment"):
            missing.append(
                self.env._(
                    "a judgment (founded, partly founded, unfounded or no judgment)"
                )
            )
        if empty("findings"):
            missing.append(self.env._("the findings"))
        if empty("conclusions"):
            missing.append(self.env._("the conclusions"))
        if empty("outcome_ids"):
            missing.append(self.env._("at least one outcome"))
        if value("judgment") in ("founded", "partly_founded") and empty("norm_ids"):
            missing.append(
                self.env._("the norm that was breached (the complaint is founded)")
            )
        if value("hearing_skip_reason") == "unfounded" and value("judgment") in (
            "founded",
            "partly_founded",
        ):
            missing.append(
                self.env._(
                    "a judgment that fits: the hearing was skipped because the "
                    "complaint is clearly unfounded (Awb 9:10), so it cannot be "
                    "judged founded"
                )
            )
        if (
            self.respondent_user_id
            and value("hearing_skip_reason") != "unfounded"
            and empty("respondent_hearing")
        ):
            missing.append(
                self.env._(
                    "whether the respondent was heard or declined to be (Awb 9:10)"
                )
            )
        skipped = not empty("hearing_skip_reason")
        heard = any(
            not empty(name)
            for name in ("hearing_date", "hearing_attendees", "hearing_report")
        )
        if skipped and heard:
            missing.append(
                self.env._(
                    "either the hearing report or the reason "
                    "the hearing was skipped, not both"
                )
            )
        elif not skipped:
            if not heard:
                missing.append(
                    self.env._(
                        "the hearing report (date, who, summary) or the "
                        "reason it was skipped (Awb 9:10)"
                    )
                )
            else:
                if empty("hearing_date"):
                    missing.append(self.env._("the date of the hearing"))
                if empty("hearing_attendees"):
                    missing.append(self.env._("who took part in the hearing"))
                if empty("hearing_report"):
                    missing.append(self.env._("a summary of the hearing"))
        return missing

    def _check_handler_not_respondent(self, vals):
        """Awb 9:7: the complaint is not handled, nor closed, by the person it is
        about, whatever the handling."""
        respondent = self._closing_value(vals, "respondent_user_id")
        if not respondent:
            return
        handler = self._closing_value(vals, "user_id") or self.env.user
        if respondent in (handler, self.env.user):
            raise UserError(
                self.env._(
                    "%(person)s is the respondent (beklaagde) of "
                    "%(reference)s and may not handle or close the complaint "
                    "(Awb 9:7). Assign another handler.",
                    person=respondent.name,
                    reference=self.name,
                )
            )

    def _get_closed_stage(self):
        stage = self.env["municipal.complaint.stage"].search(
            [("is_closed", "=", True)], limit=1
        )
        if not stage:
            raise UserError(
                self.env._(
                    "There is no closing stage: ask an administrator to mark one."
                )
            )
        return stage

    def _get_reopen_stage(self):
        """The last open stage before the closing one (In behandeling)."""
        Stage = self.env["municipal.complaint.stage"]
        stage = self.env.ref(
            "municipal_complaint.stage_in_progress", raise_if_not_found=False
        )
        if not stage or not stage.active or stage.is_closed:
            stage = Stage.search(
                [("is_closed", "=", False)], order="sequence desc, id desc", limit=1
            )
        if not stage:
            raise UserError(self.env._("There is no open stage to reopen the case in."))
        return stage

    @api.model
    def _check_tags_unused(self, field_name, tags):
        """Outcomes and norms a case was handled with stay as long as the case
        (called before they are deleted): archive them instead."""
        used = (
            self.sudo()
            .with_context(active_test=False)
            .search([(field_name, "in", tags.ids)], limit=1)
        )
        if used:
            raise UserError(
                self.env._(
                    "%(tags)s: used by cases such as %(reference)s, which keep what "
                    "they were handled with. Archive it instead.",
                    tags=", ".join(tags.mapped("display_name")),
                    reference=used.name,
                )
            )

    def _get_closing_letter_report(self):
        """The letter the handling of this case requires, if any."""
        self.ensure_one()
        xmlid = {
            "formal": "municipal_complaint.action_report_conclusion_letter",
            "not_handled": "municipal_complaint.action_report_not_handled_letter",
        }.get(self.handling if self.kind == "complaint" else False)
        return self.env.ref(xmlid) if xmlid else self.env["ir.actions.report"]

    def _get_closing_letter_template(self):
        self.ensure_one()
        xmlid = {
            "formal": "municipal_complaint.mail_template_conclusion_letter",
            "not_handled": "municipal_complaint.mail_template_not_handled_letter",
        }.get(self.handling if self.kind == "complaint" else False)
        return self.env.ref(xmlid, raise_if_not_found=False) if xmlid else False

    def _get_closing_letter_filename(self):
        """File name of the letter (print_report_name of both closing letters)."""
        self.ensure_one()
        if self.handling == "not_handled":
            label = self.env._("Complaint not handled")
        else:
            label = self.env._("Conclusion letter")
        return f"{self._get_report_base_filename()} - {label}"

    def _send_closing_letter(self, letter=None):
        """Send the letter of the handling by e-mail (``letter``: the e-mail's subject
        and text as edited in the preview), or attach it for printing, and give the
        beklaagde a copy (Awb 9:9). Returns the print action when it must go by
        post."""
        self.ensure_one()
        report = self._get_closing_letter_report()
        if not report:
            return False
        if not self.partner_id:
            self.message_post(
                body=self.env._("Anonymous complaint: no letter could be sent."),
                subtype_xmlid="mail.mt_note",
            )
            return False
        template = self._get_closing_letter_template()
        if self._letter_preview():
            if self.partner_id.email and template:
                self._record_letter(template=template, report=report)
            else:
                self._record_letter(report=report)
            return False
        action = False
        if self.partner_id.email and template and letter:
            message = self._send_edited_letter(template, letter)
        elif self.partner_id.email and template:
            message = self.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        else:
            content, report_format = self.env["ir.actions.report"]._render_qweb_pdf(
                report, self.ids
            )
            filename = f"{self._get_closing_letter_filename()}.{report_format}"
            message = self.message_post(
                body=self.env._(
                    "%(letter)s attached: the complainant has no e-mail "
                    "address, print it and send it by post.",
                    letter=report.name,
                ),
                attachments=[(filename, content)],
                subtype_xmlid="mail.mt_note",
            )
            action = report.report_action(self, config=False)
        self._copy_closing_letter_to_respondent(message)
        return action

    def _file_closing_letter_sent_before(self):
        """The conclusion went out on the decision date, outside this system: file
        the letter as it reads on the case (the complainant is not written to
        again) and give the beklaagde a copy (Awb 9:9)."""
        self.ensure_one()
        report = self._get_closing_letter_report()
        if self._letter_preview():
            self._record_letter(report=report)
            return False
        content, report_format = self.env["ir.actions.report"]._render_qweb_pdf(
            report, self.ids
        )
        message = self.message_post(
            body=self.env._(
                "%(letter)s of %(date)s filed: it went out to the complainant on "
                "that day.",
                letter=report.name,
                date=format_date(self.env, self.closed_date),
            ),
            attachments=[
                (f"{self._get_closing_letter_filename()}.{report_format}", content)
            ],
            subtype_xmlid="mail.mt_note",
        )
        self._copy_closing_letter_to_respondent(message)
        return False

    def _copy_closing_letter_to_respondent(self, message):
        if self.handling == "formal" and self.respondent_user_id:
            self.message_post(
                body=self.env._(
                    "Copy of the conclusion letter sent to the "
                    "respondent %(person)s (Awb 9:9).",
                    person=self.respondent_user_id.name,
                ),
                partner_ids=self.respondent_user_id.partner_id.ids,
                attachment_ids=message.attachment_ids.ids,
                subtype_xmlid="mail.mt_note",
            )

    def _send_respondent_copy(self):
        """Awb 9:9: the beklaagde gets a copy of the complaint -- or, when it was made
        orally, of its record -- when the case is registered or when they are set on
        it; the copy is kept on the chatter as an internal note."""
        for complaint in self.filtered("respondent_user_id"):
            respondent = complaint.respondent_user_id
            oral = CHANNEL_GROUPS.get(complaint.channel) == "oral"
            intro = (
                self.env._(
                    "Copy for the respondent %(person)s (Awb 9:9) of the record of "
                    "the oral complaint %(reference)s, received %(date)s:",
                    person=respondent.name,
                    reference=complaint.name,
                    date=format_date(self.env, complaint.received_date),
                )
                if oral
                else self.env._(
                    "Copy for the respondent %(person)s (Awb 9:9) of the complaint "
                    "%(reference)s, received %(date)s:",
                    person=respondent.name,
                    reference=complaint.name,
                    date=format_date(self.env, complaint.received_date),
                )
            )
            body = Markup("<p>%s</p><p><b>%s</b></p>%s") % (
                intro,
                complaint.subject,
                complaint.description or Markup(""),
            )
            complaint.sudo().message_post(
                body=body,
                partner_ids=respondent.partner_id.ids,
                attachment_ids=complaint._documents_sent_along().ids,
                subtype_xmlid="mail.mt_note",
                message_type="comment",
            )

    def _documents_sent_along(self):
        """The documents sent with the complaint (Awb 9:9: the beklaagde gets them
        too): the case's files, but those of the Dienst's own messages (letters,
        notes) and the postponement consent."""
        self.ensure_one()
        case = self.sudo()
        files = case.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "=", self.id)]
        )
        dienst = case.message_ids.filtered(
            lambda message: (
                not (message.author_id and message.author_id == self.partner_id)
            )
        )
        return files - dienst.attachment_ids - case.postpone_consent_attachment_id


def _command_ids(commands, initial):
    """The ids a many2many holding ``initial`` ends with after ``commands``."""
    ids = list(initial)
    for command in commands or []:
        if command[0] == Command.SET:
            ids = list(command[2])
        elif command[0] == Command.LINK:
            ids.append(command[1])
        elif command[0] in (Command.UNLINK, Command.DELETE):
            ids = [i for i in ids if i != command[1]]
        elif command[0] == Command.CLEAR:
            ids = []
    return ids
