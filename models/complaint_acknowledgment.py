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
        self._post_complainant_mail("municipal_complaint.mail_template_acknowledgment")
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
        registration."""
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
        """Send a mail template to the complainant and keep it on the chatter."""
        template = self.env.ref(template_xmlid)
        # registered through the public form (a public or portal user) or the mail
        # alias (the system user running the mail gateway): the Dienst itself writes
        user = self.env.user
        dienst_writes = user.share or user._is_superuser()
        for complaint in self:
            author = (
                complaint.company_id.partner_id if dienst_writes else user.partner_id
            )
            complaint.message_post_with_source(
                template,
                author_id=author.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
