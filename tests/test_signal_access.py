"""Signals are as private as cases: each test tries to get around a rule (another
employee, another company, a portal user through the ORM and JSON-RPC, a forged
decision)."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import MODULE
from .signal_common import COMPLAINT_TEXT, SignalCase


class TestSignalAccess(SignalCase):
    def setUp(self):
        super().setUp()
        self.citizen.user_id = self.employee
        self.message = self.post()
        self.score()
        self.signal = self.signals_of(self.message)
        self.signal.ensure_one()

    def visible(self, user):
        return self.Signal.with_user(user).search([])

    def test_the_assigned_employee_sees_and_decides(self):
        self.assertIn(self.signal, self.visible(self.employee))
        mine = self.signal.with_user(self.employee)
        self.assertIn("niet teruggebeld", mine.body)
        mine._dismiss("Vraag, geen klacht")
        self.assertEqual(self.signal.state, "dismissed")
        # once decided, the employee still finds what they decided
        self.assertIn(self.signal, self.visible(self.employee))

    def test_another_employee_sees_nothing_and_cannot_decide(self):
        other = self.signal.with_user(self.colleague)
        self.assertNotIn(self.signal, self.visible(self.colleague))
        with self.assertRaises(AccessError):
            other.read(["body"])
        with self.assertRaises(AccessError):
            other.action_register_complaint()
        with self.assertRaises(AccessError):
            other._dismiss("niet van mij")
        # nor by a dismiss wizard forged with the signal's id
        wizard = (
            self.env["municipal.complaint.signal.dismiss.wizard"]
            .with_user(self.colleague)
            .create({"signal_id": self.signal.id, "reason": "weg ermee"})
        )
        with self.assertRaises(AccessError):
            wizard.action_dismiss()
        self.assertEqual(self.signal.state, "new")
        self.assertFalse(
            self.Complaint.sudo().search([("source_message_id", "=", self.message.id)])
        )

    def test_handing_on_the_activity_hands_on_the_signal(self):
        activity = self.activities_of(self.signal)
        activity.user_id = self.colleague
        self.assertIn(self.signal, self.visible(self.colleague))

    def test_nobody_writes_a_decision_directly(self):
        for user in (self.employee, self.coordinator, self.manager):
            with self.assertRaises(AccessError):
                self.signal.with_user(user).write({"state": "registered"})
            with self.assertRaises(AccessError):
                self.signal.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.Signal.with_user(user).create(
                    {
                        "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                        "res_id": self.citizen.id,
                        "date": self.message.date,
                        "company_id": self.company.id,
                    }
                )
        self.assertEqual(self.signal.state, "new")

    def test_coordinators_see_the_signals_of_their_companies_only(self):
        self.assertIn(self.signal, self.visible(self.coordinator))
        other = self.env["res.company"].create({"name": "Dienst Elders"})
        coordinator_elsewhere = new_test_user(
            self.env,
            "mc_signal_coord_elders",
            groups=f"{MODULE}.group_complaint_coordinator",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        self.assertNotIn(self.signal, self.visible(coordinator_elsewhere))
        with self.assertRaises(AccessError):
            self.signal.with_user(coordinator_elsewhere).read(["state"])
        # nor the analysis of another company
        Analysis = self.env["municipal.complaint.signal.analysis"]
        self.assertFalse(
            Analysis.with_user(coordinator_elsewhere).search(
                [("signal_id", "=", self.signal.id)]
            )
        )
        self.assertTrue(
            Analysis.with_user(self.coordinator).search(
                [("signal_id", "=", self.signal.id)]
            )
        )

    def test_the_signal_analysis_is_for_coordinators(self):
        with self.assertRaises(AccessError):
            self.env["municipal.complaint.signal.analysis"].with_user(
                self.employee
            ).search([])

    def test_users_without_complaint_rights_see_nothing(self):
        portal = new_test_user(self.env, "mc_signal_portal", groups="base.group_portal")
        # a portal user who is even the author of the message
        self.signal.sudo().partner_id = portal.partner_id
        for user in (self.outsider, portal):
            with self.assertRaises(AccessError):
                self.Signal.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.signal.with_user(user).read(["body"])

    def test_a_portal_user_is_never_assigned(self):
        portal = new_test_user(
            self.env, "mc_signal_portal2", groups="base.group_portal"
        )
        contact = self.env["res.partner"].create(
            {"name": "Karel Klant", "user_id": portal.id}
        )
        message = self.post(record=contact, author=contact)
        self.score()
        signal = self.signals_of(message)
        self.assertTrue(signal)
        self.assertFalse(signal.user_id)
        self.assertNotIn(portal, self.activities_of(signal).user_id)


@tagged("post_install", "-at_install")
class TestSignalJsonRpc(HttpCase):
    """A portal user in a real session, asking the server for signals."""

    def setUp(self):
        super().setUp()
        self.portal = new_test_user(
            self.env, "mc_signal_rpc_portal", groups="base.group_portal"
        )
        self.employee = new_test_user(
            self.env, "mc_signal_rpc_employee", groups=f"{MODULE}.group_complaint_user"
        )
        citizen = self.env["res.partner"].create(
            {"name": "Sara Janssen", "user_id": self.employee.id}
        )
        Signal = self.env["municipal.complaint.signal"]
        Signal._init_high_water()
        message = citizen.message_post(
            body=COMPLAINT_TEXT,
            author_id=citizen.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        Signal._score_messages(message.ids, Signal._get_watched_models())
        self.signal = Signal.search([("mail_message_id", "=", message.id)])
        self.assertTrue(self.signal)

    def call_kw(self, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/municipal.complaint.signal/{method}",
            {
                "model": "municipal.complaint.signal",
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        )

    @mute_logger("odoo.http")
    def test_portal_user_gets_no_signal_over_json_rpc(self):
        self.authenticate("mc_signal_rpc_portal", "mc_signal_rpc_portal")
        for method, args in (
            ("search_read", [[]]),
            ("read", [self.signal.ids, ["body", "partner_id"]]),
            ("action_register_complaint", [self.signal.ids]),
            ("write", [self.signal.ids, {"state": "dismissed"}]),
        ):
            with self.subTest(method=method), self.assertRaises(JsonRpcException):
                self.call_kw(method, args)
        self.assertEqual(self.signal.state, "new")

    @mute_logger("odoo.http")
    def test_the_assigned_employee_reads_it_but_cannot_forge_a_decision(self):
        self.authenticate("mc_signal_rpc_employee", "mc_signal_rpc_employee")
        rows = self.call_kw("search_read", [[("id", "=", self.signal.id)], ["state"]])
        self.assertEqual(rows, [{"id": self.signal.id, "state": "new"}])
        with self.assertRaises(JsonRpcException):
            self.call_kw("write", [self.signal.ids, {"state": "registered"}])
        # private methods are not callable over RPC
        with self.assertRaises(JsonRpcException):
            self.call_kw("_dismiss", [self.signal.ids, "weg"])
        self.assertEqual(self.signal.state, "new")


class TestSignalScreens(SignalCase):
    """What the Signalen list and form read, as the users who open them."""

    def test_list_form_and_grouping_read_for_employee_and_coordinator(self):
        self.citizen.user_id = self.employee
        message = self.post()
        self.score()
        signal = self.signals_of(message)
        spec = {
            "date": {},
            "partner_id": {"fields": {"display_name": {}}},
            "res_model_id": {"fields": {"display_name": {}}},
            "record_name": {},
            "terms": {},
            "state": {},
            "body": {},
            "activity_ids": {"fields": {"display_name": {}}},
        }
        for user in (self.employee, self.coordinator):
            Signal = self.Signal.with_user(user)
            rows = Signal.web_search_read([("id", "=", signal.id)], spec)["records"]
            self.assertEqual(rows[0]["record_name"], "Petra de Wit")
            self.assertTrue(rows[0]["res_model_id"]["display_name"])
            groups = Signal.web_read_group(
                [("id", "=", signal.id)], ["res_model_id"], ["__count"]
            )["groups"]
            self.assertEqual(groups[0]["__count"], 1)
