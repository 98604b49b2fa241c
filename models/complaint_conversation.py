"""Who speaks in which conversation when a reply arrives by e-mail.

A case has two conversations with outsiders: the complainant's and the partner's
(its own subtype, ``complaint_referral.py``). A reply by e-mail joins the
conversation of the message it answers (``In-Reply-To``, else ``References``) --
never one chosen by the sender's address alone -- and only when it comes from
someone of that conversation: the complainant's address for theirs, a contact of
the organisation the case is referred to, while that organisation may read it,
for the partner's. A reply from anyone else (an unknown address, someone who got
hold of a Message-ID of the case, a partner writing from a private address)
becomes an internal note for the coordinator to triage: it is mailed to nobody
outside the Dienst and read by no portal user.

The ``From:`` header is only as trustworthy as the mail server that accepted the
mail (docs/production.md, "Mail"); employees are recognised by it, as Odoo does.
"""

from odoo import models
from odoo.tools import email_normalize, parse_contact_from_email

from .complaint_referral import PARTNER_SUBTYPE


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    def message_update(self, msg_dict, update_vals=None):
        for complaint in self:
            author, joins = complaint._incoming_reply_party(msg_dict)
            msg_dict["author_id"] = author.id
            if not joins:
                # the note stands alone: answering a message would notify its author
                msg_dict.pop("parent_id", None)
                msg_dict["is_internal"] = True
                complaint._schedule_reply_triage()
        return super().message_update(msg_dict, update_vals=update_vals)

    def _incoming_reply_party(self, msg_dict):
        """The author of an e-mail reply on this case, and whether it joins the
        conversation of the message it answers.

        :return: ``(author, joins)``; the author is empty when the sender is none of
            the case's parties (a contact found by address alone proves nothing).
        """
        self.ensure_one()
        Partner = self.env["res.partner"]
        _name, email = parse_contact_from_email(msg_dict.get("email_from") or "")
        email = email_normalize(email)
        if not email:
            return Partner, False
        parent = (
            self.env["mail.message"]
            .sudo()
            .browse(msg_dict.get("parent_id") or [])
            .filtered(lambda m: m.model == self._name and m.res_id == self.id)
        )
        employee = self._internal_partner_of(email)
        if employee:
            # an internal note answered stays internal (the gateway marks it)
            return employee, bool(parent)
        if not parent or parent.is_internal or parent.subtype_id.internal:
            return Partner, False
        if parent.subtype_id == self.env.ref(PARTNER_SUBTYPE):
            contact = self._referral_contact_of(email)
            return contact, bool(contact)
        if self.partner_id.email_normalized == email:
            return self.partner_id, True
        return Partner, False

    def _referral_contact_of(self, email):
        """The contact with this (normalized) address who speaks for the
        organisation the case is referred to, or an empty recordset."""
        self.ensure_one()
        if not self.referral_partner_id:
            return self.env["res.partner"]
        organisation = self.referral_partner_id.sudo().commercial_partner_id
        contacts = (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("email_normalized", "=", email),
                    ("commercial_partner_id", "=", organisation.id),
                ]
            )
        )
        return contacts.filtered(self._is_referral_partner_side)[:1]

    def _schedule_reply_triage(self):
        """The handler hears of a reply that became an internal note."""
        self.ensure_one()
        handler = self.user_id
        if handler and not handler.share:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=handler.id,
                summary=self.env._("Check an e-mail from an unknown sender"),
                note=self.env._(
                    "An e-mail about this case came from an address that is not "
                    "the complainant's nor the partner's. It was kept as an internal "
                    "note and sent to nobody."
                ),
            )
