from odoo import models
from odoo.fields import Domain

from .complaint_referral import PARTNER_SUBTYPE

COMPLAINT_MODEL = "municipal.complaint"


class MailMessage(models.Model):
    """On a complaint, a portal user reads one conversation only.

    On a case referred to their organisation, a contract partner's people read the
    partner conversation (its own subtype); the complainant reads the rest of the
    non-internal messages. So the partner never sees what the Dienst writes to the
    complainant (names, addresses) and the complainant never sees the exchanges with
    the partner. Internal users are not affected; internal notes stay hidden from
    portal users as everywhere in Odoo.
    """

    _inherit = "mail.message"

    def _get_search_domain_share(self):
        return super()._get_search_domain_share() & self._complaint_audience_domain()

    def _get_forbidden_access(self, operation):
        forbidden = super()._get_forbidden_access(operation)
        if operation != "read" or self.env.user._is_internal():
            return forbidden
        remaining = (self - forbidden).sudo()
        if not remaining:
            return forbidden
        allowed = remaining.filtered_domain(self._complaint_audience_domain())
        return forbidden + (remaining - allowed).sudo(False)

    def _complaint_audience_domain(self):
        """Messages of a complaint the current (portal) user may read: on a case
        referred to their organisation the partner conversation, on any other case
        (their own complaint) everything but the partner conversation."""
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id(PARTNER_SUBTYPE)
        if not subtype_id:
            return Domain.TRUE
        other_models = Domain("model", "!=", COMPLAINT_MODEL) | Domain(
            "model", "=", False
        )
        partner_conversation = Domain("subtype_id", "=", subtype_id)
        complainant_conversation = Domain("subtype_id", "!=", subtype_id) | Domain(
            "subtype_id", "=", False
        )
        referred_ids = self._complaint_ids_referred_to_user()
        if not referred_ids:
            return other_models | complainant_conversation
        referred = Domain("res_id", "in", referred_ids)
        return (
            other_models
            | (referred & partner_conversation)
            | (~referred & complainant_conversation)
        )

    def _complaint_ids_referred_to_user(self):
        commercial = self.env.user.partner_id.sudo().commercial_partner_id
        if not commercial.is_complaint_partner:
            return []
        return (
            self.env[COMPLAINT_MODEL]
            .sudo()
            .with_context(active_test=False)
            .search([("referral_partner_id", "child_of", commercial.id)])
            .ids
        )
