"""Postponement of the legal term (Awb 9:11): once, by a coordinator, before the term
ends, with a reason; further only with the complainant's written consent. Refusals
change nothing."""

import base64
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError

from .common import ComplaintCase

GOOD_FRIDAY_2026 = date(2026, 4, 3)  # legal term: Friday 15 May 2026


@freeze_time("2026-04-20")
class TestPostpone(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company._get_complaint_calendar()._generate_dutch_holidays([2026])
        cls.respondent = cls.colleague
        cls.mt_comment = cls.env.ref("mail.mt_comment")

    def new_case(self, **values):
        values.setdefault("received_date", GOOD_FRIDAY_2026)
        values.setdefault("respondent_user_id", self.respondent.id)
        values.setdefault("user_id", self.employee.id)
        return self.create_complaint(**values)

    def snapshot(self, complaint):
        complaint.invalidate_recordset()
        return (
            complaint.legal_deadline,
            complaint.postponed,
            complaint.postpone_count,
            complaint.postpone_reason,
            complaint.extended_deadline,
            len(complaint.message_ids),
        )

    def assertRefused(self, complaint, error, *args, user=None, **kwargs):
        before = self.snapshot(complaint)
        with self.assertRaises(error), self.env.cr.savepoint():
            complaint.with_user(user or self.coordinator).action_postpone(
                *args, **kwargs
            )
        self.assertEqual(self.snapshot(complaint), before, "a refusal changes nothing")

    def consent(self, complaint):
        """The complainant's written consent, as the postponement step uploads it."""
        return {
            "consent_name": "instemming-klager.pdf",
            "consent_data": base64.b64encode(b"%PDF-1.4 instemming"),
        }

    def test_first_postponement_extends_the_term_by_four_weeks(self):
        complaint = self.new_case()
        result = complaint.with_user(self.coordinator).action_postpone(
            "Wachten op informatie van UWV"
        )
        self.assertTrue(result)
        self.assertEqual(complaint.legal_deadline, date(2026, 6, 12))
        self.assertTrue(complaint.postponed)
        self.assertEqual(complaint.postpone_count, 1)
        self.assertEqual(complaint.postpone_reason, "Wachten op informatie van UWV")
        note = complaint.message_ids.filtered(
            lambda m: "Wachten op informatie van UWV" in m.body
        )
        self.assertTrue(note, "the reason is on the chatter")
        self.assertIn(
            self.respondent.partner_id,
            note.partner_ids,
            "the beklaagde is told (Awb 9:11)",
        )

    def test_complainant_with_email_gets_a_notice_by_mail(self):
        complaint = self.new_case()
        complaint.with_user(self.coordinator).action_postpone(
            "Wachten op informatie van UWV"
        )
        notice = complaint.message_ids.filtered(
            lambda m: (
                m.subtype_id == self.mt_comment and self.complainant in m.partner_ids
            )
        )
        self.assertEqual(len(notice), 1)
        self.assertIn(complaint.name, notice.subject)
        self.assertIn("Wachten op informatie van UWV", notice.body)
        self.assertTrue(
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", notice.id)]),
            "an e-mail goes out",
        )

    def test_complainant_without_email_gets_a_letter_to_print(self):
        self.complainant.email = False
        complaint = self.new_case()
        action = complaint.with_user(self.coordinator).action_postpone(
            "Hoorgesprek nog niet gepland"
        )
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(
            action["report_name"], "municipal_complaint.report_postponement"
        )
        self.assertFalse(
            complaint.message_ids.filtered(lambda m: m.subtype_id == self.mt_comment)
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "municipal_complaint.action_report_postponement", complaint.ids
            )[0]
            .decode()
        )
        self.assertIn(complaint.name, html)
        self.assertIn("Hoorgesprek nog niet gepland", html)
        self.assertIn("2026", html)

    def test_only_a_coordinator_may_postpone(self):
        complaint = self.new_case()
        self.assertRefused(complaint, AccessError, "Drukte", user=self.employee)

    def test_a_reason_is_required(self):
        complaint = self.new_case()
        self.assertRefused(complaint, UserError, "   ")
        self.assertRefused(complaint, UserError, False)

    def test_no_postponement_after_the_term_ended(self):
        complaint = self.new_case()
        with freeze_time("2026-05-15"):  # the last day of the term: still allowed
            complaint.with_user(self.coordinator)._check_postpone_allowed()
        with freeze_time("2026-05-16"):
            self.assertRefused(complaint, UserError, "Te laat bedacht")

    def test_only_complaints_have_a_term_to_postpone(self):
        referral = self.new_case(category_id=self.category_doorverwijzing.id)
        self.assertRefused(referral, UserError, "Partner reageert niet")

    def test_a_closed_case_cannot_be_postponed(self):
        complaint = self.new_case(closed_date=date(2026, 4, 20))
        self.assertRefused(complaint, UserError, "Alsnog")

    def test_second_postponement_needs_written_consent_and_a_new_date(self):
        complaint = self.new_case()
        complaint.with_user(self.coordinator).action_postpone(
            "Wachten op informatie van UWV"
        )
        self.assertEqual(complaint.legal_deadline, date(2026, 6, 12))
        consent = self.consent(complaint)
        self.assertRefused(complaint, UserError, "Nog meer tijd nodig")
        self.assertRefused(
            complaint, UserError, "Nog meer tijd nodig", new_date=date(2026, 6, 26)
        )
        self.assertRefused(complaint, UserError, "Nog meer tijd nodig", **consent)
        self.assertRefused(
            complaint,
            UserError,
            "Nog meer tijd nodig",
            new_date=date(2026, 6, 12),
            **consent,
        )
        complaint.with_user(self.coordinator).action_postpone(
            "Nog meer tijd nodig", new_date=date(2026, 6, 26), **consent
        )
        self.assertEqual(complaint.legal_deadline, date(2026, 6, 26))
        self.assertEqual(complaint.extended_deadline, date(2026, 6, 26))
        self.assertEqual(complaint.postpone_count, 2)
        stored = complaint.postpone_consent_attachment_id
        self.assertEqual(stored.name, "instemming-klager.pdf")
        self.assertEqual(
            (stored.res_model, stored.res_id), (complaint._name, complaint.id)
        )
        self.assertEqual(stored.raw, b"%PDF-1.4 instemming")

    def test_a_case_imported_as_postponed_needs_consent_to_postpone_again(self):
        complaint = self.new_case(postponed=True)
        self.assertEqual(complaint.legal_deadline, date(2026, 6, 12))
        self.assertRefused(complaint, UserError, "Nog meer tijd nodig")
        complaint.with_user(self.coordinator).action_postpone(
            "Nog meer tijd nodig",
            new_date=date(2026, 6, 19),
            **self.consent(complaint),
        )
        self.assertEqual(complaint.legal_deadline, date(2026, 6, 19))
        self.assertEqual(complaint.postpone_count, 2)

    def test_an_agreed_date_is_kept_as_agreed(self):
        """A date agreed with the complainant (Awb 9:11 paragraph 3) is no term set
        by law: the Algemene termijnenwet does not move it, also on a Saturday."""
        complaint = self.new_case(postponed=True, postpone_count=1)
        complaint.with_user(self.coordinator).action_postpone(
            "Op verzoek van klager",
            new_date=date(2026, 6, 27),
            **self.consent(complaint),
        )
        self.assertEqual(complaint.legal_deadline, date(2026, 6, 27))
        with freeze_time("2026-06-29"):
            self.set_history(complaint, closed_date=date(2026, 6, 29))
        self.assertEqual(complaint.term_outcome, "late")

    # the wizard
    def open_wizard(self, complaint, user=None):
        action = complaint.with_user(
            user or self.coordinator
        ).action_open_postpone_wizard()
        return (
            self.env[action["res_model"]]
            .with_user(user or self.coordinator)
            .with_context(**action["context"])
        )

    def test_wizard_shows_the_new_deadline_and_postpones(self):
        complaint = self.new_case()
        wizard = self.open_wizard(complaint).create(
            {"reason": "Wachten op informatie van UWV"}
        )
        self.assertFalse(wizard.further)
        self.assertEqual(wizard.current_deadline, date(2026, 5, 15))
        self.assertEqual(wizard.proposed_deadline, date(2026, 6, 12))
        self.assertEqual(
            wizard.action_confirm(), {"type": "ir.actions.act_window_close"}
        )
        self.assertEqual(complaint.legal_deadline, date(2026, 6, 12))

    def test_wizard_for_a_further_postponement_keeps_the_consent(self):
        complaint = self.new_case(postponed=True, postpone_count=1)
        Wizard = self.open_wizard(complaint)
        wizard = Wizard.create({"reason": "Op verzoek van klager"})
        self.assertTrue(wizard.further)
        with self.assertRaises(UserError):
            wizard.action_confirm()
        wizard = Wizard.create(
            {
                "reason": "Op verzoek van klager",
                "new_date": date(2026, 7, 3),
                "consent_file": base64.b64encode(b"%PDF-1.4 instemming"),
                "consent_filename": "instemming.pdf",
            }
        )
        wizard.action_confirm()
        self.assertEqual(complaint.legal_deadline, date(2026, 7, 3))
        self.assertEqual(
            complaint.postpone_consent_attachment_id.name, "instemming.pdf"
        )
        self.assertEqual(complaint.postpone_consent_attachment_id.res_id, complaint.id)

    def test_wizard_without_email_returns_the_letter(self):
        self.complainant.email = False
        complaint = self.new_case()
        result = (
            self.open_wizard(complaint).create({"reason": "Drukte"}).action_confirm()
        )
        self.assertEqual(
            result["report_name"], "municipal_complaint.report_postponement"
        )
        self.assertTrue(result["close_on_report_download"])

    def test_an_employee_cannot_open_the_wizard(self):
        complaint = self.new_case()
        with self.assertRaises(AccessError):
            complaint.with_user(self.employee).action_open_postpone_wizard()
        with self.assertRaises(AccessError):
            self.env["municipal.complaint.postpone.wizard"].with_user(
                self.employee
            ).create({"complaint_id": complaint.id, "reason": "Drukte"})

    def test_only_a_coordinator_sees_the_postpone_button(self):
        def form_arch(user):
            return (
                self.env["municipal.complaint"]
                .with_user(user)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )

        self.assertIn("action_open_postpone_wizard", form_arch(self.coordinator))
        self.assertNotIn("action_open_postpone_wizard", form_arch(self.employee))
        for button in (
            "action_open_contact_wizard",
            "action_open_acknowledgment_letter",
            "action_print_acknowledgment",
        ):
            self.assertIn(button, form_arch(self.employee))
