"""Inzage (AVG art. 15): one ZIP with everything the addon holds about a person, a
summary in Dutch and the files; the export is logged."""

import io
import zipfile

from odoo.exceptions import AccessError

from .common import ComplaintCase


class TestInzage(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.company.write({"complaint_intake_rate_limit": 50})
        Complaint = cls.Complaint.sudo()
        cls.first = Complaint._create_from_intake(
            {
                "name": "Sanne de Wit",
                "email": "sanne.dewit@example.com",
                "phone": "06 55544433",
                "subject": "Bijzondere bijstand afgewezen",
                "description": "Mijn aanvraag is zonder uitleg afgewezen.",
                "privacy_accepted": True,
            },
            attachments=[("afwijzing.txt", b"Brief aan Sanne de Wit: afgewezen")],
            client_address="203.0.113.9",
        )
        # the same person through the form again: a second contact, same address
        cls.second = Complaint._create_from_intake(
            {
                "name": "S. de Wit",
                "email": "Sanne.deWit@example.com",
                "subject": "Geen reactie op mijn klacht",
                "description": "Ik hoorde niets meer.",
                "privacy_accepted": True,
            },
            client_address="203.0.113.9",
        )
        cls.someone_else = cls.create_complaint(subject="Klacht van iemand anders")
        cls.first.with_user(cls.coordinator).message_post(
            body="Mevrouw De Wit teruggebeld over de afwijzing.",
            subtype_xmlid="mail.mt_note",
        )
        cls.contacts = cls.first.partner_id | cls.second.partner_id

    def export(self, partner, user=None):
        wizard = (
            self.env["municipal.complaint.inzage.wizard"]
            .with_user(user or self.coordinator)
            .create({"partner_id": partner.id})
        )
        action = wizard.action_export()
        content, filename = wizard._get_export()
        self.assertTrue(filename.startswith("inzage-"))
        archive = zipfile.ZipFile(io.BytesIO(content))
        return wizard, action, archive

    def test_the_same_person_is_proposed_by_e_mail_address(self):
        wizard = (
            self.env["municipal.complaint.inzage.wizard"]
            .with_user(self.coordinator)
            .create({"partner_id": self.first.partner_id.id})
        )
        self.assertEqual(wizard.partner_ids, self.contacts)

    def test_the_export_holds_the_cases_messages_files_and_log_in_dutch(self):
        self.first.with_user(self.coordinator).web_read({"description": {}})
        wizard, action, archive = self.export(self.first.partner_id)
        names = archive.namelist()
        self.assertIn("overzicht.html", names)
        folder = self.first.name.replace("/", "-")
        self.assertIn(f"bestanden/{folder}/afwijzing.txt", names)
        self.assertEqual(
            archive.read(f"bestanden/{folder}/afwijzing.txt"),
            b"Brief aan Sanne de Wit: afgewezen",
        )
        summary = archive.read("overzicht.html").decode()
        # Dutch
        self.assertIn("Overzicht van uw persoonsgegevens", summary)
        self.assertIn("Wie heeft uw dossier ingezien", summary)
        # the person, both cases, the message, the log
        for text in (
            "Sanne de Wit",
            "sanne.dewit@example.com",
            "06 55544433",
            self.first.name,
            "Bijzondere bijstand afgewezen",
            "Mijn aanvraag is zonder uitleg afgewezen.",
            self.second.name,
            "Geen reactie op mijn klacht",
            "teruggebeld over de afwijzing",
            "afwijzing.txt",
            "De zaak geopend",
        ):
            self.assertIn(text, summary)
        # nothing of someone else, no employee's name
        self.assertNotIn("iemand anders", summary)
        self.assertNotIn(self.coordinator.name, summary)
        self.assertEqual(action["url"], f"/municipal_complaint/inzage/{wizard.id}")

    def test_the_export_is_logged(self):
        self.export(self.first.partner_id)
        Log = self.env["municipal.complaint.access.log"].sudo()
        entries = Log.search([("action", "=", "inzage")])
        self.assertEqual(entries.partner_id, self.contacts)
        self.assertEqual(entries.complaint_id, self.first | self.second)
        self.assertEqual(entries.user_id, self.coordinator)

    def test_only_a_coordinator_makes_an_inzage_export(self):
        for user in (self.employee, self.outsider):
            with self.assertRaises(AccessError):
                self.env["municipal.complaint.inzage.wizard"].with_user(user).create(
                    {"partner_id": self.first.partner_id.id}
                )
        self.assertFalse(
            self.env["municipal.complaint.access.log"]
            .sudo()
            .search([("action", "=", "inzage")])
        )

    def test_a_person_without_complaints_gets_an_empty_overview(self):
        nobody = self.env["res.partner"].create({"name": "Piet Leeg"})
        _wizard, _action, archive = self.export(nobody)
        summary = archive.read("overzicht.html").decode()
        self.assertIn("Piet Leeg", summary)
        self.assertIn("Wij hebben geen klachten van u", summary)
        self.assertEqual(archive.namelist(), ["overzicht.html"])
