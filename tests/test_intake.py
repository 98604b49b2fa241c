"""The public complaint form /klacht: a citizen files a complaint without an account."""

import io
import re
from unittest.mock import patch

from werkzeug.datastructures import FileStorage

from odoo.tests import HttpCase, tagged
from odoo.tools import config

from odoo.addons.municipal_complaint.controllers import intake

from .common import ComplaintCase

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class CountingStream(io.BytesIO):
    """An upload that remembers whether anybody read it."""

    touched = False

    def read(self, *args):
        self.touched = True
        return super().read(*args)


@tagged("post_install", "-at_install")
class TestIntakeForm(ComplaintCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "complaint_intake_rate_limit": 3,
                "complaint_intake_max_size": 1,
                "complaint_intake_category_id": cls.env.ref(
                    "municipal_complaint.category_overig"
                ).id,
            }
        )

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)

    # ------------------------------------------------------------------ helpers
    def _csrf_token(self):
        page = self.url_open("/klacht")
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _values(self, **values):
        data = {
            "name": "Marieke Visser",
            "email": "marieke.visser@example.com",
            "phone": "06 98765432",
            "subject": "Niemand belde terug",
            "description": (
                "Ik heb drie keer gebeld over mijn uitkering.\nNiemand belde terug."
            ),
            "privacy_accepted": "1",
        }
        data.update(values)
        return data

    def _submit(self, files=None, csrf=True, headers=None, **values):
        data = self._values(**values)
        if csrf:
            data["csrf_token"] = self._csrf_token()
        self.env.flush_all()
        response = self.url_open(
            "/klacht",
            data=data,
            files=files or [("attachments", ("", b""))],
            headers=headers,
        )
        self.env.invalidate_all()
        return response

    def _state(self):
        """What a submission could store: cases, contacts, files, rate-limit entries."""
        return (
            self.env["municipal.complaint"]
            .sudo()
            .with_context(active_test=False)
            .search_count([]),
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search_count([]),
            self.env["ir.attachment"]
            .sudo()
            .search_count([("res_model", "=", "municipal.complaint")]),
            self.env["municipal.complaint.intake.submission"].sudo().search_count([]),
        )

    def assertRejected(self, response, message, before):
        self.assertEqual(response.status_code, 400)
        self.assertIn("complaint_error", response.text)
        self.assertIn(message, response.text)
        # the citizen's input is kept on the form
        self.assertIn('value="Niemand belde terug"', response.text)
        self.assertIn("Niemand belde terug.</textarea>", response.text)
        self.assertEqual(self._state(), before, "a rejected submission stores nothing")

    # ------------------------------------------------------------------ scenarios
    def test_citizen_files_a_complaint_and_gets_a_reference(self):
        response = self._submit(
            files=[("attachments", ("brief.pdf", PDF, "application/pdf"))]
        )
        self.assertEqual(response.status_code, 200)
        reference = re.search(
            r'id="complaint_reference"[^>]*>([^<]+)<', response.text
        ).group(1)
        complaint = (
            self.env["municipal.complaint"].sudo().search([("name", "=", reference)])
        )
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.channel, "web_form")
        self.assertEqual(complaint.subject, "Niemand belde terug")
        self.assertEqual(
            complaint.category_id, self.env.ref("municipal_complaint.category_overig")
        )
        self.assertEqual(complaint.partner_id.email, "marieke.visser@example.com")
        self.assertEqual(complaint.partner_id.phone, "06 98765432")
        self.assertIn("Niemand belde terug.", complaint.description)
        self.assertIn(complaint.partner_id, complaint.message_partner_ids)
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", complaint._name), ("res_id", "=", complaint.id)]
            )
        )
        self.assertEqual(attachment.name, "brief.pdf")
        self.assertIn("We have sent a confirmation", response.text)

    def test_existing_contact_is_neither_bound_nor_changed(self):
        """An address typed on a public form proves nothing: the complaint gets a
        contact of its own, and the existing contact stays as it was."""
        partners_before = self.env["res.partner"].sudo().search_count([])
        response = self._submit(
            name="Jan Jansen", email="J.Jansen@Example.com", phone=""
        )
        self.assertEqual(response.status_code, 200)
        complaint = (
            self.env["municipal.complaint"]
            .sudo()
            .search([("channel", "=", "web_form")], order="id desc", limit=1)
        )
        self.assertNotEqual(complaint.partner_id, self.complainant)
        self.assertEqual(complaint.partner_id.name, "Jan Jansen")
        self.assertEqual(complaint.partner_id.email, "j.jansen@example.com")
        self.assertEqual(
            self.env["res.partner"].sudo().search_count([]), partners_before + 1
        )
        self.assertEqual(
            self.complainant.name,
            "J. Jansen",
            "a public form never changes an existing contact",
        )

    def test_anonymous_complaint_has_no_complainant_and_no_acknowledgment(self):
        response = self._submit(name="", email="", phone="")
        self.assertEqual(response.status_code, 200)
        self.assertIn("you will not receive a confirmation", response.text)
        complaint = (
            self.env["municipal.complaint"].sudo().search([], order="id desc", limit=1)
        )
        self.assertEqual(complaint.channel, "web_form")
        self.assertFalse(complaint.partner_id)

    def test_missing_csrf_token_is_rejected(self):
        before = self._state()
        self.assertRejected(self._submit(csrf=False), "The form has expired", before)
        self.assertRejected(
            self._submit(csrf=False, csrf_token="forged"),
            "The form has expired",
            before,
        )

    def test_honeypot_is_rejected(self):
        before = self._state()
        self.assertRejected(
            self._submit(website_url="http://spam.example.com"),
            "could not be sent",
            before,
        )

    def test_oversized_file_is_rejected(self):
        before = self._state()
        big = PDF + b"0" * (1024 * 1024)
        response = self._submit(
            files=[("attachments", ("groot.pdf", big, "application/pdf"))]
        )
        self.assertRejected(response, "is too large", before)

    def test_wrong_file_type_is_rejected(self):
        before = self._state()
        response = self._submit(
            files=[
                (
                    "attachments",
                    (
                        "tool.exe",
                        b"MZ\x90\x00" + b"\x00" * 64,
                        "application/octet-stream",
                    ),
                )
            ]
        )
        self.assertRejected(response, "cannot be sent", before)
        # the extension alone does not decide: the content must match it
        response = self._submit(
            files=[
                (
                    "attachments",
                    (
                        "brief.pdf",
                        b"<html><script>alert(1)</script></html>",
                        "application/pdf",
                    ),
                )
            ]
        )
        self.assertRejected(response, "cannot be sent", before)
        # an image the settings do not allow
        self.company.complaint_intake_extensions = "pdf"
        response = self._submit(files=[("attachments", ("foto.png", PNG, "image/png"))])
        self.assertRejected(response, "cannot be sent", before)

    def test_missing_subject_or_privacy_consent_is_rejected(self):
        before = self._state()
        response = self._submit(privacy_accepted="")
        self.assertRejected(response, "privacy statement", before)
        response = self._submit(email="geen-adres")
        self.assertRejected(response, "is not valid", before)

    def test_too_many_submissions_from_one_address_are_rejected(self):
        for _i in range(3):
            self.assertEqual(self._submit().status_code, 200)
        before = self._state()
        self.assertRejected(
            self._submit(), "several complaints from your address", before
        )
        # the address is not stored, only a keyed hash of it
        keys = (
            self.env["municipal.complaint.intake.submission"]
            .sudo()
            .search([])
            .mapped("client_key")
        )
        self.assertNotIn("127.0.0.1", keys)
        self.assertEqual(len(set(keys)), 1)

    # ------------------------------------------------------------- server limits
    def test_line_breaks_and_nul_bytes_give_the_forms_error(self):
        before = self._state()
        for field, value in (
            ("name", "Marieke\r\nBcc: iedereen@example.com"),
            ("email", "marieke@example.com\nBcc: x@example.com"),
            ("phone", "06\x0012345678"),
            ("subject", "Niemand belde terug\x00"),
        ):
            response = self._submit(**{field: value})
            self.assertEqual(response.status_code, 400, field)
            self.assertIn("characters that cannot be sent", response.text)
            self.assertEqual(self._state(), before)
        # a line break belongs in a description, a NUL byte does not
        response = self._submit(description="Ik belde.\x00\nNiemand belde terug.")
        self.assertEqual(response.status_code, 400)
        self.assertIn("characters that cannot be sent", response.text)
        self.assertEqual(self._state(), before)

    def test_every_field_has_a_length_limit_on_the_server(self):
        before = self._state()
        for field, length in (("name", 129), ("phone", 33), ("email", 255)):
            value = "a" * length
            if field == "email":
                value = "a" * (length - len("@example.com")) + "@example.com"
            response = self._submit(**{field: value})
            self.assertRejected(response, "is too long", before)

    def test_uploads_stop_being_read_past_the_limits(self):
        # one file more than allowed is read, the rest is left unread
        streams = [CountingStream(PDF) for _i in range(13)]
        uploads = intake.read_uploads(
            1,
            max_files=10,
            files=[
                FileStorage(stream, filename=f"{n}.pdf")
                for n, stream in enumerate(streams)
            ],
        )
        self.assertEqual(len(uploads), 11)
        self.assertEqual([s.touched for s in streams], [True] * 11 + [False] * 2)
        # nothing after a file that is too large, of which one byte over is read
        big = CountingStream(PDF + b"0" * (2 * 1024 * 1024))
        after = CountingStream(PDF)
        uploads = intake.read_uploads(
            1,
            files=[
                FileStorage(big, filename="groot.pdf"),
                FileStorage(after, filename="b.pdf"),
            ],
        )
        self.assertEqual(
            [len(content) for _name, content in uploads], [1024 * 1024 + 1]
        )
        self.assertFalse(after.touched)

    def test_too_many_files_are_refused_before_the_rate_limit_counts(self):
        before = self._state()
        response = self._submit(
            files=[
                ("attachments", (f"{n}.pdf", PDF, "application/pdf")) for n in range(11)
            ]
        )
        self.assertRejected(response, "at most 10 attachments", before)

    def test_behind_the_proxy_an_ipv6_client_is_limited_per_64(self):
        """As production runs it: behind nginx, with proxy_mode (docs/production.md)."""

        def from_address(address):
            return {
                "X-Forwarded-For": address,
                "X-Forwarded-Host": "klachten.example.nl",
            }

        with patch.dict(config.options, {"proxy_mode": True}):
            for address in (
                "2001:db8:7:1::10",
                "2001:db8:7:1::11",
                "2001:db8:7:1:a::1",
            ):
                response = self._submit(headers=from_address(address))
                self.assertEqual(response.status_code, 200, address)
            before = self._state()
            # a fourth address of the same /64 is the same client
            self.assertRejected(
                self._submit(headers=from_address("2001:db8:7:1:ffff::2")),
                "several complaints from your address",
                before,
            )
            # the neighbouring /64, and the proxy's own address, are other clients
            self.assertEqual(
                self._submit(headers=from_address("2001:db8:7:2::10")).status_code, 200
            )
            self.assertEqual(self._submit().status_code, 200)

    def test_forwarded_addresses_without_proxy_mode_are_reported(self):
        headers = {"X-Forwarded-For": "192.0.2.44"}
        with (
            patch.dict(config.options, {"proxy_mode": False}),
            patch.object(intake, "_FORWARDING_WARNED", []),
            self.assertLogs(intake._logger, "WARNING") as logs,
        ):
            self.assertEqual(self._submit(headers=headers).status_code, 200)
            self.assertEqual(self._submit(headers=headers).status_code, 200)
        self.assertEqual(len(logs.output), 1, "said once per process")
        self.assertIn("proxy_mode is off", logs.output[0])
        # not applied: both counted for the address the request came from
        keys = (
            self.env["municipal.complaint.intake.submission"]
            .sudo()
            .search([])
            .mapped("client_key")
        )
        Submission = self.env["municipal.complaint.intake.submission"]
        self.assertNotIn(Submission._client_key("192.0.2.44"), keys)
