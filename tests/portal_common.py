"""Set-up shared by the portal tests: a contract partner's user, a citizen, their
cases, and the ways a portal user reaches the server (pages, the portal chatter,
JSON-RPC)."""

import re

from odoo.tests import HttpCase, JsonRpcException, new_test_user

from .referral_common import ContractPartnerCase

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
CSRF = re.compile(r'csrf_token: "([^"]+)"')


class PortalCase(ContractPartnerCase, HttpCase):
    """Two contract partners with a portal user each, a citizen with an account and
    one without, and a case referred to partner A with both conversations on it."""

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
            description="<p>Twee keer geen coach. Bel mij: 06 12345678.</p>",
            respondent_user_id=cls.employee.id,
            referral_partner_id=cls.org_a.id,
            referral_note="Graag een nieuwe afspraak plannen.",
            referral_text="Twee keer geen coach.",
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
            description="<p>Ik wacht al weken.</p>",
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

    # ------------------------------------------------------------------ pages
    def login(self, user):
        self.env.flush_all()
        if user:
            self.authenticate(user.login, user.login)
        else:
            self.authenticate(None, None)

    def get(self, url, **kwargs):
        self.env.flush_all()
        response = self.url_open(url, **kwargs)
        self.env.invalidate_all()
        return response

    def csrf_token(self, url="/my"):
        return CSRF.search(self.get(url).text).group(1)

    def post(self, url, data, files=None, csrf_from=None):
        data = dict(data, csrf_token=self.csrf_token(csrf_from or "/my"))
        self.env.flush_all()
        response = self.url_open(url, data=data, files=files)
        self.env.invalidate_all()
        return response

    # ------------------------------------------------------------------ JSON-RPC
    def jsonrpc(self, route, **params):
        self.env.flush_all()
        try:
            return self.make_jsonrpc_request(route, params)
        finally:
            self.env.invalidate_all()

    def rpc(self, model, method, *args, **kwargs):
        return self.jsonrpc(
            "/web/dataset/call_kw",
            model=model,
            method=method,
            args=list(args),
            kwargs=kwargs,
        )

    def assertRpcDenied(self, model, method, *args, **kwargs):
        with self.assertRaises(JsonRpcException) as error:
            self.rpc(model, method, *args, **kwargs)
        self.assertEqual(error.exception.args[0], "odoo.exceptions.AccessError")

    def assertRouteRefused(self, route, **params):
        """The route answers as for a case one may not see (404), or asks to log
        in; either way it returns nothing of the case."""
        with self.assertRaises(JsonRpcException) as error:
            self.jsonrpc(route, **params)
        self.assertIn(
            error.exception.args[0],
            ("werkzeug.exceptions.NotFound", "odoo.http.SessionExpiredException"),
        )

    # ------------------------------------------------------------------ chatter
    def chatter(self, complaint, **params):
        """The messages the portal chatter shows the logged-in user: (ids, text)."""
        result = self.jsonrpc(
            "/mail/chatter_fetch",
            thread_model=complaint._name,
            thread_id=complaint.id,
            fetch_params={"limit": 100},
            **params,
        )
        return result["messages"], str(result["data"])

    def chatter_post(self, complaint, body, **post_data):
        result = self.jsonrpc(
            "/mail/message/post",
            thread_model=complaint._name,
            thread_id=complaint.id,
            post_data={
                "body": body,
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
                **post_data,
            },
        )
        return self.env["mail.message"].browse(result["message_id"])

    def chatter_upload(self, complaint, filename, content, **params):
        self.env.flush_all()
        response = self.url_open(
            "/mail/attachment/upload",
            data={
                "csrf_token": self.csrf_token(),
                "thread_id": complaint.id,
                "thread_model": complaint._name,
                "is_pending": "true",
                **params,
            },
            files={"ufile": (filename, content)},
        )
        self.env.invalidate_all()
        return response
