"""The contacts the complaint handling relies on change only by who answers for them.

Odoo's "Contact Creation" right lets any internal user create and edit every contact
they can read. Three kinds of contact decide where a complaint file goes, so they
are the complaint coordinator's (docs/production.md, section 7):

- a contract partner organisation (``is_complaint_partner``) and the contacts under
  it: its people read the cases referred to it in the portal, and get a portal
  account at a referral;
- a contact that is a complainant (of any case): its e-mail address is where the
  letters of its cases go. A Medewerker may also change one of a case they may
  change (the complainant gave a new address on the phone).

A contact that is or was a case's complainant, or the organisation a case was
referred to, is never deleted: the case would lose its party (also a closed one,
whose record is frozen). Archive it instead.
"""

from odoo import api, models
from odoo.exceptions import AccessError, UserError

COORDINATOR_GROUP = "municipal_complaint.group_complaint_coordinator"
# what Odoo itself writes on a contact when, for instance, a password is reset: it
# redirects nothing
TECHNICAL_FIELDS = frozenset({"signup_type", "message_main_attachment_id"})


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model_create_multi
    def create(self, vals_list):
        if not self._may_manage_complaint_contacts():
            context = self.env.context
            for vals in vals_list:
                parent_id = vals.get("parent_id", context.get("default_parent_id"))
                if vals.get(
                    "is_complaint_partner", context.get("default_is_complaint_partner")
                ) or (
                    parent_id and self.browse(parent_id)._is_complaint_partner_side()
                ):
                    raise AccessError(self._complaint_contacts_message())
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - TECHNICAL_FIELDS and not self._may_manage_complaint_contacts():
            self._check_complaint_contacts_write(vals)
        return super().write(vals)

    def _update_address(self, vals):
        """Odoo copies an address to the contacts of an organisation (and back)
        with a plain write: the same rule holds for them, so an organisation's
        address does not move a complainant's letters either."""
        if (
            set(vals) & set(self._address_fields())
            and not self._may_manage_complaint_contacts()
        ):
            self._check_complaint_contacts_write(vals)
        return super()._update_address(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_complaint_party(self):
        """A case keeps its complainant and the organisation it was referred to."""
        Complaint = (
            self.env["municipal.complaint"].sudo().with_context(active_test=False)
        )
        if Complaint.search_count(
            [
                "|",
                ("partner_id", "in", self.ids),
                ("referral_partner_id", "in", self.ids),
            ],
            limit=1,
        ):
            raise UserError(
                self.env._(
                    "This contact is a party to a complaint, which must keep it: "
                    "archive the contact instead of deleting it."
                )
            )

    # ------------------------------------------------------------------ helpers
    def _may_manage_complaint_contacts(self):
        return self.env.su or self.env.user.has_group(COORDINATOR_GROUP)

    def _is_complaint_partner_side(self):
        """Whether this contact is a contract partner organisation or one of its
        contacts (at any depth)."""
        partner = self.sudo()
        while partner:
            if partner.is_complaint_partner:
                return True
            partner = partner.parent_id
        return False

    def _check_complaint_contacts_write(self, vals):
        """A user who is not a coordinator changes no contract partner side and no
        complainant's contact, except one whose every case they may change (the
        address is where the letters of all its cases go: a case of one's own must
        not redirect those of a colleague's); nor makes a contact a contract
        partner or one of its contacts."""
        refused = self.filtered(lambda partner: partner._is_complaint_partner_side())
        if vals.get("is_complaint_partner") or (
            vals.get("parent_id")
            and self.browse(vals["parent_id"])._is_complaint_partner_side()
        ):
            refused |= self
        if not refused:
            Complaint = self.env["municipal.complaint"].with_context(active_test=False)
            cases = Complaint.sudo().search([("partner_id", "in", self.ids)])
            writable = (
                cases.sudo(False)._filtered_access("write")
                if Complaint.has_access("write")
                else Complaint
            )
            refused = (cases - writable).sudo().partner_id
        if refused:
            raise AccessError(self._complaint_contacts_message())

    def _complaint_contacts_message(self):
        return self.env._(
            "Only a complaint coordinator can change a contract partner, its "
            "contacts, or the contact of a complainant."
        )
