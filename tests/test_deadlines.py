"""The deadlines of docs/rules.md ("Twee kalenders"): first contact in the Dienst's
working days, the legal term in calendar weeks ending under the Algemene termijnenwet,
how they follow changes, and how a case did."""

import contextlib
from datetime import date, datetime, time, timedelta

import pytz
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import ComplaintCase


class StepFailed(Exception):
    """A step that fails after changing the calendar: its savepoint rolls back."""


GOOD_FRIDAY_2026 = date(2026, 4, 3)


class TestDeadlines(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.company._get_complaint_calendar()
        # the worked examples count on the Dutch holidays of 2026 being in the calendar
        cls.calendar._generate_dutch_holidays([2026])

    def add_closing_day(self, day, user=None):
        """A whole local closing day, added by hand as an administrator does."""
        tz = pytz.timezone(self.calendar.tz)

        def utc(moment):
            return tz.localize(moment).astimezone(pytz.utc).replace(tzinfo=None)

        return (
            self.env["resource.calendar.leaves"]
            .with_user(user or self.manager)
            .create(
                {
                    "name": "Sluitingsdag",
                    "calendar_id": self.calendar.id,
                    "date_from": utc(datetime.combine(day, time.min)),
                    "date_to": utc(datetime.combine(day, time(23, 59, 59))),
                }
            )
        )

    # the worked example of docs/rules.md
    def test_contact_deadline_skips_easter_monday(self):
        complaint = self.create_complaint(received_date=GOOD_FRIDAY_2026)
        self.assertEqual(complaint.contact_deadline, date(2026, 4, 13))

    def test_legal_term_is_six_calendar_weeks(self):
        complaint = self.create_complaint(received_date=GOOD_FRIDAY_2026)
        self.assertEqual(complaint.legal_deadline, date(2026, 5, 15))

    def test_postponed_legal_term_is_ten_weeks(self):
        complaint = self.create_complaint(received_date=GOOD_FRIDAY_2026)
        self.set_history(complaint, postponed=True)
        self.assertEqual(complaint.legal_deadline, date(2026, 6, 12))

    def test_closing_day_moves_the_contact_deadline_not_the_legal_term(self):
        """A local closing day is the office's: it moves the service norm, never a
        term of the Awb (Algemene termijnenwet)."""
        complaint = self.create_complaint(received_date=GOOD_FRIDAY_2026)
        self.assertEqual(complaint.contact_deadline, date(2026, 4, 13))
        contact_leave = self.add_closing_day(date(2026, 4, 13))
        self.assertEqual(complaint.contact_deadline, date(2026, 4, 14))
        legal_leave = self.add_closing_day(date(2026, 5, 15))
        self.assertEqual(complaint.legal_deadline, date(2026, 5, 15))
        # and back when the closing day is removed again
        contact_leave.unlink()
        legal_leave.unlink()
        self.assertEqual(complaint.contact_deadline, date(2026, 4, 13))
        self.assertEqual(complaint.legal_deadline, date(2026, 5, 15))

    def test_closing_day_moves_the_deadlines_of_open_cases_only(self):
        open_case = self.create_complaint(received_date=date(2026, 3, 11))
        closed_case = self.create_complaint(
            received_date=date(2026, 3, 11),
            handling="informal",
            resolution_note="<p>Opgelost.</p>",
            stage_id=self.stage_closed.id,
            closed_date=date(2026, 3, 20),
        )
        self.assertEqual(open_case.contact_deadline, date(2026, 3, 18))
        self.add_closing_day(date(2026, 3, 18))
        self.assertEqual(open_case.contact_deadline, date(2026, 3, 19))
        self.assertEqual(closed_case.contact_deadline, date(2026, 3, 18))
        # the Awb 9:8 notice is a legal term: closing days do not move it
        self.assertEqual(open_case.not_handled_deadline, date(2026, 4, 8))
        self.assertEqual(closed_case.not_handled_deadline, date(2026, 4, 8))

    def test_moving_a_closing_day_moves_the_contact_deadline_with_it(self):
        complaint = self.create_complaint(received_date=GOOD_FRIDAY_2026)
        leave = self.add_closing_day(date(2026, 4, 13))
        self.assertEqual(complaint.contact_deadline, date(2026, 4, 14))
        # moved to the next Monday: the 13th is a working day again
        leave.with_user(self.manager).write(
            {
                "date_from": leave.date_from + timedelta(days=7),
                "date_to": leave.date_to + timedelta(days=7),
            }
        )
        self.assertEqual(complaint.contact_deadline, date(2026, 4, 13))

    def test_counting_starts_the_day_after_receipt(self):
        complaint = self.create_complaint(received_date=date(2026, 3, 11))
        self.assertEqual(complaint.contact_deadline, date(2026, 3, 18))
        self.assertEqual(complaint.legal_deadline, date(2026, 4, 22))

    def test_legal_term_on_a_holiday_ends_the_next_working_day(self):
        # received Thursday 2 April 2026: six weeks later is Ascension Day, 14 May
        complaint = self.create_complaint(received_date=date(2026, 4, 2))
        self.assertEqual(complaint.legal_deadline, date(2026, 5, 15))
        # received Saturday 14 November 2026: six weeks later is Boxing Day, a Saturday
        complaint = self.create_complaint(received_date=date(2026, 11, 14))
        self.assertEqual(complaint.legal_deadline, date(2026, 12, 28))

    def test_a_half_day_closure_closes_the_day(self):
        complaint = self.create_complaint(received_date=GOOD_FRIDAY_2026)
        self.env["resource.calendar.leaves"].with_user(self.manager).create(
            {
                "name": "Personeelsmiddag",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 4, 13, 11, 0),
                "date_to": datetime(2026, 4, 13, 15, 0),
            }
        )
        self.assertEqual(complaint.contact_deadline, date(2026, 4, 14))
        self.assertEqual(complaint.legal_deadline, date(2026, 5, 15))

    def test_other_kinds_have_a_contact_deadline_but_no_legal_term(self):
        for category in (
            self.category_doorverwijzing,
            self.category_beleid,
            self.category_proactief,
        ):
            complaint = self.create_complaint(
                category_id=category.id, received_date=GOOD_FRIDAY_2026
            )
            self.assertEqual(
                complaint.contact_deadline, date(2026, 4, 13), category.code
            )
            self.assertFalse(complaint.legal_deadline, category.code)
            self.assertFalse(complaint.term_outcome, category.code)

    # recomputation
    @freeze_time("2026-04-06")
    def test_deadlines_follow_the_received_date_and_the_kind(self):
        complaint = self.create_complaint(received_date=date(2026, 3, 11))
        complaint.received_date = GOOD_FRIDAY_2026
        self.assertEqual(complaint.contact_deadline, date(2026, 4, 13))
        self.assertEqual(complaint.legal_deadline, date(2026, 5, 15))
        complaint.category_id = self.category_beleid
        self.assertFalse(complaint.legal_deadline)
        complaint.category_id = self.category_bejegening
        self.assertEqual(complaint.legal_deadline, date(2026, 5, 15))

    def test_company_norms_move_the_deadlines_of_open_cases_only(self):
        open_case = self.create_complaint(received_date=date(2026, 3, 11))
        closed_case = self.create_complaint(received_date=date(2026, 3, 11))
        self.set_history(closed_case, closed_date=date(2026, 4, 1))
        self.assertEqual(closed_case.contact_deadline, date(2026, 3, 18))
        self.assertEqual(open_case.contact_deadline, date(2026, 3, 18))
        self.company.write({"complaint_contact_days": 3, "complaint_term_weeks": 4})
        self.assertEqual(open_case.contact_deadline, date(2026, 3, 16))
        self.assertEqual(open_case.legal_deadline, date(2026, 4, 8))
        self.assertEqual(closed_case.contact_deadline, date(2026, 3, 18))
        self.assertEqual(closed_case.legal_deadline, date(2026, 4, 22))
        self.assertEqual(closed_case.term_outcome, "within")

    def test_postponement_weeks_of_the_company_apply(self):
        complaint = self.create_complaint(
            received_date=GOOD_FRIDAY_2026, postponed=True
        )
        self.company.complaint_postpone_weeks = 2
        self.assertEqual(complaint.legal_deadline, date(2026, 5, 29))

    def test_the_law_caps_the_company_norms(self):
        with self.assertRaises(ValidationError):
            self.company.complaint_term_weeks = 7
        with self.assertRaises(ValidationError):
            self.company.complaint_postpone_weeks = 5

    def test_many_cases_cost_the_same_queries_as_a_few(self):
        Complaint = self.Complaint.with_context(complaint_no_acknowledgment=True)

        def register(count):
            return Complaint.create(
                [
                    {
                        "subject": f"Klacht {n}",
                        "category_id": self.category_bejegening.id,
                        "received_date": date(2026, 1 + n % 10, 1 + n % 28),
                        "channel": "letter",
                    }
                    for n in range(count)
                ]
            )

        def queries_to_compute(complaints):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            for fname in ("contact_deadline", "legal_deadline"):
                self.env.add_to_compute(self.Complaint._fields[fname], complaints)
            complaints.flush_recordset(["contact_deadline", "legal_deadline"])
            return self.env.cr.sql_log_count - before

        queries_to_compute(register(2))  # warm the caches
        self.assertEqual(
            queries_to_compute(register(3)), queries_to_compute(register(60))
        )

    # deadline_state
    @freeze_time("2026-03-16")
    def test_deadline_state_follows_the_next_open_deadline(self):
        complaint = self.create_complaint(
            received_date=date(2026, 3, 11)
        )  # contact by 18 March
        self.assertEqual(complaint.deadline_state, "due_soon")
        self.assertEqual(complaint.deadline_color, 2)
        complaint.action_contact_made(date(2026, 3, 16))  # next: legal term, 22 April
        self.assertEqual(complaint.deadline_state, "on_track")
        self.assertEqual(complaint.next_deadline, date(2026, 4, 22))
        old = self.create_complaint(
            received_date=date(2026, 3, 2)
        )  # contact by 9 March
        self.assertEqual(old.deadline_state, "overdue")
        self.assertEqual(old.deadline_color, 1)
        self.set_history(old, closed_date=date(2026, 3, 16))
        self.assertEqual(old.deadline_state, "done")

    @freeze_time("2026-03-16")
    def test_deadline_filters_find_what_the_cards_show(self):
        due_soon = self.create_complaint(received_date=date(2026, 3, 11))
        overdue = self.create_complaint(received_date=date(2026, 3, 2))
        on_track = self.create_complaint(received_date=date(2026, 3, 16))
        done = self.create_complaint(
            received_date=date(2026, 3, 2), closed_date=date(2026, 3, 13)
        )
        cases = due_soon | overdue | on_track | done
        Complaint = self.Complaint.with_user(self.coordinator)

        def found(domain):
            return Complaint.search(domain + [("id", "in", cases.ids)])

        self.assertEqual(found([("deadline_state", "=", "overdue")]), overdue)
        self.assertEqual(found([("deadline_state", "=", "due_soon")]), due_soon)
        self.assertEqual(found([("deadline_state", "=", "on_track")]), on_track)
        self.assertEqual(found([("deadline_state", "=", "done")]), done)
        self.assertEqual(found([("deadline_state", "!=", "overdue")]), cases - overdue)
        self.assertEqual(
            found([("deadline_state", "in", ["overdue", "due_soon"])]),
            overdue | due_soon,
        )
        for complaint in cases:
            self.assertEqual(
                found([("deadline_state", "=", complaint.deadline_state)]), complaint
            )

    @freeze_time("2026-03-16")
    def test_warning_days_of_the_company_widen_due_soon(self):
        complaint = self.create_complaint(
            received_date=date(2026, 3, 13)
        )  # contact by 20 March
        self.assertEqual(complaint.deadline_state, "on_track")
        self.company.complaint_warning_days = 4
        complaint.invalidate_recordset(["deadline_state"])
        self.assertEqual(complaint.deadline_state, "due_soon")
        self.assertIn(
            complaint, self.Complaint.search([("deadline_state", "=", "due_soon")])
        )

    @freeze_time("2026-03-16")
    def test_each_company_warns_with_its_own_days(self):
        other = self.env["res.company"].create(
            {"name": "Dienst Noord", "complaint_warning_days": 4}
        )
        self.coordinator.company_ids = [(4, other.id)]
        # both: contact by Friday 20 March
        here = self.create_complaint(received_date=date(2026, 3, 13))
        there = self.create_complaint(
            received_date=date(2026, 3, 13), company_id=other.id
        )
        self.assertEqual(here.deadline_state, "on_track")
        self.assertEqual(there.deadline_state, "due_soon")
        Complaint = self.Complaint.with_user(self.coordinator).with_context(
            allowed_company_ids=[self.company.id, other.id]
        )
        cases = [("id", "in", (here | there).ids)]
        self.assertEqual(
            Complaint.search([("deadline_state", "=", "due_soon"), *cases]), there
        )
        self.assertEqual(
            Complaint.search([("deadline_state", "=", "on_track"), *cases]), here
        )

    # term_outcome
    def test_term_outcome_rules(self):
        received = date(2026, 3, 11)  # legal term 22 April 2026
        within = self.create_complaint(received_date=received)
        self.set_history(within, closed_date=date(2026, 4, 22))
        self.assertEqual(within.term_outcome, "within")

        late = self.create_complaint(received_date=received)
        self.set_history(late, closed_date=date(2026, 4, 23))
        self.assertEqual(late.term_outcome, "late")

        ombudsman = self.create_complaint(
            received_date=received, ombudsman_date=date(2026, 4, 20)
        )
        self.set_history(ombudsman, closed_date=date(2026, 5, 1))
        self.assertEqual(ombudsman.term_outcome, "ombudsman")

        mediation = self.create_complaint(
            received_date=received, mediation_state="ongoing"
        )
        self.assertEqual(mediation.term_outcome, "mediation")
        self.set_history(mediation, closed_date=date(2026, 5, 1))
        self.assertEqual(mediation.term_outcome, "late")

        postponed = self.create_complaint(received_date=received, postponed=True)
        self.set_history(postponed, closed_date=date(2026, 5, 15))
        self.assertEqual(postponed.term_outcome, "within")

    def test_open_case_becomes_late_when_its_term_passes(self):
        with freeze_time("2026-04-22"):
            complaint = self.create_complaint(received_date=date(2026, 3, 11))
            self.assertEqual(complaint.term_outcome, "open")
            self.assertFalse(self.Complaint._refresh_term_outcomes() & complaint)
        with freeze_time("2026-04-23"):
            self.assertIn(complaint, self.Complaint._refresh_term_outcomes())
            self.assertEqual(complaint.term_outcome, "late")
            self.assertIn(
                complaint, self.Complaint.search([("term_outcome", "=", "late")])
            )

    # first contact
    @freeze_time("2026-03-13")
    def test_contact_made_records_today_and_moves_the_stage(self):
        complaint = self.create_complaint(received_date=date(2026, 3, 11))
        self.assertEqual(complaint.stage_id, self.stage_received)
        complaint.with_user(self.coordinator).action_contact_made()
        self.assertEqual(complaint.contact_date, date(2026, 3, 13))
        self.assertEqual(complaint.stage_id, self.stage_contacted)

    @freeze_time("2026-03-13")
    def test_contact_made_earlier_is_recorded_on_its_day(self):
        complaint = self.create_complaint(
            received_date=date(2026, 3, 11), user_id=self.employee.id
        )
        wizard = (
            self.env["municipal.complaint.contact.wizard"]
            .with_user(self.employee)
            .create(
                {
                    "complaint_id": complaint.id,
                    "contact_date": date(2026, 3, 12),
                    "note": "Teruggebeld, afspraak gemaakt.",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(complaint.contact_date, date(2026, 3, 12))
        self.assertEqual(complaint.stage_id, self.stage_contacted)
        self.assertIn("afspraak gemaakt", complaint.message_ids[0].body)
        # a recorded date is corrected by a coordinator only
        with self.assertRaises(AccessError):
            complaint.with_user(self.employee).action_contact_made(date(2026, 3, 13))
        complaint.with_user(self.coordinator).action_contact_made(date(2026, 3, 11))
        self.assertEqual(complaint.contact_date, date(2026, 3, 11))

    @freeze_time("2026-03-13")
    def test_contact_made_does_not_move_a_case_back(self):
        in_progress = self.env.ref("municipal_complaint.stage_in_progress")
        complaint = self.create_complaint(
            received_date=date(2026, 3, 11), stage_id=in_progress.id
        )
        complaint.action_contact_made()
        self.assertEqual(complaint.stage_id, in_progress)

    @freeze_time("2026-03-13")
    def test_contact_date_not_before_receipt_nor_in_the_future(self):
        complaint = self.create_complaint(received_date=date(2026, 3, 11))
        for wrong in (date(2026, 3, 10), date(2026, 3, 14)):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                complaint.action_contact_made(wrong)
        complaint.invalidate_recordset()
        self.assertFalse(complaint.contact_date)
        self.assertEqual(complaint.stage_id, self.stage_received)

    def test_contact_made_refused_on_a_closed_case(self):
        complaint = self.create_complaint(closed_date=date(2026, 3, 20))
        with self.assertRaises(UserError):
            complaint.action_contact_made()
        self.assertFalse(complaint.contact_date)

    def test_a_closing_day_counts_at_once_and_a_rolled_back_one_never(self):
        """The working days read in a transaction are kept for its next cases: a
        closing day added meanwhile counts for the next case at once, and one whose
        change was rolled back (a failed step, a refused import) never does."""
        self.create_complaint(received_date=GOOD_FRIDAY_2026)  # reads April 2026
        self.add_closing_day(date(2026, 4, 13))
        after = self.create_complaint(received_date=GOOD_FRIDAY_2026)
        self.assertEqual(after.contact_deadline, date(2026, 4, 14))
        with contextlib.suppress(StepFailed), self.env.cr.savepoint():
            self.add_closing_day(date(2026, 4, 14))
            self.assertEqual(
                self.create_complaint(received_date=GOOD_FRIDAY_2026).contact_deadline,
                date(2026, 4, 15),
            )
            raise StepFailed
        again = self.create_complaint(received_date=GOOD_FRIDAY_2026)
        self.assertEqual(again.contact_deadline, date(2026, 4, 14))
