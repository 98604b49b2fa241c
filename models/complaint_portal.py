from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval

# The two portal audiences of a case and the read rule (security/rules.xml) that
# admits each: a contract partner's people read the cases referred to their
# organisation while the referral lasts; a citizen reads their own complaints. What a
# portal user reads of a case, and which of its two conversations, follows from the
# rule that admits them -- evaluated, not restated -- so the two can never disagree.
PORTAL_RULES = {
    "partner": "municipal_complaint.rule_complaint_portal_partner",
    "complainant": "municipal_complaint.rule_complaint_portal_own",
}

# What a portal user may read of a case through any entry point (portal pages,
# JSON-RPC), by audience; the receipt date is common, it orders every list. The
# complainant's identity, the beklaagde, the handler, the followers, the closing and
# ombudsman details and the stories stay internal. The portal pages show the
# complainant's contact details to the partner, when the referral shares them, from
# the server side.
PORTAL_COMMON_FIELDS = frozenset(
    {
        "id",
        "display_name",
        "name",
        "subject",
        "active",
        "company_id",
        "is_closed",
        "received_date",
        "access_url",
        "create_date",
        "write_date",
    }
)
PORTAL_AUDIENCE_FIELDS = {
    # the complaint in their own words and where it stands; nothing of the referral
    "complainant": PORTAL_COMMON_FIELDS
    | {
        "description",
        "stage_id",
        "contact_deadline",
        "contact_date",
        "legal_deadline",
        "postponed",
        "closed_date",
        # the legal deadline told before the complaint was referred
        "promised_deadline",
    },
    # what the referral needs: the text the coordinator confirmed, never the raw
    # complaint (an e-mail's signature, address, phone), nor the Dienst's deadlines
    "partner": PORTAL_COMMON_FIELDS
    | {
        "referral_partner_id",
        "referral_date",
        "referral_text",
        "referral_note",
        "partner_response",
        "partner_response_date",
        "partner_resolved",
        "mediation_state",
        "partner_access_end_date",
        # the date the partner answers by
        "partner_answer_deadline",
    },
}
PORTAL_AUDIENCES = [("partner", "Contract partner"), ("complainant", "Complainant")]


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_partner_access_days = fields.Integer(
        string="Partner access after the mediation (days)",
        default=0,
        help="How many days a contract partner still reads a referred case after "
        "the mediation ended (or the case was closed). 0: the access ends at once.",
    )

    @api.constrains("complaint_partner_access_days")
    def _check_complaint_partner_access_days(self):
        if any(company.complaint_partner_access_days < 0 for company in self):
            raise ValidationError(
                self.env._(
                    "The partner's access after the mediation cannot be negative."
                )
            )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_partner_access_days = fields.Integer(
        related="company_id.complaint_partner_access_days", readonly=False
    )


class MunicipalComplaint(models.Model):
    """What the portal shows of a case, and to whom."""

    _inherit = "municipal.complaint"

    partner_access_end_date = fields.Date(
        string="Partner reads the case until",
        compute="_compute_partner_access_end_date",
        store=True,
        help="The referral's organisation reads the case while the mediation runs, "
        "and until (not including) this day after it ended or the case was closed.",
    )
    partner_access_open = fields.Boolean(
        string="Partner may read the case",
        compute="_compute_partner_access_open",
        search="_search_partner_access_open",
    )
    portal_audience = fields.Selection(
        PORTAL_AUDIENCES,
        compute="_compute_portal_audience",
        compute_sudo=True,
        help="As whom the current portal user reads the case.",
    )

    @api.depends(
        "referral_partner_id",
        "mediation_state",
        "mediation_end_date",
        "closed_date",
        "company_id.complaint_partner_access_days",
    )
    def _compute_partner_access_end_date(self):
        for complaint in self:
            ends = [
                day
                for day in (complaint.mediation_end_date, complaint.closed_date)
                if day
            ]
            ongoing = complaint.mediation_state == "ongoing" and not complaint.is_closed
            if not complaint.referral_partner_id or ongoing or not ends:
                complaint.partner_access_end_date = False
                continue
            complaint.partner_access_end_date = min(ends) + timedelta(
                days=complaint.company_id.complaint_partner_access_days
            )

    @api.depends(
        "active",
        "referral_partner_id",
        "referral_partner_id.is_complaint_partner",
        "mediation_state",
        "closed_date",
        "partner_access_end_date",
    )
    def _compute_partner_access_open(self):
        # computed by its own search, so the Python and the SQL are one definition
        open_ids = set(
            self.sudo()
            .with_context(active_test=False)
            ._search(Domain("id", "in", self.ids) & self._partner_access_domain())
        )
        for complaint in self:
            complaint.partner_access_open = complaint.id in open_ids

    def _search_partner_access_open(self, operator, value):
        if operator != "in":
            return NotImplemented
        domain = self._partner_access_domain()
        return domain if True in value else ~domain

    @api.model
    def _partner_access_domain(self):
        """Cases a contract partner may read at all: not archived, referred to an
        organisation that is still a contract partner, and the mediation runs or
        ended less than the company's number of days ago."""
        today = fields.Date.context_today(self)
        return (
            Domain("active", "=", True)
            & Domain("referral_partner_id.is_complaint_partner", "=", True)
            & (
                (Domain("mediation_state", "=", "ongoing") & self._open_domain())
                | Domain("partner_access_end_date", ">", today)
            )
        )

    @api.depends(
        "active",
        "partner_id",
        "referral_partner_id",
        "mediation_state",
        "closed_date",
        "partner_access_end_date",
    )
    @api.depends_context("uid")
    def _compute_portal_audience(self):
        """The audience of the current user on each case: partner when the
        partner's rule admits them (it wins where both would), complainant when
        only the citizen's rule does, none otherwise."""
        Complaint = self.with_context(active_test=False)
        ids = Domain("id", "in", self.ids)
        partner = set(Complaint._search(ids & self._portal_rule_domain("partner")))
        own = set(Complaint._search(ids & self._portal_rule_domain("complainant")))
        for complaint in self:
            if complaint.id in partner:
                complaint.portal_audience = "partner"
            elif complaint.id in own:
                complaint.portal_audience = "complainant"
            else:
                complaint.portal_audience = False

    @api.model
    def _portal_rule_domain(self, audience):
        """The read rule of ``audience`` as it applies to the current user: the one
        condition for what they read of a case and of its conversations. A missing
        or archived rule admits nobody."""
        rule = self.env.ref(PORTAL_RULES[audience], raise_if_not_found=False)
        rule = rule.sudo() if rule else rule
        if not rule or not rule.active or not rule.domain_force:
            return Domain.FALSE
        return Domain(safe_eval(rule.domain_force, rule._eval_context()))

    @api.model
    def _partner_side_domain(self, partner):
        """The partner's read rule (rule_complaint_portal_partner) for the contact
        ``partner``, user or not: the cases on which they speak for the
        organisation the case is referred to."""
        return Domain(
            "referral_partner_id", "child_of", [partner.commercial_partner_id.id]
        ) & Domain("partner_access_open", "=", True)

    @api.model
    def _portal_rule_query(self, audience):
        """The cases the current user reads as ``audience``, as a subquery."""
        return (
            self.sudo()
            .with_context(active_test=False)
            ._search(self._portal_rule_domain(audience))
        )

    def _has_field_access(self, field, operation):
        """A portal user reads the fields of their audience on each case: a field
        is readable on a set of cases when it is in every case's list. Without
        records (a search domain, the form's field list) only the common fields."""
        # asked for every field of every record read: the stored ``share`` flag
        # (internal or not, from the user's groups) is a cache read, where
        # _is_internal() goes through the group look-up each time
        if self.env.su or not self.env.user.share:
            return super()._has_field_access(field, operation)
        if operation != "read" or not super()._has_field_access(field, operation):
            return False
        if field.name in PORTAL_COMMON_FIELDS:
            return True
        records = self.filtered("id")
        if not records:
            return False
        audiences = set(records.sudo().mapped("portal_audience"))
        return all(
            audience and field.name in PORTAL_AUDIENCE_FIELDS[audience]
            for audience in audiences
        )

    def _get_access_action(self, access_uid=None, force_website=False):
        """Portal users open a case at its portal URL, logged in: no access token is
        made for them (the portal pages do not honour tokens)."""
        self.ensure_one()
        user = (
            self.env["res.users"].sudo().browse(access_uid)
            if access_uid
            else self.env.user
        )
        if user.share:
            return {
                "type": "ir.actions.act_url",
                "url": self.access_url,
                "target": "self",
                "res_id": self.id,
            }
        return super()._get_access_action(
            access_uid=access_uid, force_website=force_website
        )

    def _get_portal_statuses(self):
        """The state of each case in plain words for the complainant, with a badge
        colour, by case id: one look-up of the first stage for a whole portal page."""
        first_sequence = (
            self.env["municipal.complaint.stage"].sudo().search([], limit=1).sequence
        )
        return {
            complaint.id: complaint._portal_status(first_sequence) for complaint in self
        }

    def _portal_status(self, first_stage_sequence):
        self.ensure_one()
        if self.is_closed:
            return self.env._("Handled"), "success"
        if self.referral_partner_id and self.mediation_state == "ongoing":
            return self.env._("Passed on to the organisation it concerns"), "info"
        if self.contact_date or self.stage_id.sequence > first_stage_sequence:
            return self.env._("Being handled"), "primary"
        return self.env._("Received, we will contact you"), "secondary"

    def _is_portal_partner_view(self):
        """Whether the current portal user sees this case as the contract partner."""
        self.ensure_one()
        return self.sudo().portal_audience == "partner"
