"""Publishing over JSON-RPC, as the web client (or any client) calls the server."""

from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

MODULE = "municipal_complaint"
MODEL = "municipal.complaint.annual.report"
FORGED = {"figures": {"total": 1, "complaints": 0}, "stories": []}


@tagged("post_install", "-at_install")
class TestPublicationOverJsonRpc(HttpCase):
    def setUp(self):
        super().setUp()
        self.coordinator = new_test_user(
            self.env,
            "mc_rpc_report_coordinator",
            groups=f"{MODULE}.group_complaint_coordinator",
        )
        self.report = (
            self.env[MODEL]
            .with_user(self.coordinator)
            .create({"year": 2020, "lang": "en_US"})
        )
        self.authenticate("mc_rpc_report_coordinator", "mc_rpc_report_coordinator")

    def call_kw(self, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{MODEL}/{method}",
            {"model": MODEL, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def assertRefused(self, method, args, kwargs=None):
        with self.assertRaises(JsonRpcException) as error:
            self.call_kw(method, args, kwargs)
        self.assertEqual(error.exception.args[0], "odoo.exceptions.UserError")

    def assertStillDraft(self):
        self.report.invalidate_recordset()
        self.assertEqual(self.report.state, "draft")
        self.assertFalse(self.report.frozen_data)
        self.assertFalse(self.report.published_date)

    def test_a_coordinator_cannot_publish_by_writing(self):
        forged = {"state": "published", "frozen_data": FORGED}
        self.assertRefused("write", [[self.report.id], forged])
        # the form's save, and a context that claims to be publishing
        self.assertRefused(
            "web_save",
            [[self.report.id], forged],
            {
                "specification": {"state": {}},
                "context": {
                    "municipal_complaint_annual_report_publishing": True,
                    "lang": "en_US",
                },
            },
        )
        self.assertRefused(
            "create",
            [{"year": 2019, "state": "published", "frozen_data": FORGED}],
        )
        self.assertStillDraft()
        self.assertFalse(self.env[MODEL].search([("year", "=", 2019)]))

    def test_a_coordinator_publishes_with_the_button(self):
        # what the web client still may write, and then the button
        self.call_kw("write", [[self.report.id], {"introduction": "<p>Inleiding.</p>"}])
        self.call_kw("action_publish", [[self.report.id]])
        self.report.invalidate_recordset()
        self.assertEqual(self.report.state, "published")
        self.assertEqual(self.report.frozen_data["figures"]["total"], 48)
        self.assertEqual(self.report.published_user_id, self.coordinator)
