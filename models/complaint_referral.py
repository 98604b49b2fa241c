import lxml.html
from markupsafe import Markup

from odoo import models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import html2plaintext, is_html_empty

MEDIATION_STATES = [
    ("none", "No mediation"),
    ("ongoing", "Ongoing"),
    ("succeeded", "Succeeded"),
    ("failed", "Failed"),
]

PARTNER_RESOLVED = [
    ("resolved", "Resolved"),
    ("not_resolved", "Not resolved"),
]

PARTNER_SUBTYPE = "municipal_complaint.mt_complaint_partner_message"


class MunicipalComplaint(models.Model):
    """Referral (doorverwijzing) of a case to a contract
    partner, and mediation (bemiddeling).

    The conversation with the partner runs on the case's chatter with its own message
    subtype, so the complainant and the partner each see only their own conversation.
    """

    _inherit = "municipal.complaint"

    # ------------------------------------------------------------------ actions
    def action_open_referral_wizard(self):
        self.ensure_one()
        self._check_coordinator(self.env._("refer a case to a contract partner"))
        self._check_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refer to a contract partner"),
            "res_model": "municipal.complaint.referral.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def _after_referral(self, partner, portal_contacts=None):
        """What a referral sets in motion (called by the referral step): the
        partner's complaint contacts get the referral notice and follow the partner
        conversation with the coordinator and the handler; those of
        ``portal_contacts`` (default: all) get portal access."""
        contacts = partner._get_complaint_contacts()
        if portal_contacts is not None:
            portal_contacts = contacts & self.env["res.partner"].browse(
                portal_contacts.ids
                if isinstance(portal_contacts, models.BaseModel)
                else portal_contacts
            )
        refused = self._grant_referral_portal_access(
            contacts if portal_contacts is None else portal_contacts
        )
        partner_subtype = self.env.ref(PARTNER_SUBTYPE)
        for complaint in self:
            complaint.message_subscribe(
                partner_ids=contacts.ids, subtype_ids=partner_subtype.ids
            )
            # the coordinator and the case's own handler, not those of the other cases
            complaint._subscribe_to_partner_conversation(
                (self.env.user.partner_id | complaint.user_id.partner_id).filtered(
                    lambda p: any(not user.share for user in p.user_ids)
                )
            )
            complaint._notify_referral(contacts)
            if not contacts:
                complaint._message_log(
                    body=self.env._(
                        "%(partner)s has no contact with an e-mail "
                        "address: the partner was not notified.",
                        partner=partner.display_name,
                    )
                )
            if refused:
                complaint._message_log(
                    body=self.env._(
                        "No portal access could be given to: %(contacts)s.",
                        contacts=", ".join(refused.mapped("display_name")),
                    )
                )

    def action_message_partner(self):
        """Open the composer for a message to the contract
        partner (not to the complainant)."""
        self.ensure_one()
        if not self.referral_partner_id:
            raise UserError(self.env._("This case has not been referred to a partner."))
        contacts = self.referral_partner_id._get_complaint_contacts()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Message to %(partner)s", partner=self.referral_partner_id.display_name
            ),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_message_type": "comment",
                "default_subtype_xmlid": PARTNER_SUBTYPE,
                "default_partner_ids": contacts.ids,
                "mail_post_autofollow": False,
            },
        }

    # ------------------------------------------------------------------ mail
    def message_post(self, **kwargs):
        """The partner conversation has its own subtype. A message joins it when it
        is posted there, when it is an e-mail answering a message of it (the mail
        gateway let it through only from a contact of the partner,
        ``complaint_conversation.py``), or when one of the partner's people writes a
        comment. Internal messages never notify anyone outside the Dienst."""
        if len(self) == 1:
            kwargs = self._conversation_post_values(kwargs)
        return super().message_post(**kwargs)

    def _conversation_post_values(self, kwargs):
        self.ensure_one()
        IrModelData = self.env["ir.model.data"]
        partner_subtype_id = IrModelData._xmlid_to_res_id(PARTNER_SUBTYPE)
        subtype_id = (
            IrModelData._xmlid_to_res_id(kwargs["subtype_xmlid"])
            if kwargs.get("subtype_xmlid")
            else kwargs.get("subtype_id")
        ) or IrModelData._xmlid_to_res_id("mail.mt_note")
        subtype = self.env["mail.message.subtype"].browse(subtype_id or [])
        if kwargs.get("is_internal") or subtype.internal:
            # an internal note or log: only the Dienst's people are notified
            partner_ids = self.env["res.partner"].browse(
                kwargs.get("partner_ids") or []
            )
            kwargs = dict(
                kwargs,
                partner_ids=partner_ids.filtered(
                    lambda p: any(not user.share for user in p.sudo().user_ids)
                ).ids,
            )
            return kwargs
        if not self.referral_partner_id:
            return kwargs
        comment_id = IrModelData._xmlid_to_res_id("mail.mt_comment")
        partner_conversation = subtype_id == partner_subtype_id
        if not partner_conversation and subtype_id == comment_id:
            parent = (
                self.env["mail.message"].sudo().browse(kwargs.get("parent_id") or [])
            )
            if kwargs.get("message_type") == "email" and parent:
                partner_conversation = parent.subtype_id.id == partner_subtype_id
            else:
                author = (
                    self.env["res.partner"].browse(kwargs.get("author_id") or []).sudo()
                )
                if not author and not kwargs.get("email_from"):
                    author = self.env.user.partner_id
                partner_conversation = self._is_referral_partner_side(author)
        if not partner_conversation:
            return kwargs
        kwargs = dict(kwargs)
        kwargs.pop("subtype_id", None)
        kwargs["subtype_xmlid"] = PARTNER_SUBTYPE
        if not kwargs.get("subject"):
            # tells the coordinator, in the chatter, which
            # conversation a message belongs to
            kwargs["subject"] = self.env._(
                "Conversation with %(partner)s",
                partner=self.referral_partner_id.display_name,
            )
        return kwargs

    # ------------------------------------------------------------------ portal
    def _after_partner_response(self, response, resolved):
        """The partner's answer on the partner conversation, and an activity for the
        handler to close or continue the mediation (called by the answer step)."""
        self.ensure_one()
        label = dict(self._fields["partner_resolved"]._description_selection(self.env))[
            resolved
        ]
        self.sudo().message_post(
            body=Markup("<p><b>%s</b></p>%s")
            % (
                self.env._("Response recorded: %(resolved)s", resolved=label),
                Markup("<p>%s</p>") % response,
            ),
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid=PARTNER_SUBTYPE,
        )
        # the partner answered: its answer date is met
        self.sudo()._close_deadline_activities(
            kinds=("partner_answer",), feedback=self.env._("The partner answered.")
        )
        handler = self.user_id or self.create_uid
        if handler and not handler.share:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=handler.id,
                summary=self.env._(
                    "Partner responded: close or continue the mediation"
                ),
            )

    def _is_referral_partner_side(self, partner):
        """Whether ``partner`` speaks for the organisation this case is referred to,
        by the condition of the partner's read rule (models/complaint_portal.py):
        an organisation that lost its contract, or a referral whose access ended,
        has no side in the case any more."""
        self.ensure_one()
        if not partner:
            return False
        return bool(
            self.sudo()
            .with_context(active_test=False)
            .filtered_domain(self._partner_side_domain(partner.sudo()))
        )

    def _default_referral_text(self):
        """The complaint as the partner reads it unless the coordinator changes it:
        the text of the description without the quoted e-mails and signatures the
        mail gateway marked when the complaint arrived (they carry names,
        addresses and phone numbers)."""
        self.ensure_one()
        if is_html_empty(self.description):
            return ""
        tree = lxml.html.fromstring(f"<div>{self.description}</div>")
        for quoted in tree.xpath("//*[@data-o-mail-quote]"):
            quoted.drop_tree()
        return html2plaintext(lxml.html.tostring(tree, encoding="unicode")).strip()

    # ------------------------------------------------------------------ helpers
    def _get_referral_category(self):
        category = self.env.ref(
            "municipal_complaint.category_doorverwijzing", raise_if_not_found=False
        )
        if not category or not category.active:
            category = self.env["municipal.complaint.category"].search(
                [("kind", "=", "referral")], limit=1
            )
        return category

    def _subscribe_to_partner_conversation(self, partners):
        """Internal followers also hear from the partner (the subtype is not a
        default one): new followers get the default subtypes and this one, existing
        followers keep theirs and get this one too."""
        self.message_subscribe(partner_ids=partners.ids)
        self.env["mail.followers"]._insert_followers(
            self._name,
            self.ids,
            partners.ids,
            subtypes=dict.fromkeys(partners.ids, self.env.ref(PARTNER_SUBTYPE).ids),
            existing_policy="update",
        )

    def _grant_referral_portal_access(self, contacts):
        """Give the contacts without a user a portal account (Odoo's
        portal wizard, which also sends the invitation). Returns the
        contacts that could not get one. A letter's preview gives none: the
        invitation would go out at once, for an account that is then undone."""
        without_user = contacts.filtered(
            lambda c: not c.with_context(active_test=False).user_ids
        )
        refused = self.env["res.partner"]
        if not without_user or self._letter_preview():
            return refused
        company = self[:1].company_id or self.env.company
        wizard = (
            self.env["portal.wizard"]
            .sudo()
            .with_company(company)
            .create({"partner_ids": [Command.set(without_user.ids)]})
        )
        for line in wizard.user_ids:
            try:
                with self.env.cr.savepoint():
                    line.action_grant_access()
            except UserError:
                refused |= line.partner_id
        return refused

    def _notify_referral(self, contacts):
        """Post the referral mail template on the partner conversation; the
        contacts get it by e-mail, and only they (never the complainant)."""
        self.with_context(mail_post_autofollow=False).message_post_with_source(
            "municipal_complaint.mail_template_complaint_referral",
            message_type="comment",
            subtype_xmlid=PARTNER_SUBTYPE,
            partner_ids=[Command.set(contacts.ids)],
            email_layout_xmlid="mail.mail_notification_light",
        )

    def _get_portal_link(self):
        """The case in the portal, without an access token: the partner logs in."""
        self.ensure_one()
        return f"{self.get_base_url()}{self.access_url}"


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _get_complaint_contacts(self):
        """Who hears about a referral: the organisation's contacts with an e-mail
        address, or the organisation itself when it has none."""
        self.ensure_one()
        contacts = self.child_ids.filtered(
            lambda contact: (
                contact.active and contact.type == "contact" and contact.email
            )
        )
        if not contacts and self.email:
            contacts = self
        return contacts
