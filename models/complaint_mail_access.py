"""Mail about a complaint opens nothing by itself.

Odoo's portal gives every document with a customer an access token, puts it (and
a signed ``hash``/``pid``, and a sign-up token) in the button of each notification
mail, and lets whoever holds it read and answer the conversation without logging
in, for as long as the document exists. For a complaint file of a social-services
department a forwarded mail must not be a key: here the links in mails lead to the
case for a logged-in reader, the token routes refuse the case
(controllers/portal_chatter.py), and a portal user reads and posts only as the
read rules of the case allow (models/complaint_portal.py).

Following the case is the Dienst's decision too: a portal user cannot make
themselves a follower, and a follower outside the Dienst is mailed only the
conversation they belong to.
"""

from odoo import api, models
from odoo.exceptions import AccessError

from .complaint_lifecycle import COORDINATOR_GROUP
from .complaint_referral import PARTNER_SUBTYPE

# parameters of core's links that open a document without logging in
# The mark of a notification being prepared (see _notify_get_recipients_groups),
# compared by identity: a client sends JSON values in its context, never this object.
_NO_CUSTOMER_BUTTON = object()
NO_CUSTOMER_BUTTON_KEY = "municipal_complaint_no_customer_button"
BEARER_LINK_PARAMS = ("access_token", "auth_signup_token", "auth_login", "hash", "pid")


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    # whoever may read the case may write in the conversation of their audience
    _mail_post_access = "read"

    @api.model
    def _get_thread_with_access(self, thread_id, *, mode="read", **kwargs):
        """Access to the case's conversation is the user's own access: a token,
        hash or pid (portal.mixin) opens nothing."""
        thread = self.browse(thread_id)
        if thread.exists() and thread.sudo(False).has_access(mode):
            return thread
        return self.browse()

    def _get_action_link_params(self, link_type, **kwargs):
        """Links in mail carry the case, never a bearer token."""
        params = super()._get_action_link_params(link_type, **kwargs)
        for name in BEARER_LINK_PARAMS:
            params.pop(name, None)
        return params

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=False):
        """No "portal customer" group: core gives the complainant a button with the
        case's access token and a sign-up token. The complainant, like every other
        outsider, gets the plain link to the case, which asks to log in."""
        # without a customer, portal makes no button: no access token written on
        # the case, no sign-up token prepared for the complainant's contact
        groups = super(
            MunicipalComplaint,
            self.with_context(**{NO_CUSTOMER_BUTTON_KEY: _NO_CUSTOMER_BUTTON}),
        )._notify_get_recipients_groups(message, model_description, msg_vals=msg_vals)
        return [group for group in groups if group[0] != "portal_customer"]

    def _mail_get_partners(self, introspect_fields=True):
        if (
            not introspect_fields
            and self.env.context.get(NO_CUSTOMER_BUTTON_KEY) is _NO_CUSTOMER_BUTTON
        ):
            return {record.id: self.env["res.partner"] for record in self}
        return super()._mail_get_partners(introspect_fields=introspect_fields)

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        """A follower outside the Dienst is mailed a message only when it belongs
        to their conversation: the partner conversation to the people who speak
        for the organisation the case is referred to (while it may read it), the
        complainant's to the complainant. Whom the author addressed explicitly is
        the author's choice."""
        recipients = super()._notify_get_recipients(
            message, msg_vals=msg_vals, **kwargs
        )
        if len(self) != 1:
            return recipients
        msg_vals = msg_vals or {}
        subtype_id = (
            msg_vals["subtype_id"]
            if "subtype_id" in msg_vals
            else message.subtype_id.id
        )
        addressed = set(
            msg_vals["partner_ids"]
            if "partner_ids" in msg_vals
            else message.sudo().partner_ids.ids
        )
        partner_conversation = subtype_id == self.env.ref(PARTNER_SUBTYPE).id
        Partner = self.env["res.partner"].sudo()

        def belongs(pdata):
            if pdata["type"] == "user" or not pdata["id"] or pdata["id"] in addressed:
                return True
            partner = Partner.browse(pdata["id"])
            if partner_conversation:
                return self._is_referral_partner_side(partner)
            return partner == self.partner_id

        return [pdata for pdata in recipients if belongs(pdata)]

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        """Who follows a case is the Dienst's decision: following brings its mail.
        A portal user cannot subscribe anyone, themselves included."""
        if partner_ids and not self.env.su and self.env.user.share:
            raise AccessError(
                self.env._("Only the Dienst decides who follows a complaint.")
            )
        if partner_ids:
            # what is left of an anonymised case gets nobody's mail
            self._check_not_anonymised()
            self._check_involving_colleagues(partner_ids)
        return super().message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )

    def _check_involving_colleagues(self, partner_ids):
        """An employee who follows a case reads it (security/rules.xml): involving
        a colleague who cannot read it yet is the coordinator's decision
        (docs/production.md, section 7). Whoever already reads the case (the
        coordinators, its handler) may be added by anyone who may; this holds under
        sudo too (a post's autofollow), for the user the request runs as."""
        user = self.env.user
        if user._is_superuser() or user.has_group(COORDINATOR_GROUP):
            return
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        colleagues = (partners - user.partner_id).user_ids.filtered(
            lambda colleague: not colleague.share
        )
        for colleague in colleagues:
            if self.with_user(colleague)._filtered_access("read") != self.with_user(
                colleague
            ):
                raise AccessError(
                    self.env._(
                        "Only a complaint coordinator involves a colleague in a "
                        "case: ask them to add %(name)s as a follower.",
                        name=colleague.name,
                    )
                )
