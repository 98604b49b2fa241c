"""/my/complaints: the contract partner's referred cases
and the citizen's own complaints.

Access is decided by the record rules on ``municipal.complaint`` for the portal
group; each route checks it the Odoo way (``_document_check_access``, searches
as the user) before it touches the sudo-ed case, and never honours an access
token: the portal user logs in. The conversation on the page is Odoo's portal
chatter (``controllers/portal_chatter.py`` keeps its routes logged-in only on
complaints).
"""

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.complaint_claim import CLAIM_ROUTE

COMPLAINT_MODEL = "municipal.complaint"


class ComplaintPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "complaint_count" in counters:
            Complaint = request.env[COMPLAINT_MODEL]
            values["complaint_count"] = (
                Complaint.search_count([]) if Complaint.has_access("read") else 0
            )
        return values

    def _complaint_is_partner_user(self):
        """Whether the current user speaks for a contract partner (else: a citizen)."""
        return bool(
            request.env.user.partner_id.sudo().commercial_partner_id.is_complaint_partner
        )

    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_complaints(self, page=1, filterby="open", **kwargs):
        Complaint = request.env[COMPLAINT_MODEL]
        if not Complaint.has_access("read"):
            return request.redirect("/my")
        filters = {
            "open": {
                "label": request.env._("Open"),
                "domain": [("is_closed", "=", False)],
            },
            "closed": {
                "label": request.env._("Closed"),
                "domain": [("is_closed", "=", True)],
            },
            "all": {"label": request.env._("All"), "domain": []},
        }
        if filterby not in filters:
            filterby = "open"
        domain = filters[filterby]["domain"]
        total = Complaint.search_count(domain)
        pager = portal_pager(
            url="/my/complaints",
            url_args={"filterby": filterby},
            total=total,
            page=page,
            step=self._items_per_page,
        )
        # which cases: as the user (the rules); their order: by receipt, which a
        # contract partner may not read, so sorted as superuser
        complaints = (
            Complaint.sudo()
            .search(
                [("id", "in", Complaint._search(domain))],
                order="received_date desc, id desc",
                limit=self._items_per_page,
                offset=pager["offset"],
            )
            .sudo(False)
        )
        request.session["my_complaints_history"] = complaints.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "complaints": complaints.sudo(),
                "statuses": complaints.sudo()._get_portal_statuses(),
                "is_partner_user": self._complaint_is_partner_user(),
                "page_name": "complaint",
                "pager": pager,
                "default_url": "/my/complaints",
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("municipal_complaint.portal_my_complaints", values)

    @http.route(
        "/my/complaints/<int:complaint_id>", type="http", auth="user", website=True
    )
    def portal_my_complaint(self, complaint_id, **kwargs):
        complaint_sudo = self._complaint_check_access(complaint_id)
        if complaint_sudo is None:
            return request.not_found()
        if complaint_sudo._is_portal_partner_view():
            # a contract partner reading a referred case is in its access log
            complaint_sudo._log_portal_view()
        return self._render_complaint_page(complaint_sudo, **kwargs)

    @http.route(
        "/my/complaints/<int:complaint_id>/response",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_complaint_response(
        self, complaint_id, response="", resolved="", **kwargs
    ):
        complaint_sudo = self._complaint_check_access(complaint_id)
        if complaint_sudo is None:
            return request.not_found()
        try:
            with request.env.cr.savepoint():
                complaint_sudo._portal_record_partner_response(response, resolved)
        except (UserError, ValidationError, AccessError) as error:
            return self._render_complaint_page(
                complaint_sudo,
                error=error.args[0],
                response=response,
                resolved=resolved,
            )
        return request.redirect(f"{complaint_sudo.access_url}?responded=1")

    @http.route(
        f"{CLAIM_ROUTE}/<string:token>",
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_complaint_confirm(self, token, **kwargs):
        """The confirmation link of an acknowledgment: the page asks, the button
        (a POST with the CSRF token) adds the complaint to the account."""
        claim = request.env["municipal.complaint.claim"]._find(token)
        if not claim:
            return self._render_confirm_page(
                error=request.env._(
                    "This link is no longer valid: it was used already, it "
                    "expired, or it is not complete. Please contact us."
                ),
                status=404,
            )
        user = request.env.user
        try:
            if request.httprequest.method == "POST":
                with request.env.cr.savepoint():
                    complaint = claim._confirm(user)
                return request.redirect(complaint.access_url)
            claim._check_user(user)
        except (UserError, AccessError) as error:
            return self._render_confirm_page(error=error.args[0], status=403)
        return self._render_confirm_page(reference=claim.complaint_id.name)

    # ------------------------------------------------------------------ helpers
    def _render_confirm_page(self, reference=None, error=None, status=200):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "reference": reference,
                "error": error,
                "page_name": "complaint",
                "complaint": False,
            }
        )
        return request.render(
            "municipal_complaint.portal_complaint_confirm", values, status=status
        )

    def _complaint_check_access(self, complaint_id):
        """The case, sudo-ed, when the current user may read it by the record rules;
        ``None`` otherwise (the caller answers 404: whether it exists is not told)."""
        try:
            document = self._document_check_access(COMPLAINT_MODEL, complaint_id)
        except (AccessError, MissingError):
            return None
        # sudo, but as the portal user: the model methods speak for request.env.user
        return document.with_user(request.env.user).sudo()

    def _render_complaint_page(self, complaint_sudo, **kwargs):
        is_partner_view = complaint_sudo._is_portal_partner_view()
        status, status_color = complaint_sudo._get_portal_statuses()[complaint_sudo.id]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "complaint": complaint_sudo,
                "is_partner_view": is_partner_view,
                "status": status,
                "status_color": status_color,
                # the partner sees who complained only when the referral shares it
                "complainant": complaint_sudo.partner_id
                if is_partner_view and complaint_sudo.referral_share_contact
                else False,
                "page_name": "complaint",
                "error": kwargs.get("error"),
                "response": kwargs.get(
                    "response", complaint_sudo.partner_response or ""
                ),
                "resolved": kwargs.get(
                    "resolved", complaint_sudo.partner_resolved or ""
                ),
                "responded": bool(kwargs.get("responded")),
            }
        )
        values = self._get_page_view_values(
            complaint_sudo, None, values, "my_complaints_history", False
        )
        return request.render(
            "municipal_complaint.portal_complaint_page",
            values,
            status=400 if kwargs.get("error") else 200,
        )
