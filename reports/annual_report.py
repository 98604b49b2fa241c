import csv
import io
import json

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date, formatLang, html_sanitize, is_html_empty
from odoo.tools.translate import LazyTranslate

from odoo.addons.base.models.ir_actions_report import _wkhtml

from ..models.complaint_figures import (
    CHANNEL_GROUP_KEYS,
    HANDLING_KEYS,
    JUDGMENT_KEYS,
    TERM_KEYS,
)
from ..models.complaint_recognition import RECOGNITION_KEYS

_lt = LazyTranslate(__name__)

# Debian's wkhtmltopdf (unpatched Qt) always shrinks the page to fit: a CSS px prints
# at about 0.7 of its size. The PDF zooms the report back so that its sizes print as
# written.
UNPATCHED_QT_ZOOM = 1.42

# Every sentence of the report that tells a count, by the key of the count it tells:
# its singular and its plural text, the count written as %(count)s (and the year as
# %(year)s where the sentence names it). _count_sentence() picks by the count.
COUNT_SENTENCES = {
    "advisory_committee": (
        _lt("%(count)s complaint was heard by an advisory committee."),
        _lt("%(count)s complaints were heard by an advisory committee."),
    ),
    "recognised": (
        _lt(
            "%(count)s complaint was recognised although the complainant did not "
            "call it one (Herken een klacht)."
        ),
        _lt(
            "%(count)s complaints were recognised although the complainants did not "
            "call them one (Herken een klacht)."
        ),
    ),
    # the figures
    "total": (
        _lt("In %(year)s the complaint coordinator handled %(count)s case."),
        _lt("In %(year)s the complaint coordinator handled %(count)s cases."),
    ),
    "referral": (
        _lt(
            "In %(count)s case it concerned referral to or "
            "mediation with a (contract) partner."
        ),
        _lt(
            "In %(count)s cases it concerned referral to or "
            "mediation with (contract) partners."
        ),
    ),
    "service": (
        _lt("%(count)s case was about the Dienst itself."),
        _lt("%(count)s cases were about the Dienst itself."),
    ),
    "policy": (
        _lt("%(count)s of these was about policy: the policy was explained."),
        _lt("%(count)s of these were about policy: the policy was explained."),
    ),
    "proactive": (
        _lt(
            "In %(count)s case the complaint coordinator "
            "contacted a client proactively."
        ),
        _lt(
            "In %(count)s cases the complaint coordinator "
            "contacted a client proactively."
        ),
    ),
    "complaints": (
        _lt("The remaining %(count)s real complaint is broken down below."),
        _lt("The remaining %(count)s real complaints are broken down below."),
    ),
    # how the real complaints were handled (with %(judgments)s for the formal ones)
    "informal": (
        _lt("We handled %(count)s complaint informally."),
        _lt("We handled %(count)s complaints informally."),
    ),
    "formal": (
        _lt("%(count)s complaint was handled formally: %(judgments)s."),
        _lt("%(count)s complaints were handled formally: %(judgments)s."),
    ),
    "not_handled": (
        _lt("%(count)s complaint was not handled, on one of the grounds of Awb 9:8."),
        _lt("%(count)s complaints were not handled, on one of the grounds of Awb 9:8."),
    ),
    # how they did against the legal term (Awb 9:11)
    "within": (
        _lt("We handled %(count)s complaint within the legal term."),
        _lt("We handled %(count)s complaints within the legal term."),
    ),
    "ombudsman": (
        _lt(
            "In consultation with the complainant, %(count)s complaint was "
            "brought to the attention of the Nationale ombudsman and could "
            "therefore not be handled within the term."
        ),
        _lt(
            "In consultation with the complainants, %(count)s complaints were "
            "brought to the attention of the Nationale ombudsman and could "
            "therefore not be handled within the term."
        ),
    ),
    "mediation": (
        _lt(
            "In %(count)s case a mediation is under way, with which we "
            "hope to reach a solution together."
        ),
        _lt(
            "In %(count)s cases a mediation is under way, with which we "
            "hope to reach a solution together."
        ),
    ),
    "late": (
        _lt("%(count)s complaint was handled after the legal term."),
        _lt("%(count)s complaints were handled after the legal term."),
    ),
    "open": (
        _lt("%(count)s complaint is still open, within its term."),
        _lt("%(count)s complaints are still open, within their term."),
    ),
    # the Nationale ombudsman, by the year it received the case
    "ombudsman_received": (
        _lt(
            "In %(year)s the Nationale ombudsman received "
            "%(count)s complaint about the Dienst."
        ),
        _lt(
            "In %(year)s the Nationale ombudsman received "
            "%(count)s complaints about the Dienst."
        ),
    ),
    "ombudsman_submitted": (
        _lt(
            "In %(year)s, in consultation with the complainant, the Dienst "
            "submitted %(count)s case to the Nationale ombudsman for investigation."
        ),
        _lt(
            "In %(year)s, in consultation with the complainants, the Dienst "
            "submitted %(count)s cases to the Nationale ombudsman for investigation."
        ),
    ),
}

# The order of the term sentences after "within the legal term".
TERM_SENTENCE_KEYS = ("ombudsman", "mediation", "late", "open")

# A new report's introduction and outlook, paragraph by paragraph, in the report's
# language; the coordinator edits them from there.
DEFAULT_INTRODUCTION = (
    _lt(
        "We find it important that people are satisfied with our services. If "
        "things do not go as expected, we would like to hear about it, so that we "
        "can look for a solution together. Sometimes people do not say in so many "
        "words that they have a complaint; that is why we also watch for other "
        "signs that someone is not satisfied. In principle we set no formal "
        "requirements for filing a complaint, and we are clear about how it is "
        "handled."
    ),
    _lt(
        "We register every complaint and report we receive. That shows what our "
        "organisation can do better. When a complaint turns out not to be about "
        "the Dienst, we make sure that the person reaches the right person or "
        "organisation. Where needed, we mediate in the search for a solution."
    ),
)
DEFAULT_OUTLOOK = _lt(
    "In the coming year, too, we want to stay in touch with our residents and "
    "learn from what they tell us. We hold on to four goals:"
)
DEFAULT_OUTLOOK_GOALS = (
    (
        _lt("Recognise a complaint."),
        _lt(
            "We are alert in recognising a complaint, also when it is not called "
            "a complaint."
        ),
    ),
    (
        _lt("Keep filing a complaint easy."),
        _lt(
            "People must be able to keep filing their complaint easily; we do not "
            "make it complicated with formal procedures."
        ),
    ),
    (
        _lt("Prevent complaints."),
        _lt(
            "We would rather prevent complaints. That is why we actively look for "
            "bottlenecks in our organisation: what goes less well, and what do we "
            "get questions or remarks about?"
        ),
    ),
    (
        _lt("Learn from complaints."),
        _lt(
            "By registering complaints and talking about them, we learn where we "
            "can do better."
        ),
    ),
)

# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV
# Injection"): the text cells of an export that start so get a leading quote.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ReportMunicipalComplaintAnnual(models.AbstractModel):
    """The presenter of the annual report (jaarverslag, Awb 9:12a).

    It prepares everything the PDF, the form's preview and the exports show, from the
    report's data: the frozen JSON once published, else the register read live. It
    reads the fields of ``municipal.complaint.annual.report`` and never calls its
    methods; that model stores (texts, choices, state, frozen data) and calls this
    one. Every number comes from ``municipal.complaint._get_annual_figures``; this
    model only labels, orders and phrases them, in the language of its context (the
    report's, see :meth:`_for_report`).
    """

    _name = "report.municipal_complaint.report_annual"
    _description = "Complaint annual report (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["municipal.complaint.annual.report"].browse(docids)
        zoom = 1
        if (data or {}).get("report_type") == "pdf" and not _wkhtml().is_patched_qt:
            zoom = UNPATCHED_QT_ZOOM
        return {
            "doc_ids": docs.ids,
            "doc_model": docs._name,
            "docs": docs,
            "report_values": {
                doc.id: dict(self._for_report(doc)._prepare_report(doc), zoom=zoom)
                for doc in docs
            },
        }

    @api.model
    def _for_report(self, report):
        """This presenter in the language ``report`` is printed in."""
        return self.with_context(lang=report.lang or self.env.lang)

    # ------------------------------------------------------------------ data

    @api.model
    def _get_data(self, report):
        """What ``report`` shows: frozen when published, read live while a draft."""
        report.ensure_one()
        if report.state == "published" and report.frozen_data:
            return report.frozen_data
        return self._collect_data(report)

    @api.model
    def _collect_data(self, report):
        """Everything ``report`` shows, read live from the register, as JSON-able
        data: what publishing freezes. HTML texts are sanitized here, so what is
        frozen holds no script or active content."""
        report.ensure_one()
        company = report.company_id
        previous = self._collect_previous_year(report)
        categories = (
            self.env["municipal.complaint.category"]
            .with_context(active_test=False)
            .search(
                ["|", ("company_id", "=", company.id), ("company_id", "=", False)],
                order="sequence, name, id",
            )
        )
        figures = self.env["municipal.complaint"]._get_annual_figures(
            report.year, company
        )
        used_codes = set(figures["by_category"]) | set(
            (previous or {}).get("figures", {}).get("by_category", {})
        )
        stories = report.story_ids.filtered("is_story").sorted(
            lambda c: (c.received_date, c.id)
        )
        return {
            "year": report.year,
            "company": company.name,
            "version": report.version,
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
                    "description": _sanitized(improvement.description),
                    "state": improvement.state,
                    "due_date": fields.Date.to_string(improvement.due_date)
                    if improvement.due_date
                    else "",
                    "result": _sanitized(improvement.result),
                }
                for improvement in report.improvement_ids.sorted(
                    lambda i: (i.state_sequence, i.id)
                )
            ],
        }

    @api.model
    def _collect_previous_year(self, report):
        """The figures of the year before, for comparison: from its last published
        report when there is one (what was published then), otherwise counted from the
        register; None when the register holds no case of that year."""
        year = report.year - 1
        published = self.env["municipal.complaint.annual.report"].search(
            [
                ("company_id", "=", report.company_id.id),
                ("year", "=", year),
                ("state", "=", "published"),
            ],
            order="version desc",
            limit=1,
        )
        if published.frozen_data:
            return {
                "year": year,
                "figures": published.frozen_data["figures"],
                "source": "report",
            }
        figures = self.env["municipal.complaint"]._get_annual_figures(
            year, report.company_id
        )
        if not figures["total"]:
            return None
        return {"year": year, "figures": figures, "source": "register"}

    # ------------------------------------------------------------------ default texts

    @api.model
    def _get_default_texts(self):
        """A new report's introduction and outlook (HTML), in the context's language."""
        env = self.env
        paragraph = Markup("<p>%s</p>")
        goal = Markup("<li><strong>%s</strong> %s</li>")
        return {
            "introduction": Markup("").join(
                paragraph % env._(text) for text in DEFAULT_INTRODUCTION
            ),
            "outlook": paragraph % env._(DEFAULT_OUTLOOK)
            + Markup("<ul>%s</ul>")
            % Markup("").join(
                goal % (env._(title), env._(text))
                for title, text in DEFAULT_OUTLOOK_GOALS
            ),
        }

    # ------------------------------------------------------------------ the PDF

    @api.model
    def _prepare_report(self, report):
        """The values of one report for its templates: its data, labelled tables,
        charts and sentences. Stored HTML is printed sanitized, any other stored text
        escaped (QWeb's ``t-out`` of a plain string)."""
        data = self._get_data(report)
        figures = data["figures"]
        previous = data.get("previous") or None
        labels = self._get_labels(data)
        return {
            "data": data,
            "year": data["year"],
            "company": data["company"],
            "version": data["version"],
            "is_draft": report.state != "published",
            "published_date": (
                format_date(
                    self.env, fields.Datetime.to_datetime(report.published_date).date()
                )
                if report.published_date
                else ""
            ),
            "introduction": _sanitized(report.introduction),
            "outlook": _sanitized(report.outlook),
            "ombudsman_text": _sanitized(report.ombudsman_text),
            "figures": figures,
            "previous": previous,
            "key_figures": self._key_figures(figures),
            "tables": self._tables(figures, previous, labels),
            "figures_sentences": self._figures_sentences(
                data["year"], figures, previous
            ),
            "norms": self._norms(data["norms"]),
            "handling_sentences": self._handling_sentences(
                figures, labels, data["norms"]
            ),
            "categories": [
                {**category, "kind_label": labels["kinds"].get(category["kind"], "")}
                for category in data["categories"]
            ],
            "stories": data["stories"],
            "ombudsman_sentences": self._ombudsman_sentences(data["year"], figures),
            "improvements": [
                {
                    **improvement,
                    # sanitized again: frozen data from before sanitizing at freeze
                    "description": _sanitized(improvement["description"]),
                    "result": _sanitized(improvement["result"]),
                    "state_label": labels["improvement_states"].get(
                        improvement["state"], ""
                    ),
                    "due_date": (
                        format_date(
                            self.env, fields.Date.to_date(improvement["due_date"])
                        )
                        if improvement["due_date"]
                        else ""
                    ),
                }
                for improvement in data["improvements"]
            ],
            "is_html_empty": is_html_empty,
            "fmt": self._fmt,
        }

    @api.model
    def _render_preview(self, report):
        """The figures as the report's form shows them, from the same values as the
        PDF."""
        return self.env["ir.qweb"]._render(
            "municipal_complaint.annual_report_figures_preview",
            {"r": self._prepare_report(report)},
        )

    @api.model
    def _fmt(self, value):
        """A count as the report's language writes it (40.000 in Dutch)."""
        return "" if value is None else formatLang(self.env, value, digits=0)

    @api.model
    def _get_labels(self, data):
        """Labels of every key of the figures dict, in the context's language."""
        Complaint = self.env["municipal.complaint"]

        def selection(model, field):
            return dict(self.env[model]._fields[field]._description_selection(self.env))

        categories = data["categories"]
        return {
            "cases": {
                "total": self.env._("All cases"),
                "referral": self.env._("Referral and mediation (contract partners)"),
                "service": self.env._("Cases for the Dienst"),
                "policy": self.env._("Policy"),
                "proactive": self.env._("Proactive contact"),
                "complaints": self.env._("Real complaints"),
                "advisory_committee": self.env._(
                    "Complaints heard by an advisory committee"
                ),
            },
            "kinds": selection(Complaint._name, "kind"),
            "category_codes": [
                category["code"]
                for category in categories
                if category["kind"] == "complaint"
            ],
            "by_category": {
                category["code"]: category["name"] for category in categories
            },
            "by_channel": {
                "oral": self.env._("Phone or in person"),
                "digital": self.env._("Digital (e-mail, web form, social media)"),
                "letter": self.env._("Letter"),
            },
            "by_handling": selection(Complaint._name, "handling"),
            "by_judgment": selection(Complaint._name, "judgment"),
            "by_term": selection(Complaint._name, "term_outcome"),
            "by_recognition": selection(Complaint._name, "recognition"),
            "ombudsman": {
                "ombudsman_received": self.env._(
                    "Complaints received by the Nationale ombudsman"
                ),
                "ombudsman_submitted": self.env._("Cases submitted by the Dienst"),
            },
            "improvement_states": selection("municipal.complaint.improvement", "state"),
        }

    @api.model
    def _key_figures(self, figures):
        return [
            {"value": figures["total"], "label": self.env._("cases registered")},
            {"value": figures["service"], "label": self.env._("for the Dienst")},
            {"value": figures["complaints"], "label": self.env._("real complaints")},
            {
                "value": figures["by_term"].get("within", 0),
                "label": self.env._("handled within the legal term"),
            },
        ]

    @api.model
    def _tables(self, figures, previous, labels):
        """The breakdowns as rows (label, value, value of the
        previous year), zero rows included."""
        before = previous["figures"] if previous else None

        def rows(section, keys):
            keys = list(keys)
            for source in (figures, before or {}):
                keys += [key for key in source.get(section, {}) if key not in keys]
            return [
                {
                    "label": labels[section].get(key, key),
                    "value": figures.get(section, {}).get(key, 0),
                    "previous": before.get(section, {}).get(key, 0) if before else None,
                }
                for key in keys
            ]

        def total(key):
            return {"value": figures[key], "previous": before[key] if before else None}

        kinds = [
            {
                "label": labels["cases"][key],
                "value": figures[key],
                "previous": before[key] if before else None,
            }
            for key in ("referral", "policy", "proactive", "complaints")
        ]
        tables = [
            {
                "name": "kinds",
                "title": self.env._("All cases by kind"),
                "rows": kinds,
                "total": total("total"),
            },
            {
                "name": "by_category",
                "title": self.env._("Complaints by subject"),
                "rows": rows("by_category", labels["category_codes"]),
                "total": total("complaints"),
            },
            {
                "name": "by_channel",
                "title": self.env._("Complaints by channel"),
                "rows": rows("by_channel", CHANNEL_GROUP_KEYS),
                "total": total("complaints"),
            },
            {
                "name": "by_handling",
                "title": self.env._("Complaints by handling"),
                "rows": rows("by_handling", HANDLING_KEYS),
                "total": None,
            },
            {
                "name": "by_judgment",
                "title": self.env._("Formally handled complaints by judgment"),
                "rows": rows("by_judgment", JUDGMENT_KEYS),
                "total": None,
            },
            {
                "name": "by_term",
                "title": self.env._("Complaints by legal term"),
                "rows": rows("by_term", TERM_KEYS),
                "total": None,
            },
            {
                "name": "by_recognition",
                "title": self.env._("Complaints by how they were recognised"),
                "rows": rows("by_recognition", RECOGNITION_KEYS),
                "total": total("complaints"),
            },
        ]
        if "by_recognition" not in figures:  # published before it was counted
            tables.pop()
        # the share of each row in what the breakdown divides
        bases = {
            "kinds": figures["total"],
            "by_judgment": figures["by_handling"].get("formal", 0),
        }
        for table in tables:
            base = bases.get(table["name"], figures["complaints"])
            for row in table["rows"]:
                row["share"] = round(100 * row["value"] / base) if base else None
            values = [row["value"] for row in table["rows"]]
            values += [row["previous"] or 0 for row in table["rows"]]
            table["max"] = max(values + [1])
        # a judgment table only when something was handled formally
        return [
            table
            for table in tables
            if table["name"] != "by_judgment"
            or any(row["value"] or row["previous"] for row in table["rows"])
        ]

    @api.model
    def _count_sentence(self, key, count, **values):
        """The sentence ``key`` of ``COUNT_SENTENCES`` for ``count``: singular for one,
        plural otherwise, in the context's language."""
        singular, plural = COUNT_SENTENCES[key]
        text = self.env._(singular if count == 1 else plural)
        return text % {**values, "count": self._fmt(count)}

    @api.model
    def _figures_sentences(self, year, figures, previous):
        """The narrative of the figures, one count per sentence."""
        sentences = [
            self._count_sentence(key, figures[key], year=year)
            for key in (
                "total",
                "referral",
                "service",
                "policy",
                "proactive",
                "complaints",
            )
        ]
        if previous:
            before = previous["figures"]
            sentences.append(
                self.env._(
                    "For comparison, %(year)s: %(total)s cases in all, "
                    "%(complaints)s real complaints.",
                    year=previous["year"],
                    total=self._fmt(before["total"]),
                    complaints=self._fmt(before["complaints"]),
                )
            )
        recognition = figures.get("by_recognition", {})
        recognised = recognition.get("staff", 0) + recognition.get("detector", 0)
        if recognised:
            sentences.append(self._count_sentence("recognised", recognised))
        return sentences

    @api.model
    def _norms(self, norms):
        return [
            self.env._(
                "We contact the complainant within %(days)s working days.",
                days=norms["contact_days"],
            ),
            self.env._("We look for an informal solution first."),
            self.env._(
                "We do not handle complaints about policy, but we do explain it."
            ),
            self.env._(
                "Sometimes we contact someone proactively, to "
                "prevent escalation and aggression."
            ),
        ]

    @api.model
    def _handling_sentences(self, figures, labels, norms):
        """How the real complaints were handled and how they
        did against the legal term."""
        handling, term = figures["by_handling"], figures["by_term"]
        judgments = ", ".join(
            f"{self._fmt(count)} {labels['by_judgment'].get(key, key).lower()}"
            for key, count in figures["by_judgment"].items()
        )
        sentences = [
            self._count_sentence(key, handling[key], judgments=judgments)
            for key in HANDLING_KEYS
            if handling.get(key)
        ]
        sentences.append(
            self.env._(
                "The legal term for handling a complaint is %(weeks)s weeks, ten when "
                "an advisory committee hears it (Awb 9:14); in special cases it can "
                "be extended by at most %(extra)s weeks.",
                weeks=norms["term_weeks"],
                extra=norms["postpone_weeks"],
            )
        )
        if figures.get("advisory_committee"):
            sentences.append(
                self._count_sentence(
                    "advisory_committee", figures["advisory_committee"]
                )
            )
        sentences.append(self._count_sentence("within", term.get("within", 0)))
        sentences += [
            self._count_sentence(key, term[key])
            for key in TERM_SENTENCE_KEYS
            if term.get(key)
        ]
        return sentences

    @api.model
    def _ombudsman_sentences(self, year, figures):
        """What the Nationale ombudsman received in the year: the cases are counted
        in the year the ombudsman received them, and the text says so."""
        sentences = [
            self.env._(
                "A complainant who is still dissatisfied after the "
                "(formal) handling of a complaint can complain to the "
                "Nationale ombudsman within one year."
            ),
            self._count_sentence(
                "ombudsman_received", figures["ombudsman_received"], year=year
            ),
        ]
        if figures["ombudsman_submitted"]:
            sentences.append(
                self._count_sentence(
                    "ombudsman_submitted", figures["ombudsman_submitted"], year=year
                )
            )
        sentences.append(
            self.env._(
                "A case counts in the year the Nationale ombudsman received it, "
                "also when the complaint came in earlier."
            )
        )
        return sentences

    # ------------------------------------------------------------------ exports

    @api.model
    def _render_json(self, report):
        """The figures and the stories as JSON (UTF-8 bytes), for publication and
        reuse."""
        data = self._get_data(report)
        payload = {
            "year": data["year"],
            "company": data["company"],
            "version": data["version"],
            "state": report.state,
            "published_date": fields.Datetime.to_string(report.published_date)
            if report.published_date
            else None,
            "figures": data["figures"],
            "previous_year": data["previous"],
            "categories": {
                category["code"]: category["name"] for category in data["categories"]
            },
            "stories": data["stories"],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2).encode()

    @api.model
    def _csv_rows(self, report):
        """The figures and stories as CSV rows: one row per number, then one per story.

        Columns: year, section, key, label, value, text. Every bucket of a breakdown is
        a row, also when it is zero, so the file reads the same every year.
        """
        data = self._get_data(report)
        labels = self._get_labels(data)
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
            ("by_recognition", RECOGNITION_KEYS),
        ]
        for section, keys in sections:
            if section not in figures:  # published before it was counted
                continue
            keys = list(keys) + [key for key in figures[section] if key not in keys]
            for key in keys:
                label = labels[section].get(key, key)
                rows.append(
                    [year, section, key, label, figures[section].get(key, 0), ""]
                )
        if "advisory_committee" in figures:
            rows.append(
                [
                    year,
                    "cases",
                    "advisory_committee",
                    labels["cases"]["advisory_committee"],
                    figures["advisory_committee"],
                    "",
                ]
            )
        for key in ("ombudsman_received", "ombudsman_submitted"):
            rows.append(
                [year, "ombudsman", key, labels["ombudsman"][key], figures[key], ""]
            )
        for index, story in enumerate(data["stories"], start=1):
            rows.append([year, "stories", index, story["title"], "", story["text"]])
        return rows

    @api.model
    def _render_csv(self, report):
        """:meth:`_csv_rows` as CSV (UTF-8 bytes), safe to open in a spreadsheet: text
        is quoted (also a text with a carriage return), numbers are not."""
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC).writerows(
            [_csv_cell(value) for value in row] for row in self._csv_rows(report)
        )
        return buffer.getvalue().encode()


def _sanitized(html):
    """Stored HTML as it may be printed: through the sanitizer of Html fields."""
    return html_sanitize(html or "", sanitize_attributes=True) or Markup("")


def _csv_cell(value):
    """A CSV cell that a spreadsheet shows and never evaluates (OWASP "CSV
    Injection"): a text that starts like a formula, also after spaces, gets a leading
    quote. Numbers are written as numbers: -3 stays a number."""
    if isinstance(value, str) and value.lstrip(" ").startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value
