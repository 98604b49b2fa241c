"""A referral never changes what was promised without telling the complainant: the
date they were told stays, the partner gets a date to answer by, and the
complainant hears where the complaint went and when they hear back."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tools import format_date

from .common import MODULE
from .referral_common import ContractPartnerCase

RECEIVED = date(2026, 3, 11)  # legal term: Wednesday 22 April 2026
REFERRED = date(2026, 3, 16)  # Monday; ten working days later: Monday 30 March


@freeze_time("2026-03-16")
class TestReferralPromise(ContractPartnerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company._get_complaint_calendar()._generate_dutch_holidays([2026])
        cls.partner_org, cls.partner_contacts = cls.create_contract_partner(
            "Werkbedrijf Oost", ("Petra de Vries", "petra@werkbedrijf.example.com")
        )
        cls.mt_comment = cls.env.ref("mail.mt_comment")
        cls.type_partner = cls.env.ref(
            f"{MODULE}.mail_activity_type_partner_answer_deadline"
        )
        cls.type_promised = cls.env.ref(
            f"{MODULE}.mail_activity_type_promised_deadline"
        )

    def refer(self, complaint, **kwargs):
        return complaint.with_user(self.coordinator).action_refer(
            self.partner_org, **kwargs
        )

    def notices(self, complaint):
        return complaint.message_ids.filtered(
            lambda m: (
                m.subtype_id == self.mt_comment and self.complainant in m.partner_ids
            )
        )

    def long_date(self, day):
        return format_date(
            self.env, day, lang_code="en_US", date_format="EEEE d MMMM y"
        )

    def test_the_promised_date_stays_when_the_complaint_becomes_a_referral(self):
        complaint = self.create_complaint(
            received_date=RECEIVED, contact_date=date(2026, 3, 12)
        )
        self.assertEqual(complaint.legal_deadline, date(2026, 4, 22))
        self.refer(complaint)
        self.assertEqual(complaint.kind, "referral")
        self.assertFalse(complaint.legal_deadline, "no Awb term for a referral")
        self.assertEqual(complaint.promised_deadline, date(2026, 4, 22))
        self.assertEqual(complaint.partner_answer_deadline, date(2026, 3, 30))
        self.assertIn(("promised", date(2026, 4, 22)), complaint._pending_deadlines())
        self.assertIn(
            ("partner_answer", date(2026, 3, 30)), complaint._pending_deadlines()
        )
        self.assertFalse(complaint.term_outcome, "the figures count a referral")

    def test_the_complainant_is_told_where_it_went_and_when_they_hear_back(self):
        complaint = self.create_complaint(received_date=RECEIVED)
        self.refer(complaint, share_contact=True)
        notice = self.notices(complaint)
        self.assertEqual(len(notice), 1)
        self.assertIn("Werkbedrijf Oost", notice.subject)
        self.assertIn("Werkbedrijf Oost", notice.body)
        self.assertIn(self.long_date(date(2026, 3, 30)), notice.body)
        self.assertIn(self.long_date(date(2026, 4, 22)), notice.body)
        self.assertIn("That still stands", notice.body)
        self.assertIn("We gave them your name", notice.body)
        # the partner's people do not get the complainant's notice
        self.assertNotIn(self.partner_contacts, notice.partner_ids)

    def test_a_mediation_keeps_the_legal_term_and_says_so(self):
        complaint = self.create_complaint(received_date=RECEIVED)
        self.refer(complaint, about_partner=False)
        self.assertEqual(complaint.kind, "complaint")
        self.assertEqual(complaint.legal_deadline, date(2026, 4, 22))
        self.assertFalse(complaint.promised_deadline)
        self.assertIn(
            "We remain responsible for your complaint", self.notices(complaint).body
        )
        self.assertNotIn("That still stands", self.notices(complaint).body)

    def test_the_partner_never_answers_after_the_promised_date(self):
        complaint = self.create_complaint(received_date=date(2026, 2, 9))
        # legal term Monday 23 March, sooner than ten working days after the referral
        self.refer(complaint)
        self.assertEqual(complaint.promised_deadline, date(2026, 3, 23))
        self.assertEqual(complaint.partner_answer_deadline, date(2026, 3, 23))

    def test_the_answer_days_are_a_company_norm(self):
        complaint = self.create_complaint(received_date=RECEIVED)
        self.refer(complaint)
        self.company.complaint_partner_answer_days = 5
        self.assertEqual(complaint.partner_answer_deadline, date(2026, 3, 23))

    def test_the_partners_answer_meets_its_deadline(self):
        complaint = self.create_complaint(received_date=RECEIVED)
        self.refer(complaint)
        self.set_history(
            complaint, partner_response="Gebeld", partner_response_date=REFERRED
        )
        keys = [key for key, _day in complaint._pending_deadlines()]
        self.assertNotIn("partner_answer", keys)
        self.assertIn("promised", keys)

    def test_both_dates_are_warned_like_the_others(self):
        complaint = self.create_complaint(
            received_date=RECEIVED,
            user_id=self.employee.id,
            contact_date=date(2026, 3, 12),
        )
        self.refer(complaint)
        with freeze_time("2026-04-21"):
            self.Complaint.browse(complaint.ids)._create_deadline_warnings(
                {complaint.id: {"partner_answer", "promised"}}
            )
            self.assertEqual(complaint.deadline_state, "overdue")
        activities = self.env["mail.activity"].search(
            [("res_model", "=", complaint._name), ("res_id", "=", complaint.id)]
        )
        self.assertIn(self.type_partner, activities.activity_type_id)
        self.assertIn(self.type_promised, activities.activity_type_id)
        self.assertEqual(complaint.partner_answer_warning_deadline, date(2026, 3, 30))
        self.assertEqual(complaint.promised_warning_deadline, date(2026, 4, 22))

    def test_the_warning_cron_selects_the_referral_dates(self):
        complaint = self.create_complaint(
            received_date=RECEIVED,
            user_id=self.employee.id,
            contact_date=date(2026, 3, 12),
        )
        self.refer(complaint)
        with freeze_time("2026-03-27"):
            complaints, due = complaint._lock_deadline_warning_batch(10)
        self.assertEqual(complaints, complaint)
        self.assertEqual(due[complaint.id], {"partner_answer"})

    def test_the_partner_sees_the_date_to_answer_by_in_the_portal(self):
        complaint = self.create_complaint(received_date=RECEIVED)
        self.refer(complaint)
        user = self.partner_contacts.user_ids
        self.assertTrue(user)
        values = complaint.with_user(user).read(["partner_answer_deadline"])[0]
        self.assertEqual(values["partner_answer_deadline"], date(2026, 3, 30))
        # what the Dienst promised the complainant is the complainant's business
        with self.assertRaises(AccessError):
            complaint.with_user(user).read(["promised_deadline"])

    def test_without_e_mail_the_referral_letter_is_printed(self):
        self.complainant.email = False
        complaint = self.create_complaint(received_date=RECEIVED)
        action = self.refer(complaint)
        self.assertEqual(action["report_name"], f"{MODULE}.report_referral_notice")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                f"{MODULE}.action_report_referral_notice", complaint.ids
            )[0]
            .decode()
        )
        self.assertIn("Werkbedrijf Oost", html)
        self.assertIn("That still stands", html)

    def test_an_anonymous_complainant_gets_no_notice(self):
        complaint = self.create_complaint(received_date=RECEIVED, partner_id=False)
        self.assertIs(self.refer(complaint), True)
