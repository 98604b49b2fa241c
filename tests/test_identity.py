"""A complaint filed without logging in belongs to nobody's portal account until the
owner of the address confirms it (models/complaint_claim.py)."""

import re
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.mail.tests.common import MailCase

from .common import ComplaintCase
from .portal_common import PortalCase
from .test_mail_intake import MAIL_REPLY

CLAIM_LINK = re.compile(r"/my/complaints/confirm/([\w-]+)")


@tagged("post_install", "-at_install")
class TestIdentityForm(PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.complaint_intake_rate_limit = 50
        # the account confirms with the address it logs in with, not with the one
        # its owner can type into the account (models/complaint_claim.py)
        cls.citizen.write(
            {"login": "sanne@example.com", "password": "sanne@example.com"}
        )

    def submit(self, **values):
        """File a complaint on /klacht as whoever is logged in; returns the case."""
        data = {
            "name": "Sanne Bakker",
            "email": "sanne@example.com",
            "phone": "",
            "subject": "Niemand belde terug",
            "description": "Ik heb drie keer gebeld.",
            "privacy_accepted": "1",
            **values,
        }
        data["csrf_token"] = re.search(
            r'name="csrf_token" value="([^"]+)"', self.get("/klacht").text
        ).group(1)
        self.env.flush_all()
        response = self.url_open(
            "/klacht", data=data, files=[("attachments", ("", b""))]
        )
        self.env.invalidate_all()
        self.assertEqual(response.status_code, 200, response.text[-2000:])
        reference = re.search(
            r'id="complaint_reference"[^>]*>([^<]+)<', response.text
        ).group(1)
        return self.Complaint.sudo().search([("name", "=", reference)])

    def claim_links(self, complaint):
        """The confirmation links as they went out by e-mail (the message kept on
        the case has none)."""
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", complaint._name), ("res_id", "=", complaint.id)])
        )
        return [
            match.group(0)
            for match in CLAIM_LINK.finditer(" ".join(mails.mapped("body_html")))
        ]

    def claim_link(self, complaint):
        return self.claim_links(complaint)[0]

    def assertNotInAccount(self, complaint, user):
        self.login(user)
        self.assertNotIn(
            complaint.subject, self.get("/my/complaints?filterby=all").text
        )
        self.assertEqual(self.get(complaint.access_url).status_code, 404)
        self.assertRpcDenied("municipal.complaint", "read", complaint.ids, ["subject"])

    # ------------------------------------------------------------------ binding
    def test_form_complaint_with_a_portal_users_address_gets_its_own_contact(self):
        self.login(None)
        complaint = self.submit(subject="Mijn eigen klacht over de balie")
        self.assertTrue(complaint.partner_id)
        self.assertNotEqual(complaint.partner_id, self.citizen.partner_id)
        self.assertFalse(complaint.partner_id.user_ids)
        self.assertEqual(complaint.partner_id.email, "sanne@example.com")
        self.assertNotInAccount(complaint, self.citizen)

    def test_form_complaint_is_never_bound_to_a_child_contact_of_a_user(self):
        # the attacker adds a delivery address with the victim's e-mail to their account
        self.env["res.partner"].create(
            {
                "name": "Bezorgadres",
                "type": "delivery",
                "parent_id": self.user_b.partner_id.id,
                "email": "slachtoffer@example.com",
            }
        )
        self.login(None)
        complaint = self.submit(
            email="slachtoffer@example.com", subject="Klacht van het slachtoffer"
        )
        self.assertFalse(complaint.partner_id.parent_id)
        self.assertNotInAccount(complaint, self.user_b)

    def test_form_complaint_with_an_employees_address_is_not_the_employees(self):
        self.employee.partner_id.email = "eva@dienst.example.com"
        self.login(None)
        complaint = self.submit(email="eva@dienst.example.com", subject="Namens Eva")
        self.assertNotEqual(complaint.partner_id, self.employee.partner_id)
        self.assertFalse(complaint.partner_id.user_ids)

    def test_logged_in_citizen_files_as_themselves(self):
        self.login(self.citizen)
        complaint = self.submit(subject="Ingelogd ingediend")
        self.assertEqual(complaint.partner_id, self.citizen.partner_id)
        self.assertIn("Ingelogd ingediend", self.get("/my/complaints").text)
        self.assertEqual(self.get(complaint.access_url).status_code, 200)
        self.assertFalse(
            self.claim_links(complaint),
            "a complaint already in the account needs no confirmation link",
        )

    # ------------------------------------------------------------- confirmation
    def test_confirmation_link_adds_the_complaint_to_the_account_once(self):
        self.login(None)
        complaint = self.submit(subject="Bevestig mij")
        link = self.claim_link(complaint)
        contact = complaint.partner_id
        self.assertIn(contact, complaint.message_partner_ids)
        # not logged in: the link asks to log in first
        response = self.get(link, allow_redirects=False)
        self.assertIn("/web/login", response.headers.get("Location", ""))

        self.login(self.citizen)
        page = self.get(link)
        self.assertEqual(page.status_code, 200)
        self.assertIn(complaint.name, page.text)
        self.assertNotIn(
            "Bevestig mij", self.get("/my/complaints").text, "a GET confirms nothing"
        )
        response = self.post(link, {})
        self.assertEqual(response.status_code, 200)
        self.assertIn(complaint.access_url, response.url)
        self.assertEqual(complaint.partner_id, self.citizen.partner_id)
        self.assertIn("Bevestig mij", self.get("/my/complaints").text)
        self.assertIn(self.citizen.partner_id, complaint.message_partner_ids)
        self.assertNotIn(contact, complaint.message_partner_ids)
        # once: the link is spent
        self.assertEqual(self.post(link, {}).status_code, 404)

    def test_confirmation_link_refuses_an_account_of_another_address(self):
        self.login(None)
        complaint = self.submit(subject="Doorgestuurde bevestiging")
        link = self.claim_link(complaint)
        # the acknowledgment was forwarded to someone with another account
        self.login(self.user_a)
        self.assertEqual(self.get(link).status_code, 403)
        self.assertIn("another e-mail address", self.post(link, {}).text)
        self.assertNotEqual(complaint.partner_id, self.user_a.partner_id)
        self.assertNotInAccount(complaint, self.user_a)
        # an employee cannot take it either
        self.login(self.coordinator)
        self.assertEqual(self.post(link, {}).status_code, 403)
        # and the owner still can
        self.login(self.citizen)
        self.assertEqual(self.post(link, {}).status_code, 200)
        self.assertEqual(complaint.partner_id, self.citizen.partner_id)

    def test_confirmation_link_expires(self):
        self.login(None)
        complaint = self.submit(subject="Te laat bevestigd")
        link = self.claim_link(complaint)
        self.env["municipal.complaint.claim"].sudo().search(
            [("complaint_id", "=", complaint.id)]
        ).write({"expiration_date": fields.Datetime.now() - timedelta(minutes=1)})
        self.login(self.citizen)
        self.assertEqual(self.post(link, {}).status_code, 404)
        self.assertNotEqual(complaint.partner_id, self.citizen.partner_id)

    def test_confirmation_link_ends_when_the_complainant_is_corrected(self):
        self.login(None)
        complaint = self.submit(subject="Verkeerde klager")
        link = self.claim_link(complaint)
        complaint.with_user(self.coordinator).partner_id = self.other_citizen
        self.login(self.citizen)
        self.assertEqual(self.post(link, {}).status_code, 403)
        self.assertEqual(complaint.partner_id, self.other_citizen)

    def test_only_a_hash_of_the_link_is_stored(self):
        self.login(None)
        complaint = self.submit(subject="Geheime link")
        token = self.claim_link(complaint).rsplit("/", 1)[1]
        claim = (
            self.env["municipal.complaint.claim"]
            .sudo()
            .search([("complaint_id", "=", complaint.id)])
        )
        self.assertEqual(len(claim), 1)
        self.assertNotIn(token, str(claim.read()[0]))
        with self.assertRaises(AccessError):
            claim.with_user(self.coordinator).read(["token_hash"])


class TestIdentityMail(ComplaintCase, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        alias = cls.env.ref("municipal_complaint.mail_alias_complaints")
        alias.alias_domain_id = cls.mail_alias_domain
        cls.alias_email = f"klachten@{cls.alias_domain}"
        # a portal user who set their address to the victim's
        cls.attacker = new_test_user(
            cls.env,
            "mc_attacker",
            groups="base.group_portal",
            email="slachtoffer@example.com",
        )

    def process(self, email_from, subject):
        with self.mock_mail_gateway():
            return self.format_and_process(
                MAIL_REPLY,
                email_from,
                self.alias_email,
                subject=subject,
                target_model="municipal.complaint",
                target_field="subject",
            )

    def test_mail_from_a_portal_users_address_gets_its_own_contact_and_author(self):
        complaint = self.process(
            '"Slachtoffer" <slachtoffer@example.com>', "Mijn uitkering"
        )
        self.assertTrue(complaint.partner_id)
        self.assertNotEqual(complaint.partner_id, self.attacker.partner_id)
        self.assertFalse(complaint.partner_id.user_ids)
        incoming = complaint.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(incoming.author_id, complaint.partner_id)
        # the attacker reads neither the case nor the mail
        Message = self.env["mail.message"].with_user(self.attacker)
        self.assertFalse(Message.search([("id", "=", incoming.id)]))
        with self.assertRaises(AccessError):
            incoming.with_user(self.attacker).read(["body"])
        with self.assertRaises(AccessError):
            complaint.with_user(self.attacker).read(["subject"])

    def test_mail_from_a_known_address_is_not_bound_to_that_contact(self):
        complaint = self.process("J. Jansen <j.jansen@example.com>", "Weer te laat")
        self.assertNotEqual(complaint.partner_id, self.complainant)
        self.assertEqual(complaint.partner_id.email, "j.jansen@example.com")
