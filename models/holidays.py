"""Two calendars, two purposes (docs/rules.md, "Twee kalenders").

- The Dienst's working days (:class:`WorkingDays`): the weekdays of the company's
  complaint calendar minus its global leaves -- the Dutch public holidays it observes
  (Goede Vrijdag and 5 May included), local closing days and bridge days. They count
  the service norm (first contact) and every "approaching" warning.
- The Algemene termijnenwet (:func:`atw_term_end`): a legal term (Awb 9:8, 9:11, the
  Nationale ombudsman's year) that ends on a Saturday, a Sunday or one of the Atw's
  holidays ends on the next day that is none of these (Atw art. 1 and 3). The Atw's
  list is law: computed here, never read from an editable calendar.
"""

import math
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import pytz
from dateutil.easter import easter

from odoo import api, fields, models
from odoo.exceptions import UserError

HOLIDAY_KEY_PREFIX = "nl"

# A year of leaves is read at a time: a term that crosses New Year reads the next one.
# A calendar closed for longer than this has no working day to count to.
MAX_CLOSED_RUN_DAYS = 366


def _kings_day(year):
    """The King's birthday as celebrated: Koningsdag, 27 April since 2014;
    Koninginnedag, 30 April, until 2013 (registers of earlier years are imported).
    On a Sunday it moves to the Saturday before."""
    day = date(year, 4, 27) if year >= 2014 else date(year, 4, 30)
    return day - timedelta(days=1) if day.weekday() == 6 else day


def _kings_day_name(year):
    return "Koningsdag" if year >= 2014 else "Koninginnedag"


def dutch_public_holidays(year):
    """The public holidays the Dienst closes on in ``year``: a list of (key, name,
    date). Generated into the complaint calendar, where an administrator may remove
    one or add closing days."""
    easter_sunday = easter(year)
    holidays = [
        ("nieuwjaarsdag", "Nieuwjaarsdag", date(year, 1, 1)),
        ("goede_vrijdag", "Goede Vrijdag", easter_sunday - timedelta(days=2)),
        ("tweede_paasdag", "Tweede Paasdag", easter_sunday + timedelta(days=1)),
        ("koningsdag", _kings_day_name(year), _kings_day(year)),
        ("hemelvaartsdag", "Hemelvaartsdag", easter_sunday + timedelta(days=39)),
        (
            "tweede_pinksterdag",
            "Tweede Pinksterdag",
            easter_sunday + timedelta(days=50),
        ),
        ("eerste_kerstdag", "Eerste Kerstdag", date(year, 12, 25)),
        ("tweede_kerstdag", "Tweede Kerstdag", date(year, 12, 26)),
    ]
    # Bevrijdingsdag: a day off for municipal staff every year since 2024, before
    # that once in five years.
    if year >= 2024 or year % 5 == 0:
        holidays.append(("bevrijdingsdag", "Bevrijdingsdag", date(year, 5, 5)))
    return [
        (f"{HOLIDAY_KEY_PREFIX}-{year}-{key}", name, day) for key, name, day in holidays
    ]


@lru_cache(maxsize=256)
def atw_holidays(year):
    """The algemeen erkende feestdagen of Atw art. 3 in ``year`` (Sundays aside), as
    {date: name}: Nieuwjaarsdag, Tweede Paasdag, Koningsdag, 5 May (every year),
    Hemelvaartsdag, Tweede Pinksterdag, Eerste and Tweede Kerstdag. Goede Vrijdag is
    not one of them."""
    easter_sunday = easter(year)
    return {
        date(year, 1, 1): "Nieuwjaarsdag",
        easter_sunday + timedelta(days=1): "Tweede Paasdag",
        _kings_day(year): _kings_day_name(year),
        date(year, 5, 5): "Bevrijdingsdag",
        easter_sunday + timedelta(days=39): "Hemelvaartsdag",
        easter_sunday + timedelta(days=50): "Tweede Pinksterdag",
        date(year, 12, 25): "Eerste Kerstdag",
        date(year, 12, 26): "Tweede Kerstdag",
    }


def is_atw_day_off(day):
    """A Saturday, a Sunday or an Atw holiday: no legal term ends on it."""
    return day.weekday() >= 5 or day in atw_holidays(day.year)


def atw_term_end(day):
    """The day a legal term that would end on ``day`` ends (Atw art. 1): ``day``
    itself, or the first day after it that is no Saturday, Sunday or Atw holiday."""
    while is_atw_day_off(day):
        day += timedelta(days=1)
    return day


class WorkingDays:
    """The working days of one complaint calendar, read lazily a year at a time.

    Built once per company for many cases (``res.company._complaint_working_days``):
    every question costs no query once its year is read, and a count that runs past
    the years read so far reads the next one, so callers never guess a margin.

    It differs from ``resource.calendar``'s own arithmetic on purpose: a day is a
    working day or not, whatever its hours -- a leave that closes part of a day
    (a half-day closure) makes it a closed day -- and the Dutch public holidays count
    for every year, also those not generated into the calendar yet (an import of an
    old register, a calendar chosen today). A generated holiday an administrator
    deleted stays a working day. Two-week calendars count the weekdays of each week's
    type (resource's own week numbering).
    """

    def __init__(self, calendar):
        calendar.ensure_one()
        self.calendar = calendar.sudo()
        attendances = self.calendar.attendance_ids.filtered(
            lambda a: a.day_period != "lunch" and not a.display_type
        )
        if self.calendar.two_weeks_calendar:
            self._weekdays = {
                week_type: frozenset(
                    int(a.dayofweek)
                    for a in attendances
                    if a.week_type == str(week_type)
                )
                for week_type in (0, 1)
            }
        else:
            weekdays = frozenset(int(a.dayofweek) for a in attendances)
            self._weekdays = {0: weekdays, 1: weekdays}
        if not any(self._weekdays.values()):
            raise UserError(
                calendar.env._(
                    "The calendar %(calendar)s has no working days: give it its "
                    "working hours before deadlines can be counted in it.",
                    calendar=calendar.display_name,
                )
            )
        self._closed_days = set()
        self._years = set()

    # ------------------------------------------------------------------ questions
    def is_working_day(self, day):
        self._load_year(day.year)
        return day.weekday() in self._weekdays_of(day) and day not in self._closed_days

    def add_working_days(self, day, count):
        """The ``count``-th working day after ``day`` (counting starts the day after:
        received on Wednesday, 5 working days later is next Wednesday)."""
        while count > 0:
            day = self.next_working_day(day + timedelta(days=1))
            count -= 1
        return day

    def next_working_day(self, day):
        """``day`` itself when it is a working day, else the first one after it."""
        start = day
        while not self.is_working_day(day):
            day += timedelta(days=1)
            if (day - start).days > MAX_CLOSED_RUN_DAYS:
                raise UserError(
                    self.calendar.env._(
                        "The calendar %(calendar)s is closed for more than a year "
                        "after %(day)s: no deadline can be counted in it.",
                        calendar=self.calendar.display_name,
                        day=start,
                    )
                )
        return day

    def count_working_days(self, start, end):
        """The working days after ``start`` up to and including ``end`` (0 when
        ``end`` is not after ``start``)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    # ------------------------------------------------------------------ loading
    def _weekdays_of(self, day):
        week_type = int(math.floor((day.toordinal() - 1) / 7) % 2)
        return self._weekdays[week_type]

    def preload(self, *days):
        """Read the years of ``days`` at once (one query for the whole span)."""
        years = {day.year for day in days if day} - self._years
        if years:
            self._load_years(range(min(years), max(years) + 1))

    def _load_year(self, year):
        if year not in self._years:
            self._load_years([year])

    def _load_years(self, years):
        years = [year for year in years if year not in self._years]
        if not years:
            return
        calendar = self.calendar
        tz = pytz.timezone(calendar.tz or "UTC")
        start = _utc(tz, datetime.combine(date(min(years), 1, 1), time.min))
        stop = _utc(tz, datetime.combine(date(max(years), 12, 31), time.max))
        leaves = calendar.env["resource.calendar.leaves"].search_fetch(
            [
                ("resource_id", "=", False),
                ("date_from", "<=", stop),
                ("date_to", ">=", start),
                "|",
                ("calendar_id", "=", calendar.id),
                "&",
                ("calendar_id", "=", False),
                ("company_id", "in", [calendar.company_id.id, False]),
            ],
            ["date_from", "date_to", "complaint_holiday_key"],
        )
        stored_keys = set()
        for leave in leaves:
            stored_keys.add(leave.complaint_holiday_key)
            self._closed_days.update(_local_days(tz, leave.date_from, leave.date_to))
        removed = set((calendar.complaint_removed_holiday_keys or "").split())
        for year in years:
            for key, _name, day in dutch_public_holidays(year):
                if key not in stored_keys and key not in removed:
                    self._closed_days.add(day)
        self._years.update(years)


def _utc(tz, local):
    return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)


def _local_days(tz, date_from, date_to):
    """The local days a leave touches; a leave that ends at midnight leaves the next
    day open."""
    start = pytz.utc.localize(date_from).astimezone(tz)
    stop = pytz.utc.localize(date_to).astimezone(tz)
    day, last = start.date(), stop.date()
    if stop.time() == time.min and last > day:
        last -= timedelta(days=1)
    while day <= last:
        yield day
        day += timedelta(days=1)


# The working days of each complaint calendar read in this transaction
# (``res.company._complaint_working_days``), in the cursor's cache: Odoo clears it
# when the transaction or a savepoint rolls back; every change of a calendar, its
# hours or its closing days drops it.
WORKING_DAYS_CACHE = "municipal_complaint.working_days"


def forget_working_days(env):
    env.cr.cache.pop(WORKING_DAYS_CACHE, None)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    is_complaint_calendar = fields.Boolean(
        string="Complaint working days",
        help="A calendar the complaint deadlines count in. The complaint "
        "administrator edits these calendars and their closing days only, not the "
        "other schedules of the organisation.",
    )
    complaint_removed_holiday_keys = fields.Text(
        readonly=True,
        copy=False,
        help="Generated public holidays an administrator deleted from this calendar "
        "(one key a line): they are not generated again, and they are working days.",
    )

    def write(self, vals):
        """Other working weekdays move the deadlines of the open cases counted in
        this calendar, as a closing day does."""
        result = super().write(vals)
        forget_working_days(self.env)
        # attendances changed through attendance_ids recompute in their own write
        if {"two_weeks_calendar", "tz"} & set(vals):
            self._recompute_complaint_deadlines()
        return result

    def _recompute_complaint_deadlines(self):
        if self:
            self.env["municipal.complaint"]._recompute_open_deadlines(
                self._complaint_companies()
            )

    def _complaint_companies(self):
        """The companies whose complaints are counted in these calendars."""
        # any company may use these calendars, and there are a handful of them
        # pylint: disable-next=no-search-all
        companies = self.env["res.company"].sudo().search([])
        return companies.filtered(
            lambda company: company._get_complaint_calendar() in self
        )

    def _generate_dutch_holidays(self, years):
        """Create the Dutch public holidays of ``years`` as global leaves of these
        calendars, so an administrator sees them and can remove one.

        Idempotent: a holiday already generated (same key) is never created twice, a
        generated holiday an administrator deleted is not generated again, and leaves
        without a key (added by an administrator) are never touched. Deadlines do not
        wait for this: :class:`WorkingDays` counts the holidays of every year.
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
                    vals_list.append(
                        {
                            "name": name,
                            "calendar_id": calendar.id,
                            "date_from": _utc(tz, datetime.combine(day, time.min)),
                            "date_to": _utc(
                                tz, datetime.combine(day, time(23, 59, 59))
                            ),
                            "time_type": "leave",
                            "complaint_holiday_key": key,
                        }
                    )
        return Leave.create(vals_list)

    @api.model
    def _complaint_holiday_years(self, years_ahead=2):
        """The years whose holidays an administrator sees in the calendar: this one
        and ``years_ahead`` after it (deadlines count every year's holidays anyway)."""
        this_year = fields.Date.context_today(self).year
        return range(this_year, this_year + years_ahead + 1)

    @api.model
    def _cron_generate_dutch_holidays(self, years_ahead=2):
        """Keep the holidays of every company's complaint calendar generated ahead."""
        # every company's calendar is meant, and there are a handful of companies
        # pylint: disable-next=no-search-all
        companies = self.env["res.company"].sudo().search([])
        companies._get_complaint_calendar()._generate_dutch_holidays(
            self._complaint_holiday_years(years_ahead)
        )


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        forget_working_days(self.env)
        attendances.calendar_id._recompute_complaint_deadlines()
        return attendances

    def write(self, vals):
        calendars = self.calendar_id
        result = super().write(vals)
        forget_working_days(self.env)
        (calendars | self.calendar_id)._recompute_complaint_deadlines()
        return result

    def unlink(self):
        calendars = self.calendar_id
        result = super().unlink()
        forget_working_days(self.env)
        calendars._recompute_complaint_deadlines()
        return result


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
        forget_working_days(self.env)
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
            "complaint_holiday_key",
        } & set(vals):
            # a new name or time type moves no deadline
            return super().write(vals)
        companies = self._complaint_companies()
        result = super().write(vals)
        forget_working_days(self.env)
        companies |= self._complaint_companies()
        self.env["municipal.complaint"]._recompute_open_deadlines(companies)
        return result

    def unlink(self):
        companies = self._complaint_companies()
        self._remember_removed_holidays()
        result = super().unlink()
        forget_working_days(self.env)
        # after the unlink: the deadlines are recomputed without these days
        self.env["municipal.complaint"]._recompute_open_deadlines(companies)
        return result

    def _remember_removed_holidays(self):
        """A generated holiday deleted by hand stays deleted: the yearly generation
        skips it, and it counts as a working day."""
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
        return affected | global_leaves.calendar_id._complaint_companies()
