"""Registering a call in the short form ("Nieuwe klacht") as the web client saves it:
the form shows the complainant's form of address, and saves it back with the case."""

from odoo.exceptions import AccessError
from odoo.tests import Form

from .common import MODULE, ComplaintCase

QUICK_FORM = f"{MODULE}.municipal_complaint_view_form_quick"


class TestQuickRegistration(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complainant.complaint_salutation = "ms"

    def quick_form(self, user):
        return Form(self.Complaint.with_user(user), view=QUICK_FORM)

    def test_a_medewerker_registers_a_call_of_a_known_complainant(self):
        """A Medewerker may not edit contacts; the form sends the complainant's form
        of address back as it showed it, which changes nothing on the contact."""
        self.assertFalse(self.employee.has_group("base.group_partner_manager"))
        form = self.quick_form(self.employee)
        form.subject = "Niet teruggebeld"
        form.partner_id = self.complainant
        form.category_id = self.category_bejegening
        self.assertEqual(form.partner_salutation, "ms")
        case = form.save()
        self.assertEqual(case.partner_id, self.complainant)
        self.assertEqual(case.channel, "phone")
        self.assertEqual(self.complainant.complaint_salutation, "ms")

    def test_changing_the_form_of_address_still_needs_the_right_to_edit_contacts(self):
        form = self.quick_form(self.employee)
        form.subject = "Niet teruggebeld"
        form.partner_id = self.complainant
        form.category_id = self.category_bejegening
        form.partner_salutation = "mr"
        with self.assertRaises(AccessError), self.cr.savepoint():
            form.save()
        self.assertEqual(self.complainant.complaint_salutation, "ms")

    def test_a_coordinator_corrects_the_form_of_address_on_the_case(self):
        coordinator = self.coordinator
        coordinator.group_ids |= self.env.ref("base.group_partner_manager")
        case = self.create_complaint()
        with Form(case.with_user(coordinator)) as form:
            form.partner_salutation = "mr"
        self.assertEqual(self.complainant.complaint_salutation, "mr")
