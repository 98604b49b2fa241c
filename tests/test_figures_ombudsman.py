"""The Nationale ombudsman lines of the figures count the real complaints by the year
the ombudsman received them (from the complainant, or submitted by the Dienst); every
other number counts by the year of receipt."""

from datetime import date

from .test_annual_report import AnnualReportCase
from .test_figures import SEED_2020


class TestOmbudsmanYear(AnnualReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        informal = cls.informal()
        # received and closed in 2017; the complainant went to the ombudsman in 2018
        cls.went_later = cls.escalate(
            cls.closed(date(2017, 11, 6), date(2017, 12, 11), **informal),
            date(2018, 2, 1),
        )
        # received in 2018 and submitted by the Dienst the same year
        cls.submitted = cls.escalate(
            cls.register(date(2018, 3, 5), channel="letter"),
            date(2018, 4, 2),
            "service",
        )
        # received in 2018; the complainant went to the ombudsman in 2019
        cls.next_year = cls.escalate(
            cls.closed(date(2018, 5, 7), date(2018, 6, 4), **informal),
            date(2019, 1, 15),
            ombudsman_finding="not_at_fault",
            ombudsman_advice="Leg de regeling nog eens schriftelijk uit.",
        )
        # not counted: a referral, an archived case, another company's case
        cls.escalate(
            cls.register(date(2018, 5, 8), category_id=cls.category_doorverwijzing.id),
            date(2018, 6, 1),
            "service",
        )
        cls.escalate(
            cls.register(date(2018, 5, 9)), date(2018, 6, 1), "service"
        ).action_archive()
        elsewhere = cls.env["res.company"].create({"name": "Dienst Elders"})
        cls.register(
            date(2018, 5, 10),
            company_id=elsewhere.id,
            user=cls.env.user,
            ombudsman_initiator="service",
            ombudsman_consent=True,
            ombudsman_date=date(2018, 6, 1),
        )

    @classmethod
    def escalate(cls, complaint, when, initiator="complainant", **values):
        complaint.with_user(cls.coordinator).action_record_ombudsman(
            {
                "ombudsman_initiator": initiator,
                "ombudsman_consent": initiator == "service",
                "ombudsman_date": when,
                **values,
            }
        )
        return complaint

    def figures(self, year):
        return self.Complaint.with_user(self.coordinator)._get_annual_figures(year)

    def test_the_ombudsman_lines_count_by_the_year_the_ombudsman_received_the_case(
        self,
    ):
        lines = {
            year: (
                self.figures(year)["ombudsman_received"],
                self.figures(year)["ombudsman_submitted"],
            )
            for year in (2017, 2018, 2019)
        }
        self.assertEqual(lines, {2017: (0, 0), 2018: (1, 1), 2019: (1, 0)})

    def test_the_other_numbers_keep_counting_by_the_year_of_receipt(self):
        self.assertEqual(self.figures(2017)["total"], 1)
        figures = self.figures(2018)
        self.assertEqual(
            (figures["total"], figures["referral"], figures["complaints"]), (3, 1, 2)
        )
        self.assertEqual(figures["by_channel"], {"oral": 1, "letter": 1})
        self.assertEqual(figures["by_term"], {"within": 1, "ombudsman": 1})
        self.assertEqual(self.figures(2019)["total"], 0)

    def test_the_demo_register_keeps_the_2020_figures(self):
        self.assertEqual(self.figures(2020), SEED_2020)
        self.assertEqual(self.figures(2021)["ombudsman_submitted"], 0)

    def test_the_report_says_how_the_ombudsman_lines_count(self):
        report = self.make_report(year=2019)
        # the paragraph starts from the advice on the case the ombudsman received
        self.assertIn(
            "Leg de regeling nog eens schriftelijk uit.", report.ombudsman_text
        )
        html = self.render_html(report)
        self.assertIn(
            "In 2019 the Nationale ombudsman received 1 complaint about the Dienst.",
            html,
        )
        self.assertIn(
            "A case counts in the year the Nationale ombudsman received it, also "
            "when the complaint came in earlier.",
            html,
        )
        self.assertNotIn("the Dienst submitted", html)
        report_2018 = self.make_report(year=2018)
        self.assertIn(
            "In 2018, in consultation with the complainant, the Dienst submitted 1 "
            "case to the Nationale ombudsman for investigation.",
            self.render_html(report_2018),
        )
        self.assertNotIn("Leg de regeling", report_2018.ombudsman_text or "")
