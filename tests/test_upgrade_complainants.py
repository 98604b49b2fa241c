"""A database upgraded from a release before 19.0.1.3.0: the data is built as the old
intake left it, then this version's migration (19.0.1.4.0) runs; the old data then
follows the need-to-know rules."""

import importlib.util
from pathlib import Path

from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .common import ComplaintCase

MIGRATION = Path(__file__).parent.parent / "migrations/19.0.1.4.0/post-complainants.py"


def run_migration(env):
    spec = importlib.util.spec_from_file_location("post_complainants", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.migrate(env.cr, "19.0.1.3.0")
    env.invalidate_all()


class TestUpgradeComplainants(ComplaintCase):
    def test_complainants_of_an_earlier_release_are_hidden_after_upgrade(self):
        """The old intake made the complainant's contact without the mark: the upgrade
        marks it, and users without a complaint role no longer read it."""
        # as 19.0.1.0.0 made it: a plain contact, found or created by the intake
        old_contact = self.env["res.partner"].create(
            {
                "name": "Henk Vroeger",
                "email": "henk.vroeger@example.net",
                "phone": "06 44443333",
            }
        )
        self.create_complaint(
            partner_id=old_contact.id, channel="web_form", subject="Van voor de upgrade"
        )
        run_migration(self.env)
        with self.assertRaises(AccessError):
            old_contact.with_user(self.outsider).read(["name", "phone"])

    def test_complaints_bound_by_the_old_intake_need_confirmation_after_upgrade(self):
        """The old intake bound a form or e-mail complaint to the oldest contact
        with the typed address, possibly a portal account that had taken it: after
        the upgrade the complaint is out of that account until confirmed."""
        attacker = new_test_user(
            self.env,
            "mc_sec_old_binding",
            groups="base.group_portal",
            email="slachtoffer@example.com",
        )
        bound = self.create_complaint(
            partner_id=attacker.partner_id.id,
            channel="web_form",
            subject="Klacht van het slachtoffer, oude intake",
            description="<p>Mijn schulden en mijn ziekte.</p>",
        )
        run_migration(self.env)
        with self.assertRaises(AccessError):
            bound.with_user(attacker).read(["description"])
