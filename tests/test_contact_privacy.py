"""Need-to-know for complainants' contacts: that someone complained to social
services is personal data. Internal users without a complaint role do not read
these contacts; a Medewerker reads them for the cases they may see; Odoo itself
(users' partners, companies, portal users) keeps working."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import MODULE, ComplaintCase


class TestComplainantContacts(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"complaint_intake_rate_limit": 50})
        cls.complaint = cls.Complaint.sudo()._create_from_intake(
            {
                "name": "Henk Vrijdag",
                "email": "henk.vrijdag@example.net",
                "phone": "06 11223344",
                "subject": "Uitkering te laat",
                "description": "Mijn uitkering kwam twee weken te laat.",
                "privacy_accepted": True,
            },
            client_address="198.51.100.4",
        )
        cls.complaint.write({"user_id": cls.employee.id})
        cls.contact = cls.complaint.partner_id

    def can_read(self, user, partner):
        Partner = self.env["res.partner"].with_user(user)
        found = bool(Partner.search([("id", "=", partner.id)]))
        try:
            partner.with_user(user).read(["name", "email"])
            readable = True
        except AccessError:
            readable = False
        self.assertEqual(found, readable, "search and read agree")
        return readable

    def test_the_form_marks_the_contact_for_the_company_of_the_case(self):
        self.assertTrue(self.contact.is_complainant_contact)
        self.assertEqual(self.contact.company_id, self.complaint.company_id)

    def test_visibility_per_role(self):
        self.assertFalse(self.can_read(self.outsider, self.contact))
        self.assertFalse(self.can_read(self.colleague, self.contact))
        self.assertTrue(self.can_read(self.employee, self.contact))
        self.assertTrue(self.can_read(self.coordinator, self.contact))
        self.assertTrue(self.can_read(self.manager, self.contact))

    def test_an_internal_user_cannot_find_a_complainant_by_name_or_e_mail(self):
        Partner = self.env["res.partner"].with_user(self.outsider)
        self.assertFalse(Partner.search([("name", "ilike", "Vrijdag")]))
        self.assertFalse(Partner.name_search("henk.vrijdag"))
        self.assertFalse(Partner.search_count([("email", "=", self.contact.email)]))
        with self.assertRaises(AccessError):
            self.contact.with_user(self.outsider).write({"name": "Iemand anders"})

    def test_a_colleague_involved_later_reads_the_contact(self):
        self.assertFalse(self.can_read(self.colleague, self.contact))
        self.complaint.message_subscribe(partner_ids=self.colleague.partner_id.ids)
        self.assertTrue(self.can_read(self.colleague, self.contact))

    def test_a_coordinator_of_another_company_does_not_read_it(self):
        other = self.env["res.company"].create({"name": "Dienst Elders"})
        stranger = new_test_user(
            self.env,
            "mc_other_coordinator",
            groups=f"{MODULE}.group_complaint_coordinator",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertFalse(self.can_read(stranger, self.contact))

    def test_odoo_keeps_showing_users_companies_and_other_contacts(self):
        outsider = self.outsider
        for partner in (
            outsider.partner_id,
            self.coordinator.partner_id,
            self.company.partner_id,
            self.complainant,
        ):
            self.assertTrue(self.can_read(outsider, partner), partner.name)
        self.assertTrue(
            self.env["res.users"].with_user(outsider).search_read([], ["name"])
        )

    def test_a_complainant_with_a_portal_account_stays_visible_and_sees_itself(self):
        portal_user = self.env["res.users"].create(
            {
                "login": "henk_portal",
                "partner_id": self.contact.id,
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        self.assertTrue(self.can_read(self.outsider, self.contact))
        self.assertTrue(self.can_read(portal_user, self.contact))

    def test_a_portal_user_does_not_read_another_complainant(self):
        portal_user = new_test_user(
            self.env, "mc_portal_other", groups="base.group_portal"
        )
        self.assertFalse(self.can_read(portal_user, self.contact))

    def test_a_medewerker_registering_a_case_makes_a_hidden_contact(self):
        registrar = new_test_user(
            self.env,
            "mc_registrar",
            groups=f"{MODULE}.group_complaint_user,base.group_partner_manager",
        )
        Partner = self.env["res.partner"].with_user(registrar)
        partner_id, _name = Partner.with_context(
            default_is_complainant_contact=True
        ).name_create("Nieuwe Beller")
        partner = Partner.browse(partner_id)
        self.assertTrue(partner.sudo().is_complainant_contact)
        self.assertEqual(partner.sudo().company_id, self.company)
        self.assertTrue(self.can_read(registrar, partner))
        self.assertFalse(self.can_read(self.employee, partner))
        self.create_complaint(user=registrar, partner_id=partner.id)
        self.assertTrue(self.can_read(registrar, partner))
        self.assertFalse(self.can_read(self.outsider, partner))
        self.assertFalse(self.can_read(self.colleague, partner))
        self.assertTrue(self.can_read(self.coordinator, partner))

    def test_nobody_unmarks_a_contact_to_show_it_to_everyone(self):
        with self.assertRaises(AccessError):
            self.contact.with_user(self.outsider).write(
                {"is_complainant_contact": False}
            )
        for user in (self.employee, self.coordinator, self.manager):
            with self.assertRaises(UserError):
                self.contact.with_user(user).write({"is_complainant_contact": False})
        self.assertTrue(self.contact.is_complainant_contact)
        self.assertFalse(self.can_read(self.outsider, self.contact))

    def test_the_case_form_makes_complainant_contacts(self):
        arch = self.Complaint.get_view(
            self.env.ref(f"{MODULE}.municipal_complaint_view_form").id
        )["arch"]
        self.assertIn("default_is_complainant_contact", arch)
