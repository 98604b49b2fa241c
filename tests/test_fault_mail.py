"""Fault: outgoing mail fails. A real SMTP server on loopback (aiosmtpd), started
and stopped by these tests, answers Odoo's own mail queue: it refuses for now (4xx),
refuses for good (5xx), hangs up, or is down; a bounce comes back through the mail
gateway. Every letter of a case stays queued while the refusal is temporary; a
permanent one gives the coordinator the letter to post; nothing of the case
changes.

Odoo sends no e-mail in tests (``ir.mail_server._disable_send``): that switch alone is
turned off here, everything else is Odoo's real mail queue and SMTP client."""

import socket
from contextlib import closing
from datetime import timedelta
from email import message_from_bytes, policy
from unittest.mock import patch

from aiosmtpd.controller import Controller

# freezegun's own function: the one Odoo's test tools put in its place has no ``ignore``
from freezegun.api import freeze_time

from odoo import fields
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MailCase

from ..models.complaint_mail_delivery import RETRY_HOURS_PARAM
from .closing_common import ClosingCase
from .common import MODULE

UNDELIVERED = f"{MODULE}.mail_activity_type_letter_undelivered"
# the clock freezegun stops must keep running for the SMTP server's event loop
REAL_TIME = ["asyncio", "aiosmtpd"]


class SmtpServer:
    """An SMTP server on a free loopback port that accepts mail, or answers every
    recipient with ``reply`` ("450 ...", "550 ...", "421 ...")."""

    def __init__(self):
        self.reply = None
        self.received = []
        with closing(socket.socket()) as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reply:
            return self.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            (
                envelope.rcpt_tos,
                message_from_bytes(envelope.content, policy=policy.SMTP),
            )
        )
        return "250 Message accepted for delivery"

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def is_up(self):
        with closing(socket.socket()) as sock:
            return sock.connect_ex(("127.0.0.1", self.port)) == 0


class TestOutgoingMailFails(ClosingCase, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.company.email = "klachten@gemeente.example"
        cls.activity_type = cls.env.ref(UNDELIVERED)
        cls.env["ir.config_parameter"].set_param(RETRY_HOURS_PARAM, "24")

    def setUp(self):
        super().setUp()
        self.smtp = SmtpServer()
        self.smtp.start()
        self.addCleanup(lambda: self.smtp.is_up() and self.smtp.stop())
        self.env["ir.mail_server"].search([]).active = False
        self.env["ir.mail_server"].create(
            {
                "name": "Loopback relay",
                "smtp_host": "127.0.0.1",
                "smtp_port": self.smtp.port,
                "smtp_encryption": "none",
                "sequence": 1,
            }
        )
        # the one switch that keeps Odoo from sending in tests
        patcher = patch.object(
            type(self.env["ir.mail_server"]), "_disable_send", lambda *args: False
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    # ---------------------------------------------------------------- helpers
    def mails_of(self, complaint):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", complaint._name), ("res_id", "=", complaint.id)])
        )

    def letter_activities(self, complaint):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", complaint._name),
                ("res_id", "=", complaint.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def run_mail_queue(self, at):
        with freeze_time(at, ignore=REAL_TIME):
            self.env["mail.mail"].sudo().process_email_queue()

    def register(self, user=None, **values):
        """Register a case as staff do and send its acknowledgment (the letter step:
        staff registrations are not acknowledged automatically)."""
        complaint = self.create_complaint(user=user, **values)
        complaint.with_user(user or self.coordinator).action_send_acknowledgment()
        return complaint

    def received_by(self, address):
        return [msg for rcpts, msg in self.smtp.received if address in rcpts]

    # ---------------------------------------------------------------- 4xx
    def test_a_temporary_refusal_keeps_the_letter_queued_until_it_goes_out(self):
        self.smtp.reply = "450 4.2.1 Mailbox busy, try again later"
        complaint = self.register(
            user_id=self.employee.id, received_date=fields.Date.today()
        )
        self.assertTrue(complaint.acknowledgment_date, "the step is taken")
        mail = self.mails_of(complaint)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing", "queued again, not failed")
        self.assertGreater(mail.scheduled_date, fields.Datetime.now())
        self.assertEqual(
            mail.mail_message_id.notification_ids.notification_status, "ready"
        )
        self.assertTrue(
            self.env["ir.cron.trigger"].search(
                [
                    (
                        "cron_id",
                        "=",
                        self.env.ref("mail.ir_cron_mail_scheduler_action").id,
                    ),
                    ("call_at", "=", mail.scheduled_date),
                ]
            ),
            "the mail queue is woken up when the letter is due again",
        )
        # still refused a bit later: queued again, the wait grows
        first_wait = mail.scheduled_date
        self.run_mail_queue(first_wait + timedelta(seconds=1))
        self.assertEqual(mail.state, "outgoing")
        self.assertGreater(mail.scheduled_date, first_wait)
        self.assertFalse(self.smtp.received)
        self.assertFalse(self.letter_activities(complaint))

        self.smtp.reply = None
        self.run_mail_queue(mail.scheduled_date + timedelta(seconds=1))
        self.assertEqual(len(self.received_by("j.jansen@example.com")), 1)
        self.assertEqual(
            complaint.message_ids.filtered(
                lambda m: m.subject and "Acknowledgment" in m.subject
            ).notification_ids.notification_status,
            "sent",
        )
        self.assertFalse(self.letter_activities(complaint))

    def test_a_hang_up_in_the_middle_of_the_queue_keeps_every_letter(self):
        cases = self.Complaint.browse()
        for name in ("A. de Vries", "B. Bakker"):
            partner = self.env["res.partner"].create(
                {"name": name, "email": f"{name[3:].lower()}@example.com"}
            )
            cases |= self.register(
                partner_id=partner.id, received_date=fields.Date.today()
            ).with_context(mail_notify_force_send=False)
        # the two acknowledgments went out at registration: two new letters queued
        self.smtp.reply = None
        for complaint in cases:
            complaint.with_context(mail_notify_force_send=False)._post_complainant_mail(
                f"{MODULE}.mail_template_acknowledgment"
            )
        queued = self.mails_of(cases[0]) | self.mails_of(cases[1])
        queued = queued.filtered(lambda m: m.state == "outgoing")
        self.assertEqual(len(queued), 2)
        self.smtp.reply = "421 4.3.0 Service shutting down, closing connection"
        with mute_logger("odoo.addons.mail.models.mail_mail"):
            self.run_mail_queue(fields.Datetime.now())
        # the first refused with 421 (the server hangs up), the second found the
        # connection gone: Odoo stopped the batch there
        self.assertEqual(set(queued.mapped("state")), {"outgoing"})
        self.assertTrue(all(m.scheduled_date for m in queued))
        self.assertIn("SMTPServerDisconnected", queued[1].failure_reason)
        for complaint in cases:
            self.assertFalse(self.letter_activities(complaint))
        self.smtp.reply = None
        self.run_mail_queue(max(queued.mapped("scheduled_date")) + timedelta(seconds=1))
        self.assertEqual(len(self.received_by("vries@example.com")), 2)
        self.assertEqual(len(self.received_by("bakker@example.com")), 2)

    # ---------------------------------------------------------------- 5xx
    def test_a_permanent_refusal_gives_the_coordinator_the_letter_to_post(self):
        complaint = self.create_complaint(user_id=self.employee.id)
        self.smtp.reply = "550 5.1.1 <j.jansen@example.com>: Recipient address rejected"
        with freeze_time("2026-04-01", ignore=REAL_TIME):
            self.close(complaint, self.formal_values())
        self.assertTrue(complaint.is_closed, "the closing stands")
        self.assertEqual(complaint.stage_id, self.stage_closed)
        self.assertEqual(complaint.closed_date.isoformat(), "2026-04-01")
        self.assertEqual(complaint.term_outcome, "within", "judged on the decision")
        letter = complaint.message_ids.filtered(
            lambda m: m.subject and m.subject.startswith("Conclusion of your complaint")
        )
        self.assertEqual(
            letter.notification_ids.filtered(
                lambda n: n.res_partner_id == self.complainant
            ).notification_status,
            "exception",
        )
        activities = self.letter_activities(complaint)
        self.assertEqual(activities.user_id, self.coordinator, "its coordinator")
        self.assertEqual(activities.summary, "Letter not delivered: send by post")
        printable = activities.attachment_ids.filtered(
            lambda a: a.name.endswith("to send by post.html")
        )
        self.assertEqual(
            activities.attachment_ids - printable,
            letter.attachment_ids,
            "the conclusion letter itself is attached",
        )
        html = printable.raw.decode()
        self.assertIn("J. Jansen", html)
        self.assertIn(complaint.name, html)
        self.assertIn("could not be delivered", html)
        note = complaint.message_ids.filtered(lambda m: m.attachment_ids == printable)
        self.assertIn("Conclusion of your complaint", note.body)
        self.assertIn("was not delivered by e-mail", note.body)
        self.assertIn("550", note.body)
        self.assertFalse(self.smtp.received)

    def test_without_a_coordinator_on_the_case_every_coordinator_hears_it(self):
        self.smtp.reply = "554 5.7.1 Relay access denied"
        # registered by a medewerker: the acknowledgment is theirs
        complaint = self.register(
            user=self.employee,
            user_id=self.employee.id,
            received_date=fields.Date.today(),
        )
        activities = self.letter_activities(complaint)
        self.assertIn(self.coordinator, activities.user_id)
        self.assertNotIn(self.employee, activities.user_id)
        coordinators = self.env.ref(f"{MODULE}.group_complaint_coordinator")
        self.assertTrue(
            all(user in coordinators.all_user_ids for user in activities.user_id)
        )
        self.assertEqual(len(activities), len(activities.user_id), "one each")
        self.assertTrue(complaint.acknowledgment_date, "nothing is undone")

    # ---------------------------------------------------------------- down
    def test_a_server_that_stays_down_hands_the_letter_over_after_the_retry_hours(self):
        complaint = self.create_complaint(received_date=fields.Date.today())
        self.smtp.stop()
        self.assertFalse(self.smtp.is_up())
        start = fields.Datetime.now()
        with freeze_time(start, ignore=REAL_TIME):
            complaint.with_user(self.coordinator).action_postpone("Wachten op UWV")
        self.assertTrue(complaint.postponed, "the postponement stands")
        notice = self.mails_of(complaint).filtered(
            lambda m: "More time" in (m.subject or "")
        )
        self.assertEqual(notice.state, "outgoing")
        self.assertIn("Connection refused", notice.failure_reason)
        self.run_mail_queue(start + timedelta(hours=2))
        self.assertEqual(notice.state, "outgoing")
        self.assertFalse(self.letter_activities(complaint))
        self.run_mail_queue(start + timedelta(hours=25))
        self.assertEqual(notice.state, "exception")
        activities = self.letter_activities(complaint)
        self.assertEqual(activities.user_id, self.coordinator)
        note = complaint.message_ids.filtered(
            lambda m: m.attachment_ids & activities.attachment_ids
        )
        self.assertIn("More time needed", note.body)
        self.assertIn("not delivered within 24 hours", note.body)
        self.assertTrue(complaint.postponed)

    # ---------------------------------------------------------------- bounce
    def bounce(self, original, recipient):
        """A delivery status notification (RFC 3464) for ``original``, as the
        recipient's mail server sends it back to the bounce address."""
        return f"""From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
To: {self.alias_bounce}@{self.alias_domain}
Subject: Undelivered Mail Returned to Sender
Message-Id: <bounce-{original["Message-Id"].strip("<>")}>
Date: Wed, 01 Apr 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

The mail system: <{recipient}>: host mx.example.com said: 550 5.1.1 mailbox unknown

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

Final-Recipient: rfc822; {recipient}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 mailbox unknown

--BOUNDARY
Content-Type: text/rfc822-headers

Message-Id: {original["Message-Id"]}
From: {original["From"]}
To: {original["To"]}
Subject: {original["Subject"]}

--BOUNDARY--
"""

    def test_a_bounce_through_the_gateway_gives_the_letter_to_post_once(self):
        complaint = self.register(
            user_id=self.coordinator.id, received_date=fields.Date.today()
        )
        (sent,) = self.received_by("j.jansen@example.com")
        bounce = self.bounce(sent, "j.jansen@example.com")
        self.env["mail.thread"].sudo().message_process(None, bounce)
        activities = self.letter_activities(complaint)
        self.assertEqual(len(activities), 1)
        self.assertIn("Acknowledgment", activities.note)
        note = complaint.message_ids.filtered(
            lambda m: m.attachment_ids == activities.attachment_ids
        )
        self.assertIn("mailbox unknown", note.body)
        # the same bounce again (the server sent two): still one
        self.env["mail.thread"].sudo().message_process(
            None, bounce.replace("Message-Id: <bounce-", "Message-Id: <bounce2-")
        )
        self.assertEqual(len(self.letter_activities(complaint)), 1)
        self.assertTrue(complaint.acknowledgment_date)

    def test_a_bounce_names_only_a_recipient_of_that_letter(self):
        """A bounce for an address the letter was not sent to changes nothing."""
        complaint = self.register(received_date=fields.Date.today())
        (sent,) = self.received_by("j.jansen@example.com")
        self.env["res.partner"].create(
            {"name": "Someone else", "email": "someone.else@example.com"}
        )
        self.env["mail.thread"].sudo().message_process(
            None, self.bounce(sent, "someone.else@example.com")
        )
        self.assertFalse(self.letter_activities(complaint))

    def test_other_e_mails_keep_odoo_s_own_behaviour(self):
        """Only the e-mails of cases are queued again."""
        self.smtp.reply = "450 4.2.1 Mailbox busy"
        mail = (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": "Not about a case",
                    "email_from": "klachten@gemeente.example",
                    "email_to": "x@example.com",
                    "body_html": "<p>Hallo</p>",
                }
            )
        )
        with mute_logger("odoo.addons.mail.models.mail_mail"):
            mail.send()
        self.assertEqual(mail.state, "exception")
        self.assertFalse(mail.scheduled_date)

    def test_the_printable_letter_speaks_the_recipient_s_language(self):
        self.complainant.lang = "nl_NL"
        self.smtp.reply = "550 5.1.1 unknown"
        complaint = self.register(received_date=fields.Date.today())
        html = self.letter_activities(complaint)[:1].attachment_ids.raw.decode()
        self.assertIn("kon niet worden bezorgd", html)
        self.assertIn("Ons kenmerk", html)
