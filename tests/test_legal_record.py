"""The legal record, as a lawyer checks it (Awb chapter 9, Algemene termijnenwet).

Two parts:

- ``TestLegalTermsAgainstAReference``: the Atw and the legal terms computed
  independently of the addon (Easter by the Meeus/Jones/Butcher algorithm, not
  ``dateutil``) for 2019-2031 and compared with ``holidays.atw_term_end`` and the
  stored deadlines.
- ``TestLegalRecord``: each test tries to bend the record where the law requires
  otherwise; the article is in each docstring. The texts of the law: Awb 9:8
  paragraph 3, 9:9, 9:10 paragraph 1, 9:11, 9:12 paragraph 2, 9:24 paragraph 1 (the
  Nationale ombudsman's year: "na de kennisgeving ... of nadat de klachtbehandeling
  ... ingevolge wettelijk voorschrift beëindigd had moeten zijn").
"""

import base64
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import format_date

from odoo.addons.municipal_complaint.models.complaint_lifecycle import (
    HISTORY_IMPORT_KEY,
)
from odoo.addons.municipal_complaint.models.holidays import (
    atw_holidays,
    atw_term_end,
)

from .closing_common import ClosingCase
from .common import MODULE, ComplaintCase

# AccessError and ValidationError are UserErrors: any refusal with a message
REFUSED = UserError


# ---------------------------------------------------------------- the reference
def _easter(year):
    """Gregorian Easter Sunday (Meeus/Jones/Butcher), independent of dateutil."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _atw_feestdagen(year):
    """Atw art. 3: Nieuwjaarsdag, Tweede Paas- en Pinksterdag, beide Kerstdagen,
    Hemelvaartsdag, de dag waarop de verjaardag van de Koning wordt gevierd (27 April,
    the 26th when the 27th is a Sunday: since 2014) and 5 May (every year)."""
    easter = _easter(year)
    kings = date(year, 4, 27) if year >= 2014 else date(year, 4, 30)
    if kings.weekday() == 6:
        kings -= timedelta(days=1)
    return {
        date(year, 1, 1),
        easter + timedelta(days=1),
        easter + timedelta(days=39),
        easter + timedelta(days=50),
        kings,
        date(year, 5, 5),
        date(year, 12, 25),
        date(year, 12, 26),
    }


def _reference_term_end(day):
    """Atw art. 1: a term ending on a Saturday, Sunday or feestdag ends on the next
    day that is none of these."""
    while day.weekday() >= 5 or day in _atw_feestdagen(day.year):
        day += timedelta(days=1)
    return day


def _add_years(day, years):
    """A term in years ends on the same date; from 29 February, on the last day of
    February (as Regulation 1182/71 art. 3(2)(c) and Dutch practice count)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 2, 28)


# Easter Sundays from the published tables, to check the reference itself.
KNOWN_EASTER = {
    2019: date(2019, 4, 21),
    2020: date(2020, 4, 12),
    2021: date(2021, 4, 4),
    2022: date(2022, 4, 17),
    2023: date(2023, 4, 9),
    2024: date(2024, 3, 31),
    2025: date(2025, 4, 20),
    2026: date(2026, 4, 5),
    2027: date(2027, 3, 28),
    2028: date(2028, 4, 16),
    2029: date(2029, 4, 1),
    2030: date(2030, 4, 21),
}


class TestLegalTermsAgainstAReference(ClosingCase):
    """What was checked and holds: the Atw, and the legal terms of many years."""

    def test_the_reference_easter_matches_the_tables(self):
        for year, easter in KNOWN_EASTER.items():
            self.assertEqual(_easter(year), easter, year)

    def test_atw_holidays_2019_2031_match_the_law(self):
        for year in range(2019, 2032):
            with self.subTest(year=year):
                self.assertEqual(set(atw_holidays(year)), _atw_feestdagen(year))
                self.assertNotIn(
                    _easter(year) - timedelta(days=2),
                    atw_holidays(year),
                    "Goede Vrijdag is no Atw day",
                )

    def test_every_term_end_2019_2031_matches_the_atw(self):
        day, last, wrong = date(2019, 1, 1), date(2031, 12, 31), []
        while day <= last:
            if atw_term_end(day) != _reference_term_end(day):
                wrong.append((day, atw_term_end(day), _reference_term_end(day)))
            day += timedelta(days=1)
        self.assertEqual(wrong, [])

    @freeze_time("2030-12-31")
    def test_stored_legal_terms_of_many_years(self):
        """The 9:11 term (6 and 10 weeks, postponed), the 9:8 notice, on the edge
        cases the brief names, each computed by the reference."""
        cases = [
            # (received, values, field, expected)
            # Koningsdag Monday 27 April 2026
            (date(2026, 3, 16), {}, "legal_deadline", date(2026, 4, 28)),
            # Koningsdag moved to Saturday 26 April 2025
            (date(2025, 3, 15), {}, "legal_deadline", date(2025, 4, 28)),
            # 5 May 2024 on a Sunday: the Monday, no substitute day
            (date(2024, 3, 24), {}, "legal_deadline", date(2024, 5, 6)),
            # 5 May 2023 (a Friday), not a lustrum year: an Atw day all the same
            (date(2023, 3, 24), {}, "legal_deadline", date(2023, 5, 8)),
            # Ascension Day 2026 (Thursday 14 May): the bridge Friday is a day
            (date(2026, 4, 2), {}, "legal_deadline", date(2026, 5, 15)),
            # 5 May and Ascension Day 2027 back to back
            (date(2027, 3, 24), {}, "legal_deadline", date(2027, 5, 7)),
            # Eerste Kerstdag on a Friday 2026, then the weekend
            (date(2026, 11, 13), {}, "legal_deadline", date(2026, 12, 28)),
            # Nieuwjaarsdag 2027 on a Friday
            (date(2026, 11, 20), {}, "legal_deadline", date(2027, 1, 4)),
            # Good Friday 2026 is no Atw day: the term ends on it
            (date(2026, 2, 20), {}, "legal_deadline", date(2026, 4, 3)),
            # Tweede Pinksterdag 2028 (5 June)
            (date(2028, 4, 24), {}, "legal_deadline", date(2028, 6, 6)),
            # ten weeks with an advisory committee, ending on Ascension 2026
            (
                date(2026, 3, 5),
                {"advisory_committee": True},
                "legal_deadline",
                date(2026, 5, 15),
            ),
            # postponed by 1 week, ending on Ascension Day 2026
            (
                date(2026, 3, 26),
                {"postponed": True, "postpone_count": 1, "postpone_weeks": 1},
                "legal_deadline",
                date(2026, 5, 15),
            ),
            # postponed by 4 weeks with a committee: 14 weeks, Tweede Kerstdag 2029
            (
                date(2029, 9, 19),
                {
                    "advisory_committee": True,
                    "postponed": True,
                    "postpone_count": 1,
                    "postpone_weeks": 4,
                },
                "legal_deadline",
                date(2029, 12, 27),
            ),
            # Awb 9:8: four weeks, ending on 5 May 2026 (a Tuesday)
            (date(2026, 4, 7), {}, "not_handled_deadline", date(2026, 5, 6)),
            # Awb 9:8: four weeks ending on Tweede Paasdag 2030 (22 April)
            (date(2030, 3, 25), {}, "not_handled_deadline", date(2030, 4, 23)),
        ]
        for received, values, field, expected in cases:
            with self.subTest(received=received, field=field):
                weeks = 4 if field == "not_handled_deadline" else 6
                if values.get("advisory_committee"):
                    weeks = 10
                weeks += values.get("postpone_weeks", 0)
                self.assertEqual(
                    _reference_term_end(received + timedelta(weeks=weeks)), expected
                )
                complaint = self.create_complaint(received_date=received, **values)
                self.assertEqual(complaint[field], expected)

    def test_the_ombudsman_year_under_the_atw(self):
        """Awb 9:24: a year after the conclusion, the end moved under the Atw; from
        29 February, 28 February."""
        for decided, expected in [
            (date(2024, 2, 29), date(2025, 2, 28)),  # a Friday
            (date(2025, 5, 5), date(2026, 5, 6)),  # 5 May 2026, a Tuesday
            (date(2026, 4, 27), date(2027, 4, 28)),  # Koningsdag 2027, a Tuesday
            (date(2025, 12, 25), date(2026, 12, 28)),  # Friday Christmas 2026
        ]:
            with self.subTest(decided=decided):
                self.assertEqual(_reference_term_end(_add_years(decided, 1)), expected)
                complaint = self.create_complaint(
                    received_date=decided - timedelta(days=20),
                    handling="informal",
                    resolution_note="<p>Opgelost.</p>",
                    closed_date=decided,
                )
                self.assertEqual(complaint.ombudsman_window_end, expected)


class TestLegalRecord(ClosingCase):
    """The legal errors found, one failing test each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coordinator_2 = new_test_user(
            cls.env,
            "mc_review_coordinator_2",
            groups=f"{MODULE}.group_complaint_coordinator",
            name="Ruud Tweede Coördinator",
        )
        cls.partner_org = cls.env["res.partner"].create(
            {
                "name": "Werkbedrijf Oost",
                "is_company": True,
                "is_complaint_partner": True,
            }
        )

    def day(self, value):
        """A day as the letters write it (English source: "12 June 2026")."""
        return format_date(self.env, value, lang_code="en_US", date_format="d MMMM y")

    def letters_to_complainant(self, complaint):
        return complaint.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.complainant in m.partner_ids
        )

    def respondent_copies(self, complaint, person):
        return complaint.message_ids.filtered(
            lambda m: person.partner_id in m.partner_ids and "Awb 9:9" in m.body
        )

    # ---------------------------------------------------------- the stored outcome
    @freeze_time("2026-05-04")
    def test_a_medewerker_writes_the_term_outcome_and_year_directly(self):
        """Awb 9:11 and 9:12a: the figures read the stored ``term_outcome``, ``kind``
        and ``received_year`` of each case. They are computed, but nothing guards a
        plain write: the Medewerker who registered a complaint that was closed late
        makes it "within the legal term", or moves it to another year, or another
        kind (the ORM as JSON-RPC calls it)."""
        complaint = self.create_complaint(user=self.employee, user_id=self.employee.id)
        self.close(complaint, self.formal_values())
        self.assertEqual(complaint.term_outcome, "late")
        figures = self.Complaint.with_user(self.coordinator)._get_annual_figures
        before = figures(2026)
        bent = []
        for values in (
            {"term_outcome": "within"},
            {"received_year": 2025},
            {"kind": "policy"},
            {"legal_deadline": "2026-06-30"},
        ):
            try:
                with self.env.cr.savepoint():
                    complaint.with_user(self.employee).write(values)
                    complaint.invalidate_recordset()
                    if figures(2026) != before:
                        bent.append(values)
            except REFUSED:
                continue
        self.assertEqual(bent, [], "a plain write changed the year's figures")

    @freeze_time("2026-05-04")
    def test_a_closed_case_is_unfrozen_by_writing_is_closed(self):
        """A closed case keeps what it was handled under (kind, category, handling,
        judgment): the freeze reads the stored ``is_closed``, which a plain write
        sets to False; the next write rewrites the judgment of a formally closed
        complaint, its category and the letter's basis."""
        complaint = self.create_complaint(user=self.employee, user_id=self.employee.id)
        self.close(complaint, self.formal_values())
        as_employee = complaint.with_user(self.employee)
        try:
            as_employee.write({"is_closed": False})
            as_employee.write(
                {"judgment": "unfounded", "category_id": self.category_beleid.id}
            )
        except REFUSED:
            return
        complaint.invalidate_recordset()
        self.assertEqual(complaint.judgment, "partly_founded")
        self.assertEqual(complaint.kind, "complaint")

    # ---------------------------------------------------------- 9:11, 9:12, 9:24
    @freeze_time("2026-05-04")
    def test_a_backdated_decision_turns_a_late_conclusion_into_one_in_time(
        self,
    ):
        """Awb 9:11 with 9:12: a formal complaint is handled ("afgehandeld") when
        the complainant is told the conclusion in writing. A letter that leaves
        today, 4 May, after the term of 22 April, cannot carry an earlier decision
        date: only a letter that went out on that day is filed with it."""
        complaint = self.create_complaint(user_id=self.employee.id)
        with self.assertRaises(REFUSED), self.env.cr.savepoint():
            self.close(complaint, self.formal_values(closed_date=date(2026, 4, 22)))
        self.assertFalse(complaint.closed_date)
        self.close(complaint, self.formal_values())
        self.assertEqual(complaint.legal_deadline, date(2026, 4, 22))
        self.assertEqual(
            complaint.term_outcome,
            "late",
            "the conclusion letter went on 4 May, after the legal term",
        )

    @freeze_time("2026-05-04")
    def test_a_backdated_letter_shortens_the_ombudsman_year_it_states(self):
        """Awb 9:24 paragraph 1(a): the year for the Nationale ombudsman runs from
        the notification (kennisgeving) of the findings: from the letter that goes
        out today, or, for one filed as sent on the decision date, from that day;
        9:12 paragraph 2 makes the letter state that term."""
        complaint = self.create_complaint(user_id=self.employee.id)
        self.close(complaint, self.formal_values())
        self.assertGreaterEqual(
            complaint.ombudsman_window_end,
            date(2027, 5, 4),
            "a year from the letter of 4 May 2026",
        )

    @freeze_time("2026-04-01")
    def test_the_decision_cannot_precede_the_hearing(self):
        """Awb 9:10 and 9:12: the conclusion follows the hearing it reports on; a
        decision dated 20 March cannot report a hearing of 25 March."""
        complaint = self.create_complaint(user_id=self.employee.id)
        with self.assertRaises(REFUSED):
            self.close(
                complaint,
                self.formal_values(
                    hearing_date=date(2026, 3, 25), closed_date=date(2026, 3, 20)
                ),
            )

    @freeze_time("2026-04-01")
    def test_the_informal_closing_cannot_precede_the_agreement(self):
        """Awb 9:5: the duty ends when the complainant is satisfied; a case closed on
        20 March on an agreement of 25 March was closed before the duty ended."""
        complaint = self.create_complaint(user_id=self.employee.id)
        with self.assertRaises(REFUSED):
            self.close(
                complaint,
                self.informal_values(
                    informal_agreement_date=date(2026, 3, 25),
                    closed_date=date(2026, 3, 20),
                ),
            )

    # ---------------------------------------------------------- 9:8
    @freeze_time("2026-04-20")
    def test_a_late_not_handled_notice_counts_as_late(self):
        """Awb 9:8 paragraph 3: the complainant is told within four weeks of receipt
        (8 April 2026) that the complaint is not handled. A notice of 20 April is
        late; the figures count it "within the legal term" because they judge it on
        the six weeks of 9:11."""
        complaint = self.create_complaint(user_id=self.employee.id)
        self.assertEqual(complaint.not_handled_deadline, date(2026, 4, 8))
        self.close(
            complaint, {"handling": "not_handled", "not_handled_reason": "over_a_year"}
        )
        self.assertEqual(complaint.term_outcome, "late")

    # ---------------------------------------------------------- 9:9
    def test_the_respondent_copy_carries_the_documents_sent_along(self):
        """Awb 9:9: the beklaagde gets a copy of the klaagschrift "alsmede van de
        daarbij meegezonden stukken"; the copy holds the text only."""
        complaint = self.create_complaint(
            channel="email", description="<p>Zie de bijgevoegde brief.</p>"
        )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": "brief-van-klager.pdf",
                    "raw": b"%PDF-1.4 brief",
                    "res_model": complaint._name,
                    "res_id": complaint.id,
                }
            )
        )
        complaint.with_user(self.coordinator).respondent_user_id = self.colleague
        copy = self.respondent_copies(complaint, self.colleague)
        self.assertEqual(len(copy), 1)
        self.assertIn(
            attachment.checksum,
            copy.sudo().attachment_ids.mapped("checksum"),
            "the document sent with the complaint goes to the beklaagde too",
        )

    def test_a_context_flag_skips_the_respondent_copy(self):
        """Awb 9:9: the copy to the beklaagde is a duty, not the acknowledgment.
        ``complaint_no_acknowledgment`` and ``import_file`` (any user may send them
        over JSON-RPC or use the import dialog) are meant to spare the
        acknowledgment only, but also drop the 9:9 copy."""
        for key in ("complaint_no_acknowledgment", "import_file"):
            with self.subTest(key=key):
                complaint = (
                    self.Complaint.with_user(self.employee)
                    .with_context(**{key: True})
                    .create(
                        {
                            "subject": "Onheus behandeld aan de balie",
                            "category_id": self.category_bejegening.id,
                            "channel": "in_person",
                            "received_date": date(2026, 3, 11),
                            "partner_id": self.complainant.id,
                            "respondent_user_id": self.colleague.id,
                        }
                    )
                )
                self.assertEqual(
                    len(self.respondent_copies(complaint, self.colleague)), 1
                )

    # ---------------------------------------------------------- 9:10
    @freeze_time("2026-04-01")
    def test_the_beklaagde_is_offered_a_hearing(self):
        """Awb 9:10 paragraph 1: the complainant *and* the beklaagde are given the
        opportunity to be heard; paragraph 2 lets the body skip the complainant's
        hearing only. A formal closing of a complaint about a colleague, the
        complainant having waived, records nothing about hearing the beklaagde and
        is accepted."""
        complaint = self.create_complaint(
            user_id=self.employee.id, respondent_user_id=self.colleague.id
        )
        with self.assertRaises(REFUSED):
            self.close(
                complaint,
                self.formal_values(
                    hearing_skip_reason="waived",
                    hearing_date=False,
                    hearing_attendees=False,
                    hearing_report=False,
                    respondent_hearing=False,
                ),
            )

    # ---------------------------------------------------------- 9:7
    @freeze_time("2026-04-01")
    def test_the_beklaagde_cannot_postpone_the_complaint_about_them(self):
        """Awb 9:7: the handling is done by someone not involved in the conduct.
        Postponing the term (9:11) is part of the handling; a coordinator who is the
        beklaagde postpones their own complaint."""
        complaint = self.create_complaint(
            user_id=self.employee.id, respondent_user_id=self.coordinator_2.id
        )
        with self.assertRaises(REFUSED):
            complaint.with_user(self.coordinator_2).action_postpone(
                "Ik heb meer tijd nodig"
            )

    # ---------------------------------------------------------- 9:11 and 9:14
    @freeze_time("2026-05-04")
    def test_a_committee_cannot_revive_a_term_that_ended(self):
        """Awb 9:11 paragraph 1 with 9:14: ten weeks apply when a committee hears the
        complaint; a term of six weeks that ended on 22 April cannot be turned into
        ten weeks on 4 May by ticking the box (it turns a late case into an open
        one, silently, and the complainant was told 22 April)."""
        complaint = self.create_complaint(user_id=self.employee.id)
        self.assertEqual(complaint.term_outcome, "late")
        with self.assertRaises(REFUSED):
            complaint.with_user(self.coordinator).advisory_committee = True

    @freeze_time("2026-05-04")
    def test_a_new_receipt_date_cannot_revive_a_term_that_ended(self):
        """Awb 9:11 paragraph 1: the term runs from the receipt of the klaagschrift,
        a fact the acknowledgment (9:6) told the complainant. After the term ended a
        coordinator moves the receipt date by three weeks with a plain write: the
        late case is open again, with no reason and no notice."""
        complaint = self.create_complaint(user_id=self.employee.id)
        complaint.with_user(self.coordinator).action_send_acknowledgment()
        self.assertEqual(complaint.term_outcome, "late")
        with self.assertRaises(REFUSED):
            complaint.with_user(self.coordinator).received_date = date(2026, 4, 1)

    @freeze_time("2026-04-20")
    def test_the_postponement_letter_of_a_committee_case_says_ten_weeks(self):
        """Awb 9:11 paragraph 1: with an advisory committee the term is ten weeks;
        the postponement notice tells the complainant "The law gives us six
        weeks"."""
        complaint = self.create_complaint(
            user_id=self.employee.id, received_date=date(2026, 4, 3)
        )
        complaint.with_user(self.coordinator).advisory_committee = True
        complaint.with_user(self.coordinator).action_postpone("De commissie hoort u")
        notice = self.letters_to_complainant(complaint)[:1]
        self.assertIn(self.day(date(2026, 7, 10)), notice.body)
        self.assertNotIn("six weeks", notice.body)

    @freeze_time("2026-04-20")
    def test_an_edited_postponement_notice_keeps_the_new_deadline(self):
        """Awb 9:11 paragraph 2 (and README "De brieven noemen precies deze data"):
        the written notice of the postponement is the only place the complainant
        learns the new term. The preview lets the coordinator rewrite the whole
        e-mail: a notice without (or with another) date goes out."""
        complaint = self.create_complaint(
            user_id=self.employee.id, received_date=date(2026, 4, 3)
        )
        try:
            complaint.with_user(self.coordinator).action_postpone(
                "Wachten op het dossier",
                letter={
                    "subject": "Meer tijd nodig",
                    "body": "<p>We hebben meer tijd nodig. U hoort van ons.</p>",
                },
            )
        except UserError:
            return  # refusing a notice without the term is one right answer
        self.assertEqual(complaint.legal_deadline, date(2026, 6, 12))
        notice = self.letters_to_complainant(complaint)[:1]
        self.assertIn(self.day(date(2026, 6, 12)), notice.body)

    @freeze_time("2026-04-20")
    def test_an_agreed_date_is_not_moved_by_the_atw(self):
        """Awb 9:11 paragraph 3: a further postponement exists only "voor zover de
        klager daarmee schriftelijk instemt". The Atw (art. 1) extends terms set in
        a law, not a date the complainant agreed to: agreed Saturday 27 June, the
        addon tells them Monday 29 June and counts a decision on the 29th in time."""
        complaint = self.create_complaint(
            user_id=self.employee.id,
            received_date=date(2026, 4, 3),
            postponed=True,
            postpone_count=1,
        )
        complaint.with_user(self.coordinator).action_postpone(
            "Op verzoek van klager",
            new_date=date(2026, 6, 27),
            consent_name="instemming.pdf",
            consent_data=base64.b64encode(b"%PDF-1.4 instemming"),
        )
        self.assertEqual(complaint.legal_deadline, date(2026, 6, 27))

    # ---------------------------------------------------------- the ombudsman
    @freeze_time("2026-05-04")
    def test_a_complainant_may_go_to_the_ombudsman_when_the_term_passed(self):
        """Awb 9:24 paragraph 1(b) and the explanatory memorandum to 9:11: when the
        body does not handle the complaint within its term, the complainant may go
        to the Nationale ombudsman. The addon refuses to record that escalation on
        an open case ("close it first"), so the figures cannot count it as received
        from the citizen."""
        complaint = self.create_complaint(user_id=self.employee.id)
        self.assertEqual(complaint.term_outcome, "late")
        try:
            complaint.with_user(self.coordinator).action_record_ombudsman(
                {
                    "ombudsman_initiator": "complainant",
                    "ombudsman_date": date(2026, 5, 4),
                }
            )
        except UserError as error:
            self.fail(f"the citizen's escalation after the term is refused: {error}")
        self.assertEqual(complaint.ombudsman_date, date(2026, 5, 4))

    @freeze_time("2026-05-04")
    def test_the_ombudsman_year_of_an_unanswered_complaint(self):
        """Awb 9:24 paragraph 1(b): without a conclusion the year runs from the day
        the handling should have ended (22 April 2026): it ends 22 April 2027. The
        addon shows no window at all for an open case."""
        complaint = self.create_complaint(user_id=self.employee.id)
        self.assertEqual(complaint.ombudsman_window_end, date(2027, 4, 22))

    # ---------------------------------------------------------- reclassification
    @freeze_time("2026-03-20")
    def test_a_medewerker_drops_the_promised_term_by_a_category_write(self):
        """Awb 9:11 and the referral rule (docs/rules.md, "Doorverwijzing"): the
        complainant was told 22 April. A Medewerker writing the category
        Doorverwijzing on the case (a plain write, not the referral step) erases the
        legal deadline and keeps no promised deadline, and nobody is told."""
        complaint = self.create_complaint(user=self.employee, user_id=self.employee.id)
        complaint.with_user(self.employee).action_send_acknowledgment()
        self.assertEqual(complaint.legal_deadline, date(2026, 4, 22))
        try:
            complaint.with_user(
                self.employee
            ).category_id = self.category_doorverwijzing
        except REFUSED:
            return  # the referral step is the way: refusing the write is right
        self.assertEqual(
            complaint.legal_deadline or complaint.promised_deadline,
            date(2026, 4, 22),
            "the date told to the complainant survives",
        )

    @freeze_time("2026-05-04")
    def test_a_medewerker_erases_a_missed_term_from_the_figures(self):
        """Awb 9:12a and the figures: a complaint whose term passed on 22 April is
        "buiten de termijn". A Medewerker re-categorising it as Beleid takes it out
        of the year's complaints and their term, without a coordinator or reason."""
        complaint = self.create_complaint(user=self.employee, user_id=self.employee.id)
        self.assertEqual(complaint.term_outcome, "late")
        with self.assertRaises(REFUSED):
            complaint.with_user(self.employee).category_id = self.category_beleid

    @freeze_time("2027-02-01")
    def test_a_category_edit_changes_last_years_figures(self):
        """The past never moves: a 2026 complaint still open is in the 2026 figures
        (as late). Changing its category's kind in 2027 rewrites the 2026 figures and
        drops the legal term the complainant was told."""
        category = self.env["municipal.complaint.category"].create(
            {"name": "Wachttijd", "code": "REVIEW_WACHTTIJD", "kind": "complaint"}
        )
        complaint = self.create_complaint(
            category_id=category.id, received_date=date(2026, 6, 1)
        )
        figures = self.Complaint.with_user(self.coordinator)._get_annual_figures
        before = figures(2026)
        try:
            category.with_user(self.manager).kind = "policy"
        except REFUSED:
            return
        self.assertEqual(figures(2026), before)
        self.assertTrue(complaint.legal_deadline)

    @freeze_time("2026-05-04")
    def test_archiving_a_closed_case_changes_its_years_figures(self):
        """Awb 9:12a and the figures: a complaint handled and answered in writing
        leaves the register's figures when a coordinator archives it, with no
        reason kept."""
        complaint = self.create_complaint(user_id=self.employee.id)
        self.close(complaint, self.formal_values())
        figures = self.Complaint.with_user(self.coordinator)._get_annual_figures
        before = figures(2026)
        try:
            complaint.with_user(self.coordinator).active = False
        except REFUSED:
            return
        self.assertEqual(figures(2026), before)

    # ---------------------------------------------------------- the import path
    @freeze_time("2026-05-04")
    def test_the_import_path_rewrites_a_live_decision_silently(self):
        """The legal record cannot be bent: the history import is "the one way to
        bring cases in with their state". Over JSON-RPC a Beheerder sends its context
        key on a plain write of a live case, closed late today, and moves its
        decision date into the term without any trace (tracking off)."""
        complaint = self.create_complaint(user_id=self.employee.id)
        self.close(complaint, self.formal_values())
        self.assertEqual(complaint.term_outcome, "late")
        messages = len(complaint.message_ids)
        try:
            complaint.with_user(self.manager).with_context(
                **{HISTORY_IMPORT_KEY: True, "tracking_disable": True}
            ).write({"closed_date": date(2026, 4, 20)})
        except REFUSED:
            return
        complaint.invalidate_recordset()
        self.assertEqual(complaint.term_outcome, "late", "the decision was rewritten")
        self.assertGreater(len(complaint.message_ids), messages, "and left no trace")

    # ---------------------------------------------------------- letters
    @freeze_time("2026-04-20")
    def test_an_outsourced_referral_does_not_say_it_is_about_the_partner(
        self,
    ):
        """Awb 9:1 paragraph 2 (docs/rules.md, "Doorverwijzing"): a partner working
        under the Dienst's responsibility is the Dienst; the notice must not say the
        complaint is about the partner. It says so in the e-mail and the letter."""
        complaint = self.create_complaint(
            user_id=self.employee.id, received_date=date(2026, 4, 3)
        )
        complaint.with_user(self.coordinator).action_refer(
            self.partner_org, about_partner=False
        )
        self.assertEqual(complaint.kind, "complaint", "it stays a complaint")
        notice = self.letters_to_complainant(complaint)[:1]
        self.assertTrue(notice)
        self.assertNotIn("because it is about them", notice.body)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "municipal_complaint.action_report_referral_notice", complaint.ids
            )[0]
            .decode()
        )
        self.assertNotIn("because it is about them", " ".join(html.split()))

    # ---------------------------------------------------------- the Atw before 2014
    def test_koninginnedag_before_2014(self):
        """Atw art. 3: "de dag waarop de verjaardag van de Koning wordt gevierd"; until
        2013 Koninginnedag, 30 April (29 April when the 30th is a Sunday). An imported
        register of 2013 (an ombudsman case is kept ten years) counts 27 April."""
        self.assertIn(date(2013, 4, 30), atw_holidays(2013))
        self.assertNotIn(date(2013, 4, 27), atw_holidays(2013))


@tagged("post_install", "-at_install")
class TestLegalRecordOverJsonRpc(ComplaintCase, HttpCase):
    def rpc(self, model, method, *args, **kwargs):
        self.env.flush_all()
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    @freeze_time("2026-05-04")
    def test_a_medewerker_sets_the_term_outcome_over_json_rpc(self):
        """As above, over the wire: the Medewerker's own JSON-RPC call turns an open
        complaint whose term ended on 22 April into one "within the legal term"."""
        complaint = self.create_complaint(user=self.employee, user_id=self.employee.id)
        self.assertEqual(complaint.term_outcome, "late")
        self.authenticate(self.employee.login, self.employee.login)
        try:
            self.rpc(
                "municipal.complaint",
                "write",
                [complaint.id],
                {"term_outcome": "within", "legal_deadline": "2026-06-30"},
            )
        except JsonRpcException:
            return
        complaint.invalidate_recordset()
        self.assertEqual(complaint.term_outcome, "late")
        self.assertEqual(complaint.legal_deadline, date(2026, 4, 22))
