from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .common import ComplaintCase


class TestImprovement(ComplaintCase):
    """Leer van klachten: a bottleneck in cases becomes an
    improvement point with an owner."""

    def test_improvement_point_from_a_case(self):
        complaint = self.create_complaint()
        action = complaint.with_user(self.coordinator).action_create_improvement()
        self.assertEqual(action["res_model"], "municipal.complaint.improvement")
        Improvement = self.env["municipal.complaint.improvement"].with_user(
            self.coordinator
        )
        with Form(Improvement.with_context(**action["context"])) as form:
            form.name = "Terugbelverzoeken binnen twee werkdagen afhandelen"
            form.due_date = date(2026, 6, 30)
        improvement = form.record
        self.assertEqual(
            improvement.complaint_ids, complaint, "prefilled with the case"
        )
        self.assertEqual(
            improvement.user_id, self.coordinator, "the coordinator owns it by default"
        )
        self.assertEqual(improvement.state, "open")
        self.assertEqual(complaint.improvement_count, 1)
        self.assertEqual(complaint.improvement_ids, improvement)
        view = complaint.with_user(self.coordinator).action_view_improvements()
        self.assertEqual(
            view["res_id"], improvement.id, "one improvement opens directly"
        )

    def test_improvement_point_on_its_own_links_several_cases(self):
        first, second = (
            self.create_complaint(),
            self.create_complaint(subject="Weer niet teruggebeld"),
        )
        improvement = (
            self.env["municipal.complaint.improvement"]
            .with_user(self.coordinator)
            .create(
                {
                    "name": "Terugbelnotitie in het dossier",
                    "complaint_ids": [(6, 0, (first | second).ids)],
                }
            )
        )
        self.assertEqual(improvement.complaint_count, 2)
        self.assertEqual(first.improvement_ids, improvement)
        action = improvement.action_view_complaints()
        self.assertEqual(action["domain"], [("id", "in", (first | second).ids)])

    def test_flow_open_in_progress_done(self):
        improvement = (
            self.env["municipal.complaint.improvement"]
            .with_user(self.coordinator)
            .create(
                {"name": "Brieven in begrijpelijke taal", "user_id": self.employee.id}
            )
        )
        improvement.action_start()
        self.assertEqual(improvement.state, "in_progress")
        with self.assertRaisesRegex(UserError, "Describe the result"):
            improvement.action_done()
        self.assertEqual(improvement.state, "in_progress")
        improvement.result = "<p>Alle standaardbrieven herschreven op B1-niveau.</p>"
        improvement.action_done()
        self.assertEqual(improvement.state, "done")
        self.assertEqual(
            improvement.year, date.today().year, "counted in the year it was raised"
        )
        improvement.action_reopen()
        self.assertEqual(improvement.state, "open")

    @freeze_time("2026-07-01")
    def test_overdue_until_done(self):
        improvement = (
            self.env["municipal.complaint.improvement"]
            .with_user(self.coordinator)
            .create({"name": "Wachttijd telefoon", "due_date": date(2026, 6, 30)})
        )
        self.assertTrue(improvement.is_overdue)
        improvement.write({"result": "<p>Terugbelservice ingevoerd.</p>"})
        improvement.action_done()
        self.assertFalse(improvement.is_overdue)

    def test_all_states_are_columns_of_the_kanban(self):
        Improvement = self.env["municipal.complaint.improvement"].with_user(
            self.coordinator
        )
        groups = Improvement.with_context(read_group_expand=True).formatted_read_group(
            [("id", "=", 0)], ["state"], ["__count"]
        )
        self.assertEqual(
            [group["state"] for group in groups], ["open", "in_progress", "done"]
        )

    def test_employee_reads_but_does_not_create(self):
        improvement = (
            self.env["municipal.complaint.improvement"]
            .with_user(self.coordinator)
            .create({"name": "Informatie op de website verbeteren"})
        )
        self.assertEqual(
            improvement.with_user(self.employee).name,
            "Informatie op de website verbeteren",
        )
        with self.assertRaises(AccessError):
            self.env["municipal.complaint.improvement"].with_user(self.employee).create(
                {"name": "Eigen idee"}
            )
