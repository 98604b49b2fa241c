"""E-mail to the complaint address that could not become a case.

Whoever writes to the complaint alias complains (Awb 9:1 asks no form), also when the
e-mail cannot be processed: a malformed message (a character set or a structure
Odoo's parser refuses), an attachment over the Dienst's limit, a mail loop (an
automatic reply answering the acknowledgment, again and again), or a failure while it
is stored (a full filestore). Odoo then logs the error and drops the e-mail (its mail
fetcher marks it handled; on POP3 it is deleted), or bounces it; and an error halfway
through leaves the contact and the case made so far for the fetcher to commit.

Here processing an e-mail is one unit: a whole case, or nothing (a savepoint). An
e-mail for the complaint alias, or a reply to a case, that fails is kept instead as
a ``municipal.complaint.mail.rejection`` with its original in the database (which
works while the filestore does not), and the coordinators get an activity to
register the complaint themselves. The sender is told when they can do something
about it (a bounce, as Odoo bounces what an alias refuses); a loop is answered by
Odoo's own loop detection, once (docs/production.md, "Mail").
"""

import base64
import email
import email.errors
import email.policy
import logging
from datetime import timedelta
from email.header import decode_header

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import email_normalize, email_split, format_datetime
from odoo.tools.mail import generate_tracking_message_id, unfold_references

from .complaint_lifecycle import COORDINATOR_GROUP

_logger = logging.getLogger(__name__)

COMPLAINT_MODEL = "municipal.complaint"
COMPLAINT_ALIAS = "municipal_complaint.mail_alias_complaints"
REJECTED_ACTIVITY_TYPE = "municipal_complaint.mail_activity_type_mail_rejected"
REJECTION_REASONS = [
    ("malformed", "Malformed message"),
    ("oversized", "Attachment too large"),
    ("loop", "Mail loop"),
    ("error", "Could not be stored"),
]
# a rejected e-mail is kept as long as a case that was not handled (Selectielijst
# gemeenten, "Geschillen behandelen": 1 year)
REJECTION_KEEP_DAYS = 365
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Resent-To")
MB = 1024 * 1024


class IncomingMailRefused(Exception):
    """The addon refuses an incoming e-mail (``reason`` of REJECTION_REASONS)."""

    def __init__(self, reason, detail):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class MunicipalComplaintMailRejection(models.Model):
    _name = "municipal.complaint.mail.rejection"
    _description = "E-mail not processed"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "received_date desc, id desc"
    _rec_name = "subject"
    # a coordinator who may read it may discuss it and act on its activity
    _mail_post_access = "read"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    received_date = fields.Datetime(
        string="Received", required=True, readonly=True, default=fields.Datetime.now
    )
    email_from = fields.Char(string="From", readonly=True)
    subject = fields.Char(readonly=True)
    message_id = fields.Char(
        string="Message-Id", readonly=True, index="btree_not_null", copy=False
    )
    reason = fields.Selection(REJECTION_REASONS, required=True, readonly=True)
    detail = fields.Text(string="What went wrong", readonly=True)
    mail_count = fields.Integer(
        string="E-mails",
        default=1,
        readonly=True,
        help="For a mail loop: how many e-mails of this sender were refused.",
    )
    original = fields.Binary(
        string="Original e-mail",
        attachment=False,
        readonly=True,
        help="The e-mail as it was received; attachments over the limit are left out.",
    )
    original_filename = fields.Char(readonly=True)

    @api.autovacuum
    def _gc_old_rejections(self):
        """A rejected e-mail holds personal data: kept for a year, then removed."""
        limit = fields.Datetime.now() - timedelta(days=REJECTION_KEEP_DAYS)
        self.sudo().with_context(active_test=False).search(
            [("received_date", "<", limit)]
        ).unlink()

    # ------------------------------------------------------------------ recording
    @api.model
    def _record_failed_mail(self, raw, error):
        """Keep a failed e-mail for the complaint address and tell the Dienst and
        the sender; False when the e-mail is not for the complaint address."""
        message = _parse_leniently(raw)
        if message is None or not self._is_for_complaints(message):
            return False
        if isinstance(error, IncomingMailRefused):
            reason, detail = error.reason, error.detail
        elif isinstance(error, (LookupError, UnicodeError, email.errors.MessageError)):
            reason, detail = "malformed", f"{type(error).__name__}: {error}"
        else:
            reason, detail = "error", f"{type(error).__name__}: {error}"
        values = self._values_from_message(message, raw)
        existing = values["message_id"] and self.sudo().search(
            [("message_id", "=", values["message_id"])], limit=1
        )
        if existing:
            return existing
        _logger.warning(
            "E-mail to the complaint address kept as not processed (%s): %s",
            reason,
            detail[:200],
        )
        rejection = self.sudo().create(dict(values, reason=reason, detail=detail))
        rejection._announce()
        if reason in ("malformed", "oversized") and not _is_automatic(message):
            rejection._bounce_to_sender(message)
        return rejection

    @api.model
    def _record_loop(self, message, message_dict):
        """Odoo's loop detection refused an e-mail for the complaint address: one
        record per sender and loop, counting the e-mails."""
        sender = email_normalize(message_dict.get("email_from") or "") or (
            message_dict.get("email_from") or ""
        )
        minutes = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("mail.gateway.loop.minutes", 120)
        )
        existing = self.sudo().search(
            [
                ("reason", "=", "loop"),
                ("email_from", "=", sender),
                (
                    "received_date",
                    ">=",
                    fields.Datetime.now() - timedelta(minutes=minutes),
                ),
            ],
            limit=1,
        )
        if existing:
            existing.mail_count += 1
            return existing
        try:
            raw = message.as_bytes()
        except Exception:  # noqa: BLE001 - the original is a courtesy here
            raw = b""
        values = self._values_from_message(_parse_leniently(raw) or message, raw)
        rejection = self.sudo().create(
            dict(
                values,
                email_from=sender,
                reason="loop",
                detail=self._dienst_env()._(
                    "%(sender)s sent more e-mails than the limit for a loop "
                    "(%(count)s in %(minutes)s minutes): an automatic reply answering "
                    "our e-mails. Odoo answered it once and takes no more e-mails "
                    "from this sender for a while.",
                    sender=sender,
                    count=self.env["ir.config_parameter"]
                    .sudo()
                    .get_param("mail.gateway.loop.threshold", 20),
                    minutes=minutes,
                ),
            )
        )
        rejection._announce()
        return rejection

    @api.model
    def _dienst_env(self):
        """What the Dienst reads is in its own language (the company's)."""
        return self.with_context(
            lang=self.env.company.partner_id.lang or self.env.lang
        ).env

    @api.model
    def _is_for_complaints(self, message):
        """Sent to the complaint alias, or a reply to a case's e-mail."""
        alias = self.env.ref(COMPLAINT_ALIAS, raise_if_not_found=False)
        if alias and alias.alias_full_name:
            addresses = {
                email_normalize(address)
                for header in RECIPIENT_HEADERS
                for value in message.get_all(header) or []
                for address in email_split(_header_text(value))
            }
            if alias.alias_full_name in addresses:
                return True
        references = unfold_references(
            " ".join(
                _header_text(message.get(header, ""))
                for header in ("In-Reply-To", "References")
            )
        )
        return bool(references) and bool(
            self.env["mail.message"]
            .sudo()
            .search_count(
                [("message_id", "in", references), ("model", "=", COMPLAINT_MODEL)],
                limit=1,
            )
        )

    @api.model
    def _company_of_message(self, message):
        """The company of the case the e-mail answers, else the gateway's: a failed
        reply to a case is kept with that case's coordinators, never another
        company's."""
        references = unfold_references(
            " ".join(
                _header_text(message.get(header, ""))
                for header in ("In-Reply-To", "References")
            )
        )
        if references:
            answered = (
                self.env["mail.message"]
                .sudo()
                .search(
                    [("message_id", "in", references), ("model", "=", COMPLAINT_MODEL)],
                    limit=1,
                )
            )
            case = self.env[COMPLAINT_MODEL].sudo().browse(answered.res_id).exists()
            if case:
                return case.company_id
        return self.env.company

    @api.model
    def _values_from_message(self, message, raw):
        company = self._company_of_message(message)
        message_id = _header_text(message.get("Message-Id", "")).strip()
        return {
            "company_id": company.id,
            "email_from": _header_text(message.get("From", ""))[:250],
            "subject": _header_text(message.get("Subject", ""))[:250]
            or self.env._("(no subject)"),
            "message_id": message_id[:250] or False,
            "original": base64.b64encode(
                _kept_original(message, raw, company.complaint_intake_max_size)
            ),
            "original_filename": "original.eml",
        }

    def _announce(self):
        """A note on the record and an activity for each coordinator of its
        company."""
        activity_type = self.env.ref(REJECTED_ACTIVITY_TYPE)
        coordinators = (
            self.env.ref(COORDINATOR_GROUP)
            .sudo()
            .all_user_ids.filtered(lambda user: user.active and not user.share)
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        env = self._dienst_env()
        for rejection in self.sudo():
            rejection.message_post(
                body=Markup("<p>%s</p><p>%s</p>")
                % (
                    env._(
                        "An e-mail to the complaint address could not be registered "
                        "as a case: %(reason)s. Read it (the original is on this "
                        "record) and register the complaint yourself.",
                        reason=dict(
                            rejection._fields["reason"]._description_selection(self.env)
                        )[rejection.reason],
                    ),
                    rejection.detail or "",
                ),
                subtype_xmlid="mail.mt_note",
                message_type="notification",
            )
            users = coordinators.filtered(
                lambda user, company=rejection.company_id: company in user.company_ids
            ) or self.env.ref("base.user_admin")
            self.env["mail.activity"].sudo().with_context(
                mail_activity_quick_update=True
            ).create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": rejection.id,
                        "activity_type_id": activity_type.id,
                        "summary": activity_type.summary,
                        "note": activity_type.default_note,
                        "date_deadline": fields.Date.context_today(self),
                        "user_id": user.id,
                        "automated": True,
                    }
                    for user in users
                ]
            )

    def _bounce_to_sender(self, message):
        """Tell the sender their e-mail was not registered and what to do, as Odoo
        bounces what an alias refuses; a reply to it is not processed (its
        reference carries Odoo's loop-detection tag)."""
        self.ensure_one()
        sender = email_normalize(self.email_from or "")
        # the Dienst's own mail domains, a handful
        # pylint: disable-next=no-search-all
        alias_domains = self.env["mail.alias.domain"].sudo().search([])
        if not sender or sender.split("@")[-1] in alias_domains.mapped("name"):
            return
        company = self.company_id
        lang = company.partner_id.lang or self.env.lang
        env = self.with_context(lang=lang).env
        if self.reason == "oversized":
            why = self.detail
        else:
            why = env._("it could not be read")
        body = Markup("<p>%s</p><p>%s</p>") % (
            env._(
                'Your e-mail of %(date)s with the subject "%(subject)s" was not '
                "registered as a complaint: %(why)s.",
                date=format_datetime(env, self.received_date, dt_format="short"),
                subject=self.subject,
                why=why,
            ),
            env._(
                "Please send your complaint again, with smaller attachments or "
                "without them, or use the complaint form on our website. The "
                "complaint coordinators have been told about your e-mail."
            ),
        )
        bounce_from = alias_domains[:1].bounce_email or company.email
        references = " ".join(
            filter(
                None,
                (
                    self.message_id,
                    generate_tracking_message_id("loop-detection-bounce-email"),
                ),
            )
        )
        self.env["mail.mail"].sudo().create(
            {
                "email_from": bounce_from,
                "email_to": sender,
                "subject": env._("Not registered: %(subject)s", subject=self.subject),
                "body_html": body,
                "references": references,
                "auto_delete": True,
            }
        ).send()


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_process(
        self,
        model,
        message,
        custom_values=None,
        save_original=False,
        strip_attachments=False,
        thread_id=None,
    ):
        """One e-mail, one unit: when processing fails, nothing of it stays, and an
        e-mail for the complaint address is kept for the coordinators instead of
        being dropped."""
        postcommit = getattr(self.env.cr.postcommit, "_funcs", None)
        queued = len(postcommit) if postcommit is not None else 0
        try:
            with self.env.cr.savepoint():
                return super().message_process(
                    model,
                    message,
                    custom_values=custom_values,
                    save_original=save_original,
                    strip_attachments=strip_attachments,
                    thread_id=thread_id,
                )
        except (psycopg2.Error, MemoryError):
            raise
        except Exception as error:
            # what the failed processing queued for after the commit (its e-mails)
            while postcommit is not None and len(postcommit) > queued:
                postcommit.pop()
            rejection = self.env[
                "municipal.complaint.mail.rejection"
            ]._record_failed_mail(message, error)
            if not rejection:
                raise
            return False

    def _message_route_process(self, message, message_dict, routes):
        """An attachment over the limit refuses the e-mail before it reaches a
        case: refused inside ``message_new``, Odoo would take the alias for
        misconfigured and answer the sender so."""
        for model, thread_id, *_rest in routes or ():
            if model == COMPLAINT_MODEL:
                case = self.env[COMPLAINT_MODEL].sudo().browse(thread_id or [])
                self.env[COMPLAINT_MODEL]._check_incoming_attachments(
                    message_dict, case.company_id[:1] or self.env.company
                )
        return super()._message_route_process(message, message_dict, routes)

    @api.model
    def _detect_loop_sender(self, message, message_dict, routes):
        looping = super()._detect_loop_sender(message, message_dict, routes)
        if looping and any(route[0] == COMPLAINT_MODEL for route in routes or ()):
            self.env["municipal.complaint.mail.rejection"]._record_loop(
                message, message_dict
            )
        return looping


class MunicipalComplaint(models.Model):
    _inherit = COMPLAINT_MODEL

    @api.model
    def _detect_loop_sender_domain(self, email_from_normalized):
        """Cases an e-mail from this address made: Odoo's loop detection counts
        them (the case has no e-mail field of its own)."""
        return [
            ("channel", "=", "email"),
            ("partner_id.email_normalized", "=", email_from_normalized),
        ]

    @api.model
    def _check_incoming_attachments(self, msg_dict, company):
        """An attachment over the company's limit (the public form's) refuses the
        whole e-mail: the case would otherwise lack what the citizen sent."""
        limit = company.complaint_intake_max_size
        # said in the Dienst's language: to the coordinators and to the sender
        env = self.with_context(lang=company.partner_id.lang or self.env.lang).env
        for attachment in msg_dict.get("attachments") or ():
            content = attachment.content
            size = len(content.encode() if isinstance(content, str) else content or b"")
            if size > limit * MB:
                raise IncomingMailRefused(
                    "oversized",
                    env._(
                        'the attachment "%(name)s" (%(size)s MB) is larger than '
                        "%(max)s MB",
                        name=attachment.fname,
                        size=f"{size / MB:.1f}",
                        max=limit,
                    ),
                )


def _parse_leniently(raw):
    """The e-mail as a message object, however broken (None when it is no e-mail
    at all)."""
    if hasattr(raw, "data"):  # xmlrpc.client.Binary from the mail gateway script
        raw = raw.data
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    if not isinstance(raw, bytes):
        try:
            raw = raw.as_bytes()
        except Exception:  # noqa: BLE001 - an object we cannot read is no e-mail
            return None
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    return message if message.keys() else None


def _header_text(value):
    """A header as text, whatever its encoding claims."""
    parts = []
    try:
        decoded = decode_header(str(value))
    except Exception:  # noqa: BLE001 - broken encoded words: keep the raw header
        return str(value)
    for text, charset in decoded:
        if isinstance(text, bytes):
            try:
                text = text.decode(charset or "ascii")
            except (LookupError, UnicodeError):
                text = text.decode("latin-1")
        parts.append(text)
    return "".join(parts).strip()


def _is_automatic(message):
    """An automatic message (RFC 3834): never answered."""
    auto = _header_text(message.get("Auto-Submitted", "")).lower()
    return (auto and auto != "no") or bool(message.get("X-Autoreply"))


def _kept_original(message, raw, max_mb):
    """The original as received, without the attachments over the limit."""
    if hasattr(raw, "data"):
        raw = raw.data
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    if isinstance(raw, bytes) and len(raw) <= max_mb * MB:
        return raw
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload()
        if isinstance(payload, str) and len(payload) > max_mb * MB:
            name = part.get_filename() or "attachment"
            del part["Content-Transfer-Encoding"]
            part.set_type("text/plain")
            part.set_payload(
                f"[{name}: {len(payload) * 3 // 4 // MB} MB, left out: over the limit]"
            )
    return message.as_bytes()
