"""The public complaint form when the database goes away after the complaint was
stored: the citizen still gets the reference (models/complaint_intake_outage.py)."""

from odoo import http
from odoo.http import request

from .intake import ComplaintIntake


class ComplaintIntakeOutage(ComplaintIntake):
    @http.route()
    def complaint_submit(self, **post):
        response = super().complaint_submit(**post)
        qcontext = getattr(response, "qcontext", None) or {}
        if qcontext.get("reference"):
            # should the request fail once the complaint is committed, the error
            # handler still has the reference to give (ir.http._handle_error)
            request.complaint_stored = {
                "reference": qcontext["reference"],
                "acknowledged": qcontext.get("acknowledged"),
            }
        return response
