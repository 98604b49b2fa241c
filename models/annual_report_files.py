"""The files of a published annual report (Awb 9:12a) are what was published.

The exports of a published version (CSV, JSON, PDF) are made once and handed out
again (``annual_report.py``); they are ordinary attachments of the report, which
any user who may write the report could otherwise rewrite or delete through
``ir.attachment`` (JSON-RPC included).
"""

from odoo import models
from odoo.exceptions import UserError

REPORT_MODEL = "municipal.complaint.annual.report"
# The mark of Odoo's storage move (_migrate), compared by identity: a client sends
# JSON values in its context, never this object.
_STORAGE_MOVE = object()
STORAGE_MOVE_KEY = "municipal_complaint_storage_move"


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def write(self, vals):
        # a download link's token and a move to another storage change no content
        if (
            not set(vals) <= {"access_token"}
            and self.env.context.get(STORAGE_MOVE_KEY) is not _STORAGE_MOVE
        ):
            self._check_published_annual_report_files()
        return super().write(vals)

    def _migrate(self):
        """Moving the files to another storage (Settings) rewrites them unchanged."""
        return super(
            IrAttachment, self.with_context(**{STORAGE_MOVE_KEY: _STORAGE_MOVE})
        )._migrate()

    def unlink(self):
        self._check_published_annual_report_files()
        return super().unlink()

    def _check_published_annual_report_files(self):
        """Refuse to change or delete an export of a published annual report; the
        superuser (an uninstall, a maintenance script) is not stopped."""
        if self.env.su:
            return
        candidates = self.sudo().filtered(
            lambda attachment: attachment.res_model == REPORT_MODEL
        )
        if not candidates:
            return
        if (
            self.env[REPORT_MODEL]
            .sudo()
            .search_count(
                [
                    ("state", "=", "published"),
                    ("export_attachment_ids", "in", candidates.ids),
                ],
                limit=1,
            )
        ):
            raise UserError(
                self.env._(
                    "This file is an export of a published annual report and is "
                    "kept as it was published. Make a new version of the report "
                    "to publish other figures."
                )
            )
