"""Letters on paper when the PDF engine fails.

Letters are legal acts (Awb 9:6, 9:11 and 9:12): a step whose letter must be printed
is taken only when the letter can be made. Odoo makes PDFs with wkhtmltopdf, and when
the engine is missing, crashes or hangs, Odoo says so in its own terms or not at all:
it starts wkhtmltopdf without a time limit (``_run_wkhtmltopdf`` in
odoo/addons/base/models/ir_actions_report.py), so a hanging engine holds the worker
until ``limit_time_real``, and an engine that exits with status 1 without writing the
file yields an empty "PDF".

Here every PDF of the addon's own reports (the letters and the annual report) is made
within a time limit, checked, and a failure becomes one clear message that says what is
missing. It is a ``UserError``: the request that took the step is rolled back with it,
so the case stays exactly as it was (docs/production.md, "PDF letters and reports").
"""

import contextvars
import logging
import os
import signal
import subprocess
from contextlib import contextmanager

from odoo import models
from odoo.exceptions import UserError

from odoo.addons.base.models import ir_actions_report

_logger = logging.getLogger(__name__)

PDF_TIMEOUT_PARAM = "municipal_complaint.pdf_timeout"
# seconds: a letter takes about 3 s, the annual report of 40,000 cases about 5 s
DEFAULT_PDF_TIMEOUT = 120
ANNUAL_REPORT_MODEL = "municipal.complaint.annual.report"

# The time limit of the render running in this thread (None: not one of ours).
_PDF_TIMEOUT = contextvars.ContextVar("municipal_complaint_pdf_timeout", default=None)


class PdfEngineError(Exception):
    """wkhtmltopdf did not make the PDF. ``reason`` is ``missing``, ``timeout`` or
    ``failed``."""

    def __init__(self, reason, detail=""):
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


def _run_wkhtmltopdf_bounded(args):
    """Odoo's ``_run_wkhtmltopdf`` with a time limit and a check of the result, for
    the renders of :meth:`IrActionsReport._complaint_pdf_engine` only; any other
    render runs Odoo's own function unchanged."""
    timeout = _PDF_TIMEOUT.get()
    if timeout is None:
        return _run_wkhtmltopdf_bounded.odoo_run(args)
    try:
        # its own process group: a timeout ends the engine and whatever it started
        process = subprocess.Popen(
            [ir_actions_report._wkhtml().bin, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,
        )
    except OSError as error:
        raise PdfEngineError("missing", str(error)) from error
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as error:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfEngineError("timeout") from error
    output = args[-1]
    # status 1 is a warning to Odoo (a resource that did not load): the file counts
    if (
        process.returncode not in (0, 1)
        or not os.path.isfile(output)
        or not os.path.getsize(output)
    ):
        raise PdfEngineError(
            "failed",
            f"exit status {process.returncode}: {(stderr or '').strip()[-300:]}",
        )
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


# Installed once per process, around whatever is there (Odoo's test tools patch the
# same function); it only acts for the renders that set a time limit.
if not hasattr(ir_actions_report._run_wkhtmltopdf, "odoo_run"):
    _run_wkhtmltopdf_bounded.odoo_run = ir_actions_report._run_wkhtmltopdf
    ir_actions_report._run_wkhtmltopdf = _run_wkhtmltopdf_bounded


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """The addon's reports are made within the time limit, and a failing engine
        is reported as what it is."""
        report = self._get_report(report_ref)
        if not (report.model or "").startswith("municipal.complaint"):
            return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        with self._complaint_pdf_engine(report):
            return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)

    @contextmanager
    def _complaint_pdf_engine(self, report):
        token = _PDF_TIMEOUT.set(self._complaint_pdf_timeout())
        try:
            yield
        except PdfEngineError as error:
            _logger.warning(
                "PDF of %s not made: wkhtmltopdf %s %s",
                report.report_name,
                error.reason,
                error.detail,
            )
            raise UserError(
                self._complaint_pdf_message(report, error.reason)
            ) from error
        except UserError as error:
            # Odoo checks the engine itself before it renders
            if self.get_wkhtmltopdf_state() != "install":
                raise
            raise UserError(self._complaint_pdf_message(report, "missing")) from error
        finally:
            _PDF_TIMEOUT.reset(token)

    def _complaint_pdf_timeout(self):
        value = self.env["ir.config_parameter"].sudo().get_param(PDF_TIMEOUT_PARAM, "")
        try:
            seconds = float(value)
        except ValueError:
            return DEFAULT_PDF_TIMEOUT
        return seconds if seconds > 0 else DEFAULT_PDF_TIMEOUT

    def _complaint_pdf_message(self, report, reason):
        if reason == "missing":
            cause = self.env._(
                "the PDF engine wkhtmltopdf is not installed on the server"
            )
        elif reason == "timeout":
            cause = self.env._(
                "the PDF engine wkhtmltopdf gave no answer within %(seconds)s seconds",
                seconds=f"{self._complaint_pdf_timeout():g}",
            )
        else:
            cause = self.env._("the PDF engine wkhtmltopdf stopped with an error")
        message = self.env._(
            "%(document)s could not be made as a PDF: %(cause)s. Nothing was changed. "
            "Ask your administrator to repair wkhtmltopdf, then try again.",
            document=report.name,
            cause=cause,
        )
        if report.model == ANNUAL_REPORT_MODEL:
            message += " " + self.env._(
                "The CSV and JSON exports of the annual report do not need it."
            )
        return message


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    def _print_complainant_letter(self, report_xmlid):
        """A letter for a complainant without an e-mail address: made now and kept
        on the case as an internal note, so the step that needs it is only taken
        when it can be printed; returns the print action."""
        self.ensure_one()
        report = self.env.ref(report_xmlid)
        content, report_format = self.env["ir.actions.report"]._render_qweb_pdf(
            report, self.ids
        )
        filename = f"{self._get_report_base_filename()} - {report.name}"
        self.message_post(
            body=self.env._(
                "%(letter)s attached: the complainant has no e-mail "
                "address, print it and send it by post.",
                letter=report.name,
            ),
            attachments=[(f"{filename}.{report_format}", content)],
            subtype_xmlid="mail.mt_note",
        )
        return report.report_action(self, config=False)
