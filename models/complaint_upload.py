"""What an outsider may attach to a case: one policy for every way in.

A citizen's upload on the public form, a file posted in the portal conversation,
the attachments of an e-mail to the complaint alias and the written consent of a
postponement obey the same rules: an extension the organisation accepts, content
that really is of that type -- sniffed by libmagic (``python-magic`` on Debian's
``libmagic1``, docs/production.md), never taken from the file name or the
browser's word -- and the size limit per file.
"""

import os

import magic

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools.mimetypes import guess_mimetype

# What each extension may contain, as libmagic names it. One type per extension
# (two where the format has two registered names): a zip renamed .docx, an HTML
# page renamed .pdf or a script renamed .txt is refused.
UPLOAD_MIMETYPES = {
    "pdf": {"application/pdf"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
    "gif": {"image/gif"},
    "webp": {"image/webp"},
    "heic": {"image/heic", "image/heif"},
    "doc": {"application/msword"},
    "docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    "xls": {"application/vnd.ms-excel"},
    "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    "odt": {"application/vnd.oasis.opendocument.text"},
    "ods": {"application/vnd.oasis.opendocument.spreadsheet"},
    "rtf": {"text/rtf", "application/rtf"},
    "txt": {"text/plain"},
}
DEFAULT_UPLOAD_EXTENSIONS = "pdf,jpg,jpeg,png,gif,doc,docx,xls,xlsx,odt,ods,rtf,txt"
UPLOAD_MAX_FILES = 10
# libmagic judges a file by its head; Office containers (zip, OLE) are then told
# apart from the whole file, as Odoo's own sniffing does.
SNIFF_HEAD_SIZE = 8192
CONTAINER_MIMETYPES = (
    "application/zip",
    "application/CDFV2",
    "application/x-ole-storage",
)


def sniff_mimetype(content):
    """The type of ``content`` (bytes) judged from the content itself."""
    mimetype = magic.from_buffer(content[:SNIFF_HEAD_SIZE], mime=True)
    if mimetype in CONTAINER_MIMETYPES:
        mimetype = guess_mimetype(content)
    return mimetype


def file_extension(filename):
    return os.path.splitext(filename or "")[1].lstrip(".").lower()


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    @api.model
    def _upload_refusal(self, filename, content, company):
        """Why the file ``filename`` with ``content`` (bytes) cannot be stored on a
        case of ``company``; ``False`` when it can."""
        max_bytes = company.complaint_intake_max_size * 1024 * 1024
        if len(content) > max_bytes:
            return self.env._(
                "The file %(file)s is too large: at most %(max)s MB per file.",
                file=filename,
                max=company.complaint_intake_max_size,
            )
        extensions = company._get_complaint_intake_extensions()
        extension = file_extension(filename)
        if extension not in extensions or sniff_mimetype(
            content
        ) not in UPLOAD_MIMETYPES.get(extension, ()):
            return self.env._(
                "The file %(file)s cannot be sent: only these "
                "types are accepted: %(types)s.",
                file=filename,
                types=", ".join(extensions),
            )
        return False

    @api.model
    def _intake_check_attachments(self, attachments, company):
        """Refuse the whole upload (``(filename, content)`` pairs) at the first file
        the policy does not accept: nothing is stored."""
        if len(attachments) > UPLOAD_MAX_FILES:
            raise UserError(
                self.env._(
                    "You can send at most %(max)s attachments.", max=UPLOAD_MAX_FILES
                )
            )
        for filename, content in attachments:
            refusal = self._upload_refusal(filename, content, company)
            if refusal:
                raise UserError(refusal)

    def _check_portal_attachments(self, attachments):
        """Files a portal user posts in the conversation (``ir.attachment``
        records, read as superuser) obey the upload policy."""
        self.ensure_one()
        self._intake_check_attachments(
            [
                (attachment.name, attachment.sudo().raw or b"")
                for attachment in attachments
            ],
            self.company_id,
        )

    # ------------------------------------------------------------------ mail gateway
    def message_post(self, **kwargs):
        """An e-mail to the alias keeps only the attachments the upload policy
        accepts; the refused ones are named in an internal note, so the coordinator
        can ask for them another way."""
        if (
            len(self) != 1
            or kwargs.get("message_type") != "email"
            or not kwargs.get("attachments")
        ):
            return super().message_post(**kwargs)
        kept, refused = [], []
        for attachment in kwargs["attachments"]:
            filename, content = attachment[0], attachment[1]
            if isinstance(content, str):
                content = content.encode()
            refusal = (
                self.env._("more than %(max)s attachments", max=UPLOAD_MAX_FILES)
                if len(kept) >= UPLOAD_MAX_FILES
                else self._upload_refusal(filename, content, self.company_id)
            )
            if refusal:
                refused.append((filename, refusal))
            else:
                kept.append(attachment)
        message = super().message_post(**dict(kwargs, attachments=kept))
        if refused:
            self._message_log(
                body=self.env._(
                    "Attachments of the e-mail that were not stored: %(files)s",
                    files="; ".join(
                        f"{filename} ({reason})" for filename, reason in refused
                    ),
                )
            )
        return message
