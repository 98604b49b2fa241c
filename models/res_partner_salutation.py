"""How a letter addresses the complainant: "Geachte heer Yilmaz" when the form of
address is known, else "Geachte heer/mevrouw Yilmaz" -- by the surname, as Dutch
letters do."""

import re

from odoo import api, fields, models

# Dutch surname prefixes (tussenvoegsels): "K. de Vries" is "mevrouw De Vries".
SURNAME_PREFIXES = frozenset(
    {"van", "de", "der", "den", "het", "ter", "ten", "te", "op", "in", "'t", "d'"}
)
INITIALS = re.compile(r"^(?:[A-Za-zÀ-ÿ]{1,3}\.)+$")

SALUTATIONS = [("mr", "Mr"), ("ms", "Ms")]


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_salutation = fields.Selection(
        SALUTATIONS,
        string="Form of address",
        help="How letters about a complaint address this person. Empty: "
        '"Dear Mr/Ms", never a guess.',
    )
    complaint_salutation_name = fields.Char(
        string="Name in the salutation",
        compute="_compute_complaint_salutation_name",
        store=True,
        readonly=False,
        help="The surname letters use after the form of address (Dear Mr Yilmaz). "
        "Taken from the name; correct it when the guess is wrong.",
    )

    @api.depends("name", "is_company")
    def _compute_complaint_salutation_name(self):
        for partner in self:
            partner.complaint_salutation_name = (
                False if partner.is_company else _surname(partner.name or "")
            )

    def _complaint_salutation(self):
        """The opening line of a letter to this person, in the language of the
        environment; for nobody (an anonymous case), "Dear Sir or Madam,"."""
        partner = self[:1]
        name = partner.complaint_salutation_name or (
            partner.name if partner.is_company else ""
        )
        if not partner or not name:
            return self.env._("Dear Sir or Madam,")
        if partner.is_company:
            return self.env._("Dear %(name)s,", name=name)
        if partner.complaint_salutation == "mr":
            return self.env._("Dear Mr %(name)s,", name=name)
        if partner.complaint_salutation == "ms":
            return self.env._("Dear Ms %(name)s,", name=name)
        return self.env._("Dear Mr/Ms %(name)s,", name=name)


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    partner_salutation = fields.Selection(
        SALUTATIONS,
        string="Form of address",
        compute="_compute_partner_salutation",
        inverse="_inverse_partner_salutation",
        help='How the letters address the complainant; empty: "Dear Mr/Ms".',
    )

    @api.depends("partner_id.complaint_salutation")
    def _compute_partner_salutation(self):
        for complaint in self:
            complaint.partner_salutation = complaint.partner_id.complaint_salutation

    def _inverse_partner_salutation(self):
        """Only a change reaches the contact. The registration form shows the
        complainant's form of address and the web client saves it back with a new
        case: a Medewerker who may not edit contacts registers the call of a known
        complainant all the same; changing the form of address stays an edit of
        the contact."""
        for complaint in self:
            partner = complaint.partner_id
            if partner and partner.complaint_salutation != complaint.partner_salutation:
                partner.complaint_salutation = complaint.partner_salutation

    def _acknowledgment_salutation(self):
        """The opening line of the acknowledgment of receipt. The automatic one (a
        complaint that came in by itself, through the public form or the mail
        alias) repeats nothing its sender typed, the name included: it must not
        carry chosen text to a chosen address. One that staff send after seeing it
        addresses the complainant by name."""
        self.ensure_one()
        if self.env.context.get("complaint_automatic_acknowledgment"):
            return self.env._("Dear Sir or Madam,")
        return self.partner_id._complaint_salutation()


def _surname(name):
    """The surname in a name as people write it: without initials ("F. Yilmaz")
    or a first name ("Sanne Bakker"), with a prefix capitalised as it is when it
    opens the name ("K. de Vries": "De Vries")."""
    words = name.split()
    if not words:
        return ""
    initials = [i for i, word in enumerate(words) if INITIALS.match(word)]
    if initials:
        words = words[initials[-1] + 1 :]
    elif len(words) > 1:
        words = words[1:]
    if not words:
        return name.strip()
    if words[0].lower() in SURNAME_PREFIXES:
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)
