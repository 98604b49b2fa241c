"""The Dutch public holidays the Dienst closes on (docs/rules.md, "Twee kalenders"),
generated into the working-day calendar."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.addons.municipal_complaint.models.holidays import (
    WorkingDays,
    dutch_public_holidays,
)

from .common import ComplaintCase


class TestHolidays(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Werkdagen Dienst Noord",
                "tz": "Europe/Amsterdam",
                "company_id": False,
                "is_complaint_calendar": True,
            }
        )

    def holidays(self, year):
        return {name: day for _key, name, day in dutch_public_holidays(year)}

    def generated(self, calendar=None):
        return self.env["resource.calendar.leaves"].search(
            [
                ("calendar_id", "=", (calendar or self.calendar).id),
                ("complaint_holiday_key", "!=", False),
            ]
        )

    def test_koningsdag_on_a_sunday_is_the_day_before(self):
        self.assertEqual(
            self.holidays(2025)["Koningsdag"], date(2025, 4, 26)
        )  # 27 April 2025: Sunday
        self.assertEqual(self.holidays(2026)["Koningsdag"], date(2026, 4, 27))

    def test_easter_based_days_2026(self):
        holidays = self.holidays(2026)  # Easter Sunday: 5 April 2026
        self.assertEqual(holidays["Goede Vrijdag"], date(2026, 4, 3))
        self.assertEqual(holidays["Tweede Paasdag"], date(2026, 4, 6))
        self.assertEqual(holidays["Hemelvaartsdag"], date(2026, 5, 14))
        self.assertEqual(holidays["Tweede Pinksterdag"], date(2026, 5, 25))

    def test_fixed_days(self):
        holidays = self.holidays(2027)
        self.assertEqual(holidays["Nieuwjaarsdag"], date(2027, 1, 1))
        self.assertEqual(holidays["Bevrijdingsdag"], date(2027, 5, 5))
        self.assertEqual(holidays["Eerste Kerstdag"], date(2027, 12, 25))
        self.assertEqual(holidays["Tweede Kerstdag"], date(2027, 12, 26))
        self.assertEqual(len(holidays), 9)

    def test_generated_holidays_are_closed_days_of_the_calendar(self):
        self.calendar._generate_dutch_holidays([2025])
        self.assertEqual(len(self.generated()), 9)
        working_days = WorkingDays(self.calendar)
        self.assertFalse(
            working_days.is_working_day(date(2025, 4, 21))
        )  # Tweede Paasdag
        self.assertFalse(
            working_days.is_working_day(date(2025, 5, 29))
        )  # Hemelvaartsdag
        self.assertFalse(
            working_days.is_working_day(date(2025, 4, 26))
        )  # Koningsdag (and Saturday)
        self.assertTrue(working_days.is_working_day(date(2025, 4, 25)))
        self.assertTrue(working_days.is_working_day(date(2025, 4, 28)))
        # a holiday ends at midnight, local time: the day after is open
        self.assertTrue(working_days.is_working_day(date(2025, 12, 29)))
        self.assertEqual(
            working_days.add_working_days(date(2025, 12, 24), 1), date(2025, 12, 29)
        )

    def test_generation_is_idempotent(self):
        first = self.calendar._generate_dutch_holidays([2025, 2026])
        self.assertEqual(len(first), 18)
        again = self.calendar._generate_dutch_holidays([2025, 2026, 2027])
        self.assertEqual(len(again), 9)
        self.assertEqual(
            set(again.mapped("complaint_holiday_key")),
            {
                f"nl-2027-{k}"
                for k in (
                    "nieuwjaarsdag",
                    "goede_vrijdag",
                    "tweede_paasdag",
                    "koningsdag",
                    "bevrijdingsdag",
                    "hemelvaartsdag",
                    "tweede_pinksterdag",
                    "eerste_kerstdag",
                    "tweede_kerstdag",
                )
            },
        )
        self.assertFalse(self.calendar._generate_dutch_holidays([2025, 2026, 2027]))
        self.assertEqual(len(self.generated()), 27)

    def test_leaves_added_by_an_administrator_are_untouched(self):
        bridge_day = (
            self.env["resource.calendar.leaves"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Brugdag",
                    "calendar_id": self.calendar.id,
                    "date_from": datetime(2026, 5, 14, 22, 0),
                    "date_to": datetime(2026, 5, 15, 21, 59, 59),
                }
            )
        )
        self.calendar._generate_dutch_holidays([2026])
        self.calendar._generate_dutch_holidays([2026])
        self.assertTrue(bridge_day.exists())
        self.assertEqual(bridge_day.name, "Brugdag")
        self.assertEqual(bridge_day.date_from, datetime(2026, 5, 14, 22, 0))
        self.assertEqual(len(self.generated()), 9)

    def test_a_holiday_deleted_by_an_administrator_stays_deleted(self):
        self.calendar._generate_dutch_holidays([2026])
        bevrijdingsdag = self.generated().filtered(
            lambda leave: leave.name == "Bevrijdingsdag"
        )
        bevrijdingsdag.with_user(self.manager).unlink()
        self.assertFalse(self.calendar._generate_dutch_holidays([2026]))
        self.assertEqual(len(self.generated()), 8)

    def test_the_scheduled_action_keeps_two_years_ahead(self):
        self.company.complaint_calendar_id = self.calendar
        with freeze_time("2026-12-31"):
            self.env["resource.calendar"]._cron_generate_dutch_holidays()
        keys = set(self.generated().mapped("complaint_holiday_key"))
        self.assertIn("nl-2028-tweede_kerstdag", keys)
        self.assertNotIn("nl-2029-nieuwjaarsdag", keys)
        with freeze_time("2027-01-01"):
            self.env["resource.calendar"]._cron_generate_dutch_holidays()
        keys = set(self.generated().mapped("complaint_holiday_key"))
        self.assertIn("nl-2029-nieuwjaarsdag", keys)
        self.assertEqual(len(self.generated()), 4 * 9)
        cron = self.env.ref("municipal_complaint.cron_generate_holidays")
        self.assertTrue(cron.active)
        self.assertIn(cron.interval_type, ("months", "years"))

    def test_the_shipped_calendar_has_the_holidays_from_install(self):
        calendar = self.env.ref("municipal_complaint.calendar_complaint_working_days")
        this_year = date.today().year
        keys = set(self.generated(calendar).mapped("complaint_holiday_key"))
        for year in (this_year, this_year + 1, this_year + 2):
            self.assertIn(f"nl-{year}-koningsdag", keys)
