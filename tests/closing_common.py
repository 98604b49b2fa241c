"""Set-up shared by the closing, letter, ombudsman and analysis tests."""

from datetime import date

from .common import MODULE, ComplaintCase


class ClosingCase(ComplaintCase):
    """A complaint received Wednesday 11 March 2026 (legal term: Wednesday 22 April
    2026) and the answers a formal handling needs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.stage_in_progress = ref(f"{MODULE}.stage_in_progress")
        cls.outcome_excuses = ref(f"{MODULE}.outcome_excuses")
        cls.outcome_uitleg = ref(f"{MODULE}.outcome_uitleg")
        cls.norm_respectful = ref(f"{MODULE}.norm_group_respectful")
        cls.norm_open = ref(f"{MODULE}.norm_group_open")
        cls.legal_deadline = date(2026, 4, 22)

    def formal_values(self, **values):
        vals = {
            "handling": "formal",
            "judgment": "partly_founded",
            "findings": (
                "<p>De klantmanager belde niet terug, hoewel dat was toegezegd.</p>"
            ),
            "conclusions": (
                "<p>De terugbelafspraak wordt voortaan in het dossier vastgelegd.</p>"
            ),
            "hearing_date": date(2026, 3, 25),
            "hearing_attendees": "Klager, klachtcoördinator K. Coördinator",
            "hearing_report": (
                "<p>Klager lichtte toe dat hij drie keer heeft gebeld.</p>"
            ),
            "respondent_hearing": "heard",
            "outcome_ids": self.outcome_excuses.ids,
            "norm_ids": self.norm_respectful.ids,
        }
        vals.update(values)
        return vals

    def informal_values(self, **values):
        vals = {
            "handling": "informal",
            "resolution_note": (
                "<p>Klantmanager heeft teruggebeld en excuses "
                "gemaakt; klager is tevreden.</p>"
            ),
            "informal_agreement_date": date(2026, 3, 25),
            "informal_agreement_how": "phone",
            "outcome_ids": self.outcome_excuses.ids,
        }
        vals.update(values)
        return vals

    def close(self, complaint, values, user=None):
        return complaint.with_user(user or self.coordinator).action_close(values)
