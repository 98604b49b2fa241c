"""E-mail to klachten@: a new case per complaint, replies on the case they answer."""

from odoo.addons.mail.tests.common import MailCase

from .common import ComplaintCase

# the headers format_and_process fills in; {extra} adds In-Reply-To and References
MAIL_HEADERS = """Return-Path: {return_path}
To: {to}
cc: {cc}
From: {email_from}
Subject: {subject}
MIME-Version: 1.0
Date: {date}
Message-ID: {msg_id}
{extra}"""

MAIL_WITH_ATTACHMENT = (
    MAIL_HEADERS
    + """Content-Type: multipart/mixed; boundary="----=_Part_complaint"

------=_Part_complaint
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Mijn uitkering is te laat betaald en niemand neemt de telefoon op.

------=_Part_complaint
Content-Type: application/pdf; name="afschrift.pdf"
Content-Disposition: attachment; filename="afschrift.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJSVFT0YK
------=_Part_complaint--
"""
)

MAIL_REPLY = (
    MAIL_HEADERS
    + """Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Inmiddels is het bedrag binnen, maar ik wil nog steeds een reactie.
"""
)


class TestMailIntake(ComplaintCase, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.alias = cls.env.ref("municipal_complaint.mail_alias_complaints")
        cls.alias.alias_domain_id = cls.mail_alias_domain
        cls.alias_email = f"klachten@{cls.alias_domain}"

    def _process(self, template, email_from, subject, **kwargs):
        with self.mock_mail_gateway():
            return self.format_and_process(
                template,
                email_from,
                self.alias_email,
                subject=subject,
                target_model="municipal.complaint",
                target_field="subject",
                **kwargs,
            )

    def test_alias_defaults_to_klachten_at_the_alias_domain(self):
        self.assertEqual(self.alias.alias_full_name, self.alias_email)
        self.assertEqual(self.alias.alias_model_id.model, "municipal.complaint")

    def test_mail_from_unknown_sender_creates_a_case_and_a_contact(self):
        complaint = self._process(
            MAIL_WITH_ATTACHMENT,
            '"Els de Boer" <els.deboer@example.com>',
            "Uitkering te laat",
        )
        self.assertEqual(len(complaint), 1)
        self.assertRegex(complaint.name, r"^KL/\d{4}/\d{4}$")
        self.assertEqual(complaint.channel, "email")
        self.assertEqual(
            complaint.category_id, self.env.ref("municipal_complaint.category_overig")
        )
        self.assertEqual(complaint.partner_id.email, "els.deboer@example.com")
        self.assertEqual(complaint.partner_id.name, "Els de Boer")
        self.assertIn("te laat betaald", complaint.description)
        incoming = complaint.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(incoming), 1)
        self.assertEqual(incoming.attachment_ids.mapped("name"), ["afschrift.pdf"])
        self.assertEqual(incoming.author_id, complaint.partner_id)

    def test_mail_from_a_known_address_gets_a_contact_of_its_own(self):
        """The From: header proves nothing: an existing contact with the address is
        not the complainant until they confirm (models/complaint_claim.py)."""
        partners_before = self.env["res.partner"].search_count([])
        complaint = self._process(
            MAIL_WITH_ATTACHMENT, "J. Jansen <j.jansen@example.com>", "Weer te laat"
        )
        self.assertNotEqual(complaint.partner_id, self.complainant)
        self.assertEqual(complaint.partner_id.email, "j.jansen@example.com")
        self.assertEqual(complaint.partner_id.name, "J. Jansen")
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before + 1)

    def test_reply_lands_on_the_existing_case(self):
        msg_id = "<complaint-1@els.example.com>"
        complaint = self._process(
            MAIL_WITH_ATTACHMENT,
            "els.deboer@example.com",
            "Uitkering te laat",
            msg_id=msg_id,
        )
        cases_before = self.Complaint.search_count([])
        self._process(
            MAIL_REPLY,
            "els.deboer@example.com",
            "Re: Uitkering te laat",
            extra=f"In-Reply-To: {msg_id}\nReferences: {msg_id}\n",
        )
        self.assertEqual(
            self.Complaint.search_count([]),
            cases_before,
            "a reply does not open a new case",
        )
        bodies = complaint.message_ids.filtered(
            lambda m: m.message_type == "email"
        ).mapped("body")
        self.assertEqual(len(bodies), 2)
        self.assertTrue(any("nog steeds een reactie" in body for body in bodies))

    def test_forwarded_by_an_employee_leaves_the_complainant_to_fill_in(self):
        self.employee.partner_id.email = "eva@dienst.example.com"
        complaint = self._process(
            MAIL_REPLY, "eva@dienst.example.com", "Doorgestuurde klacht"
        )
        self.assertEqual(complaint.channel, "email")
        self.assertFalse(complaint.partner_id)
