from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

# A case registered more than this many days after its receipt is a late registration
# or an import of a historic register: no automatic acknowledgment (the form offers to
# send it).
ACKNOWLEDGMENT_MAX_AGE_DAYS = 14


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
        self._post_complainant_mail(
            "municipal_complaint.mail_template_acknowledgment", letter=letter
        )
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
        alias). Staff who register a complaint send the acknowledgment after seeing
        it (the letter step)."""
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
        if to_send:
            to_send._post_complainant_mail(
                "municipal_complaint.mail_template_acknowledgment"
            )
            to_send._mark_acknowledged()

    def _send_complainant_notice(self, template_xmlid, report_xmlid, letter=None):
        """Tell the complainant: by e-mail when they have an address (``letter``: the
        e-mail as edited in the preview), else return the letter to print. Anonymous
        complainants cannot be told anything."""
        self.ensure_one()
        if self.partner_id.email:
            self._post_complainant_mail(template_xmlid, letter=letter)
            return True
        if self.partner_id:
            report = self.env.ref(report_xmlid)
            if self._letter_preview():
                self._record_letter(report=report)
                return True
            return report.report_action(self)
        return True

    def _post_complainant_mail(self, template_xmlid, letter=None):
        """Send a mail template to the complainant and keep it on the chatter;
        ``letter``: its subject and text as edited in the preview."""
        template = self.env.ref(template_xmlid)
        if self._letter_preview():
            for complaint in self:
                complaint._record_letter(template=template)
            return
        # registered through the public form (a public or portal user) or the mail
        # alias (the system user running the mail gateway): the Dienst itself writes
        user = self.env.user
        dienst_writes = user.share or user._is_superuser()
        for complaint in self:
            author = (
                complaint.company_id.partner_id if dienst_writes else user.partner_id
            )
            if letter:
                complaint._send_edited_letter(template, letter, author_id=author.id)
                continue
            complaint.message_post_with_source(
                template,
                author_id=author.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
