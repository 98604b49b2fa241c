import hashlib
import uuid
from datetime import timedelta

from lxml import etree, html
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.lru import LRU

# A case registered more than this many days after its receipt is a late registration
# or an import of a historic register: no automatic acknowledgment (the form offers to
# send it).
ACKNOWLEDGMENT_MAX_AGE_DAYS = 14
# Anyone can file a complaint in anyone's name: the automatic acknowledgment goes to
# one address at most this many times a day, so the Dienst cannot be made to flood
# a mailbox (the form offers to send it by hand).
ACKNOWLEDGMENT_MAX_PER_ADDRESS_PER_DAY = 3
ACKNOWLEDGMENT_TEMPLATE = "municipal_complaint.mail_template_acknowledgment"
# the letters that carry the confirmation link (complaint_claim.py): the
# acknowledgment, and the request to confirm a complaint an earlier version put in a
# portal account unconfirmed
CLAIM_TEMPLATES = (
    ACKNOWLEDGMENT_TEMPLATE,
    "municipal_complaint.mail_template_claim_confirmation",
)

# Compiled QWeb of the letters' bodies, by their content (see IrQweb._compile below).
LETTER_COMPILE_CACHE = LRU(32)


class MunicipalComplaint(models.Model):
    """The acknowledgment of receipt (Awb 9:6) and the letters that tell the complainant
    about their deadlines: by e-mail when there is an address, otherwise printed."""

    _inherit = "municipal.complaint"

    acknowledgment_needed = fields.Boolean(
        compute="_compute_acknowledgment_needed",
        help="The complainant is known and has not had an acknowledgment of receipt "
        "yet.",
    )

    @api.depends("acknowledgment_date", "partner_id", "kind", "closed_date")
    def _compute_acknowledgment_needed(self):
        for complaint in self:
            complaint.acknowledgment_needed = bool(
                complaint.partner_id
                and not complaint.acknowledgment_date
                and not complaint.is_closed
                and complaint.kind != "proactive"
            )

    def action_send_acknowledgment(self, letter=None):
        """Send the acknowledgment of receipt by e-mail (the letter step, after the
        preview: ``letter`` is its edited ``subject`` and ``body``)."""
        for complaint in self:
            if not complaint.partner_id.email:
                raise UserError(
                    self.env._(
                        "%(reference)s: the complainant has no e-mail address; "
                        "print the acknowledgment and send it by post.",
                        reference=complaint.display_name,
                    )
                )
        self._post_complainant_mail(ACKNOWLEDGMENT_TEMPLATE, letter=letter)
        self._mark_acknowledged()
        return True

    def _acknowledges_automatically(self):
        """Whether registering these cases sends the acknowledgment at once: when
        they came in by themselves -- the public form (a public or portal user) or
        the mail alias (the mail gateway runs as superuser)."""
        user = self.env.user
        return user.share or user._is_superuser() or self.env.su

    def action_print_acknowledgment(self):
        """Print the acknowledgment of receipt as a letter; printing it counts as
        sending it."""
        self._mark_acknowledged()
        return self.env.ref(
            "municipal_complaint.action_report_acknowledgment"
        ).report_action(self)

    def _send_automatic_acknowledgments(self):
        """Acknowledge new complaints of complainants with an e-mail address at
        registration -- those that came in by themselves (the public form, the mail
        alias), within the daily limit per address. Staff who register a complaint
        send the acknowledgment after seeing it (the letter step)."""
        if not self._acknowledges_automatically():
            return
        oldest = fields.Date.context_today(self) - timedelta(
            days=ACKNOWLEDGMENT_MAX_AGE_DAYS
        )
        to_send = self.filtered(
            lambda complaint: (
                complaint.acknowledgment_needed
                and complaint.partner_id.email
                and complaint.received_date >= oldest
            )
        )
        over_limit = to_send._over_acknowledgment_limit()
        for complaint in over_limit:
            complaint._message_log(
                body=self.env._(
                    "No automatic acknowledgment: %(max)s were already sent to this "
                    "address today. Check the complaint, then send the "
                    "acknowledgment with the button.",
                    max=ACKNOWLEDGMENT_MAX_PER_ADDRESS_PER_DAY,
                )
            )
        to_send -= over_limit
        if to_send:
            to_send.with_context(
                complaint_automatic_acknowledgment=True
            )._post_complainant_mail(ACKNOWLEDGMENT_TEMPLATE)
            to_send._mark_acknowledged()

    def _over_acknowledgment_limit(self):
        """The cases whose acknowledgment would exceed the day's limit of their
        complainant's address, counting the acknowledgments already sent today and
        those of ``self`` in order."""
        today = fields.Date.context_today(self)
        sent = {}
        over = self.browse()
        for complaint in self:
            email = complaint.partner_id.email_normalized
            if not email:
                continue
            if email not in sent:
                sent[email] = self.sudo().search_count(
                    [
                        ("acknowledgment_date", "=", today),
                        ("partner_id.email_normalized", "=", email),
                    ]
                )
            if sent[email] >= ACKNOWLEDGMENT_MAX_PER_ADDRESS_PER_DAY:
                over |= complaint
            else:
                sent[email] += 1
        return over

    def _send_complainant_notice(self, template_xmlid, report_xmlid, letter=None):
        """Tell the complainant: by e-mail when they have an address (``letter``: the
        e-mail as edited in the preview), else return the letter to print (made now: see
        ``complaint_letter_pdf``). Anonymous
        complainants cannot be told anything."""
        self.ensure_one()
        if self.partner_id.email:
            self._post_complainant_mail(template_xmlid, letter=letter)
            return True
        if self.partner_id:
            if self._letter_preview():
                self._record_letter(report=self.env.ref(report_xmlid))
                return True
            return self._print_complainant_letter(report_xmlid)
        return True

    def _post_complainant_mail(self, template_xmlid, letter=None):
        """Send a mail template to each case's complainant and keep it on the chatter;
        ``letter``: its subject and text as edited in the preview.

        A letter to the citizen goes to the citizen only: the handler and the other
        followers see it on the chatter and get no copy by e-mail. A whole batch of
        cases costs a constant number of renders and inserts: the template is
        rendered once per language (:meth:`_render_complainant_mails`), and the
        messages, their e-mails and their delivery notifications are created in one
        go each, as Odoo's mass mailing does. The acknowledgment carries the
        confirmation link of a complaint that is not yet in a portal account
        (``complaint_claim.py``), one per case, through the rendering context: in
        the e-mail only, not in the message kept on the case.
        """
        if template_xmlid in CLAIM_TEMPLATES:
            self = self.with_context(  # noqa: PLW0642
                complaint_claim_urls={
                    complaint.id: complaint._complaint_claim_url() for complaint in self
                }
            )
        # the template by its cached XML id (env.ref would also check that it exists)
        template = self.env["mail.template"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id(
                template_xmlid, raise_if_not_found=True
            )
        )
        if self._letter_preview():
            for complaint in self:
                complaint._record_letter(template=template)
            return self.env["mail.message"]
        # registered through the public form (a public or portal user) or the mail
        # alias (the system user running the mail gateway): the Dienst itself writes
        user = self.env.user
        dienst_writes = user.share or user._is_superuser()
        rendered = self._render_complainant_mails(template)
        if letter:
            # the subject and text as edited in the preview (one case at a time)
            rendered = {
                res_id: self._edited_letter_values(values, letter)
                for res_id, values in rendered.items()
            }
        reply_to = self.sudo()._notify_get_reply_to()
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        # files an administrator attached to the template: each letter gets its own
        # copy, attached to its case, as the mail composer does
        template_attachments = template.sudo().attachment_ids
        claim_urls = self.env.context.get("complaint_claim_urls") or {}
        mail_values = []
        for complaint in self:
            author = (
                complaint.company_id.partner_id if dienst_writes else user.partner_id
            )
            complainant = complaint.partner_id
            values = rendered[complaint.id]
            # the confirmation link goes out in the e-mail only (complaint_claim.py)
            body_html = complaint._complaint_claim_body(
                values["body"], claim_urls.get(complaint.id)
            )
            mail_values.append(
                {
                    "model": self._name,
                    "res_id": complaint.id,
                    "message_type": "comment",
                    "subtype_id": subtype_id,
                    "author_id": author.id,
                    "email_from": author.email_formatted,
                    "reply_to": reply_to[complaint.id],
                    "record_company_id": complaint.company_id.id,
                    "subject": values["subject"],
                    "body": self._strip_claim_links(body_html),
                    "body_html": body_html,
                    "partner_ids": [Command.set(complainant.ids)],
                    "recipient_ids": [Command.set(complainant.ids)],
                    "attachment_ids": [
                        Command.set(
                            template_attachments.copy(
                                {"res_model": self._name, "res_id": complaint.id}
                            ).ids
                            if template_attachments
                            else []
                        )
                    ],
                    "mail_server_id": template.mail_server_id.id,
                    "auto_delete": template.auto_delete,
                    # the message stays on the chatter when the sent e-mail is deleted
                    "is_notification": True,
                }
            )
        mails = self.env["mail.mail"].sudo().create(mail_values)
        self.env["mail.notification"].sudo().create(
            [
                dict(values, res_partner_id=partner.id)
                for mail, values in zip(
                    mails, mails._get_notification_values(), strict=True
                )
                for partner in mail.recipient_ids
            ]
        )
        # read first: a mail that went out at once is deleted (auto_delete)
        messages = mails.mail_message_id
        self._send_complainant_mails(mails)
        return messages

    def _send_complainant_mails(self, mails):
        """Send a few letters when the transaction commits, as Odoo does with the
        e-mails of a posted message; wake the mail queue up for a larger batch. A
        caller that asks for the queue (``mail_notify_force_send``) gets the queue."""
        if not self.env.context.get("mail_notify_force_send", True):
            return
        limit = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("mail.mail.force.send.limit", 100)
        )
        if len(mails) < limit:
            mails.send_after_commit()
        else:
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()

    def _render_complainant_mails(self, template):
        """The subject and body of ``template`` for each case: {id: {subject, body}}.

        Odoo renders a template's QWeb body case by case, compiling it anew for each
        one. Here the body is compiled once per language of the complainants and run
        over all their cases in that one render.
        """
        separator = f"<!--complaint-letter-{uuid.uuid4().hex}-->"
        results = {}
        for lang_template, res_ids in template._classify_per_lang(self.ids).values():
            subjects = lang_template._render_field("subject", res_ids)
            bodies = lang_template._render_template_postprocess(
                self._name,
                dict(
                    zip(
                        res_ids,
                        self._render_qweb_batch(
                            lang_template, lang_template.body_html, res_ids, separator
                        ),
                        strict=True,
                    )
                ),
            )
            for res_id in res_ids:
                results[res_id] = {
                    "subject": subjects[res_id],
                    "body": bodies[res_id],
                }
        return results

    @api.model
    def _render_qweb_batch(self, template, source, res_ids, separator):
        """Render the raw QWeb ``source`` of a mail template once for all ``res_ids``
        (a loop around it), in the template's language and rendering context;
        return the bodies in the order of ``res_ids``."""
        if not source:
            return [Markup()] * len(res_ids)
        body = html.fragment_fromstring(source, create_parent="div")
        loop = etree.Element("t", {"t-foreach": "objects", "t-as": "object"})
        marker = etree.SubElement(loop, "t", {"t-out": "separator"})
        marker.tail = body.text
        for child in list(body):
            loop.append(child)
        wrapper = etree.Element("div")
        wrapper.append(loop)
        values = template._render_eval_context()
        values.update(
            objects=template.env[self._name].browse(res_ids),
            separator=Markup(separator),
        )
        rendered = (
            template.env["ir.qweb"]
            .with_context(complaint_letter_compile_cache=True)
            ._render(wrapper, values)
        )
        # drop the wrapping <div> and what comes before the first case
        parts = str(rendered)[5:-6].split(separator)[1:]
        return [Markup(part) for part in parts]


class IrQweb(models.AbstractModel):
    """Odoo compiles a mail template's body anew for every render: for the letters
    of :meth:`MunicipalComplaint._render_qweb_batch` the compiled code is kept, by
    the body's own content, so registering one case does not compile its letter
    again. Only renders that ask for it are cached; a changed template has another
    content and compiles afresh."""

    _inherit = "ir.qweb"

    def _compile(self, template):
        if not (
            self.env.context.get("complaint_letter_compile_cache")
            and isinstance(template, etree._Element)
        ):
            return super()._compile(template)
        key = (
            self.env.registry.db_name,
            self.env.registry.registry_sequence,
            hashlib.sha256(etree.tostring(template)).hexdigest(),
            tuple(
                self.env.context.get(k) or False
                for k in self._get_template_cache_keys()
            ),
        )
        compiled = LETTER_COMPILE_CACHE.get(key)
        if compiled is None:
            compiled = LETTER_COMPILE_CACHE[key] = super()._compile(template)
        return compiled
