"""The letters of a case by report URL (/report/html|pdf/<report>/<ids>): only for who
may read the case."""

import re

from odoo.tests import tagged

from .portal_common import PortalCase

LETTERS = (
    "municipal_complaint.report_acknowledgment",
    "municipal_complaint.report_referral_notice",
    "municipal_complaint.report_postponement",
    "municipal_complaint.report_conclusion_letter",
    "municipal_complaint.report_not_handled_letter",
)


@tagged("post_install", "-at_install")
class TestReportAccess(PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a citizen who follows the complaint in the portal: their own contact is
        # the complainant (a user's contact, which internal users read)
        cls.citizen.partner_id.street = "Geheimstraat 7"
        cls.secret_case = cls.create_complaint(
            subject="Bijstand stopgezet wegens ziekte",
            partner_id=cls.citizen.partner_id.id,
            user_id=cls.colleague.id,
        )

    def printed(self, user, report, complaint):
        """The letter ``report`` of ``complaint`` as ``user`` gets it by URL: the
        status and the text (tags dropped)."""
        self.login(user)
        response = self.get(f"/report/html/{report}/{complaint.id}")
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))
        return response.status_code, text

    def test_a_letter_url_of_a_case_one_may_not_read_is_refused(self):
        """An internal user of another department gets no letter of a case by id: the
        read rules are asked before anything reads the case."""
        leaked = {}
        for report in LETTERS:
            status, text = self.printed(self.outsider, report, self.secret_case)
            if status == 200 and "Bijstand stopgezet" in text:
                leaked[report] = text[-400:]
        self.assertFalse(leaked, f"printed without access: {leaked}")

    def test_a_letter_url_of_a_colleagues_case_is_refused_to_a_medewerker(self):
        """The same for a Medewerker and a colleague's case."""
        leaked = {}
        for report in LETTERS:
            status, text = self.printed(self.employee, report, self.secret_case)
            if status == 200 and "Bijstand stopgezet" in text:
                leaked[report] = text[-400:]
        self.assertFalse(leaked, f"printed without access: {leaked}")
