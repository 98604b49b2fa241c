"""A working day at the Dienst in the web client, in Dutch, in a real browser: the
tours of static/tests/tours/workday_tours.js and the click-everywhere of every menu
of the app, for each complaint role."""

import logging
import os
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.municipal_complaint.models.complaint_lifecycle import (
    HISTORY_IMPORT_KEY,
)

from .common import MODULE

_logger = logging.getLogger(__name__)

CLICKBOT = (
    "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
    ".startClickEverywhere('municipal_complaint.menu_complaint_root');"
)


class DutchWorkdayCase(HttpCase):
    """Staff of each complaint role and a partner contact, all in Dutch, and the
    cases of their day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        dutch = {"lang": "nl_NL", "tz": "Europe/Amsterdam"}
        cls.medewerker = new_test_user(
            cls.env,
            "mc_tour_medewerker",
            groups=f"{MODULE}.group_complaint_user",
            name="Eva Medewerker",
            **dutch,
        )
        cls.coordinator = new_test_user(
            cls.env,
            "mc_tour_coordinator",
            groups=f"{MODULE}.group_complaint_coordinator",
            name="Karin Coördinator",
            **dutch,
        )
        cls.beheerder = new_test_user(
            cls.env,
            "mc_tour_beheerder",
            groups=f"{MODULE}.group_complaint_manager",
            name="Bram Beheerder",
            **dutch,
        )
        new_test_user(cls.env, "mc_tour_colleague", name="Y. Yilmaz (collega)", **dutch)
        Partner = cls.env["res.partner"]
        cls.yilmaz = Partner.create(
            {
                "name": "F. Yilmaz",
                "email": "f.yilmaz@example.com",
                "phone": "06-11223344",
                "complaint_salutation": "mr",
                "lang": "nl_NL",
            }
        )
        cls.de_vries = Partner.create(
            {"name": "K. de Vries", "email": "k.devries@example.com", "lang": "nl_NL"}
        )
        cls.werkbedrijf = Partner.create(
            {
                "name": "Werkbedrijf Oost",
                "is_company": True,
                "is_complaint_partner": True,
            }
        )
        cls.petra = Partner.create(
            {
                "name": "Petra Partner",
                "email": "petra@werkbedrijf.example.com",
                "parent_id": cls.werkbedrijf.id,
                "lang": "nl_NL",
            }
        )
        cls.category = cls.env.ref(f"{MODULE}.category_bejegening")
        today = fields.Date.context_today(cls.env["res.users"])
        cls.today = today
        Complaint = cls.env["municipal.complaint"]
        # the Medewerker's own case, registered by them: not yet acknowledged
        cls.medewerker_case = Complaint.with_user(cls.medewerker).create(
            {
                "subject": "Uitkering te laat betaald",
                "category_id": cls.category.id,
                "partner_id": cls.yilmaz.id,
                "user_id": cls.medewerker.id,
                "description": "<p>Mijn uitkering is voor de tweede keer te laat.</p>",
            }
        )
        history = Complaint.sudo().with_context(**{HISTORY_IMPORT_KEY: True})
        base = {
            "category_id": cls.category.id,
            "received_date": today - timedelta(days=2),
            "acknowledgment_date": today - timedelta(days=2),
            "contact_date": today - timedelta(days=1),
            "user_id": cls.coordinator.id,
        }
        cases = history.create(
            [
                dict(
                    base,
                    subject="Geen reactie op mijn brief",
                    partner_id=cls.de_vries.id,
                ),
                dict(base, subject="Bezwaar kwijtgeraakt", partner_id=cls.yilmaz.id),
                dict(base, subject="Coach kwam niet opdagen", partner_id=cls.yilmaz.id),
            ]
        ).with_env(cls.env)
        cls.to_close, cls.to_postpone, cls.to_refer = cases

    def start_tour(self, url_path, tour_name, step_delay=None, **kwargs):
        """TOUR_WATCH=1 shows the tours in a Chromium window (a display is needed),
        a step every TOUR_STEP_DELAY milliseconds (500), to follow one by eye
        (README, "Tests")."""
        if os.environ.get("TOUR_WATCH"):
            kwargs.setdefault("watch", True)
            kwargs.setdefault("timeout", 600)
            step_delay = step_delay or int(os.environ.get("TOUR_STEP_DELAY", "500"))
        return super().start_tour(url_path, tour_name, step_delay=step_delay, **kwargs)


@tagged("post_install", "-at_install")
class TestWorkdayTours(DutchWorkdayCase):
    def test_medewerker_day(self):
        """Items 1, 3, 4, 5, 6: home screen, next step, the acknowledgment shown,
        the card, the phone search and the complainant picker."""
        self.start_tour(
            "/odoo", "municipal_complaint_medewerker_tour", login="mc_tour_medewerker"
        )
        case = self.medewerker_case
        self.assertTrue(case.acknowledgment_date)
        self.assertTrue(case.contact_date)
        offered = self.env["mail.activity"].search(
            [("res_model", "=", case._name), ("res_id", "=", case.id)]
        )
        self.assertIn(self.coordinator, offered.user_id)

    def test_coordinator_day(self):
        """Items 3, 4, 8: close with its letter, postpone with its letter, refer and
        keep the promised date."""
        promised = self.to_refer.legal_deadline
        self.start_tour(
            "/odoo", "municipal_complaint_coordinator_tour", login="mc_tour_coordinator"
        )
        self.assertTrue(self.to_close.is_closed)
        self.assertTrue(self.to_postpone.postponed)
        self.assertEqual(self.to_refer.referral_partner_id, self.werkbedrijf)
        self.assertEqual(self.to_refer.promised_deadline, promised)

    def test_beheerder_day(self):
        """Item 2 and 9: holidays and closing days from the menu and the calendar;
        the settings in one place."""
        self.start_tour(
            "/odoo", "municipal_complaint_beheerder_tour", login="mc_tour_beheerder"
        )
        self.assertTrue(
            self.env["resource.calendar.leaves"].search([("name", "=", "Brugdag")])
        )

    def test_partner_sees_the_date_to_answer_by(self):
        """Item 8: the partner's portal shows the date to answer by."""
        self.to_refer.with_user(self.coordinator).action_refer(self.werkbedrijf)
        partner_user = self.petra.user_ids
        self.assertTrue(partner_user, "the referral gave the contact portal access")
        partner_user.password = "mc_tour_partner"
        self.start_tour(
            f"/my/complaints/{self.to_refer.id}",
            "municipal_complaint_partner_portal_tour",
            login=partner_user.login,
        )

    def test_the_session_opens_the_cases_for_complaint_staff(self):
        cases = self.env.ref(f"{MODULE}.action_municipal_complaint")
        self.authenticate("mc_tour_medewerker", "mc_tour_medewerker")
        info = self.make_jsonrpc_request("/web/session/get_session_info")
        self.assertEqual(info["home_action_id"], cases.id)
        self.authenticate("mc_tour_colleague", "mc_tour_colleague")
        info = self.make_jsonrpc_request("/web/session/get_session_info")
        self.assertFalse(info["home_action_id"], "not a complaint role: Odoo's own")


@tagged("post_install", "-at_install")
class TestClickEverywhere(DutchWorkdayCase):
    """Every menu of the app opens the way the web client opens it, for each complaint
    role: no broken menu lands again."""

    def click_everywhere(self, login):
        self.browser_js(
            "/odoo",
            CLICKBOT,
            "odoo.isReady === true",
            login=login,
            timeout=600,
            success_signal="clickbot test succeeded",
        )

    def test_click_everywhere_as_medewerker(self):
        self.click_everywhere("mc_tour_medewerker")

    def test_click_everywhere_as_coordinator(self):
        self.click_everywhere("mc_tour_coordinator")

    def test_click_everywhere_as_beheerder(self):
        self.click_everywhere("mc_tour_beheerder")
