"""The access log: who opened, printed or exported a case, or read a complainant's
contact, whatever the client; the kanban and the list are not logged; only
coordinators and the data-protection officer read it; it is kept for its term."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import MODULE, ComplaintCase

FORM_SPEC = {
    "name": {},
    "subject": {},
    "description": {},
    "partner_id": {"fields": {"display_name": {}}},
    "partner_email": {},
    "partner_phone": {},
}
KANBAN_SPEC = {
    "name": {},
    "subject": {},
    "channel": {},
    "received_date": {},
    "deadline_state": {},
    "partner_id": {"fields": {"display_name": {}}},
    "category_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
}


class AccessLogCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["municipal.complaint.access.log"]
        cls.complainant.sudo().write(
            {"is_complainant_contact": True, "company_id": cls.company.id}
        )
        cls.complaint = cls.create_complaint(user_id=cls.employee.id)
        cls.other = cls.create_complaint(subject="Tweede zaak")

    def entries(self, action=None, user=None):
        domain = [("complaint_id", "in", (self.complaint | self.other).ids)]
        domain = ["|", ("partner_id", "=", self.complainant.id), *domain]
        if action:
            domain.append(("action", "=", action))
        if user:
            domain.append(("user_id", "=", user.id))
        return self.Log.sudo().search(domain)


class TestAccessLog(AccessLogCase):
    def test_opening_the_form_is_logged_once_per_visit(self):
        self.complaint.with_user(self.employee).web_read(FORM_SPEC)
        entry = self.entries("read")
        self.assertEqual(len(entry), 1)
        self.assertEqual(
            (entry.user_id, entry.complaint_id, entry.company_id),
            (self.employee, self.complaint, self.company),
        )
        # saving re-reads the form: the same visit
        self.complaint.with_user(self.employee).web_save(
            {"subject": "Niet teruggebeld, aangevuld"}, FORM_SPEC
        )
        self.assertEqual(len(self.entries("read")), 1)
        with freeze_time(datetime.now() + timedelta(minutes=11)):
            self.complaint.with_user(self.employee).web_read(FORM_SPEC)
        self.assertEqual(len(self.entries("read")), 2)

    def test_the_kanban_and_the_list_are_not_logged(self):
        Complaint = self.Complaint.with_user(self.coordinator)
        Complaint.web_search_read([], KANBAN_SPEC, limit=80)
        Complaint.search_read([], ["name", "subject", "partner_id", "stage_id"])
        self.complaint.with_user(self.coordinator).read(["subject", "partner_id"])
        self.assertFalse(self.entries())

    def test_reading_the_content_any_other_way_is_logged_per_case(self):
        self.Complaint.with_user(self.coordinator).search_read(
            [("id", "in", (self.complaint | self.other).ids)], ["description"]
        )
        self.assertEqual(self.entries("read").complaint_id, self.complaint | self.other)
        (self.complaint | self.other).with_user(self.manager).read(["findings"])
        self.assertEqual(len(self.entries("read", self.manager)), 2)

    def test_server_code_reading_is_not_a_user_opening_a_case(self):
        self.complaint.sudo().read(["description"])
        self.complaint.with_user(self.coordinator).sudo().read(["description"])
        self.assertFalse(self.entries())

    def test_printing_a_letter_is_logged(self):
        report = self.env.ref(f"{MODULE}.action_report_acknowledgment")
        self.env["ir.actions.report"].with_user(self.coordinator)._render_qweb_html(
            report.report_name, self.complaint.ids
        )
        entry = self.entries("print")
        self.assertEqual(entry.complaint_id, self.complaint)
        self.assertEqual(entry.user_id, self.coordinator)
        self.assertEqual(entry.detail, report.name)

    def test_exporting_is_logged_per_case(self):
        self.coordinator.write(
            {"group_ids": [(4, self.env.ref("base.group_allow_export").id)]}
        )
        (self.complaint | self.other).with_user(self.coordinator).export_data(
            ["name", "subject"]
        )
        self.assertEqual(
            self.entries("export").complaint_id, self.complaint | self.other
        )

    def test_reading_a_complainants_contact_is_logged(self):
        self.complainant.with_user(self.employee).web_read(
            {"name": {}, "email": {}, "phone": {}, "street": {}}
        )
        entry = self.entries("contact")
        self.assertEqual(
            (entry.partner_id, entry.user_id), (self.complainant, self.employee)
        )
        # a contact that is not a complainant's is not logged
        self.coordinator.partner_id.with_user(self.employee).read(["phone"])
        self.assertEqual(len(self.Log.sudo().search([("action", "=", "contact")])), 1)

    def test_a_contract_partner_viewing_the_case_in_the_portal_is_logged(self):
        self.complaint.with_user(self.outsider).sudo()._log_portal_view()
        entry = self.entries("portal")
        self.assertEqual(
            (entry.user_id, entry.complaint_id), (self.outsider, self.complaint)
        )

    def test_only_coordinators_and_the_dpo_read_the_log(self):
        self.complaint.with_user(self.employee).web_read(FORM_SPEC)
        entry = self.entries("read")
        for user in (self.employee, self.outsider):
            with self.assertRaises(AccessError):
                entry.with_user(user).read(["user_id"])
        self.assertTrue(entry.with_user(self.coordinator).read(["user_id"]))
        self.assertTrue(entry.with_user(self.manager).read(["user_id"]))

    def test_nobody_changes_or_removes_an_entry(self):
        self.complaint.with_user(self.employee).web_read(FORM_SPEC)
        entry = self.entries("read")
        for user in (self.employee, self.coordinator, self.manager):
            with self.assertRaises(AccessError):
                entry.with_user(user).write({"user_id": self.outsider.id})
            with self.assertRaises(AccessError):
                entry.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.Log.with_user(user).create(
                    {"user_id": self.outsider.id, "action": "read"}
                )
        self.assertEqual(entry.user_id, self.employee)

    def test_a_coordinator_does_not_see_another_companys_log(self):
        other = self.env["res.company"].create({"name": "Dienst Elders"})
        stranger = new_test_user(
            self.env,
            "mc_log_stranger",
            groups=f"{MODULE}.group_complaint_coordinator",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.complaint.with_user(self.employee).web_read(FORM_SPEC)
        self.assertFalse(self.Log.with_user(stranger).search([]))

    def test_entries_are_kept_for_the_companys_term(self):
        self.company.complaint_access_log_months = 6
        with freeze_time("2026-01-05 10:00:00"):
            self.complaint.with_user(self.coordinator).web_read(FORM_SPEC)
        with freeze_time("2026-05-05 10:00:00"):
            self.other.with_user(self.coordinator).web_read(FORM_SPEC)
        with freeze_time("2026-07-10 10:00:00"):
            self.Log._gc_access_log()
        self.assertEqual(self.entries("read").complaint_id, self.other)

    def test_the_case_form_shows_its_log_to_a_coordinator(self):
        self.complaint.with_user(self.employee).web_read(FORM_SPEC)
        action = self.complaint.with_user(self.coordinator).action_view_access_log()
        found = self.Log.with_user(self.coordinator).search(action["domain"])
        self.assertEqual(found.complaint_id, self.complaint)


@tagged("post_install", "-at_install")
class TestAccessLogThroughJsonRpc(HttpCase):
    """The web client's calls in a real session: a form open writes its entry even
    though reading is otherwise done on a read-only cursor."""

    def setUp(self):
        super().setUp()
        self.coordinator = new_test_user(
            self.env,
            "mc_log_rpc_coordinator",
            groups=f"{MODULE}.group_complaint_coordinator",
        )
        self.complaint = self.env["municipal.complaint"].create(
            {
                "subject": "Geopend via JSON-RPC",
                "category_id": self.env.ref(f"{MODULE}.category_informatie").id,
                "received_date": date.today(),
                "description": "<p>Vertrouwelijk</p>",
            }
        )
        self.authenticate("mc_log_rpc_coordinator", "mc_log_rpc_coordinator")

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

    def logged(self):
        return self.env["municipal.complaint.access.log"].search(
            [("complaint_id", "=", self.complaint.id)]
        )

    def test_kanban_then_form(self):
        self.call_kw(
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
        self.assertFalse(self.logged())
        values = self.call_kw("web_read", [self.complaint.ids, FORM_SPEC])
        self.assertIn("Vertrouwelijk", values[0]["description"])
        self.assertEqual(self.logged().user_id, self.coordinator)

    def test_the_private_transition_is_not_callable(self):
        for method, args in (
            ("_anonymise", [self.complaint.ids]),
            ("_log_access", [self.complaint.ids, "read"]),
        ):
            with self.assertRaises(JsonRpcException) as caught:
                self.call_kw(method, args)
            self.assertEqual(caught.exception.args[0], "odoo.exceptions.AccessError")
        self.assertFalse(self.complaint.anonymised_date)
        self.assertFalse(self.logged())


class TestLogInContext(ComplaintCase):
    def test_a_draft_form_is_nobodys_file(self):
        new = self.Complaint.with_user(self.coordinator).new({"subject": "Concept"})
        new._read_format(["description"])
        self.assertFalse(
            self.env["municipal.complaint.access.log"]
            .sudo()
            .search([("user_id", "=", self.coordinator.id)])
        )
