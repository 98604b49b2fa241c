from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from .closing_common import ClosingCase


class TestClosingInformal(ClosingCase):
    @freeze_time("2026-04-01")
    def test_informal_closing_within_the_term(self):
        complaint = self.create_complaint()
        result = self.close(complaint, self.informal_values())
        self.assertIs(result, True, "an informal handling sends no letter")
        self.assertEqual(complaint.closed_date, date(2026, 4, 1))
        self.assertEqual(complaint.stage_id, self.stage_closed)
        self.assertEqual(complaint.handling, "informal")
        self.assertEqual(complaint.outcome_ids, self.outcome_excuses)
        self.assertEqual(complaint.term_outcome, "within")
        self.assertEqual(
            complaint.user_id,
            self.coordinator,
            "the closer becomes the handler of an unassigned case",
        )

    @freeze_time("2026-05-04")
    def test_closing_after_the_legal_term_counts_as_late(self):
        complaint = self.create_complaint()
        self.assertEqual(complaint.legal_deadline, self.legal_deadline)
        self.close(complaint, self.informal_values())
        self.assertEqual(complaint.term_outcome, "late")

    @freeze_time("2026-04-01")
    def test_informal_needs_the_resolution_and_an_outcome(self):
        complaint = self.create_complaint()
        stage = complaint.stage_id
        with self.assertRaises(UserError) as error:
            self.close(
                complaint, {"handling": "informal", "resolution_note": "<p><br></p>"}
            )
        message = str(error.exception)
        self.assertIn("to the complainant's satisfaction (Awb 9:5)", message)
        self.assertIn("at least one outcome", message)
        self.assertFalse(complaint.closed_date, "a refused closing changes nothing")
        self.assertEqual(complaint.stage_id, stage)
        self.assertFalse(complaint.handling)

    def test_a_complaint_needs_a_handling(self):
        complaint = self.create_complaint()
        with self.assertRaisesRegex(UserError, "informal, formal or not handled"):
            self.close(complaint, {"resolution_note": "<p>Opgelost</p>"})

    def test_only_a_coordinator_closes(self):
        complaint = self.create_complaint(user=self.employee, user_id=self.employee.id)
        with self.assertRaises(AccessError):
            self.close(complaint, self.informal_values(), user=self.employee)
        self.assertFalse(complaint.closed_date)

    @freeze_time("2026-04-01")
    def test_a_closed_case_cannot_be_closed_again(self):
        complaint = self.create_complaint()
        self.close(complaint, self.informal_values())
        with self.assertRaisesRegex(UserError, "already closed"):
            self.close(complaint, self.informal_values())

    @freeze_time("2026-04-01")
    def test_closing_closes_the_open_deadline_activities(self):
        """A closed case has no deadline left to warn about: its warnings are done."""
        complaint = self.create_complaint(user_id=self.employee.id)
        # what the daily warning run does for this case (without its commits)
        complaints, due = complaint._lock_deadline_warning_batch(10)
        complaints._create_deadline_warnings(due)
        warnings = complaint.activity_ids
        self.assertTrue(warnings, "the passed contact deadline was warned for")
        self.close(complaint, self.informal_values())
        self.assertFalse(complaint.activity_ids, "the warnings are done")
        self.assertTrue(
            self.env["mail.message"].search(
                [
                    ("mail_activity_type_id", "in", warnings.activity_type_id.ids),
                    ("res_id", "=", complaint.id),
                    ("model", "=", complaint._name),
                ]
            ),
            "each warning is kept as done on the chatter",
        )

    @freeze_time("2026-04-01")
    def test_informal_closing_records_the_complainants_agreement(self):
        """Awb 9:5: the informal route ends when the complainant agrees; the step
        records when and how."""
        complaint = self.create_complaint()
        values = self.informal_values(
            informal_agreement_date=False, informal_agreement_how=False
        )
        with self.assertRaisesRegex(UserError, r"agreed it was resolved \(Awb 9:5\)"):
            self.close(complaint, values)
        self.assertFalse(complaint.closed_date)
        self.close(complaint, self.informal_values())
        self.assertEqual(complaint.informal_agreement_date, date(2026, 3, 25))
        self.assertEqual(complaint.informal_agreement_how, "phone")

    @freeze_time("2026-04-01")
    def test_the_decision_date_is_what_the_term_is_judged_on(self):
        """A closing recorded late keeps the day it was decided: handled on time."""
        complaint = self.create_complaint()
        with freeze_time("2026-04-24"):  # two days after the legal deadline
            with self.assertRaisesRegex(UserError, "between the day the complaint"):
                self.close(
                    complaint, dict(self.informal_values(), closed_date="2026-04-25")
                )
            with self.assertRaisesRegex(UserError, "between the day the complaint"):
                self.close(
                    complaint, dict(self.informal_values(), closed_date="2026-03-10")
                )
            self.close(
                complaint, dict(self.informal_values(), closed_date="2026-04-22")
            )
        self.assertEqual(complaint.closed_date, date(2026, 4, 22))
        self.assertEqual(complaint.term_outcome, "within")

    @freeze_time("2026-04-01")
    def test_closing_through_the_wizard(self):
        complaint = self.create_complaint()
        complaint.resolution_note = "<p>Al teruggebeld door de klantmanager.</p>"
        Wizard = self.env["municipal.complaint.close.wizard"].with_user(
            self.coordinator
        )
        wizard = Wizard.with_context(default_complaint_id=complaint.id).create({})
        self.assertFalse(
            wizard.handling, "the coordinator chooses the handling: no default"
        )
        self.assertEqual(wizard.closed_date, date(2026, 4, 1), "decided today")
        wizard.write(
            {
                "handling": "informal",
                "informal_agreement_date": date(2026, 3, 30),
                "informal_agreement_how": "phone",
            }
        )
        self.assertIn(
            "teruggebeld",
            wizard.resolution_note,
            "what the case already holds is prefilled",
        )
        self.assertEqual(wizard.letter_delivery, "none")
        with self.assertRaisesRegex(UserError, "at least one outcome"):
            wizard.action_close()
        wizard.outcome_ids = self.outcome_uitleg
        self.assertEqual(wizard.action_close(), {"type": "ir.actions.act_window_close"})
        self.assertEqual(complaint.closed_date, date(2026, 4, 1))
        self.assertEqual(complaint.outcome_ids, self.outcome_uitleg)

    def test_employee_cannot_open_the_closing_wizard(self):
        complaint = self.create_complaint(user=self.employee)
        with self.assertRaises(AccessError):
            self.env["municipal.complaint.close.wizard"].with_user(
                self.employee
            ).create({"complaint_id": complaint.id})


class TestClosingFormal(ClosingCase):
    @freeze_time("2026-04-01")
    def test_formal_closing_lists_everything_missing(self):
        complaint = self.create_complaint()
        with self.assertRaises(UserError) as error:
            self.close(complaint, {"handling": "formal"})
        message = str(error.exception)
        for expected in (
            "a judgment",
            "the findings",
            "the conclusions",
            "at least one outcome",
            "the hearing report (date, who, summary) or the "
            "reason it was skipped (Awb 9:10)",
        ):
            self.assertIn(expected, message)
        self.assertFalse(complaint.closed_date)

    @freeze_time("2026-04-01")
    def test_formal_closing_needs_the_whole_hearing_report(self):
        complaint = self.create_complaint()
        values = self.formal_values(hearing_attendees=False, hearing_report="<p></p>")
        with self.assertRaises(UserError) as error:
            self.close(complaint, values)
        self.assertIn("who took part in the hearing", str(error.exception))
        self.assertIn("a summary of the hearing", str(error.exception))
        self.assertNotIn("the date of the hearing", str(error.exception))

    @freeze_time("2026-04-01")
    def test_formal_closing_without_hearing_needs_the_legal_reason(self):
        complaint = self.create_complaint()
        values = self.formal_values(
            judgment="unfounded",
            norm_ids=[],
            hearing_date=False,
            hearing_attendees=False,
            hearing_report=False,
            hearing_skip_reason="waived",
        )
        self.close(complaint, values)
        self.assertEqual(complaint.handling, "formal")
        self.assertEqual(complaint.judgment, "unfounded")
        self.assertEqual(complaint.hearing_skip_reason, "waived")
        self.assertEqual(complaint.term_outcome, "within")

    @freeze_time("2026-04-01")
    def test_hearing_and_reason_to_skip_it_exclude_each_other(self):
        complaint = self.create_complaint()
        with self.assertRaisesRegex(UserError, "not both"):
            self.close(complaint, self.formal_values(hearing_skip_reason="unfounded"))

    @freeze_time("2026-04-01")
    def test_a_founded_complaint_names_the_breached_norm(self):
        complaint = self.create_complaint()
        with self.assertRaisesRegex(UserError, "the norm that was breached"):
            self.close(complaint, self.formal_values(judgment="founded", norm_ids=[]))
        self.close(complaint, self.formal_values(judgment="founded"))
        self.assertEqual(complaint.norm_ids, self.norm_respectful)

    @freeze_time("2026-04-01")
    def test_handler_may_not_be_the_respondent(self):
        """Awb 9:7: the person the complaint is about does not handle it, whether the
        handler or the respondent is set first."""
        with self.assertRaisesRegex(
            ValidationError, r"Cor Collega is the respondent.*Awb 9:7"
        ):
            self.create_complaint(
                user_id=self.colleague.id, respondent_user_id=self.colleague.id
            )
        complaint = self.create_complaint(user_id=self.colleague.id)
        with self.assertRaisesRegex(ValidationError, "Awb 9:7"):
            complaint.respondent_user_id = self.colleague
        complaint.respondent_user_id = self.employee
        with self.assertRaisesRegex(ValidationError, "Awb 9:7"):
            with self.env.cr.savepoint():
                complaint.user_id = self.employee
        complaint.invalidate_recordset()
        self.assertEqual(complaint.user_id, self.colleague)
        self.close(complaint, self.formal_values())
        self.assertEqual(complaint.stage_id, self.stage_closed)

    @freeze_time("2026-04-01")
    def test_coordinator_who_is_the_respondent_may_not_close(self):
        """Awb 9:7 holds for every handling, the informal one included."""
        complaint = self.create_complaint(
            user_id=self.employee.id, respondent_user_id=self.coordinator.id
        )
        for values in (
            self.formal_values(),
            self.informal_values(),
            {"handling": "not_handled", "not_handled_reason": "trivial"},
        ):
            with self.assertRaisesRegex(UserError, "Awb 9:7"):
                self.close(complaint, values)
        self.assertFalse(complaint.closed_date)
        other = new_test_user(
            self.env,
            "mc_coordinator_2",
            groups="municipal_complaint.group_complaint_coordinator",
        )
        self.close(complaint, self.informal_values(), user=other)
        self.assertEqual(complaint.handling, "informal")

    @freeze_time("2026-04-01")
    def test_formal_closing_mails_the_conclusion_letter_and_copies_the_respondent(self):
        complaint = self.create_complaint(
            user_id=self.employee.id, respondent_user_id=self.colleague.id
        )
        result = self.close(complaint, self.formal_values())
        self.assertIs(result, True)
        letter_message = complaint.message_ids.filtered(
            lambda m: self.complainant in m.partner_ids and m.message_type == "comment"
        )
        self.assertEqual(
            len(letter_message), 1, "the complainant gets the letter by e-mail"
        )
        self.assertIn("Conclusion of your complaint", letter_message.subject)
        self.assertEqual(len(letter_message.attachment_ids), 1)
        self.assertIn("Conclusion letter", letter_message.attachment_ids.name)
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "=", letter_message.id)])
        )
        self.assertTrue(mail, "an e-mail is queued for the complainant")
        copies = complaint.message_ids.filtered(
            lambda m: self.colleague.partner_id in m.partner_ids
        )
        self.assertEqual(
            len(copies), 2, "the respondent got the complaint, then the letter (9:9)"
        )
        copy = copies.filtered("attachment_ids")
        self.assertIn("Awb 9:9", copy.body)
        self.assertEqual(copy.attachment_ids, letter_message.attachment_ids)
        self.assertNotIn(self.complainant, copy.partner_ids)

    @freeze_time("2026-04-01")
    def test_without_email_the_letter_is_attached_for_printing(self):
        self.complainant.email = False
        complaint = self.create_complaint()
        result = self.close(
            complaint, self.formal_values(norm_ids=[], judgment="unfounded")
        )
        self.assertEqual(result["type"], "ir.actions.report")
        self.assertEqual(
            result["report_name"], "municipal_complaint.report_conclusion_letter"
        )
        note = complaint.message_ids.filtered(lambda m: m.attachment_ids)
        self.assertEqual(len(note), 1)
        self.assertIn("send it by post", note.body)
        letter = note.attachment_ids
        self.assertEqual(
            letter.name, f"{complaint._get_closing_letter_filename()}.html"
        )  # a PDF outside tests
        self.assertEqual(
            (letter.res_model, letter.res_id), (complaint._name, complaint.id)
        )
        self.assertFalse(
            self.env["mail.mail"]
            .sudo()
            .search([("res_id", "=", complaint.id), ("model", "=", complaint._name)])
        )

    @freeze_time("2026-04-01")
    def test_anonymous_complaint_closes_without_letter(self):
        complaint = self.create_complaint(partner_id=False)
        self.assertIs(self.close(complaint, self.formal_values()), True)
        self.assertTrue(complaint.closed_date)
        self.assertFalse(complaint.message_ids.attachment_ids)

    @freeze_time("2026-04-01")
    def test_formal_closing_through_the_wizard(self):
        complaint = self.create_complaint()
        wizard = (
            self.env["municipal.complaint.close.wizard"]
            .with_user(self.coordinator)
            .with_context(default_complaint_id=complaint.id)
            .create({})
        )
        wizard.write(
            {
                "handling": "formal",
                "hearing": "skipped",
                "hearing_skip_reason": "unfounded",
                "hearing_date": date(2026, 3, 20),  # ignored: the hearing was skipped
                "judgment": "unfounded",
                "findings": "<p>Bevindingen</p>",
                "conclusions": "<p>Conclusies</p>",
                "outcome_ids": self.outcome_uitleg.ids,
            }
        )
        self.assertEqual(wizard.letter_delivery, "email")
        wizard.action_close()
        self.assertEqual(complaint.hearing_skip_reason, "unfounded")
        self.assertFalse(complaint.hearing_date)
        self.assertEqual(complaint.judgment, "unfounded")

    def test_wizard_warns_about_the_respondent(self):
        complaint = self.create_complaint(respondent_user_id=self.coordinator.id)
        wizard = (
            self.env["municipal.complaint.close.wizard"]
            .with_user(self.coordinator)
            .create({"complaint_id": complaint.id, "handling": "formal"})
        )
        self.assertTrue(wizard.respondent_conflict)
        wizard.handling = "informal"
        self.assertTrue(wizard.respondent_conflict, "Awb 9:7 holds for every handling")
        complaint.respondent_user_id = self.colleague
        wizard.invalidate_recordset()
        self.assertFalse(wizard.respondent_conflict)


class TestClosingNotHandled(ClosingCase):
    def test_not_handled_is_due_four_weeks_after_receipt(self):
        self.assertEqual(self.create_complaint().not_handled_deadline, date(2026, 4, 8))
        # 6 March + 4 weeks = Good Friday 3 April: not a day of the Algemene
        # termijnenwet, so the term ends that day
        self.assertEqual(
            self.create_complaint(received_date=date(2026, 3, 6)).not_handled_deadline,
            date(2026, 4, 3),
        )
        # 9 March + 4 weeks = Easter Monday 6 April: an Atw holiday
        self.assertEqual(
            self.create_complaint(received_date=date(2026, 3, 9)).not_handled_deadline,
            date(2026, 4, 7),
        )
        self.assertFalse(
            self.create_complaint(
                category_id=self.category_beleid.id
            ).not_handled_deadline,
            "only real complaints can be not handled under Awb 9:8",
        )

    @freeze_time("2026-04-01")
    def test_not_handled_needs_a_legal_ground(self):
        complaint = self.create_complaint()
        with self.assertRaisesRegex(UserError, r"legal ground .* \(Awb 9:8\)"):
            self.close(complaint, {"handling": "not_handled"})
        self.assertFalse(complaint.closed_date)

    @freeze_time("2026-04-01")
    def test_not_handled_sends_the_letter(self):
        complaint = self.create_complaint()
        self.close(
            complaint, {"handling": "not_handled", "not_handled_reason": "over_a_year"}
        )
        self.assertEqual(complaint.handling, "not_handled")
        self.assertEqual(complaint.not_handled_reason, "over_a_year")
        self.assertFalse(complaint.judgment)
        letter = complaint.message_ids.filtered(
            lambda m: self.complainant in m.partner_ids
        )
        self.assertEqual(len(letter), 1)
        self.assertIn("will not be handled", letter.subject)
        self.assertIn("Complaint not handled", letter.attachment_ids.name)

    @freeze_time("2026-04-20")
    def test_wizard_warns_when_the_four_weeks_passed(self):
        complaint = self.create_complaint()
        wizard = (
            self.env["municipal.complaint.close.wizard"]
            .with_user(self.coordinator)
            .create({"complaint_id": complaint.id, "handling": "not_handled"})
        )
        self.assertTrue(wizard.not_handled_late)


class TestClosingOtherKinds(ClosingCase):
    @freeze_time("2026-04-01")
    def test_policy_case_closes_with_an_explanation(self):
        complaint = self.create_complaint(category_id=self.category_beleid.id)
        with self.assertRaisesRegex(UserError, "explanation of the policy"):
            self.close(complaint, {"handling": "informal"})
        self.close(
            complaint,
            {"handling": "informal", "resolution_note": "<p>Beleid uitgelegd.</p>"},
        )
        self.assertEqual(complaint.stage_id, self.stage_closed)
        self.assertFalse(
            complaint.handling, "policy cases are not counted as handled complaints"
        )
        self.assertFalse(complaint.term_outcome)

    @freeze_time("2026-04-01")
    def test_referral_case_closes_with_the_mediation_result(self):
        complaint = self.create_complaint(
            category_id=self.category_doorverwijzing.id, mediation_state="ongoing"
        )
        with self.assertRaisesRegex(UserError, "result of the mediation"):
            self.close(complaint, {})
        self.close(complaint, {"mediation_state": "succeeded"})
        self.assertEqual(complaint.mediation_state, "succeeded")
        self.assertTrue(complaint.closed_date)

    @freeze_time("2026-04-01")
    def test_proactive_case_closes_with_what_the_contact_led_to(self):
        complaint = self.create_complaint(category_id=self.category_proactief.id)
        with self.assertRaisesRegex(
            UserError, "what the contact with the citizen led to"
        ):
            self.close(complaint, {})
        self.close(
            complaint,
            {"resolution_note": "<p>Afspraak gemaakt, escalatie voorkomen.</p>"},
        )
        self.assertTrue(complaint.closed_date)


class TestReopen(ClosingCase):
    @freeze_time("2026-04-01")
    def test_coordinator_reopens_with_a_reason(self):
        complaint = self.create_complaint()
        self.close(complaint, self.informal_values())
        self.assertEqual(complaint.term_outcome, "within")
        wizard = (
            self.env["municipal.complaint.reopen.wizard"]
            .with_user(self.coordinator)
            .create(
                {
                    "complaint_id": complaint.id,
                    "reason": "Klager belt: de toezegging is niet nagekomen.",
                }
            )
        )
        wizard.action_reopen()
        self.assertFalse(complaint.closed_date)
        self.assertEqual(complaint.stage_id, self.stage_in_progress)
        self.assertEqual(complaint.term_outcome, "open")
        self.assertIn("de toezegging is niet nagekomen", complaint.message_ids[0].body)
        # and it can be closed again
        self.close(complaint, self.informal_values())
        self.assertTrue(complaint.closed_date)

    @freeze_time("2026-04-01")
    def test_reopen_refusals(self):
        complaint = self.create_complaint(user_id=self.employee.id)
        with self.assertRaisesRegex(UserError, "is not closed"):
            complaint.with_user(self.coordinator).action_reopen("Vergissing")
        self.close(complaint, self.informal_values())
        with self.assertRaisesRegex(UserError, "reason"):
            complaint.with_user(self.coordinator).action_reopen("  ")
        with self.assertRaises(AccessError):
            complaint.with_user(self.employee).action_reopen("Ik wil verder")
        self.assertTrue(complaint.closed_date)


class TestClosingValues(ClosingCase):
    @freeze_time("2026-04-01")
    def test_a_new_case_cannot_start_in_the_closing_stage(self):
        """Clicking Afgehandeld on a new form would skip the closing step."""
        count = self.Complaint.search_count([])
        with self.assertRaisesRegex(UserError, "Close a case with the Close button"):
            self.create_complaint(stage_id=self.stage_closed.id)
        with self.assertRaisesRegex(UserError, "Close a case with the Close button"):
            self.Complaint.with_user(self.coordinator).with_context(
                default_stage_id=self.stage_closed.id
            ).create({"subject": "Snel", "category_id": self.category_bejegening.id})
        self.assertEqual(self.Complaint.search_count([]), count)

    def test_an_imported_closed_date_is_kept_without_the_closing_stage(self):
        """A historic register imported without a stage column: the cases
        keep the date they were closed on, and land in the closing stage."""
        complaint = self.create_complaint(
            received_date=date(2020, 3, 2),
            handling="informal",
            resolution_note="<p>Opgelost.</p>",
            closed_date=date(2020, 3, 20),
        )
        self.assertEqual(complaint.closed_date, date(2020, 3, 20))
        self.assertEqual(complaint.stage_id, self.stage_closed)
        self.assertEqual(complaint.deadline_state, "done")
        self.assertEqual(complaint.term_outcome, "within")

    def test_the_closing_step_sets_only_closing_fields(self):
        complaint = self.create_complaint()
        with self.assertRaisesRegex(UserError, "cannot set received_date"):
            self.close(complaint, self.informal_values(received_date=date(2026, 1, 1)))
        self.assertEqual(complaint.received_date, date(2026, 3, 11))
        self.assertFalse(complaint.closed_date)


class TestClosingButtons(ClosingCase):
    def form_arch(self, user):
        views = (
            self.env["municipal.complaint"].with_user(user).get_views([(False, "form")])
        )
        return views["views"]["form"]["arch"]

    def test_only_coordinators_see_the_closing_buttons(self):
        coordinator_arch = self.form_arch(self.coordinator)
        employee_arch = self.form_arch(self.employee)
        for button in (
            "action_open_close_wizard",
            "action_open_reopen_wizard",
            "action_open_ombudsman_wizard",
            "action_create_improvement",
        ):
            self.assertIn(f'name="{button}"', coordinator_arch)
            self.assertNotIn(f'name="{button}"', employee_arch)
        self.assertIn("must not contain names, addresses", coordinator_arch)

    def test_the_buttons_open_their_step_on_the_case_for_a_coordinator(self):
        complaint = self.create_complaint(user=self.employee, user_id=self.employee.id)
        for button, wizard, title in (
            ("action_open_close_wizard", "close", f"Close {complaint.name}"),
            ("action_open_reopen_wizard", "reopen", f"Reopen {complaint.name}"),
            ("action_open_ombudsman_wizard", "ombudsman", "Nationale ombudsman"),
        ):
            action = getattr(complaint.with_user(self.coordinator), button)()
            self.assertEqual(
                action["res_model"], f"municipal.complaint.{wizard}.wizard"
            )
            self.assertEqual(action["name"], title)
            self.assertEqual(action["target"], "new")
            self.assertEqual(action["context"], {"default_complaint_id": complaint.id})
            with self.assertRaises(AccessError):
                getattr(complaint.with_user(self.employee), button)()
