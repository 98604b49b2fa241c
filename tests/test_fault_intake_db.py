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
from odoo.tests.test_cursor import TestCursor
from odoo.tools import mute_logger

from ..models.complaint_acknowledgment import (
    MunicipalComplaint as AcknowledgingComplaint,
)
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

    def form_token(self, path="/klacht"):
        page = self.url_open(path)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        # the language the visitor's browser names, if any (not the test's default)
        for cookie in list(self.opener.cookies):
            if cookie.name == "frontend_lang":
                self.opener.cookies.clear(cookie.domain, cookie.path, cookie.name)
        self.env.flush_all()
        return token

    def submit(self, path="/klacht", cookies=None, error=None):
        token = self.form_token(path)
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

    def test_stored_before_the_database_went_away_the_reference_is_given(self):
        """The complaint is committed, then what Odoo runs after the commit (sending
        the acknowledgment) meets the lost connection: the citizen gets the
        reference, not a request to send it again (which would register it twice);
        the acknowledgment waits in the mail queue."""
        odoo_commit = TestCursor.commit

        def commit(self):
            # as a real cursor commits: the post-commit hooks run (tests skip them)
            hooks = list(self.postcommit._funcs)
            odoo_commit(self)
            self.postcommit._funcs.extend(hooks)
            self.postcommit.run()

        def send_after_commit(complaint, mails):
            @complaint.env.cr.postcommit.add
            def send():
                raise connection_lost()

        token = self.form_token()
        with (
            patch.object(TestCursor, "commit", commit),
            patch.object(
                AcknowledgingComplaint, "_send_complainant_mails", send_after_commit
            ),
            mute_logger("odoo.http"),
        ):
            response = self.opener.post(
                f"{self.base_url()}/klacht",
                data={
                    "csrf_token": token,
                    "name": "Marieke Visser",
                    "email": "marieke.visser@example.com",
                    "subject": "Niemand belde terug",
                    "description": "Ik heb drie keer gebeld.",
                    "privacy_accepted": "1",
                },
                files=[("attachments", ("", b""))],
                cookies={"frontend_lang": "nl_NL"},
                timeout=30,
            )
        self.env.invalidate_all()
        self.assertEqual(response.status_code, 200)
        complaint = (
            self.env["municipal.complaint"]
            .sudo()
            .search([("subject", "=", "Niemand belde terug")])
        )
        self.assertEqual(len(complaint), 1, "stored once")
        self.assertIn(
            f'<strong id="complaint_reference">{complaint.name}</strong>', response.text
        )
        self.assertIn("Uw klacht is ontvangen", response.text)
        self.assertNotIn("complaint_unavailable", response.text)
