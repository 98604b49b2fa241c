"""Every letter and the annual report are PDFs with real text, a title and a
language: rendered through wkhtmltopdf and read back with pdftotext (poppler-utils),
as an archive, a search engine or a screen reader reads them."""

import io
import shutil
import subprocess
import tempfile
from datetime import date

from odoo.tests import HttpCase, tagged
from odoo.tools import format_date
from odoo.tools.pdf import PdfFileReader

from odoo.addons.municipal_complaint.models.complaint_lifecycle import (
    HISTORY_IMPORT_KEY,
)

from .common import MODULE


@tagged("post_install", "-at_install")
class TestLetterPdfText(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.yilmaz = cls.env["res.partner"].create(
            {
                "name": "F. Yilmaz",
                "street": "Kerkstraat 1",
                "zip": "3511 AB",
                "city": "Utrecht",
                "complaint_salutation": "mr",
                "lang": "nl_NL",
            }
        )
        cls.bos = cls.env["res.partner"].create({"name": "H. Bos", "lang": "nl_NL"})
        cls.werkbedrijf = cls.env["res.partner"].create(
            {
                "name": "Werkbedrijf Oost",
                "is_company": True,
                "is_complaint_partner": True,
            }
        )
        cls.history = (
            cls.env["municipal.complaint"]
            .sudo()
            .with_context(**{HISTORY_IMPORT_KEY: True})
        )
        base = {
            "category_id": cls.env.ref(f"{MODULE}.category_bejegening").id,
            "received_date": date(2026, 3, 11),
            "partner_id": cls.yilmaz.id,
        }
        cls.open_case = cls.history.create(dict(base, subject="Niet teruggebeld"))
        cls.postponed = cls.history.create(
            dict(
                base,
                subject="Besluit duurt lang",
                postponed=True,
                postpone_count=1,
                postpone_weeks=4,
                postpone_reason="wij wachten op het dossier",
            )
        )
        cls.referred = cls.history.create(
            dict(
                base,
                subject="Coach kwam niet opdagen",
                referral_partner_id=cls.werkbedrijf.id,
                referral_date=date(2026, 3, 16),
                mediation_state="ongoing",
                promised_deadline=date(2026, 4, 22),
            )
        )
        cls.concluded = cls.history.create(
            dict(
                base,
                subject="Onheuse bejegening",
                partner_id=cls.bos.id,
                closed_date=date(2026, 4, 1),
                handling="formal",
                judgment="unfounded",
                findings="<p>Het gesprek is volgens de notities correct verlopen.</p>",
                conclusions="<p>Wij bieden een nieuw gesprek aan.</p>",
                hearing_skip_reason="waived",
            )
        )
        cls.not_handled = cls.history.create(
            dict(
                base,
                subject="Oude zaak",
                closed_date=date(2026, 4, 1),
                handling="not_handled",
                not_handled_reason="over_a_year",
            )
        )

    def setUp(self):
        super().setUp()
        self.assertTrue(
            shutil.which("pdftotext") and shutil.which("pdfinfo"),
            "poppler-utils (pdftotext, pdfinfo) is needed: the harness installs it",
        )
        # wkhtmltopdf fetches the report's assets from the test server
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())

    def render(self, report, records):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(kind, "pdf")
        return pdf

    def read_pdf(self, pdf):
        """The text, the title and the language of ``pdf``, as tools read them."""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", file.name, "-"],
                capture_output=True,
                check=True,
                text=True,
            ).stdout
            info = subprocess.run(
                ["pdfinfo", file.name], capture_output=True, check=True, text=True
            ).stdout
        title = next(
            (
                line.split(":", 1)[1].strip()
                for line in info.splitlines()
                if line.startswith("Title:")
            ),
            "",
        )
        root = PdfFileReader(io.BytesIO(pdf), strict=False).trailer["/Root"]
        return " ".join(text.split()), title, str(root.get("/Lang") or "")

    def assert_letter(self, report, record, sentences, title):
        text, pdf_title, lang = self.read_pdf(self.render(report, record))
        for sentence in sentences:
            self.assertIn(sentence, text)
        self.assertIn(title, pdf_title)
        self.assertEqual(lang, "nl")

    def test_every_letter_has_its_text_title_and_language(self):
        self.assert_letter(
            f"{MODULE}.action_report_acknowledgment",
            self.open_case,
            [
                "Geachte heer Yilmaz,",
                "Niet teruggebeld",
                self.open_case.name,
            ],
            self.open_case.name,
        )
        self.assert_letter(
            f"{MODULE}.action_report_postponement",
            self.postponed,
            ["Geachte heer Yilmaz,", "wij wachten op het dossier", "20 mei 2026"],
            self.postponed.name,
        )
        self.assert_letter(
            f"{MODULE}.action_report_referral_notice",
            self.referred,
            ["Geachte heer Yilmaz,", "Werkbedrijf Oost", "22 april 2026"],
            self.referred.name,
        )
        self.assert_letter(
            f"{MODULE}.action_report_conclusion_letter",
            self.concluded,
            [
                "Geachte heer/mevrouw Bos,",
                "Het gesprek is volgens de notities correct verlopen.",
                "Nationale ombudsman",
                format_date(self.env, date(2027, 4, 1), lang_code="nl_NL"),
            ],
            self.concluded.name,
        )
        self.assert_letter(
            f"{MODULE}.action_report_not_handled_letter",
            self.not_handled,
            ["Geachte heer Yilmaz,", "9:8", "Nationale ombudsman"],
            self.not_handled.name,
        )

    def test_the_annual_report_has_its_text_title_and_language(self):
        report = (
            self.env["municipal.complaint.annual.report"]
            .with_context(lang="nl_NL")
            ._get_or_create_for_year(2026, self.env.company)
        )
        report.lang = "nl_NL"
        text, title, lang = self.read_pdf(
            self.render(f"{MODULE}.action_report_annual", report)
        )
        self.assertIn("2026", text)
        self.assertIn("klacht", text.lower())
        self.assertIn("2026", title)
        self.assertEqual(lang, "nl")
