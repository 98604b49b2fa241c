"""The PDFs of the complaint letters and the annual report are documents a government
must be able to archive, search and read aloud: real text, a title and a language.

wkhtmltopdf writes text as text only in fonts the system has: the letters and the
report set their own system fonts (reports/letter_layout.xml, the annual report's
style), because Odoo's web font (Lato, loaded as woff) is drawn as outlines, with no
text layer. Odoo renders every PDF from its own minimal page (``web.minimal_layout``),
which has neither title nor language; the document says both on the element marked
``data-pdf-title`` (with its ``lang``), and they are written into the PDF here: the
document title and the catalogue's ``/Lang`` (PDF 1.4, 14.9.2).
"""

import io
import logging

from lxml import etree, html

from odoo import models
from odoo.tools.pdf import (
    NameObject,
    PdfFileReader,
    PdfFileWriter,
    PdfReadError,
    createStringObject,
)

_logger = logging.getLogger(__name__)

COMPLAINT_MODELS = ("municipal.complaint", "municipal.complaint.annual.report")


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        pdf = super()._run_wkhtmltopdf(
            bodies,
            report_ref=report_ref,
            header=header,
            footer=footer,
            landscape=landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        report = self._get_report(report_ref) if report_ref else self
        if len(report) != 1 or report.model not in COMPLAINT_MODELS or not bodies:
            return pdf
        title, lang = _document_title_and_lang(bodies[0])
        if not title and not lang:
            return pdf
        return _with_title_and_lang(pdf, title, lang)


def _document_title_and_lang(body):
    """The title and language the document states on its ``data-pdf-title``
    element."""
    try:
        root = html.fromstring(body)
    except (ValueError, etree.ParserError):
        return None, None
    marked = root.xpath("//*[@data-pdf-title]")
    if not marked:
        return None, None
    return marked[0].get("data-pdf-title"), marked[0].get("lang")


def _with_title_and_lang(pdf, title, lang):
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        writer = PdfFileWriter()
        writer.clone_reader_document_root(reader)
    except (PdfReadError, ValueError):
        _logger.warning("Could not set the title of a complaint PDF", exc_info=True)
        return pdf
    if lang:
        writer._root_object[NameObject("/Lang")] = createStringObject(lang)
    if title:
        writer.add_metadata({"/Title": title})
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()
