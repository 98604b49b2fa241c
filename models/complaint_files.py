"""The files of a case open for who may read them, logged in: never by a token.

"Links in mail carry no token: whoever holds a forwarded mail still has to log in"
(README, "Toegang"). Odoo hands out two kinds of bearer link to a file: the
attachment's permanent ``access_token`` (the links that replace the files of a mail
above the mail server's size limit, inline images), and the signed
``raw_access_token`` the chatter gives each file (valid up to 42 days, also after a
contract partner's access ended). For a file of a complaint -- attached to the case
or to one of its messages -- no token opens anything by itself: ``/web/content`` and
``/web/image`` check the reader's own access instead. Odoo gives portal users files
by token only: a portal user's token works while, and only while, they are logged in
and may read a message of the case the file came with (their conversation,
models/mail_message.py).
"""

import re

from markupsafe import Markup

from odoo import models

COMPLAINT_MODEL = "municipal.complaint"
# a link to a file with its query, as Odoo writes it in the body of a mail
FILE_LINK = re.compile(r"(/web/(?:content|image)/[^\"'\s<>?]*)\?([^\"'\s<>]*)")


def without_file_tokens(text):
    """``text`` with the ``access_token`` taken out of each link to a file."""

    def drop_token(match):
        path, query = match.groups()
        separator = "&amp;" if "&amp;" in query else "&"
        params = [
            param
            for param in query.split(separator)
            if not param.startswith("access_token=")
        ]
        return path + ("?" + separator.join(params) if params else "")

    result = FILE_LINK.sub(drop_token, str(text))
    return Markup(result) if isinstance(text, Markup) else result


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _can_return_content(self, field_name=None, access_token=None):
        """No token alone opens a complaint's file: see ``_complaint_token_holder``."""
        if access_token and not self._complaint_token_holder():
            access_token = None
        return super()._can_return_content(field_name, access_token)

    def _complaint_token_holder(self):
        """Whether the current user may use a token for these attachments: always
        for a file of no case; for a file of a case, only a portal user, logged in,
        who may read a message of the case the file came with (their conversation,
        models/mail_message.py). Odoo gives portal users files by token only; the
        Dienst's staff read a case's files with their own access."""
        files = self.sudo()._complaint_files()
        if not files:
            return True
        user = self.env.user
        if not user.share or user._is_public():
            return False
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", COMPLAINT_MODEL),
                    ("attachment_ids", "in", files.ids),
                ]
            )
        )
        readable = messages.sudo(False)._filtered_access("read")
        return not (files - readable.sudo().attachment_ids)

    def _complaint_files(self):
        """Those of these (sudo-ed) attachments that belong to a case: attached to
        it, or to one of its messages."""
        files = self.filtered(
            lambda attachment: attachment.res_model == COMPLAINT_MODEL
        )
        others = self - files
        if others:
            files |= (
                others
                & self.env["mail.message"]
                .sudo()
                .search(
                    [
                        ("model", "=", COMPLAINT_MODEL),
                        ("attachment_ids", "in", others.ids),
                    ]
                )
                .attachment_ids
            )
        return files


class IrBinary(models.AbstractModel):
    _inherit = "ir.binary"

    def _find_record(
        self,
        xmlid=None,
        res_model="ir.attachment",
        res_id=None,
        access_token=None,
        field=None,
    ):
        """The signed token of a complaint's file (``raw_access_token``) opens it
        only for whom ``_complaint_token_holder`` allows; anyone else's own access
        is checked."""
        if access_token and not xmlid and res_id:
            if res_model == COMPLAINT_MODEL:
                access_token = None
            elif res_model == "ir.attachment":
                attachment = self.env["ir.attachment"].browse(int(res_id))
                if (
                    attachment.sudo().exists()
                    and not attachment._complaint_token_holder()
                ):
                    access_token = None
        return super()._find_record(
            xmlid=xmlid,
            res_model=res_model,
            res_id=res_id,
            access_token=access_token,
            field=field,
        )


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _prepare_outgoing_list(self, mail_server=False, doc_to_followers=None):
        """A mail about a case links to its files without a token: Odoo replaces
        the files of a mail above the size limit by such links, which the
        recipient opens after logging in."""
        emails = super()._prepare_outgoing_list(
            mail_server=mail_server, doc_to_followers=doc_to_followers
        )
        if self.model != COMPLAINT_MODEL:
            return emails
        for email in emails:
            for key in ("body", "body_alternative"):
                if email.get(key):
                    email[key] = without_file_tokens(email[key])
        return emails
