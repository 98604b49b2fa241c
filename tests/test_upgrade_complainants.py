"""Security review: a database upgraded from the previous release (19.0.1.0.0, commit
04e4d66). The new need-to-know rules only hold for data made by this version; these
tests build the data as the previous release left it, run this version's migration,
and fail while the old data stays as open as it was."""

import importlib.util
from pathlib import Path

from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .common import ComplaintCase

MIGRATION = Path(__file__).parent.parent / "migrations/19.0.1.4.0/post-complainants.py"


def run_migration(env):
    spec = importlib.util.spec_from_file_location("review_post_security", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.migrate(env.cr, "19.0.1.3.0")
    env.invalidate_all()


class TestReviewUpgrade(ComplaintCase):
    def test_review_complainants_of_the_previous_release_are_hidden_after_upgrade(
        self,
    ):
        """The previous release made the complainant's contact without the
        ``is_complainant_contact`` mark (and without a company); nothing marks the
        existing ones, so after the upgrade every internal user still reads every
        earlier complainant's name, address and phone."""
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

    def test_review_complaints_bound_by_the_old_intake_need_confirmation_after_upgrade(
        self,
    ):
        """The previous release bound a form or e-mail complaint to the oldest
        contact with the typed address -- possibly a portal account that had taken
        that address. The upgrade leaves those bindings: the complaint stays in the
        portal account without its owner ever confirming it."""
        attacker = new_test_user(
            self.env,
            "mc_review_old_binding",
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
