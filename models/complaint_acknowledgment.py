from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

# A case registered more than this many days after its receipt is a late registration
# or an import of a historic register: no automatic acknowledgment (the form offers to
# send it).
ACKNOWLEDGMENT_MAX_AGE_DAYS = 14

# Context keys that mean "data, not a new complaint": module data and demo
# (install_mode), the import dialog (import_file), or a caller that says so explicitly.
NO_ACKNOWLEDGMENT_CONTEXT_KEYS = (
    "install_mode",
    "import_file",
    "complaint_no_acknowledgment",
)


class MunicipalComplaint(models.Model):
    """The acknowledgment of receipt (Awb 9:6) and the letters that tell the complainant
    about their deadlines: by e-mail when there is an address, otherwise printed."""

    _inherit = "municipal.complaint"

    acknowledgment_date = fields.Date(
        copy=False,
        tracking=True,
        help="The day the receipt of the complaint was confirmed to the complainant "
        "(Awb 9:6): sent by e-mail or printed as a letter.",
    )
    acknowledgment_needed = fields.Boolean(
        compute="_compute_acknowledgment_needed",
        help="The complainant is known and has not had an acknowledgment of receipt "
        "yet.",
    )

    @api.depends(
        "acknowledgment_date", "partner_id", "kind", "closed_date", "stage_id.is_closed"
    )
    def _compute_acknowledgment_needed(self):
        for complaint in self:
            complaint.acknowledgment_needed = bool(
                complaint.partner_id
                and not complaint.acknowledgment_date
                and not complaint.closed_date
                and not complaint.stage_id.is_closed
                and complaint.kind != "proactive"
            )

    @api.model_create_multi
    def create(self, vals_list):
        complaints = super().create(vals_list)
        if not any(self.env.context.get(key) for key in NO_ACKNOWLEDGMENT_CONTEXT_KEYS):
            complaints._send_automatic_acknowledgments()
        return complaints

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
        self.acknowledgment_date = fields.Date.context_today(self)
        return True

    def action_print_acknowledgment(self):
        """Print the acknowledgment of receipt as a letter; printing it counts as
        sending it."""
        self.filtered(lambda complaint: not complaint.acknowledgment_date).write(
            {"acknowledgment_date": fields.Date.context_today(self)}
        )
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
            to_send.acknowledgment_date = fields.Date.context_today(self)

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
