"""The inzage export (AVG art. 15) as a download: built when it is fetched, never
stored, and only for the coordinator who made the dialog
(wizards/complaint_inzage_wizard.py)."""

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request

from ..wizards.complaint_inzage_wizard import INZAGE_ROUTE


class ComplaintInzage(http.Controller):
    @http.route(f"{INZAGE_ROUTE}/<int:wizard_id>", type="http", auth="user")
    def complaint_inzage_download(self, wizard_id, **kwargs):
        wizard = request.env["municipal.complaint.inzage.wizard"].browse(wizard_id)
        try:
            content, filename = wizard._get_export()
        except (AccessError, MissingError):
            # whether the dialog exists is not told
            return request.not_found()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/zip"),
                ("Content-Disposition", content_disposition(filename)),
                ("Cache-Control", "no-store"),
            ],
        )
