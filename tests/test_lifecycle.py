"""The legal record changes only through its steps: every state field refuses a plain
write (form, import dialog, JSON-RPC) by a Medewerker and by a coordinator, the steps
still work, and only a Beheerder imports a historic register with its state."""

import base64
from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.municipal_complaint.models.complaint_lifecycle import (
    HISTORY_IMPORT_KEY,
    STATE_FIELDS,
    TRANSITION_KEY,
)

from .common import MODULE, ComplaintCase


def forged_value(complaint, name):
    """A value a caller could try to write into state field ``name``."""
    field = complaint._fields[name]
    env = complaint.env
    if name == "stage_id":
        return env.ref(f"{MODULE}.stage_closed").id
    if name == "referral_partner_id":
        return (
            env["res.partner"]
            .sudo()
            .create(
                {"name": "Partner BV", "is_company": True, "is_complaint_partner": True}
            )
            .id
        )
    if name == "postpone_consent_attachment_id":
        return (
            env["ir.attachment"]
            .sudo()
            .create({"name": "elders.pdf", "raw": b"x", "res_model": "res.partner"})
            .id
        )
    if field.type == "date":
        return "2026-03-20"
    if field.type == "boolean":
        return True
    if field.type == "integer":
        return 3
    if field.type == "selection":
        values = [key for key, _label in field._description_selection(env)]
        return next(v for v in values if v not in ("none", complaint[name]))
    return "Vervalst"


@freeze_time("2026-04-01")
class TestStateFieldsOnlyThroughSteps(ComplaintCase):
    def test_every_state_field_refuses_a_plain_write(self):
        for user in (self.employee, self.coordinator):
            complaint = self.create_complaint(user=user, user_id=user.id)
            for name in sorted(STATE_FIELDS):
                with self.subTest(user=user.login, field=name):
                    value = forged_value(complaint, name)
                    with self.assertRaises(UserError), self.env.cr.savepoint():
                        complaint.with_user(user).write({name: value})
            complaint.invalidate_recordset()
            self.assertFalse(complaint.closed_date)
            self.assertFalse(complaint.referral_partner_id)
            self.assertEqual(complaint.stage_id, self.stage_received)

    def test_a_new_case_brings_no_state(self):
        for user in (self.employee, self.coordinator):
            for name in (
                "closed_date",
                "contact_date",
                "referral_partner_id",
                "ombudsman_date",
                "postponed",
                "acknowledgment_date",
            ):
                with self.subTest(user=user.login, field=name):
                    complaint = self.Complaint.browse()
                    value = forged_value(self.create_complaint(), name)
                    with self.assertRaises(UserError), self.env.cr.savepoint():
                        complaint = self.Complaint.with_user(user).create(
                            {
                                "subject": "Vervalst",
                                "category_id": self.category_bejegening.id,
                                name: value,
                            }
                        )
                    self.assertFalse(complaint)

    def test_context_defaults_fill_no_state(self):
        Complaint = self.Complaint.with_user(self.coordinator)
        values = {"subject": "Via context", "category_id": self.category_bejegening.id}
        with self.assertRaises(UserError):
            Complaint.with_context(default_closed_date="2026-03-20").create(values)
        with self.assertRaises(UserError):
            Complaint.with_context(default_stage_id=self.stage_closed.id).create(values)
        # a kanban column's default stage is dropped: a new case starts at the start
        complaint = Complaint.with_context(
            default_stage_id=self.stage_contacted.id
        ).create(values)
        self.assertEqual(complaint.stage_id, self.stage_received)

    def test_a_context_key_does_not_open_the_state(self):
        """The transitions' mark is a Python object: a JSON value never matches it."""
        complaint = self.create_complaint()
        for context in (
            {TRANSITION_KEY: True},
            {TRANSITION_KEY: "object"},
            {"install_mode": True},
        ):
            with self.assertRaises(UserError), self.env.cr.savepoint():
                complaint.with_context(**context).write({"closed_date": "2026-03-20"})
        with self.assertRaises(AccessError):
            complaint.with_context(**{HISTORY_IMPORT_KEY: True}).write(
                {"closed_date": "2026-03-20"}
            )
        self.assertFalse(complaint.closed_date)

    def test_the_steps_still_change_the_state(self):
        complaint = self.create_complaint(user=self.employee, user_id=self.employee.id)
        complaint.with_user(self.employee).action_contact_made()
        self.assertEqual(complaint.contact_date, date(2026, 4, 1))
        complaint.with_user(self.coordinator).action_postpone("Wachten op UWV", weeks=2)
        self.assertTrue(complaint.postponed)
        complaint.with_user(self.coordinator).action_close(
            {
                "handling": "informal",
                "resolution_note": "<p>Teruggebeld.</p>",
                "informal_agreement_date": date(2026, 3, 30),
                "informal_agreement_how": "phone",
                "outcome_ids": self.env.ref(f"{MODULE}.outcome_excuses").ids,
            }
        )
        self.assertEqual(complaint.closed_date, date(2026, 4, 1))
        complaint.with_user(self.coordinator).action_reopen("Toezegging niet nagekomen")
        self.assertFalse(complaint.closed_date)

    def test_stage_moves_follow_the_facts(self):
        in_progress = self.env.ref(f"{MODULE}.stage_in_progress")
        referred = self.env.ref(f"{MODULE}.stage_referred")
        complaint = self.create_complaint(user=self.employee, user_id=self.employee.id)
        as_employee = complaint.with_user(self.employee)
        for stage, message in (
            (self.stage_closed, "Close button"),
            (referred, "referral"),
            (in_progress, "contacted"),
        ):
            with self.assertRaisesRegex(UserError, message), self.env.cr.savepoint():
                as_employee.stage_id = stage
        as_employee.action_contact_made()
        as_employee.stage_id = in_progress
        self.assertEqual(complaint.stage_id, in_progress)


@freeze_time("2026-04-01")
class TestClosedRecordAndCoordinatorFields(ComplaintCase):
    def test_a_closed_case_keeps_what_it_was_handled_under(self):
        complaint = self.create_complaint(
            handling="informal",
            resolution_note="<p>Opgelost.</p>",
            closed_date=date(2026, 3, 20),
        )
        for name, value in (
            ("category_id", self.category_beleid.id),
            ("channel", "letter"),
            ("handling", "formal"),
            ("resolution_note", "<p>Anders opgeschreven.</p>"),
            ("partner_id", False),
        ):
            with self.subTest(field=name):
                with self.assertRaisesRegex(UserError, "reopen it first"):
                    with self.env.cr.savepoint():
                        complaint.with_user(self.coordinator).write({name: value})
        # its subject and description may still be corrected
        complaint.with_user(
            self.coordinator
        ).subject = "Niet teruggebeld (gecorrigeerd)"
        self.assertEqual(complaint.category_id, self.category_bejegening)

    def test_only_a_coordinator_archives_or_moves_the_receipt(self):
        complaint = self.create_complaint(user=self.employee, user_id=self.employee.id)
        as_employee = complaint.with_user(self.employee)
        for values in (
            {"active": False},
            {"received_date": "2026-03-02"},
            {"advisory_committee": True},
            {"is_story": True, "story_title": "Verhaal", "story_text": "Tekst."},
        ):
            with self.subTest(values=values):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    as_employee.write(values)
        with self.assertRaises(AccessError):
            self.Complaint.with_user(self.employee).with_context(
                default_active=False
            ).create(
                {"subject": "Verborgen", "category_id": self.category_bejegening.id}
            )
        complaint.with_user(self.coordinator).received_date = date(2026, 3, 12)
        self.assertEqual(complaint.received_date, date(2026, 3, 12))


@freeze_time("2026-04-01")
class TestHistoryImport(ComplaintCase):
    def values(self):
        return {
            "subject": "Uit het register van 2019",
            "category_id": self.category_bejegening.id,
            "channel": "letter",
            "received_date": "2019-05-06",
            "handling": "informal",
            "resolution_note": "<p>Opgelost.</p>",
            "closed_date": "2019-05-20",
            "contact_date": "2019-05-08",
        }

    def test_a_beheerder_imports_a_closed_case(self):
        complaint = (
            self.Complaint.with_user(self.manager)
            .with_context(
                **{HISTORY_IMPORT_KEY: True}, complaint_no_acknowledgment=True
            )
            .create(self.values())
        )
        self.assertEqual(complaint.closed_date, date(2019, 5, 20))
        self.assertEqual(complaint.stage_id, self.stage_closed)
        self.assertEqual(complaint.term_outcome, "within")
        self.assertFalse(complaint.acknowledgment_date, "nothing is sent for the past")

    def test_the_import_dialog_offers_the_state_fields_to_a_beheerder_only(self):
        Complaint = self.Complaint.with_context(**{HISTORY_IMPORT_KEY: True})
        manager_fields = Complaint.with_user(self.manager).fields_get(["closed_date"])
        self.assertFalse(manager_fields["closed_date"]["readonly"])
        coordinator_fields = Complaint.with_user(self.coordinator).fields_get(
            ["closed_date"]
        )
        self.assertTrue(coordinator_fields["closed_date"]["readonly"])

    def test_others_cannot_import_state(self):
        for user in (self.employee, self.coordinator):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    self.Complaint.with_user(user).with_context(
                        **{HISTORY_IMPORT_KEY: True}
                    ).create(self.values())


@freeze_time("2026-04-20")
class TestPostponementConsent(ComplaintCase):
    def test_the_consent_is_the_uploaded_file_stored_on_the_case(self):
        complaint = self.create_complaint(
            received_date=date(2026, 4, 3), postponed=True
        )
        elsewhere = self.env["ir.attachment"].create(
            {
                "name": "besluit-ander-dossier.pdf",
                "raw": b"%PDF-1.4 ander dossier",
                "res_model": "res.partner",
                "res_id": self.complainant.id,
            }
        )
        complaint.with_user(self.coordinator).action_postpone(
            "Op verzoek van klager",
            new_date=date(2026, 6, 26),
            consent_name="instemming.pdf",
            consent_data=base64.b64encode(b"%PDF-1.4 instemming"),
        )
        consent = complaint.postpone_consent_attachment_id
        self.assertNotEqual(consent, elsewhere)
        self.assertEqual(
            (consent.res_model, consent.res_id), (complaint._name, complaint.id)
        )
        self.assertEqual(
            (elsewhere.res_model, elsewhere.res_id),
            ("res.partner", self.complainant.id),
        )

    def test_a_consent_that_is_no_document_is_refused(self):
        complaint = self.create_complaint(
            received_date=date(2026, 4, 3), postponed=True
        )
        with self.assertRaises(UserError):
            complaint.with_user(self.coordinator).action_postpone(
                "Op verzoek van klager",
                new_date=date(2026, 6, 26),
                consent_name="instemming.exe",
                consent_data=base64.b64encode(b"MZ\x90\x00"),
            )
        self.assertFalse(complaint.extended_deadline)


@freeze_time("2026-04-01")
class TestOneDefinitionOfPending(ComplaintCase):
    """The kanban state (Python), its search (a domain) and the warning cron (SQL)
    derive from one table of pending deadlines: on cases in every state they agree."""

    def make_cases(self):
        received = [
            date(2026, 3, 2),
            date(2026, 3, 25),
            date(2026, 3, 30),
            date(2026, 2, 9),
        ]
        cases = self.Complaint.browse()
        for day in received:
            for category in (self.category_bejegening, self.category_beleid):
                cases |= self.create_complaint(
                    received_date=day, category_id=category.id
                )
                contacted = self.create_complaint(
                    received_date=day, category_id=category.id
                )
                contacted.action_contact_made(day)
                cases |= contacted
                cases |= self.create_complaint(
                    received_date=day,
                    category_id=category.id,
                    handling="informal"
                    if category == self.category_bejegening
                    else False,
                    resolution_note="<p>Opgelost.</p>",
                    closed_date=date(2026, 3, 31),
                )
        return cases

    def test_the_state_its_search_and_the_cron_agree(self):
        cases = self.make_cases()
        Complaint = self.Complaint.with_user(self.coordinator)
        for state in ("overdue", "due_soon", "on_track", "done"):
            with self.subTest(state=state):
                searched = Complaint.search(
                    [("deadline_state", "=", state), ("id", "in", cases.ids)]
                )
                computed = cases.filtered(lambda c, s=state: c.deadline_state == s)
                self.assertEqual(searched, computed)
        self.assertTrue(cases.filtered(lambda c: c.deadline_state == "overdue"))
        self.assertTrue(cases.filtered(lambda c: c.deadline_state == "due_soon"))
        # the cron warns exactly the cases the kanban shows due soon or overdue
        soon = self.company._get_due_soon_limits(fields.Date.today())[self.company]
        expected = {
            complaint.id: {
                key for key, day in complaint._pending_deadlines() if day <= soon
            }
            for complaint in cases
        }
        expected = {key: value for key, value in expected.items() if value}
        locked, due = cases._lock_deadline_warning_batch(1000)
        self.assertEqual(due, expected)
        self.assertEqual(
            set(locked.ids),
            set(
                cases.filtered(
                    lambda c: c.deadline_state in ("overdue", "due_soon")
                ).ids
            ),
        )


@tagged("post_install", "-at_install")
class TestStateOverJsonRpc(ComplaintCase, HttpCase):
    def rpc(self, model, method, *args, **kwargs):
        self.env.flush_all()
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def test_a_coordinator_cannot_write_the_state_over_json_rpc(self):
        complaint = self.create_complaint()
        self.authenticate(self.coordinator.login, self.coordinator.login)
        for kwargs in (
            {},
            {"context": {TRANSITION_KEY: True}},
            {"context": {HISTORY_IMPORT_KEY: True}},
        ):
            with self.subTest(**kwargs), self.assertRaises(JsonRpcException):
                self.rpc(
                    "municipal.complaint",
                    "write",
                    [complaint.id],
                    {"closed_date": "2026-03-20", "stage_id": self.stage_closed.id},
                    **kwargs,
                )
        with self.assertRaises(JsonRpcException):
            self.rpc(
                "municipal.complaint",
                "create",
                {
                    "subject": "Vervalst",
                    "category_id": self.category_bejegening.id,
                    "closed_date": "2026-03-20",
                },
            )
        with self.assertRaises(JsonRpcException):
            self.rpc(
                "municipal.complaint",
                "_write_state",
                [complaint.id],
                {"closed_date": "2026-03-20"},
            )
        complaint.invalidate_recordset()
        self.assertFalse(complaint.closed_date)
        self.assertEqual(complaint.stage_id, self.stage_received)

    def test_no_attachment_of_another_record_can_be_moved_onto_a_case(self):
        complaint = self.create_complaint(postponed=True)
        elsewhere = self.env["ir.attachment"].create(
            {
                "name": "ander.pdf",
                "raw": b"x",
                "res_model": "res.partner",
                "res_id": self.complainant.id,
            }
        )
        self.authenticate(self.coordinator.login, self.coordinator.login)
        with self.assertRaises(JsonRpcException):
            self.rpc(
                "municipal.complaint",
                "action_postpone",
                [complaint.id],
                "Meer tijd",
                new_date="2026-06-30",
                consent_attachment=elsewhere.id,
            )
        elsewhere.invalidate_recordset()
        self.assertEqual(elsewhere.res_model, "res.partner")
