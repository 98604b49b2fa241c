"""A step's dialog (a transient record) holds copies of the case -- the inzage ZIP,
the closing texts, the letter with the complainant's name and address: a dialog is
readable by its maker only (security/wizard_rules.xml), whatever their group or
company."""

import re
from contextlib import suppress

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import MODULE, ComplaintCase


class WizardRecordCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.other_company = cls.env["res.company"].create({"name": "Dienst Elders"})
        cls.coordinator_elsewhere = new_test_user(
            cls.env,
            "mc_sec_coord_elsewhere",
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


class TestWizardRecords(WizardRecordCase):
    def test_a_closing_dialog_is_not_readable_by_another_companys_coordinator(self):
        """What a coordinator typed in the closing step (findings, hearing report) is
        not read by id by a coordinator of another company."""
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

    def test_a_letter_preview_is_not_readable_by_a_colleague(self):
        """A colleague who may not read the case does not read its previewed letter."""
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

    def test_the_letter_shown_in_the_dialog_holds_no_active_content(self):
        """``letter_document`` is the letter the server rendered, unsanitized: no
        client writes its own HTML into it."""
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

    def test_a_referral_dialog_text_is_not_readable_by_another_company(self):
        """The referral dialog's text proposed for the partner is its maker's only."""
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
class TestInzageDownload(WizardRecordCase, HttpCase):
    def test_an_inzage_zip_is_not_downloadable_by_another_companys_coordinator(self):
        """The inzage export (AVG art. 15) is built for the dialog's maker only: a
        coordinator of another company gets nothing by counting dialog ids."""
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
