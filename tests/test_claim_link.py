"""Security review: the confirmation link of an acknowledgment
(models/complaint_claim.py) and the letter previews. These tests fail while the hole
they describe is open."""

import re

from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import ComplaintCase
from .portal_common import PortalCase

CLAIM_LINK = re.compile(r"/my/complaints/confirm/([\w-]+)")


@tagged("post_install", "-at_install")
class TestReviewClaim(PortalCase):
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

    def test_review_a_portal_account_cannot_take_a_complaint_by_changing_its_email(
        self,
    ):
        """The link "only works for the portal account of the address it was sent
        to" (docs/production.md, section 4), but the account's address is whatever
        its owner types: any portal user who gets hold of the link (a forwarded
        acknowledgment, a shared mailbox, a colleague at the Dienst who reads the
        chatter) sets their own e-mail to the complainant's, confirms, and reads the
        complaint and every later letter."""
        complaint = self.submit()
        link = self.sent_claim_link(complaint)
        self.assertTrue(link)
        attacker = self.user_b  # a contract partner's contact, any portal account
        self.login(attacker)
        self.rpc("res.users", "write", [attacker.id], {"email": "vera@example.com"})
        self.post(link, {})
        self.assertNotEqual(complaint.partner_id, attacker.partner_id)
        self.assertEqual(self.get(complaint.access_url).status_code, 404)

    def test_review_confirmation_link_is_not_kept_in_the_chatter(self):
        """ "Only a hash of it is stored" (complaint_claim.py): the acknowledgment
        message on the case holds the working link in clear, for whoever reads
        the chatter, the inzage export and the mail queue."""
        complaint = self.submit()
        bodies = " ".join(complaint.sudo().message_ids.mapped("body"))
        match = CLAIM_LINK.search(bodies)
        usable = match and self.env["municipal.complaint.claim"]._find(match.group(1))
        self.assertFalse(usable, "a usable confirmation token is stored on the case")

    def test_review_staff_acknowledgment_carries_a_working_confirmation_link(self):
        """Staff send the acknowledgment after its preview; the preview issued a
        link in a savepoint that was rolled back, and the e-mail sent is the
        previewed text: its link is dead, the one issued when sending is in no
        e-mail, so a complaint registered by staff never reaches a portal
        account."""
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


class TestReviewReferralPreview(ComplaintCase, MockEmail):
    def test_review_referral_preview_sends_no_portal_invitation(self):
        """The preview "changes nothing" (models/complaint_letter.py), but the
        referral step gives the partner's contacts a portal account through
        Odoo's portal wizard, which sends its invitation at once (force_send):
        previewing a referral that is then cancelled mails the partner's people
        about an account that was rolled back."""
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
