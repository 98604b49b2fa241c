"""What a referral promises, and to whom (docs/rules.md, "Doorverwijzing: wat
beloofd is, blijft beloofd").

A complaint about a contract partner is not a complaint about the Dienst's own
conduct (Awb 9:1), so once referred it no longer runs the Awb term. But the Dienst
told the complainant a date: that date is kept as the case's promised deadline
(warned and shown like the others, met only by closing the case), the partner gets
a date to answer by, and the complainant is told where the complaint went and when
they hear back.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

REFERRAL_NOTICE_TEMPLATE = "municipal_complaint.mail_template_referral_complainant"
REFERRAL_NOTICE_REPORT = "municipal_complaint.action_report_referral_notice"


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_partner_answer_days = fields.Integer(
        string="Partner answers within (working days)",
        default=10,
        help="A contract partner answers a referred complaint within this many "
        "working days of the Dienst after the referral, and never later than the "
        "date the complainant was promised.",
    )

    @api.constrains("complaint_partner_answer_days")
    def _check_complaint_partner_answer_days(self):
        for company in self:
            if company.complaint_partner_answer_days < 1:
                raise ValidationError(
                    self.env._("A partner needs at least 1 working day to answer.")
                )

    def write(self, vals):
        result = super().write(vals)
        if "complaint_partner_answer_days" in vals:
            self.env["municipal.complaint"]._recompute_open_deadlines(self)
        return result


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    promised_deadline = fields.Date(
        string="Answer promised by",
        readonly=True,
        copy=False,
        tracking=True,
        help="The date the complainant was told to expect the Dienst's answer, kept "
        "when a referral takes the case out of the Awb's legal term: the Dienst "
        "keeps its word.",
    )
    partner_answer_deadline = fields.Date(
        string="Partner answers by",
        compute="_compute_partner_answer_deadline",
        store=True,
        help="The contract partner answers a referred complaint by this day: the "
        "company's working days after the referral, never after the date promised "
        "to the complainant.",
    )
    partner_answer_warning_deadline = fields.Date(
        string="Partner answer warned for",
        copy=False,
        readonly=True,
        help="The partner answer date a warning was created for.",
    )
    promised_warning_deadline = fields.Date(
        string="Promised answer warned for",
        copy=False,
        readonly=True,
        help="The promised answer date a warning was created for.",
    )

    @api.depends(
        "referral_date",
        "mediation_state",
        "company_id",
        "legal_deadline",
        "promised_deadline",
    )
    def _compute_partner_answer_deadline(self):
        ongoing = self.filtered(
            lambda c: c.referral_date and c.mediation_state == "ongoing"
        )
        (self - ongoing).partner_answer_deadline = False
        for company, complaints in ongoing.grouped("company_id").items():
            working_days = company._complaint_working_days(
                *complaints.mapped("referral_date")
            )
            for complaint in complaints:
                referred = complaint.referral_date
                deadline = working_days.add_working_days(
                    referred, company.complaint_partner_answer_days
                )
                promised = complaint.legal_deadline or complaint.promised_deadline
                if promised and referred < promised < deadline:
                    deadline = promised
                complaint.partner_answer_deadline = deadline

    def _open_deadline_fields(self):
        return (*super()._open_deadline_fields(), "partner_answer_deadline")

    def _referral_promise_values(self, about_partner):
        """The state a referral keeps of what was promised (called by the referral
        step, before the case leaves the Awb term): the legal deadline of a
        complaint that is now counted as a referral."""
        self.ensure_one()
        if about_partner and self.kind == "complaint" and self.legal_deadline:
            return {"promised_deadline": self.legal_deadline}
        return {}

    def _notify_complainant_of_referral(self, letter=None):
        """Tell each complainant where their complaint went and when they hear back
        (called by the referral step): by e-mail, or the letter to print. Returns the
        print action of a single case's letter, else ``True``."""
        action = True
        for complaint in self.filtered("partner_id"):
            result = complaint._send_complainant_notice(
                REFERRAL_NOTICE_TEMPLATE, REFERRAL_NOTICE_REPORT, letter=letter
            )
            if isinstance(result, dict):
                if len(self) == 1:
                    action = result
                else:
                    complaint.message_post(
                        body=self.env._(
                            "The complainant has no e-mail address: print the "
                            "referral letter and send it by post."
                        ),
                        subtype_xmlid="mail.mt_note",
                    )
        return action
