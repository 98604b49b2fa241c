"""/my/complaints: each portal user sees exactly their cases, by URL and by JSON-RPC."""

import re

from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from .referral_common import ContractPartnerCase

PDF = b"%PDF-1.4\n%%EOF\n"


@tagged("post_install", "-at_install")
class TestPortal(ContractPartnerCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.org_a, cls.contact_a = cls.create_contract_partner(
            "Werkbedrijf Oost", ("Petra de Vries", "petra@oost.example.com")
        )
        cls.org_b, cls.contact_b = cls.create_contract_partner(
            "Schuldhulp West", ("Kees Smit", "kees@west.example.com")
        )
        cls.user_a = new_test_user(
            cls.env,
            "partner_a",
            groups="base.group_portal",
            partner_id=cls.contact_a.id,
        )
        cls.user_b = new_test_user(
            cls.env,
            "partner_b",
            groups="base.group_portal",
            partner_id=cls.contact_b.id,
        )
        cls.citizen = new_test_user(
            cls.env,
            "citizen_sanne",
            groups="base.group_portal",
            name="Sanne Bakker",
            email="sanne@example.com",
        )
        cls.other_citizen = cls.env["res.partner"].create(
            {"name": "Ahmed El Amrani", "email": "ahmed@example.com"}
        )

        cls.case_a = cls.create_complaint(
            subject="Coach kwam niet opdagen",
            description="<p>Twee keer geen coach.</p>",
            respondent_user_id=cls.employee.id,
            referral_partner_id=cls.org_a.id,
            referral_note="Graag een nieuwe afspraak plannen.",
            mediation_state="ongoing",
            category_id=cls.category_doorverwijzing.id,
        )
        cls.case_b = cls.create_complaint(
            subject="Documenten kwijtgeraakt",
            referral_partner_id=cls.org_b.id,
            mediation_state="ongoing",
            category_id=cls.category_doorverwijzing.id,
        )
        cls.case_citizen = cls.create_complaint(
            subject="Geen antwoord op mijn vraag",
            partner_id=cls.citizen.partner_id.id,
            category_id=cls.category_informatie.id,
        )
        cls.case_other_citizen = cls.create_complaint(
            subject="Lang wachten aan de balie",
            partner_id=cls.other_citizen.id,
        )
        # the conversations on case A: the Dienst to the complainant, an internal note,
        # the Dienst to the partner, and the complainant's own documents
        cls.to_complainant = cls.case_a.message_post(
            body="Beste heer Jansen, uw adres Dorpsstraat 1 is bij ons bekend.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=[("uitkeringsbrief.pdf", PDF)],
        )
        cls.internal_note = cls.case_a.message_post(
            body="Interne notitie: beklaagde is Eva.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        cls.to_partner = cls.case_a.message_post(
            body="Wilt u de klager deze week bellen?",
            message_type="comment",
            subtype_xmlid="municipal_complaint.mt_complaint_partner_message",
        )

    # ------------------------------------------------------------------ helpers
    def login(self, user):
        self.env.flush_all()
        self.authenticate(user.login, user.login)

    def get(self, url):
        self.env.flush_all()
        response = self.url_open(url)
        self.env.invalidate_all()
        return response

    def post(self, url, data, files=None):
        page = self.get(url.rsplit("/", 1)[0])
        data["csrf_token"] = re.search(
            r'name="csrf_token" value="([^"]+)"', page.text
        ).group(1)
        self.env.flush_all()
        response = self.url_open(
            url, data=data, files=files or [("attachments", ("", b""))]
        )
        self.env.invalidate_all()
        return response

    def rpc(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def assertRpcDenied(self, model, method, *args, **kwargs):
        with self.assertRaises(JsonRpcException) as error:
            self.rpc(model, method, *args, **kwargs)
        self.assertEqual(error.exception.args[0], "odoo.exceptions.AccessError")

    # ------------------------------------------------------------- contract partner
    def test_partner_sees_the_referred_case_without_the_complainant_or_internals(self):
        self.login(self.user_a)
        page = self.get(f"/my/complaints/{self.case_a.id}")
        self.assertEqual(page.status_code, 200)
        for shown in (
            "Coach kwam niet opdagen",
            "Twee keer geen coach.",
            "Graag een nieuwe afspraak plannen.",
            "Wilt u de klager deze week bellen?",
        ):
            self.assertIn(shown, page.text)
        for hidden in (
            "J. Jansen",
            "j.jansen@example.com",
            "Dorpsstraat",
            "Interne notitie",
            "Eva Medewerker",
            "uitkeringsbrief.pdf",
        ):
            self.assertNotIn(hidden, page.text)
        self.assertIn("were not shared with you", page.text)

    def test_partner_sees_the_contact_details_only_when_shared(self):
        self.set_history(self.case_a, referral_share_contact=True)
        self.login(self.user_a)
        page = self.get(f"/my/complaints/{self.case_a.id}")
        self.assertIn("J. Jansen", page.text)
        self.assertIn("j.jansen@example.com", page.text)
        self.assertNotIn(
            "Dorpsstraat", page.text, "the complainant's conversation stays private"
        )

    def test_partner_a_cannot_open_partner_b_or_citizen_cases_by_url(self):
        self.login(self.user_a)
        listing = self.get("/my/complaints?filterby=all")
        self.assertIn("Coach kwam niet opdagen", listing.text)
        for other in (self.case_b, self.case_citizen, self.case_other_citizen):
            self.assertNotIn(other.subject, listing.text)
            self.assertEqual(self.get(f"/my/complaints/{other.id}").status_code, 404)
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
        # nor the complainant's documents on the case (portal
        # users read files by token only)
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

    def test_partner_answers_in_the_portal(self):
        self.login(self.user_a)
        response = self.post(
            f"/my/complaints/{self.case_a.id}/message",
            {"message": "We bellen hem morgen."},
            files=[("attachments", ("verslag.pdf", PDF, "application/pdf"))],
        )
        self.assertEqual(response.status_code, 200)
        message = self.case_a.message_ids[0]
        self.assertEqual(message.author_id, self.contact_a)
        self.assertEqual(
            message.subtype_id,
            self.partner_subtype,
            "the partner's message goes to the Dienst only",
        )
        self.assertEqual(message.attachment_ids.name, "verslag.pdf")

        response = self.post(
            f"/my/complaints/{self.case_a.id}/response",
            {"response": "Nieuwe afspraak gepland.", "resolved": "resolved"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.case_a.partner_response, "Nieuwe afspraak gepland.")
        self.assertEqual(self.case_a.partner_resolved, "resolved")

    def test_partner_b_cannot_post_or_respond_on_partner_a_case(self):
        self.login(self.user_b)
        token_page = self.get(f"/my/complaints/{self.case_b.id}")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', token_page.text).group(1)
        messages_before = len(self.case_a.message_ids)
        for url, data in (
            (
                f"/my/complaints/{self.case_a.id}/message",
                {"message": "Hallo", "csrf_token": csrf},
            ),
            (
                f"/my/complaints/{self.case_a.id}/response",
                {"response": "Opgelost", "resolved": "resolved", "csrf_token": csrf},
            ),
        ):
            self.env.flush_all()
            self.assertEqual(self.url_open(url, data=data).status_code, 404)
        self.env.invalidate_all()
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
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["complaint_count"]}
        )
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
        self.assertIn("wij bellen u morgen", page.text)
        self.assertNotIn(
            "partner_response", page.text, "on her own complaint she is the complainant"
        )
        page = self.get(f"/my/complaints/{self.case_a.id}")
        self.assertNotIn("Dorpsstraat", page.text)

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
        response = self.post(
            f"/my/complaints/{self.case_citizen.id}/message",
            {"message": "Hierbij de brief."},
            files=[("attachments", ("brief.pdf", PDF, "application/pdf"))],
        )
        self.assertEqual(response.status_code, 200)
        message = self.case_citizen.message_ids[0]
        self.assertEqual(message.author_id, self.citizen.partner_id)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(message.attachment_ids.name, "brief.pdf")
        page = self.get(f"/my/complaints/{self.case_citizen.id}")
        self.assertIn("Hierbij de brief.", page.text)
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
        self.assertIn("Dorpsstraat", page.text)
        self.assertNotIn("Wilt u de klager deze week bellen?", page.text)
        self.assertNotIn("Interne notitie", page.text)
        self.assertRpcDenied("mail.message", "read", [self.to_partner.id], ["body"])
        # the citizen downloads their own document through the link on the page
        link = re.search(
            r'href="(/web/content/\d+\?download=true&amp;access_token=[^"]+)"',
            page.text,
        ).group(1)
        download = self.get(link.replace("&amp;", "&"))
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.content, PDF)
