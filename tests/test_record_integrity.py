"""The legal record of a case (docs/rules.md, "Levensloop van een zaak", "Historisch
register importeren", "Privacy and retention") cannot be bent: not by the import key,
not by adding to an anonymised case, not by deleting what closed cases were handled
under."""

from contextlib import suppress

from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.municipal_complaint.models.complaint_lifecycle import (
    HISTORY_IMPORT_KEY,
)

from .referral_common import ContractPartnerCase


class TestRecordIntegrity(ContractPartnerCase):
    def test_the_history_import_key_does_not_rewrite_a_live_case(self):
        """The import of a historic register changes imported cases only: not a live
        case's decision date or referral, which have their steps."""
        org, _contacts = self.create_contract_partner(
            "Werkbedrijf", ("Petra", "petra@werk.example.com")
        )
        live = self.create_complaint(user=self.employee)
        self.assertFalse(live.is_closed)
        with suppress(AccessError, UserError, ValidationError):
            live.with_user(self.manager).with_context(
                **{HISTORY_IMPORT_KEY: True}
            ).write(
                {
                    "closed_date": live.received_date,
                    "referral_partner_id": org.id,
                    "mediation_state": "ongoing",
                }
            )
        self.assertFalse(live.is_closed, "a live case was closed without its step")
        self.assertFalse(live.referral_partner_id, "referred without the referral")

    def test_an_anonymised_case_takes_no_new_file_activity_or_follower(self):
        """An anonymised case changes no more, whoever asks, also through the models
        of files, activities and followers."""
        closed = self.create_complaint(
            description="<p>Tekst</p>", closed_date="2026-03-20"
        )
        closed.with_user(self.coordinator)._anonymise()
        self.assertTrue(closed.anonymised_date)
        added = []
        for label, add in (
            (
                "file",
                lambda: (
                    self.env["ir.attachment"]
                    .with_user(self.coordinator)
                    .create(
                        {
                            "name": "nieuw.txt",
                            "raw": b"Nieuwe gegevens over J. Jansen",
                            "res_model": closed._name,
                            "res_id": closed.id,
                        }
                    )
                ),
            ),
            (
                "follower",
                lambda: closed.with_user(self.coordinator).message_subscribe(
                    partner_ids=self.complainant.ids
                ),
            ),
            (
                "activity",
                lambda: closed.with_user(self.coordinator).activity_schedule(
                    "mail.mail_activity_data_todo", summary="Bel J. Jansen"
                ),
            ),
            (
                # the case named by a default of the context, not in the values
                "file by a default",
                lambda: (
                    self.env["ir.attachment"]
                    .with_user(self.coordinator)
                    .with_context(default_res_id=closed.id)
                    .create(
                        {
                            "name": "nieuw2.txt",
                            "raw": b"Nieuwe gegevens over J. Jansen",
                            "res_model": closed._name,
                        }
                    )
                ),
            ),
            (
                "message by a default",
                lambda: (
                    self.env["mail.message"]
                    .with_user(self.coordinator)
                    .with_context(default_res_id=closed.id)
                    .create(
                        {
                            "model": closed._name,
                            "body": "<p>Nieuw over J. Jansen</p>",
                            "message_type": "comment",
                        }
                    )
                ),
            ),
        ):
            with suppress(AccessError, UserError, ValidationError):
                add()
                added.append(label)
        self.assertFalse(added, f"added to an anonymised case: {added}")

    def test_deleting_an_outcome_or_norm_used_by_a_case_is_refused(self):
        """A closed case keeps its outcomes and breached norms (a withdrawal outcome
        also decides its retention date): archive them instead."""
        outcome = self.env.ref("municipal_complaint.outcome_excuses")
        norm = self.env["municipal.complaint.norm"].create(
            {"name": "Actief informeren"}
        )
        closed = self.create_complaint(
            closed_date="2026-03-20",
            handling="informal",
            resolution_note="<p>Excuses gemaakt.</p>",
            informal_agreement_date="2026-03-20",
            informal_agreement_how="phone",
            outcome_ids=[(6, 0, outcome.ids)],
            norm_ids=[(6, 0, norm.ids)],
        )
        for record in (outcome, norm):
            with suppress(AccessError, UserError, ValidationError):
                record.with_user(self.manager).unlink()
        self.assertIn(outcome, closed.outcome_ids)
        self.assertIn(norm, closed.norm_ids)
