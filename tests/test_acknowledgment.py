"""The acknowledgment of receipt (Awb 9:6): e-mailed on registration when the
complainant has an address, otherwise offered for printing; never for imported or
historic cases."""

from datetime import date

from freezegun import freeze_time

from odoo import SUPERUSER_ID
from odoo.exceptions import UserError
from odoo.tools import format_date

from .common import ComplaintCase


@freeze_time("2026-03-11")
class TestAcknowledgment(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company._get_complaint_calendar()._generate_dutch_holidays([2026])
        cls.mt_comment = cls.env.ref("mail.mt_comment")

    def letter_date(self, day):
        """A date as the letters write it, in the complainant's language."""
        return format_date(
            self.env, day, lang_code=self.complainant.lang, date_format="EEEE d MMMM y"
        )

    def acknowledgments(self, complaint):
        return complaint.message_ids.filtered(
            lambda m: (
                m.subtype_id == self.mt_comment and self.complainant in m.partner_ids
            )
        )

    def register_by_itself(self, **values):
        """A complaint that comes in by itself: the mail gateway registers it as the
        system user (the public form likewise, in sudo)."""
        vals = {
            "subject": "Niet teruggebeld",
            "category_id": self.category_bejegening.id,
            "channel": "email",
            "received_date": date(2026, 3, 11),
            "partner_id": self.complainant.id,
        }
        vals.update(values)
        return self.Complaint.with_user(SUPERUSER_ID).sudo().create(vals).sudo(False)

    def test_sent_on_registration_with_reference_deadlines_and_handler(self):
        complaint = self.register_by_itself(user_id=self.employee.id)
        self.assertEqual(complaint.acknowledgment_date, date(2026, 3, 11))
        self.assertFalse(complaint.acknowledgment_needed)
        mail = self.acknowledgments(complaint)
        self.assertEqual(len(mail), 1)
        self.assertIn(complaint.name, mail.subject)
        self.assertIn(complaint.name, mail.body)
        self.assertIn(
            self.letter_date(date(2026, 3, 18)), mail.body
        )  # contact deadline
        self.assertIn(self.letter_date(date(2026, 4, 22)), mail.body)  # legal term
        self.assertIn("Eva Medewerker", mail.body)
        self.assertTrue(
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", mail.id)])
        )

    def test_a_complaint_by_mail_is_acknowledged_by_the_dienst(self):
        # the mail gateway registers the case as the system user (OdooBot)
        gateway = self.Complaint.with_user(SUPERUSER_ID).sudo()
        complaint = gateway.create(
            {
                "subject": "Uitkering te laat",
                "category_id": self.category_bejegening.id,
                "channel": "email",
                "partner_id": self.complainant.id,
            }
        )
        self.assertEqual(
            self.acknowledgments(complaint).author_id, self.company.partner_id
        )

    def test_sent_in_the_complainants_language(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.complainant.lang = "nl_NL"
        complaint = self.register_by_itself()
        self.assertIn("maart", self.acknowledgments(complaint).body)

    def test_staff_registration_waits_for_the_letter_step(self):
        """Staff who register a complaint see the acknowledgment before it goes: it
        is not sent by itself, and the case asks for it."""
        complaint = self.create_complaint(user=self.employee)
        self.assertFalse(complaint.acknowledgment_date)
        self.assertFalse(self.acknowledgments(complaint))
        self.assertTrue(complaint.acknowledgment_needed)
        self.assertEqual(complaint.with_user(self.employee).next_step, "acknowledge")

    def test_not_sent_for_a_late_registration_but_offered(self):
        complaint = self.register_by_itself(received_date=date(2026, 2, 2))
        self.assertFalse(complaint.acknowledgment_date)
        self.assertFalse(self.acknowledgments(complaint))
        self.assertTrue(complaint.acknowledgment_needed)
        complaint.with_user(self.coordinator).action_send_acknowledgment()
        self.assertEqual(len(self.acknowledgments(complaint)), 1)
        self.assertEqual(complaint.acknowledgment_date, date(2026, 3, 11))

    def test_not_sent_for_imports_and_data(self):
        for key in ("import_file", "install_mode", "complaint_no_acknowledgment"):
            complaint = (
                self.Complaint.with_user(self.coordinator)
                .with_context(**{key: True})
                .create(
                    {
                        "subject": "Historisch",
                        "category_id": self.category_bejegening.id,
                        "received_date": date(2026, 3, 11),
                        "partner_id": self.complainant.id,
                    }
                )
            )
            self.assertFalse(complaint.acknowledgment_date, key)
            self.assertFalse(self.acknowledgments(complaint), key)

    def test_not_sent_for_a_proactive_contact_nor_anonymously(self):
        proactive = self.create_complaint(category_id=self.category_proactief.id)
        self.assertFalse(proactive.acknowledgment_date)
        self.assertFalse(proactive.acknowledgment_needed)
        anonymous = self.create_complaint(partner_id=False)
        self.assertFalse(anonymous.acknowledgment_date)
        self.assertFalse(anonymous.acknowledgment_needed)

    def test_without_email_the_form_offers_a_letter(self):
        self.complainant.email = False
        complaint = self.create_complaint()
        self.assertFalse(complaint.acknowledgment_date)
        self.assertTrue(complaint.acknowledgment_needed)
        with self.assertRaises(UserError):
            complaint.with_user(self.coordinator).action_send_acknowledgment()
        action = complaint.with_user(self.coordinator).action_print_acknowledgment()
        self.assertEqual(
            action["report_name"], "municipal_complaint.report_acknowledgment"
        )
        self.assertEqual(complaint.acknowledgment_date, date(2026, 3, 11))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "municipal_complaint.action_report_acknowledgment", complaint.ids
            )[0]
            .decode()
        )
        self.assertIn(complaint.name, html)
        self.assertIn(self.letter_date(date(2026, 3, 18)), html)
        self.assertIn("J. Jansen", html)

    # ------------------------------------------------------------------ abuse
    def file(self, client, **values):
        """A complaint through the public form's model path, as the public user."""
        public = self.env.ref("base.public_user")
        return (
            self.Complaint.with_user(public)
            .sudo()
            ._create_from_intake(
                {
                    "name": "Klik hier: https://phishing.example.com",
                    "email": "slachtoffer@example.com",
                    "subject": "Uw uitkering is stopgezet, bel 0900-1234",
                    "description": "Een tekst naar keuze.",
                    "privacy_accepted": True,
                    **values,
                },
                client_address=client,
            )
        )

    def test_automatic_acknowledgment_repeats_no_text_the_sender_typed(self):
        self.company.complaint_intake_category_id = self.category_bejegening
        complaint = self.file("192.0.2.1")
        mail = complaint.message_ids.filtered(
            lambda m: m.subtype_id == self.mt_comment and m.partner_ids
        )
        self.assertEqual(len(mail), 1)
        for typed in ("phishing", "stopgezet", "0900", "Klik hier"):
            self.assertNotIn(typed, mail.body)
            self.assertNotIn(typed, mail.subject)
        self.assertIn(complaint.name, mail.body)

    def test_automatic_acknowledgment_is_limited_per_address(self):
        self.company.complaint_intake_category_id = self.category_bejegening
        complaints = self.Complaint
        for n in range(5):
            complaints |= self.file(f"192.0.2.{n}", subject=f"Klacht {n}")
        acknowledged = complaints.filtered("acknowledgment_date")
        self.assertEqual(len(acknowledged), 3)
        for complaint in complaints - acknowledged:
            self.assertTrue(complaint.acknowledgment_needed)
            self.assertTrue(
                complaint.message_ids.filtered(
                    lambda m: "No automatic acknowledgment" in (m.body or "")
                )
            )
        # another address is not affected
        other = self.file("192.0.2.9", email="iemand.anders@example.com")
        self.assertTrue(other.acknowledgment_date)
