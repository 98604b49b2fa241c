"""Odoo's portal chatter and mail routes on a complaint: logged in, no bearer token.

Odoo lets anyone who holds a document's ``access_token`` (or a ``hash`` and
``pid``) read its conversation and post in it without logging in; notification
mails carry that token. A forwarded mail would then open a complaint file. On a
complaint none of these is honoured (``municipal.complaint._get_thread_with_access``
ignores them too): the routes below answer 404 when one is given, and the portal
chatter of ``/my/complaints/<id>`` works for logged-in readers of the case only.

What a reader sees and where their message goes follows the case's two portal
audiences (models/complaint_portal.py, models/mail_message.py): a contract
partner's people read and write the partner conversation, the complainant their
own; a portal user cannot choose a subtype, a message type or recipients, and
their files obey the upload policy (models/complaint_upload.py).
"""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.mail.controllers.attachment import AttachmentController
from odoo.addons.mail.tools.discuss import add_guest_to_context
from odoo.addons.portal.controllers.mail import MailController
from odoo.addons.portal.controllers.portal_thread import PortalChatter

from ..models.complaint_referral import PARTNER_SUBTYPE
from ..models.complaint_upload import UPLOAD_MAX_FILES

COMPLAINT_MODEL = "municipal.complaint"
# every way core's routes accept to open a document without logging in
TOKEN_PARAMS = ("token", "access_token", "hash", "_hash", "pid")
# the message types of a conversation (not the tracking and system notices)
CONVERSATION_MESSAGE_TYPES = ("comment", "email", "email_outgoing")


def refuse_tokens(params):
    """A complaint never opens with a token: 404, as for a case one may not see."""
    if any(params.get(name) for name in TOKEN_PARAMS):
        raise NotFound()


def complaint_reader(thread_id):
    """The case for the logged-in user who may read it, else 404."""
    if request.env.user._is_public():
        raise NotFound()
    complaint = request.env[COMPLAINT_MODEL]._get_thread_with_access(
        int(thread_id), mode="read"
    )
    if not complaint:
        raise NotFound()
    return complaint


class ComplaintPortalChatter(PortalChatter):
    @classmethod
    def _get_message_with_access(cls, message_id, mode="read", **kwargs):
        """A message of a complaint is reached (to react to it, to edit it) only by
        who may read it: not through a token, nor through access to the case when
        it belongs to the other conversation."""
        message = super()._get_message_with_access(message_id, mode=mode, **kwargs)
        if message and message.sudo().model == COMPLAINT_MODEL:
            refuse_tokens(kwargs)
            if not message.sudo(False).has_access("read"):
                return message.browse()
        return message

    @http.route()
    def portal_chatter_init(self, thread_model, thread_id, **kwargs):
        if thread_model == COMPLAINT_MODEL:
            refuse_tokens(kwargs)
        return super().portal_chatter_init(thread_model, thread_id, **kwargs)

    @http.route()
    def portal_message_fetch(self, thread_model, thread_id, fetch_params=None, **kw):
        """The messages of the conversation the reader belongs to: the search runs
        as the user, so mail.message keeps the other conversation and the internal
        notes out (core's version only shows plain comments)."""
        if thread_model != COMPLAINT_MODEL:
            return super().portal_message_fetch(
                thread_model, thread_id, fetch_params=fetch_params, **kw
            )
        refuse_tokens(kw)
        complaint = complaint_reader(thread_id)
        domain = (
            Domain("model", "=", COMPLAINT_MODEL)
            & Domain("res_id", "=", complaint.id)
            & Domain("message_type", "in", CONVERSATION_MESSAGE_TYPES)
            & self._get_non_empty_message_domain()
        )
        res = request.env["mail.message"]._message_fetch(domain, **(fetch_params or {}))
        messages = res.pop("messages")
        return {
            **res,
            "data": {"mail.message": messages.portal_message_format(options=kw)},
            "messages": messages.ids,
        }

    @http.route()
    def portal_avatar(
        self, res_id=None, height=50, width=50, access_token=None, _hash=None, pid=None
    ):
        message = request.env["mail.message"].sudo().browse(int(res_id)).exists()
        if message.model == COMPLAINT_MODEL:
            refuse_tokens({"access_token": access_token, "_hash": _hash, "pid": pid})
        return super().portal_avatar(
            res_id=res_id,
            height=height,
            width=width,
            access_token=access_token,
            _hash=_hash,
            pid=pid,
        )

    @http.route()
    @add_guest_to_context
    def mail_message_post(
        self, thread_model, thread_id, post_data, context=None, **kwargs
    ):
        if thread_model == COMPLAINT_MODEL:
            refuse_tokens(kwargs)
            complaint = complaint_reader(thread_id)
            if request.env.user.share:
                post_data = self._complaint_portal_post_data(complaint, post_data)
                # a portal user does not steer the post through the context
                context = None
        return super().mail_message_post(
            thread_model, thread_id, post_data, context=context, **kwargs
        )

    @http.route()
    @add_guest_to_context
    def mail_message_update_content(self, message_id, update_data, **kwargs):
        message = request.env["mail.message"].sudo().browse(int(message_id)).exists()
        if message.model == COMPLAINT_MODEL:
            refuse_tokens(kwargs)
            complaint = complaint_reader(message.res_id)
            if request.env.user.share:
                update_data = {
                    key: value
                    for key, value in update_data.items()
                    if key in ("body", "attachment_ids", "attachment_tokens")
                }
                self._complaint_check_attachments(complaint, update_data)
        return super().mail_message_update_content(message_id, update_data, **kwargs)

    def _complaint_portal_post_data(self, complaint, post_data):
        """What a portal user's message may be: a comment with text and files, in
        the conversation their audience on the case decides, addressed to the
        conversation's followers only."""
        audience = complaint.sudo().portal_audience
        if not audience:
            raise NotFound()
        self._complaint_check_attachments(complaint, post_data)
        allowed = {
            key: value
            for key, value in post_data.items()
            if key in ("body", "attachment_ids", "attachment_tokens")
        }
        allowed["message_type"] = "comment"
        allowed["subtype_xmlid"] = (
            PARTNER_SUBTYPE if audience == "partner" else "mail.mt_comment"
        )
        return allowed

    def _complaint_check_attachments(self, complaint, data):
        ids = data.get("attachment_ids") or []
        if len(ids) > UPLOAD_MAX_FILES:
            raise UserError(
                request.env._(
                    "You can send at most %(max)s attachments.", max=UPLOAD_MAX_FILES
                )
            )
        attachments = request.env["ir.attachment"].sudo().browse(map(int, ids))
        complaint._check_portal_attachments(attachments.exists())


class ComplaintAttachmentController(AttachmentController):
    @http.route()
    @add_guest_to_context
    def mail_attachment_upload(
        self, ufile, thread_id, thread_model, is_pending=False, **kwargs
    ):
        """A file for a complaint's conversation is read no further than the size
        limit and checked against the upload policy before anything is stored."""
        if thread_model != COMPLAINT_MODEL:
            return super().mail_attachment_upload(
                ufile, thread_id, thread_model, is_pending=is_pending, **kwargs
            )
        refuse_tokens(kwargs)
        complaint = complaint_reader(thread_id)
        if request.env.user.share:
            company = complaint.sudo().company_id
            max_bytes = company.complaint_intake_max_size * 1024 * 1024
            content = ufile.read(max_bytes + 1)
            refusal = complaint._upload_refusal(ufile.filename, content, company)
            if refusal:
                return request.make_json_response({"error": refusal})
            ufile.stream.seek(0)
        return super().mail_attachment_upload(
            ufile, thread_id, thread_model, is_pending=is_pending, **kwargs
        )


class ComplaintMailController(MailController):
    @classmethod
    def _redirect_to_record(cls, model, res_id, access_token=None, **kwargs):
        """A link to a complaint opens it for a logged-in reader only: a token in
        the link is ignored (no login through it, no redirect that trusts it)."""
        if model == COMPLAINT_MODEL:
            access_token = None
            kwargs = {
                key: value for key, value in kwargs.items() if key not in TOKEN_PARAMS
            }
        return super()._redirect_to_record(
            model, res_id, access_token=access_token, **kwargs
        )
