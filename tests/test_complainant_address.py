"""A complainant's e-mail address is where every letter of their cases goes: a
Medewerker changes it only when they may change every case of that complainant
(models/res_partner_protected.py). Naming a citizen as complainant of a case of
one's own (allowed: the same citizen calls again) must not open the address of
the citizen's other cases, handled by a colleague."""

from contextlib import suppress

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import MODULE, ComplaintCase


class TestComplainantAddress(ComplaintCase):
    def test_a_case_of_ones_own_does_not_open_a_colleagues_complainant_address(self):
        citizen = new_test_user(
            self.env,
            "mc_addr_citizen",
            groups="base.group_portal",
            email="sanne@example.com",
        )
        # the citizen's real complaint, handled by a colleague
        self.create_complaint(
            partner_id=citizen.partner_id.id,
            subject="Bijstand stopgezet wegens ziekte",
            user_id=self.colleague.id,
        )
        insider = new_test_user(
            self.env,
            "mc_addr_insider",
            groups=f"{MODULE}.group_complaint_user,base.group_partner_manager",
        )
        with suppress(AccessError, UserError):
            # a case of their own naming the citizen, then the citizen's address
            self.Complaint.with_user(insider).create(
                {
                    "subject": "Telefoonnotitie",
                    "category_id": self.category_informatie.id,
                    "channel": "phone",
                    "partner_id": citizen.partner_id.id,
                }
            )
            citizen.partner_id.with_user(insider).write(
                {"email": "insider@example.net"}
            )
        self.assertEqual(
            citizen.partner_id.email,
            "sanne@example.com",
            "a Medewerker redirected the letters of a colleague's case",
        )

    def test_the_handler_of_every_case_corrects_the_address(self):
        """The other side: a Medewerker who handles all of a complainant's cases
        corrects the address (a typo on the phone) without a coordinator."""
        handler = new_test_user(
            self.env,
            "mc_addr_handler",
            groups=f"{MODULE}.group_complaint_user,base.group_partner_manager",
        )
        contact = self.env["res.partner"].create(
            {"name": "P. Visser", "email": "p.visser@exampel.com"}
        )
        self.create_complaint(partner_id=contact.id, user_id=handler.id)
        contact.with_user(handler).write({"email": "p.visser@example.com"})
        self.assertEqual(contact.email, "p.visser@example.com")

    def test_an_organisations_address_does_not_move_a_colleagues_complainant(self):
        """Odoo copies an organisation's address to its contacts: a Medewerker who
        may change the organisation but not every case of its contact does not move
        that complainant's letters through it."""
        organisation = self.env["res.partner"].create(
            {"name": "Stichting Thuis", "is_company": True, "street": "Kerkstraat 1"}
        )
        complainant = self.env["res.partner"].create(
            {"name": "J. de Boer", "parent_id": organisation.id, "type": "contact"}
        )
        self.create_complaint(partner_id=complainant.id, user_id=self.colleague.id)
        insider = new_test_user(
            self.env,
            "mc_addr_insider2",
            groups=f"{MODULE}.group_complaint_user,base.group_partner_manager",
        )
        with suppress(AccessError, UserError):
            organisation.with_user(insider).write({"street": "Postbus 99"})
        self.assertEqual(complainant.street, "Kerkstraat 1")
