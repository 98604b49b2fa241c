"""Letters that did not reach the citizen.

A letter to a complainant or a contract partner is a legal act (Awb 9:6, 9:8, 9:11,
9:12): the Dienst must know when one was not delivered. Odoo's mail queue treats
every failure alike: the e-mail is marked failed and never tried again (``_send`` in
addons/mail/models/mail_mail.py). For the e-mails of a case this file adds:

- a temporary refusal (an SMTP 4xx reply, no connection to the mail server, the
  server hanging up) keeps the e-mail queued and tries it again later, a few minutes
  at first and at most every hour, for ``municipal_complaint.mail_retry_hours``
  (24 by default);
- a permanent refusal (an SMTP 5xx reply, an invalid address, no delivery within
  those hours) or a bounce coming back through the mail gateway gives the case a note
  that names the letter, and an activity "Letter not delivered: send by post" for the
  coordinator with the letter attached for printing.

Nothing of the case changes: a step stays taken, and the term outcome is judged on
the decision date, not on delivery (docs/rules.md, "The figures").
"""

import contextvars
import re
import smtplib
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import email_normalize, format_datetime, html2plaintext

from .complaint_lifecycle import COORDINATOR_GROUP

COMPLAINT_MODEL = "municipal.complaint"
RETRY_HOURS_PARAM = "municipal_complaint.mail_retry_hours"
DEFAULT_RETRY_HOURS = 24
RETRY_FIRST = timedelta(minutes=5)
RETRY_LONGEST = timedelta(hours=1)
UNDELIVERED_ACTIVITY_TYPE = "municipal_complaint.mail_activity_type_letter_undelivered"
PRINTABLE_LETTER = "municipal_complaint.letter_undelivered_printable"
# the reply codes in Odoo's failure reason, e.g. "SMTPRecipientsRefused:
# {'j.jansen@example.com': (450, b'4.2.1 Mailbox busy')}" or "SMTPDataError: (554, ...)"
SMTP_REPLY_CODE = re.compile(r"\((\d)\d\d,\s*b?['\"]")

# The e-mails post-processed by the current ``_send`` (see MailMail._send).
_POSTPROCESSED = contextvars.ContextVar("complaint_mail_postprocessed", default=None)


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _send(
        self,
        auto_commit=False,
        raise_exception=False,
        smtp_session=None,
        alias_domain_id=False,
        mail_server=False,
        post_send_callback=None,
    ):
        """When the mail server hangs up, Odoo stops the batch and leaves the e-mail
        it was sending marked failed, without post-processing it: a case's e-mail
        among them is queued again, as any other temporary refusal."""
        postprocessed = set()
        token = _POSTPROCESSED.set(postprocessed)
        try:
            return super()._send(
                auto_commit=auto_commit,
                raise_exception=raise_exception,
                smtp_session=smtp_session,
                alias_domain_id=alias_domain_id,
                mail_server=mail_server,
                post_send_callback=post_send_callback,
            )
        except smtplib.SMTPServerDisconnected as error:
            dropped = self.sudo().filtered(
                lambda mail: (
                    mail.id not in postprocessed
                    and mail.state == "exception"
                    and mail._is_complaint_letter()
                )
            )
            reason = f"SMTPServerDisconnected: {error}"
            dropped.write({"failure_reason": reason})
            dropped._complaint_handle_failure(True, reason, [])
            raise
        finally:
            _POSTPROCESSED.reset(token)

    def _postprocess_sent_message(
        self, success_pids, success_emails, failure_reason=False, failure_type=None
    ):
        postprocessed = _POSTPROCESSED.get()
        if postprocessed is not None:
            postprocessed.update(self.ids)
        letters = self.browse()
        if failure_type:
            letters = self.sudo().filtered(
                lambda mail: mail.state == "exception" and mail._is_complaint_letter()
            )
        # read before Odoo removes a failed e-mail to an invalid address
        failures = letters._complaint_failures(
            _is_temporary(failure_type, failure_reason),
            failure_reason or failure_type,
            success_pids,
        )
        result = super()._postprocess_sent_message(
            success_pids,
            success_emails,
            failure_reason=failure_reason,
            failure_type=failure_type,
        )
        failures()
        return result

    # ------------------------------------------------------------------ helpers
    def _is_complaint_letter(self):
        """An e-mail of a case (a letter, a notice, a message to a partner)."""
        self.ensure_one()
        return self.model == COMPLAINT_MODEL and bool(self.res_id)

    def _complaint_retry_hours(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(RETRY_HOURS_PARAM, DEFAULT_RETRY_HOURS)
        )
        try:
            return max(int(value), 0)
        except ValueError:
            return DEFAULT_RETRY_HOURS

    def _complaint_retries_exhausted(self):
        self.ensure_one()
        age = fields.Datetime.now() - self.create_date
        return age > timedelta(hours=self._complaint_retry_hours())

    def _complaint_handle_failure(self, temporary, reason, success_pids):
        self._complaint_failures(temporary, reason, success_pids)()

    def _complaint_failures(self, temporary, reason, success_pids):
        """What to do about these failed e-mails of cases, read now and done by the
        returned function: queue the temporary ones again, report the others on
        their case."""
        retried = self.filtered(
            lambda mail: temporary and not mail._complaint_retries_exhausted()
        )
        delivered = set(success_pids or [])
        undelivered = [
            (
                mail.res_id,
                mail.mail_message_id,
                mail.recipient_ids.filtered(
                    lambda partner: (
                        partner.id not in delivered
                        and not any(not user.share for user in partner.user_ids)
                    )
                ),
                mail.email_to,
                reason
                if not temporary
                else self.env._(
                    "not delivered within %(hours)s hours (%(reason)s)",
                    hours=mail._complaint_retry_hours(),
                    reason=reason,
                ),
            )
            for mail in self - retried
        ]

        def handle():
            retried._complaint_retry_later()
            for res_id, message, recipients, email_to, why in undelivered:
                complaint = self.env[COMPLAINT_MODEL].sudo().browse(res_id).exists()
                if complaint and message and (recipients or email_to):
                    complaint._complaint_letter_undelivered(
                        message, recipients, why, email_to=email_to
                    )

        return handle

    def _complaint_retry_later(self):
        """Queue these e-mails of cases again, later: the wait is the age of the
        e-mail, between 5 minutes and an hour, so the tries spread out."""
        now = fields.Datetime.now()
        for mail in self:
            wait = min(max(now - mail.create_date, RETRY_FIRST), RETRY_LONGEST)
            mail.write({"state": "outgoing", "scheduled_date": now + wait})
        self.env["mail.notification"].sudo().search(
            [
                ("mail_mail_id", "in", self.ids),
                ("notification_status", "=", "exception"),
            ]
        ).write(
            {
                "notification_status": "ready",
                "failure_type": False,
                "failure_reason": False,
            }
        )
        if self:
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger(
                min(self.mapped("scheduled_date"))
            )


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _routing_handle_bounce(self, email_message, message_dict):
        """A bounce of a case's e-mail to someone outside the Dienst: the
        coordinator sends the letter by post."""
        result = super()._routing_handle_bounce(email_message, message_dict)
        message = message_dict.get("bounced_message")
        email = message_dict.get("bounced_email")
        if not (email and message and message.model == COMPLAINT_MODEL):
            return result
        complaint = self.env[COMPLAINT_MODEL].sudo().browse(message.res_id).exists()
        # only a recipient of that message counts, never the case for anyone's bounce
        recipients = (
            message.sudo()
            .notification_ids.filtered(
                lambda notif: (
                    notif.notification_type == "email"
                    and (
                        email_normalize(notif.res_partner_id.email or "") == email
                        or notif.mail_email_address == email
                    )
                )
            )
            .res_partner_id.filtered(
                lambda partner: not any(not user.share for user in partner.user_ids)
            )
        )
        if complaint and recipients:
            reason = html2plaintext(message_dict.get("body") or "").strip()
            complaint._complaint_letter_undelivered(message, recipients, reason)
        return result


class MunicipalComplaint(models.Model):
    _inherit = COMPLAINT_MODEL

    def _complaint_letter_undelivered(self, message, recipients, reason, email_to=""):
        """The letter ``message`` did not reach ``recipients`` (``res.partner``) or
        ``email_to``: a note on the case that names it, and an activity for the
        coordinator with the letter to print. Once per letter, whatever reports it
        (a refusal, then its bounce)."""
        self.ensure_one()
        key = f"undelivered:mail.message:{message.id}"
        Attachment = self.env["ir.attachment"].sudo()
        if Attachment.search_count(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("description", "=", key),
            ]
        ):
            return
        message = message.sudo()
        names = ", ".join(recipients.mapped("name")) or email_to or ""
        sent = format_datetime(self.env, message.date, dt_format="short")
        subject = message.subject or message.record_name or self.name
        reason = " ".join((reason or "").split())[:300]
        printable = Attachment.create(
            {
                "name": self.env._(
                    "%(subject)s - to send by post.html", subject=subject
                ).replace("/", "-"),
                "res_model": self._name,
                "res_id": self.id,
                "description": key,
                "mimetype": "text/html",
                "raw": self._complaint_printable_letter(message, recipients[:1]),
            }
        )
        letters = printable | message.attachment_ids
        note = self.sudo().message_post(
            body=Markup("<p>%s</p><p>%s</p>")
            % (
                self.env._(
                    'The letter "%(subject)s" of %(date)s to %(recipient)s was not '
                    "delivered by e-mail. Print it and send it by post.",
                    subject=subject,
                    date=sent,
                    recipient=names,
                ),
                self.env._("Mail server: %(reason)s", reason=reason or "-"),
            ),
            attachment_ids=printable.ids,
            subtype_xmlid="mail.mt_note",
            message_type="notification",
        )
        activity_type = self.env.ref(UNDELIVERED_ACTIVITY_TYPE)
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": self.id,
                    "activity_type_id": activity_type.id,
                    "summary": activity_type.summary,
                    "note": Markup("<p>%s</p>")
                    % self.env._(
                        'Print "%(subject)s" (attached) and send it by post to '
                        "%(recipient)s. See the note of %(date)s on the case.",
                        subject=subject,
                        recipient=names,
                        date=format_datetime(self.env, note.date, dt_format="short"),
                    ),
                    "date_deadline": fields.Date.context_today(self),
                    "user_id": user.id,
                    "attachment_ids": letters.ids,
                    "automated": True,
                }
                for user in self._complaint_letter_coordinators(message)
            ]
        )

    def _complaint_letter_coordinators(self, message):
        """Who sends a letter by post: the coordinator who wrote it (who took the
        step), else the handler when a coordinator, else the coordinators of the
        case's company."""
        self.ensure_one()
        coordinators = (
            self.env.ref(COORDINATOR_GROUP)
            .sudo()
            .all_user_ids.filtered(
                lambda user: (
                    user.active
                    and not user.share
                    and self.company_id in user.company_ids
                )
            )
        )
        for user in (message.author_id.user_ids, self.user_id):
            if user[:1] in coordinators:
                return user[:1]
        return coordinators or self.user_id or self.env.ref("base.user_admin")

    def _complaint_printable_letter(self, message, recipient):
        """The e-mail as a letter to print: the Dienst, the address, the date and
        reference, and the text as it was sent; its attachments (the PDF of a
        closing letter) are attached to the activity as they are."""
        lang = recipient.lang or self.company_id.partner_id.lang or self.env.lang
        return (
            self.env["ir.qweb"]
            .with_context(lang=lang)
            ._render(
                PRINTABLE_LETTER,
                {
                    "doc": self.sudo().with_context(lang=lang),
                    "message": message,
                    "recipient": recipient,
                    "attachment_names": message.attachment_ids.mapped("name"),
                },
            )
            .encode()
        )


def _is_temporary(failure_type, failure_reason):
    """A refusal the mail server may take back: no connection, a hang-up, or
    reply codes that are all 4xx (RFC 5321, 4.2.1)."""
    if failure_type == "mail_smtp":
        return True
    reason = str(failure_reason or "")
    if "SMTPServerDisconnected" in reason:
        return True
    classes = SMTP_REPLY_CODE.findall(reason)
    return bool(classes) and all(code == "4" for code in classes)
