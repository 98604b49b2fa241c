from odoo import api, fields, models


class MunicipalComplaintReferralWizard(models.TransientModel):
    """Gathers what the klachtcoördinator decides when referring a case to a contract
    partner; the case's ``action_refer`` does the work."""

    _name = "municipal.complaint.referral.wizard"
    _inherit = ["municipal.complaint.letter.step", "municipal.complaint.wizard.access"]
    _description = "Refer a complaint to a contract partner"

    complaint_id = fields.Many2one("municipal.complaint", required=True, readonly=True)
    company_id = fields.Many2one(related="complaint_id.company_id", compute_sudo=False)
    referral_partner_id = fields.Many2one(
        "res.partner",
        string="Contract partner",
        required=True,
        domain="[('is_complaint_partner', '=', True), ('is_company', '=', True)]",
    )
    shared_text = fields.Text(
        string="Complaint text for the partner",
        compute="_compute_shared_text",
        store=True,
        readonly=False,
        help="What the partner reads of the complaint. Proposed: the complaint "
        "without quoted e-mails and signature. Remove what the partner does not "
        "need (names, addresses, phone numbers, income or health details).",
    )
    note = fields.Text(
        string="Note to the partner",
        help="What the partner needs to know. The partner reads it in the portal.",
    )
    about_partner = fields.Boolean(
        string="The complaint is about the partner",
        default=True,
        help="The complaint is not about the Dienst but about the partner: the "
        "case is counted as a referral (category Doorverwijzing). Leave "
        "unchecked when the Dienst only asks the partner to help (mediation) "
        "with a complaint about itself.",
    )
    share_contact = fields.Boolean(
        string="Share the complainant's contact details",
        help="Show the complainant's name, e-mail address and phone number to "
        "the partner. Only when the complainant agreed; by default the "
        "partner sees the complaint text only.",
    )
    contact_ids = fields.Many2many(
        "res.partner",
        string="Will be notified",
        compute="_compute_contact_ids",
        help="The partner's contacts with an e-mail address.",
    )
    portal_contact_ids = fields.Many2many(
        "res.partner",
        "municipal_complaint_referral_wizard_portal_rel",
        "wizard_id",
        "partner_id",
        string="Give a portal account to",
        compute="_compute_portal_contact_ids",
        store=True,
        readonly=False,
        domain="[('id', 'in', contact_ids), ('user_ids', '=', False)]",
        help="Those of the notified contacts without a portal account who get one, "
        "to read the case: only people you know work for the partner. The others "
        "are notified but cannot log in.",
    )
    without_account_ids = fields.Many2many(
        "res.partner",
        string="Without a portal account",
        compute="_compute_contact_ids",
    )
    has_complainant = fields.Boolean(compute="_compute_has_complainant")

    @api.depends("referral_partner_id")
    def _compute_contact_ids(self):
        for wizard in self:
            contacts = (
                wizard.referral_partner_id._get_complaint_contacts()
                if wizard.referral_partner_id
                else self.env["res.partner"]
            )
            wizard.contact_ids = contacts
            wizard.without_account_ids = contacts.filtered(
                lambda contact: not contact.with_context(active_test=False).user_ids
            )

    @api.depends("referral_partner_id")
    def _compute_portal_contact_ids(self):
        """Proposed: every notified contact without an account; the coordinator
        removes whom they do not know to work for the partner."""
        for wizard in self:
            wizard.portal_contact_ids = wizard.without_account_ids

    @api.depends("complaint_id")
    def _compute_shared_text(self):
        for wizard in self:
            wizard.shared_text = (
                wizard.complaint_id._default_referral_text()
                if wizard.complaint_id
                else False
            )

    @api.depends("complaint_id")
    def _compute_has_complainant(self):
        for wizard in self:
            wizard.has_complainant = bool(wizard.complaint_id.partner_id)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        complaint = self.env["municipal.complaint"].browse(values.get("complaint_id"))
        if complaint.referral_partner_id:
            values.setdefault("referral_partner_id", complaint.referral_partner_id.id)
            values.setdefault("note", complaint.referral_note)
            values.setdefault("share_contact", complaint.referral_share_contact)
            if complaint.referral_text:
                values.setdefault("shared_text", complaint.referral_text)
        return values

    def _run_letter_step(self, complaint, letter=None):
        return complaint.action_refer(
            self.referral_partner_id,
            note=self.note,
            share_contact=self.share_contact and self.has_complainant,
            about_partner=self.about_partner,
            shared_text=self.shared_text or "",
            letter=letter,
            portal_contacts=self.portal_contact_ids,
        )

    def action_refer(self):
        self.ensure_one()
        result = self._confirm_letter_step()
        if isinstance(result, dict):
            # a letter to print for a complainant without e-mail: download it, then
            # close
            result["close_on_report_download"] = True
            return result
        return {"type": "ir.actions.act_window_close"}
