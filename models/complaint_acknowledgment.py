from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

# A case registered more than this many days after its receipt is a late registration
# or an import of a historic register: no automatic acknowledgment (the form offers to
# send it).
ACKNOWLEDGMENT_MAX_AGE_DAYS = 14
# Anyone can file a complaint in anyone's name: the automatic acknowledgment goes to
# one address at most this many times a day, so the Dienst cannot be made to flood
# a mailbox (the form offers to send it by hand).
ACKNOWLEDGMENT_MAX_PER_ADDRESS_PER_DAY = 3
ACKNOWLEDGMENT_TEMPLATE = "municipal_complaint.mail_template_acknowledgment"


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

    def action_send_acknowledgment(self):
        """Send the acknowledgment of receipt by e-mail (button, for a case registered
        late)."""
        for complaint in self:
            if not complaint.partner_id.email:
                raise UserError(
                    self.env._(
                        "%(reference)s: the complainant has no e-mail address; "
                        "print the acknowledgment and send it by post.",
                        reference=complaint.display_name,
                    )
                )
        self._post_complainant_mail(ACKNOWLEDGMENT_TEMPLATE)
        self._mark_acknowledged()
        return True

    def action_print_acknowledgment(self):
        """Print the acknowledgment of receipt as a letter; printing it counts as
        sending it."""
        self._mark_acknowledged()
        return self.env.ref(
            "municipal_complaint.action_report_acknowledgment"
        ).report_action(self)

    def _send_automatic_acknowledgments(self):
        """Acknowledge new complaints of complainants with an e-mail address at
        registration, within the daily limit per address."""
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
            to_send._post_complainant_mail(ACKNOWLEDGMENT_TEMPLATE)
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

    def _send_complainant_notice(self, template_xmlid, report_xmlid):
        """Tell the complainant: by e-mail when they have an address, else return the
        letter to print. Anonymous complainants cannot be told anything."""
        self.ensure_one()
        if self.partner_id.email:
            self._post_complainant_mail(template_xmlid)
            return True
        if self.partner_id:
            return self.env.ref(report_xmlid).report_action(self)
        return True

    def _post_complainant_mail(self, template_xmlid):
        """Send a mail template to the complainant and keep it on the chatter. The
        acknowledgment carries the confirmation link of a complaint that is not
        yet in a portal account (``complaint_claim.py``)."""
        template = self.env.ref(template_xmlid)
        # registered through the public form (a public or portal user) or the mail
        # alias (the system user running the mail gateway): the Dienst itself writes
        user = self.env.user
        dienst_writes = user.share or user._is_superuser()
        for complaint in self:
            author = (
                complaint.company_id.partner_id if dienst_writes else user.partner_id
            )
            claim_url = (
                complaint._complaint_claim_url()
                if template_xmlid == ACKNOWLEDGMENT_TEMPLATE
                else False
            )
            complaint.with_context(
                complaint_claim_url=claim_url
            ).message_post_with_source(
                template,
                author_id=author.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
