"""What a published annual report says is written by publishing only."""

from odoo import fields
from odoo.exceptions import UserError
from odoo.tools import mute_logger

from .test_annual_report import AnnualReportCase
from .test_figures import SEED_2020

FORGED = {"figures": {**SEED_2020, "total": 1, "complaints": 0}, "stories": []}


class TestPublicationIsWrittenByPublishingOnly(AnnualReportCase):
    def assertStillDraft(self, report):
        report.invalidate_recordset()
        self.assertEqual(report.state, "draft")
        self.assertFalse(report.frozen_data)
        self.assertFalse(report.published_date)
        self.assertFalse(report.published_user_id)

    def test_a_coordinator_cannot_write_the_state_or_frozen_data(self):
        report = self.make_report()
        for values in (
            {"state": "published", "frozen_data": FORGED},
            {"state": "published"},
            {"frozen_data": FORGED},
            {"published_date": fields.Datetime.now()},
            {"published_user_id": self.coordinator.id},
            {"introduction": "<p>Nieuw.</p>", "frozen_data": FORGED},
        ):
            with self.subTest(fields=sorted(values)), self.assertRaises(UserError):
                report.write(values)
            self.assertStillDraft(report)
        self.assertNotIn("Nieuw.", report.introduction)

    def test_no_one_creates_or_copies_a_report_as_published(self):
        for Report in (self.Report, self.env["municipal.complaint.annual.report"]):
            with self.subTest(user=Report.env.user.name), self.assertRaises(UserError):
                Report.create(
                    {"year": 2019, "state": "published", "frozen_data": FORGED}
                )
        report = self.make_report()
        with self.assertRaises(UserError):
            report.copy({"year": 2019, "frozen_data": FORGED})
        self.assertFalse(self.Report.search([("year", "=", 2019)]))

    def test_a_context_key_does_not_open_the_publication_fields(self):
        """A client controls the whole context: no value it can send passes."""
        report = self.make_report()
        for value in (True, 1, "1", "publishing", {"publishing": True}):
            Report = report.with_context(
                municipal_complaint_annual_report_publishing=value
            )
            with self.subTest(value=value), self.assertRaises(UserError):
                Report.write({"state": "published", "frozen_data": FORGED})
        self.assertStillDraft(report)

    def test_an_import_cannot_set_the_state(self):
        with mute_logger("odoo.sql_db"):
            result = self.Report.load(
                ["year", "state", "frozen_data"], [["2019", "published", "{}"]]
            )
        self.assertFalse(result["ids"])
        self.assertTrue(result["messages"])
        self.assertFalse(self.Report.search([("year", "=", 2019)]))

    def test_publishing_still_freezes_and_a_forged_state_does_not(self):
        report = self.make_report()
        with self.assertRaises(UserError):
            report.write({"state": "published"})
        report.action_publish()
        self.assertEqual(report.state, "published")
        self.assertEqual(report.frozen_data["figures"], SEED_2020)
        self.assertEqual(report.published_user_id, self.coordinator)
        # once published, nobody rewrites what was published either
        with self.assertRaises(UserError):
            report.sudo().write({"frozen_data": FORGED})
        self.assertEqual(report.frozen_data["figures"], SEED_2020)
