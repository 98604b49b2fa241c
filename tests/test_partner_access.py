"""A contract partner reads a referred case while the referral lasts; nobody outside
the Dienst reads an archived case."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .portal_common import PortalCase


@tagged("post_install", "-at_install")
class TestPartnerAccess(PortalCase):
    def assertPartnerReads(self, complaint, reads=True):
        complaint.invalidate_recordset()
        readable = complaint.with_user(self.user_a).search([("id", "=", complaint.id)])
        self.assertEqual(bool(readable), reads)
        if not reads:
            with self.assertRaises(AccessError):
                complaint.with_user(self.user_a).read(["subject"])

    def test_partner_access_ends_when_the_mediation_ends(self):
        self.assertPartnerReads(self.case_a)
        self.case_a.with_user(self.coordinator).action_mediation_succeeded()
        self.assertPartnerReads(self.case_a, reads=False)
        self.login(self.user_a)
        self.assertEqual(self.get(f"/my/complaints/{self.case_a.id}").status_code, 404)
        self.assertFalse(
            self.rpc(
                "mail.message",
                "search",
                [
                    ("model", "=", "municipal.complaint"),
                    ("res_id", "=", self.case_a.id),
                ],
            )
        )

    def test_partner_access_lasts_the_configured_days_after_the_mediation(self):
        self.company.complaint_partner_access_days = 3
        with freeze_time("2026-03-20"):
            self.case_a.with_user(self.coordinator).action_mediation_failed()
            self.assertEqual(self.case_a.partner_access_end_date, date(2026, 3, 23))
            self.assertPartnerReads(self.case_a)
        with freeze_time("2026-03-22"):
            self.assertPartnerReads(self.case_a)
        with freeze_time("2026-03-23"):
            self.assertPartnerReads(self.case_a, reads=False)

    def test_partner_access_ends_when_the_case_is_closed(self):
        # a case of the Dienst itself, referred for help: the closing ends it
        self.set_history(
            self.case_b,
            category_id=self.category_bejegening.id,
            referral_partner_id=self.org_a.id,
        )
        self.assertPartnerReads(self.case_b)
        self.set_history(self.case_b, closed_date=date(2026, 3, 20))
        self.assertPartnerReads(self.case_b, reads=False)

    def test_a_later_referral_does_not_reopen_an_ended_access_of_another_partner(self):
        self.case_a.with_user(self.coordinator).action_mediation_succeeded()
        self.case_a.with_user(self.coordinator).action_refer(self.org_b)
        self.assertPartnerReads(self.case_a, reads=False)
        self.assertTrue(
            self.case_a.with_user(self.user_b).search([("id", "=", self.case_a.id)])
        )

    def test_archived_case_is_read_by_neither_partner_nor_citizen(self):
        self.case_a.with_user(self.coordinator).active = False
        self.case_citizen.with_user(self.coordinator).active = False
        self.assertPartnerReads(self.case_a, reads=False)
        with self.assertRaises(AccessError):
            self.case_citizen.with_user(self.citizen).read(["subject"])
        self.login(self.citizen)
        self.assertEqual(self.get(self.case_citizen.access_url).status_code, 404)
        self.assertRouteRefused(
            "/mail/chatter_fetch",
            thread_model=self.case_citizen._name,
            thread_id=self.case_citizen.id,
        )

    def test_partner_access_end_is_not_writable(self):
        later = {"partner_access_end_date": date.today() + timedelta(days=365)}
        with self.assertRaises(UserError):
            self.case_a.with_user(self.coordinator).write(later)
        mine = self.create_complaint(
            user=self.employee, referral_partner_id=self.org_a.id
        )
        with self.assertRaises(UserError):
            mine.with_user(self.employee).write(later)
        self.assertFalse(self.case_a.partner_access_end_date)

    def test_anonymising_a_case_blanks_the_text_shared_with_the_partner(self):
        self.set_history(self.case_a, closed_date=date(2026, 3, 20))
        self.case_a.with_user(self.coordinator)._anonymise()
        self.assertEqual(self.case_a.referral_text, "Removed after the retention term")
