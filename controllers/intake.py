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
from odoo.tools import config

from ..models.complaint_upload import UPLOAD_MAX_FILES

_logger = logging.getLogger(__name__)

# A field people never see (hidden off-screen) and robots fill in.
HONEYPOT_FIELD = "website_url"
FORM_FIELDS = ("name", "email", "phone", "subject", "description")
# Whether this process already warned about forwarded addresses it does not use.
_FORWARDING_WARNED = []


def client_address():
    """The client's network address, for the hourly limit per address.

    Behind a reverse proxy every request comes from the proxy's address unless Odoo
    runs with ``proxy_mode`` and the proxy sends ``X-Forwarded-Host`` (Odoo applies
    ``X-Forwarded-For`` only then): the limit would count all citizens as one. That
    is said once per process in the log, for the operator (docs/production.md).
    """
    headers = request.httprequest.headers
    if (
        "X-Forwarded-For" in headers
        and not (config["proxy_mode"] and "X-Forwarded-Host" in headers)
        and not _FORWARDING_WARNED
    ):
        _FORWARDING_WARNED.append(True)
        _logger.warning(
            "Complaint form: requests carry X-Forwarded-For, but Odoo does not use it "
            "(proxy_mode is %s, X-Forwarded-Host is %s): the limit of submissions "
            "per address counts the proxy's address %s for every citizen. Run Odoo "
            "with proxy_mode and have the proxy set X-Forwarded-Host.",
            "on" if config["proxy_mode"] else "off",
            "present" if "X-Forwarded-Host" in headers else "missing",
            request.httprequest.remote_addr,
        )
    return request.httprequest.remote_addr


def read_uploads(max_size_mb, max_files=UPLOAD_MAX_FILES, files=None):
    """The files of the request's ``attachments`` field (or ``files``, a list of
    uploads) as ``(filename, content)``.

    Reading stops at the limits, before the model checks anything (the rate limit
    included): at most one file more than allowed, and nothing after the first file
    that is too large, of which one byte over the limit is read -- enough for the
    model to refuse with the right message, without holding in memory what it
    would refuse.
    """
    max_bytes = max_size_mb * 1024 * 1024
    uploads = []
    if files is None:
        files = request.httprequest.files.getlist("attachments")
    for upload in files:
        if not (upload and upload.filename):
            continue
        content = upload.read(max_bytes + 1)
        uploads.append((upload.filename, content))
        if len(content) > max_bytes or len(uploads) > max_files:
            break
    return uploads


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
                        client_address=client_address(),
                    )
                )
        except (UserError, ValidationError) as error:
            return self._render_form(values, error=error.args[0])
        return request.render(
            "municipal_complaint.intake_thanks",
            {
                "reference": complaint.name,
                "acknowledged": bool(complaint.acknowledgment_date),
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
