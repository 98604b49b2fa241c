"""Need-to-know among staff, the access log, and the reference of a case: who may
involve a colleague, which reads of a case are logged, and who numbers a case."""

from contextlib import suppress

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from .common import MODULE, ComplaintCase


class TestCaseAccess(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["municipal.complaint.access.log"].sudo()
        cls.complainant.sudo().write(
            {"is_complainant_contact": True, "company_id": cls.company.id}
        )
        cls.case = cls.create_complaint(
            user=cls.employee,
            description="<p>Mijn uitkering is gestopt sinds ik ziek ben.</p>",
        )

    def log_entries(self, user):
        return self.Log.search(
            [
                ("user_id", "=", user.id),
                "|",
                ("complaint_id", "=", self.case.id),
                ("partner_id", "=", self.complainant.id),
            ]
        )

    # ------------------------------------------------------------ need to know
    def test_a_medewerker_cannot_give_a_colleague_a_case_by_subscribing_them(self):
        """Involving a colleague is the coordinator's decision (docs/production.md,
        section 7): the follower rule would give the colleague the case."""
        third = new_test_user(
            self.env, "mc_sec_third", groups=f"{MODULE}.group_complaint_user"
        )
        with self.assertRaises(AccessError):
            self.case.with_user(third).read(["description"])
        with suppress(AccessError, UserError):
            self.case.with_user(self.employee).message_subscribe(
                partner_ids=third.partner_id.ids
            )
        with self.assertRaises(AccessError):
            self.case.with_user(third).read(["description"])

    # ------------------------------------------------------------ access log
    def test_reading_the_text_shared_with_the_partner_is_logged(self):
        """``referral_text`` is the complaint as the partner reads it: reading it is
        opening the file."""
        self.set_history(self.case, referral_text="Uitkering gestopt; klager is ziek.")
        self.Complaint.with_user(self.coordinator).search_read(
            [("id", "=", self.case.id)], ["partner_id", "subject", "referral_text"]
        )
        self.assertTrue(self.log_entries(self.coordinator))

    def test_reading_the_correspondence_is_logged(self):
        """The messages of a case (the letters, the complainant's e-mails) read without
        opening the case (mail.message search_read) are logged as opening it."""
        self.case.with_user(self.employee).message_post(
            body="Beste heer Jansen, uw uitkering wordt hersteld.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        bodies = (
            self.env["mail.message"]
            .with_user(self.coordinator)
            .search_read(
                [("model", "=", self.case._name), ("res_id", "=", self.case.id)],
                ["body"],
            )
        )
        self.assertIn("uitkering", str(bodies))
        self.assertTrue(self.log_entries(self.coordinator))

    def test_reading_a_complainants_e_mail_address_is_logged(self):
        """The contact's e-mail address is a contact detail like its phone."""
        values = self.complainant.with_user(self.coordinator).read(["name", "email"])
        self.assertIn("j.jansen@example.com", str(values))
        self.assertTrue(self.log_entries(self.coordinator))

    # ------------------------------------------------------------ the record
    def test_a_medewerker_cannot_choose_a_cases_reference(self):
        """The reference (KL/<year>/<number>) is the case's legal identity in every
        letter: a create over JSON-RPC cannot bring its own (an old one, or the next
        number of the sequence, which would make the next registration fail)."""
        try:
            forged = self.Complaint.with_user(self.employee).create(
                {
                    "subject": "Oud nummer",
                    "category_id": self.category_bejegening.id,
                    "name": "KL/2019/0001",
                }
            )
        except (AccessError, UserError, ValidationError):
            forged = self.Complaint
        self.assertNotEqual(forged.name, "KL/2019/0001")
