"""The destruction list (vernietigingslijst): nothing is destroyed without approval.

Every month a scheduled action puts the closed cases whose retention term ended
(``retention_date``, Selectielijst gemeenten) on their company's open list. A
coordinator reviews it, takes cases off with a reason (an appeal still running, a
request for inzage), and approves: only then is each remaining case anonymised,
through the lifecycle's transition ``_anonymise``. The approved list stays, without
personal data, as the record of what was destroyed, when, and who approved it
(Archiefwet: a verklaring van vernietiging).
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from .complaint_lifecycle import COORDINATOR_GROUP

DESTRUCTION_BATCH_SIZE = 500

DESTRUCTION_STATES = [
    ("draft", "To review"),
    ("approved", "Approved"),
]

LINE_RESULTS = [
    ("destroyed", "Destroyed"),
    ("excluded", "Taken off the list"),
    ("not_due", "No longer due"),
]


class MunicipalComplaintDestruction(models.Model):
    _name = "municipal.complaint.destruction"
    _description = "Destruction list"
    _order = "list_date desc, id desc"

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    list_date = fields.Date(
        string="Listed on",
        required=True,
        readonly=True,
        default=fields.Date.context_today,
    )
    state = fields.Selection(
        DESTRUCTION_STATES, required=True, readonly=True, default="draft", index=True
    )
    approved_date = fields.Datetime(string="Approved on", readonly=True)
    approved_user_id = fields.Many2one("res.users", string="Approved by", readonly=True)
    line_ids = fields.One2many(
        "municipal.complaint.destruction.line", "destruction_id", string="Cases"
    )
    line_count = fields.Integer(string="Cases listed", compute="_compute_counts")
    excluded_count = fields.Integer(string="Taken off", compute="_compute_counts")

    _one_draft_per_company = models.UniqueIndex(
        "(company_id) WHERE state = 'draft'",
        lambda env, diag: env._("A company has one destruction list to review."),
    )

    @api.depends("list_date")
    @api.depends_context("lang")
    def _compute_name(self):
        # not stored: the scheduled action makes the list, its reader reads the name
        for destruction in self:
            destruction.name = self.env._(
                "Destruction list %(date)s",
                date=fields.Date.to_string(destruction.list_date),
            )

    @api.depends("line_ids.excluded")
    def _compute_counts(self):
        for destruction in self:
            destruction.line_count = len(destruction.line_ids)
            destruction.excluded_count = len(destruction.line_ids.filtered("excluded"))

    def action_approve(self):
        """Approve the list: each case still on it, and still due, is anonymised;
        the list records who approved it and when."""
        self.ensure_one()
        self.env["municipal.complaint"]._check_coordinator(
            self.env._("approve a destruction list")
        )
        self.check_access("read")
        if self.state != "draft":
            raise UserError(
                self.env._("%(list)s was approved already.", list=self.display_name)
            )
        if not self.line_ids:
            raise UserError(self.env._("The list holds no cases."))
        today = fields.Date.context_today(self)
        lines = self.line_ids.sudo()
        excluded = lines.filtered("excluded")
        due = (lines - excluded).filtered(
            lambda line: (
                line.complaint_id.retention_date
                and line.complaint_id.retention_date <= today
                and not line.complaint_id.anonymised_date
            )
        )
        excluded.write({"result": "excluded"})
        (lines - excluded - due).write({"result": "not_due"})
        # as the approver: the transition checks the coordinator's rights itself
        due.complaint_id.sudo(False).with_context(active_test=False)._anonymise()
        due.write({"result": "destroyed"})
        self.sudo().write(
            {
                "state": "approved",
                "approved_date": fields.Datetime.now(),
                "approved_user_id": self.env.user.id,
            }
        )
        return True

    @api.model
    def _cron_build_destruction_lists(self, batch_size=DESTRUCTION_BATCH_SIZE):
        """Monthly: put the closed cases past their retention date on the open list
        of their company (made when there is none), batch by batch. A case is on
        one open list at most, so a second run adds nothing; a case taken off an
        approved list comes back on the next one, to be reviewed again."""
        cron = self.env["ir.cron"]
        Complaint = (
            self.env["municipal.complaint"].sudo().with_context(active_test=False)
        )
        domain = self._get_due_domain()
        cron._commit_progress(remaining=Complaint.search_count(domain))
        while True:
            complaints = Complaint.search(domain, order="id", limit=batch_size)
            if not complaints:
                cron._commit_progress(remaining=0)
                break
            self._add_to_lists(complaints)
            if not cron._commit_progress(len(complaints)):
                break

    @api.model
    def _get_due_domain(self):
        """The cases to put on a list: closed, past their retention date, not
        anonymised, and on no list under review."""
        today = fields.Date.context_today(self)
        return (
            Domain("retention_date", "<=", today)
            & Domain("closed_date", "!=", False)
            & Domain("anonymised_date", "=", False)
            & Domain(
                "destruction_line_ids",
                "not any",
                [("destruction_id.state", "=", "draft")],
            )
        )

    @api.model
    def _add_to_lists(self, complaints):
        """Add ``complaints`` to the open list of their company."""
        lists = self.sudo().search(
            [("state", "=", "draft"), ("company_id", "in", complaints.company_id.ids)]
        )
        by_company = {destruction.company_id: destruction for destruction in lists}
        for company in complaints.company_id - lists.company_id:
            by_company[company] = self.sudo().create({"company_id": company.id})
        self.env["municipal.complaint.destruction.line"].sudo().create(
            [
                {
                    "destruction_id": by_company[complaint.company_id].id,
                    "complaint_id": complaint.id,
                    "retention_date": complaint.retention_date,
                }
                for complaint in complaints
            ]
        )


class MunicipalComplaintDestructionLine(models.Model):
    _name = "municipal.complaint.destruction.line"
    _description = "Case on a destruction list"
    _order = "destruction_id, received_date, id"
    _rec_name = "complaint_id"

    destruction_id = fields.Many2one(
        "municipal.complaint.destruction",
        string="Destruction list",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    state = fields.Selection(related="destruction_id.state")
    company_id = fields.Many2one(related="destruction_id.company_id", store=True)
    complaint_id = fields.Many2one(
        "municipal.complaint",
        string="Case",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    reference = fields.Char(related="complaint_id.name")
    kind = fields.Selection(related="complaint_id.kind")
    category_id = fields.Many2one(related="complaint_id.category_id")
    received_date = fields.Date(related="complaint_id.received_date", store=True)
    closed_date = fields.Date(related="complaint_id.closed_date")
    retention_date = fields.Date(
        string="Kept until",
        readonly=True,
        help="The end of the retention term when the case was listed.",
    )
    excluded = fields.Boolean(
        string="Take off",
        help="Keep this case: it is not destroyed now and comes back on the next list.",
    )
    exclude_reason = fields.Char(
        string="Reason",
        help="Why the case is kept (for example an appeal still running). No "
        "personal data: the list is kept.",
    )
    result = fields.Selection(LINE_RESULTS, readonly=True)

    @api.constrains("excluded", "exclude_reason")
    def _check_exclude_reason(self):
        for line in self:
            if line.excluded and not (line.exclude_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Give the reason for taking %(reference)s off the list.",
                        reference=line.complaint_id.name,
                    )
                )

    def write(self, vals):
        """Only a coordinator takes a case off a list under review; an approved
        list is the record of the destruction and changes no more."""
        if not self.env.su:
            if set(vals) - {"excluded", "exclude_reason"}:
                raise UserError(
                    self.env._(
                        "On a destruction list only taking a case off, with its "
                        "reason, can be changed."
                    )
                )
            self.env["municipal.complaint"]._check_coordinator(
                self.env._("take a case off a destruction list")
            )
            if any(line.state != "draft" for line in self):
                raise UserError(
                    self.env._(
                        "An approved destruction list is the record of what was "
                        "destroyed and cannot be changed."
                    )
                )
        return super().write(vals)


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    destruction_line_ids = fields.One2many(
        "municipal.complaint.destruction.line",
        "complaint_id",
        string="Destruction lists",
        groups=COORDINATOR_GROUP,
    )
