"""Followers follow the people involved now.

Following a case means receiving its mail -- the complainant's letters, the
partner conversation -- and, for an employee, reading the case (security/rules.xml,
"Medewerker"). When a party of the case changes, whoever it replaced stops
following it: the earlier complainant when the complainant is corrected, the
earlier handler when the case gets another one, the first organisation's people
when the case is referred again.
"""

from odoo import models

PARTY_FIELDS = ("partner_id", "user_id", "referral_partner_id")


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    def _parties_before_write(self, vals):
        """The parties a write is about to change, as they are: ``{case id:
        {field: record}}`` (called by ``write``)."""
        names = [name for name in PARTY_FIELDS if name in vals]
        if not names:
            return {}
        return {
            complaint.id: {name: complaint[name] for name in names}
            for complaint in self.sudo()
        }

    def _after_parties_write(self, before):
        """Unsubscribe the people the write replaced (called by ``write``); a
        corrected complainant who followed the case is followed by the new one."""
        if not before:
            return
        for complaint in self.sudo().filtered(lambda c: c.id in before):
            old = before[complaint.id]
            followers = complaint.message_partner_ids
            replaced = self.env["res.partner"]
            previous = old.get("partner_id")
            if previous and previous != complaint.partner_id:
                replaced |= previous
                if previous in followers and complaint.partner_id:
                    complaint.message_subscribe(partner_ids=complaint.partner_id.ids)
            handler = old.get("user_id")
            if handler and handler != complaint.user_id:
                replaced |= handler.partner_id
            organisation = old.get("referral_partner_id")
            if organisation and organisation != complaint.referral_partner_id:
                replaced |= followers.filtered(
                    lambda partner, org=organisation: (
                        partner.commercial_partner_id == org.commercial_partner_id
                    )
                )
            stale = (replaced & followers) - complaint._involved_partners()
            if stale:
                complaint.message_unsubscribe(partner_ids=stale.ids)

    def _involved_partners(self):
        """Who has a part in the case now: the complainant, the handler and the
        people of the organisation it is referred to."""
        self.ensure_one()
        involved = self.partner_id | self.user_id.partner_id
        if self.referral_partner_id:
            organisation = self.referral_partner_id.commercial_partner_id
            involved |= self.message_partner_ids.filtered(
                lambda partner: partner.commercial_partner_id == organisation
            )
        return involved
