"""Two calendars: the Dienst's working days count the first-contact norm and the
warnings; the Awb's terms end under the Algemene termijnenwet (docs/rules.md)."""

from datetime import date, datetime, time

import pytz
from freezegun import freeze_time

from odoo.exceptions import UserError

from odoo.addons.municipal_complaint.models.holidays import (
    WorkingDays,
    atw_holidays,
    atw_term_end,
)

from .common import MODULE, ComplaintCase


class TestAlgemeneTermijnenwet(ComplaintCase):
    def test_the_atw_holidays_per_year(self):
        expected = {
            # Tweede Paasdag, Hemelvaartsdag, Tweede Pinksterdag, Koningsdag
            2024: (
                date(2024, 4, 1),
                date(2024, 5, 9),
                date(2024, 5, 20),
                date(2024, 4, 27),
            ),
            2025: (
                date(2025, 4, 21),
                date(2025, 5, 29),
                date(2025, 6, 9),
                date(2025, 4, 26),
            ),
            2026: (
                date(2026, 4, 6),
                date(2026, 5, 14),
                date(2026, 5, 25),
                date(2026, 4, 27),
            ),
            2027: (
                date(2027, 3, 29),
                date(2027, 5, 6),
                date(2027, 5, 17),
                date(2027, 4, 27),
            ),
            2019: (
                date(2019, 4, 22),
                date(2019, 5, 30),
                date(2019, 6, 10),
                date(2019, 4, 27),
            ),
        }
        good_fridays = {
            2024: date(2024, 3, 29),
            2025: date(2025, 4, 18),
            2026: date(2026, 4, 3),
            2027: date(2027, 3, 26),
            2019: date(2019, 4, 19),
        }
        for year, days in expected.items():
            with self.subTest(year=year):
                holidays = atw_holidays(year)
                for day in days:
                    self.assertIn(day, holidays)
                for fixed in ((1, 1), (5, 5), (12, 25), (12, 26)):
                    self.assertIn(date(year, *fixed), holidays, "5 May every year")
                self.assertNotIn(
                    good_fridays[year], holidays, "Goede Vrijdag is no Atw day"
                )
                self.assertEqual(len(holidays), 8)

    def test_a_term_ends_on_the_next_day_that_is_no_atw_day(self):
        self.assertEqual(
            atw_term_end(date(2026, 4, 3)), date(2026, 4, 3)
        )  # Good Friday
        # Saturday, Easter Sunday, Easter Monday: the Tuesday
        self.assertEqual(atw_term_end(date(2026, 4, 4)), date(2026, 4, 7))
        # 5 May 2027 (a Wednesday), then Ascension Day: the Friday
        self.assertEqual(atw_term_end(date(2027, 5, 5)), date(2027, 5, 7))
        # Boxing Day 2026 is a Saturday: Monday 28 December
        self.assertEqual(atw_term_end(date(2026, 12, 26)), date(2026, 12, 28))


class TestTwoCalendars(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.company._get_complaint_calendar()

    def add_closing_day(self, day):
        tz = pytz.timezone(self.calendar.tz)

        def utc(moment):
            return tz.localize(moment).astimezone(pytz.utc).replace(tzinfo=None)

        return (
            self.env["resource.calendar.leaves"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Brugdag",
                    "calendar_id": self.calendar.id,
                    "date_from": utc(datetime.combine(day, time.min)),
                    "date_to": utc(datetime.combine(day, time(23, 59, 59))),
                }
            )
        )

    @freeze_time("2027-12-01")
    def test_good_friday_moves_the_contact_deadline_not_the_legal_term(self):
        # 2027: Good Friday 26 March, Easter Monday 29 March
        contact = self.create_complaint(received_date=date(2027, 3, 19))
        self.assertEqual(contact.contact_deadline, date(2027, 3, 30))
        legal = self.create_complaint(received_date=date(2027, 2, 12))
        self.assertEqual(legal.legal_deadline, date(2027, 3, 26), "ends on Good Friday")

    def test_a_bridge_day_moves_the_contact_deadline_not_the_legal_term(self):
        self.add_closing_day(date(2026, 5, 15))  # the Friday after Ascension Day
        contact = self.create_complaint(received_date=date(2026, 5, 8))
        self.assertEqual(contact.contact_deadline, date(2026, 5, 19))
        legal = self.create_complaint(received_date=date(2026, 4, 3))
        self.assertEqual(
            legal.legal_deadline, date(2026, 5, 15), "ends on the bridge day"
        )

    @freeze_time("2027-12-01")
    def test_5_may_and_ascension_day_move_both(self):
        # 2027: 5 May is a Wednesday, Ascension Day the Thursday after
        contact = self.create_complaint(received_date=date(2027, 4, 29))
        self.assertEqual(contact.contact_deadline, date(2027, 5, 10))
        legal = self.create_complaint(received_date=date(2027, 3, 24))
        self.assertEqual(legal.legal_deadline, date(2027, 5, 7))
        # 2026: six weeks after 2 April is Ascension Day
        self.assertEqual(
            self.create_complaint(received_date=date(2026, 4, 2)).legal_deadline,
            date(2026, 5, 15),
        )

    def test_an_imported_case_of_2019_counts_the_holidays_of_2019(self):
        keys = self.env["resource.calendar.leaves"].search(
            [
                ("calendar_id", "=", self.calendar.id),
                ("complaint_holiday_key", "like", "nl-2019-%"),
            ]
        )
        self.assertFalse(keys, "2019 was never generated into the calendar")
        complaint = self.create_complaint(
            received_date=date(2019, 4, 18),
            handling="informal",
            resolution_note="<p>Opgelost.</p>",
            closed_date=date(2019, 5, 1),
        )
        # Good Friday 19 and Easter Monday 22 April 2019 are closed days
        self.assertEqual(complaint.contact_deadline, date(2019, 4, 29))
        # six weeks: Ascension Day 30 May 2019, so the Friday
        self.assertEqual(complaint.legal_deadline, date(2019, 5, 31))

    def test_another_calendar_counts_its_holidays_at_once(self):
        bare = self.env["resource.calendar"].create(
            {"name": "Nieuwe werktijden", "tz": "Europe/Amsterdam", "company_id": False}
        )
        complaint = self.create_complaint(received_date=date(2026, 4, 3))
        self.company.complaint_calendar_id = bare
        # Easter Monday still skipped, although nothing was generated for 'bare' yet
        self.assertEqual(complaint.contact_deadline, date(2026, 4, 13))

    def test_other_working_weekdays_move_open_deadlines(self):
        complaint = self.create_complaint(received_date=date(2026, 3, 11))
        self.assertEqual(complaint.contact_deadline, date(2026, 3, 18))
        fridays = self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "4")
        self.calendar.with_user(self.manager).write(
            {"attendance_ids": [(2, attendance.id) for attendance in fridays]}
        )
        # Monday to Thursday: 12, 16, 17, 18, 19 March
        self.assertEqual(complaint.contact_deadline, date(2026, 3, 19))

    @freeze_time("2026-03-17")
    def test_a_moved_deadline_closes_its_stale_warning(self):
        complaint = self.create_complaint(
            received_date=date(2026, 3, 11), user_id=self.employee.id
        )
        complaints, due = complaint._lock_deadline_warning_batch(10)
        complaints._create_deadline_warnings(due)
        warning = complaint.activity_ids
        self.assertEqual(warning.date_deadline, date(2026, 3, 18))
        self.add_closing_day(date(2026, 3, 18))
        self.assertEqual(complaint.contact_deadline, date(2026, 3, 19))
        self.assertFalse(warning.exists() and warning.active, "the old warning is done")

    def test_a_two_week_calendar_counts_each_weeks_days(self):
        """Friday off every other week: the week type of resource's own numbering."""
        off_week = self.env["resource.calendar.attendance"].get_week_type(
            date(2026, 3, 13)
        )
        lines = []
        for week_type in ("0", "1"):
            days = "0123" if week_type == str(off_week) else "01234"
            lines += [
                (
                    0,
                    0,
                    {
                        "name": f"Dag {day}",
                        "dayofweek": day,
                        "week_type": week_type,
                        "hour_from": 9,
                        "hour_to": 17,
                        "day_period": "full_day",
                    },
                )
                for day in days
            ]
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Om de week vrijdag vrij",
                "tz": "Europe/Amsterdam",
                "company_id": False,
                "two_weeks_calendar": True,
                "attendance_ids": lines,
            }
        )
        working_days = WorkingDays(calendar)
        self.assertFalse(working_days.is_working_day(date(2026, 3, 13)))
        self.assertTrue(working_days.is_working_day(date(2026, 3, 20)))


class TestApproachingInWorkingDays(ComplaintCase):
    def test_a_monday_deadline_is_approaching_from_thursday(self):
        # received Monday 9 March 2026: first contact by Monday 16 March
        complaint = self.create_complaint(received_date=date(2026, 3, 9))
        self.assertEqual(complaint.contact_deadline, date(2026, 3, 16))
        with freeze_time("2026-03-11"):
            complaint.invalidate_recordset(["deadline_state"])
            self.assertEqual(complaint.deadline_state, "on_track")
            self.assertFalse(complaint._lock_deadline_warning_batch(10)[0])
        with freeze_time("2026-03-12"):  # two working days before
            complaint.invalidate_recordset(["deadline_state"])
            self.assertEqual(complaint.deadline_state, "due_soon")
            self.assertEqual(complaint._lock_deadline_warning_batch(10)[0], complaint)


@freeze_time("2026-04-20")
class TestTermsOfTheCase(ComplaintCase):
    def test_an_advisory_committee_gives_ten_weeks(self):
        complaint = self.create_complaint(received_date=date(2026, 3, 11))
        self.assertEqual(complaint.legal_deadline, date(2026, 4, 22))
        complaint.with_user(self.coordinator).advisory_committee = True
        self.assertEqual(complaint.legal_deadline, date(2026, 5, 20))

    def test_a_postponement_of_two_weeks(self):
        complaint = self.create_complaint(received_date=date(2026, 3, 11))
        for weeks in (0, 5):
            with (
                self.assertRaisesRegex(UserError, "1 to 4 weeks"),
                self.env.cr.savepoint(),
            ):
                complaint.with_user(self.coordinator).action_postpone(
                    "Drukte", weeks=weeks
                )
        complaint.with_user(self.coordinator).action_postpone("Wachten op UWV", weeks=2)
        self.assertEqual(complaint.legal_deadline, date(2026, 5, 6))
        self.assertEqual(complaint.postpone_weeks, 2)
        # the company's proposal changing later does not move a decided postponement
        self.company.complaint_postpone_weeks = 4
        self.company.complaint_term_weeks = 6
        complaint.invalidate_recordset()
        self.assertEqual(complaint.legal_deadline, date(2026, 5, 6))

    def test_the_ombudsman_window_ends_under_the_atw(self):
        complaint = self.create_complaint(
            received_date=date(2025, 4, 1),
            handling="informal",
            resolution_note="<p>Opgelost.</p>",
            closed_date=date(2025, 5, 5),
        )
        # a year later is 5 May 2026, an Atw holiday: the window ends the day after
        self.assertEqual(complaint.ombudsman_window_end, date(2026, 5, 6))


class TestCategoryHistory(ComplaintCase):
    def test_editing_a_category_changes_no_years_figures(self):
        Complaint = self.Complaint.with_user(self.coordinator)
        years = (2020, 2026)
        before = {year: Complaint._get_annual_figures(year) for year in years}
        category = self.env.ref(f"{MODULE}.category_informatie")
        for values in ({"kind": "policy"}, {"code": "INFO"}):
            with self.assertRaisesRegex(UserError, "used by cases"):
                with self.env.cr.savepoint():
                    category.with_user(self.manager).write(values)
        category.with_user(self.manager).name = "Informatie en communicatie"
        after = {year: Complaint._get_annual_figures(year) for year in years}
        self.assertEqual(after, before)
        # open cases are counted in their year too: a used category keeps its kind;
        # an unused one may still be set right
        fresh = self.env["municipal.complaint.category"].create(
            {"name": "Nieuw", "code": "NIEUW_TEST", "kind": "complaint"}
        )
        fresh.with_user(self.manager).kind = "policy"
        self.assertEqual(fresh.kind, "policy")
        self.create_complaint(category_id=fresh.id)
        with self.assertRaisesRegex(UserError, "used by cases"):
            fresh.with_user(self.manager).kind = "complaint"


class TestRespondent(ComplaintCase):
    def copies(self, complaint, person):
        return complaint.message_ids.filtered(
            lambda m: person.partner_id in m.partner_ids and "Awb 9:9" in m.body
        )

    def test_the_respondent_gets_a_copy_when_registered_or_set(self):
        registered = self.create_complaint(respondent_user_id=self.colleague.id)
        copy = self.copies(registered, self.colleague)
        self.assertEqual(len(copy), 1)
        self.assertIn("record of the oral complaint", copy.body, "a phone complaint")
        self.assertIn(registered.subject, copy.body)
        later = self.create_complaint(
            channel="email", description="<p>Te laat gebeld</p>"
        )
        self.assertFalse(self.copies(later, self.colleague))
        later.respondent_user_id = self.colleague
        copy = self.copies(later, self.colleague)
        self.assertEqual(len(copy), 1)
        self.assertIn("Te laat gebeld", copy.body)
        later.subject = "Ander onderwerp"
        self.assertEqual(
            len(self.copies(later, self.colleague)), 1, "once per respondent"
        )


class TestAdvisoryCommitteeInTheFigures(ComplaintCase):
    @freeze_time("2026-04-01")
    def test_the_figures_and_the_report_count_the_committees_cases(self):
        Complaint = self.Complaint.with_user(self.coordinator)
        before = Complaint._get_annual_figures(2026)["advisory_committee"]
        complaint = self.create_complaint(received_date=date(2026, 3, 11))
        complaint.with_user(self.coordinator).advisory_committee = True
        figures = Complaint._get_annual_figures(2026)
        self.assertEqual(figures["advisory_committee"], before + 1)
        presenter = self.env["report.municipal_complaint.report_annual"]
        sentences = presenter._handling_sentences(
            figures,
            presenter._get_labels({"categories": []}),
            {"term_weeks": 6, "postpone_weeks": 4},
        )
        self.assertTrue(
            any("heard by an advisory committee" in sentence for sentence in sentences)
        )
        self.assertTrue(any("Awb 9:14" in sentence for sentence in sentences))
