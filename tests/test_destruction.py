"""The destruction list: the monthly scheduled action only lists; nothing is
destroyed until a coordinator approves, and the approved list is the record."""

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError

from .closing_common import ClosingCase


@freeze_time("2026-11-30")
class TestDestructionList(ClosingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Destruction = cls.env["municipal.complaint.destruction"]
        # past its term (5 years after 1 March 2021), due (1 year, not handled),
        # not yet due, and open
        cls.old = cls.closed_case(date(2021, 3, 1), subject="Oud dossier")
        cls.short = cls.closed_case(
            date(2025, 6, 1),
            subject="Niet behandeld",
            handling="not_handled",
            not_handled_reason="over_a_year",
            resolution_note=False,
        )
        cls.recent = cls.closed_case(date(2024, 6, 1), subject="Nog bewaren")
        cls.open_case = cls.create_complaint(
            received_date=date(2019, 1, 7), subject="Nooit afgesloten"
        )

    @classmethod
    def closed_case(cls, closed, **values):
        vals = {
            "received_date": closed - timedelta(days=20),
            "closed_date": closed,
            "handling": "informal",
            "resolution_note": "<p>Opgelost met J. Jansen.</p>",
            "outcome_ids": cls.env.ref("municipal_complaint.outcome_uitleg").ids,
        }
        vals.update(values)
        return cls.create_complaint(**vals)

    def setUp(self):
        super().setUp()
        # outside a real cron run, _commit_progress commits: record the batches
        self.progress = []
        self.time_left = 60.0
        patcher = patch.object(
            type(self.env["ir.cron"]),
            "_commit_progress",
            autospec=True,
            side_effect=lambda _cron, processed=0, **kw: (
                self.progress.append((processed, kw)) or self.time_left
            ),
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    def build(self, **kwargs):
        self.Destruction._cron_build_destruction_lists(**kwargs)
        return self.Destruction.search([("state", "=", "draft")])

    def test_the_run_works_in_batches_and_stops_when_its_time_is_up(self):
        due = (
            self.Complaint.sudo()
            .with_context(active_test=False)
            .search_count(self.Destruction._get_due_domain())
        )
        self.assertGreaterEqual(due, 2)
        destruction = self.build(batch_size=10)
        batches = [10] * (due // 10) + ([due % 10] if due % 10 else [])
        self.assertEqual(
            self.progress,
            [(0, {"remaining": due})]
            + [(size, {}) for size in batches]
            + [(0, {"remaining": 0})],
        )
        self.assertEqual(len(destruction.line_ids), due)
        for day in range(1, 4):
            self.closed_case(date(2020, 5, day), subject="Later gevonden")
        self.progress.clear()
        self.time_left = 0.0
        self.build(batch_size=2)
        self.assertEqual(self.progress, [(0, {"remaining": 3}), (2, {})])
        self.assertEqual(len(destruction.line_ids), due + 2)
        self.time_left = 60.0
        self.build(batch_size=2)
        self.assertEqual(len(destruction.line_ids), due + 3)

    def test_the_monthly_run_lists_the_cases_past_their_term_and_destroys_nothing(self):
        destruction = self.build()
        self.assertEqual(len(destruction), 1)
        self.assertEqual(destruction.company_id, self.company)
        listed = destruction.line_ids.complaint_id
        self.assertIn(self.old, listed)
        self.assertIn(self.short, listed)
        self.assertNotIn(self.recent, listed)
        self.assertNotIn(self.open_case, listed)
        self.assertFalse(listed.filtered("anonymised_date"))
        self.assertEqual(self.old.partner_id, self.complainant)
        self.assertIn("J. Jansen", self.old.resolution_note)
        line = destruction.line_ids.filtered(lambda line: line.complaint_id == self.old)
        self.assertEqual(line.retention_date, date(2026, 3, 1))
        self.assertEqual(line.reference, self.old.name)

    def test_a_second_run_adds_nothing_and_a_new_case_joins_the_open_list(self):
        destruction = self.build()
        count = len(destruction.line_ids)
        self.assertEqual(self.build(), destruction)
        self.assertEqual(len(destruction.line_ids), count)
        later = self.closed_case(date(2020, 5, 4), subject="Later gevonden")
        self.assertEqual(self.build(), destruction)
        self.assertIn(later, destruction.line_ids.complaint_id)

    def test_each_company_gets_its_own_list(self):
        other = self.env["res.company"].create({"name": "Dienst Elders"})
        self.coordinator.write({"company_ids": [(4, other.id)]})
        elsewhere = self.closed_case(
            date(2020, 3, 1), company_id=other.id, subject="Elders"
        )
        lists = self.build()
        self.assertEqual(lists.company_id, self.company | other)
        self.assertEqual(
            lists.filtered(lambda d: d.company_id == other).line_ids.complaint_id,
            elsewhere,
        )

    def test_approval_anonymises_and_records_who_approved(self):
        destruction = self.build().with_user(self.coordinator)
        destruction.action_approve()
        self.assertEqual(destruction.state, "approved")
        self.assertEqual(destruction.approved_user_id, self.coordinator)
        self.assertTrue(destruction.approved_date)
        self.assertEqual(self.old.anonymised_date, date(2026, 11, 30))
        self.assertFalse(self.old.partner_id)
        self.assertNotIn("J. Jansen", self.old.resolution_note)
        self.assertTrue(self.short.anonymised_date)
        self.assertFalse(self.recent.anonymised_date)
        self.assertEqual(set(destruction.line_ids.mapped("result")), {"destroyed"})
        # the record keeps the references and dates
        line = destruction.line_ids.filtered(lambda line: line.complaint_id == self.old)
        self.assertEqual(
            (line.reference, line.received_date, line.closed_date),
            (self.old.name, self.old.received_date, date(2021, 3, 1)),
        )

    def test_nobody_but_a_coordinator_approves(self):
        destruction = self.build()
        for user in (self.employee, self.outsider):
            with self.assertRaises(AccessError):
                destruction.with_user(user).action_approve()
        self.assertEqual(destruction.state, "draft")
        self.assertFalse(self.old.anonymised_date)

    def test_a_medewerker_cannot_read_or_change_a_list(self):
        destruction = self.build()
        with self.assertRaises(AccessError):
            destruction.with_user(self.employee).read(["name"])
        with self.assertRaises(AccessError):
            destruction.line_ids[:1].with_user(self.employee).write(
                {"excluded": True, "exclude_reason": "Zomaar"}
            )

    def test_a_case_taken_off_with_a_reason_is_kept_and_comes_back(self):
        destruction = self.build().with_user(self.coordinator)
        line = destruction.line_ids.filtered(lambda line: line.complaint_id == self.old)
        with self.assertRaises(ValidationError):
            line.write({"excluded": True})
        line.write({"excluded": True, "exclude_reason": "Beroep loopt nog"})
        destruction.action_approve()
        self.assertEqual(line.result, "excluded")
        self.assertFalse(self.old.anonymised_date)
        self.assertEqual(self.old.partner_id, self.complainant)
        self.assertTrue(self.short.anonymised_date)
        next_list = self.build()
        self.assertNotEqual(next_list, destruction)
        self.assertEqual(next_list.line_ids.complaint_id, self.old)

    def test_a_case_no_longer_due_is_not_destroyed(self):
        destruction = self.build().with_user(self.coordinator)
        self.old.with_user(self.coordinator).action_reopen("Nieuwe feiten")
        destruction.action_approve()
        line = destruction.line_ids.filtered(lambda line: line.complaint_id == self.old)
        self.assertEqual(line.result, "not_due")
        self.assertFalse(self.old.anonymised_date)
        self.assertTrue(self.old.partner_id)

    def test_an_approved_list_is_the_record_and_changes_no_more(self):
        destruction = self.build().with_user(self.coordinator)
        destruction.action_approve()
        with self.assertRaises(UserError):
            destruction.action_approve()
        with self.assertRaises(UserError):
            destruction.line_ids[:1].write(
                {"excluded": True, "exclude_reason": "Achteraf"}
            )
        with self.assertRaises(AccessError):
            destruction.write({"approved_user_id": self.employee.id})
        with self.assertRaises(AccessError):
            destruction.unlink()
        with self.assertRaises(UserError):
            destruction.line_ids[:1].write({"complaint_id": self.recent.id})

    def test_the_list_holds_no_personal_data(self):
        destruction = self.build().with_user(self.coordinator)
        destruction.action_approve()
        self.env.flush_all()
        for table in (
            "municipal_complaint_destruction",
            "municipal_complaint_destruction_line",
        ):
            self.env.cr.execute(
                f"SELECT row_to_json(t)::text FROM {table} t"  # noqa: S608
            )
            rows = " ".join(row[0] for row in self.env.cr.fetchall())
            self.assertNotIn("Jansen", rows)
            self.assertNotIn("Oud dossier", rows)
