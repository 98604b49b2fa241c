"""Referral (doorverwijzing) to a contract partner, and the partner's answer."""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user

from odoo.addons.mail.tests.common import MailCase

from .referral_common import ContractPartnerCase


class ReferralCase(ContractPartnerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_org, (cls.partner_contact, cls.partner_contact_no_mail) = (
            cls.create_contract_partner(
                "Werkbedrijf Oost",
                ("Petra de Vries", "petra@werkbedrijf.example.com"),
                ("Receptie", False),
            )
        )
        cls.other_org, cls.other_contact = cls.create_contract_partner(
            "Schuldhulp West", ("Kees Smit", "kees@schuldhulp.example.com")
        )

    def refer(self, complaint, partner=None, user=None, **values):
        wizard_form = Form(
            self.env["municipal.complaint.referral.wizard"]
            .with_user(user or self.coordinator)
            .with_context(default_complaint_id=complaint.id)
        )
        wizard_form.referral_partner_id = partner or self.partner_org
        for name, value in values.items():
            setattr(wizard_form, name, value)
        return wizard_form.save().action_refer()


class TestReferral(ReferralCase, MailCase):
    def test_referral_grants_portal_access_and_notifies_the_partner(self):
        complaint = self.create_complaint(subject="Coach kwam niet opdagen")
        with self.mock_mail_gateway():
            self.refer(
                complaint, note="Graag deze week contact opnemen.", share_contact=True
            )

        self.assertEqual(complaint.referral_partner_id, self.partner_org)
        self.assertEqual(complaint.referral_note, "Graag deze week contact opnemen.")
        self.assertTrue(complaint.referral_date)
        self.assertTrue(complaint.referral_share_contact)
        self.assertEqual(complaint.mediation_state, "ongoing")
        self.assertEqual(
            complaint.stage_id, self.env.ref("municipal_complaint.stage_referred")
        )
        self.assertEqual(complaint.category_id, self.category_doorverwijzing)
        self.assertEqual(complaint.kind, "referral")

        # the contact with an e-mail got a portal account (with the Odoo invitation)
        user = self.partner_contact.user_ids
        self.assertEqual(len(user), 1)
        self.assertTrue(user._is_portal())
        self.assertEqual(user.company_id, complaint.company_id)
        self.assertFalse(self.partner_contact_no_mail.user_ids)

        # the referral is on the partner conversation, and e-mailed to
        # the contact with a portal link
        notification = complaint.message_ids.filtered(
            lambda m: m.subtype_id == self.partner_subtype
        )
        self.assertEqual(len(notification), 1)
        self.assertIn(self.partner_contact, notification.partner_ids)
        self.assertIn(f"/my/complaints/{complaint.id}", notification.body)
        self.assertNotIn("access_token", notification.body)
        sent = [
            mail
            for mail in self._mails
            if "petra@werkbedrijf.example.com" in str(mail["email_to"])
        ]
        self.assertTrue(any(complaint.name in mail["subject"] for mail in sent))
        # the complainant is not told about the partner conversation
        self.assertNotIn(self.complainant, notification.notified_partner_ids)

    def test_partner_without_contacts_is_logged_and_nobody_is_notified(self):
        no_contacts, _none = self.create_contract_partner("Stichting Zonder Mail")
        complaint = self.create_complaint()
        with self.mock_mail_gateway():
            self.refer(complaint, partner=no_contacts)
        notification = complaint.message_ids.filtered(
            lambda m: m.subtype_id == self.partner_subtype
        )
        self.assertEqual(len(notification), 1)
        self.assertFalse(
            notification.notified_partner_ids,
            "the complainant is never a recipient of the partner conversation",
        )
        # the only mail is the complainant's notice of the referral
        self.assertEqual(
            [mail["email_to"] for mail in self._mails],
            [[self.complainant.email_formatted]],
        )
        self.assertTrue(
            any(
                "the partner was not notified" in body
                for body in complaint.message_ids.mapped("body")
            )
        )

    def test_existing_portal_user_is_not_duplicated(self):
        portal_user = new_test_user(
            self.env,
            "petra_portal",
            groups="base.group_portal",
            partner_id=self.partner_contact.id,
        )
        users_before = (
            self.env["res.users"].with_context(active_test=False).search_count([])
        )
        with self.mock_mail_gateway():
            self.refer(self.create_complaint())
        self.assertEqual(self.partner_contact.user_ids, portal_user)
        self.assertEqual(
            self.env["res.users"].with_context(active_test=False).search_count([]),
            users_before,
        )

    def test_referring_several_cases_subscribes_each_handler_to_their_own_case(self):
        case_eva = self.create_complaint(user_id=self.employee.id)
        case_cor = self.create_complaint(user_id=self.colleague.id)
        with self.mock_mail_gateway():
            (case_eva | case_cor).with_user(self.coordinator).action_refer(
                self.partner_org
            )
        for case, handler, other in (
            (case_eva, self.employee, self.colleague),
            (case_cor, self.colleague, self.employee),
        ):
            followers = case.message_follower_ids
            handler_follower = followers.filtered(
                lambda f, h=handler: f.partner_id == h.partner_id
            )
            self.assertIn(self.partner_subtype, handler_follower.subtype_ids)
            self.assertNotIn(other.partner_id, followers.partner_id)
            self.assertIn(self.coordinator.partner_id, followers.partner_id)

    def test_a_following_handler_keeps_their_subtypes_and_hears_from_the_partner(self):
        complaint = self.create_complaint(user_id=self.employee.id)
        note = self.env.ref("mail.mt_note")
        complaint.message_subscribe(
            partner_ids=self.employee.partner_id.ids, subtype_ids=note.ids
        )
        with self.mock_mail_gateway():
            self.refer(complaint)
        follower = complaint.message_follower_ids.filtered(
            lambda f: f.partner_id == self.employee.partner_id
        )
        self.assertEqual(follower.subtype_ids, note | self.partner_subtype)
        coordinator = complaint.message_follower_ids.filtered(
            lambda f: f.partner_id == self.coordinator.partner_id
        )
        self.assertLessEqual(
            self.env.ref("mail.mt_comment") | self.partner_subtype,
            coordinator.subtype_ids,
            "a new follower gets the default subtypes and the partner conversation",
        )

    def test_referral_for_mediation_keeps_the_category(self):
        complaint = self.create_complaint(category_id=self.category_bejegening.id)
        with self.mock_mail_gateway():
            self.refer(complaint, about_partner=False)
        self.assertEqual(complaint.category_id, self.category_bejegening)
        self.assertEqual(complaint.mediation_state, "ongoing")
        self.assertEqual(complaint.term_outcome, "mediation")

    def test_only_a_coordinator_refers(self):
        complaint = self.create_complaint(user=self.employee, user_id=self.employee.id)
        with self.assertRaises(AccessError):
            complaint.with_user(self.employee).action_refer(self.partner_org)
        with self.assertRaises(AccessError):
            complaint.with_user(self.employee).action_open_referral_wizard()
        self.assertFalse(complaint.referral_partner_id)

    def test_refer_only_to_a_contract_partner_and_only_open_cases(self):
        complaint = self.create_complaint()
        with self.assertRaises(UserError):
            complaint.with_user(self.coordinator).action_refer(self.complainant)
        closed = self.create_complaint(closed_date=date(2026, 3, 20))
        with self.assertRaises(UserError):
            closed.with_user(self.coordinator).action_refer(self.partner_org)

    def test_partner_response_reaches_the_coordinator(self):
        complaint = self.create_complaint(user_id=self.coordinator.id)
        with self.mock_mail_gateway():
            self.refer(complaint)
        portal_user = self.partner_contact.user_ids
        complaint.with_user(portal_user).sudo()._portal_record_partner_response(
            "Nieuwe afspraak gemaakt met een andere coach.", "resolved"
        )
        self.assertEqual(
            complaint.partner_response, "Nieuwe afspraak gemaakt met een andere coach."
        )
        self.assertEqual(complaint.partner_resolved, "resolved")
        self.assertEqual(
            complaint.mediation_state,
            "ongoing",
            "the coordinator confirms, not the partner",
        )
        last = complaint.message_ids[0]
        self.assertEqual(last.author_id, self.partner_contact)
        self.assertEqual(last.subtype_id, self.partner_subtype)
        activity = complaint.activity_ids
        self.assertEqual(activity.user_id, self.coordinator)

        complaint.with_user(self.coordinator).action_mediation_succeeded()
        self.assertEqual(complaint.mediation_state, "succeeded")
        self.assertFalse(complaint.activity_ids)

    def test_only_the_referred_partner_responds(self):
        complaint = self.create_complaint()
        with self.mock_mail_gateway():
            self.refer(complaint)
        other_user = new_test_user(
            self.env,
            "kees_portal",
            groups="base.group_portal",
            partner_id=self.other_contact.id,
        )
        with self.assertRaises(AccessError):
            complaint.with_user(other_user).sudo()._portal_record_partner_response(
                "Opgelost", "resolved"
            )
        self.assertFalse(complaint.partner_response)

    def test_mail_reply_of_the_partner_stays_in_the_partner_conversation(self):
        complaint = self.create_complaint()
        with self.mock_mail_gateway():
            self.refer(complaint)
            message = complaint.message_post(
                body="Wij hebben contact opgenomen.",
                author_id=self.partner_contact.id,
                message_type="email",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(message.subtype_id, self.partner_subtype)
        # the Dienst writing to the complainant stays in the complainant's conversation
        with self.mock_mail_gateway():
            message = complaint.with_user(self.coordinator).message_post(
                body="Wij hebben uw klacht doorgestuurd.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))

    def test_message_partner_opens_the_partner_composer(self):
        complaint = self.create_complaint()
        with self.mock_mail_gateway():
            self.refer(complaint)
        action = complaint.with_user(self.coordinator).action_message_partner()
        self.assertEqual(
            action["context"]["default_subtype_xmlid"],
            "municipal_complaint.mt_complaint_partner_message",
        )
        self.assertEqual(
            action["context"]["default_partner_ids"], self.partner_contact.ids
        )
