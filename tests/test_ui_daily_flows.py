"""The flows people do every day, in a real browser, in Dutch: the tours of
static/tests/tours/daily_flow_tours.js. Each tour is one person at their screen; the
tests chain them the way the work passes from one to the next, and check between
them what the screens left behind."""

import re
from datetime import timedelta
from unittest.mock import patch

from odoo.tests import new_test_user, tagged

from odoo.addons.municipal_complaint.models.complaint_lifecycle import (
    HISTORY_IMPORT_KEY,
)

from .common import MODULE
from .test_ui_tours import DutchWorkdayCase

REFERENCE = re.compile(r"^KL/\d{4}/\d{4,}$")
# the texts the tours type (static/tests/tours/daily_flow_tours.js)
CALL = "Re-integratiecoach kwam twee keer niet"
SHARED_TEXT = "Een deelnemer meldt dat zijn coach twee afspraken niet nakwam."
RESPONSE = "Wij hebben excuses gemaakt en een andere coach toegewezen."
WEB_SUBJECT = "Mijn bezwaar is niet doorgestuurd"
WEB_FILE = "ontvangstbewijs-bezwaar.txt"
WEB_MESSAGE = "Ik heb het ontvangstbewijs van de post nog, zal ik dat langsbrengen?"
VISITOR_SUBJECT = "Loket was dicht op de openingstijd"


@tagged("post_install", "-at_install")
class TestDailyFlowTours(DutchWorkdayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.citizen = new_test_user(
            cls.env,
            "mc_tour_citizen",
            groups="base.group_portal",
            name="Sanne Burger",
            email="sanne.burger@example.com",
            lang="nl_NL",
            tz="Europe/Amsterdam",
        )
        # a case of the Medewerker whose first contact is overdue: the red card
        # beside the new one
        received = cls.today - timedelta(days=14)
        cls.overdue = (
            cls.env["municipal.complaint"]
            .sudo()
            .with_context(**{HISTORY_IMPORT_KEY: True})
            .create(
                {
                    "subject": "Brief over de toeslag kwijt",
                    "category_id": cls.category.id,
                    "received_date": received,
                    "acknowledgment_date": received,
                    "user_id": cls.medewerker.id,
                }
            )
            .with_env(cls.env)
        )

    def find_case(self, subject):
        self.env.invalidate_all()
        case = self.env["municipal.complaint"].search([("subject", "=", subject)])
        self.assertEqual(len(case), 1, f"one case {subject!r}")
        return case

    def test_a_phone_complaint_from_the_call_to_the_conclusion_letter(self):
        """A Medewerker registers a call and records the contact; the coordinator
        refers it to the partner who does the outsourced work; the partner answers
        in the portal; the coordinator ends the mediation and closes the complaint
        formally, and the conclusion letter goes out attached to the case."""
        self.assertEqual(self.overdue.deadline_state, "overdue")
        self.start_tour(
            "/odoo",
            "municipal_complaint_phone_complaint_tour",
            login="mc_tour_medewerker",
        )
        case = self.find_case(CALL)
        self.assertRegex(case.name, REFERENCE)
        self.assertEqual(case.channel, "phone")
        self.assertEqual(case.partner_id, self.yilmaz)
        self.assertEqual(case.create_uid, self.medewerker)
        self.assertTrue(case.acknowledgment_date)
        self.assertEqual(case.contact_date, self.today)
        self.assertEqual(case.stage_id, self.env.ref(f"{MODULE}.stage_contacted"))

        self.start_tour(
            "/odoo", "municipal_complaint_refer_tour", login="mc_tour_coordinator"
        )
        self.env.invalidate_all()
        self.assertEqual(case.referral_partner_id, self.werkbedrijf)
        self.assertEqual(case.mediation_state, "ongoing")
        self.assertEqual(case.kind, "complaint", "unticked: still about the Dienst")
        self.assertEqual(case.category_id, self.category)
        self.assertEqual(case.referral_text, SHARED_TEXT)
        partner_user = self.petra.user_ids
        self.assertTrue(partner_user, "the referral gave the partner's contact access")
        partner_user.password = "mc_tour_partner"

        self.start_tour(
            "/my",
            "municipal_complaint_partner_answer_tour",
            login=partner_user.login,
        )
        self.env.invalidate_all()
        self.assertEqual(case.partner_response, RESPONSE)
        self.assertEqual(case.partner_resolved, "resolved")

        self.start_tour(
            "/odoo",
            "municipal_complaint_formal_closing_tour",
            login="mc_tour_coordinator",
        )
        self.env.invalidate_all()
        self.assertEqual(case.mediation_state, "succeeded")
        self.assertEqual(case.closed_date, self.today)
        self.assertEqual(case.handling, "formal")
        self.assertEqual(case.judgment, "founded")
        self.assertEqual(case.hearing_skip_reason, "waived")
        self.assertEqual(case.term_outcome, "within")
        letters = case.message_ids.attachment_ids.filtered(
            lambda attachment: "Conclusiebrief" in attachment.name
        )
        self.assertEqual(len(letters), 1, "one conclusion letter on the case")
        sent = case.message_ids.filtered(
            lambda message: letters & message.attachment_ids
        )
        self.assertIn(self.yilmaz, sent.partner_ids, "it went to the complainant")

    def test_a_citizen_files_online_and_follows_the_complaint(self):
        """A citizen with a portal account files at /klacht with a file, sees the
        reference, finds the complaint under it in the portal and writes to the
        Dienst in its conversation."""
        self.start_tour(
            "/klacht", "municipal_complaint_citizen_files_tour", login="mc_tour_citizen"
        )
        case = self.find_case(WEB_SUBJECT)
        self.assertRegex(case.name, REFERENCE)
        self.assertEqual(case.channel, "web_form")
        self.assertEqual(case.partner_id, self.citizen.partner_id, "theirs at once")
        self.assertTrue(case.acknowledgment_date)
        files = case.message_ids.attachment_ids
        self.assertEqual(files.mapped("name"), [WEB_FILE])
        message = case.message_ids.filtered(lambda m: WEB_MESSAGE in (m.body or ""))
        self.assertEqual(message.author_id, self.citizen.partner_id)
        self.assertEqual(message.message_type, "comment")
        # the Dienst reads it on the case
        self.assertTrue(message.with_user(self.coordinator).has_access("read"))

    def test_a_visitor_files_with_a_file_and_gets_a_reference(self):
        """Without an account: the form, a file, the confirmation with the
        reference; the complaint gets a contact of its own."""
        self.start_tour("/klacht", "municipal_complaint_visitor_files_tour")
        case = self.find_case(VISITOR_SUBJECT)
        self.assertRegex(case.name, REFERENCE)
        self.assertEqual(case.partner_id.email, "j.deboer@example.com")
        self.assertFalse(case.partner_id.user_ids, "bound to no account")
        self.assertEqual(
            case.message_ids.attachment_ids.mapped("name"), ["foto-deur.txt"]
        )

    def test_a_coordinator_prints_the_annual_report_of_2020(self):
        """From the menu to the printed report of 2020: the figures on the form are
        the demo register's, and Print sends the browser the report's PDF.

        What "prints" means here: the server renders the annual report of this
        record (a failing PDF engine is reported before anything is downloaded),
        keeps the file on the report, and the browser downloads it under the
        name of its year, version and draft state (the tour fetches the
        download and checks the name it gets). Under tests Odoo renders the
        report's HTML instead of running wkhtmltopdf; tests/test_letter_pdf.py
        renders this report through wkhtmltopdf and reads the PDF's text."""
        Complaint = self.env["municipal.complaint"]
        self.assertEqual(
            Complaint._get_annual_figures(2020)["total"],
            48,
            "the demo register of 2020 is installed (make test installs demo data)",
        )
        Report = type(self.env["ir.actions.report"])
        original = Report._render_qweb_pdf
        rendered = []

        def recording(report, report_ref, res_ids=None, data=None):
            result = original(report, report_ref, res_ids=res_ids, data=data)
            rendered.append(
                (report._get_report(report_ref).report_name, res_ids, result)
            )
            return result

        with patch.object(Report, "_render_qweb_pdf", recording):
            self.start_tour(
                "/odoo",
                "municipal_complaint_annual_report_tour",
                login="mc_tour_coordinator",
            )
        report = self.env["municipal.complaint.annual.report"].search(
            [("year", "=", 2020)]
        )
        self.assertEqual(len(report), 1)
        self.assertEqual(report.name, "Klachtenjaarverslag 2020")
        kept = self.env["ir.attachment"].search(
            [("res_model", "=", report._name), ("res_id", "=", report.id)]
        )
        self.assertEqual(len(kept), 1, "the printed file is kept on the report")
        self.assertTrue(kept.name.startswith("klachtenjaarverslag-2020-v1-concept."))
        printed = [
            (res_ids, content)
            for name, res_ids, (content, _format) in rendered
            if name == f"{MODULE}.report_annual"
        ]
        self.assertEqual(len(printed), 1, "printed once")
        res_ids, content = printed[0]
        self.assertEqual(list(res_ids), report.ids)
        text = content.decode()
        self.assertIn("Klachtenjaarverslag 2020", text)
        self.assertIn("48", text)
