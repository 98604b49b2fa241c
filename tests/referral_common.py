"""Set-up shared by the referral and portal tests: contract partners and their
contacts."""

from .common import MODULE, ComplaintCase


class ContractPartnerCase(ComplaintCase):
    """:meth:`create_contract_partner` and the partner conversation's subtype."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_subtype = cls.env.ref(f"{MODULE}.mt_complaint_partner_message")

    @classmethod
    def create_contract_partner(cls, name, *contacts):
        """A contract partner organisation and its contacts, given as ``(name,
        email)`` pairs; returns the organisation and the contacts."""
        Partner = cls.env["res.partner"]
        organisation = Partner.create(
            {"name": name, "is_company": True, "is_complaint_partner": True}
        )
        people = Partner.create(
            [
                {"name": contact, "parent_id": organisation.id, "email": email}
                for contact, email in contacts
            ]
        )
        return organisation, people
