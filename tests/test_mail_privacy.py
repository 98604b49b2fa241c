"""E-mail to klachten@ and the server log: the sender becomes a complainant's contact
of the case's company, and the log names no one (docs/production.md, "Logs")."""

import logging

from odoo.addons.mail.tests.common import MailCase
from odoo.addons.municipal_complaint.models.log_privacy import (
    MASKED_LOGGERS,
    MaskAddressesFilter,
    mask_addresses,
)

from .common import ComplaintCase
from .test_mail_intake import MAIL_WITH_ATTACHMENT

SENDER = "Willemijn Kortenhoeven <w.kortenhoeven@example.net>"


class TestMailPrivacy(ComplaintCase, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        alias = cls.env.ref("municipal_complaint.mail_alias_complaints")
        alias.alias_domain_id = cls.mail_alias_domain
        cls.alias_email = f"klachten@{cls.alias_domain}"

    def process(self):
        with self.mock_mail_gateway():
            return self.format_and_process(
                MAIL_WITH_ATTACHMENT,
                SENDER,
                self.alias_email,
                subject="Uitkering te laat",
                target_model="municipal.complaint",
                target_field="subject",
            )

    def test_the_sender_becomes_a_hidden_contact_of_the_company(self):
        complaint = self.process()
        contact = complaint.partner_id
        self.assertEqual(contact.email, "w.kortenhoeven@example.net")
        self.assertTrue(contact.is_complainant_contact)
        self.assertEqual(contact.company_id, complaint.company_id)
        self.assertFalse(
            self.env["res.partner"]
            .with_user(self.outsider)
            .search([("email", "=", "w.kortenhoeven@example.net")])
        )

    def test_the_gateway_logs_no_sender_address(self):
        # logging.INFO: Odoo gives the name "INFO" to a level of its own
        with self.assertLogs(
            "odoo.addons.mail.models.mail_thread", logging.INFO
        ) as logs:
            self.process()
        # assertLogs' handler formats the records the filter already masked
        text = "\n".join(logs.output)
        self.assertIn("Routing mail from", text)
        self.assertNotIn("kortenhoeven", text.lower())
        self.assertNotIn("Willemijn", text)
        self.assertIn("w***********en@example.net", text)
        self.assertIn(f"k*****en@{self.alias_domain}", text)

    def test_the_filter_is_on_the_mail_loggers_once(self):
        for name in MASKED_LOGGERS:
            filters = [
                f
                for f in logging.getLogger(name).filters
                if isinstance(f, MaskAddressesFilter)
            ]
            self.assertEqual(len(filters), 1, name)

    def test_masking(self):
        self.assertEqual(
            mask_addresses('"Jan Jansen" <jan.jansen@example.com>, piet@example.org'),
            "j*******en@example.com, p***@example.org",
        )
        # a Message-Id stays, to trace a mail
        message_id = "<CAF123.456@mail.example.com>"
        self.assertEqual(mask_addresses(message_id), message_id)
        self.assertEqual(mask_addresses(["jan@example.com"]), ["j**@example.com"])
        self.assertEqual(
            mask_addresses("refused: {'jan@example.com': (550, b'no')}", header=False),
            "refused: {'j**@example.com': (550, b'no')}",
        )
        self.assertEqual(mask_addresses(42), 42)
        self.assertEqual(mask_addresses("geen adres"), "geen adres")
