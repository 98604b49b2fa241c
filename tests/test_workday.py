"""Where a working day starts and what the screens offer: the home screen per
complaint role, the holidays and closing days, the search and picker for the phone,
the salutation, and the next deadline on the card."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import new_test_user

from odoo.addons.municipal_complaint.models.res_partner_salutation import _surname

from .common import MODULE, ComplaintCase


class TestHomeScreen(ComplaintCase):
    def home_action(self, user):
        """The home action the web client gets for ``user``."""
        return user._get_complaint_home_action()

    def test_complaint_staff_start_on_their_cases(self):
        cases = self.env.ref(f"{MODULE}.action_municipal_complaint")
        for user in (self.employee, self.coordinator, self.manager):
            self.assertEqual(self.home_action(user), cases, user.name)
        self.assertFalse(self.home_action(self.outsider), "not a complaint role")

    def test_the_beheerder_chooses_per_role(self):
        self.company.complaint_home_employee = False
        self.assertFalse(self.home_action(self.employee))
        self.assertTrue(self.home_action(self.coordinator))
        self.company.complaint_home_coordinator = False
        self.assertFalse(self.home_action(self.manager))

    def test_the_settings_step_is_the_beheerders(self):
        Wizard = self.env["municipal.complaint.config.wizard"]
        wizard = Wizard.with_user(self.manager).create(
            {
                "complaint_contact_days": 5,
                "complaint_term_weeks": 6,
                "complaint_postpone_weeks": 4,
                "complaint_warning_days": 2,
                "complaint_partner_answer_days": 7,
                "complaint_home_employee": False,
                "complaint_home_coordinator": True,
            }
        )
        wizard.action_save()
        self.assertFalse(self.company.complaint_home_employee)
        self.assertEqual(self.company.complaint_partner_answer_days, 7)

    def test_the_app_opens_on_the_cases_mine_first_for_a_medewerker(self):
        cases = self.env.ref(f"{MODULE}.action_municipal_complaint")
        self.assertEqual(self.env.ref(f"{MODULE}.menu_complaint_root").action, cases)

        def loaded(user):
            """The action as the web client loads it (/web/action/load)."""
            return cases.with_user(user).sudo()._get_action_dict()

        self.assertEqual(
            loaded(self.employee)["context"],
            "{'search_default_my_complaints': 1, 'search_default_open': 1}",
        )
        for user in (self.coordinator, self.manager):
            self.assertNotIn("my_complaints", loaded(user)["context"])


class TestClosingDaysScreen(ComplaintCase):
    def test_the_menu_opens_the_calendars_days_generated_ones_marked(self):
        calendar = self.company._get_complaint_calendar()
        calendar._generate_dutch_holidays([2026])
        action = (
            self.env.ref(f"{MODULE}.action_server_complaint_closing_days")
            .with_user(self.manager)
            .run()
        )
        self.assertEqual(action["res_model"], "resource.calendar.leaves")
        self.assertEqual(action["context"]["default_calendar_id"], calendar.id)
        Leave = self.env["resource.calendar.leaves"].with_user(self.manager)
        days = Leave.search(action["domain"])
        kings_days = days.filtered(lambda d: d.name == "Koningsdag")
        self.assertTrue(kings_days)
        self.assertTrue(all(kings_days.mapped("complaint_is_generated")))
        bridge = Leave.with_context(**action["context"]).create(
            {
                "name": "Brugdag",
                "date_from": "2026-05-14 22:00:00",
                "date_to": "2026-05-15 21:59:59",
            }
        )
        self.assertIn(bridge, Leave.search(action["domain"]))
        self.assertFalse(bridge.complaint_is_generated)
        self.assertEqual(
            calendar.complaint_closing_day_count, Leave.search_count(action["domain"])
        )

    def test_working_days_opens_the_complaint_calendar_in_dutch(self):
        action = (
            self.env.ref(f"{MODULE}.action_server_complaint_calendar")
            .with_user(self.manager)
            .run()
        )
        calendar = self.env["resource.calendar"].browse(action["res_id"])
        self.assertEqual(calendar, self.company._get_complaint_calendar())
        self.assertEqual(calendar.name, "Werkdagen klachtbehandeling")
        self.assertIn("Maandagochtend", calendar.attendance_ids.mapped("name"))


class TestPhoneWork(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complainant.phone = "06-12345678"

    def test_a_case_is_found_by_phone_however_it_is_written(self):
        complaint = self.create_complaint()
        Complaint = self.Complaint.with_user(self.coordinator)
        for number in ("06 1234 5678", "+31 6 12345678", "0031612345678", "345678"):
            self.assertIn(
                complaint,
                Complaint.search([("complainant_phone", "ilike", number)]),
                number,
            )
        self.assertNotIn(
            complaint, Complaint.search([("complainant_phone", "ilike", "0699")])
        )

    def test_a_case_is_found_by_e_mail_and_text(self):
        complaint = self.create_complaint(
            description="<p>De klantmanager belde niet terug.</p>"
        )
        Complaint = self.Complaint.with_user(self.coordinator)
        self.assertIn(
            complaint, Complaint.search([("partner_email", "ilike", "j.jansen@")])
        )
        self.assertIn(
            complaint, Complaint.search([("description", "ilike", "klantmanager")])
        )

    def test_the_picker_offers_citizens_first_and_never_a_colleague(self):
        Partner = self.env["res.partner"].with_user(self.employee)
        organisation = self.env["res.partner"].create(
            {"name": "Jansen Installatie", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "A. Jansen", "parent_id": organisation.id}
        )
        colleague = new_test_user(
            self.env, "mc_jansen", groups="base.group_user", name="Piet Jansen"
        )
        citizen_with_portal = new_test_user(
            self.env, "mc_jansen_portal", groups="base.group_portal", name="M. Jansen"
        )
        picker = Partner.with_context(complaint_complainant_picker=True)
        found = picker.name_search("Jansen")
        ids = [partner_id for partner_id, _name in found]
        self.assertNotIn(colleague.partner_id.id, ids)
        self.assertIn(citizen_with_portal.partner_id.id, ids)
        citizens = [self.complainant.id, citizen_with_portal.partner_id.id]
        others = [organisation.id, contact.id]
        self.assertLess(
            max(ids.index(i) for i in citizens), min(ids.index(i) for i in others)
        )
        # the suggestion shows the e-mail address and the phone number
        suggestion = (
            picker.with_context(formatted_display_name=True)
            .browse(self.complainant.id)
            .display_name
        )
        self.assertIn("--j.jansen@example.com--", suggestion)
        self.assertIn("--06-12345678--", suggestion)
        self.assertEqual(picker.browse(self.complainant.id).display_name, "J. Jansen")


class TestSalutation(ComplaintCase):
    def test_the_surname_is_taken_from_the_name(self):
        for name, surname in (
            ("F. Yilmaz", "Yilmaz"),
            ("J.P. van der Berg", "Van der Berg"),
            ("Karin de Vries", "De Vries"),
            ("Ahmed El Amrani", "El Amrani"),
            ("Mohan", "Mohan"),
        ):
            self.assertEqual(_surname(name), surname, name)

    def test_the_salutation_uses_the_form_of_address_when_known(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        partner = (
            self.env["res.partner"]
            .with_context(lang="nl_NL")
            .create({"name": "F. Yilmaz"})
        )
        self.assertEqual(
            partner._complaint_salutation(), "Geachte heer/mevrouw Yilmaz,"
        )
        partner.complaint_salutation = "mr"
        self.assertEqual(partner._complaint_salutation(), "Geachte heer Yilmaz,")
        partner.complaint_salutation = "ms"
        self.assertEqual(partner._complaint_salutation(), "Geachte mevrouw Yilmaz,")
        partner.complaint_salutation_name = "Yılmaz-Demir"
        self.assertEqual(
            partner._complaint_salutation(), "Geachte mevrouw Yılmaz-Demir,"
        )
        nobody = self.env["res.partner"].with_context(lang="nl_NL")
        self.assertEqual(nobody._complaint_salutation(), "Geachte heer/mevrouw,")


class TestDeadlineCard(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company._get_complaint_calendar()._generate_dutch_holidays([2026])

    def test_the_card_counts_the_dienst_working_days_left(self):
        # received Wednesday 22 April 2026: first contact by Thursday 30 April
        # (Koningsdag, Monday 27 April, is no working day)
        complaint = self.create_complaint(received_date=date(2026, 4, 22))
        self.assertEqual(complaint.contact_deadline, date(2026, 4, 30))
        with freeze_time("2026-04-24"):
            complaint.invalidate_recordset(
                ["next_deadline_days", "next_deadline_label"]
            )
            self.assertEqual(complaint.next_deadline_kind, "contact")
            self.assertEqual(complaint.next_deadline_days, 3)
            self.assertIn("3 working days left", complaint.next_deadline_label)
        with freeze_time("2026-05-04"):
            complaint.invalidate_recordset(
                ["next_deadline_days", "next_deadline_label"]
            )
            # Friday 1 May and Monday 4 May passed; Bevrijdingsdag is on the 5th
            self.assertEqual(complaint.next_deadline_days, -2)
            self.assertIn("2 working days late", complaint.next_deadline_label)

    def test_a_closed_case_has_no_next_deadline(self):
        complaint = self.create_complaint(
            closed_date=date(2026, 3, 20),
            handling="informal",
            resolution_note="<p>Opgelost</p>",
        )
        self.assertFalse(complaint.next_deadline_label)
