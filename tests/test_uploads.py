"""One upload policy for every way a file reaches a case (models/complaint_upload.py):
the content must be what the extension says, sniffed by libmagic."""

import base64
import io
import zipfile

from PIL import Image

from odoo.exceptions import UserError
from odoo.tests import JsonRpcException, tagged

from odoo.addons.mail.tests.common import MailCase

from .common import ComplaintCase
from .portal_common import PDF, PortalCase
from .test_mail_intake import MAIL_HEADERS


def zip_bytes(*entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, format="PNG")
    return buffer.getvalue()


DOCX = zip_bytes(
    ("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")
)
HTML = b"<html><script>alert(1)</script></html>"
EXE = b"MZ\x90\x00" + b"\x00" * 64


class TestUploadPolicy(ComplaintCase):
    def refusal(self, filename, content):
        return self.Complaint._upload_refusal(filename, content, self.company)

    def test_content_must_be_what_the_extension_says(self):
        for filename, content in (
            ("brief.pdf", PDF),
            ("foto.png", png_bytes()),
            ("brief.docx", DOCX),
            ("notitie.txt", b"Ik belde drie keer.\n"),
        ):
            self.assertFalse(self.refusal(filename, content), filename)
        for filename, content in (
            ("brief.pdf", HTML),  # a web page named .pdf
            ("brief.docx", zip_bytes(("a.txt", "x"))),  # any zip named .docx
            ("notitie.txt", HTML),  # HTML is not plain text
            ("foto.png", PDF),  # another allowed type under the wrong name
            ("tool.exe", EXE),  # not an accepted extension at all
            ("plaatje.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
        ):
            self.assertTrue(self.refusal(filename, content), filename)

    def test_size_limit_holds_per_file(self):
        self.company.complaint_intake_max_size = 1
        self.assertIn(
            "too large", self.refusal("groot.pdf", PDF + b"0" * (1024 * 1024))
        )

    def test_postponement_consent_obeys_the_policy(self):
        complaint = self.create_complaint(postponed=True, postpone_count=1)
        with self.assertRaises(UserError):
            complaint._store_consent("toestemming.pdf", base64.b64encode(HTML))


class TestMailAttachments(ComplaintCase, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        alias = cls.env.ref("municipal_complaint.mail_alias_complaints")
        alias.alias_domain_id = cls.mail_alias_domain
        cls.alias_email = f"klachten@{cls.alias_domain}"

    def test_mail_attachments_obey_the_upload_policy(self):
        parts = [
            ("afschrift.pdf", "application/pdf", PDF),
            ("factuur.pdf", "application/pdf", HTML),
            ("programma.exe", "application/octet-stream", EXE),
        ]
        body = "".join(
            f"""------=_Part_complaint
Content-Type: {mimetype}; name="{name}"
Content-Disposition: attachment; filename="{name}"
Content-Transfer-Encoding: base64

{base64.b64encode(content).decode()}
"""
            for name, mimetype, content in parts
        )
        template = (
            MAIL_HEADERS
            + """Content-Type: multipart/mixed; boundary="----=_Part_complaint"

------=_Part_complaint
Content-Type: text/plain; charset=utf-8

Zie de bijlagen.

"""
            + body
            + "------=_Part_complaint--\n"
        )
        with self.mock_mail_gateway():
            complaint = self.format_and_process(
                template,
                "els@example.com",
                self.alias_email,
                subject="Bijlagen",
                target_model="municipal.complaint",
                target_field="subject",
            )
        stored = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", complaint._name), ("res_id", "=", complaint.id)]
            )
        )
        self.assertEqual(stored.mapped("name"), ["afschrift.pdf"])
        note = complaint.message_ids.filtered(
            lambda m: "were not stored" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn("factuur.pdf", note.body)
        self.assertIn("programma.exe", note.body)
        self.assertTrue(
            note.subtype_id.internal or note.is_internal or not note.subtype_id
        )


@tagged("post_install", "-at_install")
class TestPortalUploads(PortalCase):
    def test_portal_chatter_refuses_a_file_against_the_policy(self):
        self.login(self.citizen)
        response = self.chatter_upload(self.case_citizen, "brief.pdf", HTML)
        self.assertIn("cannot be sent", response.json()["error"])
        self.assertFalse(
            self.env["ir.attachment"].sudo().search([("name", "=", "brief.pdf")])
        )

    def test_portal_post_refuses_an_attachment_against_the_policy(self):
        """An attachment that got in another way (uploaded on another document the
        user owns) is checked again when posted on a case."""
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.citizen)
            .sudo()
            .create(
                {
                    "name": "script.pdf",
                    "raw": HTML,
                    "res_model": "mail.compose.message",
                    "res_id": 0,
                }
            )
        )
        self.login(self.citizen)
        with self.assertRaises(JsonRpcException) as error:
            self.chatter_post(
                self.case_citizen,
                "Zie bijlage",
                attachment_ids=attachment.ids,
                attachment_tokens=[attachment._get_ownership_token()],
            )
        self.assertEqual(error.exception.args[0], "odoo.exceptions.UserError")
        self.assertFalse(attachment.res_id)
