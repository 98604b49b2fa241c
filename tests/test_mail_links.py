"""Links in mail carry no bearer token, and core's token routes refuse a complaint
(models/complaint_mail_access.py, controllers/portal_chatter.py)."""

import re
from urllib.parse import parse_qs, urlparse

from odoo import fields
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MailCase

from .portal_common import PDF, PortalCase

BEARER_PARAMS = {
    "access_token",
    "token",
    "hash",
    "_hash",
    "pid",
    "auth_signup_token",
    "auth_login",
    "signup_token",
}
HREF = re.compile(r'href="([^"]+)"')


@tagged("post_install", "-at_install")
class TestMailLinks(PortalCase, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a complainant with a portal account, and one without
        cls.case_citizen.message_subscribe(partner_ids=cls.citizen.partner_id.ids)
        cls.case_a.message_subscribe(partner_ids=cls.complainant.ids)
        cls.token = cls.case_a.sudo()._portal_ensure_token()
        cls.pid = cls.complainant.id
        cls.hash = cls.case_a.sudo()._sign_token(cls.pid)

    def assertNoBearerLink(self, mails):
        self.assertTrue(mails)
        for mail in mails:
            body = mail.body_html or ""
            for url in HREF.findall(body.replace("&amp;", "&")):
                parsed = urlparse(url)
                with self.subTest(mail=mail.subject, url=url):
                    self.assertFalse(BEARER_PARAMS & set(parse_qs(parsed.query)))
                    self.assertNotIn("/mail/unfollow", parsed.path)
                    if parsed.path.startswith("/mail/view"):
                        self.assertEqual(
                            parse_qs(parsed.query)["model"], ["municipal.complaint"]
                        )
            self.assertNotIn(self.token, body)
            self.assertNotIn(self.hash, body)

    def complaint_mails(self):
        return self._new_mails.filtered(lambda m: m.model == "municipal.complaint")

    def test_no_mail_the_addon_sends_carries_a_bearer_token(self):
        Template = self.env["mail.template"]
        templates = Template.search([("model", "=", "municipal.complaint")])
        self.assertGreaterEqual(len(templates), 5)
        with self.mock_mail_gateway():
            # every mail template of the addon, to the complainant with and without
            # a portal account
            for complaint in (self.case_a, self.case_citizen):
                for template in templates:
                    complaint.with_user(self.coordinator).message_post_with_source(
                        template,
                        message_type="comment",
                        subtype_xmlid="mail.mt_comment",
                    )
            # the registration (acknowledgment with its confirmation link), a
            # referral, a postponement and the conversations
            new = self.create_complaint(
                subject="Nieuw",
                partner_id=self.complainant.id,
                received_date=fields.Date.today(),
            )
            # registered by staff: the acknowledgment goes after its preview
            new.with_user(self.coordinator).action_send_acknowledgment()
            new.with_user(self.coordinator).action_refer(
                self.org_b, about_partner=False
            )
            new.with_user(self.coordinator).action_postpone("Meer tijd nodig", weeks=2)
            for complaint, subtype in (
                (self.case_a, "mail.mt_comment"),
                (self.case_a, "municipal_complaint.mt_complaint_partner_message"),
                (self.case_citizen, "mail.mt_comment"),
            ):
                complaint.with_user(self.coordinator).message_post(
                    body="Een bericht",
                    message_type="comment",
                    subtype_xmlid=subtype,
                    partner_ids=complaint.partner_id.ids,
                )
        mails = self.complaint_mails()
        for partner in (self.complainant, self.citizen.partner_id, self.contact_b):
            self.assertIn(partner, mails.recipient_ids)
        self.assertNoBearerLink(mails)
        self.assertRegex(
            " ".join(mails.mapped("body_html")), r"/my/complaints/confirm/[\w-]+"
        )

    def test_portal_posts_notify_without_a_bearer_token(self):
        self.case_citizen.message_subscribe(partner_ids=self.coordinator.partner_id.ids)
        self.login(self.citizen)
        with self.mock_mail_gateway():
            self.chatter_post(self.case_citizen, "Ik wacht nog steeds.")
            self.case_citizen.with_user(self.coordinator).message_post(
                body="Wij bellen u morgen.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertNoBearerLink(self.complaint_mails())

    # ------------------------------------------------------------------ routes
    def test_token_routes_refuse_a_complaint(self):
        case = self.case_a
        message = self.to_complainant
        body = message.body
        tokens = ({"token": self.token}, {"hash": self.hash, "pid": self.pid})
        for user in (None, self.user_b):
            self.login(user)
            for params in tokens:
                with self.subTest(user=user and user.login, params=list(params)):
                    self.assertRouteRefused(
                        "/mail/chatter_fetch",
                        thread_model=case._name,
                        thread_id=case.id,
                        **params,
                    )
                    self.assertRouteRefused(
                        "/portal/chatter_init",
                        thread_model=case._name,
                        thread_id=case.id,
                        **params,
                    )
                    self.assertRouteRefused(
                        "/mail/message/post",
                        thread_model=case._name,
                        thread_id=case.id,
                        post_data={"body": "Via de link", "message_type": "comment"},
                        **params,
                    )
                    self.assertRouteRefused(
                        "/mail/message/update_content",
                        message_id=message.id,
                        update_data={"body": "Gewijzigd"},
                        **params,
                    )
                    self.assertRouteRefused(
                        "/mail/message/reaction",
                        message_id=message.id,
                        content="👍",
                        action="add",
                        **params,
                    )
            avatar = self.get(
                f"/mail/avatar/mail.message/{message.id}/author_avatar/50x50"
                f"?access_token={self.token}"
            )
            self.assertEqual(avatar.status_code, 404)
            upload = self.url_open(
                "/mail/attachment/upload",
                data={
                    "csrf_token": self.csrf_token("/klacht"),
                    "thread_id": case.id,
                    "thread_model": case._name,
                    "token": self.token,
                },
                files={"ufile": ("x.pdf", PDF)},
            )
            self.assertEqual(upload.status_code, 404)
            # the button of a forwarded notification, and the page itself
            page = self.get(
                f"/mail/view?model={case._name}&res_id={case.id}"
                f"&access_token={self.token}&pid={self.pid}&hash={self.hash}"
            )
            self.assertNotIn(case.subject, page.text)
            self.assertNotIn(f"/my/complaints/{case.id}", page.url)
            page = self.get(f"{case.access_url}?access_token={self.token}")
            self.assertNotIn(case.subject, page.text)
        message.invalidate_recordset()
        self.assertEqual(message.body, body)
        self.assertNotIn("Via de link", " ".join(case.message_ids.mapped("body")))
        self.assertFalse(message.sudo().reaction_ids)

    def test_thread_route_of_the_web_client_needs_a_login(self):
        self.login(None)
        self.assertRouteRefused(
            "/mail/thread/messages",
            thread_model=self.case_a._name,
            thread_id=self.case_a.id,
        )

    def test_logged_in_reader_uses_the_chatter_without_a_token(self):
        self.login(self.citizen)
        init = self.jsonrpc(
            "/portal/chatter_init",
            thread_model=self.case_citizen._name,
            thread_id=self.case_citizen.id,
        )
        self.assertEqual(
            init["mail.thread"],
            [
                {
                    "can_react": True,
                    "hasReadAccess": True,
                    "id": self.case_citizen.id,
                    "model": "municipal.complaint",
                }
            ],
        )
        message = self.chatter_post(self.case_citizen, "Zonder token")
        self.assertEqual(message.author_id, self.citizen.partner_id)


@tagged("post_install", "-at_install")
class TestSignupLinks(PortalCase, MailCase):
    def test_complainant_without_account_gets_no_signup_link(self):
        newcomer = self.env["res.partner"].create(
            {"name": "Nieuwe Klager", "email": "nieuw@example.com"}
        )
        complaint = self.create_complaint(subject="Nieuwkomer", partner_id=newcomer.id)
        with self.mock_mail_gateway():
            complaint.with_user(self.coordinator).message_post(
                body="Wij nemen contact op.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=newcomer.ids,
            )
        mails = self._new_mails.filtered(lambda m: m.model == "municipal.complaint")
        self.assertTrue(mails)
        for mail in mails:
            self.assertNotIn("signup", mail.body_html)
            self.assertNotIn("access_token", mail.body_html)
        self.assertFalse(
            newcomer.with_context(active_test=False).user_ids,
            "no account is made for the complainant either",
        )
