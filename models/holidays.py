"""Dutch public holidays as global leaves of a resource.calendar, and working-day
arithmetic.

The deadlines of a complaint count working days (service norm) or roll a legal term
forward to the next working day (Algemene termijnenwet). Both read the working days of
the company's calendar: its weekdays with attendances, minus its global leaves (public
holidays, local closing days and bridge days an administrator adds by hand).
"""

from datetime import date, datetime, time, timedelta

import pytz
from dateutil.easter import easter

from odoo import api, fields, models

# (key, Dutch name, date function) -- names are proper names, shown as they are.
HOLIDAY_KEY_PREFIX = "nl"


def dutch_public_holidays(year):
    """The public holidays of domain.md §4 for ``year``: a list of (key, name, date)."""
    easter_sunday = easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # Sunday: Koningsdag moves to Saturday the 26th
        kings_day = date(year, 4, 26)
    holidays = [
        ("nieuwjaarsdag", "Nieuwjaarsdag", date(year, 1, 1)),
        ("goede_vrijdag", "Goede Vrijdag", easter_sunday - timedelta(days=2)),
        ("tweede_paasdag", "Tweede Paasdag", easter_sunday + timedelta(days=1)),
        ("koningsdag", "Koningsdag", kings_day),
        ("hemelvaartsdag", "Hemelvaartsdag", easter_sunday + timedelta(days=39)),
        (
            "tweede_pinksterdag",
            "Tweede Pinksterdag",
            easter_sunday + timedelta(days=50),
        ),
        ("eerste_kerstdag", "Eerste Kerstdag", date(year, 12, 25)),
        ("tweede_kerstdag", "Tweede Kerstdag", date(year, 12, 26)),
    ]
    # Bevrijdingsdag: every year for municipal staff since 2024, before that once in
    # five years.
    if year >= 2024 or year % 5 == 0:
        holidays.append(("bevrijdingsdag", "Bevrijdingsdag", date(year, 5, 5)))
    return [
        (f"{HOLIDAY_KEY_PREFIX}-{year}-{key}", name, day) for key, name, day in holidays
    ]


class WorkingDays:
    """Working days of one calendar over a date range, loaded with one query.

    Used for many cases at once: build it once per company, then ask per case.
    """

    def __init__(self, weekdays, closed_days):
        self.weekdays = frozenset(weekdays)  # 0 = Monday
        self.closed_days = frozenset(closed_days)

    def is_working_day(self, day):
        return day.weekday() in self.weekdays and day not in self.closed_days

    def add_working_days(self, day, count):
        """The ``count``-th working day after ``day`` (counting starts the day
        after)."""
        if not self.weekdays:
            return day + timedelta(days=count)
        while count > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def next_working_day(self, day):
        """``day`` itself when it is a working day, else the first working day after
        it."""
        if not self.weekdays:
            return day
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    complaint_removed_holiday_keys = fields.Text(
        readonly=True,
        copy=False,
        help="Generated public holidays an administrator deleted from this calendar "
        "(one key a line): they are not generated again.",
    )

    def _complaint_working_days(self, date_from, date_to):
        """A :class:`WorkingDays` for this calendar between two dates (inclusive)."""
        self.ensure_one()
        weekdays = {
            int(attendance.dayofweek)
            for attendance in self.attendance_ids
            if attendance.day_period != "lunch" and not attendance.display_type
        }
        tz = pytz.timezone(self.tz or "UTC")
        start = (
            tz.localize(datetime.combine(date_from, time.min))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )
        stop = (
            tz.localize(datetime.combine(date_to, time.max))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_fetch(
                [
                    ("resource_id", "=", False),
                    ("date_from", "<=", stop),
                    ("date_to", ">=", start),
                    "|",
                    ("calendar_id", "=", self.id),
                    "&",
                    ("calendar_id", "=", False),
                    ("company_id", "in", [self.company_id.id, False]),
                ],
                ["date_from", "date_to"],
            )
        )
        closed_days = set()
        for leave in leaves:
            start = pytz.utc.localize(leave.date_from).astimezone(tz)
            stop = pytz.utc.localize(leave.date_to).astimezone(tz)
            day, last = start.date(), stop.date()
            if stop.time() == time.min and last > day:
                last -= timedelta(
                    days=1
                )  # a leave that ends at midnight leaves the next day open
            while day <= last:
                closed_days.add(day)
                day += timedelta(days=1)
        return WorkingDays(weekdays, closed_days)

    def _generate_dutch_holidays(self, years):
        """Create the Dutch public holidays of ``years`` as global leaves of these
        calendars.

        Idempotent: a holiday already generated (same key) is never created twice, a
        generated holiday an administrator deleted is not generated again, and leaves
        without a key (added by an administrator) are never touched.
        """
        Leave = self.env["resource.calendar.leaves"].sudo()
        existing = set(
            Leave.search_fetch(
                [
                    ("calendar_id", "in", self.ids),
                    ("complaint_holiday_key", "!=", False),
                ],
                ["calendar_id", "complaint_holiday_key"],
            ).mapped(lambda leave: (leave.calendar_id.id, leave.complaint_holiday_key))
        )
        for calendar in self.sudo():
            existing.update(
                (calendar.id, key)
                for key in (calendar.complaint_removed_holiday_keys or "").split()
            )
        vals_list = []
        for calendar in self:
            tz = pytz.timezone(calendar.tz or "UTC")
            for year in years:
                for key, name, day in dutch_public_holidays(year):
                    if (calendar.id, key) in existing:
                        continue
                    start = tz.localize(datetime.combine(day, time.min)).astimezone(
                        pytz.utc
                    )
                    stop = tz.localize(
                        datetime.combine(day, time(23, 59, 59))
                    ).astimezone(pytz.utc)
                    vals_list.append(
                        {
                            "name": name,
                            "calendar_id": calendar.id,
                            "date_from": start.replace(tzinfo=None),
                            "date_to": stop.replace(tzinfo=None),
                            "time_type": "leave",
                            "complaint_holiday_key": key,
                        }
                    )
        return Leave.create(vals_list)

    @api.model
    def _cron_generate_dutch_holidays(self, years_ahead=2):
        """Keep the holidays of every company's complaint calendar generated ahead."""
        this_year = fields.Date.context_today(self).year
        # every company's calendar is meant, and there are a handful of companies
        # pylint: disable-next=no-search-all
        calendars = self.env["res.company"].sudo().search([])._get_complaint_calendar()
        calendars._generate_dutch_holidays(
            range(this_year, this_year + years_ahead + 1)
        )


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    complaint_holiday_key = fields.Char(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Set on the Dutch public holidays generated for complaint deadlines; "
        "leaves without it were added by hand.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        self.env["municipal.complaint"]._recompute_open_deadlines(
            leaves._complaint_companies()
        )
        return leaves

    def write(self, vals):
        if not {
            "date_from",
            "date_to",
            "calendar_id",
            "resource_id",
            "company_id",
        } & set(vals):
            # a new name or time type moves no deadline
            return super().write(vals)
        companies = self._complaint_companies()
        result = super().write(vals)
        companies |= self._complaint_companies()
        self.env["municipal.complaint"]._recompute_open_deadlines(companies)
        return result

    def unlink(self):
        companies = self._complaint_companies()
        self._remember_removed_holidays()
        result = super().unlink()
        # after the unlink: the deadlines are recomputed without these days
        self.env["municipal.complaint"]._recompute_open_deadlines(companies)
        return result

    def _remember_removed_holidays(self):
        """A generated holiday deleted by hand stays deleted: the yearly generation
        skips it."""
        for calendar, leaves in (
            self.filtered("complaint_holiday_key").grouped("calendar_id").items()
        ):
            if not calendar:
                continue
            keys = (calendar.sudo().complaint_removed_holiday_keys or "").split()
            keys += [
                key for key in leaves.mapped("complaint_holiday_key") if key not in keys
            ]
            calendar.sudo().complaint_removed_holiday_keys = "\n".join(keys)

    def _complaint_companies(self):
        """The companies whose complaint deadlines these leaves change: a closing day
        added, moved or removed changes the deadlines of their open cases."""
        global_leaves = self.filtered(lambda leave: not leave.resource_id)
        if not global_leaves:
            return self.env["res.company"]
        # any company may use the changed calendar, and there are a handful of them
        # pylint: disable-next=no-search-all
        companies = self.env["res.company"].sudo().search([])
        if any(not leave.calendar_id for leave in global_leaves):
            # a leave for all calendars of a company (or of every company)
            scoped = global_leaves.filtered(
                lambda leave: not leave.calendar_id
            ).company_id
            affected = companies if not scoped else companies & scoped
        else:
            affected = self.env["res.company"]
        calendars = global_leaves.calendar_id
        return affected | companies.filtered(
            lambda company: company._get_complaint_calendar() in calendars
        )
