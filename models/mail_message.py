from odoo import models
from odoo.fields import Domain

from .complaint_referral import PARTNER_SUBTYPE

COMPLAINT_MODEL = "municipal.complaint"


class MailMessage(models.Model):
    """On a complaint, a portal user reads one conversation only.

    On a case a contract partner's people may read, they read the partner
    conversation (its own subtype); on their own complaint, the complainant reads
    the rest of the non-internal messages. Which case is which comes from the two
    portal read rules of the case (models/complaint_portal.py), so a partner whose
    contract ended, or whose access to a referral ended, reads neither
    conversation. Where neither rule admits the user, no message of the case is
    readable, also not one they wrote or were sent: fail closed. So the partner
    never sees what the Dienst writes to the complainant (names, addresses) and the
    complainant never sees the exchanges with the partner. Internal users are not
    affected; internal notes stay hidden from portal users as everywhere in Odoo;
    messages of other models are left alone.
    """

    _inherit = "mail.message"

    def _get_search_domain_share(self):
        return super()._get_search_domain_share() & self._complaint_audience_domain()

    def _get_forbidden_access(self, operation):
        """Reading and writing a message of a complaint (creating one, reacting to
        one) follow the audience; changing or deleting one is left to the portal's
        own routes, which act as superuser after their checks."""
        forbidden = super()._get_forbidden_access(operation)
        if self.env.user._is_internal():
            return forbidden
        complaint_messages = (
            (self - forbidden).sudo().filtered(lambda m: m.model == COMPLAINT_MODEL)
        )
        if not complaint_messages:
            return forbidden
        if operation in ("write", "unlink"):
            return forbidden + complaint_messages.sudo(False)
        allowed = complaint_messages.search(
            Domain("id", "in", complaint_messages.ids)
            & self._complaint_audience_domain()
        )
        return forbidden + (complaint_messages - allowed).sudo(False)

    def _complaint_audience_domain(self):
        """Messages the current (portal) user may read: any message of another
        model; on a complaint, the partner conversation of the cases the partner's
        rule admits them to, and everything else of the cases only the citizen's
        rule admits them to. The cases come as subqueries, never as id lists."""
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id(PARTNER_SUBTYPE)
        other_models = Domain("model", "!=", COMPLAINT_MODEL) | Domain(
            "model", "=", False
        )
        if not subtype_id:
            return other_models
        Complaint = self.env[COMPLAINT_MODEL]
        partner_cases = Complaint._portal_rule_query("partner").subselect()
        own_cases = Complaint._portal_rule_query("complainant").subselect()
        partner_conversation = Domain("subtype_id", "=", subtype_id)
        return other_models | (
            Domain("model", "=", COMPLAINT_MODEL)
            & (
                (Domain("res_id", "in", partner_cases) & partner_conversation)
                | (
                    Domain("res_id", "in", own_cases)
                    & Domain("res_id", "not in", partner_cases)
                    & ~partner_conversation
                )
            )
        )
