from odoo import models
from odoo.tools import plaintext2html

# What a portal user (a contract partner's contact or a citizen) may read of a case
# through any entry point (portal, JSON-RPC). The complainant's identity, the beklaagde,
# the handler, the followers, the closing and ombudsman details and the stories stay
# internal; the portal pages show the complainant's contact details, when the referral
# shares them, from the server side.
PORTAL_FIELDS = frozenset(
    {
        "id",
        "display_name",
        "name",
        "subject",
        "description",
        "active",
        "company_id",
        "stage_id",
        "is_closed",
        "received_date",
        "contact_deadline",
        "contact_date",
        "legal_deadline",
        "postponed",
        "closed_date",
        "referral_partner_id",
        "referral_date",
        "referral_note",
        "partner_response",
        "partner_response_date",
        "partner_resolved",
        "mediation_state",
        "partner_answer_deadline",
        "promised_deadline",
        "access_url",
        "create_date",
        "write_date",
    }
)


class MunicipalComplaint(models.Model):
    """What the portal shows of a case, and to whom."""

    _inherit = "municipal.complaint"

    def _has_field_access(self, field, operation):
        if self.env.su or self.env.user._is_internal():
            return super()._has_field_access(field, operation)
        return (
            operation == "read"
            and field.name in PORTAL_FIELDS
            and super()._has_field_access(field, operation)
        )

    def _get_access_action(self, access_uid=None, force_website=False):
        """Portal users open a case at its portal URL, logged in: no access token is
        made for them (the portal pages do not honour tokens)."""
        self.ensure_one()
        user = (
            self.env["res.users"].sudo().browse(access_uid)
            if access_uid
            else self.env.user
        )
        if user.share:
            return {
                "type": "ir.actions.act_url",
                "url": self.access_url,
                "target": "self",
                "res_id": self.id,
            }
        return super()._get_access_action(
            access_uid=access_uid, force_website=force_website
        )

    def _get_portal_statuses(self):
        """The state of each case in plain words for the complainant, with a badge
        colour, by case id: one look-up of the first stage for a whole portal page."""
        first_sequence = (
            self.env["municipal.complaint.stage"].sudo().search([], limit=1).sequence
        )
        return {
            complaint.id: complaint._portal_status(first_sequence) for complaint in self
        }

    def _portal_status(self, first_stage_sequence):
        self.ensure_one()
        if self.is_closed:
            return self.env._("Handled"), "success"
        if self.referral_partner_id and self.mediation_state == "ongoing":
            return self.env._("Passed on to the organisation it concerns"), "info"
        if self.contact_date or self.stage_id.sequence > first_stage_sequence:
            return self.env._("Being handled"), "primary"
        return self.env._("Received, we will contact you"), "secondary"

    def _is_portal_partner_view(self):
        """Whether the current portal user sees this case as the contract partner."""
        self.ensure_one()
        return self._is_referral_partner_side(self.env.user.partner_id)

    def _get_portal_messages(self):
        """The conversation the current user may read, searched as that
        user: mail.message applies the audience (partner or
        complainant) and hides internal notes."""
        self.ensure_one()
        return (
            self.env["mail.message"]
            .sudo(False)
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("message_type", "in", ["comment", "email", "email_outgoing"]),
                ],
                order="date asc, id asc",
            )
        )

    def _portal_post_message(self, body, attachments=()):
        """Post a portal message as the current user; the controller checked read access
        and calls this on the sudo-ed case. The subtype follows the author's side."""
        self.ensure_one()
        body = (body or "").strip()
        if not body and not attachments:
            return self.env["mail.message"]
        self._intake_check_attachments(attachments, self.company_id)
        return self.message_post(
            body=plaintext2html(body) if body else "",
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=list(attachments),
        )
