"""Fault: the PDF engine fails. wkhtmltopdf missing, crashing, writing nothing or
hanging past its time limit: a step that needs a printed letter is refused with a
clear message and the case stays exactly as it was; a step that needs none goes on;
the annual report's PDF says what is missing and its CSV and JSON still work.

The engine is replaced by small stand-in scripts (Odoo's look-up of the binary is
patched, as Odoo's own tests do), and the renders are real: ``force_report_rendering``
makes Odoo call the engine inside the tests too."""

import base64
import hashlib
import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError

from odoo.addons.base.models import ir_actions_report

from ..models.complaint_letter_pdf import PDF_TIMEOUT_PARAM
from .closing_common import ClosingCase
from .common import MODULE

STAND_INS = {
    # writes a small PDF to its last argument, as wkhtmltopdf does
    "working": 'for last; do :; done\nprintf "%%PDF-1.4\\n%%%%EOF\\n" > "$last"\n',
    "crashing": 'echo "Segmentation fault (core dumped)" >&2\nkill -SEGV $$\n',
    # status 1 is a warning to Odoo: it would take the missing file for a PDF
    "writing nothing": "exit 1\n",
    "hanging": "exec sleep 60\n",
}


class TestPdfEngineFails(ClosingCase):
    """Not under freezegun: it stops the clock the engine's time limit runs on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bin_dir = tempfile.mkdtemp(prefix="complaint-wkhtmltopdf-")
        cls.addClassCleanup(shutil.rmtree, cls.bin_dir, ignore_errors=True)
        cls.engines = {}
        for name, body in STAND_INS.items():
            path = os.path.join(cls.bin_dir, name.replace(" ", "-"))
            with open(path, "w", encoding="utf-8") as script:
                script.write("#!/bin/sh\n" + body)
            os.chmod(path, stat.S_IRWXU)
            cls.engines[name] = path
        cls.env["ir.config_parameter"].set_param(PDF_TIMEOUT_PARAM, "1")

    @contextmanager
    def engine(self, name):
        """Odoo finds ``name`` as its wkhtmltopdf ("missing": none at all)."""
        info = ir_actions_report.WkhtmlInfo(
            state="install" if name == "missing" else "ok",
            dpi_zoom_ratio=True,
            bin=self.engines.get(name, "wkhtmltopdf"),
            version="0.12.6",
            is_patched_qt=False,
            wkhtmltoimage_bin="wkhtmltoimage",
            wkhtmltoimage_version=None,
        )
        with patch.object(ir_actions_report, "_wkhtml", return_value=info):
            yield

    def running_case(self):
        """A case whose legal term still runs, so that it can be postponed."""
        return self.create_complaint(
            received_date=fields.Date.today() - timedelta(days=7)
        )

    def rendering(self, record, user=None):
        return record.with_user(user or self.coordinator).with_context(
            force_report_rendering=True
        )

    def snapshot(self, complaint):
        """What a user sees of the case, and what is stored for it."""
        complaint.invalidate_recordset()
        attachments = self.env["ir.attachment"].search_count(
            [("res_model", "=", complaint._name), ("res_id", "=", complaint.id)]
        )
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search_count(
                [("model", "=", complaint._name), ("res_id", "=", complaint.id)]
            )
        )
        return {
            "stage": complaint.stage_id,
            "closed_date": complaint.closed_date,
            "is_closed": complaint.is_closed,
            "handling": complaint.handling,
            "judgment": complaint.judgment,
            "term_outcome": complaint.term_outcome,
            "legal_deadline": complaint.legal_deadline,
            "postpone_count": complaint.postpone_count,
            "messages": len(complaint.message_ids),
            "attachments": attachments,
            "mails": mails,
        }

    def filestore(self):
        root = self.env["ir.attachment"]._filestore()
        return {
            os.path.join(folder, name)
            for folder, _dirs, names in os.walk(root)
            if "checklist" not in folder
            for name in names
        }

    def assertRefused(self, complaint, step, engine, message):
        before = self.snapshot(complaint)
        files = self.filestore()
        with self.engine(engine), self.assertRaises(UserError) as refused:
            step()
        self.assertIn(message, str(refused.exception))
        self.assertEqual(self.snapshot(complaint), before, "the case is as before")
        self.assertEqual(self.filestore(), files, "no file was written")
        return str(refused.exception)

    # ---------------------------------------------------------------- closing
    def test_closing_with_the_engine_missing_is_refused_and_changes_nothing(self):
        self.complainant.email = False
        complaint = self.create_complaint()
        self.assertRefused(
            complaint,
            lambda: self.rendering(complaint).action_close(self.formal_values()),
            "missing",
            "the PDF engine wkhtmltopdf is not installed on the server",
        )
        self.assertFalse(complaint.is_closed)
        self.assertEqual(complaint.stage_id, self.stage_received)

    def test_closing_by_email_needs_the_letter_too(self):
        """The e-mail carries the conclusion letter as a PDF."""
        complaint = self.create_complaint()
        for engine, message in (
            ("crashing", "stopped with an error"),
            ("writing nothing", "stopped with an error"),
            ("hanging", "gave no answer within 1 seconds"),
        ):
            with self.subTest(engine=engine):
                self.assertRefused(
                    complaint,
                    lambda: self.rendering(complaint).action_close(
                        self.formal_values()
                    ),
                    engine,
                    message,
                )
                self.assertFalse(complaint.closed_date)

    def test_the_message_is_dutch_for_a_dutch_coordinator(self):
        self.complainant.email = False
        complaint = self.create_complaint()
        message = self.assertRefused(
            complaint,
            # the web client sends the user's language
            lambda: (
                self.rendering(complaint)
                .with_context(lang="nl_NL")
                .action_close(
                    {"handling": "not_handled", "not_handled_reason": "trivial"}
                )
            ),
            "missing",
            "kon niet als PDF worden gemaakt",
        )
        self.assertIn("niet op de server geïnstalleerd", message)
        self.assertIn("Er is niets gewijzigd", message)

    def test_a_closing_without_a_letter_goes_on(self):
        complaint = self.create_complaint()
        with self.engine("missing"):
            self.rendering(complaint).action_close(self.informal_values())
        self.assertTrue(complaint.is_closed)
        self.assertEqual(complaint.stage_id, self.stage_closed)

    def test_with_a_working_engine_the_printed_letter_is_kept(self):
        self.complainant.email = False
        complaint = self.create_complaint()
        with self.engine("working"):
            action = self.rendering(complaint).action_close(self.formal_values())
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertTrue(complaint.is_closed)
        letter = complaint.message_ids.attachment_ids
        self.assertEqual(len(letter), 1)
        self.assertTrue(letter.name.endswith(".pdf"))
        self.assertTrue(letter.raw.startswith(b"%PDF"))

    # ---------------------------------------------------------------- postponing
    def test_postponing_without_email_needs_the_printed_notice(self):
        self.complainant.email = False
        complaint = self.running_case()
        self.assertRefused(
            complaint,
            lambda: self.rendering(complaint).action_postpone("Wachten op UWV"),
            "hanging",
            "gave no answer within 1 seconds",
        )
        self.assertFalse(complaint.postponed)
        with self.engine("working"):
            action = self.rendering(complaint).action_postpone("Wachten op UWV")
        self.assertEqual(action["report_name"], f"{MODULE}.report_postponement")
        self.assertTrue(complaint.postponed)
        note = complaint.message_ids.filtered("attachment_ids")
        self.assertIn("send it by post", note.body)
        self.assertTrue(note.attachment_ids.raw.startswith(b"%PDF"))

    def test_postponing_by_email_needs_no_engine(self):
        complaint = self.running_case()
        with self.engine("missing"):
            self.rendering(complaint).action_postpone("Wachten op UWV")
        self.assertTrue(complaint.postponed)

    def test_a_refused_further_postponement_leaves_no_file_behind(self):
        """The written consent is stored before the notice is printed: refused, its
        record goes with the rollback, and its file is one Odoo's filestore garbage
        collection removes (it is on the collection's checklist, not referenced)."""
        self.complainant.email = False
        complaint = self.running_case()
        with self.engine("working"):
            self.rendering(complaint).action_postpone("Wachten op UWV", weeks=2)
        consent = b"%PDF-1.4 instemming " + os.urandom(16)
        path = self.env["ir.attachment"]._full_path(
            self.env["ir.attachment"]._get_path(
                consent, hashlib.sha1(consent).hexdigest()
            )[0]
        )
        before = self.snapshot(complaint)
        with self.engine("crashing"), self.assertRaises(UserError):
            self.rendering(complaint).action_postpone(
                "Hoorzitting verplaatst",
                new_date=fields.Date.today() + timedelta(days=60),
                consent_name="instemming.pdf",
                consent_data=base64.b64encode(consent),
            )
        self.assertEqual(self.snapshot(complaint), before)
        self.assertFalse(
            self.env["ir.attachment"].search([("name", "=", "instemming.pdf")])
        )
        self.assertTrue(os.path.exists(path), "written before the refusal")
        self.env["ir.attachment"]._gc_file_store_unsafe()
        self.assertFalse(os.path.exists(path), "and collected as garbage")

    # ---------------------------------------------------------------- the annual report
    def test_the_annual_report_pdf_says_what_is_missing_and_the_exports_work(self):
        report = (
            self.env["municipal.complaint.annual.report"]
            .with_user(self.coordinator)
            .create({"year": 2026, "lang": "en_US"})
        )
        with self.engine("missing"), self.assertRaises(UserError) as refused:
            self.rendering(report).action_print()
        message = str(refused.exception)
        self.assertIn("Annual report could not be made as a PDF", message)
        self.assertIn("wkhtmltopdf is not installed", message)
        self.assertIn("CSV and JSON exports", message)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", report._name), ("res_id", "=", report.id)]
            )
        )
        with self.engine("missing"):
            for fmt, action in (
                ("csv", self.rendering(report).action_export_csv()),
                ("json", self.rendering(report).action_export_json()),
            ):
                attachment = self.env["ir.attachment"].browse(
                    int(action["url"].split("/web/content/")[1].split("?")[0])
                )
                self.assertTrue(attachment.name.endswith(f".{fmt}"))
                self.assertIn(b"2026", attachment.raw)
        with self.engine("working"):
            action = self.rendering(report).action_print()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/web/content/")[1].split("?")[0])
        )
        self.assertTrue(attachment.name.endswith(".pdf"))
        self.assertTrue(attachment.raw.startswith(b"%PDF"))

    def test_other_reports_keep_odoo_s_own_behaviour(self):
        """Only the addon's reports are bounded and reworded."""
        with self.engine("missing"), self.assertRaises(UserError) as refused:
            self.env["ir.actions.report"].with_context(
                force_report_rendering=True
            )._render_qweb_pdf("base.report_ir_model_overview", [])
        self.assertNotIn("could not be made as a PDF", str(refused.exception))
