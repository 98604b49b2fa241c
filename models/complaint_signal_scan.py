"""Scoring incoming messages, after they are stored: a batched scheduled action.

Nothing happens while a message is posted or an e-mail comes in: posting and the mail
gateway stay as fast as without this addon. Every few minutes the scheduled action
``cron_score_signal_messages`` reads the messages that arrived since its last run (a
high-water mark: the id of the last message it looked at) in batches, and scores the
ones that matter:

- incoming e-mail and portal or website messages (``email``, ``comment``);
- written by someone outside the Dienst (no internal user);
- on a record of a model the record's company watches (``res.company``
  ``complaint_signal_model_ids``: contacts by default);
- not already linked to a case, and not scored before.

A hit becomes a ``municipal.complaint.signal`` with an activity "Possible complaint
recognised" for the record's responsible employee, or for the company's complaint
coordinators. The mark moves past every message looked at, hit or not, in the same
transaction as the signals of its batch: a message is never scored twice, and a run
that stops between batches goes on where it stopped.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from .complaint_lifecycle import COORDINATOR_GROUP
from .complaint_signal import SIGNAL_ACTIVITY_TYPE

HIGH_WATER_KEY = "municipal_complaint.signal_last_message_id"
SCAN_BATCH_SIZE = 500
SCORED_MESSAGE_TYPES = ("email", "comment")
EMPLOYEE_GROUP = "municipal_complaint.group_complaint_user"


class MunicipalComplaintSignal(models.Model):
    _inherit = "municipal.complaint.signal"

    @api.model
    def _cron_score_messages(self, batch_size=SCAN_BATCH_SIZE):
        """Score the messages that arrived since the last run, batch by batch.

        Each batch is committed with ``ir.cron._commit_progress``; when the run is out
        of time it stops between batches and the next run goes on from the mark.
        """
        cron = self.env["ir.cron"]
        watched = self._get_watched_models()
        model_names = tuple(sorted(set().union(*watched.values())))
        if not model_names:
            # nothing is watched: every message so far has been looked at
            self._get_high_water(lock=True)
            self._set_high_water(self._get_last_message_id())
            cron._commit_progress(remaining=0)
            return
        cron._commit_progress(
            remaining=self._count_messages_to_score(self._get_high_water(), model_names)
        )
        while True:
            # locks the mark until the batch is committed: a second run waits
            last_id = self._get_high_water(lock=True)
            message_ids = self._next_messages_to_score(last_id, model_names, batch_size)
            if not message_ids:
                cron._commit_progress(remaining=0)
                break
            self._score_messages(message_ids, watched)
            self._set_high_water(message_ids[-1])
            if not cron._commit_progress(len(message_ids)):
                break

    # ------------------------------------------------------------------ selection
    @api.model
    def _get_watched_models(self):
        """Per company id, the model names whose messages are scored."""
        watched = {}
        # every company, and there are a handful of them
        # pylint: disable-next=no-search-all
        for company in self.env["res.company"].sudo().search([]):
            watched[company.id] = set(
                company.complaint_signal_model_ids.mapped("model")
            )
        return watched

    @api.model
    def _messages_sql(self, select, last_id, model_names, limit=None):
        return SQL(
            """SELECT %(select)s FROM mail_message
                WHERE id > %(last_id)s AND model IN %(models)s
                  AND message_type IN %(types)s
                %(order)s %(limit)s""",
            select=select,
            last_id=last_id,
            models=model_names,
            types=SCORED_MESSAGE_TYPES,
            order=SQL("ORDER BY id") if limit else SQL(),
            limit=SQL("LIMIT %s", limit) if limit else SQL(),
        )

    @api.model
    def _count_messages_to_score(self, last_id, model_names):
        self.env["mail.message"].flush_model()
        self.env.cr.execute(self._messages_sql(SQL("COUNT(*)"), last_id, model_names))
        return self.env.cr.fetchone()[0]

    @api.model
    def _next_messages_to_score(self, last_id, model_names, batch_size):
        self.env["mail.message"].flush_model()
        self.env.cr.execute(
            self._messages_sql(SQL("id"), last_id, model_names, limit=batch_size)
        )
        return [row[0] for row in self.env.cr.fetchall()]

    # ------------------------------------------------------------------ the mark
    @api.model
    def _get_high_water(self, lock=False):
        """The id of the last message looked at. Read and written with SQL, not with
        ``get_param``/``set_param``: it changes with every batch, and set_param would
        clear the caches of every Odoo worker each time."""
        self.env["ir.config_parameter"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT value FROM ir_config_parameter WHERE key = %s %s",
                HIGH_WATER_KEY,
                SQL("FOR UPDATE") if lock else SQL(),
            )
        )
        row = self.env.cr.fetchone()
        if row is None:
            # never set (the install sets it): start from now, never from the past
            self._init_high_water()
            return self._get_high_water(lock=lock)
        return int(row[0] or 0)

    @api.model
    def _set_high_water(self, message_id):
        self.env.cr.execute(
            SQL(
                "UPDATE ir_config_parameter SET value = %s WHERE key = %s",
                str(message_id),
                HIGH_WATER_KEY,
            )
        )

    @api.model
    def _setup_signal_scanning(self):
        """Once, on the install or the update that brings recognition: contacts are
        watched and the scoring starts after the messages already there. Later updates
        change nothing (an administrator may have chosen to watch nothing)."""
        Parameter = self.env["ir.config_parameter"].sudo()
        if Parameter.search_count([("key", "=", HIGH_WATER_KEY)]):
            return
        self.env["res.company"]._init_complaint_signal_models()
        self._init_high_water()

    @api.model
    def _init_high_water(self):
        """Start after the newest message: installing the addon does not score the
        history of the database."""
        last_id = self._get_last_message_id()
        self.env["ir.config_parameter"].sudo().set_param(HIGH_WATER_KEY, str(last_id))
        return last_id

    @api.model
    def _get_last_message_id(self):
        self.env["mail.message"].flush_model()
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_message")
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------ scoring
    @api.model
    def _score_messages(self, message_ids, watched):
        """Score these messages and turn the hits into signals with their activity.

        :param list message_ids: ids of ``mail.message`` of the watched models
        :param dict watched: per company id, the model names it watches
        :return: the new signals
        """
        messages = self.env["mail.message"].sudo().browse(message_ids)
        skipped = self._get_messages_linked_to_a_case(messages)
        internal_authors = self._get_internal_partners(messages.author_id)
        records = self._get_message_records(messages)
        default_company = self.env.company
        vals_list = []
        for message in messages:
            record = records.get((message.model, message.res_id))
            if (
                message.id in skipped
                or not record
                or message.author_id in internal_authors
                or not (message.author_id or message.email_from)
                or not message.body
            ):
                continue
            company = self._get_record_company(record) or default_company
            if message.model not in watched.get(company.id, ()):
                continue
            result = self._detect(message.body, company)
            if not result["is_signal"]:
                continue
            vals_list.append(
                {
                    "mail_message_id": message.id,
                    "res_model_id": self.env["ir.model"]._get_id(message.model),
                    "res_id": message.res_id,
                    "partner_id": message.author_id.id,
                    "date": message.date,
                    "message_type": message.message_type,
                    "score": result["score"],
                    "terms": ", ".join(result["terms"]),
                    "company_id": company.id,
                    "user_id": self._get_responsible_user(record, company).id,
                }
            )
        signals = (
            self.sudo()
            .with_context(
                mail_create_nolog=True, mail_create_nosubscribe=True, mail_notrack=True
            )
            .create(vals_list)
        )
        signals._schedule_signal_activities()
        return signals

    @api.model
    def _get_messages_linked_to_a_case(self, messages):
        """Ids of the messages already scored (a signal) or registered as a case."""
        signals = (
            self.sudo()
            .with_context(active_test=False)
            .search([("mail_message_id", "in", messages.ids)])
        )
        complaints = (
            self.env["municipal.complaint"]
            .sudo()
            .with_context(active_test=False)
            .search([("source_message_id", "in", messages.ids)])
        )
        return set(signals.mail_message_id.ids) | set(complaints.source_message_id.ids)

    @api.model
    def _get_internal_partners(self, partners):
        """The partners of internal users (also archived ones, like OdooBot): their
        messages are the Dienst's own."""
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", partners.ids), ("share", "=", False)])
        )
        return users.partner_id

    @api.model
    def _get_message_records(self, messages):
        """Per (model, id), the existing record each message was written on (sudo)."""
        ids_by_model = defaultdict(set)
        for message in messages:
            if message.model in self.env and message.res_id:
                ids_by_model[message.model].add(message.res_id)
        records = {}
        for model, ids in ids_by_model.items():
            for record in self.env[model].sudo().browse(ids).exists():
                records[model, record.id] = record
        return records

    @api.model
    def _get_record_company(self, record):
        field = record._fields.get("company_id")
        if field and field.type == "many2one" and field.comodel_name == "res.company":
            return record.company_id
        return self.env["res.company"]

    @api.model
    def _get_responsible_user(self, record, company):
        """The record's responsible employee (its ``user_id``), when they work with
        complaints in this company; otherwise nobody, and the coordinators judge."""
        field = record._fields.get("user_id")
        if not field or field.type != "many2one" or field.comodel_name != "res.users":
            return self.env["res.users"]
        user = record.user_id
        if (
            user.active
            and not user.share
            and company in user.company_ids
            and user.has_group(EMPLOYEE_GROUP)
        ):
            return user
        return self.env["res.users"]

    def _schedule_signal_activities(self):
        """One activity per signal for its responsible employee, or one for each
        complaint coordinator of its company. No e-mail: the activity shows in their
        activities."""
        if not self:
            return
        activity_type = self.env.ref(SIGNAL_ACTIVITY_TYPE)
        coordinators = self._get_signal_coordinators()
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        vals_list = []
        for signal in self:
            users = signal.user_id or coordinators[signal.company_id.id]
            vals_list.extend(
                {
                    "res_model_id": model_id,
                    "res_id": signal.id,
                    "activity_type_id": activity_type.id,
                    "summary": activity_type.summary,
                    "note": activity_type.default_note,
                    "date_deadline": today,
                    "user_id": user.id,
                    "automated": True,
                }
                for user in users
            )
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(vals_list)

    def _get_signal_coordinators(self):
        """Per company id, the active internal complaint coordinators."""
        users = (
            self.env.ref(COORDINATOR_GROUP)
            .sudo()
            .all_user_ids.filtered(lambda user: user.active and not user.share)
        )
        coordinators = defaultdict(lambda: self.env["res.users"])
        for company in self.company_id:
            coordinators[company.id] = users.filtered(
                lambda user, company=company: company in user.company_ids
            )
        return coordinators
