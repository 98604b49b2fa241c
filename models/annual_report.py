import base64

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

REPORT_STATES = [
    ("draft", "Draft"),
    ("published", "Published"),
]

# The model that prepares what the report shows (its presenter).
PRESENTER = "report.municipal_complaint.report_annual"
EXPORT_MIMETYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "pdf": "application/pdf",
    "html": "text/html",
}

# Fields a published report still accepts: the chatter and activities live beside the
# report, they do not change what was published.
HARMLESS_PREFIXES = ("message_", "activity_")
HARMLESS_FIELDS = {"website_message_ids"}

# What a published report is: written by publishing only (action_publish), never by a
# create or write of a user, a coordinator or a JSON-RPC call.
PUBLICATION_FIELDS = frozenset(
    {
        "state",
        "frozen_data",
        "published_date",
        "published_user_id",
        "export_attachment_ids",
    }
)
# The mark of publishing's own write, compared by identity: a client controls the
# whole context of its call, but can only send JSON values, never this object.
_PUBLISHING = object()
PUBLISHING_KEY = "municipal_complaint_annual_report_publishing"


class MunicipalComplaintAnnualReport(models.Model):
    """The annual report (jaarverslag, Awb 9:12a) of one year and one company.

    This model stores: the coordinator's texts and choices, the state and, once
    published, the frozen data. What the report shows is prepared by its presenter,
    ``report.municipal_complaint.report_annual``, which this model calls and which
    never calls back. A draft reads the register live; publishing freezes everything
    the report shows (figures, previous year, categories, stories, improvement points)
    as JSON on the record, so a published report never changes, even when cases are
    later edited or anonymised. A published report is never edited: a coordinator
    makes a new version. Only publishing writes the state and the frozen data.
    """

    _name = "municipal.complaint.annual.report"
    _description = "Complaint annual report"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "year desc, company_id, version desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    year = fields.Integer(
        required=True,
        tracking=True,
        aggregator=False,
        default=lambda self: fields.Date.context_today(self).year - 1,
        help="The reporting year: the cases received in this year are counted.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    version = fields.Integer(
        default=1, required=True, readonly=True, copy=False, aggregator=False
    )
    origin_id = fields.Many2one(
        "municipal.complaint.annual.report",
        string="Previous version",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    state = fields.Selection(
        REPORT_STATES,
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
    )
    published_date = fields.Datetime(string="Published on", readonly=True, copy=False)
    published_user_id = fields.Many2one(
        "res.users", string="Published by", readonly=True, copy=False
    )
    lang = fields.Selection(
        "_lang_get",
        string="Language",
        default=lambda self: self.env.company.partner_id.lang or self.env.lang,
        help="The language the report is printed in.",
    )

    # the texts the coordinator writes
    introduction = fields.Html(
        compute="_compute_default_texts",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
    )
    ombudsman_text = fields.Html(
        string="Nationale ombudsman",
        help="What the Nationale ombudsman found and advised, and what the Dienst did "
        "with it. The numbers are added from the register.",
    )
    outlook = fields.Html(
        compute="_compute_default_texts",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
        help="Vooruitblik: the goals for the coming year.",
    )

    # what the report tells
    story_ids = fields.Many2many(
        "municipal.complaint",
        "municipal_complaint_annual_report_story_rel",
        "report_id",
        "complaint_id",
        string="Stories",
        domain="[('is_story', '=', True), ('received_year', '=', year), "
        "('company_id', '=', company_id)]",
        help="Cases of the year marked as a story (verhaal); only "
        "their anonymised story is printed.",
    )
    improvement_ids = fields.Many2many(
        "municipal.complaint.improvement",
        "municipal_complaint_annual_report_improvement_rel",
        "report_id",
        "improvement_id",
        string="Improvement points",
        domain="[('year', '=', year), ('company_id', '=', company_id)]",
    )

    # frozen at publication: everything the PDF and the exports show
    frozen_data = fields.Json(readonly=True, copy=False)
    # the exports made of this version (CSV, JSON, PDF): kept once published, and
    # the only files handed out as the report (models/annual_report_files.py)
    export_attachment_ids = fields.Many2many(
        "ir.attachment",
        "municipal_complaint_annual_report_export_rel",
        "report_id",
        "attachment_id",
        string="Exports",
        readonly=True,
        copy=False,
    )
    figures_preview = fields.Html(compute="_compute_figures_preview", sanitize=False)

    _version_uniq = models.UniqueIndex(
        "(company_id, year, version)",
        lambda env, diag: env._("This version of the annual report already exists."),
    )
    _one_draft_per_year = models.UniqueIndex(
        "(company_id, year) WHERE state = 'draft'",
        lambda env, diag: env._(
            "There already is a draft annual report for this year."
        ),
    )

    @api.model
    def _lang_get(self):
        return self.env["res.lang"].get_installed()

    @api.depends("year", "version", "lang")
    def _compute_name(self):
        """The title, in the report's language (it is the PDF's file name too)."""
        for report in self:
            env = report.with_context(lang=report.lang or self.env.lang).env
            name = env._("Complaint annual report %(year)s", year=report.year)
            if report.version > 1:
                name = env._(
                    "%(name)s (version %(version)s)", name=name, version=report.version
                )
            report.name = name

    @api.depends("lang")
    def _compute_default_texts(self):
        """A new report starts from the default introduction and outlook in its
        language; they follow a change of language until the coordinator edits them."""
        defaults = {
            lang: self._presenter(lang)._get_default_texts()
            for lang, _name in self._lang_get()
        }
        for report in self:
            lang = report.lang or self.env.lang
            texts = defaults.get(lang) or self._presenter(lang)._get_default_texts()
            for name in ("introduction", "outlook"):
                field = self._fields[name]
                untouched = {
                    field.convert_to_cache(default[name], report)
                    for default in defaults.values()
                }
                if is_html_empty(report[name]) or report[name] in untouched:
                    report[name] = texts[name]

    @api.depends_context("lang")
    @api.depends("state", "year", "company_id", "lang", "frozen_data")
    def _compute_figures_preview(self):
        for report in self:
            if not report.year or not report.company_id:
                report.figures_preview = False
                continue
            # what will be printed, in the language it will be printed in
            report.figures_preview = report._presenter()._render_preview(report)

    @api.constrains("year")
    def _check_year(self):
        for report in self:
            if not 1990 <= report.year <= fields.Date.context_today(report).year:
                raise ValidationError(
                    self.env._(
                        "The year %(year)s cannot be reported on.", year=report.year
                    )
                )

    @api.onchange("year", "company_id")
    def _onchange_year_company(self):
        """A draft tells the stories and improvement points of its own year."""
        if (
            self.state != "draft"
            or not self.company_id
            or not 1990 <= self.year <= 9999
        ):
            return
        self.story_ids = self._default_stories(self.year, self.company_id)
        self.improvement_ids = self._default_improvements(self.year, self.company_id)
        if is_html_empty(self.ombudsman_text):
            self.ombudsman_text = self._default_ombudsman_text(
                self.year, self.company_id
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_publication_fields(vals_list)
        for vals in vals_list:
            company = (
                self.env["res.company"].browse(vals.get("company_id"))
                or self.env.company
            )
            year = int(vals.get("year") or self.default_get(["year"])["year"])
            vals.setdefault("lang", company.partner_id.lang or self.env.lang or "en_US")
            if "version" not in vals:
                # a year that was published already gets its next version
                last = self.search(
                    [("company_id", "=", company.id), ("year", "=", year)],
                    order="version desc",
                    limit=1,
                )
                vals["version"] = last.version + 1
            if "story_ids" not in vals:
                vals["story_ids"] = [
                    fields.Command.set(self._default_stories(year, company).ids)
                ]
            if "improvement_ids" not in vals:
                vals["improvement_ids"] = [
                    fields.Command.set(self._default_improvements(year, company).ids)
                ]
            if "ombudsman_text" not in vals:
                vals["ombudsman_text"] = self._default_ombudsman_text(year, company)
        # the one-draft-per-year index is checked by
        # PostgreSQL: it must see published states
        self.flush_model(["state"])
        return super().create(vals_list)

    def write(self, vals):
        self._check_publication_fields([vals])
        changed = {name for name in vals if not self._is_harmless_field(name)}
        if self._is_publishing():
            # publishing, and the first exports of a published version
            changed -= PUBLICATION_FIELDS
        if changed and any(report.state == "published" for report in self):
            raise UserError(
                self.env._(
                    "A published annual report cannot be changed. "
                    "Make a new version of it instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_published(self):
        if any(report.state == "published" for report in self):
            raise UserError(self.env._("A published annual report cannot be deleted."))

    def action_publish(self):
        """Freeze what the report shows and publish it."""
        for report in self:
            if report.state != "draft":
                raise UserError(
                    self.env._("Only a draft annual report can be published.")
                )
            data = report._presenter()._collect_data(report)
            report.with_context(**{PUBLISHING_KEY: _PUBLISHING}).write(
                {
                    "frozen_data": data,
                    # the draft's files stay in the chatter's attachments, but the
                    # published version hands out files made of the frozen data
                    "export_attachment_ids": [fields.Command.clear()],
                    "state": "published",
                    "published_date": fields.Datetime.now(),
                    "published_user_id": self.env.uid,
                }
            )
            report.message_post(
                body=self.env._(
                    "Annual report %(year)s published: %(total)s "
                    "cases, %(complaints)s complaints.",
                    year=report.year,
                    total=data["figures"]["total"],
                    complaints=data["figures"]["complaints"],
                )
            )
        return True

    def action_new_version(self):
        """Copy a published report as the next draft version of the same year."""
        self.ensure_one()
        if self.state != "published":
            raise UserError(
                self.env._("Only a published annual report gets a new version.")
            )
        draft = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("year", "=", self.year),
                ("state", "=", "draft"),
            ],
            limit=1,
        )
        if draft:
            raise UserError(
                self.env._(
                    "There already is a draft of the annual report %(year)s: %(name)s.",
                    year=self.year,
                    name=draft.display_name,
                )
            )
        # copy() carries the texts, language, stories and improvement points; create()
        # numbers the version after the year's last one
        new = self.copy({"origin_id": self.id})
        new.message_post(
            body=self.env._("New version of %(name)s.", name=self.display_name)
        )
        return new._get_form_action()

    @api.model
    def _get_or_create_for_year(self, year, company):
        """The report to work on for ``year``: its draft, else its last
        published version, else a new draft."""
        domain = [("company_id", "=", company.id), ("year", "=", year)]
        report = self.search(
            domain + [("state", "=", "draft")], limit=1
        ) or self.search(
            domain + [("state", "=", "published")], order="version desc", limit=1
        )
        return report or self.create({"year": year, "company_id": company.id})

    def action_print(self):
        """The PDF, made on the server: a failing PDF engine is reported before
        anything is downloaded (``complaint_letter_pdf``)."""
        return self._export_action("pdf")

    def action_export_csv(self):
        return self._export_action("csv")

    def action_export_json(self):
        return self._export_action("json")

    # ------------------------------------------------------------------ data

    def _presenter(self, lang=None):
        """The report model that prepares what this report shows, in ``lang`` (default:
        the report's language)."""
        lang = lang or (len(self) == 1 and self.lang) or self.env.lang
        return self.env[PRESENTER].with_context(lang=lang)

    def _get_report_data(self):
        """What the report shows: frozen when published, live while a draft."""
        self.ensure_one()
        return self._presenter()._get_data(self)

    @api.model
    def _default_stories(self, year, company):
        return self.env["municipal.complaint"].search(
            [
                ("is_story", "=", True),
                ("received_year", "=", year),
                ("company_id", "=", company.id),
            ],
            order="received_date, id",
        )

    @api.model
    def _default_improvements(self, year, company):
        return self.env["municipal.complaint.improvement"].search(
            [("year", "=", year), ("company_id", "=", company.id)]
        )

    @api.model
    def _default_ombudsman_text(self, year, company):
        """A first draft of the paragraph: what the Nationale ombudsman advised on
        the cases it received in the year (those its numbers count) and what the
        Dienst did with it (the coordinator checks it for personal data before
        publishing). The explanation and the numbers are printed from the register."""
        Complaint = self.env["municipal.complaint"]
        escalated = Complaint.search(
            Complaint._annual_ombudsman_domain(year, company),
            order="ombudsman_date, id",
        )
        paragraphs = []
        for complaint in escalated:
            texts = [
                text
                for text in (complaint.ombudsman_advice, complaint.ombudsman_followup)
                if text
            ]
            if texts:
                paragraphs.append(Markup("<p>%s</p>") % " ".join(texts))
        return Markup("").join(paragraphs) or False

    def _is_harmless_field(self, name):
        return name in HARMLESS_FIELDS or name.startswith(HARMLESS_PREFIXES)

    @api.model
    def _check_publication_fields(self, vals_list):
        """Only publishing writes what a published report is: its state, frozen data
        and publication; a client cannot send the mark of publishing's write."""
        if self._is_publishing():
            return
        if any(PUBLICATION_FIELDS.intersection(vals) for vals in vals_list):
            raise UserError(
                self.env._(
                    "The state and the frozen data of an annual report are set by "
                    "publishing it, not by hand."
                )
            )

    def _is_publishing(self):
        return self.env.context.get(PUBLISHING_KEY) is _PUBLISHING

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "current",
        }

    # ------------------------------------------------------------------ exports

    def _export_basename(self):
        self.ensure_one()
        name = self.env._(
            "complaint-annual-report-%(year)s-v%(version)s",
            year=self.year,
            version=self.version,
        )
        if self.state == "draft":
            name = self.env._("%(name)s-draft", name=name)
        return name

    def _export_json(self):
        self.ensure_one()
        return self._presenter()._render_json(self)

    def _export_csv(self):
        self.ensure_one()
        return self._presenter()._render_csv(self)

    def _export_pdf(self):
        """The PDF and its format (``html`` in tests, like Odoo's own renders)."""
        self.ensure_one()
        return self.env["ir.actions.report"]._render_qweb_pdf(
            "municipal_complaint.action_report_annual", self.ids
        )

    def _export_action(self, fmt):
        """Store the export as an attachment of the report and download it.

        A published report's export never changes, so it is made once and kept (the
        attachment cannot be changed or deleted: ``annual_report_files.py``); a
        draft's is replaced. Only the files the report itself made are handed out,
        never another attachment of the same name.
        """
        self.ensure_one()
        # the PDF is HTML where Odoo renders no PDF (tests)
        extensions = ("pdf", "html") if fmt == "pdf" else (fmt,)
        existing = self.export_attachment_ids.filtered(
            lambda attachment: attachment.name.rpartition(".")[2] in extensions
        )[:1]
        if not (existing and self.state == "published"):
            if fmt == "pdf":
                content, fmt = self._export_pdf()
            else:
                content = self._export_json() if fmt == "json" else self._export_csv()
            made = self.env["ir.attachment"].create(
                {
                    "name": f"{self._export_basename()}.{fmt}",
                    "res_model": self._name,
                    "res_id": self.id,
                    "datas": base64.b64encode(content),
                    "mimetype": EXPORT_MIMETYPES[fmt],
                }
            )
            self.with_context(**{PUBLISHING_KEY: _PUBLISHING}).write(
                {
                    "export_attachment_ids": [
                        fields.Command.unlink(old.id) for old in existing
                    ]
                    + [fields.Command.link(made.id)]
                }
            )
            existing.unlink()
            existing = made
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{existing.id}?download=true",
            "target": "self",
        }
