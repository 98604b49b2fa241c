from datetime import date, timedelta

from freezegun import freeze_time
from psycopg2.errors import UniqueViolation

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from .common import ComplaintCase


class TestRegister(ComplaintCase):
    def test_reference_follows_the_year_of_receipt(self):
        first = self.create_complaint(received_date=date(2026, 3, 11))
        second = self.create_complaint(received_date=date(2026, 3, 12))
        old = self.create_complaint(received_date=date(2020, 5, 4))
        self.assertRegex(first.name, r"^KL/2026/\d{4}$")
        self.assertEqual(int(second.name[-4:]), int(first.name[-4:]) + 1)
        self.assertRegex(old.name, r"^KL/2020/\d{4}$")

    def test_reference_is_numbered_per_company(self):
        other = self.env["res.company"].create({"name": "Dienst Noord"})
        self.coordinator.write({"company_ids": [(4, other.id)]})
        here = self.create_complaint()
        there = self.create_complaint(company_id=other.id)
        self.assertEqual(
            self.env["ir.sequence"].search_count(
                [
                    ("code", "=", "municipal.complaint"),
                    ("company_id", "in", [self.company.id, other.id]),
                ]
            ),
            2,
        )
        self.assertEqual(there.name, "KL/2026/0001")
        self.assertRegex(here.name, r"^KL/2026/\d{4}$")

    def test_kind_follows_the_category(self):
        complaint = self.create_complaint(category_id=self.category_beleid.id)
        self.assertEqual(complaint.kind, "policy")
        complaint.category_id = self.category_bejegening
        self.assertEqual(complaint.kind, "complaint")

    def test_anonymous_complaint_is_allowed(self):
        complaint = self.create_complaint(partner_id=False)
        self.assertFalse(complaint.partner_id)
        self.assertTrue(complaint.name.startswith("KL/"))

    def test_subject_is_required(self):
        with self.assertRaises(ValidationError):
            self.create_complaint(subject="   ")

    @freeze_time("2026-03-11")
    def test_received_date_cannot_be_in_the_future(self):
        with self.assertRaises(ValidationError):
            self.create_complaint(received_date=date(2026, 3, 12))
        complaint = self.create_complaint(received_date=date(2026, 3, 11))
        with self.assertRaises(ValidationError):
            complaint.received_date = date(2026, 3, 11) + timedelta(days=1)

    def test_archived_category_cannot_be_chosen(self):
        category = self.env["municipal.complaint.category"].create(
            {"name": "Tijdelijk", "code": "tijdelijk", "kind": "complaint"}
        )
        kept = self.create_complaint(category_id=category.id)
        category.action_archive()
        with self.assertRaises(ValidationError):
            self.create_complaint(category_id=category.id)
        with self.assertRaises(ValidationError):
            self.create_complaint().category_id = category
        # a case that already had it keeps it and can still be edited
        kept.subject = "Nog steeds niet teruggebeld"
        self.assertEqual(kept.category_id, category)

    def test_category_code_unique_per_company(self):
        Category = self.env["municipal.complaint.category"]
        category = Category.create(
            {"name": "Wachttijd", "code": "wachttijd", "company_id": self.company.id}
        )
        self.assertEqual(category.code, "WACHTTIJD")
        other = self.env["res.company"].create({"name": "Dienst Zuid"})
        Category.create(
            {"name": "Wachttijd", "code": "WACHTTIJD", "company_id": other.id}
        )
        with mute_logger("odoo.sql_db"), self.assertRaises(UniqueViolation):
            with self.env.cr.savepoint():
                Category.create(
                    {
                        "name": "Wachten",
                        "code": "WACHTTIJD",
                        "company_id": self.company.id,
                    }
                )

    def test_dragging_to_the_closed_stage_is_refused(self):
        complaint = self.create_complaint(
            handling="informal",
            resolution_note="<p>Uitleg gegeven, klager tevreden.</p>",
        )
        with self.assertRaises(UserError):
            complaint.stage_id = self.stage_closed
        self.assertFalse(complaint.closed_date)
        self.assertEqual(complaint.stage_id, self.stage_received)

    def test_historic_register_imports_closed_cases(self):
        complaint = self.create_complaint(
            received_date=date(2020, 3, 2),
            handling="informal",
            resolution_note="<p>Opgelost.</p>",
            stage_id=self.stage_closed.id,
            closed_date=date(2020, 3, 20),
        )
        self.assertEqual(complaint.closed_date, date(2020, 3, 20))
        self.assertEqual(complaint.deadline_state, "done")
        self.assertEqual(complaint.term_outcome, "within")
        # a closed case cannot be dragged back open either: reopening needs a reason
        with self.assertRaises(UserError):
            complaint.stage_id = self.stage_contacted
        self.assertEqual(complaint.closed_date, date(2020, 3, 20))

    def test_formal_handling_needs_a_judgment(self):
        with self.assertRaises(ValidationError):
            self.create_complaint(handling="formal")
        complaint = self.create_complaint(handling="formal", judgment="unfounded")
        self.assertEqual(complaint.judgment, "unfounded")

    def test_informal_handling_needs_a_resolution_note(self):
        with self.assertRaises(ValidationError):
            self.create_complaint(handling="informal", resolution_note="<p><br></p>")

    def test_cases_are_never_deleted_by_users(self):
        complaint = self.create_complaint()
        for user in (self.employee, self.coordinator, self.manager):
            with self.assertRaises(AccessError):
                complaint.with_user(user).unlink()
        complaint.with_user(self.coordinator).action_archive()
        self.assertFalse(complaint.active)
