"""The complainant on the phone: find their case by their phone number or e-mail
address, and pick them from citizens first, with their e-mail address and phone
number -- never a colleague: a complaint is about the Dienst, and its letters must not
go to a colleague's mailbox."""

import re

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

PICKER_KEY = "complaint_complainant_picker"

# A Dutch number written the international way: +31 6 ... or 0031 6 ... is 06 ...
INTERNATIONAL_NL = re.compile(r"^\s*(?:\+|00)31")


def normalise_phone(number):
    """The digits of a phone number, the Dutch country code written as 0."""
    return re.sub(r"\D", "", INTERNATIONAL_NL.sub("0", number or ""))


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.depends_context(PICKER_KEY)
    def _compute_display_name(self):
        """In the complainant picker's suggestions, the e-mail address and phone
        number show under the name: two people of the same name are told apart on
        the phone. The chosen name itself stays plain."""
        super()._compute_display_name()
        context = self.env.context
        if not (context.get(PICKER_KEY) and context.get("formatted_display_name")):
            return
        for partner in self:
            details = [detail for detail in (partner.email, partner.phone) if detail]
            if details and not context.get("show_email"):
                partner.display_name += "".join(f" \t --{d}--" for d in details)
            elif partner.phone:
                partner.display_name += f" \t --{partner.phone}--"

    @api.model
    def name_search(self, name="", domain=None, operator="ilike", limit=100):
        """In the complainant picker: citizens (people without an organisation)
        first, then everyone else the picker allows."""
        if not self.env.context.get(PICKER_KEY):
            return super().name_search(
                name=name, domain=domain, operator=operator, limit=limit
            )
        base = (
            Domain("display_name", operator, name)
            & Domain(domain or Domain.TRUE)
            & self._complaint_complainant_domain()
        )
        citizens = self.search_fetch(
            base & Domain("is_company", "=", False) & Domain("parent_id", "=", False),
            ["display_name"],
            limit=limit,
        )
        others = self.browse()
        if not limit or len(citizens) < limit:
            others = self.search_fetch(
                base & Domain("id", "not in", citizens.ids),
                ["display_name"],
                limit=limit and limit - len(citizens),
            )
        return [(partner.id, partner.display_name) for partner in citizens + others]

    @api.model
    def _complaint_complainant_domain(self):
        """Who can be a complainant: anyone but the contacts of internal users."""
        return Domain("user_ids", "=", False) | Domain("user_ids.share", "=", True)


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    partner_id = fields.Many2one(
        domain="['|', ('user_ids', '=', False), ('user_ids.share', '=', True)]",
    )
    complainant_phone = fields.Char(
        string="Complainant's phone number",
        compute="_compute_complainant_phone",
        search="_search_complainant_phone",
        help="Found however it was written: 06-12345678, 06 1234 5678 and "
        "+31 6 12345678 are the same number.",
    )

    @api.depends("partner_id.phone")
    def _compute_complainant_phone(self):
        for complaint in self:
            complaint.complainant_phone = complaint.partner_id.phone

    def _search_complainant_phone(self, operator, value):
        if operator not in ("ilike", "like", "=") or not isinstance(value, str):
            return NotImplemented
        digits = normalise_phone(value)
        if not digits:
            return Domain.FALSE
        pattern = digits if operator == "=" else f"%{digits}%"
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM res_partner
                    WHERE phone IS NOT NULL
                      AND regexp_replace(
                            regexp_replace(phone, '^\\s*(\\+|00)31', '0'),
                            '\\D', '', 'g') LIKE %s""",
                pattern,
            )
        )
        return Domain("partner_id", "in", [row[0] for row in rows])
