"""Need-to-know for the contacts of complainants.

A contact made for a complainant (by the public form, the mail alias or a staff
member registering a case) belongs to the company of the case and is marked as a
complainant's contact. The record rules in ``security/rules.xml`` then hide it from
internal users without a complaint role, and show it to a Medewerker only for the
cases they may see (docs/rules.md, "Privacy and retention"): that someone complained
to social services is itself personal data.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_complainant_contact = fields.Boolean(
        string="Complainant's contact",
        readonly=True,
        copy=False,
        index=True,
        groups="municipal_complaint.group_complaint_user",
        help="Made for a complainant: only complaint staff who may see one of its "
        "cases can read it.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        """A complainant's contact made without a company (the case form's quick
        create) belongs to the current company, the one its case is registered in."""
        marked = self.env.context.get("default_is_complainant_contact")
        for vals in vals_list:
            if vals.get("is_complainant_contact", marked) and not vals.get(
                "company_id", self.env.context.get("default_company_id")
            ):
                vals["company_id"] = self.env.company.id
        return super().create(vals_list)

    def write(self, vals):
        """Whether a contact is a complainant's is how it was made, not a choice: a
        user cannot make it visible to everyone by unmarking it."""
        if "is_complainant_contact" in vals and not self.env.su:
            changed = self.filtered(
                lambda partner: (
                    partner.is_complainant_contact
                    != bool(vals["is_complainant_contact"])
                )
            )
            if changed:
                raise UserError(
                    self.env._(
                        "Whether a contact was made for a complainant cannot be "
                        "changed."
                    )
                )
        return super().write(vals)


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    @api.constrains("partner_id", "company_id")
    def _check_complainant_company(self):
        """A complainant's contact belongs to the company of the case (or to none):
        the case's staff read it, and nobody outside that company."""
        for complaint in self.sudo():
            company = complaint.partner_id.company_id
            if company and company != complaint.company_id:
                raise ValidationError(
                    self.env._(
                        "The complainant's contact belongs to %(company)s, not to "
                        "the company of the case: register the complainant as a "
                        "contact of %(case_company)s.",
                        company=company.display_name,
                        case_company=complaint.company_id.display_name,
                    )
                )

    def _check_complainant_choice(self, partner_id):
        """Only a contact the user may read can be named complainant (called by
        ``create`` and ``write``): naming one would open it to the user (their
        contact rule follows the cases they see), and the case shows its e-mail
        address and phone. A complainant's contact that no case names yet (made
        for the complaint being registered) may be named by whoever works in its
        company: nobody's complaint is shown by it."""
        if not partner_id or self.env.su:
            return
        partner = self.env["res.partner"].browse(int(partner_id))
        if partner.has_access("read"):
            return
        contact = partner.sudo().exists()
        if (
            contact
            and contact.is_complainant_contact
            and (
                not contact.company_id
                or contact.company_id in self.env.user.company_ids
            )
            and not self.env["municipal.complaint"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("partner_id", "=", contact.id)], limit=1)
        ):
            return
        partner.check_access("read")

    def _get_complainant_contact_values(self, company=None):
        """The values that mark a new contact as a complainant's, of ``company``
        (default: the current one)."""
        return {
            "is_complainant_contact": True,
            "company_id": (company or self.env.company).id,
        }
