"""The public form's limit of submissions per client address: exact when several
Odoo workers serve it at once, and an IPv6 client counted per /64."""

import threading

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

SUBMISSION = "municipal.complaint.intake.submission"


@tagged("post_install", "-at_install")
class TestIntakeLimitKey(TransactionCase):
    def test_an_ipv6_client_is_its_whole_64(self):
        key = self.env[SUBMISSION]._client_key
        one = key("2001:db8:ab:cd::1")
        # another address of the same /64, also written in full
        self.assertEqual(key("2001:db8:ab:cd:ffff:1234:5678:9abc"), one)
        self.assertEqual(key("2001:0db8:00ab:00cd:0000:0000:0000:0002"), one)
        # the next /64 of the same provider is another client
        self.assertNotEqual(key("2001:db8:ab:ce::1"), one)

    def test_an_ipv4_client_is_its_address(self):
        key = self.env[SUBMISSION]._client_key
        self.assertNotEqual(key("192.0.2.10"), key("192.0.2.11"))
        # the same address as an IPv6 socket reports it
        self.assertEqual(key("::ffff:192.0.2.10"), key("192.0.2.10"))
        self.assertNotIn("192.0.2.10", key("192.0.2.10"), "only a keyed hash is kept")


@tagged("post_install", "-at_install")
class TestIntakeLimitAcrossWorkers(TransactionCase):
    """Two requests from one address, served by two workers at the same moment:
    two real database transactions, committed, as in production.

    (A TransactionCase does not put the registry in test mode: its cursors are
    separate connections. What they commit is removed at the end.)
    """

    ADDRESS = "198.51.100.23"

    def setUp(self):
        super().setUp()
        self.key = self.env[SUBMISSION]._client_key(self.ADDRESS)
        self.addCleanup(self._remove_committed_submissions)

    def _remove_committed_submissions(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM municipal_complaint_intake_submission "
                "WHERE client_key = %s",
                [self.key],
            )

    def test_the_limit_is_exact_when_two_workers_submit_at_once(self):
        limit = 1
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            first = api.Environment(cr1, SUPERUSER_ID, {})[SUBMISSION]
            second = api.Environment(cr2, SUPERUSER_ID, {})[SUBMISSION]
            # both requests are under way: each transaction has its snapshot (a
            # request reads its session and settings before the form is handled)
            for submissions in (first, second):
                self.assertEqual(submissions._count_recent(self.key), 0)

            first._reserve(self.ADDRESS, limit)  # not committed yet
            outcome = {}

            def second_worker():
                try:
                    second._reserve(self.ADDRESS, limit)
                    outcome["second"] = "accepted"
                except UserError as error:
                    outcome["second"] = str(error)

            thread = threading.Thread(target=second_worker)
            thread.start()
            thread.join(timeout=2)
            self.assertTrue(
                thread.is_alive(),
                "the second submission waits for the first one's transaction",
            )
            cr1.commit()
            thread.join(timeout=30)
            self.assertFalse(thread.is_alive())
            cr2.rollback()  # what the form does with a refused submission
        self.assertIn("several complaints from your address", outcome["second"])
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM municipal_complaint_intake_submission "
                "WHERE client_key = %s",
                [self.key],
            )
            self.assertEqual(cr.fetchone()[0], limit, "one submission counted, not two")

    def test_a_rolled_back_submission_does_not_count(self):
        with self.registry.cursor() as cr1:
            api.Environment(cr1, SUPERUSER_ID, {})[SUBMISSION]._reserve(self.ADDRESS, 1)
            cr1.rollback()  # the complaint failed after the reservation
        with self.registry.cursor() as cr2:
            submission = api.Environment(cr2, SUPERUSER_ID, {})[SUBMISSION]._reserve(
                self.ADDRESS, 1
            )
            self.assertTrue(submission)
            cr2.rollback()
