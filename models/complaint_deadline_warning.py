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
from odoo.fields import Domain
from odoo.tools import SQL

from .complaint_deadline import PENDING_DEADLINES
from .complaint_lifecycle import COORDINATOR_GROUP

WARNING_BATCH_SIZE = 500

DEADLINE_ACTIVITY_TYPES = {
    "contact": "municipal_complaint.mail_activity_type_contact_deadline",
    "legal": "municipal_complaint.mail_activity_type_legal_deadline",
    "partner_answer": "municipal_complaint.mail_activity_type_partner_answer_deadline",
    "promised": "municipal_complaint.mail_activity_type_promised_deadline",
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
        self._close_stale_deadline_activities()
        cron._commit_progress(remaining=self._count_deadline_warnings_due())
        time_left = True
        while time_left:
            complaints, due = self._lock_deadline_warning_batch(batch_size)
            if not complaints:
                cron._commit_progress(remaining=0)
                break
            complaints._create_deadline_warnings(due)
            time_left = cron._commit_progress(len(complaints))

    def _deadline_warnings_domain(self, key, companies, today):
        """The cases to warn for deadline ``key``: pending (the one definition of
        ``complaint_deadline.PENDING_DEADLINES``), inside its company's warning window
        of working days (or past it), and not warned for that date yet. Among ``self``
        when it is not empty."""
        _key, deadline, _met = next(row for row in PENDING_DEADLINES if row[0] == key)
        warned = f"{key}_warning_deadline"
        soon = companies._get_due_soon_limits(today)
        domain = self._pending_domain(key) & Domain.OR(
            Domain("company_id", "=", company.id)
            & Domain(deadline, "<=", soon[company])
            for company in companies
        )
        domain &= Domain.custom(
            to_sql=lambda model, alias, query: SQL(
                "%s IS DISTINCT FROM %s",
                model._field_to_sql(alias, warned, query),
                model._field_to_sql(alias, deadline, query),
            ),
            predicate=lambda complaint: complaint[warned] != complaint[deadline],
        )
        if self.ids:
            domain &= Domain("id", "in", self.ids)
        return domain

    def _deadline_warnings_due_domain(self):
        today = fields.Date.context_today(self)
        # every company's cases are warned, and there are a handful of companies
        # pylint: disable-next=no-search-all
        companies = self.env["res.company"].sudo().search([])
        return Domain.OR(
            self._deadline_warnings_domain(key, companies, today)
            for key, _deadline, _met in PENDING_DEADLINES
        )

    def _count_deadline_warnings_due(self):
        return (
            self.sudo()
            .with_context(active_test=True)
            .search_count(self._deadline_warnings_due_domain())
        )

    def _lock_deadline_warning_batch(self, batch_size):
        """Select and lock (``FOR NO KEY UPDATE SKIP LOCKED``) the next cases to warn
        (among ``self`` when it is not empty).

        Rows another worker is warning are skipped, and once it committed they are no
        longer due: two workers never warn the same case twice.

        :return: the cases, and per case id the deadlines due:
            {id: {"contact", "legal"}}
        """
        Complaint = self.sudo().with_context(active_test=True)
        query = Complaint._search(
            self._deadline_warnings_due_domain(), order="id", limit=batch_size
        )
        rows = self.env.execute_query(
            SQL("%s FOR NO KEY UPDATE SKIP LOCKED", query.select(SQL("id")))
        )
        complaints = Complaint.browse(row[0] for row in rows)
        # the rows are locked now: read them fresh
        complaints.invalidate_recordset()
        today = fields.Date.context_today(self)
        companies = complaints.company_id
        due = defaultdict(set)
        for key, _deadline, _met in PENDING_DEADLINES:
            for complaint in complaints.filtered_domain(
                complaints._deadline_warnings_domain(key, companies, today)
            ):
                due[complaint.id].add(key)
        return complaints.filtered(lambda c: c.id in due), dict(due)

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
                deadline = complaint[f"{kind}_deadline"]
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
            [f"{kind}_warning_deadline" for kind in DEADLINE_ACTIVITY_TYPES]
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

    def _close_deadline_activities(self, kinds=None, feedback=None):
        """Mark the open deadline warnings of these cases done.

        Called whenever ``closed_date`` gets set (a closed case has no deadline to warn
        about), when first contact is made (contact warnings) and when the term is
        postponed (the legal-term warning for the old date).
        """
        types = self.env["mail.activity.type"]
        for kind in kinds or DEADLINE_ACTIVITY_TYPES:
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

    def _close_stale_deadline_activities(self):
        """A warning whose deadline moved (a closing day, other working weekdays, a
        new norm) or is no longer pending is done: the cron warns again for the new
        date. Among ``self`` when it is not empty."""
        types = {
            kind: self.env.ref(xmlid, raise_if_not_found=False)
            for kind, xmlid in DEADLINE_ACTIVITY_TYPES.items()
        }
        domain = [
            ("res_model", "=", self._name),
            ("activity_type_id", "in", [t.id for t in types.values() if t]),
        ]
        if self.ids:
            domain.append(("res_id", "in", self.ids))
        activities = self.env["mail.activity"].sudo().search(domain)
        complaints = self.sudo().browse(activities.mapped("res_id")).exists()
        pending = {
            complaint.id: dict(complaint._pending_deadlines())
            for complaint in complaints
        }
        stale = activities.filtered(
            lambda activity: (
                pending.get(activity.res_id, {}).get(
                    next(k for k, t in types.items() if t == activity.activity_type_id)
                )
                != activity.date_deadline
            )
        )
        if stale:
            stale.action_feedback(feedback=self.env._("The deadline moved."))
