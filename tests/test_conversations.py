"""The two conversations of a case fail closed: the audience comes from the portal read
rules, a reply joins the conversation of the message it answers, and nobody outside
the Dienst is mailed a conversation they do not belong to."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import JsonRpcException, tagged
from odoo.tools import SQL

from odoo.addons.mail.tests.common import MailCase

from .portal_common import PortalCase
from .test_mail_intake import MAIL_REPLY
from .test_referral import ReferralCase


@tagged("post_install", "-at_install")
class TestConversationAudience(PortalCase, MailCase):
    def test_partner_whose_contract_flag_was_unticked_reads_no_conversation(self):
        self.org_a.is_complaint_partner = False
        self.login(self.user_a)
        self.assertFalse(
            self.rpc(
                "mail.message",
                "search_read",
                [
                    ("model", "=", "municipal.complaint"),
                    ("res_id", "=", self.case_a.id),
                ],
                ["body"],
            )
        )
        for message in (self.to_complainant, self.to_partner):
            self.assertRpcDenied("mail.message", "read", message.ids, ["body"])
        self.assertRpcDenied(
            "municipal.complaint", "read", self.case_a.ids, ["subject"]
        )
        self.assertRouteRefused(
            "/mail/chatter_fetch",
            thread_model=self.case_a._name,
            thread_id=self.case_a.id,
        )
        self.assertEqual(self.get(f"/my/complaints/{self.case_a.id}").status_code, 404)

    def test_rule_and_audience_share_one_condition(self):
        Complaint = self.Complaint.with_user(self.user_a)
        self.assertEqual(
            Complaint._portal_rule_domain("partner"),
            Complaint._partner_side_domain(self.contact_a),
        )

    def test_message_audience_is_subqueries_on_complaint_messages_only(self):
        Message = self.env["mail.message"].with_user(self.user_a)
        domain = Message._complaint_audience_domain()
        cases = [c for c in domain.iter_conditions() if c.field_expr == "res_id"]
        self.assertTrue(cases)
        for condition in cases:
            self.assertIsInstance(condition.value, SQL, "a subquery, not a list of ids")
        # a message of another document the user may read is left alone
        note = self.contact_a.sudo().message_post(
            body="Over uw organisatie",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.contact_a.ids,
        )
        self.assertTrue(Message.search([("id", "=", note.id)]))

    def test_citizen_reads_no_partner_side_field_by_json_rpc(self):
        self.set_history(self.case_a, partner_response="Opgelost met de klant.")
        self.case_a.partner_id = self.citizen.partner_id
        self.login(self.citizen)
        for field in (
            "referral_note",
            "referral_text",
            "referral_partner_id",
            "partner_response",
            "partner_resolved",
            "mediation_state",
        ):
            self.assertRpcDenied(
                "municipal.complaint", "read", self.case_a.ids, [field]
            )
        # nor by searching on them
        self.assertRpcDenied(
            "municipal.complaint",
            "search",
            [("partner_response", "ilike", "Opgelost")],
        )
        row = self.rpc("municipal.complaint", "read", self.case_a.ids, ["description"])[
            0
        ]
        self.assertIn("Twee keer geen coach", row["description"])

    def test_partner_reads_no_complaint_as_received_by_json_rpc(self):
        self.login(self.user_a)
        for field in ("description", "contact_deadline", "legal_deadline", "stage_id"):
            self.assertRpcDenied(
                "municipal.complaint", "read", self.case_a.ids, [field]
            )
        row = self.rpc(
            "municipal.complaint", "read", self.case_a.ids, ["referral_text"]
        )[0]
        self.assertEqual(row["referral_text"], "Twee keer geen coach.")

    def test_citizen_cannot_post_into_the_partner_conversation(self):
        self.case_a.partner_id = self.citizen.partner_id
        self.login(self.citizen)
        message = self.chatter_post(
            self.case_a,
            "Aan de partner!",
            subtype_xmlid="municipal_complaint.mt_complaint_partner_message",
            partner_ids=self.contact_a.ids,
        )
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertFalse(message.partner_ids)
        self.login(self.user_a)
        self.assertNotIn(message.id, self.chatter(self.case_a)[0])

    def test_partner_cannot_post_into_the_complainants_conversation(self):
        self.login(self.user_a)
        for subtype in ("mail.mt_comment", "mail.mt_note"):
            message = self.chatter_post(
                self.case_a, f"Via {subtype}", subtype_xmlid=subtype
            )
            self.assertEqual(message.subtype_id, self.partner_subtype)
        # nor by creating the message over JSON-RPC
        self.assertRpcDenied(
            "mail.message",
            "create",
            {
                "model": "municipal.complaint",
                "res_id": self.case_a.id,
                "body": "Direct aan de klager",
                "message_type": "comment",
                "subtype_id": self.env.ref("mail.mt_comment").id,
            },
        )
        # nor by changing their own message afterwards
        self.assertRpcDenied(
            "mail.message",
            "write",
            message.ids,
            {"subtype_id": self.env.ref("mail.mt_comment").id},
        )

    def test_partner_cannot_react_to_or_edit_a_message_of_the_other_conversation(self):
        self.login(self.user_a)
        self.assertRouteRefused(
            "/mail/message/reaction",
            message_id=self.to_complainant.id,
            content="👍",
            action="add",
        )
        self.assertFalse(self.to_complainant.sudo().reaction_ids)
        # their own conversation is theirs to react to
        self.jsonrpc(
            "/mail/message/reaction",
            message_id=self.to_partner.id,
            content="👍",
            action="add",
        )
        self.assertEqual(len(self.to_partner.sudo().reaction_ids), 1)

    def test_portal_user_cannot_follow_a_case(self):
        self.login(self.user_a)
        with self.assertRaises(JsonRpcException):
            self.jsonrpc(
                "/mail/thread/subscribe",
                res_model="municipal.complaint",
                res_id=self.case_a.id,
                partner_ids=self.contact_a.ids,
            )
        self.assertNotIn(self.contact_a, self.case_a.message_partner_ids)

    def test_a_follower_outside_the_conversation_is_not_mailed_it(self):
        # a partner's contact who follows the case all the same (set by hand)
        self.case_a.sudo().message_subscribe(
            partner_ids=self.contact_a.ids,
            subtype_ids=self.env.ref("mail.mt_comment").ids,
        )
        with self.mock_mail_gateway():
            self.case_a.with_user(self.coordinator).message_post(
                body="Beste heer Jansen, uw dossier.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.complainant.ids,
            )
        recipients = {address for mail in self._mails for address in mail["email_to"]}
        self.assertTrue(any("j.jansen@example.com" in r for r in recipients))
        self.assertFalse(any("petra@oost.example.com" in r for r in recipients))


@freeze_time("2026-03-12")
class TestReplyClassification(ReferralCase, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        alias = cls.env.ref("municipal_complaint.mail_alias_complaints")
        alias.alias_domain_id = cls.mail_alias_domain
        cls.alias_email = f"klachten@{cls.alias_domain}"
        cls.complaint = cls.create_complaint(
            subject="Coach kwam niet", received_date=date(2026, 3, 11)
        )
        cls.complaint.user_id = cls.employee
        cls.complaint.message_subscribe(partner_ids=cls.complainant.ids)

    def setUp(self):
        super().setUp()
        with self.mock_mail_gateway():
            self.refer(self.complaint)
        self.to_complainant = self.complaint.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_comment")
        )[:1]
        self.to_partner = self.complaint.message_ids.filtered(
            lambda m: m.subtype_id == self.partner_subtype
        )[:1]
        self.assertTrue(self.to_complainant and self.to_partner)

    def reply(self, email_from, answered, subject="Re: uw klacht"):
        """An e-mail reply from ``email_from`` to the message ``answered``; returns
        the message it became and the mails sent because of it."""
        before = self.complaint.message_ids
        with self.mock_mail_gateway():
            self.format_and_process(
                MAIL_REPLY,
                email_from,
                self.alias_email,
                subject=subject,
                extra=(
                    f"In-Reply-To: {answered.message_id}\n"
                    f"References: {answered.message_id}\n"
                ),
                target_model="municipal.complaint",
                target_field="subject",
            )
        message = self.complaint.message_ids - before
        self.assertEqual(len(message), 1)
        recipients = [address for mail in self._mails for address in mail["email_to"]]
        return message, " ".join(recipients)

    def assertInternalNote(self, message, recipients):
        self.assertTrue(message.is_internal or message.subtype_id.internal)
        self.assertFalse(message.author_id)
        for outsider in ("j.jansen@example.com", "petra@werkbedrijf.example.com"):
            self.assertNotIn(outsider, recipients)
        self.assertTrue(
            self.complaint.activity_ids.filtered(
                lambda a: a.user_id == self.employee and "unknown sender" in a.summary
            )
        )

    def test_partner_reply_joins_the_partner_conversation(self):
        message, recipients = self.reply(
            "Petra de Vries <petra@werkbedrijf.example.com>", self.to_partner
        )
        self.assertEqual(message.subtype_id, self.partner_subtype)
        self.assertEqual(message.author_id, self.partner_contact)
        self.assertNotIn("j.jansen@example.com", recipients)

    def test_complainant_reply_joins_the_complainants_conversation(self):
        message, recipients = self.reply(
            "J. Jansen <j.jansen@example.com>", self.to_complainant
        )
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(message.author_id, self.complainant)
        self.assertNotIn("petra@werkbedrijf.example.com", recipients)

    def test_reply_with_a_message_id_from_an_unknown_address_is_an_internal_note(self):
        for answered in (self.to_complainant, self.to_partner):
            message, recipients = self.reply(
                "Onbekend <iemand@example.org>", answered, subject=f"Re: {answered.id}"
            )
            self.assertInternalNote(message, recipients)

    def test_complainants_address_answering_the_partner_conversation_is_a_note(self):
        message, recipients = self.reply(
            "J. Jansen <j.jansen@example.com>", self.to_partner
        )
        self.assertInternalNote(message, recipients)

    def test_partner_writing_from_a_private_address_is_a_note(self):
        message, recipients = self.reply(
            "Petra <petra.prive@example.net>", self.to_partner
        )
        self.assertInternalNote(message, recipients)

    def test_partner_whose_contract_ended_is_a_note(self):
        self.partner_org.is_complaint_partner = False
        message, recipients = self.reply(
            "Petra de Vries <petra@werkbedrijf.example.com>", self.to_partner
        )
        self.assertInternalNote(message, recipients)
