""" "Links in mail carry no token: whoever holds a forwarded mail still has to log in"
(README, "Toegang"), and a contract partner reads nothing after its access ended:
neither the links that replace large files in a mail nor the chatter's signed links
open a complaint's file by themselves."""

import re
from datetime import date

from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .portal_common import PDF, PortalCase

TOKEN_LINK = re.compile(
    r"/web/content/(\d+)\?download=1&(?:amp;)?access_token=([\w-]+)"
)
RAW_TOKEN = re.compile(r"'id': (\d+)[^{}]*?'raw_access_token': '([\w-]+)'")


@tagged("post_install", "-at_install")
class TestFileLinks(PortalCase, MockEmail):
    def test_a_large_file_to_the_complainant_goes_without_a_bearer_link(self):
        """Odoo replaces the files of a mail above the size limit by /web/content
        links: about a complaint, without the permanent access token."""
        self.env["ir.config_parameter"].sudo().set_param(
            "base.default_max_email_size", "0.0001"
        )
        with self.mock_mail_gateway():
            self.case_citizen.with_user(self.coordinator).message_post(
                body="Bijgaand het verslag van de hoorzitting.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.citizen.partner_id.ids,
                attachments=[("hoorzitting.pdf", PDF * 20)],
            )
        bodies = " ".join(mail["body"] for mail in self._mails)
        link = TOKEN_LINK.search(bodies)
        if link:
            self.login(None)
            response = self.get(
                f"/web/content/{link.group(1)}?download=1&access_token={link.group(2)}"
            )
            self.assertNotEqual(
                response.status_code,
                200,
                "the file was downloaded with the link of the e-mail, not logged in",
            )
        self.assertFalse(link, "the e-mail about the complaint carries a bearer link")

    def test_a_partner_reads_no_file_after_its_access_ended(self):
        """The portal chatter's signed link to a file opens nothing after the
        mediation ended, nor for anyone not logged in."""
        self.case_a.with_user(self.coordinator).message_post(
            body="Het dossierstuk voor uw gesprek met de klager.",
            message_type="comment",
            subtype_xmlid="municipal_complaint.mt_complaint_partner_message",
            attachments=[("dossier.pdf", PDF)],
        )
        self.login(self.user_a)
        _ids, text = self.chatter(self.case_a)
        tokens = {int(i): token for i, token in RAW_TOKEN.findall(text)}
        self.assertTrue(tokens, "the partner got its file in the chatter")
        self.set_history(
            self.case_a, mediation_state="failed", mediation_end_date=date.today()
        )
        self.assertEqual(self.get(self.case_a.access_url).status_code, 404)
        self.login(None)
        for attachment_id, token in tokens.items():
            response = self.get(f"/web/content/{attachment_id}?access_token={token}")
            self.assertNotEqual(
                response.status_code,
                200,
                "a file of the case was downloaded after the partner's access "
                "ended, without logging in",
            )
