"""Retention dates (Selectielijst gemeenten, docs/rules.md "Privacy and retention"):
5 years after the decision, 10 with the Nationale ombudsman, 1 when not handled or
withdrawn; the company's terms apply to every case not destroyed yet."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError

from .closing_common import ClosingCase
from .common import MODULE


class TestRetentionDates(ClosingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outcome_withdrawn = cls.env.ref(f"{MODULE}.outcome_ingetrokken")

    def closed_case(self, **values):
        vals = {
            "closed_date": date(2026, 4, 1),
            "handling": "informal",
            "resolution_note": "<p>Opgelost.</p>",
            "outcome_ids": self.outcome_excuses.ids,
        }
        vals.update(values)
        return self.create_complaint(**vals)

    def test_open_case_has_no_retention_date(self):
        self.assertFalse(self.create_complaint().retention_date)

    def test_closed_case_is_kept_five_years_after_the_decision(self):
        self.assertEqual(self.closed_case().retention_date, date(2031, 4, 1))

    def test_policy_and_referral_cases_are_kept_five_years_too(self):
        policy = self.closed_case(
            category_id=self.category_beleid.id, handling=False, outcome_ids=[]
        )
        referral = self.closed_case(
            category_id=self.category_doorverwijzing.id,
            handling=False,
            mediation_state="succeeded",
        )
        self.assertEqual(policy.retention_date, date(2031, 4, 1))
        self.assertEqual(referral.retention_date, date(2031, 4, 1))

    def test_nationale_ombudsman_keeps_a_case_ten_years(self):
        complaint = self.closed_case(
            ombudsman_initiator="complainant", ombudsman_date=date(2026, 5, 1)
        )
        self.assertEqual(complaint.retention_date, date(2036, 4, 1))

    def test_not_handled_complaint_is_kept_one_year(self):
        complaint = self.closed_case(
            handling="not_handled",
            not_handled_reason="over_a_year",
            resolution_note=False,
            outcome_ids=[],
        )
        self.assertEqual(complaint.retention_date, date(2027, 4, 1))

    def test_withdrawn_complaint_is_kept_one_year(self):
        complaint = self.closed_case(outcome_ids=self.outcome_withdrawn.ids)
        self.assertTrue(self.outcome_withdrawn.is_withdrawal)
        self.assertEqual(complaint.retention_date, date(2027, 4, 1))

    def test_ombudsman_outweighs_the_short_term(self):
        complaint = self.closed_case(
            handling="not_handled",
            not_handled_reason="trivial",
            resolution_note=False,
            ombudsman_initiator="complainant",
            ombudsman_date=date(2026, 5, 1),
        )
        self.assertEqual(complaint.retention_date, date(2036, 4, 1))

    @freeze_time("2026-03-25")
    def test_closing_step_sets_the_date_and_escalation_extends_it(self):
        complaint = self.create_complaint()
        self.close(complaint, self.informal_values())
        self.assertEqual(complaint.retention_date, date(2031, 3, 25))
        complaint.with_user(self.coordinator).action_record_ombudsman(
            {"ombudsman_initiator": "complainant", "ombudsman_date": date(2026, 3, 25)}
        )
        self.assertEqual(complaint.retention_date, date(2036, 3, 25))
        complaint.with_user(self.coordinator).action_reopen("Nieuwe feiten")
        self.assertFalse(complaint.retention_date)

    def test_marking_an_outcome_as_withdrawal_recomputes_its_cases(self):
        complaint = self.closed_case(outcome_ids=self.outcome_uitleg.ids)
        self.assertEqual(complaint.retention_date, date(2031, 4, 1))
        self.outcome_uitleg.with_user(self.manager).write({"is_withdrawal": True})
        self.assertEqual(complaint.retention_date, date(2027, 4, 1))

    def test_changed_terms_apply_to_cases_not_destroyed_only(self):
        kept = self.closed_case()
        destroyed = self.closed_case(
            received_date=date(2020, 2, 3), closed_date=date(2020, 3, 1)
        )
        destroyed.with_user(self.coordinator)._anonymise()
        self.assertEqual(destroyed.retention_date, date(2025, 3, 1))
        wizard = (
            self.env["municipal.complaint.config.wizard"]
            .with_user(self.manager)
            .create({})
        )
        self.assertEqual(wizard.complaint_retention_years, 5)
        wizard.write(
            {
                "complaint_retention_years": 7,
                "complaint_retention_ombudsman_years": 12,
                "complaint_retention_short_years": 2,
            }
        )
        wizard.action_save()
        self.assertEqual(self.company.complaint_retention_years, 7)
        self.assertEqual(kept.retention_date, date(2033, 4, 1))
        self.assertEqual(destroyed.retention_date, date(2025, 3, 1))

    def test_a_term_is_at_least_one_year(self):
        with self.assertRaises(ValidationError):
            self.company.write({"complaint_retention_short_years": 0})
        with self.assertRaises(ValidationError):
            self.company.write({"complaint_access_log_months": 0})

    def test_only_an_administrator_changes_the_terms(self):
        Wizard = self.env["municipal.complaint.config.wizard"]
        with self.assertRaises(AccessError):
            Wizard.with_user(self.coordinator).create({"complaint_retention_years": 1})
        with self.assertRaises(AccessError):
            self.company.with_user(self.coordinator).write(
                {"complaint_retention_years": 1}
            )
        self.assertEqual(self.company.complaint_retention_years, 5)

    def test_nobody_brings_the_retention_date_forward(self):
        complaint = self.closed_case()
        for user in (self.coordinator, self.manager):
            with self.assertRaises(UserError):
                complaint.with_user(user).write({"retention_date": date(2020, 1, 1)})
        self.assertEqual(complaint.retention_date, date(2031, 4, 1))
