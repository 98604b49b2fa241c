"""Followers follow the people involved now (models/complaint_followers.py)."""

from odoo.addons.mail.tests.common import MailCase

from .test_referral import ReferralCase


class TestFollowers(ReferralCase, MailCase):
    def test_rereferral_unsubscribes_the_first_partners_contacts(self):
        complaint = self.create_complaint()
        with self.mock_mail_gateway():
            self.refer(complaint)
        self.assertIn(self.partner_contact, complaint.message_partner_ids)
        with self.mock_mail_gateway():
            self.refer(complaint, partner=self.other_org)
        self.assertNotIn(self.partner_contact, complaint.message_partner_ids)
        self.assertIn(self.other_contact, complaint.message_partner_ids)
        # the conclusion letter and later messages no longer reach them
        with self.mock_mail_gateway():
            complaint.with_user(self.coordinator).message_post(
                body="Aan de nieuwe partner",
                message_type="comment",
                subtype_xmlid="municipal_complaint.mt_complaint_partner_message",
            )
        self.assertFalse(
            [
                mail
                for mail in self._mails
                if "petra@werkbedrijf.example.com" in str(mail["email_to"])
            ]
        )

    def test_corrected_complainant_no_longer_follows(self):
        complaint = self.create_complaint()
        complaint.message_subscribe(partner_ids=self.complainant.ids)
        corrected = self.env["res.partner"].create(
            {"name": "Johan Jansen", "email": "johan@example.com"}
        )
        complaint.with_user(self.coordinator).partner_id = corrected
        self.assertNotIn(self.complainant, complaint.message_partner_ids)
        self.assertIn(corrected, complaint.message_partner_ids)

    def test_replaced_handler_no_longer_follows_nor_reads_the_case(self):
        complaint = self.create_complaint(subject="Van handler gewisseld")
        # as in the form: the new handler is subscribed by Odoo
        complaint = complaint.with_context(tracking_disable=False)
        complaint.with_user(self.coordinator).user_id = self.employee
        self.assertIn(self.employee.partner_id, complaint.message_partner_ids)
        self.assertTrue(
            self.Complaint.with_user(self.employee).search([("id", "=", complaint.id)])
        )
        complaint.with_user(self.coordinator).user_id = self.colleague
        self.assertNotIn(self.employee.partner_id, complaint.message_partner_ids)
        self.assertFalse(
            self.Complaint.with_user(self.employee).search([("id", "=", complaint.id)])
        )
        self.assertTrue(
            self.Complaint.with_user(self.colleague).search([("id", "=", complaint.id)])
        )

    def test_a_colleague_involved_by_the_coordinator_keeps_following(self):
        complaint = self.create_complaint(user_id=self.employee.id)
        complaint.message_subscribe(partner_ids=self.employee.partner_id.ids)
        complaint.with_user(self.coordinator).message_subscribe(
            partner_ids=self.colleague.partner_id.ids
        )
        complaint.with_user(self.coordinator).user_id = self.coordinator
        self.assertIn(self.colleague.partner_id, complaint.message_partner_ids)
        self.assertNotIn(self.employee.partner_id, complaint.message_partner_ids)
