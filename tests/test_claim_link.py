"""The confirmation link of an acknowledgment (models/complaint_claim.py) and the
letter previews: the link goes out in the e-mail only, works for the account that logs
in with its address, and a preview sends nothing."""

import re

from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import ComplaintCase
from .portal_common import PortalCase

CLAIM_LINK = re.compile(r"/my/complaints/confirm/([\w-]+)")


@tagged("post_install", "-at_install")
class TestClaimLink(PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.complaint_intake_rate_limit = 50

    def submit(self, **values):
        """File a complaint on /klacht without logging in; returns the case."""
        self.login(None)
        data = {
            "name": "Vera Slachtoffer",
            "email": "vera@example.com",
            "phone": "",
            "subject": "Mijn bijstand is stopgezet",
            "description": "Ik ben ziek en heb geen inkomen meer.",
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
        reference = re.search(
            r'id="complaint_reference"[^>]*>([^<]+)<', response.text
        ).group(1)
        return self.Complaint.sudo().search([("name", "=", reference)])

    def sent_claim_link(self, complaint):
        """The confirmation link as it went out by e-mail."""
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", complaint._name), ("res_id", "=", complaint.id)])
        )
        match = CLAIM_LINK.search(" ".join(mails.mapped("body_html")))
        return match and match.group(0)

    def test_a_portal_account_cannot_take_a_complaint_by_changing_its_email(self):
        """Any portal user who gets hold of the link (a forwarded acknowledgment, a
        shared mailbox) sets their own e-mail to the complainant's and confirms:
        refused, the account must log in with the address the link was sent to."""
        complaint = self.submit()
        link = self.sent_claim_link(complaint)
        self.assertTrue(link)
        attacker = self.user_b  # a contract partner's contact, any portal account
        self.login(attacker)
        self.rpc("res.users", "write", [attacker.id], {"email": "vera@example.com"})
        self.post(link, {})
        self.assertNotEqual(complaint.partner_id, attacker.partner_id)
        self.assertEqual(self.get(complaint.access_url).status_code, 404)

    def test_the_confirmation_link_is_not_kept_in_the_chatter(self):
        """Only a hash of the link is stored: the acknowledgment message on the case
        holds no working link (the chatter, the inzage export)."""
        complaint = self.submit()
        bodies = " ".join(complaint.sudo().message_ids.mapped("body"))
        match = CLAIM_LINK.search(bodies)
        usable = match and self.env["municipal.complaint.claim"]._find(match.group(1))
        self.assertFalse(usable, "a usable confirmation token is stored on the case")

    def test_an_acknowledgment_sent_by_staff_carries_a_working_confirmation_link(self):
        """Staff send the acknowledgment after its preview, which issues no link: the
        e-mail sent carries the link issued when it is sent."""
        contact = self.env["res.partner"].create(
            {"name": "Vera Telefoon", "email": "vera.tel@example.com"}
        )
        complaint = self.create_complaint(user=self.employee, partner_id=contact.id)
        wizard = (
            self.env["municipal.complaint.letter.wizard"]
            .with_user(self.employee)
            .with_context(default_complaint_id=complaint.id)
            .create({})
        )
        wizard.action_send()
        link = self.sent_claim_link(complaint)
        self.assertTrue(link, "the acknowledgment offers the confirmation link")
        token = link.rsplit("/", 1)[1]
        self.assertTrue(
            self.env["municipal.complaint.claim"]._find(token),
            "the confirmation link in the acknowledgment does not work",
        )


class TestReferralPreview(ComplaintCase, MockEmail):
    def test_a_referral_preview_sends_no_portal_invitation(self):
        """The preview changes nothing (models/complaint_letter.py): it gives the
        partner's contacts no portal account, so Odoo mails them no invitation."""
        org = self.env["res.partner"].create(
            {"name": "Werkbedrijf", "is_company": True, "is_complaint_partner": True}
        )
        self.env["res.partner"].create(
            {"name": "Petra", "parent_id": org.id, "email": "petra@werk.example.com"}
        )
        complaint = self.create_complaint(user=self.coordinator)
        wizard = (
            self.env["municipal.complaint.referral.wizard"]
            .with_user(self.coordinator)
            .with_context(default_complaint_id=complaint.id)
            .create({"referral_partner_id": org.id})
        )
        with self.mock_mail_gateway():
            wizard.action_preview_letter()
        self.assertFalse(complaint.referral_partner_id, "the preview changed nothing")
        sent_to = [address for mail in self._mails for address in mail["email_to"]]
        self.assertFalse(
            [to for to in sent_to if "petra@werk.example.com" in to],
            "the preview mailed the partner's contact",
        )
