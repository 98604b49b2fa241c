"""The daily deadline warnings: once per case and deadline, nothing missed after a
skipped day, re-armed by a postponement, none for closed cases, safe with two
workers."""

from contextlib import ExitStack
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api

from .common import ComplaintCase

GOOD_FRIDAY_2026 = date(2026, 4, 3)  # contact by 13 April, legal term 15 May 2026


class TestDeadlineCron(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company._get_complaint_calendar()._generate_dutch_holidays([2026])
        cls.type_contact = cls.env.ref(
            "municipal_complaint.mail_activity_type_contact_deadline"
        )
        cls.type_legal = cls.env.ref(
            "municipal_complaint.mail_activity_type_legal_deadline"
        )
        cls.Complaint = cls.Complaint.with_context(complaint_no_acknowledgment=True)

    def setUp(self):
        super().setUp()
        # outside a real cron run, _commit_progress commits: count the batches instead
        self.progress = []
        patcher = patch.object(
            type(self.env["ir.cron"]),
            "_commit_progress",
            autospec=True,
            side_effect=lambda _cron, processed=0, **kw: (
                self.progress.append((processed, kw)) or 60.0
            ),
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    def new_case(self, **values):
        values.setdefault("received_date", GOOD_FRIDAY_2026)
        values.setdefault("user_id", self.employee.id)
        return self.create_complaint(**values)

    def run_cron(self, cases, **kwargs):
        cases._cron_deadline_warnings(**kwargs)

    def warnings(self, cases, activity_type=None, active=True):
        domain = [
            ("res_model", "=", "municipal.complaint"),
            ("res_id", "in", cases.ids),
        ]
        if activity_type:
            domain.append(("activity_type_id", "=", activity_type.id))
        if not active:
            domain.append(("active", "in", [True, False]))
        return self.env["mail.activity"].with_context(active_test=active).search(domain)

    def test_approaching_contact_deadline_warns_the_handler_once(self):
        # contact by Monday 13 April: not yet within 2 working days on Wednesday
        with freeze_time("2026-04-08"):
            case = self.new_case()
            self.run_cron(case)
            self.assertFalse(self.warnings(case))
        with freeze_time("2026-04-09"):  # Thursday: 2 working days before
            self.run_cron(case)
            warning = self.warnings(case)
            self.assertEqual(warning.activity_type_id, self.type_contact)
            self.assertEqual(warning.user_id, self.employee)
            self.assertEqual(warning.date_deadline, date(2026, 4, 13))
            self.run_cron(case)
            self.assertEqual(self.warnings(case), warning, "running twice warns once")
        with freeze_time(
            "2026-04-14"
        ):  # passed: the same warning is now overdue, no second one
            self.run_cron(case)
            self.assertEqual(self.warnings(case), warning)
            self.assertEqual(warning.with_user(self.employee).state, "overdue")

    def test_warnings_say_what_to_do(self):
        with freeze_time("2026-05-20"):
            case = self.new_case()
            self.run_cron(case)
            contact = self.warnings(case, self.type_contact)
            legal = self.warnings(case, self.type_legal)
            self.assertEqual(contact.summary, "Contact the complainant (service norm)")
            self.assertEqual(
                legal.summary,
                "Handle the complaint within the legal term (Awb 9:11)",
            )

    def test_a_skipped_day_misses_nothing(self):
        with freeze_time("2026-04-08"):
            case = self.new_case()
            self.run_cron(case)
            self.assertFalse(self.warnings(case))
        # the cron did not run from 9 to 13 April; on the 14th the deadline passed
        with freeze_time("2026-04-14"):
            self.run_cron(case)
            self.assertEqual(self.warnings(case).date_deadline, date(2026, 4, 13))

    def test_legal_term_warning_and_its_rearming_by_a_postponement(self):
        with freeze_time("2026-05-13"):
            case = self.new_case(contact_date=date(2026, 4, 7))
            self.run_cron(case)
            first = self.warnings(case)
            self.assertEqual(first.activity_type_id, self.type_legal)
            self.assertEqual(first.date_deadline, date(2026, 5, 15))
            case.with_user(self.coordinator).action_postpone(
                "Advies van de jurist nodig"
            )
            self.assertFalse(
                first.exists() and first.active, "the warning for the old date is done"
            )
            self.run_cron(case)
            self.assertFalse(self.warnings(case), "the new date is weeks away")
        with freeze_time("2026-06-10"):
            self.run_cron(case)
            second = self.warnings(case)
            self.assertEqual(second.activity_type_id, self.type_legal)
            self.assertEqual(second.date_deadline, date(2026, 6, 12))
            self.run_cron(case)
            self.assertEqual(self.warnings(case), second)

    def test_both_deadlines_passed_give_two_warnings(self):
        with freeze_time("2026-05-20"):
            case = self.new_case()
            self.run_cron(case)
            self.assertEqual(
                set(self.warnings(case).mapped("activity_type_id")),
                {self.type_contact, self.type_legal},
            )

    def test_coordinators_are_warned_when_nobody_handles_the_case(self):
        with freeze_time("2026-04-14"):
            case = self.new_case(user_id=False)
            self.run_cron(case)
            users = self.warnings(case).user_id
            self.assertIn(self.coordinator, users)
            self.assertIn(self.manager, users)  # an administrator is a coordinator too
            self.assertNotIn(self.employee, users)
            self.assertNotIn(self.outsider, users)
            self.assertEqual(
                len(self.warnings(case)), len(users), "one warning per coordinator"
            )

    def test_coordinators_of_another_company_are_not_warned(self):
        other = self.env["res.company"].create({"name": "Dienst Noord"})
        self.coordinator.write({"company_ids": [(4, other.id)], "company_id": other.id})
        self.coordinator.write({"company_ids": [(3, self.company.id)]})
        with freeze_time("2026-04-14"):
            case = self.new_case(
                user_id=False, user=self.manager, company_id=self.company.id
            )
            self.run_cron(case)
            self.assertNotIn(self.coordinator, self.warnings(case).user_id)
            self.assertIn(self.manager, self.warnings(case).user_id)

    def test_contact_made_closes_the_contact_warning(self):
        with freeze_time("2026-04-14"):
            case = self.new_case()
            self.run_cron(case)
            case.with_user(self.employee).action_contact_made()
            self.assertFalse(self.warnings(case))
            done = self.warnings(case, self.type_contact, active=False)
            self.assertEqual(len(done), 1)
            self.assertFalse(done.active)

    def test_closed_cases_get_no_warnings_and_closing_ends_them(self):
        with freeze_time("2026-05-20"):
            closed = self.new_case(closed_date=date(2026, 4, 20))
            archived = self.new_case()
            archived.action_archive()
            open_case = self.new_case()
            self.run_cron(closed | archived | open_case)
            self.assertFalse(self.warnings(closed | archived))
            self.assertEqual(len(self.warnings(open_case)), 2)
            # an import correcting the register with a decision date ends them too
            self.set_history(open_case, closed_date=date(2026, 5, 20))
            self.assertFalse(self.warnings(open_case))
            self.assertEqual(len(self.warnings(open_case, active=False)), 2)
            self.run_cron(open_case)
            self.assertFalse(self.warnings(open_case))

    def test_closing_stage_ends_the_warnings(self):
        with freeze_time("2026-05-20"):
            case = self.new_case()
            self.run_cron(case)
            # closed the way an import of the register closes it
            self.set_history(
                case, stage_id=self.stage_closed.id, closed_date=date(2026, 5, 20)
            )
            self.assertTrue(case.closed_date)
            self.assertFalse(self.warnings(case))

    def test_the_cron_also_makes_passed_terms_late(self):
        with freeze_time("2026-05-15"):
            case = self.new_case(contact_date=date(2026, 4, 7))
            self.assertEqual(case.term_outcome, "open")
        with freeze_time("2026-05-18"):
            self.run_cron(self.Complaint.browse())  # the real call: all cases
            self.assertEqual(case.term_outcome, "late")

    def test_works_in_batches_and_reports_progress(self):
        with freeze_time("2026-04-14"):
            cases = self.Complaint.browse()
            for _n in range(5):
                cases |= self.new_case()
            self.run_cron(cases, batch_size=2)
            self.assertEqual(len(self.warnings(cases)), 5)
            self.assertEqual(self.progress[0], (0, {"remaining": 5}))
            self.assertEqual([done for done, _kw in self.progress[1:4]], [2, 2, 1])
            self.assertEqual(self.progress[-1], (0, {"remaining": 0}))

    def test_stops_between_batches_when_out_of_time(self):
        with freeze_time("2026-04-14"):
            cases = self.Complaint.browse()
            for _n in range(5):
                cases |= self.new_case()
            with patch.object(
                type(self.env["ir.cron"]), "_commit_progress", return_value=0.0
            ):
                self.run_cron(cases, batch_size=2)
            self.assertEqual(
                len(self.warnings(cases)), 2, "one batch, then the cron is rescheduled"
            )
            self.run_cron(cases, batch_size=2)
            self.assertEqual(len(self.warnings(cases)), 5)

    def test_query_count_grows_with_batches_not_cases(self):
        def queries(count):
            with freeze_time("2026-04-14"):
                cases = self.Complaint.browse()
                for _n in range(count):
                    cases |= self.new_case()
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                self.run_cron(cases, batch_size=100)
                self.assertEqual(len(self.warnings(cases)), count)
                return self.env.cr.sql_log_count - before

        queries(2)  # warm the caches
        self.assertEqual(queries(5), queries(40))


class TestDeadlineCronConcurrency(ComplaintCase):
    """Two workers at once, each in its own transaction: what one locks, the other
    skips."""

    def test_two_workers_do_not_warn_the_same_case_twice(self):
        registry = self.env.registry
        admin = self.env.ref("base.user_admin")
        with freeze_time("2026-05-20"):  # both deadlines of the case passed
            # a case both workers can see: committed in its own transaction (cleaned
            # up below)
            with registry.cursor() as cr:
                env = api.Environment(
                    cr, SUPERUSER_ID, {"complaint_no_acknowledgment": True}
                )
                case_id = (
                    env["municipal.complaint"]
                    .create(
                        {
                            "subject": "Twee werkers",
                            "category_id": env.ref(
                                "municipal_complaint.category_bejegening"
                            ).id,
                            "received_date": GOOD_FRIDAY_2026,
                            "user_id": admin.id,
                        }
                    )
                    .id
                )
            self.addCleanup(self._purge_committed_case, case_id)

            with ExitStack() as stack:
                cr1 = stack.enter_context(registry.cursor())
                cr2 = stack.enter_context(registry.cursor())
                for cr in (cr1, cr2):
                    cr.execute("SET lock_timeout = '10s'")
                worker1 = api.Environment(cr1, SUPERUSER_ID, {})[
                    "municipal.complaint"
                ].browse(case_id)
                worker2 = api.Environment(cr2, SUPERUSER_ID, {})[
                    "municipal.complaint"
                ].browse(case_id)

                batch1, due1 = worker1._lock_deadline_warning_batch(10)
                self.assertEqual(batch1.ids, [case_id])
                self.assertEqual(due1[case_id], {"contact", "legal"})
                batch2, _due2 = worker2._lock_deadline_warning_batch(10)
                self.assertFalse(batch2, "the second worker skips the locked case")

                batch1._create_deadline_warnings(due1)
                cr1.commit()
                cr2.commit()  # end of the second worker's (empty) batch

                batch2, _due2 = worker2._lock_deadline_warning_batch(10)
                self.assertFalse(batch2, "once warned, the case is no longer due")
                cr2.execute(
                    "SELECT count(*) FROM mail_activity "
                    "WHERE res_model = %s AND res_id = %s",
                    ["municipal.complaint", case_id],
                )
                self.assertEqual(cr2.fetchone()[0], 2)

    def _purge_committed_case(self, case_id):
        with self.env.registry.cursor() as cr:
            for table in ("mail_activity", "mail_followers", "mail_message"):
                cr.execute(
                    f"DELETE FROM {table} WHERE res_model = %s AND res_id = %s"  # noqa: S608
                    if table != "mail_message"
                    else "DELETE FROM mail_message WHERE model = %s AND res_id = %s",
                    ["municipal.complaint", case_id],
                )
            cr.execute("DELETE FROM municipal_complaint WHERE id = %s", [case_id])
