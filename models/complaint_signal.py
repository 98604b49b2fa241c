"""Signals: messages in which the detector recognised a possible complaint.

The Dienst's 2020 report sets "Herken een klacht" as its first goal for 2021: people
often do not say that they complain. A signal points staff to such a message, so that
they register it as a case or dismiss it with a reason; both are recorded, so the
coordinator sees how well recognition works.

A signal keeps no copy of the message: it points to the ``mail.message`` and shows its
body from there. It is as private as a case (``security/signal_security.xml``): the
coordinators of its company see all signals, an employee the signals assigned to them.
Users only read signals; registering and dismissing go through the checked methods
below, so a client cannot forge a decision.
"""

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from .complaint_signal_detector import SignalDetector, message_text

# The mark of the signal's register step, the one way to name the message a case was
# registered from: compared by identity, a JSON-RPC caller cannot send it.
FROM_SIGNAL = object()
SOURCE_MESSAGE_KEY = "municipal_complaint_source_message"

SIGNAL_STATES = [
    ("new", "New"),
    ("registered", "Registered"),
    ("dismissed", "Dismissed"),
]
SIGNAL_ACTIVITY_TYPE = "municipal_complaint.mail_activity_type_signal"
# the complaint channel of an incoming message: by e-mail, or written on the portal or
# the website
MESSAGE_CHANNELS = {"email": "email", "comment": "web_form"}
SUBJECT_LENGTH = 80


class MunicipalComplaintSignal(models.Model):
    _name = "municipal.complaint.signal"
    _description = "Possible complaint (signal)"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    # whoever may read a signal may discuss it and act on its activity
    _mail_post_access = "read"

    # the message and where it was written
    mail_message_id = fields.Many2one(
        "mail.message",
        string="Message",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    res_model_id = fields.Many2one(
        "ir.model",
        string="Written on",
        readonly=True,
        required=True,
        index=True,
        ondelete="cascade",
    )
    res_model = fields.Char(
        related="res_model_id.model", store=True, string="Model of the record"
    )
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", readonly=True
    )
    record_name = fields.Char(string="Record", compute="_compute_record_name")
    partner_id = fields.Many2one(
        "res.partner", string="Author", readonly=True, index=True
    )
    date = fields.Datetime(string="Received", readonly=True, required=True, index=True)
    message_type = fields.Selection(
        [("email", "E-mail"), ("comment", "Portal or website")],
        string="Received by",
        readonly=True,
    )
    subject = fields.Char(compute="_compute_message_content")
    body = fields.Html(
        string="Message text", compute="_compute_message_content", sanitize=False
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )

    # what the detector found
    score = fields.Float(readonly=True, digits=(3, 2), aggregator="avg")
    terms = fields.Char(
        string="Recognised words",
        readonly=True,
        help="The phrases of the recognition rules that raised the score.",
    )

    # what staff decided
    state = fields.Selection(
        SIGNAL_STATES,
        required=True,
        default="new",
        readonly=True,
        index=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assigned to",
        readonly=True,
        index=True,
        help="The employee responsible for the record the message was written on. "
        "Empty: the complaint coordinators judge the signal.",
    )
    complaint_id = fields.Many2one(
        "municipal.complaint",
        string="Case",
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    dismiss_reason = fields.Text(string="Reason for dismissal", readonly=True)
    decided_user_id = fields.Many2one("res.users", string="Decided by", readonly=True)
    decided_date = fields.Datetime(string="Decided on", readonly=True)

    _mail_message_unique = models.UniqueIndex(
        "(mail_message_id) WHERE mail_message_id IS NOT NULL",
        "A message is recognised as a possible complaint only once.",
    )

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        for signal in self:
            record = signal._get_record()
            signal.record_name = record.display_name if record else False

    @api.depends("mail_message_id")
    def _compute_message_content(self):
        # the message is shown from where it is stored: the signal grants reading it
        for signal in self:
            message = signal.mail_message_id.sudo()
            signal.subject = message.subject or False
            signal.body = message.body or False

    @api.depends("res_model_id", "record_name")
    def _compute_display_name(self):
        for signal in self:
            signal.display_name = self.env._(
                "%(model)s: %(record)s",
                model=signal.res_model_id.sudo().name or "",
                record=signal.record_name or "",
            )

    # ------------------------------------------------------------------ detection
    @api.model
    def _detect(self, text, company=None):
        """Score a Dutch ``text`` (HTML or plain) with ``company``'s rules and threshold
        (default: the current company).

        :return: ``{'score': float in [0, 1], 'is_signal': bool, 'terms': [phrases
            that counted]}``
        """
        company = company or self.env.company
        detector = self._get_signal_detector(company.id)
        return detector.detect(
            text, threshold=company.sudo().complaint_signal_threshold
        )

    @api.model
    @tools.ormcache("company_id")
    def _get_signal_detector(self, company_id):
        """The company's active rules, compiled once; any change to a rule clears the
        cache (``municipal.complaint.signal.rule``)."""
        rules = (
            self.env["municipal.complaint.signal.rule"]
            .sudo()
            .with_context(active_test=True)
            .search([("company_id", "in", [company_id, False])])
        )
        return SignalDetector([(rule.phrase, rule.weight) for rule in rules])

    # ------------------------------------------------------------------ buttons
    def action_register_complaint(self):
        """Register the signal as a case, filled in from the message, and open it.

        The author is the complainant, the message the description, the channel
        follows how the message came in, the case remembers the message and that the
        detector recognised it. The receipt date is the day the message arrived:
        the terms of Awb 9:11 count from there.
        """
        self.ensure_one()
        self._check_can_decide()
        message = self.mail_message_id.sudo()
        if not message:
            raise UserError(
                self.env._(
                    "The message of this signal no longer exists; register the "
                    "complaint by hand or dismiss the signal."
                )
            )
        company = self.company_id
        category = company.sudo()._get_complaint_intake_category()
        partner = self.partner_id
        if partner and any(not user.share for user in partner.sudo().user_ids):
            partner = self.env["res.partner"]
        complaint = (
            self.env["municipal.complaint"]
            .with_company(company)
            .with_context(**{SOURCE_MESSAGE_KEY: FROM_SIGNAL})
            .create(
                {
                    "subject": self._get_complaint_subject(),
                    "description": message.body,
                    "channel": MESSAGE_CHANNELS.get(message.message_type, "email"),
                    "category_id": category.id,
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "received_date": fields.Date.context_today(
                        self, timestamp=message.date
                    ),
                    "recognition": "detector",
                    "source_message_id": message.id,
                }
            )
            .with_env(self.env)
        )
        self.sudo().write(
            {
                "state": "registered",
                "complaint_id": complaint.id,
                "decided_user_id": self.env.uid,
                "decided_date": fields.Datetime.now(),
            }
        )
        feedback = self.env._("Registered as %(case)s.", case=complaint.name)
        self._close_signal_activities(feedback)
        self.message_post(body=feedback, subtype_xmlid="mail.mt_note")
        return complaint.action_open_full_case()

    def action_open_dismiss_wizard(self):
        self.ensure_one()
        self._check_can_decide()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dismiss signal"),
            "res_model": "municipal.complaint.signal.dismiss.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_signal_id": self.id},
        }

    def action_open_record(self):
        """The record the message was written on, where the conversation continues."""
        self.ensure_one()
        record = self._get_record()
        if not record:
            raise UserError(self.env._("The record of this signal no longer exists."))
        record.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_open_complaint(self):
        self.ensure_one()
        return self.complaint_id.action_open_full_case()

    # ------------------------------------------------------------------ helpers
    def _dismiss(self, reason):
        """Dismiss these signals: not a complaint, for the reason given."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Say why the message is not a complaint before dismissing.")
            )
        self._check_can_decide()
        self.sudo().write(
            {
                "state": "dismissed",
                "dismiss_reason": reason,
                "decided_user_id": self.env.uid,
                "decided_date": fields.Datetime.now(),
            }
        )
        feedback = self.env._("Dismissed: %(reason)s", reason=reason)
        self._close_signal_activities(feedback)
        for signal in self:
            signal.message_post(body=feedback, subtype_xmlid="mail.mt_note")

    def _check_can_decide(self):
        """Only who may read a signal decides on it, and only once."""
        self.check_access("read")
        decided = self.filtered(lambda signal: signal.state != "new")
        if decided:
            raise UserError(
                self.env._(
                    "The signal %(signal)s was already registered or dismissed.",
                    signal=decided[0].display_name,
                )
            )

    def _close_signal_activities(self, feedback):
        activity_type = self.env.ref(SIGNAL_ACTIVITY_TYPE, raise_if_not_found=False)
        activities = self.sudo().activity_ids
        if activity_type:
            activities = activities.filtered(
                lambda activity: activity.activity_type_id == activity_type
            )
        if activities:
            activities.action_feedback(feedback=feedback)

    def _get_record(self):
        """The record the message was written on (sudo), or an empty recordset."""
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env or not self.res_id:
            return self.env["res.partner"].browse()
        return self.env[self.res_model].sudo().browse(self.res_id).exists()

    def _get_complaint_subject(self):
        """The message's subject, else its first words."""
        self.ensure_one()
        message = self.mail_message_id.sudo()
        subject = (message.subject or "").strip()
        if not subject:
            text = " ".join(
                (
                    message_text(message.body) or html2plaintext(message.body or "")
                ).split()
            )
            subject = text
            if len(text) > SUBJECT_LENGTH:
                subject = text[:SUBJECT_LENGTH].rsplit(" ", 1)[0] + "…"
        return subject or self.env._(
            "Possible complaint on %(record)s", record=self.record_name or ""
        )
