"""Retention of complaint files and what their destruction removes.

Selectielijst gemeenten, process "Geschillen behandelen" (docs/rules.md, "Privacy
and retention"): a complaint file is kept 5 years after closing, 10 years when the
Nationale ombudsman was involved, 1 year when the complaint was not handled (Awb
9:8) or withdrawn. Each company sets these terms (Termijnnormen); a change applies
to every case not destroyed yet. After the term a destruction list
(``complaint_destruction.py``), once a coordinator approved it, anonymises the case
through the lifecycle's transition ``_anonymise``; this file says what that
transition blanks and removes.
"""

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

# The terms of the Selectielijst gemeenten, in years after closing.
RETENTION_YEARS = 5
RETENTION_OMBUDSMAN_YEARS = 10
RETENTION_SHORT_YEARS = 1

# What anonymising a case blanks: the texts that tell who complained, about whom,
# and what was said and found. Kind, category, channel, dates, deadlines, handling,
# judgment, outcomes and term stay (they are what the figures count).
ANONYMISED_TEXT_FIELDS = (
    "subject",
    "description",
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
    "ombudsman_reference",
    "ombudsman_advice",
    "ombudsman_followup",
)
ANONYMISED_EMPTY_FIELDS = (
    "partner_id",
    "respondent_user_id",
    "postpone_consent_attachment_id",
    "is_story",
    "story_title",
    "story_text",
    "access_token",
)

# What blanking a complainant's contact empties (name gets a placeholder: a contact
# needs one).
CONTACT_EMPTY_FIELDS = (
    "email",
    "phone",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
    "vat",
    "ref",
    "website",
    "function",
    "comment",
    "image_1920",
    "company_name",
    "category_id",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_retention_years = fields.Integer(
        string="Keep closed cases (years)",
        default=RETENTION_YEARS,
        help="Selectielijst gemeenten: years after closing before the personal data "
        "of a case is destroyed.",
    )
    complaint_retention_ombudsman_years = fields.Integer(
        string="Keep cases the Nationale ombudsman saw (years)",
        default=RETENTION_OMBUDSMAN_YEARS,
        help="Years after closing for a case the Nationale ombudsman was involved in.",
    )
    complaint_retention_short_years = fields.Integer(
        string="Keep cases not handled or withdrawn (years)",
        default=RETENTION_SHORT_YEARS,
        help="Years after closing for a complaint that was not handled (Awb 9:8) or "
        "was withdrawn.",
    )

    @api.constrains(
        "complaint_retention_years",
        "complaint_retention_ombudsman_years",
        "complaint_retention_short_years",
    )
    def _check_complaint_retention(self):
        for company in self:
            terms = (
                company.complaint_retention_short_years,
                company.complaint_retention_years,
                company.complaint_retention_ombudsman_years,
            )
            if min(terms) < 1:
                raise ValidationError(
                    self.env._("A retention term is at least 1 year.")
                )

    def write(self, vals):
        result = super().write(vals)
        if {
            "complaint_retention_years",
            "complaint_retention_ombudsman_years",
            "complaint_retention_short_years",
        } & set(vals):
            self.env["municipal.complaint"]._recompute_retention_dates(
                Domain("company_id", "in", self.ids)
            )
        return result


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_retention_years = fields.Integer(
        related="company_id.complaint_retention_years", readonly=False
    )
    complaint_retention_ombudsman_years = fields.Integer(
        related="company_id.complaint_retention_ombudsman_years", readonly=False
    )
    complaint_retention_short_years = fields.Integer(
        related="company_id.complaint_retention_short_years", readonly=False
    )


class MunicipalComplaintOutcome(models.Model):
    _inherit = "municipal.complaint.outcome"

    is_withdrawal = fields.Boolean(
        string="Withdrawal",
        help="The complainant withdrew the complaint: the case is kept for the short "
        "retention term, like a complaint that was not handled.",
    )

    def write(self, vals):
        result = super().write(vals)
        if "is_withdrawal" in vals:
            self.env["municipal.complaint"]._recompute_retention_dates(
                Domain("outcome_ids", "in", self.ids)
            )
        return result


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    # Not depending on the company's terms: a change of term recomputes the cases
    # not destroyed yet (_recompute_retention_dates), never the destroyed ones.
    retention_date = fields.Date(
        string="Keep until",
        compute="_compute_retention_date",
        store=True,
        index=True,
        copy=False,
        help="The end of the retention term of a closed case (Selectielijst "
        "gemeenten): after this day its personal data is put on the destruction "
        "list.",
    )

    @api.depends("closed_date", "handling", "ombudsman_date", "outcome_ids")
    def _compute_retention_date(self):
        for complaint in self:
            if not complaint.closed_date:
                complaint.retention_date = False
                continue
            complaint.retention_date = complaint.closed_date + relativedelta(
                years=complaint._get_retention_years()
            )

    def _get_retention_years(self):
        """The term of this closed case: the Nationale ombudsman's involvement keeps
        it longest, a complaint not handled or withdrawn shortest."""
        self.ensure_one()
        company = self.company_id
        if self.ombudsman_date:
            return company.complaint_retention_ombudsman_years
        if self.handling == "not_handled" or any(
            self.outcome_ids.mapped("is_withdrawal")
        ):
            return company.complaint_retention_short_years
        return company.complaint_retention_years

    @api.model
    def _recompute_retention_dates(self, domain):
        """Recompute the retention date of the closed cases matching ``domain`` that
        are not destroyed yet: a destroyed case keeps the date it was destroyed
        under."""
        complaints = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                Domain(domain)
                & Domain("closed_date", "!=", False)
                & Domain("anonymised_date", "=", False)
            )
        )
        if complaints:
            self.env.add_to_compute(self._fields["retention_date"], complaints)

    def message_post(self, **kwargs):
        """Nothing is added to a case whose personal data was destroyed."""
        self._check_not_anonymised()
        return super().message_post(**kwargs)

    # ------------------------------------------------------------------ anonymise
    def _get_anonymised_values(self):
        """What the lifecycle's ``_anonymise`` writes on this case: each text that
        held something says it was removed (a required subject, an informal
        resolution need one), the links to people and the story are emptied."""
        self.ensure_one()
        removed = self.env._("Removed after the retention term")
        values = dict.fromkeys(ANONYMISED_EMPTY_FIELDS, False)
        for name in ANONYMISED_TEXT_FIELDS:
            if not self[name]:
                values[name] = False
            elif self._fields[name].type == "html":
                values[name] = Markup("<p>%s</p>") % removed
            else:
                values[name] = removed
        return values

    def _remove_personal_records(self):
        """Remove what surrounds these (sudo-ed) cases and holds personal data: the
        messages with their tracking values, notifications and mails, scheduled
        messages, activities, followers, attachments (their files leave the
        filestore with Odoo's garbage collection), and the step dialogs still open
        on them."""
        model, ids = self._name, self.ids
        env = self.env
        # changes tracked earlier in this transaction would be posted at commit, with
        # the values just blanked
        self._track_discard()
        pending = env.cr.precommit.data
        for id_ in ids:
            pending.pop(f"mail.tracking.create.{model}.{id_}", None)
        for id_ in ids:
            pending.get(f"mail.tracking.message.{model}", {}).pop(id_, None)
        thread = Domain("model", "=", model) & Domain("res_id", "in", ids)
        scheduled = env["mail.scheduled.message"].search(thread)
        scheduled.attachment_ids.unlink()
        scheduled.unlink()
        env["mail.mail"].search(thread).unlink()
        # tracking values, notifications, reactions and mails go with their message
        env["mail.message"].search(thread).unlink()
        document = Domain("res_model", "=", model) & Domain("res_id", "in", ids)
        env["mail.activity"].with_context(active_test=False).search(document).unlink()
        env["mail.followers"].search(document).unlink()
        # the binary-field attachments too: a search without res_field hides them
        env["ir.attachment"].search(
            document
            & (Domain("res_field", "=", False) | Domain("res_field", "!=", False))
        ).unlink()
        self._unlink_transient_records("municipal.complaint", ids)

    @api.model
    def _unlink_transient_records(self, comodel, ids):
        """Remove the dialogs (transient records) that point to these records: they
        keep copies of what was typed (a closing's findings, a message draft) until
        Odoo's vacuum."""
        for model_name, Model in self.env.registry.items():
            if not Model._transient or model_name == "res.config.settings":
                continue
            links = [
                field.name
                for field in Model._fields.values()
                if field.type == "many2one"
                and field.comodel_name == comodel
                and field.store
            ]
            if links:
                self.env[model_name].sudo().search(
                    Domain.OR(Domain(name, "in", ids) for name in links)
                ).unlink()
        if comodel == self._name:
            composers = (
                self.env["mail.compose.message"]
                .sudo()
                .search([("model", "=", comodel)])
            )
            composers.filtered(
                lambda composer: set(composer._evaluate_res_ids() or []) & set(ids)
            ).unlink()


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _forget_complainant_contacts(self):
        """Archive and blank the complainant contacts among these (sudo-ed) partners
        whose only use was an anonymised case: no user, no case still kept, and no
        reference from any other record (``_is_used_outside_complaints``)."""
        Complaint = (
            self.env["municipal.complaint"].sudo().with_context(active_test=False)
        )
        contacts = (
            self.sudo()
            .with_context(active_test=False)
            .filtered(
                lambda partner: (
                    partner.is_complainant_contact
                    and not partner.user_ids
                    and not partner.is_company
                    and not partner.child_ids
                )
            )
        )
        if not contacts:
            return self.browse()
        kept = Complaint.search(
            [("partner_id", "in", contacts.ids), ("anonymised_date", "=", False)]
        ).partner_id
        contacts -= kept
        contacts -= contacts._is_used_outside_complaints()
        if not contacts:
            return contacts
        values = dict.fromkeys(CONTACT_EMPTY_FIELDS, False)
        values.update(
            name=self.env._("Anonymised complainant"),
            active=False,
        )
        contacts.with_context(tracking_disable=True, mail_notrack=True).write(values)
        # what the contact's own chatter and files kept (its tracked e-mail, ...)
        thread = Domain("model", "=", "res.partner") & Domain(
            "res_id", "in", contacts.ids
        )
        self.env["mail.message"].sudo().search(thread).unlink()
        document = Domain("res_model", "=", "res.partner") & Domain(
            "res_id", "in", contacts.ids
        )
        self.env["mail.followers"].sudo().search(document).unlink()
        self.env["ir.attachment"].sudo().search(document).unlink()
        self.env["municipal.complaint"]._unlink_transient_records(
            "res.partner", contacts.ids
        )
        return contacts

    def _is_used_outside_complaints(self):
        """The partners among these that another record still refers to: any
        foreign key to res_partner in the database (another addon's document, a
        message elsewhere, a following elsewhere), other than the partner's own row,
        its tags, the log of who read it and the dialogs that Odoo vacuums."""
        ignored = {
            self._table,
            self._fields["category_id"].relation,
            self.env["municipal.complaint.access.log"]._table,
        }
        for Model in self.env.registry.values():
            if Model._transient:
                ignored.add(Model._table)
                ignored.update(
                    field.relation
                    for field in Model._fields.values()
                    if field.type == "many2many" and field.store
                )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT cl.relname, att.attname
                  FROM pg_constraint con
                  JOIN pg_class cl ON cl.oid = con.conrelid
                  JOIN pg_attribute att
                    ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
                 WHERE con.contype = 'f'
                   AND con.confrelid = %s::regclass
                   AND array_length(con.conkey, 1) = 1
                """,
                self._table,
            )
        )
        used = set()
        for table, column in rows:
            if table in ignored:
                continue
            remaining = set(self.ids) - used
            if not remaining:
                break
            found = self.env.execute_query(
                SQL(
                    "SELECT DISTINCT %s FROM %s WHERE %s = ANY(%s)",
                    SQL.identifier(column),
                    SQL.identifier(table),
                    SQL.identifier(column),
                    list(remaining),
                )
            )
            used.update(row[0] for row in found)
        return self.browse(used)


def _check_cases_not_anonymised(
    records, vals_list, model_field="res_model", id_field="res_id"
):
    """Refuse new records (files, followers, activities, messages) attached to an
    anonymised case: what is left of it after its retention term changes no more,
    whoever asks, through whichever model. ``vals_list``: the values the records
    were created from (taken before the create): what they name is read from them,
    the rest from the records."""
    complaint_ids = set()
    for record, (model, res_id) in zip(records, vals_list, strict=True):
        if model is None:
            model, res_id = record.sudo()[model_field], record.sudo()[id_field]
        if model == "municipal.complaint" and res_id:
            complaint_ids.add(res_id)
    if complaint_ids:
        records.env["municipal.complaint"].sudo().browse(
            complaint_ids
        )._check_not_anonymised()


def _named_records(vals_list, model_field="res_model", id_field="res_id"):
    """The (model, id) each of ``vals_list`` names, or (None, None) where it does
    not name both (a default from the context may fill one in: then the record
    made is read)."""
    return [
        (vals[model_field], vals[id_field])
        if vals.get(model_field) and vals.get(id_field)
        else (None, None)
        for vals in vals_list
    ]


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        named = _named_records(vals_list)
        attachments = super().create(vals_list)
        _check_cases_not_anonymised(attachments, named)
        return attachments


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model_create_multi
    def create(self, vals_list):
        named = _named_records(vals_list)
        followers = super().create(vals_list)
        _check_cases_not_anonymised(followers, named)
        return followers


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model_create_multi
    def create(self, vals_list):
        # res_model follows res_model_id: read it from the activities made
        named = [(None, None)] * len(vals_list)
        activities = super().create(vals_list)
        _check_cases_not_anonymised(activities, named)
        return activities


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        named = _named_records(vals_list, "model", "res_id")
        messages = super().create(vals_list)
        _check_cases_not_anonymised(messages, named, "model", "res_id")
        return messages
