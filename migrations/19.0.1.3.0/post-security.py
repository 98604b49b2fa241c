from odoo import SUPERUSER_ID, api
from odoo.tools import convert_file

MODULE = "municipal_complaint"

# noupdate records whose content changed for confidentiality: the read rules of cases,
# messages and contacts, and the acknowledgment of receipt (no text the sender typed).
FORCED_FILES = ("security/rules.xml", "data/mail_templates.xml")

DUTCH_ATTENDANCE_NAMES = {
    f"{day} {part}": f"{dutch_day}{dutch_part}"
    for day, dutch_day in (
        ("Monday", "Maandag"),
        ("Tuesday", "Dinsdag"),
        ("Wednesday", "Woensdag"),
        ("Thursday", "Donderdag"),
        ("Friday", "Vrijdag"),
    )
    for part, dutch_part in (("morning", "ochtend"), ("afternoon", "middag"))
}


def migrate(cr, version):
    """Bring the access rules and the acknowledgment of an existing database in line
    with this version, although they are ``noupdate`` records (an administrator's
    change to them is overwritten: the old ones let a partner whose contract ended
    read cases, and let anyone make the Dienst mail chosen text), and mark each
    company's complaint calendar as one (the Beheerder edits those only). The
    deadlines of open cases are counted again: their legal terms now end under the
    Algemene termijnenwet."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    for path in FORCED_FILES:
        # "init" loads noupdate records over the existing ones, as a first install does
        convert_file(env, MODULE, path, {}, mode="init", noupdate=True)
    # every company is meant, and there are a handful of them
    # pylint: disable-next=no-search-all
    companies = env["res.company"].search([])
    companies._get_complaint_calendar().write({"is_complaint_calendar": True})
    # the shipped calendar's names were English (they are not translatable fields)
    calendar = env.ref(
        "municipal_complaint.calendar_complaint_working_days", raise_if_not_found=False
    )
    if calendar and calendar.name == "Complaint handling working days":
        calendar.name = "Werkdagen klachtbehandeling"
        for attendance in calendar.attendance_ids:
            attendance.name = DUTCH_ATTENDANCE_NAMES.get(
                attendance.name, attendance.name
            )
    # the legal terms of the open cases now end under the Algemene termijnenwet
    env["municipal.complaint"]._recompute_open_deadlines(companies)
    env.flush_all()
