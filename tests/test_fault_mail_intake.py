"""Fault: e-mail to the complaint address that cannot become a case. A malformed
message, an attachment over the limit, a mail loop, a filestore that cannot write:
no case and no contact are left of it, the e-mail is kept for the coordinators with
an activity, and the sender hears what to do (a loop is answered by Odoo, once).

The e-mails go through Odoo's real mail gateway (``mail.thread.message_process``)."""

import base64
import errno
from unittest.mock import patch

from odoo.addons.mail.tests.common import MailCase

from .common import MODULE, ComplaintCase

REJECTED = f"{MODULE}.mail_activity_type_mail_rejected"


class TestIncomingMailFails(ComplaintCase, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.alias = cls.env.ref(f"{MODULE}.mail_alias_complaints")
        cls.alias.alias_domain_id = cls.mail_alias_domain
        cls.alias_email = f"klachten@{cls.alias_domain}"
        cls.Rejection = cls.env["municipal.complaint.mail.rejection"]
        cls.activity_type = cls.env.ref(REJECTED)
        cls.company.complaint_intake_max_size = 1
        cls.company.partner_id.lang = "en_US"

    def mail(
        self, sender, subject, body="Niemand belt mij terug.", extra="", msg_id=None
    ):
        msg_id = msg_id or f"<{abs(hash((sender, subject)))}@mail.example.com>"
        return (
            f"From: {sender}\n"
            f"To: {self.alias_email}\n"
            f"Subject: {subject}\n"
            f"Message-ID: {msg_id}\n"
            "Date: Wed, 01 Apr 2026 10:00:00 +0000\n"
            "MIME-Version: 1.0\n"
            f"{extra}"
            "Content-Type: text/plain; charset=utf-8\n\n"
            f"{body}\n"
        )

    def with_attachment(self, sender, subject, size, to=None, extra=""):
        data = base64.encodebytes(b"%PDF-1.4\n" + b"0" * size).decode()
        return (
            f"From: {sender}\n"
            f"To: {to or self.alias_email}\n"
            f"Subject: {subject}\n"
            f"Message-ID: <{abs(hash((sender, subject, size)))}@mail.example.com>\n"
            "Date: Wed, 01 Apr 2026 10:00:00 +0000\n"
            f"{extra}"
            "MIME-Version: 1.0\n"
            'Content-Type: multipart/mixed; boundary="PART"\n\n'
            "--PART\nContent-Type: text/plain; charset=utf-8\n\n"
            "Mijn uitkering is te laat. Het afschrift zit erbij.\n"
            "--PART\n"
            'Content-Type: application/pdf; name="afschrift.pdf"\n'
            'Content-Disposition: attachment; filename="afschrift.pdf"\n'
            "Content-Transfer-Encoding: base64\n\n"
            f"{data}"
            "--PART--\n"
        )

    def process(self, raw):
        return self.env["mail.thread"].sudo().message_process(None, raw)

    def left_by(self, email, subject):
        """What of the e-mail became data: cases, contacts, files, letters."""
        return {
            "cases": self.Complaint.sudo().search_count([("subject", "=", subject)]),
            "contacts": self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("email", "=", email)]),
            "files": self.env["ir.attachment"]
            .sudo()
            .search_count([("name", "=", "afschrift.pdf")]),
            # the acknowledgment of receipt goes to the contact
            "letters": self.env["mail.mail"]
            .sudo()
            .search_count([("recipient_ids.email", "=", email)]),
        }

    def assertKeptForTheCoordinators(self, rejection, reason):
        self.assertEqual(len(rejection), 1)
        self.assertEqual(rejection.reason, reason)
        activities = rejection.activity_ids
        self.assertEqual(activities.activity_type_id, self.activity_type)
        self.assertIn(self.coordinator, activities.user_id)
        self.assertTrue(
            all(
                u.has_group(f"{MODULE}.group_complaint_coordinator")
                for u in activities.user_id
            )
        )
        self.assertEqual(len(activities), len(activities.user_id), "one each")
        self.assertTrue(rejection.original)
        # a coordinator reads it; a medewerker does not see it at all
        self.assertTrue(rejection.with_user(self.coordinator).read(["subject"]))
        self.assertFalse(self.Rejection.with_user(self.employee).has_access("read"))

    def bounces_to(self, email):
        return self.env["mail.mail"].sudo().search([("email_to", "=", email)])

    # ---------------------------------------------------------------- malformed
    def test_a_malformed_e_mail_is_kept_for_the_coordinators_and_answered(self):
        sender = "a.smit@example.com"
        raw = self.mail(
            sender,
            "Klacht over mijn uitkering",
            extra="Content-Transfer-Encoding: 8bit\n",
        ).replace("charset=utf-8", "charset=x-unknown-8bit")
        result = self.process(raw)
        self.assertFalse(result)
        self.assertEqual(
            self.left_by(sender, "Klacht over mijn uitkering"),
            {"cases": 0, "contacts": 0, "files": 0, "letters": 0},
        )
        rejection = self.Rejection.search([("email_from", "=", sender)])
        self.assertKeptForTheCoordinators(rejection, "malformed")
        self.assertEqual(base64.b64decode(rejection.original), raw.encode())
        self.assertIn("x-unknown-8bit", rejection.detail)
        (bounce,) = self.bounces_to(sender)
        self.assertIn("was not registered as a complaint", bounce.body_html)
        self.assertIn("loop-detection-bounce-email", bounce.references)
        # the same e-mail again (the fetcher tried twice): still one record
        self.assertFalse(self.process(raw))
        self.assertEqual(self.Rejection.search_count([("email_from", "=", sender)]), 1)

    def test_a_broken_e_mail_for_someone_else_is_left_to_odoo(self):
        raw = (
            self.mail("b@example.com", "Ander adres")
            .replace(self.alias_email, "iemand@elders.example")
            .replace("charset=utf-8", "charset=x-unknown-8bit")
        )
        with self.assertRaises(LookupError):
            self.process(raw)
        self.assertFalse(self.Rejection.search([("email_from", "=", "b@example.com")]))

    def test_an_automatic_reply_is_not_answered(self):
        sender = "autoreply@example.com"
        raw = self.mail(
            sender, "Afwezig", extra="Auto-Submitted: auto-replied\n"
        ).replace("charset=utf-8", "charset=x-unknown-8bit")
        self.process(raw)
        self.assertTrue(self.Rejection.search([("email_from", "=", sender)]))
        self.assertFalse(self.bounces_to(sender))

    # ---------------------------------------------------------------- oversized
    def test_an_attachment_over_the_limit_refuses_the_whole_e_mail(self):
        sender = "c.visser@example.com"
        subject = "Te late betaling"
        self.assertFalse(self.process(self.with_attachment(sender, subject, 1_200_000)))
        self.assertEqual(
            self.left_by(sender, subject),
            {"cases": 0, "contacts": 0, "files": 0, "letters": 0},
        )
        rejection = self.Rejection.search([("subject", "=", subject)])
        self.assertKeptForTheCoordinators(rejection, "oversized")
        self.assertIn('"afschrift.pdf" (1.1 MB) is larger than 1 MB', rejection.detail)
        original = base64.b64decode(rejection.original)
        self.assertLess(len(original), 10_000, "kept without the attachment")
        self.assertIn(b"left out", original)
        self.assertIn(b"Mijn uitkering is te laat", original)
        (bounce,) = self.bounces_to(sender)
        self.assertIn("larger than 1 MB", bounce.body_html)
        self.assertIn("smaller attachments", bounce.body_html)

    def test_within_the_limit_the_case_is_made(self):
        sender = "d.mulder@example.com"
        self.process(self.with_attachment(sender, "Kleine bijlage", 200_000))
        self.assertEqual(
            self.left_by(sender, "Kleine bijlage"),
            {"cases": 1, "contacts": 1, "files": 1, "letters": 1},
        )
        self.assertFalse(self.Rejection.search([("email_from", "=", sender)]))

    def test_a_reply_with_too_large_an_attachment_leaves_the_case_as_it_was(self):
        sender = "e.bos@example.com"
        self.process(self.mail(sender, "Eerste bericht"))
        complaint = self.Complaint.sudo().search([("subject", "=", "Eerste bericht")])
        messages = len(complaint.message_ids)
        reply = self.with_attachment(
            sender,
            "Re: Eerste bericht",
            1_500_000,
            extra=f"In-Reply-To: {complaint.message_ids[-1].message_id}\n",
        )
        self.process(reply)
        complaint.invalidate_recordset()
        self.assertEqual(len(complaint.message_ids), messages)
        self.assertKeptForTheCoordinators(
            self.Rejection.search([("subject", "=", "Re: Eerste bericht")]), "oversized"
        )

    def test_the_sender_is_answered_in_the_dienst_s_language(self):
        self.company.partner_id.lang = "nl_NL"
        sender = "f.dekker@example.com"
        self.process(self.with_attachment(sender, "Grote scan", 1_300_000))
        (bounce,) = self.bounces_to(sender)
        self.assertIn("is niet als klacht geregistreerd", bounce.body_html)
        self.assertIn("groter dan 1 MB", bounce.body_html)

    # ---------------------------------------------------------------- loop
    def test_a_mail_loop_is_stopped_and_told_once(self):
        self.env["ir.config_parameter"].set_param("mail.gateway.loop.threshold", 3)
        sender = "noreply@autoresponder.example"
        for number in range(6):
            self.process(self.mail(sender, f"Automatisch antwoord {number}"))
        cases = self.Complaint.sudo().search(
            [("subject", "like", "Automatisch antwoord")]
        )
        self.assertEqual(len(cases), 3, "no case after the limit")
        rejection = self.Rejection.search([("email_from", "=", sender)])
        self.assertKeptForTheCoordinators(rejection, "loop")
        self.assertEqual(rejection.mail_count, 3)
        self.assertEqual(
            len(rejection.activity_ids), len(rejection.activity_ids.user_id)
        )
        # Odoo answered the loop itself, tagged so that an answer to it is ignored
        self.assertTrue(
            any(
                "loop-detection-bounce-email" in (m.references or "")
                for m in self.bounces_to(sender)
            )
        )

    # ---------------------------------------------------------------- storage
    def test_a_failure_while_storing_leaves_no_half_case(self):
        """The filestore is full: the case and the contact were made, then the
        attachment could not be written. Nothing of it stays; the e-mail is kept in
        the database for the coordinators."""
        sender = "g.jong@example.com"
        subject = "Schijf vol"
        Attachment = type(self.env["ir.attachment"])
        full = OSError(errno.ENOSPC, "No space left on device")
        with patch.object(Attachment, "_file_write", side_effect=full):
            self.assertFalse(self.process(self.with_attachment(sender, subject, 1000)))
        self.assertEqual(
            self.left_by(sender, subject),
            {"cases": 0, "contacts": 0, "files": 0, "letters": 0},
        )
        rejection = self.Rejection.search([("subject", "=", subject)])
        self.assertKeptForTheCoordinators(rejection, "error")
        self.assertIn("No space left on device", rejection.detail)
        self.assertFalse(self.bounces_to(sender), "not the sender's doing")

    def test_old_rejections_are_removed_after_a_year(self):
        self.process(
            self.mail("h@example.com", "Oud").replace("charset=utf-8", "charset=x-bad")
        )
        rejection = self.Rejection.search([("email_from", "=", "h@example.com")])
        rejection.sudo().write({"received_date": "2025-01-01 10:00:00"})
        self.Rejection._gc_old_rejections()
        self.assertFalse(rejection.exists())

    def test_a_failed_reply_is_kept_with_the_company_of_its_case(self):
        """The reply's original holds the citizen's text: it goes to the
        coordinators of the case's company, never to those of the gateway's."""
        elders = self.env["res.company"].create(
            {"name": "Dienst Elders", "complaint_intake_max_size": 1}
        )
        complaint = self.Complaint.sudo().create(
            {
                "subject": "Klacht elders",
                "category_id": self.category_bejegening.id,
                "channel": "phone",
                "partner_id": self.complainant.id,
                "company_id": elders.id,
            }
        )
        sent = complaint.message_post(body="Uw klacht", subtype_xmlid="mail.mt_note")
        self.process(
            self.with_attachment(
                self.complainant.email,
                "Re: Klacht elders",
                1_500_000,
                extra=f"In-Reply-To: {sent.message_id}\n",
            )
        )
        rejection = self.Rejection.sudo().search(
            [("subject", "=", "Re: Klacht elders")]
        )
        self.assertEqual(len(rejection), 1)
        self.assertEqual(rejection.company_id, elders)
        self.assertFalse(
            self.Rejection.with_user(self.coordinator).search(
                [("id", "=", rejection.id)]
            ),
            "the gateway company's coordinator does not read it",
        )
