"""Security review: the legal record of a case (docs/rules.md, "Levensloop van een
zaak", "Historisch register importeren", "Privacy and retention"). These tests fail
while the record can be bent the way they describe."""

from contextlib import suppress

from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.municipal_complaint.models.complaint_lifecycle import (
    HISTORY_IMPORT_KEY,
)

from .referral_common import ContractPartnerCase


class TestReviewRecord(ContractPartnerCase):
    def test_review_history_import_key_does_not_rewrite_a_live_case(self):
        """The import of a historic register is "the one way to bring cases in with
        their state"; the context key is honoured on every write, so the Beheerder
        (the level the DPO is given) closes a live case on any date, with no Awb
        check and no letter, and refers it to a partner without the referral step
        (no notice to the complainant, no coordinator)."""
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

    def test_review_anonymised_case_takes_no_new_file_or_follower(self):
        """An anonymised case "changes no more, whoever asks": write and
        message_post refuse, but a file, an activity or a follower is added through
        their own models, which check the case's access rights only."""
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
        ):
            with suppress(AccessError, UserError, ValidationError):
                add()
                added.append(label)
        self.assertFalse(added, f"added to an anonymised case: {added}")

    def test_review_deleting_an_outcome_keeps_what_closed_cases_were_handled_under(
        self,
    ):
        """A closed case keeps its outcomes and breached norms until it is reopened
        (CLOSED_RECORD_FIELDS; a category used by closed cases cannot even change
        its code). The Beheerder may delete outcomes and norms, and the database
        removes them from the closed cases with them -- a withdrawal outcome also
        moves the case's retention date."""
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
