"""The file of a published annual report (Awb 9:12a) is what was published: its
exports are made once and handed out again, and nobody rewrites, deletes or
shadows them through ``ir.attachment`` (JSON-RPC ``/web/dataset/call_kw``)."""

import base64
from contextlib import suppress

from odoo.exceptions import AccessError, UserError

from .test_annual_report import AnnualReportCase

FORGED = b"year;complaints\n2020;1\n"


class TestAnnualReportFiles(AnnualReportCase):
    def published_export(self):
        report = self.make_report()
        report.action_publish()
        attachment, content = self.attachment_content(report.action_export_csv())
        return report, attachment, content

    def test_a_published_export_is_not_rewritten_through_the_attachment(self):
        report, attachment, content = self.published_export()
        with suppress(AccessError, UserError):
            attachment.with_user(self.coordinator).write(
                {"datas": base64.b64encode(FORGED)}
            )
        _again, served = self.attachment_content(report.action_export_csv())
        self.assertEqual(served, content, "the published export was rewritten")

    def test_a_published_export_is_not_shadowed_by_a_newer_attachment(self):
        report, attachment, content = self.published_export()
        with suppress(AccessError, UserError):
            self.env["ir.attachment"].with_user(self.coordinator).create(
                {
                    "name": attachment.name,
                    "res_model": report._name,
                    "res_id": report.id,
                    "datas": base64.b64encode(FORGED),
                }
            )
        _again, served = self.attachment_content(report.action_export_csv())
        self.assertEqual(
            served, content, "a forged file is served as the published one"
        )

    def test_a_published_export_is_not_deleted(self):
        _report, attachment, _content = self.published_export()
        with self.assertRaises(UserError):
            attachment.with_user(self.coordinator).unlink()
        self.assertTrue(attachment.exists())

    def test_the_published_version_hands_out_its_own_files_not_the_drafts(self):
        """A draft's export is replaced at every export; once published, the report
        hands out files made of what was published, under the published name."""
        report = self.make_report()
        draft_file, _content = self.attachment_content(report.action_export_csv())
        again, _content = self.attachment_content(report.action_export_csv())
        self.assertFalse(draft_file.exists(), "a draft's export is replaced")
        again.with_user(self.coordinator).unlink()  # a draft's file is no record
        report.action_publish()
        published, _content = self.attachment_content(report.action_export_csv())
        self.assertNotEqual(published, again)
        self.assertNotIn("draft", published.name)
        self.assertEqual(report.export_attachment_ids, published)

    def test_a_published_export_takes_a_download_token_and_a_storage_move(self):
        """What changes no content still works on a published export: a download
        link's token, and moving the files to another storage (Settings); content
        sent along with a token is refused all the same."""
        _report, attachment, content = self.published_export()
        token = attachment.with_user(self.coordinator).generate_access_token()
        self.assertTrue(token[0])
        attachment._migrate()
        self.assertEqual(base64.b64decode(attachment.datas), content)
        with self.assertRaises(UserError):
            attachment.with_user(self.coordinator).write(
                {"access_token": "x", "datas": base64.b64encode(FORGED)}
            )
