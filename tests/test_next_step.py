"""What comes next on a case, for whom: acknowledge, contact, then a Medewerker
offers the case to the coordinator, who closes it."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .closing_common import ClosingCase
from .common import MODULE


@freeze_time("2026-04-01")
class TestNextStep(ClosingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.offer_type = cls.env.ref(f"{MODULE}.mail_activity_type_closing_offered")
        cls.other_company = cls.env["res.company"].create({"name": "Dienst Zuid"})
        cls.other_coordinator = new_test_user(
            cls.env,
            "mc_coordinator_south",
            groups=f"{MODULE}.group_complaint_coordinator",
            company_id=cls.other_company.id,
            company_ids=[cls.other_company.id],
            name="Zoë Zuid",
        )

    def step(self, complaint, user):
        return complaint.with_user(user).next_step

    def offers(self, complaint):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", complaint._name),
                ("res_id", "=", complaint.id),
                ("activity_type_id", "=", self.offer_type.id),
            ]
        )

    def test_a_medewerker_is_led_from_acknowledgment_to_offering(self):
        complaint = self.create_complaint(user=self.employee, user_id=self.employee.id)
        self.assertEqual(self.step(complaint, self.employee), "acknowledge")
        complaint.with_user(self.employee).action_send_acknowledgment()
        self.assertEqual(self.step(complaint, self.employee), "contact")
        complaint.with_user(self.employee).action_contact_made(date(2026, 3, 13))
        self.assertEqual(self.step(complaint, self.employee), "offer")
        self.assertEqual(self.step(complaint, self.coordinator), "close")
        complaint.with_user(self.employee).action_offer_for_closing("Opgelost.")
        self.assertEqual(self.step(complaint, self.employee), "wait_coordinator")
        self.assertEqual(self.step(complaint, self.coordinator), "close")
        self.close(complaint, self.informal_values())
        self.assertEqual(self.step(complaint, self.employee), "done")

    def test_an_anonymous_case_has_nobody_to_contact(self):
        complaint = self.create_complaint(user=self.employee, partner_id=False)
        self.assertEqual(self.step(complaint, self.employee), "offer")

    def test_a_referred_case_waits_for_the_partner_then_the_coordinator_ends_it(self):
        partner = self.env["res.partner"].create(
            {"name": "Werkbedrijf", "is_company": True, "is_complaint_partner": True}
        )
        complaint = self.create_complaint(
            contact_date=date(2026, 3, 12), acknowledgment_date=date(2026, 3, 11)
        )
        complaint.with_user(self.coordinator).action_refer(partner)
        self.assertEqual(self.step(complaint, self.coordinator), "wait_partner")
        self.set_history(
            complaint, partner_response="Opgelost", partner_response_date="2026-03-16"
        )
        self.assertEqual(self.step(complaint, self.coordinator), "end_mediation")
        self.assertEqual(self.step(complaint, self.employee), "wait_partner")

    def test_offering_gives_each_coordinator_of_the_company_an_activity(self):
        complaint = self.create_complaint(
            user=self.employee, contact_date=date(2026, 3, 12)
        )
        complaint.with_user(self.employee).action_offer_for_closing("Klager tevreden.")
        offers = self.offers(complaint)
        self.assertIn(self.coordinator, offers.user_id)
        self.assertIn(self.manager, offers.user_id, "a Beheerder is a coordinator too")
        self.assertNotIn(self.other_coordinator, offers.user_id, "another company's")
        self.assertNotIn(self.employee, offers.user_id)
        self.assertIn("Klager tevreden.", offers[0].note)
        self.assertIn("Eva Medewerker", offers[0].summary)
        self.assertFalse(complaint.is_closed, "offering closes nothing")

    def test_offering_twice_is_refused(self):
        complaint = self.create_complaint(user=self.employee)
        complaint.with_user(self.employee).action_offer_for_closing()
        with self.assertRaises(UserError):
            complaint.with_user(self.employee).action_offer_for_closing()
        self.assertEqual(
            len(self.offers(complaint).user_id), len(self.offers(complaint))
        )

    def test_closing_marks_the_offers_done(self):
        complaint = self.create_complaint(user=self.employee)
        complaint.with_user(self.employee).action_offer_for_closing()
        self.assertTrue(self.offers(complaint))
        self.close(complaint, self.informal_values())
        self.assertFalse(self.offers(complaint))

    def test_who_may_not_see_the_case_cannot_offer_it(self):
        complaint = self.create_complaint(user=self.employee)
        for user in (self.colleague, self.outsider):
            with self.assertRaises(AccessError):
                complaint.with_user(user).action_offer_for_closing()
        self.assertFalse(self.offers(complaint))

    def test_a_closed_case_is_not_offered(self):
        complaint = self.create_complaint(
            user=self.employee,
            closed_date=date(2026, 3, 13),
            handling="informal",
            resolution_note="<p>Opgelost</p>",
        )
        with self.assertRaises(UserError):
            complaint.with_user(self.employee).action_offer_for_closing()

    def test_the_stage_bar_is_no_shortcut(self):
        """The form's stage bar shows the stage and moves nothing: every move is a
        step, and a move sent anyway is checked."""
        arch = (
            self.env["municipal.complaint"]
            .with_user(self.employee)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn("clickable", arch)
        complaint = self.create_complaint(user=self.employee)
        with self.assertRaises(UserError):
            complaint.with_user(self.employee).write(
                {"stage_id": self.stage_in_progress.id}
            )
        self.assertEqual(complaint.stage_id, self.stage_received)

    def test_one_primary_button_per_step(self):
        """The form's primary buttons are each shown for one step only."""
        arch = (
            self.env["municipal.complaint"]
            .with_user(self.coordinator)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('data-hotkey="k"', arch)
        for step in ("contact", "offer", "close", "end_mediation"):
            self.assertIn(f"next_step != '{step}'", arch)
