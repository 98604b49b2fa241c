"""The public complaint form /klacht: no account, no formalities.

The controller only translates HTTP into
``municipal.complaint._create_from_intake`` and the templates; the checks of HTTP
itself (CSRF token, honeypot, reading the uploads) live here. Every rejection
renders the form again with what the citizen typed and stores nothing.
"""

import logging

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

_logger = logging.getLogger(__name__)

# A field people never see (hidden off-screen) and robots fill in.
HONEYPOT_FIELD = "website_url"
FORM_FIELDS = ("name", "email", "phone", "subject", "description")


def read_uploads(max_size_mb):
    """The files of the request's ``attachments`` field as ``(filename, content)``.

    Never more than one byte over the limit is read into memory: enough for the
    model to refuse a file that is too large.
    """
    max_bytes = max_size_mb * 1024 * 1024
    return [
        (upload.filename, upload.read(max_bytes + 1))
        for upload in request.httprequest.files.getlist("attachments")
        if upload and upload.filename
    ]


class ComplaintIntake(http.Controller):
    @http.route("/klacht", type="http", auth="public", methods=["GET"], website=True)
    def complaint_form(self, **kwargs):
        values = {}
        if not request.env.user._is_public():
            partner = request.env.user.partner_id
            values = {
                "name": partner.name,
                "email": partner.email,
                "phone": partner.phone,
            }
        return self._render_form(values)

    # CSRF is checked below, so that an expired form shows a
    # message instead of an error page.
    @http.route(
        "/klacht",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        csrf=False,
    )
    def complaint_submit(self, **post):
        values = {key: post.get(key, "") for key in FORM_FIELDS}
        values["privacy_accepted"] = bool(post.get("privacy_accepted"))
        if not request.validate_csrf(post.get("csrf_token")):
            return self._render_form(
                values,
                error=request.env._(
                    "The form has expired. Please check "
                    "your complaint and send it again."
                ),
            )
        if post.get(HONEYPOT_FIELD):
            _logger.info("Complaint form: honeypot filled in, submission refused")
            return self._render_form(
                values,
                error=request.env._(
                    "Your complaint could not be sent. Please try again, or call us."
                ),
            )
        attachments = read_uploads(request.env.company.sudo().complaint_intake_max_size)
        try:
            with request.env.cr.savepoint():
                complaint = (
                    request.env["municipal.complaint"]
                    .sudo()
                    ._create_from_intake(
                        values,
                        attachments,
                        client_address=request.httprequest.remote_addr,
                    )
                )
        except (UserError, ValidationError) as error:
            return self._render_form(values, error=error.args[0])
        return request.render(
            "municipal_complaint.intake_thanks",
            {
                "reference": complaint.name,
                "acknowledged": bool(complaint.partner_id.email),
                "page_name": "complaint_intake",
            },
        )

    def _render_form(self, values, error=None):
        company = request.env.company.sudo()
        return request.render(
            "municipal_complaint.intake_form",
            {
                "values": values,
                "error": error,
                "honeypot_field": HONEYPOT_FIELD,
                "max_size": company.complaint_intake_max_size,
                "extensions": company._get_complaint_intake_extensions(),
                "company_phone": company.phone,
                "page_name": "complaint_intake",
            },
            status=400 if error else 200,
        )
