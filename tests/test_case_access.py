"""Security review: need-to-know among staff, the access log, and the reference of a
case. These tests fail while the hole they describe is open."""

from contextlib import suppress

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from .common import MODULE, ComplaintCase


class TestReviewCaseAccess(ComplaintCase):
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
    def test_review_employee_cannot_give_a_colleague_access_by_following(self):
        """Involving a colleague is the coordinator's decision (docs/production.md,
        section 7: "a coordinator involves a colleague by adding them as a
        follower"); a Medewerker who registered a case adds any colleague as a
        follower, and the follower rule gives that colleague the case."""
        third = new_test_user(
            self.env, "mc_review_third", groups=f"{MODULE}.group_complaint_user"
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
    def test_review_reading_the_text_shared_with_the_partner_is_logged(self):
        """``referral_text`` is the complaint as the partner reads it; reading it
        (with the complainant's name) is opening the file, but only the fields of
        CASE_CONTENT_FIELDS write an entry."""
        self.set_history(self.case, referral_text="Uitkering gestopt; klager is ziek.")
        self.Complaint.with_user(self.coordinator).search_read(
            [("id", "=", self.case.id)], ["partner_id", "subject", "referral_text"]
        )
        self.assertTrue(self.log_entries(self.coordinator))

    def test_review_reading_the_correspondence_is_logged(self):
        """The messages of a case (the letters, the complainant's e-mails) are read
        without opening the case: mail.message search_read, or the chatter's own
        route. No entry."""
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

    def test_review_reading_a_complainants_e_mail_address_is_logged(self):
        """CONTACT_DETAIL_FIELDS has the phone and the address but not the e-mail:
        the contact's e-mail address is read without an entry."""
        values = self.complainant.with_user(self.coordinator).read(["name", "email"])
        self.assertIn("j.jansen@example.com", str(values))
        self.assertTrue(self.log_entries(self.coordinator))

    # ------------------------------------------------------------ the record
    def test_review_employee_cannot_choose_a_cases_reference(self):
        """The reference (KL/<year>/<number>) is the case's legal identity in every
        letter; ``name`` is read-only in the form, but a create over JSON-RPC keeps
        whatever reference it sends: a case of 2026 registered as KL/2019/0001, or
        the next number of the sequence, so that the next registration of the
        company (the public form, the mail alias) fails on the unique index."""
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
