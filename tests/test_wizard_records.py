"""Security review: a step's dialog (a transient record) holds copies of the case --
the inzage ZIP, the closing texts, the letter with the complainant's name and
address -- and Odoo 19 lets every user with access to the dialog's model read every
record of it, whoever made it and for whichever company. These tests expect a dialog
to be readable by its maker only; they fail while it is not."""

import re
from contextlib import suppress

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import MODULE, ComplaintCase


class ReviewWizardCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.other_company = cls.env["res.company"].create({"name": "Dienst Elders"})
        cls.coordinator_elsewhere = new_test_user(
            cls.env,
            "mc_review_coord_elsewhere",
            groups=f"{MODULE}.group_complaint_coordinator",
            company_id=cls.other_company.id,
            company_ids=[cls.other_company.id],
        )
        cls.secret = cls.env["res.partner"].create(
            {
                "name": "Geheime Klager",
                "email": "geheim@example.com",
                "phone": "06 99999999",
                "is_complainant_contact": True,
                "company_id": cls.company.id,
            }
        )
        cls.secret_case = cls.create_complaint(
            partner_id=cls.secret.id,
            description="<p>Mijn uitkering is gestopt sinds ik ziek ben.</p>",
            user_id=cls.employee.id,
        )


class TestReviewWizardRecords(ReviewWizardCase):
    def test_review_closing_dialog_is_not_readable_by_another_companys_coordinator(
        self,
    ):
        """A coordinator of Dienst Elders reads, by id, what a coordinator of this
        company typed in the closing step: findings, hearing report."""
        wizard = (
            self.env["municipal.complaint.close.wizard"]
            .with_user(self.coordinator)
            .with_context(default_complaint_id=self.secret_case.id)
            .create(
                {
                    "handling": "formal",
                    "findings": "<p>De klager is ernstig ziek.</p>",
                    "hearing_report": "<p>Gehoord op 12 maart.</p>",
                }
            )
        )
        with self.assertRaises(AccessError):
            values = wizard.with_user(self.coordinator_elsewhere).read(
                ["findings", "hearing_report"]
            )
            self.assertNotIn("ziek", str(values))

    def test_review_letter_preview_is_not_readable_by_a_colleague(self):
        """A Medewerker who may not read the case reads its acknowledgment as
        previewed by the colleague who handles it: the complainant's name and
        address and the letter."""
        with self.assertRaises(AccessError):
            self.secret_case.with_user(self.colleague).read(["subject"])
        wizard = (
            self.env["municipal.complaint.letter.wizard"]
            .with_user(self.employee)
            .with_context(default_complaint_id=self.secret_case.id)
            .create({})
        )
        self.assertIn("geheim@example.com", wizard.letter_to)
        with self.assertRaises(AccessError):
            values = wizard.with_user(self.colleague).read(["letter_to", "letter_body"])
            self.assertNotIn("geheim@example.com", str(values))

    def test_review_letter_shown_in_the_dialog_holds_no_active_content(self):
        """``letter_document`` is an unsanitized Html field (the rendered letter);
        read-only in the view only, a client writes any HTML into it, and with the
        dialog readable by others (above) it is shown in their browser."""
        wizard = (
            self.env["municipal.complaint.letter.wizard"]
            .with_user(self.employee)
            .with_context(default_complaint_id=self.secret_case.id)
            .create({})
        )
        with suppress(AccessError, UserError):
            wizard.write(
                {"letter_document": '<img src="x" onerror="alert(document.cookie)">'}
            )
        self.assertNotIn("onerror", str(wizard.letter_document))

    def test_review_referral_dialog_text_is_not_readable_by_another_company(self):
        """The referral dialog stores the complaint text proposed for the partner."""
        org = self.env["res.partner"].create(
            {"name": "Werkbedrijf", "is_company": True, "is_complaint_partner": True}
        )
        wizard = (
            self.env["municipal.complaint.referral.wizard"]
            .with_user(self.coordinator)
            .with_context(default_complaint_id=self.secret_case.id)
            .create({"referral_partner_id": org.id})
        )
        self.assertIn("ziek", wizard.shared_text)
        with self.assertRaises(AccessError):
            values = wizard.with_user(self.coordinator_elsewhere).read(["shared_text"])
            self.assertNotIn("ziek", str(values))


@tagged("post_install", "-at_install")
class TestReviewInzageDownload(ReviewWizardCase, HttpCase):
    def test_review_inzage_zip_is_not_downloadable_by_another_companys_coordinator(
        self,
    ):
        """The inzage export (AVG art. 15) of a person -- every case, message and
        file -- is a field of the dialog; a coordinator of another company
        downloads it by counting dialog ids at /web/content."""
        wizard = (
            self.env["municipal.complaint.inzage.wizard"]
            .with_user(self.coordinator)
            .create({"partner_id": self.secret.id})
        )
        action = wizard.action_export()
        self.env.flush_all()
        url = re.sub(r"\?.*$", "", action["url"])
        # the ZIP is not stored on the dialog: its maker downloads it from the URL
        self.authenticate(self.coordinator.login, self.coordinator.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))
        self.authenticate(
            self.coordinator_elsewhere.login, self.coordinator_elsewhere.login
        )
        response = self.url_open(url)
        self.assertNotEqual(
            response.status_code,
            200,
            "a coordinator of another company downloaded the inzage ZIP "
            f"({len(response.content)} bytes)",
        )
        self.assertFalse(response.content.startswith(b"PK"))
