"""The Dienst's working-day calendar in the interface: the calendar the complaints
count in, and its holidays and closing days (docs/rules.md, "Twee kalenders")."""

from odoo import api, fields, models
from odoo.fields import Domain


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    complaint_closing_day_count = fields.Integer(
        compute="_compute_complaint_closing_day_count",
        string="Holidays and closing days",
    )

    def _compute_complaint_closing_day_count(self):
        Leave = self.env["resource.calendar.leaves"]
        for calendar in self:
            calendar.complaint_closing_day_count = (
                Leave.search_count(calendar._complaint_closing_days_domain())
                if calendar.id
                else 0
            )

    def action_open_complaint_closing_days(self):
        """The holidays and closing days the working days of this calendar skip: the
        generated Dutch public holidays (marked) and the days added by hand."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_complaint.action_complaint_closing_days"
        )
        action["name"] = self.env._(
            "Holidays and closing days: %(calendar)s", calendar=self.display_name
        )
        action["domain"] = list(self._complaint_closing_days_domain())
        action["context"] = {
            "default_calendar_id": self.id,
            "default_time_type": "leave",
            "search_default_upcoming": 1,
        }
        return action

    def _complaint_closing_days_domain(self):
        """The leaves that close the whole Dienst on a day of this calendar, as the
        working-day count reads them (``holidays.WorkingDays``)."""
        self.ensure_one()
        return Domain("resource_id", "=", False) & (
            Domain("calendar_id", "=", self.id)
            | (
                Domain("calendar_id", "=", False)
                & Domain("company_id", "in", [self.company_id.id, False])
            )
        )

    @api.model
    def _action_open_complaint_calendar(self):
        """Werkdagen: the calendar the complaints of the current company count in,
        not every working schedule of the database."""
        calendar = self.env.company._get_complaint_calendar()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Working days"),
            "res_model": self._name,
            "res_id": calendar.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    @api.model
    def _action_open_complaint_closing_days(self):
        """Feestdagen en sluitingsdagen: those of the current company's calendar."""
        calendar = self.env.company._get_complaint_calendar()
        return calendar.action_open_complaint_closing_days()


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    complaint_is_generated = fields.Boolean(
        string="Public holiday",
        compute="_compute_complaint_is_generated",
        help="A Dutch public holiday generated into the calendar. Delete it when the "
        "Dienst works that day; it is not generated again.",
    )

    @api.depends("complaint_holiday_key")
    def _compute_complaint_is_generated(self):
        for leave in self:
            leave.complaint_is_generated = bool(leave.complaint_holiday_key)
