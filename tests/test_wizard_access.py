"""Wizards act on cases and companies the user may reach; the Beheerder edits the
complaint calendars only."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .common import ComplaintCase

CASE_WIZARDS = (
    "municipal.complaint.close.wizard",
    "municipal.complaint.ombudsman.wizard",
    "municipal.complaint.reopen.wizard",
    "municipal.complaint.referral.wizard",
    "municipal.complaint.postpone.wizard",
    "municipal.complaint.contact.wizard",
)


class TestWizardAccess(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Dienst Elders"})
        cls.secret = cls.env["res.partner"].create(
            {"name": "Geheime Klager", "email": "geheim@example.com"}
        )
        cls.elsewhere = cls.Complaint.sudo().create(
            {
                "subject": "Elders geregistreerd",
                "category_id": cls.category_bejegening.id,
                "company_id": cls.other_company.id,
                "partner_id": cls.secret.id,
            }
        )

    def test_wizards_refuse_a_case_of_another_company(self):
        for model in CASE_WIZARDS:
            Wizard = self.env[model].with_user(self.coordinator)
            with self.subTest(model=model):
                with self.assertRaises(AccessError):
                    Wizard.with_context(
                        default_complaint_id=self.elsewhere.id
                    ).default_get(list(Wizard._fields))
                with self.assertRaises(AccessError):
                    Wizard.create({"complaint_id": self.elsewhere.id, "reason": "x"})

    def test_related_fields_do_not_read_another_companys_complainant(self):
        """Through the web client's onchange, which computes a new wizard's related
        fields without creating it."""
        Wizard = self.env["municipal.complaint.close.wizard"].with_user(
            self.coordinator
        )
        with self.assertRaises(AccessError):
            result = Wizard.onchange(
                {"complaint_id": self.elsewhere.id},
                ["complaint_id"],
                {"complaint_id": {}, "partner_email": {}, "partner_id": {}},
            )
            self.assertNotIn("geheim@example.com", str(result))

    def test_norms_wizard_cannot_save_another_companys_norms(self):
        Wizard = self.env["municipal.complaint.config.wizard"].with_user(self.manager)
        with self.assertRaises(AccessError):
            Wizard.create(
                {"company_id": self.other_company.id, "complaint_contact_days": 1}
            )
        wizard = Wizard.create({"complaint_contact_days": 3})
        wizard.sudo().company_id = self.other_company
        with self.assertRaises(AccessError):
            wizard.action_save()
        self.assertEqual(self.other_company.complaint_contact_days, 5)

    def test_recognition_wizard_cannot_save_another_companys_threshold(self):
        Wizard = self.env["municipal.complaint.signal.config.wizard"].with_user(
            self.manager
        )
        with self.assertRaises(AccessError):
            Wizard.create({"company_id": self.other_company.id})
        wizard = Wizard.create({"complaint_signal_threshold": 0.9})
        wizard.sudo().company_id = self.other_company
        threshold = self.other_company.complaint_signal_threshold
        with self.assertRaises(AccessError):
            wizard.action_save()
        self.assertEqual(self.other_company.complaint_signal_threshold, threshold)

    def test_annual_report_wizard_refuses_another_company(self):
        with self.assertRaises(AccessError):
            self.env["municipal.complaint.annual.report.wizard"].with_user(
                self.coordinator
            ).create({"year": 2025, "company_id": self.other_company.id})

    def test_wizard_on_a_readable_case_still_works(self):
        complaint = self.create_complaint(user=self.employee)
        wizard = Form(
            self.env["municipal.complaint.contact.wizard"]
            .with_user(self.employee)
            .with_context(default_complaint_id=complaint.id)
        )
        self.assertEqual(wizard.received_date, complaint.received_date)


class TestCalendarAccess(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint_calendar = cls.company._get_complaint_calendar()
        cls.hr_calendar = cls.env["resource.calendar"].create(
            {"name": "Roosters van de buitendienst"}
        )

    def test_beheerder_edits_the_complaint_calendar_only(self):
        self.assertTrue(self.complaint_calendar.is_complaint_calendar)
        self.complaint_calendar.with_user(self.manager).name = "Werkdagen klachten"
        with self.assertRaises(AccessError):
            self.hr_calendar.with_user(self.manager).name = "Gewijzigd"
        with self.assertRaises(AccessError):
            self.hr_calendar.attendance_ids[:1].with_user(self.manager).hour_to = 20
        with self.assertRaises(AccessError):
            self.hr_calendar.with_user(self.manager).is_complaint_calendar = True
        Leave = self.env["resource.calendar.leaves"].with_user(self.manager)
        with self.assertRaises(AccessError):
            Leave.create(
                {
                    "name": "Sluitingsdag buitendienst",
                    "calendar_id": self.hr_calendar.id,
                    "date_from": "2026-12-24 00:00:00",
                    "date_to": "2026-12-24 23:59:59",
                }
            )
        Leave.create(
            {
                "name": "Brugdag",
                "calendar_id": self.complaint_calendar.id,
                "date_from": "2026-12-24 00:00:00",
                "date_to": "2026-12-24 23:59:59",
            }
        )
        # a new calendar from the complaint menu is a complaint calendar
        created = (
            self.env["resource.calendar"]
            .with_user(self.manager)
            .with_context(default_is_complaint_calendar=True)
            .create({"name": "Werkdagen klachten (nieuw)"})
        )
        self.assertTrue(created.is_complaint_calendar)

    def test_norms_wizard_takes_a_complaint_calendar_only(self):
        wizard = (
            self.env["municipal.complaint.config.wizard"]
            .with_user(self.manager)
            .create({"complaint_calendar_id": self.hr_calendar.id})
        )
        with self.assertRaises(UserError):
            wizard.action_save()

    def test_settings_administrator_still_edits_every_calendar(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("municipal_complaint.group_complaint_manager"))
        self.hr_calendar.with_user(admin).name = "Door de beheerder van Odoo"
        self.assertEqual(self.hr_calendar.name, "Door de beheerder van Odoo")
