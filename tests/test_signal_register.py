"""From a signal to a case, or dismissed with a reason; counted as recognised by the
detector."""

from odoo import fields
from odoo.exceptions import UserError

from .common import MODULE
from .signal_common import SignalCase


class TestSignalDecision(SignalCase):
    def setUp(self):
        super().setUp()
        self.citizen.user_id = self.employee
        self.Complaint = self.Complaint.with_context(complaint_no_acknowledgment=True)
        self.message = self.post()
        self.score()
        self.signal = self.signals_of(self.message).with_user(self.employee)
        self.signal.ensure_one()

    def register(self, signal=None):
        signal = (signal or self.signal).with_context(complaint_no_acknowledgment=True)
        action = signal.action_register_complaint()
        return self.env["municipal.complaint"].browse(action["res_id"])

    def test_registering_creates_a_prefilled_case_linked_to_the_message(self):
        complaint = self.register()
        self.assertEqual(complaint.partner_id, self.citizen)
        self.assertIn("niet teruggebeld", complaint.description)
        self.assertEqual(complaint.channel, "web_form")
        self.assertEqual(complaint.recognition, "detector")
        self.assertEqual(complaint.source_message_id, self.message)
        self.assertEqual(
            complaint.received_date,
            fields.Date.context_today(complaint, timestamp=self.message.date),
        )
        self.assertEqual(
            complaint.category_id, self.env.ref(f"{MODULE}.category_overig")
        )
        self.assertTrue(complaint.subject.startswith("Ik heb drie weken geleden"))
        self.assertEqual(complaint.create_uid, self.employee)
        self.assertEqual(complaint.signal_ids, self.signal)
        self.assertEqual(complaint.signal_count, 1)
        # the signal remembers the decision; its activity is done
        self.assertEqual(self.signal.state, "registered")
        self.assertEqual(self.signal.complaint_id, complaint)
        self.assertEqual(self.signal.decided_user_id, self.employee)
        self.assertFalse(self.activities_of(self.signal))
        # the employee sees the case they registered
        self.assertTrue(complaint.with_user(self.employee).has_access("read"))

    def test_an_email_becomes_a_case_by_email(self):
        message = self.post(message_type="email")
        self.score()
        complaint = self.register(self.signals_of(message).with_user(self.employee))
        self.assertEqual(complaint.channel, "email")

    def test_a_signal_is_decided_once(self):
        self.register()
        with self.assertRaises(UserError):
            self.register()
        with self.assertRaises(UserError):
            self.signal._dismiss("toch geen klacht")
        self.assertEqual(self.signal.state, "registered")
        self.assertEqual(
            self.Complaint.search_count([("source_message_id", "=", self.message.id)]),
            1,
        )
        # and its message is not scored again
        self.score()
        self.assertEqual(self.signals_of(self.message), self.signal)

    def test_dismissing_needs_a_reason_and_keeps_it(self):
        Wizard = self.env["municipal.complaint.signal.dismiss.wizard"].with_user(
            self.employee
        )
        action = self.signal.action_open_dismiss_wizard()
        self.assertEqual(action["res_model"], Wizard._name)
        with self.assertRaises(UserError):
            Wizard.create(
                {"signal_id": self.signal.id, "reason": "   "}
            ).action_dismiss()
        self.assertEqual(self.signal.state, "new")
        self.assertTrue(self.activities_of(self.signal))
        Wizard.create(
            {"signal_id": self.signal.id, "reason": "Vraag over de betaaldatum"}
        ).action_dismiss()
        self.assertEqual(self.signal.state, "dismissed")
        self.assertEqual(self.signal.dismiss_reason, "Vraag over de betaaldatum")
        self.assertEqual(self.signal.decided_user_id, self.employee)
        self.assertFalse(self.activities_of(self.signal))
        self.assertIn(
            "Vraag over de betaaldatum",
            self.signal.message_ids.mapped("body")[0],
        )
        with self.assertRaises(UserError):
            self.register()

    def test_a_case_from_a_signal_counts_as_recognised_by_the_detector(self):
        complaint = self.register()
        year = complaint.received_date.year
        staff = self.create_complaint(
            received_date=complaint.received_date, recognition="staff"
        )
        Complaint = self.Complaint.with_user(self.coordinator)
        before = Complaint._get_annual_figures(year)["by_recognition"]
        self.assertGreaterEqual(before.get("detector", 0), 1)
        self.assertGreaterEqual(before.get("staff", 0), 1)
        # one more of each way, counted where it belongs
        self.create_complaint(received_date=staff.received_date, recognition="staff")
        after = Complaint._get_annual_figures(year)["by_recognition"]
        self.assertEqual(after["staff"], before["staff"] + 1)
        self.assertEqual(after["detector"], before["detector"])
        self.assertEqual(
            list(after),
            [key for key in ("citizen", "staff", "detector") if key in after],
        )
        # the Knelpunten analysis shows the same cases as recognised
        Analysis = self.env["municipal.complaint.analysis"].with_user(self.coordinator)
        rows = Analysis.search([("complaint_id", "in", (complaint | staff).ids)])
        self.assertEqual(
            {
                row.complaint_id: (
                    row.recognition,
                    row.recognised_rate,
                    row.detector_rate,
                )
                for row in rows
            },
            {complaint: ("detector", 100.0, 100.0), staff: ("staff", 100.0, 0.0)},
        )

    def test_intake_by_staff_defaults_to_called_a_complaint_and_may_change(self):
        complaint = self.create_complaint(user=self.employee)
        self.assertEqual(complaint.recognition, "citizen")
        complaint.with_user(self.employee).recognition = "staff"
        self.assertEqual(complaint.recognition, "staff")

    def test_the_signal_analysis_gives_the_share_registered_per_month(self):
        self.register()
        second = self.post()
        self.score()
        other = self.signals_of(second).with_user(self.employee)
        other._dismiss("Geen klacht: vraag over de stadspas")
        third = self.post()
        self.score()
        Analysis = self.env["municipal.complaint.signal.analysis"].with_user(
            self.coordinator
        )
        ids = (self.signal | other | self.signals_of(third)).ids
        groups = Analysis._read_group(
            [("signal_id", "in", ids)],
            groupby=["date:month"],
            aggregates=[
                "signal_count:sum",
                "registered_count:sum",
                "dismissed_count:sum",
                "new_count:sum",
                "registered_rate:avg",
            ],
        )
        self.assertEqual(len(groups), 1)
        _month, total, registered, dismissed, new, rate = groups[0]
        self.assertEqual((total, registered, dismissed, new), (3, 1, 1, 1))
        self.assertEqual(rate, 50.0, "of the decided signals, half was registered")
