"""Who saw a complaint file: the access log.

Recorded, with user and time: opening a case (any read of its content, whether by
the form, JSON-RPC ``read`` or ``search_read``: they all format their values through
``_read_format``, which the kanban and the list never ask for the content), a contract
partner viewing a referred case in the portal, printing one of its letters (report
rendering), exporting it, reading a complainant's contact details, and an inzage
export. Readable by coordinators and the data-protection officer (a Beheerder); kept
for the company's term, then removed by Odoo's daily vacuum.

OCA's ``auditlog`` was measured first and not used (bench/README.md, "Access log"):
its read rule logs every record of every list and kanban page and copies the values
read (the complainant's name, the description) into its log lines, so the log would
become a second copy of the files the retention rules destroy; it does not see
printing.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

ACCESS_ACTIONS = [
    ("read", "Opened the case"),
    ("portal", "Viewed in the portal"),
    ("print", "Printed"),
    ("export", "Exported"),
    ("contact", "Read the complainant's contact"),
    ("inzage", "Inzage export"),
]

# Reading one of these is opening the file; the kanban and the list read none.
CASE_CONTENT_FIELDS = frozenset(
    {
        "description",
        "partner_email",
        "partner_phone",
        "referral_note",
        "referral_text",
        "partner_response",
        "postpone_reason",
        "resolution_note",
        "findings",
        "conclusions",
        "hearing_attendees",
        "hearing_report",
        "advisory_committee_note",
        "ombudsman_advice",
        "ombudsman_followup",
        "story_text",
    }
)

# Reading one of these of a case's message is reading the case's correspondence.
MESSAGE_CONTENT_FIELDS = frozenset({"body", "subject", "preview", "attachment_ids"})

# A contact's details, beyond the name that lists and the chatter show.
CONTACT_DETAIL_FIELDS = frozenset(
    {
        "email",
        "email_formatted",
        "phone",
        "street",
        "street2",
        "zip",
        "city",
        "contact_address",
        "contact_address_inline",
        "vat",
        "comment",
    }
)

# Opening the same case again within this time adds no entry: a save re-reads the
# form, and the log answers "who saw it, and when", not "how many clicks".
REPEAT_WINDOW = timedelta(minutes=10)
REPEATED_ACTIONS = ("read", "portal", "contact")

ACCESS_LOG_MONTHS = 12
# The mark of a case being registered from the form (web_save of a new record): its
# first read cannot repeat an earlier one. Compared by identity: a client sends
# JSON values in its context, never this object.
_REGISTERING = object()
REGISTERING_KEY = "municipal_complaint_registering"


class MunicipalComplaintAccessLog(models.Model):
    _name = "municipal.complaint.access.log"
    _description = "Complaint access log"
    _order = "date desc, id desc"
    _rec_name = "action"

    date = fields.Datetime(
        required=True, readonly=True, index=True, default=fields.Datetime.now
    )
    # nobody changes or removes an entry, also not by deleting the user or contact
    user_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    action = fields.Selection(ACCESS_ACTIONS, required=True, readonly=True)
    complaint_id = fields.Many2one(
        "municipal.complaint",
        string="Case",
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        readonly=True,
        index=True,
        ondelete="restrict",
        help="The complainant whose contact was read, or for whom the inzage "
        "export was made.",
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    detail = fields.Char(readonly=True, help="The letter printed, the portal, ...")

    @api.model
    def _log(self, action, complaints=None, partners=None, detail=False, first=False):
        """Record that the current user did ``action`` on each of ``complaints`` or
        ``partners`` (one entry each); a repeated view within a few minutes adds
        nothing (``first``: the cases were registered in this request, nobody
        viewed them before)."""
        user = self.env.user
        complaints = (complaints or self.env["municipal.complaint"]).sudo()
        partners = (partners or self.env["res.partner"]).sudo()
        # the company only: a superuser's read of the whole record would fill the
        # cache that the user's own reads (a letter being printed) come from
        complaints.fetch(["company_id"])
        partners.fetch(["company_id"])
        if action in REPEATED_ACTIONS and not first:
            recent = self.sudo().search(
                [
                    ("user_id", "=", user.id),
                    ("action", "=", action),
                    ("date", ">=", fields.Datetime.now() - REPEAT_WINDOW),
                    "|",
                    ("complaint_id", "in", complaints.ids),
                    ("partner_id", "in", partners.ids),
                ]
            )
            complaints -= recent.complaint_id
            partners -= recent.partner_id
        vals_list = [
            {
                "user_id": user.id,
                "action": action,
                "complaint_id": complaint.id,
                "company_id": complaint.company_id.id,
                "detail": detail,
            }
            for complaint in complaints
        ] + [
            {
                "user_id": user.id,
                "action": action,
                "partner_id": partner.id,
                "company_id": partner.company_id.id or self.env.company.id,
                "detail": detail,
            }
            for partner in partners
        ]
        return self.sudo().create(vals_list)

    @api.autovacuum
    def _gc_access_log(self):
        """Remove the entries older than their company's term."""
        # a handful of companies
        # pylint: disable-next=no-search-all
        companies = self.env["res.company"].sudo().search([])
        now = fields.Datetime.now()
        domain = Domain.OR(
            Domain("company_id", "=", company.id)
            & Domain(
                "date",
                "<",
                now - relativedelta(months=company.complaint_access_log_months),
            )
            for company in companies
        ) | (
            Domain("company_id", "=", False)
            & Domain("date", "<", now - relativedelta(months=ACCESS_LOG_MONTHS))
        )
        self.sudo().search(domain).unlink()


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    # Reading a case may write its log entry: these RPC methods get a read/write
    # cursor, not a read-only replica's (web/controllers/dataset.py reads
    # ``_readonly`` from the model's methods).
    def read(self, fields=None, load="_classic_read"):
        return super().read(fields=fields, load=load)

    read._readonly = False

    @api.model
    def search_read(
        self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs
    ):
        return super().search_read(
            domain=domain,
            fields=fields,
            offset=offset,
            limit=limit,
            order=order,
            **read_kwargs,
        )

    search_read._readonly = False

    def web_read(self, specification):
        return super().web_read(specification)

    web_read._readonly = False

    def web_save(self, vals, specification, next_id=None):
        if not self:
            self = self.with_context(**{REGISTERING_KEY: _REGISTERING})  # noqa: PLW0642
        return super().web_save(vals, specification, next_id=next_id)

    def _read_format(self, fnames, load="_classic_read"):
        """Opening a case is reading its content: log it, whatever the client."""
        result = super()._read_format(fnames, load=load)
        if not self.env.su and CASE_CONTENT_FIELDS.intersection(fnames):
            self._log_access("read")
        return result

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self._log_access("export")
        return result

    def action_view_access_log(self):
        """Who opened, printed or exported this case."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_complaint.action_complaint_access_log"
        )
        action["domain"] = [("complaint_id", "=", self.id)]
        return action

    def _log_portal_view(self):
        """A contract partner's portal user viewed these (sudo-ed) cases."""
        return self._log_access("portal")

    def _log_access(self, action, detail=False):
        """Record that the current user did ``action`` on these cases (the saved
        ones: a form's draft is nobody's file yet)."""
        complaints = self.browse(id_ for id_ in self._ids if isinstance(id_, int))
        if not complaints:
            return self.env["municipal.complaint.access.log"]
        return self.env["municipal.complaint.access.log"]._log(
            action,
            complaints=complaints,
            detail=detail,
            first=self.env.context.get(REGISTERING_KEY) is _REGISTERING,
        )


class ResPartner(models.Model):
    _inherit = "res.partner"

    # the contact form may write a log entry: a read/write cursor (see above)
    def web_read(self, specification):
        return super().web_read(specification)

    web_read._readonly = False

    def _read_format(self, fnames, load="_classic_read"):
        """Reading the details of a complainant's contact is logged, whatever the
        client; a user reading their own contact is not."""
        result = super()._read_format(fnames, load=load)
        if not self.env.su and CONTACT_DETAIL_FIELDS.intersection(fnames):
            saved = self.browse(id_ for id_ in self._ids if isinstance(id_, int))
            complainants = (
                saved.sudo()
                .filtered("is_complainant_contact")
                .filtered(lambda partner: partner != self.env.user.partner_id)
            )
            if complainants:
                self.env["municipal.complaint.access.log"]._log(
                    "contact", partners=complainants
                )
        return result


class MailMessage(models.Model):
    _inherit = "mail.message"

    # reading messages may write a log entry: a read/write cursor (see above)
    def web_read(self, specification):
        return super().web_read(specification)

    web_read._readonly = False

    def _read_format(self, fnames, load="_classic_read"):
        """Reading a case's correspondence (a letter, the complainant's e-mails) is
        opening the case, whatever the client: ``read``, ``search_read``."""
        result = super()._read_format(fnames, load=load)
        if MESSAGE_CONTENT_FIELDS.intersection(fnames):
            self._log_complaint_messages_read()
        return result

    @api.model
    def _message_fetch(self, domain, *args, **kwargs):
        """The chatter's own route (/mail/thread/messages) reads the messages
        without ``read``: logged here."""
        result = super()._message_fetch(domain, *args, **kwargs)
        result["messages"]._log_complaint_messages_read()
        return result

    def _log_complaint_messages_read(self):
        """An internal user read these messages: each case they belong to is logged
        as opened (a portal page logs its own view)."""
        if self.env.su or not self.env.user._is_internal():
            return
        saved = self.browse(id_ for id_ in self._ids if isinstance(id_, int)).sudo()
        saved.fetch(["model", "res_id"])
        complaint_ids = {
            message.res_id
            for message in saved
            if message.model == "municipal.complaint" and message.res_id
        }
        if complaint_ids:
            self.env["municipal.complaint"].browse(complaint_ids)._log_access("read")


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_rendering_context(self, report, docids, data):
        """A case's letter is printed only by who may read the case: the check comes
        before anything reads the case (every report format renders here)."""
        if report.model == "municipal.complaint" and docids and not self.env.su:
            self.env["municipal.complaint"].browse(docids).check_access("read")
        return super()._get_rendering_context(report, docids, data)

    @api.model
    def _render_qweb_html(self, report_ref, docids, data=None):
        """Printing a case's letter is logged, once it is rendered (a PDF renders
        its HTML here too): the log reads the case as superuser, which must not
        fill the cache the letter is rendered from."""
        result = super()._render_qweb_html(report_ref, docids, data=data)
        report = self._get_report(report_ref)
        if report.model == "municipal.complaint" and docids and not self.env.su:
            complaints = self.env["municipal.complaint"].browse(docids).exists()
            complaints._log_access("print", detail=report.name)
        return result


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_access_log_months = fields.Integer(
        string="Keep the access log (months)",
        default=ACCESS_LOG_MONTHS,
        help="How long the log of who opened, printed or exported a case is kept.",
    )

    @api.constrains("complaint_access_log_months")
    def _check_complaint_access_log_months(self):
        if any(company.complaint_access_log_months < 1 for company in self):
            raise ValidationError(
                self.env._("The access log is kept at least 1 month.")
            )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_access_log_months = fields.Integer(
        related="company_id.complaint_access_log_months", readonly=False
    )
