from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError

from .closing_common import ClosingCase


class TestOmbudsman(ClosingCase):
    """Escalation to the Nationale ombudsman: after the Dienst's
    own handling, within a year."""

    def record(self, complaint, user=None, **values):
        return complaint.with_user(user or self.coordinator).action_record_ombudsman(
            values
        )

    def submit_by_the_dienst(self, complaint, escalation_date, user=None):
        """The Dienst submits the case, with the complainant's consent."""
        return self.record(
            complaint,
            user=user,
            ombudsman_initiator="service",
            ombudsman_consent=True,
            ombudsman_date=escalation_date,
        )

    def closed_complaint(self):
        with freeze_time("2026-04-01"):
            complaint = self.create_complaint()
            self.close(complaint, self.formal_values())
        return complaint

    def test_window_is_one_year_from_the_conclusion(self):
        complaint = self.closed_complaint()
        self.assertEqual(complaint.closed_date, date(2026, 4, 1))
        self.assertEqual(complaint.ombudsman_window_end, date(2027, 4, 1))

    @freeze_time("2027-04-01")
    def test_complainant_within_the_window(self):
        complaint = self.closed_complaint()
        self.record(
            complaint,
            ombudsman_initiator="complainant",
            ombudsman_date=date(2027, 4, 1),
            ombudsman_reference="2027.01234",
        )
        self.assertEqual(complaint.ombudsman_date, date(2027, 4, 1))
        self.assertEqual(complaint.ombudsman_reference, "2027.01234")
        self.assertFalse(complaint.ombudsman_outside_window)
        self.assertEqual(
            complaint.term_outcome, "within", "closed within the term before it went on"
        )

    @freeze_time("2027-04-02")
    def test_complainant_outside_the_window_is_recorded_with_a_warning(self):
        complaint = self.closed_complaint()
        wizard = (
            self.env["municipal.complaint.ombudsman.wizard"]
            .with_user(self.coordinator)
            .with_context(default_complaint_id=complaint.id)
            .create({})
        )
        self.assertEqual(
            wizard.ombudsman_initiator,
            "complainant",
            "a closed case: the complainant goes on",
        )
        self.assertEqual(wizard.ombudsman_date, date(2027, 4, 2))
        self.assertEqual(wizard.window_end, date(2027, 4, 1))
        self.assertTrue(wizard.outside_window, "the wizard warns")
        wizard.action_record()
        self.assertEqual(
            complaint.ombudsman_date, date(2027, 4, 2), "recorded all the same"
        )
        self.assertTrue(complaint.ombudsman_outside_window)
        self.assertIn(
            "more than a year after the conclusion", complaint.message_ids[0].body
        )

    def test_complainant_goes_to_the_ombudsman_after_the_own_handling(self):
        complaint = self.create_complaint()
        with self.assertRaisesRegex(UserError, "close .* first"):
            self.record(
                complaint,
                ombudsman_initiator="complainant",
                ombudsman_date=date(2026, 3, 20),
            )
        self.assertFalse(complaint.ombudsman_date)

    def test_the_dienst_submits_only_with_consent(self):
        complaint = self.create_complaint()
        with self.assertRaisesRegex(UserError, "consent"):
            self.record(
                complaint,
                ombudsman_initiator="service",
                ombudsman_date=date(2026, 4, 10),
            )
        self.assertFalse(complaint.ombudsman_date)
        self.submit_by_the_dienst(complaint, date(2026, 4, 10))
        self.assertEqual(complaint.ombudsman_initiator, "service")
        self.assertFalse(complaint.closed_date, "the Dienst may submit an open case")

    def test_submitted_before_the_legal_term_counts_as_ombudsman(self):
        """The 2020 report's case: submitted by the Dienst with
        consent, closed after the finding."""
        with freeze_time("2026-04-10"):
            complaint = self.create_complaint()
            self.submit_by_the_dienst(complaint, date(2026, 4, 10))
        with freeze_time("2026-06-15"):
            self.record(
                complaint,
                ombudsman_finding="not_at_fault",
                ombudsman_advice="Tijdelijke financiële oplossing",
                ombudsman_followup="Voorschot toegekend",
            )
            self.close(complaint, self.formal_values(judgment="unfounded", norm_ids=[]))
        self.assertEqual(complaint.closed_date, date(2026, 6, 15))
        self.assertGreater(complaint.closed_date, complaint.legal_deadline)
        self.assertEqual(complaint.term_outcome, "ombudsman")
        self.assertEqual(complaint.ombudsman_finding, "not_at_fault")

    def test_submitted_after_the_legal_term_stays_late(self):
        with freeze_time("2026-05-04"):
            complaint = self.create_complaint()
            self.submit_by_the_dienst(complaint, date(2026, 5, 4))
            self.assertEqual(complaint.term_outcome, "late")

    @freeze_time("2026-04-10")
    def test_open_case_submitted_in_time_counts_as_ombudsman(self):
        complaint = self.create_complaint()
        self.assertEqual(complaint.term_outcome, "open")
        self.submit_by_the_dienst(complaint, date(2026, 4, 9))
        self.assertEqual(complaint.term_outcome, "ombudsman")

    @freeze_time("2027-01-10")
    def test_advice_needs_a_finding_and_an_escalation(self):
        complaint = self.closed_complaint()
        with self.assertRaisesRegex(UserError, "who went to the Nationale ombudsman"):
            self.record(complaint, ombudsman_finding="at_fault")
        self.record(
            complaint,
            ombudsman_initiator="complainant",
            ombudsman_date=date(2027, 1, 5),
        )
        with self.assertRaisesRegex(UserError, "finding of the Nationale ombudsman"):
            self.record(complaint, ombudsman_advice="Excuses aanbieden")
        self.record(
            complaint, ombudsman_finding="partly", ombudsman_advice="Excuses aanbieden"
        )
        self.assertEqual(complaint.ombudsman_finding, "partly")

    @freeze_time("2026-04-10")
    def test_escalation_date_cannot_be_in_the_future_or_before_receipt(self):
        complaint = self.create_complaint()
        with self.assertRaises(ValidationError):
            self.submit_by_the_dienst(complaint, date(2026, 4, 11))
        with self.assertRaises(ValidationError):
            self.submit_by_the_dienst(complaint, date(2026, 3, 1))

    def test_only_a_coordinator_escalates(self):
        complaint = self.create_complaint(user=self.employee)
        with self.assertRaises(AccessError):
            self.submit_by_the_dienst(complaint, date(2026, 3, 20), user=self.employee)
