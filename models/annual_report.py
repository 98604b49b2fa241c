import base64
import csv
import io
import json

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

from .complaint_figures import (
    CHANNEL_GROUP_KEYS,
    HANDLING_KEYS,
    JUDGMENT_KEYS,
    TERM_KEYS,
)

REPORT_STATES = [
    ("draft", "Draft"),
    ("published", "Published"),
]

# Fields a published report still accepts: the chatter and activities live beside the
# report, they do not change what was published.
HARMLESS_PREFIXES = ("message_", "activity_")
HARMLESS_FIELDS = {"website_message_ids"}

DEFAULT_INTRODUCTION = Markup(
    "<p>Wij vinden het belangrijk dat mensen tevreden zijn over onze dienstverlening. "
    "Als het toch niet loopt zoals verwacht, dan horen wij dat graag, zodat wij samen "
    "naar een oplossing kunnen zoeken. Soms vermelden mensen niet letterlijk dat het "
    "gaat om een klacht; daarom zijn we ook alert op andere signalen die aangeven dat "
    "iemand niet tevreden is. We stellen in beginsel geen formele eisen aan het "
    "indienen van een klacht en zijn duidelijk over de afhandeling daarvan.</p>"
    "<p>We registreren alle klachten en meldingen die wij krijgen. Zo wordt duidelijk "
    "wat er beter kan in onze organisatie. Als blijkt dat de klacht niet over de "
    "Dienst gaat, zorgen we ervoor dat iemand bij de juiste persoon of instantie "
    "terechtkomt. Indien nodig bemiddelen we in het zoeken naar een oplossing.</p>"
)

DEFAULT_OUTLOOK = Markup(
    "<p>Ook het komende jaar willen we in contact blijven met onze inwoners en leren "
    "van wat zij ons vertellen. Daarbij houden we vast aan vier doelen:</p>"
    "<ul>"
    "<li><strong>Herken een klacht.</strong> We zijn alert in het herkennen van een "
    "klacht, ook als deze niet specifiek als klacht wordt benoemd.</li>"
    "<li><strong>Dien een klacht eenvoudig in.</strong> Mensen moeten "
    "eenvoudig hun klacht kunnen blijven indienen; we maken het niet "
    "ingewikkeld met formele procedures.</li>"
    "<li><strong>Voorkom klachten.</strong> Het liefst voorkomen we klachten. Daarom "
    "zoeken we actief naar knelpunten in onze organisatie: wat gaat er minder goed en "
    "waarover krijgen we vragen of opmerkingen?</li>"
    "<li><strong>Leer van klachten.</strong> Door klachten te registreren en erover te "
    "spreken, leren we waar we het beter kunnen doen.</li>"
    "</ul>"
)


class MunicipalComplaintAnnualReport(models.Model):
    """The annual report (jaarverslag, Awb 9:12a) of one year and one company.

    A draft reads the register live; publishing freezes everything the report shows
    (figures, previous year, categories, stories, improvement points) as JSON on the
    record, so a published report never changes, even when cases are later edited or
    anonymised. A published report is never edited: a coordinator makes a new version.
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
        help="The language the report is printed in.",
    )

    # the texts the coordinator writes
    introduction = fields.Html(default=DEFAULT_INTRODUCTION)
    ombudsman_text = fields.Html(
        string="Nationale ombudsman",
        help="What the Nationale ombudsman found and advised, and what the Dienst did "
        "with it. The numbers are added from the register.",
    )
    outlook = fields.Html(
        default=DEFAULT_OUTLOOK, help="Vooruitblik: the goals for the coming year."
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

    @api.depends_context("lang")
    @api.depends("state", "year", "company_id", "frozen_data")
    def _compute_figures_preview(self):
        for report in self:
            if not report.year or not report.company_id:
                report.figures_preview = False
                continue
            # what will be printed, in the language it will be printed in
            env = report.with_context(lang=report.lang or self.env.lang).env
            values = env["report.municipal_complaint.report_annual"]._prepare_report(
                report
            )
            report.figures_preview = env["ir.qweb"]._render(
                "municipal_complaint.annual_report_figures_preview", {"r": values}
            )

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
        changed = {name for name in vals if not self._is_harmless_field(name)}
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
            data = report._collect_report_data()
            report.write(
                {
                    "frozen_data": data,
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
        self.ensure_one()
        return self.env.ref("municipal_complaint.action_report_annual").report_action(
            self
        )

    def action_export_csv(self):
        return self._export_action("csv")

    def action_export_json(self):
        return self._export_action("json")

    # ------------------------------------------------------------------ data

    def _collect_report_data(self):
        """Everything the report shows, read live from the register
        (a draft), as JSON-able data."""
        self.ensure_one()
        report = self.with_context(lang=self.lang or self.env.lang)
        Complaint = self.env["municipal.complaint"]
        company = self.company_id
        previous = self._get_previous_year_data()
        categories = (
            report.env["municipal.complaint.category"]
            .with_context(active_test=False)
            .search(
                ["|", ("company_id", "=", company.id), ("company_id", "=", False)],
                order="sequence, name, id",
            )
        )
        figures = Complaint._get_annual_figures(self.year, company)
        used_codes = set(figures["by_category"]) | set(
            (previous or {}).get("figures", {}).get("by_category", {})
        )
        stories = self.story_ids.filtered("is_story").sorted(
            lambda c: (c.received_date, c.id)
        )
        return {
            "year": self.year,
            "company": company.name,
            "version": self.version,
            "figures": figures,
            "previous": previous,
            "norms": {
                "contact_days": company.complaint_contact_days,
                "term_weeks": company.complaint_term_weeks,
                "postpone_weeks": company.complaint_postpone_weeks,
            },
            # archived categories only when cases of these years still carry them
            "categories": [
                {
                    "code": category.code,
                    "name": category.name,
                    "description": category.description or "",
                    "kind": category.kind,
                }
                for category in categories
                if category.active or category.code in used_codes
            ],
            "stories": [
                {"title": story.story_title or "", "text": story.story_text or ""}
                for story in stories
            ],
            "improvements": [
                {
                    "name": improvement.name,
                    "description": improvement.description or "",
                    "state": improvement.state,
                    "due_date": fields.Date.to_string(improvement.due_date)
                    if improvement.due_date
                    else "",
                    "result": improvement.result or "",
                }
                for improvement in self.improvement_ids.sorted(
                    lambda i: (i.state_sequence, i.id)
                )
            ],
        }

    def _get_report_data(self):
        """What the report shows: frozen when published, live while a draft."""
        self.ensure_one()
        if self.state == "published" and self.frozen_data:
            return self.frozen_data
        return self._collect_report_data()

    def _get_previous_year_data(self):
        """The figures of the year before, for comparison: from its last published
        report when there is one (what was published then), otherwise counted from the
        register; None when the register holds no case of that year."""
        self.ensure_one()
        year = self.year - 1
        published = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("year", "=", year),
                ("state", "=", "published"),
            ],
            order="version desc",
            limit=1,
        )
        if published and published.frozen_data:
            return {
                "year": year,
                "figures": published.frozen_data["figures"],
                "source": "report",
            }
        figures = self.env["municipal.complaint"]._get_annual_figures(
            year, self.company_id
        )
        if not figures["total"]:
            return None
        return {"year": year, "figures": figures, "source": "register"}

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
        """The figures and the stories as JSON (UTF-8
        bytes), for publication and reuse."""
        self.ensure_one()
        data = self._get_report_data()
        payload = {
            "year": data["year"],
            "company": data["company"],
            "version": data["version"],
            "state": self.state,
            "published_date": fields.Datetime.to_string(self.published_date)
            if self.published_date
            else None,
            "figures": data["figures"],
            "previous_year": data["previous"],
            "categories": {
                category["code"]: category["name"] for category in data["categories"]
            },
            "stories": data["stories"],
        }
        return json.dumps(
            payload, ensure_ascii=False, indent=2, sort_keys=False
        ).encode()

    def _export_csv(self):
        """The same figures and stories as CSV: one row per number, then one per story.

        Columns: year, section, key, label, value, text. Every bucket of a breakdown is
        a row, also when it is zero, so the file reads the same every year.
        """
        self.ensure_one()
        data = self._get_report_data()
        labels = (
            self.env["report.municipal_complaint.report_annual"]
            .with_context(lang=self.lang or self.env.lang)
            ._get_labels(data)
        )
        figures = data["figures"]
        year = data["year"]
        rows = [["year", "section", "key", "label", "value", "text"]]
        for key in (
            "total",
            "referral",
            "service",
            "policy",
            "proactive",
            "complaints",
        ):
            rows.append([year, "cases", key, labels["cases"][key], figures[key], ""])
        sections = [
            ("by_category", labels["category_codes"]),
            ("by_channel", CHANNEL_GROUP_KEYS),
            ("by_handling", HANDLING_KEYS),
            ("by_judgment", JUDGMENT_KEYS),
            ("by_term", TERM_KEYS),
        ]
        for section, keys in sections:
            keys = list(keys) + [key for key in figures[section] if key not in keys]
            for key in keys:
                label = labels[section].get(key, key)
                rows.append(
                    [year, section, key, label, figures[section].get(key, 0), ""]
                )
        for key in ("ombudsman_received", "ombudsman_submitted"):
            rows.append(
                [year, "ombudsman", key, labels["ombudsman"][key], figures[key], ""]
            )
        for index, story in enumerate(data["stories"], start=1):
            rows.append([year, "stories", index, story["title"], "", story["text"]])
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        return buffer.getvalue().encode()

    def _export_action(self, fmt):
        """Store the export as an attachment of the report and download it.

        A published report's export never changes, so it is
        made once; a draft's is replaced.
        """
        self.ensure_one()
        content = self._export_json() if fmt == "json" else self._export_csv()
        filename = f"{self._export_basename()}.{fmt}"
        Attachment = self.env["ir.attachment"]
        existing = Attachment.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("name", "=", filename),
            ],
            limit=1,
        )
        if existing and self.state == "published":
            attachment = existing
        else:
            existing.unlink()
            attachment = Attachment.create(
                {
                    "name": filename,
                    "res_model": self._name,
                    "res_id": self.id,
                    "datas": base64.b64encode(content),
                    "mimetype": "application/json" if fmt == "json" else "text/csv",
                }
            )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
