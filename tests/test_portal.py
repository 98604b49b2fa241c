"""/my/complaints: each portal user sees exactly their cases, by URL and by JSON-RPC,
and talks with the Dienst in the portal chatter."""

import re

from odoo.tests import tagged

from .portal_common import PDF, PortalCase


@tagged("post_install", "-at_install")
class TestPortal(PortalCase):
    # ------------------------------------------------------------- contract partner
    def test_partner_sees_the_referred_case_without_the_complainant_or_internals(self):
        self.login(self.user_a)
        page = self.get(f"/my/complaints/{self.case_a.id}")
        self.assertEqual(page.status_code, 200)
        ids, chatter = self.chatter(self.case_a)
        self.assertEqual(ids, self.to_partner.ids)
        seen = page.text + chatter
        for shown in (
            "Coach kwam niet opdagen",
            "Twee keer geen coach.",
            "Graag een nieuwe afspraak plannen.",
            "Wilt u de klager deze week bellen?",
        ):
            self.assertIn(shown, seen)
        for hidden in (
            "J. Jansen",
            "j.jansen@example.com",
            "06 12345678",
            "Dorpsstraat",
            "Interne notitie",
            "Eva Medewerker",
            "uitkeringsbrief.pdf",
        ):
            self.assertNotIn(hidden, seen)
        self.assertIn("were not shared with you", page.text)

    def test_partner_sees_the_contact_details_only_when_shared(self):
        self.set_history(self.case_a, referral_share_contact=True)
        self.login(self.user_a)
        page = self.get(f"/my/complaints/{self.case_a.id}")
        self.assertIn("J. Jansen", page.text)
        self.assertIn("j.jansen@example.com", page.text)
        self.assertNotIn(
            "Dorpsstraat",
            page.text + self.chatter(self.case_a)[1],
            "the complainant's conversation stays private",
        )

    def test_partner_a_cannot_open_partner_b_or_citizen_cases_by_url(self):
        self.login(self.user_a)
        listing = self.get("/my/complaints?filterby=all")
        self.assertIn("Coach kwam niet opdagen", listing.text)
        for other in (self.case_b, self.case_citizen, self.case_other_citizen):
            self.assertNotIn(other.subject, listing.text)
            self.assertEqual(self.get(f"/my/complaints/{other.id}").status_code, 404)
            self.assertRouteRefused(
                "/mail/chatter_fetch", thread_model=other._name, thread_id=other.id
            )
        self.assertEqual(self.get("/my/complaints/999999").status_code, 404)

    def test_partner_a_cannot_read_other_cases_by_json_rpc(self):
        self.login(self.user_a)
        for other in (self.case_b, self.case_citizen):
            self.assertRpcDenied("municipal.complaint", "read", [other.id], ["subject"])
            self.assertRpcDenied(
                "municipal.complaint",
                "web_read",
                [other.id],
                specification={"subject": {}},
            )
        found = self.rpc("municipal.complaint", "search_read", [], ["name", "subject"])
        self.assertEqual([row["id"] for row in found], [self.case_a.id])
        # its own case: the shared fields, never the respondent,
        # the complainant or the closing
        self.assertEqual(
            self.rpc("municipal.complaint", "read", [self.case_a.id], ["subject"])[0][
                "subject"
            ],
            "Coach kwam niet opdagen",
        )
        for field in (
            "respondent_user_id",
            "partner_id",
            "partner_email",
            "user_id",
            "resolution_note",
            "message_follower_ids",
            "story_text",
        ):
            self.assertRpcDenied(
                "municipal.complaint", "read", [self.case_a.id], [field]
            )
        self.assertRpcDenied(
            "municipal.complaint", "write", [self.case_a.id], {"partner_response": "x"}
        )

    def test_partner_reads_only_the_partner_conversation_by_json_rpc(self):
        self.login(self.user_a)
        messages = self.rpc(
            "mail.message",
            "search_read",
            [("model", "=", "municipal.complaint"), ("res_id", "=", self.case_a.id)],
            ["body"],
        )
        self.assertEqual([row["id"] for row in messages], [self.to_partner.id])
        self.assertRpcDenied("mail.message", "read", [self.to_complainant.id], ["body"])
        self.assertRpcDenied("mail.message", "read", [self.internal_note.id], ["body"])
        # nor through the web client's thread route
        thread = self.jsonrpc(
            "/mail/thread/messages",
            thread_model="municipal.complaint",
            thread_id=self.case_a.id,
        )
        self.assertEqual(thread["messages"], self.to_partner.ids)
        # nor the complainant's documents on the case
        attachment = self.to_complainant.attachment_ids
        self.assertRpcDenied("ir.attachment", "read", attachment.ids, ["name"])
        self.assertRpcDenied(
            "ir.attachment",
            "search_read",
            [
                ("res_model", "=", "municipal.complaint"),
                ("res_id", "=", self.case_a.id),
            ],
            ["name"],
        )
        self.assertNotEqual(
            self.get(f"/web/content/{attachment.id}?download=true").status_code, 200
        )

    def test_partner_answers_in_the_portal_chatter_and_the_response_form(self):
        self.login(self.user_a)
        upload = self.chatter_upload(self.case_a, "verslag.pdf", PDF)
        self.assertEqual(upload.status_code, 200)
        attachment_id = upload.json()["data"]["attachment_id"]
        token = self.env["ir.attachment"].browse(attachment_id)._get_ownership_token()
        message = self.chatter_post(
            self.case_a,
            "We bellen hem morgen.",
            attachment_ids=[attachment_id],
            attachment_tokens=[token],
        )
        self.assertEqual(message.author_id, self.contact_a)
        self.assertEqual(
            message.subtype_id,
            self.partner_subtype,
            "the partner's message goes to the Dienst only",
        )
        self.assertEqual(message.attachment_ids.name, "verslag.pdf")
        self.assertIn(message.id, self.chatter(self.case_a)[0])

        response = self.post(
            f"/my/complaints/{self.case_a.id}/response",
            {"response": "Nieuwe afspraak gepland.", "resolved": "resolved"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.case_a.partner_response, "Nieuwe afspraak gepland.")
        self.assertEqual(self.case_a.partner_resolved, "resolved")

    def test_partner_b_cannot_post_or_respond_on_partner_a_case(self):
        self.login(self.user_b)
        messages_before = len(self.case_a.message_ids)
        self.assertRouteRefused(
            "/mail/message/post",
            thread_model=self.case_a._name,
            thread_id=self.case_a.id,
            post_data={"body": "Hallo", "message_type": "comment"},
        )
        response = self.post(
            f"/my/complaints/{self.case_a.id}/response",
            {"response": "Opgelost", "resolved": "resolved"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(len(self.case_a.message_ids), messages_before)
        self.assertFalse(self.case_a.partner_response)

    def test_mail_link_leads_to_the_portal_page_only_for_the_referred_partner(self):
        self.login(self.user_a)
        response = self.get(
            f"/mail/view?model=municipal.complaint&res_id={self.case_a.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"/my/complaints/{self.case_a.id}", response.url)
        self.assertIn("Coach kwam niet opdagen", response.text)
        self.login(self.user_b)
        response = self.get(
            f"/mail/view?model=municipal.complaint&res_id={self.case_a.id}"
        )
        self.assertNotIn("Coach kwam niet opdagen", response.text)

    def test_portal_home_counts_the_partner_cases(self):
        self.login(self.user_a)
        counters = self.jsonrpc("/my/counters", counters=["complaint_count"])
        self.assertEqual(counters["complaint_count"], 1)

    def test_partner_contact_with_an_own_complaint_reads_that_conversation(self):
        own = self.create_complaint(
            subject="Eigen klacht van Petra", partner_id=self.contact_a.id
        )
        own.message_post(
            body="Beste mevrouw De Vries, wij bellen u morgen.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.login(self.user_a)
        page = self.get(f"/my/complaints/{own.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("wij bellen u morgen", self.chatter(own)[1])
        self.assertNotIn(
            "partner_response", page.text, "on her own complaint she is the complainant"
        )
        self.assertNotIn("Dorpsstraat", self.chatter(self.case_a)[1])

    # ------------------------------------------------------------------ citizen
    def test_citizen_sees_only_their_own_complaints(self):
        self.login(self.citizen)
        listing = self.get("/my/complaints")
        self.assertIn("Geen antwoord op mijn vraag", listing.text)
        for other in (self.case_a, self.case_b, self.case_other_citizen):
            self.assertNotIn(other.subject, listing.text)
            self.assertEqual(self.get(f"/my/complaints/{other.id}").status_code, 404)
            self.assertRpcDenied("municipal.complaint", "read", [other.id], ["subject"])
        page = self.get(f"/my/complaints/{self.case_citizen.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Received, we will contact you", page.text)
        self.assertIn("We answer your complaint by", page.text)
        self.assertNotIn("Eva Medewerker", page.text)

    def test_citizen_list_statuses_take_as_many_queries_for_one_case_as_for_many(self):
        cases = self.case_citizen
        for n in range(5):
            cases |= self.create_complaint(
                subject=f"Klacht {n}", partner_id=self.citizen.partner_id.id
            )

        def queries(complaints):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            statuses = complaints.sudo()._get_portal_statuses()
            self.assertEqual(set(statuses), set(complaints.ids))
            return self.env.cr.sql_log_count - before

        queries(cases[:1])  # warm the caches
        self.assertEqual(queries(cases[:1]), queries(cases))

    def test_citizen_adds_a_message_with_an_attachment(self):
        self.login(self.citizen)
        upload = self.chatter_upload(self.case_citizen, "brief.pdf", PDF)
        attachment = self.env["ir.attachment"].browse(
            upload.json()["data"]["attachment_id"]
        )
        message = self.chatter_post(
            self.case_citizen,
            "Hierbij de brief.",
            attachment_ids=attachment.ids,
            attachment_tokens=[attachment._get_ownership_token()],
        )
        self.assertEqual(message.author_id, self.citizen.partner_id)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(message.attachment_ids.name, "brief.pdf")
        ids, text = self.chatter(self.case_citizen)
        self.assertIn(message.id, ids)
        self.assertIn("Hierbij de brief.", text)
        # the citizen may not respond for a partner
        response = self.post(
            f"/my/complaints/{self.case_citizen.id}/response",
            {"response": "Opgelost", "resolved": "resolved"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.case_citizen.partner_response)

    def test_citizen_of_a_referred_case_does_not_read_the_partner_conversation(self):
        self.case_a.partner_id = self.citizen.partner_id
        self.login(self.citizen)
        page = self.get(f"/my/complaints/{self.case_a.id}")
        self.assertEqual(page.status_code, 200)
        ids, text = self.chatter(self.case_a)
        self.assertEqual(ids, self.to_complainant.ids)
        self.assertIn("Dorpsstraat", text)
        self.assertNotIn("Wilt u de klager deze week bellen?", text)
        self.assertNotIn("Interne notitie", text)
        self.assertRpcDenied("mail.message", "read", [self.to_partner.id], ["body"])
        # the citizen downloads their own document through the chatter's link
        attachment = self.to_complainant.attachment_ids
        token = re.search(
            rf"'id': {attachment.id}, .*?'raw_access_token': '([^']+)'", text
        ).group(1)
        download = self.get(f"/web/content/{attachment.id}?access_token={token}")
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.content, PDF)

    def test_portal_page_makes_no_access_token(self):
        """Rendering a page writes nothing: no access token for the case or its
        files is generated by a GET."""
        self.login(self.citizen)
        attachment = self.case_citizen.message_post(
            body="Bijlage",
            attachments=[("a.pdf", PDF)],
            subtype_xmlid="mail.mt_comment",
        ).attachment_ids
        self.get(f"/my/complaints/{self.case_citizen.id}")
        self.chatter(self.case_citizen)
        self.assertFalse(self.case_citizen.access_token)
        self.assertFalse(attachment.access_token)

    def test_a_mail_to_the_complainant_makes_no_token_and_no_sign_up(self):
        """Odoo's portal gives a document's customer a button with the document's
        access token and a sign-up link; a case's complainant gets neither, so
        nothing is made for it: no token on the case, no sign-up on the contact."""
        contact = self.env["res.partner"].create(
            {"name": "R. Smit", "email": "r.smit@example.com"}
        )
        case = self.create_complaint(partner_id=contact.id)
        case.with_user(self.coordinator).message_post(
            body="Wij bellen u morgen.",
            partner_ids=contact.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("res_id", "=", case.id), ("recipient_ids", "in", contact.ids)])
        )
        self.assertTrue(mail, "the complainant is mailed")
        self.assertFalse(case.access_token)
        self.assertFalse(contact.signup_type)
