"""Letters are shown before they go: the step's letter, rendered as the step would
leave the case, with its recipients; the e-mail as edited is what is sent; showing it
changes nothing, and a refused step shows nothing."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form
from odoo.tools import format_date

from odoo.addons.municipal_complaint.models.complaint_letter import (
    LETTER_PREVIEW_KEY,
)

from .closing_common import ClosingCase


@freeze_time("2026-04-01")
class TestLetterPreview(ClosingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company._get_complaint_calendar()._generate_dutch_holidays([2026])
        cls.complainant.complaint_salutation = "mr"
        cls.mt_comment = cls.env.ref("mail.mt_comment")

    def letters_to_complainant(self, complaint):
        return complaint.message_ids.filtered(
            lambda m: (
                m.subtype_id == self.mt_comment and self.complainant in m.partner_ids
            )
        )

    def long_date(self, day):
        return format_date(
            self.env, day, lang_code="en_US", date_format="EEEE d MMMM y"
        )

    # ------------------------------------------------------------------ acknowledgment
    def test_the_acknowledgment_is_shown_then_sent_as_edited(self):
        complaint = self.create_complaint(user=self.employee, user_id=self.employee.id)
        wizard_form = Form(
            self.env["municipal.complaint.letter.wizard"]
            .with_user(self.employee)
            .with_context(default_complaint_id=complaint.id)
        )
        self.assertEqual(wizard_form.preview_delivery, "email")
        self.assertIn("j.jansen@example.com", wizard_form.letter_to)
        self.assertIn(complaint.name, wizard_form.letter_subject)
        self.assertIn("Dear Mr Jansen,", wizard_form.letter_body)
        self.assertIn(self.long_date(date(2026, 3, 18)), wizard_form.letter_body)
        # showing it sent nothing and acknowledged nothing
        self.assertFalse(self.letters_to_complainant(complaint))
        self.assertFalse(complaint.acknowledgment_date)

        # what the letter states in bold stays: the reference and the dates
        stated = (
            f"<p>Reference <strong>{complaint.name}</strong>: contact by "
            f"<strong>{self.long_date(date(2026, 3, 18))}</strong>, conclusion by "
            f"<strong>{self.long_date(date(2026, 4, 22))}</strong>.</p>"
        )
        wizard = wizard_form.save()
        wizard.letter_body = "<p>Dear Mr Jansen,</p><p>Wij bellen u morgen.</p>"
        with (
            self.assertRaisesRegex(UserError, "must keep what it states"),
            self.env.cr.savepoint(),
        ):
            wizard.action_send()
        self.assertFalse(self.letters_to_complainant(complaint))
        wizard.letter_body = (
            "<p>Dear Mr Jansen,</p><p>Wij bellen u morgen.</p>" + stated
        )
        wizard.action_send()
        sent = self.letters_to_complainant(complaint)
        self.assertEqual(len(sent), 1)
        self.assertIn("Wij bellen u morgen.", sent.body)
        self.assertIn(complaint.name, sent.subject)
        self.assertEqual(complaint.acknowledgment_date, date(2026, 4, 1))

    def test_an_empty_letter_is_refused(self):
        complaint = self.create_complaint(user=self.employee)
        with self.assertRaises(UserError):
            complaint.with_user(self.employee).action_send_acknowledgment(
                letter={"subject": "Ontvangst", "body": ""}
            )
        self.assertFalse(complaint.acknowledgment_date)

    def test_a_forged_recorder_does_not_skip_the_letter(self):
        """A client can put anything JSON can carry in the context: a recorder it
        sends is no recorder, and the step sends its letter."""
        complaint = self.create_complaint(user=self.employee)
        complaint.with_user(self.employee).with_context(
            **{LETTER_PREVIEW_KEY: {"letters": []}}
        ).action_send_acknowledgment()
        self.assertEqual(len(self.letters_to_complainant(complaint)), 1)
        self.assertTrue(complaint.acknowledgment_date)

    # ------------------------------------------------------------------ postponement
    def postpone_form(self, complaint, reason="We wachten op het dossier."):
        wizard_form = Form(
            self.env["municipal.complaint.postpone.wizard"]
            .with_user(self.coordinator)
            .with_context(default_complaint_id=complaint.id)
        )
        wizard_form.weeks = 4
        wizard_form.reason = reason
        return wizard_form.save()

    def test_the_postponement_letter_shows_the_new_date_and_changes_nothing(self):
        complaint = self.create_complaint(respondent_user_id=self.colleague.id)
        wizard = self.postpone_form(complaint)
        wizard.action_preview_letter()
        self.assertEqual(wizard.letter_step, "preview")
        self.assertEqual(wizard.preview_delivery, "email")
        # the term as the step leaves it: 22 April + 4 weeks
        self.assertIn(self.long_date(date(2026, 5, 20)), wizard.letter_body)
        self.assertIn("We wachten op het dossier.", wizard.letter_body)
        self.assertEqual(wizard.letter_copy, "Cor Collega", "the respondent's copy")
        # nothing happened
        self.assertFalse(complaint.postponed)
        self.assertEqual(complaint.legal_deadline, self.legal_deadline)
        self.assertFalse(self.letters_to_complainant(complaint))

        # the new deadline cannot be edited out of the notice
        wizard.letter_body = "<p>Dear Mr Jansen,</p><p>Wat later.</p>"
        with (
            self.assertRaisesRegex(UserError, "must keep what it states"),
            self.env.cr.savepoint(),
        ):
            wizard.action_confirm()
        self.assertFalse(complaint.postponed)
        wizard.letter_body = (
            "<p>Dear Mr Jansen,</p><p>Uiterlijk 20 mei.</p><p><strong>"
            f"{self.long_date(date(2026, 5, 20))}</strong></p>"
        )
        wizard.action_confirm()
        self.assertTrue(complaint.postponed)
        self.assertEqual(complaint.legal_deadline, date(2026, 5, 20))
        sent = self.letters_to_complainant(complaint)
        self.assertEqual(len(sent), 1)
        self.assertIn("Uiterlijk 20 mei.", sent.body)

    def test_a_refused_postponement_shows_no_letter(self):
        complaint = self.create_complaint()
        wizard = self.postpone_form(complaint, reason="   ")
        with self.assertRaises(UserError):
            wizard.action_preview_letter()
        self.assertEqual(wizard.letter_step, "input")
        self.assertFalse(complaint.postponed)

    def test_without_e_mail_the_preview_is_the_letter_to_print(self):
        self.complainant.email = False
        complaint = self.create_complaint()
        wizard = self.postpone_form(complaint)
        wizard.action_preview_letter()
        self.assertEqual(wizard.preview_delivery, "post")
        self.assertIn("J. Jansen", wizard.letter_to)
        self.assertIn(
            "Postponement of the handling of your complaint", wizard.letter_document
        )
        action = wizard.action_confirm()
        self.assertEqual(
            action["report_name"], "municipal_complaint.report_postponement"
        )

    # ------------------------------------------------------------------ closing
    def test_the_conclusion_is_shown_with_its_letter_before_the_case_closes(self):
        complaint = self.create_complaint(
            user_id=self.employee.id, respondent_user_id=self.colleague.id
        )
        wizard = (
            self.env["municipal.complaint.close.wizard"]
            .with_user(self.coordinator)
            .create({"complaint_id": complaint.id, **self.wizard_formal_values()})
        )
        wizard.action_preview_letter()
        self.assertEqual(wizard.preview_delivery, "email")
        self.assertIn("Dear Mr Jansen,", wizard.letter_body)
        # the attached letter, as the closed case will print it
        self.assertIn("De klantmanager belde niet terug", wizard.letter_document)
        self.assertIn("Nationale ombudsman", wizard.letter_document)
        self.assertIn("Conclusion of your complaint", wizard.letter_document)
        self.assertEqual(wizard.letter_copy, "Cor Collega")
        self.assertFalse(complaint.is_closed, "showing the letter closes nothing")

        wizard.letter_subject = "Uw klacht is afgehandeld"
        wizard.action_close()
        self.assertTrue(complaint.is_closed)
        sent = self.letters_to_complainant(complaint)
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent.subject, "Uw klacht is afgehandeld")
        self.assertTrue(sent.attachment_ids, "the letter itself is attached")

    def test_an_incomplete_closing_shows_no_letter(self):
        complaint = self.create_complaint()
        wizard = (
            self.env["municipal.complaint.close.wizard"]
            .with_user(self.coordinator)
            .create(
                {
                    "complaint_id": complaint.id,
                    **self.wizard_formal_values(findings=False),
                }
            )
        )
        with self.assertRaises(UserError):
            wizard.action_preview_letter()
        self.assertFalse(complaint.is_closed)

    def wizard_formal_values(self, **values):
        vals = self.formal_values(**values)
        vals["outcome_ids"] = [(6, 0, vals["outcome_ids"])]
        vals["norm_ids"] = [(6, 0, vals["norm_ids"])]
        return vals
