"""What a published annual report says is written by publishing only, printed
without active content, and exported so that a spreadsheet never runs it."""

import csv
import io
import json
from datetime import date

from odoo import fields
from odoo.exceptions import UserError
from odoo.tools import mute_logger

from odoo.addons.municipal_complaint.reports.annual_report import _csv_cell

from .test_annual_report import AnnualReportCase
from .test_figures import SEED_2020

FORGED = {"figures": {**SEED_2020, "total": 1, "complaints": 0}, "stories": []}
HOSTILE_HTML = (
    "<p>Wachttijd verkort.</p><script>alert('xss')</script>"
    '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">klik</a>'
)


def store_past_the_orm(report, frozen_data):
    """Frozen data as an old version or a database tool may have stored it."""
    report.env.flush_all()
    report.env.cr.execute(
        "UPDATE municipal_complaint_annual_report SET frozen_data = %s WHERE id = %s",
        [json.dumps(frozen_data), report.id],
    )
    report.invalidate_recordset()


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


class TestNothingStoredIsPrintedUnescaped(AnnualReportCase):
    def test_hostile_improvement_text_is_frozen_and_printed_sanitized(self):
        improvement = (
            self.env["municipal.complaint.improvement"]
            .with_user(self.coordinator)
            .create(
                {
                    "name": "Wachttijd <script>alert('naam')</script>",
                    "description": HOSTILE_HTML,
                    "result": HOSTILE_HTML,
                }
            )
        )
        report = self.make_report(
            year=fields.Date.today().year,
            introduction=HOSTILE_HTML,
            outlook=HOSTILE_HTML,
            ombudsman_text=HOSTILE_HTML,
        )
        self.assertIn(improvement, report.improvement_ids)
        report.action_publish()
        frozen = next(
            i
            for i in report.frozen_data["improvements"]
            if i["name"] == improvement.name
        )
        for key in ("description", "result"):
            self.assertIn("Wachttijd verkort.", frozen[key])
            for active in ("<script", "onerror", "javascript:"):
                self.assertNotIn(active, frozen[key])
        html = self.render_html(report)
        self.assertIn("Wachttijd verkort.", html)
        for active in (
            "alert('xss')",
            'onerror="alert',
            "javascript:",
            "<script>alert",
        ):
            self.assertNotIn(active, html)
        # a name is text: shown, escaped
        self.assertIn("Wachttijd &lt;script&gt;alert(&#39;naam&#39;)", html)

    def test_frozen_data_stored_by_other_means_is_printed_sanitized(self):
        """Frozen data written past the ORM (an old version, a database tool) is
        still printed without active content."""
        report = self.make_report()
        report.action_publish()
        data = dict(report.frozen_data)
        data["improvements"] = [
            {
                "name": "<b>Vet</b>",
                "description": HOSTILE_HTML,
                "state": "open",
                "due_date": "",
                "result": "<script>alert('result')</script>",
            }
        ]
        data["stories"] = [
            {
                "title": "<i onmouseover=alert(3)>Titel</i>",
                "text": "<script>x</script>",
            }
        ]
        data["categories"][0]["name"] = "<script>alert('rubriek')</script>"
        store_past_the_orm(report, data)
        html = self.render_html(report)
        self.assertIn("Wachttijd verkort.", html)
        for active in (
            "alert('xss')",
            "alert('result')",
            "alert('rubriek')",
            "<i onmouseover",
            "<script>x",
            'onerror="alert',
            "<b>Vet",
        ):
            self.assertNotIn(active, html)
        self.assertIn("&lt;i onmouseover=alert(3)&gt;Titel&lt;/i&gt;", html)
        self.assertIn("&lt;b&gt;Vet&lt;/b&gt;", html)


class TestCsvExportIsSafeInSpreadsheets(AnnualReportCase):
    def rows(self, report):
        _attachment, content = self.attachment_content(report.action_export_csv())
        return list(csv.reader(io.StringIO(content.decode())))

    def test_a_text_cell_that_starts_like_a_formula_is_quoted(self):
        formulas = [
            '=HYPERLINK("https://evil.example","klik")',
            "+1+1",
            "-2+3",
            "@SUM(A1:A9)",
            "\t=1+1",
            "\r=1+1",
            "  =1+1",
        ]
        for index, formula in enumerate(formulas):
            self.create_complaint(
                received_date=date(2020, 6, 1 + index),
                is_story=True,
                story_title=f"Verhaal {index}",
                story_text=formula,
            )
        self.env["municipal.complaint.category"].create(
            {"name": "=cmd|' /C calc'!A0", "code": "-EVIL", "kind": "complaint"}
        )
        rows = self.rows(self.make_report())
        texts = [row[5] for row in rows if row[1] == "stories"]
        for formula in formulas:
            self.assertIn("'" + formula, texts)
        category = next(
            row for row in rows if row[1] == "by_category" and "EVIL" in row[2]
        )
        self.assertEqual(category[2:5], ["'-EVIL", "'=cmd|' /C calc'!A0", "0"])
        # nothing else of the file starts like a formula
        for row in rows:
            for cell in row:
                self.assertFalse(
                    cell.lstrip(" ").startswith(("=", "+", "@", "\t", "\r"))
                    or (cell.startswith("-") and not cell.lstrip("-").isdigit()),
                    cell,
                )
        # harmless text and the numbers are as they were
        total = next(row for row in rows if row[1:3] == ["cases", "total"])
        self.assertEqual(total[4], str(SEED_2020["total"] + len(formulas)))

    def test_numbers_stay_numbers_also_negative_ones(self):
        self.assertEqual(_csv_cell(-3), -3)
        self.assertEqual(_csv_cell(0), 0)
        self.assertEqual(_csv_cell(2020), 2020)
        self.assertEqual(_csv_cell("-3"), "'-3")
        self.assertEqual(_csv_cell("Bejegening - toon"), "Bejegening - toon")
        self.assertEqual(_csv_cell(""), "")
        # a negative count (frozen data from elsewhere) is still written as a number
        report = self.make_report()
        report.action_publish()
        data = dict(report.frozen_data, figures={**SEED_2020, "total": -5})
        store_past_the_orm(report, data)
        total = next(row for row in self.rows(report) if row[1:3] == ["cases", "total"])
        self.assertEqual(total[4], "-5")
