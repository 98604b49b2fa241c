from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tools import format_date

from .closing_common import ClosingCase


class TestClosingLetters(ClosingCase):
    """What the complainant reads: the conclusion (Awb 9:12) and
    the not-handled notice (9:8)."""

    def render(self, report_xmlid, complaint):
        html, report_type = self.env["ir.actions.report"]._render_qweb_html(
            report_xmlid, complaint.ids
        )
        self.assertEqual(report_type, "html")
        return " ".join(html.decode().split())

    @freeze_time("2026-04-01")
    def test_conclusion_letter_states_findings_judgment_and_the_ombudsman(self):
        complaint = self.create_complaint(
            user_id=self.employee.id, respondent_user_id=self.colleague.id
        )
        self.close(complaint, self.formal_values())
        html = self.render(
            "municipal_complaint.action_report_conclusion_letter", complaint
        )
        self.assertIn("J. Jansen", html, "addressed to the complainant")
        self.assertIn(complaint.name, html)
        self.assertIn("Conclusion of your complaint", html)
        # the hearing
        self.assertIn(format_date(self.env, date(2026, 3, 25), lang_code="en_US"), html)
        self.assertIn("Klager, klachtcoördinator K. Coördinator", html)
        self.assertIn("drie keer heeft gebeld", html)
        # findings, judgment, norm and conclusions
        self.assertIn("De klantmanager belde niet terug", html)
        self.assertIn("<strong>partly founded</strong>", html)
        self.assertIn("respectful", html)
        self.assertIn("De terugbelafspraak wordt voortaan", html)
        # the Nationale ombudsman and its one-year limit, to the day
        self.assertIn("Nationale ombudsman", html)
        self.assertIn("within one year of our decision", html)
        self.assertIn(format_date(self.env, date(2027, 4, 1), lang_code="en_US"), html)
        self.assertIn("Postbus 93122, 2509 AC Den Haag", html)
        # Awb 9:9: the respondent gets a copy, and the letter says so
        self.assertIn("A copy of this letter goes to the employee", html)
        self.assertIn("Eva Medewerker", html, "signed by the handler")

    def test_a_backdated_decision_is_the_letters_date(self):
        """Recorded two days late, a conclusion that went out on the day it was
        decided is filed with that date, and the Nationale ombudsman's year counts
        from then. A letter sent now is dated today (Awb 9:12)."""
        complaint = self.create_complaint(user_id=self.employee.id)
        backdated = dict(self.formal_values(), closed_date="2026-04-22")
        with freeze_time("2026-04-24"):
            with self.assertRaisesRegex(UserError, "dated today"):
                self.close(complaint, backdated)
            self.assertFalse(complaint.closed_date)
            self.close(complaint, dict(backdated, letter_sent_on_decision_date=True))
            html = self.render(
                "municipal_complaint.action_report_conclusion_letter", complaint
            )
        filed = complaint.message_ids.filtered(lambda m: "filed" in (m.body or ""))
        self.assertEqual(len(filed), 1, "the letter is filed, not sent again")
        self.assertFalse(
            complaint.message_ids.filtered(lambda m: self.complainant in m.partner_ids),
            "the complainant is not written to again",
        )
        self.assertIn(format_date(self.env, date(2026, 4, 22), lang_code="en_US"), html)
        self.assertNotIn(
            format_date(self.env, date(2026, 4, 24), lang_code="en_US"), html
        )
        self.assertIn(format_date(self.env, date(2027, 4, 22), lang_code="en_US"), html)
        self.assertEqual(complaint.term_outcome, "within")

    @freeze_time("2026-04-01")
    def test_conclusion_letter_without_hearing_gives_the_reason(self):
        complaint = self.create_complaint()
        self.close(
            complaint,
            self.formal_values(
                judgment="unfounded",
                norm_ids=[],
                hearing_date=False,
                hearing_attendees=False,
                hearing_report=False,
                hearing_skip_reason="unfounded",
            ),
        )
        html = self.render(
            "municipal_complaint.action_report_conclusion_letter", complaint
        )
        self.assertIn("We did not invite you to a hearing", html)
        self.assertIn("your complaint is clearly unfounded", html)
        self.assertIn("<strong>unfounded</strong>", html)
        self.assertNotIn(
            "A copy of this letter goes to the employee", html, "no respondent, no copy"
        )
        self.assertNotIn("We did not act as may be expected of us", html)

    @freeze_time("2026-04-01")
    def test_not_handled_letter_gives_the_ground_and_the_ombudsman(self):
        complaint = self.create_complaint()
        self.close(
            complaint,
            {
                "handling": "not_handled",
                "not_handled_reason": "objection_appeal",
                "resolution_note": (
                    "<p>U kunt bezwaar maken tegen het besluit van 2 maart.</p>"
                ),
            },
        )
        html = self.render(
            "municipal_complaint.action_report_not_handled_letter", complaint
        )
        self.assertIn("Your complaint will not be handled", html)
        self.assertIn("Article 9:8 of the Algemene wet bestuursrecht", html)
        self.assertIn("you can or could lodge an objection or an appeal", html)
        self.assertIn("U kunt bezwaar maken", html)
        self.assertIn("Nationale ombudsman", html)
        self.assertIn(format_date(self.env, date(2027, 4, 1), lang_code="en_US"), html)

    @freeze_time("2026-04-01")
    def test_letter_can_be_printed_again_from_the_case(self):
        complaint = self.create_complaint()
        self.close(
            complaint, {"handling": "not_handled", "not_handled_reason": "trivial"}
        )
        action = complaint.with_user(self.coordinator).action_print_closing_letter()
        self.assertEqual(
            action["report_name"], "municipal_complaint.report_not_handled_letter"
        )
        self.assertEqual(
            complaint._get_closing_letter_filename(),
            f"{complaint.name.replace('/', '-')} - Complaint not handled",
        )
