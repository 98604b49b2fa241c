"""Deadline warnings: the daily scheduled action that turns approaching and passed
deadlines into activities for the handler (or the coordinators when nobody handles the
case).

Once per case and deadline: the case remembers the deadline date it was warned for
(``contact_warning_deadline``, ``legal_warning_deadline``). The selection is "deadline
within the warning window and not yet warned for this date", never "deadline ==
today": a skipped day misses nothing, a second run finds nothing, and a postponement
(a new date) warns again.
"""

from collections import defaultdict

from odoo import fields, models
from odoo.tools import SQL

from .complaint_deadline import COORDINATOR_GROUP

WARNING_BATCH_SIZE = 500

DEADLINE_ACTIVITY_TYPES = {
    "contact": "municipal_complaint.mail_activity_type_contact_deadline",
    "legal": "municipal_complaint.mail_activity_type_legal_deadline",
}


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    contact_warning_deadline = fields.Date(
        copy=False,
        readonly=True,
        help="The first-contact deadline a warning was created for.",
    )
    legal_warning_deadline = fields.Date(
        copy=False,
        readonly=True,
        help="The legal deadline a warning was created for; a postponement gives a new "
        "deadline and so a new warning.",
    )

    def _cron_deadline_warnings(self, batch_size=WARNING_BATCH_SIZE):
        """Daily: outcomes of terms that passed, then the warnings, batch by batch (for
        all cases, or for those of ``self`` when it is not empty).

        Each batch is committed with ``ir.cron._commit_progress``; when the cron runs
        out of time it stops between batches and is rescheduled for the rest.
        """
        cron = self.env["ir.cron"]
        self._refresh_term_outcomes()
        cron._commit_progress(remaining=self._count_deadline_warnings_due())
        time_left = True
        while time_left:
            complaints, due = self._lock_deadline_warning_batch(batch_size)
            if not complaints:
                cron._commit_progress(remaining=0)
                break
            complaints._create_deadline_warnings(due)
            time_left = cron._commit_progress(len(complaints))

    def _deadline_warnings_sql(self, select, limit=None, lock=False):
        """The cases with a deadline inside their company's warning window (or past
        it) that were not warned for that date yet. Open, active cases only; among
        ``self`` when it is not empty."""
        today = fields.Date.context_today(self)
        contact_due = SQL(
            """c.contact_date IS NULL AND c.contact_deadline IS NOT NULL
               AND c.contact_deadline <= %(today)s::date + co.complaint_warning_days
               AND c.contact_warning_deadline IS DISTINCT FROM c.contact_deadline""",
            today=today,
        )
        legal_due = SQL(
            """c.legal_deadline IS NOT NULL
               AND c.legal_deadline <= %(today)s::date + co.complaint_warning_days
               AND c.legal_warning_deadline IS DISTINCT FROM c.legal_deadline""",
            today=today,
        )
        columns = {
            "id": SQL("c.id"),
            "count": SQL("COUNT(*)"),
            "due": SQL(
                "c.id, (%s) AS contact_due, (%s) AS legal_due", contact_due, legal_due
            ),
        }[select]
        return SQL(
            """SELECT %(columns)s
                 FROM municipal_complaint c
                 JOIN res_company co ON co.id = c.company_id
                WHERE c.active AND c.closed_date IS NULL AND c.is_closed IS NOT TRUE
                  AND ((%(contact_due)s) OR (%(legal_due)s))
                  %(among)s
                %(order)s %(limit)s %(lock)s""",
            columns=columns,
            contact_due=contact_due,
            legal_due=legal_due,
            among=SQL("AND c.id IN %s", tuple(self.ids)) if self.ids else SQL(),
            order=SQL("ORDER BY c.id") if limit else SQL(),
            limit=SQL("LIMIT %s", limit) if limit else SQL(),
            lock=SQL("FOR NO KEY UPDATE OF c SKIP LOCKED") if lock else SQL(),
        )

    def _count_deadline_warnings_due(self):
        self._flush_deadline_warning_fields()
        self.env.cr.execute(self._deadline_warnings_sql("count"))
        return self.env.cr.fetchone()[0]

    def _lock_deadline_warning_batch(self, batch_size):
        """Select and lock (``FOR NO KEY UPDATE SKIP LOCKED``) the next cases to warn
        (among ``self`` when it is not empty).

        Rows another worker is warning are skipped, and once it committed they are no
        longer due: two workers never warn the same case twice.

        :return: the cases, and per case id the deadlines due:
            {id: {"contact", "legal"}}
        """
        self._flush_deadline_warning_fields()
        self.env.cr.execute(
            self._deadline_warnings_sql("due", limit=batch_size, lock=True)
        )
        due = {}
        for complaint_id, contact_due, legal_due in self.env.cr.fetchall():
            due[complaint_id] = {
                kind
                for kind, is_due in (("contact", contact_due), ("legal", legal_due))
                if is_due
            }
        return self.sudo().browse(list(due)), due

    def _flush_deadline_warning_fields(self):
        self.env["res.company"].flush_model(["complaint_warning_days"])
        self.env["municipal.complaint"].flush_model(
            [
                "active",
                "company_id",
                "closed_date",
                "is_closed",
                "contact_date",
                "contact_deadline",
                "legal_deadline",
                "contact_warning_deadline",
                "legal_warning_deadline",
            ]
        )

    def _create_deadline_warnings(self, due):
        """Create the warning activities of these (locked) cases and remember the dates.

        :param due: per case id the deadlines to warn for, as returned by
            :meth:`_lock_deadline_warning_batch`
        """
        activity_types = {
            kind: self.env.ref(xmlid, raise_if_not_found=False)
            for kind, xmlid in DEADLINE_ACTIVITY_TYPES.items()
        }
        model_id = self.env["ir.model"]._get_id(self._name)
        coordinators = self._get_warning_coordinators()
        vals_list = []
        warned = defaultdict(list)  # kind -> case ids
        for complaint in self:
            users = (
                complaint.user_id
                if complaint.user_id.active
                else coordinators[complaint.company_id]
            )
            for kind in sorted(due.get(complaint.id, ())):
                deadline = (
                    complaint.contact_deadline
                    if kind == "contact"
                    else complaint.legal_deadline
                )
                activity_type = activity_types[kind]
                vals_list.extend(
                    {
                        "res_model_id": model_id,
                        "res_id": complaint.id,
                        "activity_type_id": activity_type.id,
                        # what activity_schedule() fills in from the type
                        "summary": activity_type.summary,
                        "note": activity_type.default_note,
                        "date_deadline": deadline,
                        "user_id": user.id,
                        "automated": True,
                    }
                    for user in users
                )
                warned[kind].append(complaint.id)
        # no e-mail per activity: the warnings show in the handler's activities
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(vals_list)
        # remember the warned dates: one statement per kind of deadline, whatever the
        # batch size (the rows are locked by this transaction and their deadlines
        # flushed)
        for kind, complaint_ids in warned.items():
            self.env.cr.execute(
                SQL(
                    "UPDATE municipal_complaint SET %s = %s WHERE id IN %s",
                    SQL.identifier(f"{kind}_warning_deadline"),
                    SQL.identifier(f"{kind}_deadline"),
                    tuple(complaint_ids),
                )
            )
        self.invalidate_recordset(
            ["contact_warning_deadline", "legal_warning_deadline"]
        )

    def _get_warning_coordinators(self):
        """Per company, the active internal coordinators who are warned when nobody
        handles a case."""
        group = self.env.ref(COORDINATOR_GROUP)
        users = group.sudo().all_user_ids.filtered(
            lambda user: user.active and not user.share
        )
        coordinators = defaultdict(lambda: self.env["res.users"])
        for company in self.company_id:
            coordinators[company] = users.filtered(
                lambda user, company=company: company in user.company_ids
            )
        return coordinators

    def _close_deadline_activities(self, kinds=("contact", "legal"), feedback=None):
        """Mark the open deadline warnings of these cases done.

        Called whenever ``closed_date`` gets set (a closed case has no deadline to warn
        about), when first contact is made (contact warnings) and when the term is
        postponed (the legal-term warning for the old date).
        """
        types = self.env["mail.activity.type"]
        for kind in kinds:
            types |= (
                self.env.ref(DEADLINE_ACTIVITY_TYPES[kind], raise_if_not_found=False)
                or types
            )
        if not self.ids or not types:
            return
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "in", types.ids),
                ]
            )
        )
        if activities:
            activities.action_feedback(feedback=feedback or self.env._("Case closed."))
