from datetime import date

from odoo.tests import HttpCase, new_test_user, tagged

MODULE = "municipal_complaint"

KANBAN_SPEC = {
    "name": {},
    "subject": {},
    "channel": {},
    "received_date": {},
    "deadline_state": {},
    "category_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
}


class ComplaintRpcCase(HttpCase):
    """Calls the web client makes, over JSON-RPC in a real session."""

    def call_kw(self, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/municipal.complaint/{method}",
            {
                "model": "municipal.complaint",
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        )


@tagged("post_install", "-at_install")
class TestKanbanThroughJsonRpc(ComplaintRpcCase):
    """What the web client does to show the kanban, done over JSON-RPC as a real
    session."""

    def setUp(self):
        super().setUp()
        self.coordinator = new_test_user(
            self.env,
            "mc_rpc_coordinator",
            groups=f"{MODULE}.group_complaint_coordinator",
        )
        self.employee = new_test_user(
            self.env, "mc_rpc_employee", groups=f"{MODULE}.group_complaint_user"
        )
        Complaint = self.env["municipal.complaint"]
        self.complaint = Complaint.create(
            {
                "subject": "Kanban via JSON-RPC",
                "category_id": self.env.ref(f"{MODULE}.category_informatie").id,
                "channel": "email",
                "received_date": date.today(),
                "user_id": self.employee.id,
            }
        )
        self.hidden = Complaint.create(
            {
                "subject": "Niet voor de medewerker",
                "category_id": self.env.ref(f"{MODULE}.category_bejegening").id,
            }
        )

    def read_kanban(self):
        return self.call_kw(
            "web_read_group",
            [],
            {
                "domain": [],
                "groupby": ["stage_id"],
                "aggregates": [],
                "auto_unfold": True,
                "unfold_read_specification": KANBAN_SPEC,
            },
        )

    def test_coordinator_opens_the_kanban_grouped_by_stage(self):
        self.authenticate("mc_rpc_coordinator", "mc_rpc_coordinator")
        action = self.make_jsonrpc_request(
            "/web/action/load", {"action_id": f"{MODULE}.action_municipal_complaint"}
        )
        self.assertEqual(action["view_mode"].split(",")[0], "kanban")
        views = self.call_kw(
            "get_views", [], {"views": [[False, "kanban"]], "options": {}}
        )
        self.assertIn('default_group_by="stage_id"', views["views"]["kanban"]["arch"])

        result = self.read_kanban()
        stages = self.env["municipal.complaint.stage"].search([])
        # every stage is a column, also the empty ones, in their order
        self.assertEqual(
            [group["stage_id"][0] for group in result["groups"]], stages.ids
        )
        received = next(
            g
            for g in result["groups"]
            if g["stage_id"][0] == self.complaint.stage_id.id
        )
        card = next(r for r in received["__records"] if r["id"] == self.complaint.id)
        self.assertEqual(card["subject"], "Kanban via JSON-RPC")
        self.assertEqual(
            card["category_id"]["display_name"], self.complaint.category_id.display_name
        )
        self.assertEqual(card["user_id"]["id"], self.employee.id)
        self.assertEqual(card["channel"], "email")
        self.assertEqual(card["deadline_state"], "on_track")
        self.assertTrue(card["name"].startswith("KL/"))
        all_ids = {r["id"] for g in result["groups"] for r in g.get("__records", [])}
        self.assertIn(self.hidden.id, all_ids)

    def test_employee_kanban_shows_only_their_cases(self):
        self.authenticate("mc_rpc_employee", "mc_rpc_employee")
        result = self.read_kanban()
        all_ids = {r["id"] for g in result["groups"] for r in g.get("__records", [])}
        self.assertIn(self.complaint.id, all_ids)
        self.assertNotIn(self.hidden.id, all_ids)


@tagged("post_install", "-at_install")
class TestDutchKanban(ComplaintRpcCase):
    """A Dutch-speaking coordinator opens the kanban: its words arrive in Dutch."""

    def test_coordinator_reads_the_kanban_in_dutch(self):
        if not self.env["res.lang"]._lang_get("nl_NL"):
            self.skipTest("Dutch is not loaded in this database (the harness loads it)")
        new_test_user(
            self.env,
            "mc_rpc_dutch",
            groups=f"{MODULE}.group_complaint_coordinator",
            lang="nl_NL",
        )
        self.authenticate("mc_rpc_dutch", "mc_rpc_dutch")
        # the web client sends the user's context (with its language) on every call
        context = self.make_jsonrpc_request("/web/session/get_session_info")[
            "user_context"
        ]
        self.assertEqual(context["lang"], "nl_NL")
        result = self.call_kw(
            "web_read_group",
            [],
            {
                "domain": [],
                "groupby": ["stage_id"],
                "aggregates": [],
                "context": context,
            },
        )
        columns = [group["stage_id"][1] for group in result["groups"]]
        self.assertEqual(
            columns[:5],
            [
                "Ontvangen",
                "Contact opgenomen",
                "In behandeling",
                "Doorverwezen / bemiddeling",
                "Afgehandeld",
            ],
        )
        fields = self.call_kw(
            "fields_get",
            [["subject", "deadline_state", "channel"]],
            {"attributes": ["string", "selection"], "context": context},
        )
        self.assertEqual(fields["subject"]["string"], "Onderwerp")
        self.assertIn(["overdue", "Te laat"], fields["deadline_state"]["selection"])
        self.assertIn(["phone", "Telefoon"], fields["channel"]["selection"])
