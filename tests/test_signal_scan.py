"""Scoring the messages after they are stored: once per message, only citizens'
messages on the watched records, a signal and an activity per hit."""

from unittest.mock import patch

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user

from .common import MODULE
from .signal_common import QUESTION_TEXT, SignalCase


class TestSignalScan(SignalCase):
    def test_a_complaint_on_a_contact_gives_one_signal_and_one_activity(self):
        self.citizen.user_id = self.employee
        message = self.post()
        self.assertFalse(self.signals_of(message), "posting itself scores nothing")
        self.score()
        signal = self.signals_of(message)
        self.assertEqual(len(signal), 1)
        self.assertEqual(signal.res_model, "res.partner")
        self.assertEqual(signal.res_id, self.citizen.id)
        self.assertEqual(signal.partner_id, self.citizen)
        self.assertEqual(signal.company_id, self.company)
        self.assertEqual(signal.state, "new")
        self.assertEqual(signal.message_type, "comment")
        self.assertEqual(signal.date, message.date)
        self.assertGreaterEqual(signal.score, self.company.complaint_signal_threshold)
        self.assertIn("niet teruggebeld", signal.terms)
        self.assertIn("ontevreden", signal.terms)
        self.assertEqual(signal.user_id, self.employee)
        activity = self.activities_of(signal)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.activity_type)
        self.assertEqual(activity.user_id, self.employee)
        self.assertEqual(activity.summary, "Possible complaint recognised")
        # the signal shows the message from where it is stored
        self.assertIn("niet teruggebeld", signal.body)

        # a second run finds nothing new
        self.score()
        self.assertEqual(self.signals_of(message), signal)
        self.assertEqual(self.activities_of(signal), activity)
        self.assertEqual(
            self.Signal.sudo().search_count([("res_id", "=", self.citizen.id)]), 1
        )

    def test_coordinators_judge_when_nobody_is_responsible(self):
        other = self.env["res.company"].create({"name": "Dienst Elders"})
        coordinator_elsewhere = new_test_user(
            self.env,
            "mc_coordinator_elders",
            groups=f"{MODULE}.group_complaint_coordinator",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        message = self.post()
        self.score()
        signal = self.signals_of(message)
        self.assertFalse(signal.user_id)
        coordinators = self.env.ref(
            f"{MODULE}.group_complaint_coordinator"
        ).all_user_ids.filtered(
            lambda user: (
                user.active and not user.share and self.company in user.company_ids
            )
        )
        self.assertIn(self.coordinator, coordinators)
        activities = self.activities_of(signal)
        self.assertEqual(activities.user_id, coordinators)
        self.assertEqual(len(activities), len(coordinators))
        self.assertNotIn(coordinator_elsewhere, activities.user_id)

    def test_a_responsible_user_outside_complaint_handling_is_not_assigned(self):
        self.citizen.user_id = self.outsider  # internal, but no complaint rights
        message = self.post()
        self.score()
        signal = self.signals_of(message)
        self.assertFalse(signal.user_id)
        self.assertIn(self.coordinator, self.activities_of(signal).user_id)
        self.assertNotIn(self.outsider, self.activities_of(signal).user_id)

    def test_an_ordinary_message_gives_nothing_and_is_never_scored_again(self):
        message = self.post(body=QUESTION_TEXT)
        self.score()
        self.assertFalse(self.signals_of(message))
        # even once a rule would recognise it, a message is scored once
        self.env["municipal.complaint.signal.rule"].create(
            {"phrase": "uitkering ... betaald", "weight": 0.9}
        )
        self.assertTrue(self.Signal._detect(message.body)["is_signal"])
        self.score()
        self.assertFalse(self.signals_of(message))
        self.assertEqual(self.Signal._get_high_water(), message.id)

    def test_email_from_a_citizen_is_scored(self):
        message = self.post(message_type="email")
        self.score()
        self.assertEqual(self.signals_of(message).message_type, "email")

    def test_messages_of_the_dienst_itself_are_not_scored(self):
        internal_note = self.post(author=self.employee.partner_id)
        odoobot = self.post(author=self.env.ref("base.partner_root"))
        self.score()
        self.assertFalse(self.signals_of(internal_note | odoobot))

    def test_only_watched_models_are_scored(self):
        self.company.complaint_signal_model_ids = False
        unwatched = self.post()
        self.score()
        self.assertFalse(self.signals_of(unwatched))
        self.company.complaint_signal_model_ids = self.env["ir.model"]._get(
            "res.partner"
        )
        watched = self.post()
        self.score()
        self.assertTrue(self.signals_of(watched))
        self.assertFalse(self.signals_of(unwatched), "not scored after the fact")

    def test_a_case_is_never_watched(self):
        for model in ("municipal.complaint", "municipal.complaint.signal"):
            with self.assertRaises(ValidationError):
                self.company.complaint_signal_model_ids = self.env["ir.model"]._get(
                    model
                )
        complaint = self.create_complaint()
        message = self.post(record=complaint)
        self.score()
        self.assertFalse(self.signals_of(message))

    def test_a_message_already_registered_as_a_case_is_skipped(self):
        message = self.post()
        # registered from the message as the signal step does (a user cannot name it)
        self.create_complaint(recognition="staff").sudo().write(
            {"source_message_id": message.id}
        )
        self.score()
        self.assertFalse(self.signals_of(message))

    def test_batches_report_progress_and_move_the_mark(self):
        messages = self.env["mail.message"]
        for _n in range(5):
            messages |= self.post()
        self.score(batch_size=2)
        self.assertEqual(len(self.signals_of(messages)), 5)
        self.assertEqual(self.progress[0], (0, {"remaining": 5}))
        self.assertEqual([done for done, _kw in self.progress[1:4]], [2, 2, 1])
        self.assertEqual(self.progress[-1], (0, {"remaining": 0}))
        self.assertEqual(self.Signal._get_high_water(), max(messages.ids))

    def test_a_run_out_of_time_goes_on_where_it_stopped(self):
        messages = self.env["mail.message"]
        for _n in range(5):
            messages |= self.post()
        with patch.object(
            type(self.env["ir.cron"]), "_commit_progress", return_value=0.0
        ):
            self.score(batch_size=2)
        self.assertEqual(len(self.signals_of(messages)), 2)
        self.score(batch_size=2)
        self.assertEqual(len(self.signals_of(messages)), 5)

    def test_a_message_on_a_deleted_record_is_skipped(self):
        gone = self.env["res.partner"].create({"name": "Tijdelijk contact"})
        message = self.post(record=gone, author=self.citizen)
        gone.unlink()
        self.score()
        self.assertFalse(self.Signal.sudo().search([("res_id", "=", gone.id)]))
        self.assertFalse(message.exists() and self.signals_of(message))
