import base64
import csv
import io
import json
from datetime import date

from psycopg2.errors import UniqueViolation

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user
from odoo.tools import mute_logger

from .common import MODULE
from .test_figures import SEED_2020, FiguresCase

SEED_STORIES = [
    "Afwijzing individuele inkomenstoeslag",
    "Inkomstenvrijlating",
    "Huisbezoek handhaver",
    "Eigen bijdrage kinderopvang",
]
REPORT = f"{MODULE}.action_report_annual"


class AnnualReportCase(FiguresCase):
    """A coordinator who makes, prints and exports annual reports."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["municipal.complaint.annual.report"].with_user(
            cls.coordinator
        )

    def make_report(self, year=2020, **values):
        return self.Report.create({"year": year, "lang": "en_US", **values})

    def attachment_content(self, action):
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        return attachment, base64.b64decode(attachment.datas)

    def render_html(self, report):
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.coordinator)
            ._render_qweb_html(REPORT, report.ids)
        )
        return html.decode()


class TestAnnualReport(AnnualReportCase):
    # ---------------------------------------------------------------- the draft

    def test_a_new_report_selects_the_stories_of_its_year(self):
        report = self.make_report()
        self.assertEqual(report.state, "draft")
        self.assertEqual(report.version, 1)
        self.assertEqual(report.name, "Complaint annual report 2020")
        self.assertCountEqual(report.story_ids.mapped("story_title"), SEED_STORIES)
        # the default texts, in the report's language (Dutch: see test_presenter)
        self.assertIn("satisfied with our services", report.introduction)
        self.assertIn("Recognise a complaint.", report.outlook)
        # the ombudsman paragraph starts from what the
        # ombudsman advised in the year's case
        self.assertIn("tijdelijke financiële oplossing", report.ombudsman_text)

    def test_a_draft_reads_the_register_live(self):
        report = self.make_report()
        self.assertEqual(report._get_report_data()["figures"], SEED_2020)
        self.create_complaint(received_date=date(2020, 6, 1), channel="letter")
        figures = report._get_report_data()["figures"]
        self.assertEqual(figures["complaints"], 15)
        self.assertEqual(figures["by_channel"]["letter"], 2)

    def test_a_report_made_in_the_form(self):
        with Form(self.Report) as form:
            form.year = 2020
            form.lang = "en_US"
            self.assertIn("handled 48 cases", form.figures_preview)
        report = form.record
        self.assertEqual(
            (report.year, report.company_id, report.state),
            (2020, self.company, "draft"),
        )
        self.assertEqual(len(report.story_ids), 4)
        with Form(report) as form:
            form.introduction = "<p>Een nieuw begin.</p>"
        report.action_publish()
        # the published form shows the frozen figures
        self.assertIn("Frozen at publication.", report.figures_preview)
        self.assertIn("handled 48 cases", report.figures_preview)

    def test_the_form_previews_the_figures(self):
        preview = self.make_report().figures_preview
        self.assertIn("Complaints by subject", preview)
        self.assertIn("In 2020 the complaint coordinator handled 48 cases.", preview)

    # ---------------------------------------------------------------- publishing

    def test_publishing_freezes_the_report(self):
        report = self.make_report()
        report.action_publish()
        self.assertEqual(report.state, "published")
        self.assertEqual(report.published_user_id, self.coordinator)
        self.assertEqual(report.frozen_data["figures"], SEED_2020)
        html_before = self.render_html(report)

        # later, the register changes: a case is reclassified, a
        # story withdrawn, a case anonymised
        complaints = self.env["municipal.complaint"].search(
            [("received_year", "=", 2020), ("kind", "=", "complaint")], order="id"
        )
        # (corrections of closed cases come in as the register's import does)
        self.set_history(complaints[0], category_id=self.category_beleid.id)
        story = report.story_ids[0]
        story.write({"is_story": False, "story_text": "Ingetrokken."})
        self.set_history(
            complaints[1], partner_id=False, subject="Geanonimiseerd", channel="letter"
        )
        self.create_complaint(received_date=date(2020, 6, 1))
        self.assertNotEqual(
            self.Complaint.with_user(self.coordinator)._get_annual_figures(2020),
            SEED_2020,
        )

        report.invalidate_recordset()
        data = report._get_report_data()
        self.assertEqual(data["figures"], SEED_2020)
        self.assertCountEqual([s["title"] for s in data["stories"]], SEED_STORIES)
        self.assertNotIn("Ingetrokken.", [s["text"] for s in data["stories"]])
        self.assertEqual(self.render_html(report), html_before)

    def test_a_published_report_cannot_be_changed(self):
        report = self.make_report()
        report.action_publish()
        for values in (
            {"introduction": "<p>Anders</p>"},
            {"year": 2019},
            {"story_ids": [fields.Command.clear()]},
            {"frozen_data": {"figures": {}}},
        ):
            with self.assertRaises(UserError):
                report.write(values)
        with self.assertRaises(UserError):
            report.action_publish()
        with self.assertRaises(UserError):
            report.unlink()
        # the chatter stays open
        report.message_post(body="Gepubliceerd op de website.")
        self.assertEqual(report.frozen_data["figures"], SEED_2020)

    def test_a_draft_can_be_deleted(self):
        report = self.make_report()
        report.unlink()
        self.assertFalse(report.exists())

    def test_a_new_version_is_a_draft_copy(self):
        report = self.make_report(introduction="<p>Versie een.</p>")
        # the coordinator's choices, not the year's defaults
        report.write(
            {
                "story_ids": [fields.Command.set(report.story_ids[:1].ids)],
                "ombudsman_text": "<p>Geen advies.</p>",
            }
        )
        report.action_publish()
        action = report.action_new_version()
        new = self.Report.browse(action["res_id"])
        self.assertEqual(new.state, "draft")
        self.assertEqual(new.version, 2)
        self.assertEqual(new.origin_id, report)
        self.assertEqual(new.year, 2020)
        self.assertIn("Versie een.", new.introduction)
        self.assertEqual(new.story_ids, report.story_ids)
        self.assertEqual(len(new.story_ids), 1)
        self.assertIn("Geen advies.", new.ombudsman_text)
        self.assertEqual(new.lang, report.lang)
        self.assertFalse(new.frozen_data)
        self.assertEqual(new.name, "Complaint annual report 2020 (version 2)")
        new.introduction = "<p>Versie twee.</p>"
        self.assertIn("Versie een.", report.introduction)
        # one draft at a time
        with self.assertRaises(UserError):
            report.action_new_version()
        new.action_publish()
        third = self.Report.browse(new.action_new_version()["res_id"])
        self.assertEqual(third.version, 3)

    def test_only_one_draft_per_year(self):
        report = self.make_report()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.make_report()
        # once published, a report made for the same year is its next version
        report.action_publish()
        self.assertEqual(self.make_report().version, 2)

    def test_the_wizard_opens_the_draft_of_the_year(self):
        Wizard = self.env["municipal.complaint.annual.report.wizard"].with_user(
            self.coordinator
        )
        action = Wizard.create({"year": 2020}).action_open_report()
        report = self.Report.browse(action["res_id"])
        self.assertEqual(
            (report.year, report.company_id, report.state),
            (2020, self.company, "draft"),
        )
        again = Wizard.create({"year": 2020}).action_open_report()
        self.assertEqual(again["res_id"], report.id)
        report.action_publish()
        # a published year opens its report; a new version is made from there
        self.assertEqual(
            Wizard.create({"year": 2020}).action_open_report()["res_id"], report.id
        )

    def test_employees_have_no_access_to_annual_reports(self):
        report = self.make_report()
        with self.assertRaises(AccessError):
            report.with_user(self.employee).read(["name"])
        with self.assertRaises(AccessError):
            self.env["municipal.complaint.annual.report"].with_user(
                self.employee
            ).create({"year": 2020})
        # the administrator (beheerder) may, like the coordinator
        self.assertEqual(
            report.with_user(self.manager).name, "Complaint annual report 2020"
        )

    def test_a_coordinator_of_another_company_does_not_see_the_report(self):
        report = self.make_report()
        elsewhere = self.env["res.company"].create({"name": "Dienst Elders"})
        stranger = new_test_user(
            self.env,
            "mc_coordinator_elders",
            groups=f"{MODULE}.group_complaint_coordinator",
            company_id=elsewhere.id,
            company_ids=[(6, 0, elsewhere.ids)],
        )
        self.assertFalse(
            self.Report.with_user(stranger).search([("id", "=", report.id)])
        )
        with self.assertRaises(AccessError):
            report.with_user(stranger).read(["name"])

    # ---------------------------------------------------------------- comparison

    def test_the_previous_year_is_compared_from_the_register(self):
        self.closed(
            date(2019, 3, 4), date(2019, 3, 20), channel="letter", **self.informal()
        )
        self.register(date(2019, 5, 6), category_id=self.category_doorverwijzing.id)
        previous = self.make_report()._get_report_data()["previous"]
        self.assertEqual(previous["year"], 2019)
        self.assertEqual(previous["source"], "register")
        self.assertEqual(previous["figures"]["total"], 2)
        self.assertEqual(previous["figures"]["by_channel"], {"letter": 1})

    def test_the_previous_year_is_compared_from_its_published_report(self):
        self.closed(
            date(2019, 3, 4), date(2019, 3, 20), channel="letter", **self.informal()
        )
        self.make_report(year=2019).action_publish()
        self.register(date(2019, 5, 6))  # registered after 2019's report was published
        previous = self.make_report()._get_report_data()["previous"]
        self.assertEqual(previous["source"], "report")
        self.assertEqual(previous["figures"]["total"], 1)

    def test_no_comparison_without_a_previous_year(self):
        report = self.make_report()
        self.assertIsNone(report._get_report_data()["previous"])
        self.assertNotIn('class="mc-num mc-prev"', self.render_html(report))

    # ---------------------------------------------------------------- improvements

    def test_improvement_points_of_the_year_are_frozen_too(self):
        year = fields.Date.today().year
        improvement = (
            self.env["municipal.complaint.improvement"]
            .with_user(self.coordinator)
            .create(
                {
                    "name": "Terugbelafspraken nakomen",
                    "description": "<p>Een terugbelnotitie in het dossier.</p>",
                }
            )
        )
        report = self.make_report(year=year)
        self.assertIn(improvement, report.improvement_ids)
        report.action_publish()
        improvement.write({"state": "done", "result": "<p>Ingevoerd.</p>"})
        frozen = [
            i
            for i in report._get_report_data()["improvements"]
            if i["name"] == improvement.name
        ]
        self.assertEqual(frozen[0]["state"], "open")
        html = self.render_html(report)
        self.assertIn("Terugbelafspraken nakomen", html)
        self.assertNotIn("Ingevoerd.", html)

    # ---------------------------------------------------------------- exports

    def test_csv_export(self):
        report = self.make_report()
        report.action_publish()
        attachment, content = self.attachment_content(report.action_export_csv())
        self.assertEqual(
            (attachment.res_model, attachment.res_id), (report._name, report.id)
        )
        self.assertTrue(attachment.name.endswith(".csv"))
        rows = list(csv.DictReader(io.StringIO(content.decode())))
        values = {
            (row["section"], row["key"]): row["value"]
            for row in rows
            if row["section"] != "stories"
        }
        self.assertEqual(values[("cases", "total")], "48")
        self.assertEqual(values[("cases", "referral")], "26")
        self.assertEqual(values[("cases", "service")], "22")
        self.assertEqual(values[("cases", "policy")], "6")
        self.assertEqual(values[("cases", "proactive")], "2")
        self.assertEqual(values[("cases", "complaints")], "14")
        for code, count in SEED_2020["by_category"].items():
            self.assertEqual(values[("by_category", code)], str(count))
        for section in ("by_channel", "by_handling", "by_judgment", "by_term"):
            for key, count in SEED_2020[section].items():
                self.assertEqual(values[(section, key)], str(count))
        # zero buckets are rows too, so the file reads the same every year
        self.assertEqual(values[("by_term", "late")], "0")
        self.assertEqual(values[("ombudsman", "ombudsman_received")], "0")
        self.assertEqual(values[("ombudsman", "ombudsman_submitted")], "1")
        self.assertTrue(all(row["year"] == "2020" for row in rows))
        stories = [row for row in rows if row["section"] == "stories"]
        self.assertCountEqual([row["label"] for row in stories], SEED_STORIES)
        self.assertTrue(all(row["text"] for row in stories))
        # a published report's export is made once
        again, _content = self.attachment_content(report.action_export_csv())
        self.assertEqual(again, attachment)

    def test_json_export(self):
        report = self.make_report()
        report.action_publish()
        _attachment, content = self.attachment_content(report.action_export_json())
        payload = json.loads(content)
        self.assertEqual(payload["year"], 2020)
        self.assertEqual(payload["state"], "published")
        self.assertEqual(payload["figures"], SEED_2020)
        self.assertCountEqual(
            [story["title"] for story in payload["stories"]], SEED_STORIES
        )
        self.assertTrue(all(story["text"] for story in payload["stories"]))
        self.assertEqual(payload["categories"]["BEJEGENING"], "Treatment")
        # the export of a published report is frozen like the report
        self.create_complaint(received_date=date(2020, 6, 1))
        self.assertEqual(json.loads(report._export_json())["figures"], SEED_2020)

    def test_the_export_of_a_draft_says_so(self):
        report = self.make_report()
        attachment, content = self.attachment_content(report.action_export_json())
        self.assertIn("draft", attachment.name)
        self.assertEqual(json.loads(content)["state"], "draft")

    # ---------------------------------------------------------------- the PDF's HTML

    def test_the_report_has_every_section_and_number(self):
        report = self.make_report(
            introduction="<p>Inleidende woorden.</p>",
            outlook="<p>Vooruitblik op het nieuwe jaar.</p>",
            ombudsman_text="<p>Vrije tekst over de ombudsman.</p>",
        )
        report.action_publish()
        html = self.render_html(report)
        for section in (
            "Introduction",
            "Figures",
            "Handling",
            "Topics",
            "Stories",
            "The Nationale ombudsman",
            "Outlook",
            "Improvement points",
        ):
            self.assertIn(f"<h2>{section}</h2>", html)
        for text in (
            "Inleidende woorden.",
            "Vooruitblik op het nieuwe jaar.",
            "Vrije tekst over de ombudsman.",
            # Cijfers: the 2020 report's narrative, from the figures
            "In 2020 the complaint coordinator handled 48 cases.",
            "In 26 cases it concerned referral to or "
            "mediation with (contract) partners.",
            "22 cases were about the Dienst itself.",
            "6 of these were about policy",
            "In 2 cases the complaint coordinator contacted a client proactively.",
            "The remaining 14 real complaints are broken down below.",
            # Afhandeling: the norms, the values and how the complaints were handled
            "We contact the complainant within 5 working days.",
            "We look for an informal solution first.",
            "We do not handle complaints about policy, but we do explain it.",
            "We are open and clear",
            "We are respectful",
            "We are involved and solution-oriented",
            "We are honest and reliable",
            "We handled 13 complaints informally.",
            "1 complaint was handled formally: 1 unfounded.",
            "We handled 12 complaints within the legal term.",
            "1 complaint was brought to the attention of the Nationale ombudsman",
            "In 1 case a mediation is under way",
            # Onderwerpen: the categories and their descriptions
            "Treatment",
            "The service, the manner of contact, the tone",
            # De Nationale ombudsman
            "In 2020 the Nationale ombudsman received 0 complaints about the Dienst.",
            "the Dienst submitted 1 case to the Nationale ombudsman",
        ):
            self.assertIn(text, html)
        for title in SEED_STORIES:
            self.assertIn(title, html)
        # the breakdowns as tables and as inline SVG bar charts
        for name in (
            "kinds",
            "by_category",
            "by_channel",
            "by_handling",
            "by_judgment",
            "by_term",
            "by_recognition",
        ):
            self.assertIn(f'data-chart="{name}"', html)
            self.assertIn(f'data-breakdown="{name}"', html)
        self.assertEqual(html.count("<svg"), 7)
        self.assertIn("page-break-before: always", html)
        self.assertNotIn("DRAFT", html)

    def test_a_draft_is_marked_as_such(self):
        self.assertIn("DRAFT", self.render_html(self.make_report()))

    def test_the_report_renders_in_its_language(self):
        report = self.make_report()
        self.assertIn('data-oe-lang="en_US"', self.render_html(report))
        self.assertEqual(
            self.env["municipal.complaint.annual.report"]
            .create({"year": 2019, "company_id": self.company.id})
            .lang,
            self.company.partner_id.lang or self.env.lang,
        )
