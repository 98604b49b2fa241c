"""Fault: the database goes away while a citizen sends the complaint form. The
request fails cleanly: nothing is stored, and the page (made without the database)
says in the citizen's language that the complaint did not arrive and to send it
again. The real restart of PostgreSQL under load is ``bench/load.py --restart-db``
(``make faults``); here the connection error is raised where the form stores the
complaint."""

import re
from unittest.mock import patch

import psycopg2

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..models.complaint_intake import MunicipalComplaint
from .common import ComplaintCase


def connection_lost():
    # a new one each time: Odoo keeps the answer to an error on the error itself
    return psycopg2.OperationalError(
        "terminating connection due to administrator command\n"
        "server closed the connection unexpectedly"
    )


@tagged("post_install", "-at_install")
class TestIntakeDatabaseLost(ComplaintCase, HttpCase):
    def setUp(self):
        super().setUp()
        self.authenticate(None, None)

    def submit(self, path="/klacht", cookies=None, error=None):
        page = self.url_open(path)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        # the language the visitor's browser names, if any (not the test's default)
        for cookie in list(self.opener.cookies):
            if cookie.name == "frontend_lang":
                self.opener.cookies.clear(cookie.domain, cookie.path, cookie.name)
        self.env.flush_all()
        with (
            patch.object(
                MunicipalComplaint,
                "_create_from_intake",
                side_effect=error or connection_lost(),
            ),
            mute_logger("odoo.http"),
        ):
            response = self.opener.post(
                f"{self.base_url()}{path}",
                data={
                    "csrf_token": token,
                    "name": "Marieke Visser",
                    "email": "marieke.visser@example.com",
                    "subject": "Niemand belde terug",
                    "description": "Ik heb drie keer gebeld.",
                    "privacy_accepted": "1",
                },
                files=[("attachments", ("", b""))],
                cookies=cookies or {},
                timeout=30,
            )
        self.env.invalidate_all()
        return response

    def cases(self):
        return (
            self.env["municipal.complaint"]
            .sudo()
            .search_count([("subject", "=", "Niemand belde terug")])
        )

    def test_the_citizen_is_told_to_send_it_again_in_dutch(self):
        """Dutch also when the request names no language: the Dienst's public."""
        response = self.submit()
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.headers["Retry-After"], "30")
        self.assertIn('id="complaint_unavailable"', response.text)
        self.assertIn("Uw klacht kon niet worden verzonden", response.text)
        self.assertIn("opnieuw", response.text)
        self.assertNotIn("Traceback", response.text)
        self.assertNotIn("OperationalError", response.text)
        self.assertEqual(self.cases(), 0, "nothing is stored")

    def test_in_english_for_a_visitor_who_chose_english(self):
        response = self.submit(cookies={"frontend_lang": "en_US"})
        self.assertEqual(response.status_code, 503)
        self.assertIn("Your complaint could not be sent", response.text)
        self.assertIn("try again", response.text)

    def test_other_errors_and_other_pages_keep_odoo_s_answer(self):
        """Only a lost database on the form: any other failure is not said to be
        one (the page promises that nothing was received)."""
        response = self.submit(error=ValueError("a bug"))
        self.assertEqual(response.status_code, 500)
        self.assertNotIn("complaint_unavailable", response.text)
        self.assertEqual(self.cases(), 0)
