"""The access table (README, "Toegang"), user by user: each test fails if a rule is
loosened."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .common import ComplaintCase


class TestAccessRules(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registered_by_employee = cls.create_complaint(
            user=cls.employee, subject="Door Eva geregistreerd"
        )
        cls.handled_by_employee = cls.create_complaint(
            subject="Door Eva behandeld", user_id=cls.employee.id
        )
        cls.followed_by_employee = cls.create_complaint(subject="Eva volgt mee")
        cls.followed_by_employee.message_subscribe(
            partner_ids=cls.employee.partner_id.ids
        )
        cls.not_for_employee = cls.create_complaint(
            subject="Niet voor Eva", user_id=cls.colleague.id
        )

    def visible_subjects(self, user):
        return set(self.Complaint.with_user(user).search([]).mapped("subject"))

    def test_employee_sees_registered_handled_and_followed_cases_only(self):
        visible = self.visible_subjects(self.employee)
        self.assertIn("Door Eva geregistreerd", visible)
        self.assertIn("Door Eva behandeld", visible)
        self.assertIn("Eva volgt mee", visible)
        self.assertNotIn("Niet voor Eva", visible)
        with self.assertRaises(AccessError):
            self.not_for_employee.with_user(self.employee).read(["subject"])
        with self.assertRaises(AccessError):
            self.not_for_employee.with_user(self.employee).write(
                {"subject": "Gewijzigd"}
            )

    def test_employee_cannot_read_a_case_by_searching_its_reference(self):
        found = self.Complaint.with_user(self.employee).search(
            [("name", "=", self.not_for_employee.name)]
        )
        self.assertFalse(found)

    def test_employee_may_register_and_edit_own_case(self):
        complaint = self.create_complaint(user=self.employee, subject="Nieuw signaal")
        complaint.with_user(self.employee).write(
            {"subject": "Nieuw signaal, aangevuld"}
        )
        self.assertEqual(complaint.subject, "Nieuw signaal, aangevuld")
        self.assertEqual(complaint.create_uid, self.employee)

    def test_colleague_sees_only_what_involves_them(self):
        visible = self.visible_subjects(self.colleague)
        self.assertEqual(
            visible & {"Door Eva geregistreerd", "Door Eva behandeld", "Eva volgt mee"},
            set(),
        )
        self.assertIn("Niet voor Eva", visible)

    def test_coordinator_sees_all_cases_of_the_company(self):
        visible = self.visible_subjects(self.coordinator)
        self.assertTrue(
            {
                "Door Eva geregistreerd",
                "Door Eva behandeld",
                "Eva volgt mee",
                "Niet voor Eva",
            }
            <= visible
        )

    def test_coordinator_does_not_see_other_companies(self):
        other = self.env["res.company"].create({"name": "Dienst Elders"})
        elsewhere = self.Complaint.sudo().create(
            {
                "subject": "Elders geregistreerd",
                "category_id": self.category_bejegening.id,
                "company_id": other.id,
            }
        )
        self.assertNotIn(
            "Elders geregistreerd", self.visible_subjects(self.coordinator)
        )
        with self.assertRaises(AccessError):
            elsewhere.with_user(self.coordinator).read(["subject"])
        # once the coordinator works for both companies, both are visible
        self.coordinator.write({"company_ids": [(4, other.id)]})
        self.assertIn(
            "Elders geregistreerd",
            set(
                self.Complaint.with_user(self.coordinator)
                .with_context(allowed_company_ids=[self.company.id, other.id])
                .search([])
                .mapped("subject")
            ),
        )

    def test_internal_user_without_complaint_group_sees_nothing(self):
        with self.assertRaises(AccessError):
            self.Complaint.with_user(self.outsider).search([])
        with self.assertRaises(AccessError):
            self.create_complaint(user=self.outsider)

    def test_portal_user_does_not_get_access_by_following(self):
        portal = new_test_user(
            self.env, "mc_portal_follower", groups="base.group_portal"
        )
        self.not_for_employee.message_subscribe(partner_ids=portal.partner_id.ids)
        try:
            visible = self.Complaint.with_user(portal).search([])
        except AccessError:
            visible = self.Complaint.browse()
        self.assertNotIn(self.not_for_employee, visible)
        with self.assertRaises(AccessError):
            self.not_for_employee.with_user(portal).read(["subject"])

    def test_contact_counts_only_the_cases_the_user_may_see(self):
        def count(partner, user):
            # each user opens the contact in a request of their own
            self.env.invalidate_all()
            return partner.with_user(user).complaint_count

        self.assertEqual(count(self.complainant, self.coordinator), 4)
        self.assertEqual(count(self.complainant, self.employee), 3)
        self.assertEqual(count(self.complainant, self.outsider), 0)
        citizen = new_test_user(
            self.env, "mc_portal_citizen", groups="base.group_portal"
        )
        self.create_complaint(partner_id=citizen.partner_id.id)
        # the portal lists a citizen's cases; their contact record counts none
        self.assertEqual(count(citizen.partner_id, citizen), 0)

    def test_only_administrators_configure(self):
        Category = self.env["municipal.complaint.category"]
        for user in (self.employee, self.coordinator):
            with self.assertRaises(AccessError):
                Category.with_user(user).create({"name": "Nieuw", "code": "NIEUW"})
            with self.assertRaises(AccessError):
                self.category_bejegening.with_user(user).write({"name": "Anders"})
            with self.assertRaises(AccessError):
                self.stage_received.with_user(user).write({"name": "Anders"})
        category = Category.with_user(self.manager).create(
            {"name": "Nieuw", "code": "NIEUW"}
        )
        self.assertEqual(category.code, "NIEUW")
        self.stage_received.with_user(self.manager).write({"fold": True})
        self.assertTrue(self.stage_received.fold)

    def test_only_administrators_change_the_deadline_norms(self):
        Wizard = self.env["municipal.complaint.config.wizard"]
        with self.assertRaises(AccessError):
            Wizard.with_user(self.coordinator).create({"complaint_contact_days": 3})
        wizard = Wizard.with_user(self.manager).create({})
        self.assertEqual(wizard.complaint_contact_days, 5)
        wizard.complaint_contact_days = 3
        wizard.action_save()
        self.assertEqual(self.company.complaint_contact_days, 3)
