from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date, formatLang, is_html_empty

from odoo.addons.base.models.ir_actions_report import _wkhtml

from ..models.complaint_figures import (
    CHANNEL_GROUP_KEYS,
    HANDLING_KEYS,
    JUDGMENT_KEYS,
    TERM_KEYS,
)

# Debian's wkhtmltopdf (unpatched Qt) always shrinks the page to fit: a CSS px prints
# at about 0.7 of its size. The PDF zooms the report back so that its sizes print as
# written.
UNPATCHED_QT_ZOOM = 1.42


class ReportMunicipalComplaintAnnual(models.AbstractModel):
    """Prepares the annual report for its QWeb template (as
    hr_holidays' summary report does).

    Every number comes from the report's figures dict (the frozen JSON once published);
    this model only labels, orders and phrases them, in the report's language.
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
                doc.id: dict(
                    self.with_context(lang=doc.lang or self.env.lang)._prepare_report(
                        doc
                    ),
                    zoom=zoom,
                )
                for doc in docs
            },
        }

    @api.model
    def _prepare_report(self, report):
        """The values of one report: its data, labelled tables, charts and sentences."""
        data = report._get_report_data()
        figures = data["figures"]
        previous = data.get("previous") or None
        labels = self._get_labels(data)
        return {
            "report": report,
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
                    "description": Markup(improvement["description"] or ""),
                    "result": Markup(improvement["result"] or ""),
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
                    "value": figures[section].get(key, 0),
                    "previous": before[section].get(key, 0) if before else None,
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
        ]
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
    def _figures_sentences(self, year, figures, previous):
        """The seed's narrative of the figures, one count per
        sentence (singular or plural)."""
        total, referral, service = (
            figures["total"],
            figures["referral"],
            figures["service"],
        )
        policy, proactive, complaints = (
            figures["policy"],
            figures["proactive"],
            figures["complaints"],
        )
        sentences = [
            self.env._(
                "In %(year)s the complaint coordinator handled %(count)s case.",
                year=year,
                count=self._fmt(total),
            )
            if total == 1
            else self.env._(
                "In %(year)s the complaint coordinator handled %(count)s cases.",
                year=year,
                count=self._fmt(total),
            ),
            self.env._(
                "In %(count)s case it concerned referral to or "
                "mediation with a (contract) partner.",
                count=self._fmt(referral),
            )
            if referral == 1
            else self.env._(
                "In %(count)s cases it concerned referral to or "
                "mediation with (contract) partners.",
                count=self._fmt(referral),
            ),
            self.env._(
                "%(count)s case was about the Dienst itself.", count=self._fmt(service)
            )
            if service == 1
            else self.env._(
                "%(count)s cases were about the Dienst itself.",
                count=self._fmt(service),
            ),
            self.env._(
                "%(count)s of these was about policy: the policy was explained.",
                count=self._fmt(policy),
            )
            if policy == 1
            else self.env._(
                "%(count)s of these were about policy: the policy was explained.",
                count=self._fmt(policy),
            ),
            self.env._(
                "In %(count)s case the complaint coordinator "
                "contacted a client proactively.",
                count=self._fmt(proactive),
            )
            if proactive == 1
            else self.env._(
                "In %(count)s cases the complaint coordinator "
                "contacted a client proactively.",
                count=self._fmt(proactive),
            ),
            self.env._(
                "The remaining %(count)s real complaint is broken down below.",
                count=self._fmt(complaints),
            )
            if complaints == 1
            else self.env._(
                "The remaining %(count)s real complaints are broken down below.",
                count=self._fmt(complaints),
            ),
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
        sentences = []
        informal = handling.get("informal", 0)
        if informal:
            sentences.append(
                self.env._(
                    "We handled %(count)s complaint informally.",
                    count=self._fmt(informal),
                )
                if informal == 1
                else self.env._(
                    "We handled %(count)s complaints informally.",
                    count=self._fmt(informal),
                )
            )
        formal = handling.get("formal", 0)
        if formal:
            judgments = ", ".join(
                f"{self._fmt(count)} {labels['by_judgment'].get(key, key).lower()}"
                for key, count in figures["by_judgment"].items()
            )
            sentences.append(
                self.env._(
                    "%(count)s complaint was handled formally: %(judgments)s.",
                    count=self._fmt(formal),
                    judgments=judgments,
                )
                if formal == 1
                else self.env._(
                    "%(count)s complaints were handled formally: %(judgments)s.",
                    count=self._fmt(formal),
                    judgments=judgments,
                )
            )
        not_handled = handling.get("not_handled", 0)
        if not_handled:
            sentences.append(
                self.env._(
                    "%(count)s complaint was not handled, on "
                    "one of the grounds of Awb 9:8.",
                    count=self._fmt(not_handled),
                )
                if not_handled == 1
                else self.env._(
                    "%(count)s complaints were not handled, on "
                    "one of the grounds of Awb 9:8.",
                    count=self._fmt(not_handled),
                )
            )
        sentences.append(
            self.env._(
                "The legal term for handling a complaint is %(weeks)s weeks; in "
                "special cases it can be extended by %(extra)s weeks.",
                weeks=norms["term_weeks"],
                extra=norms["postpone_weeks"],
            )
        )
        within = term.get("within", 0)
        sentences.append(
            self.env._(
                "We handled %(count)s complaint within the legal term.",
                count=self._fmt(within),
            )
            if within == 1
            else self.env._(
                "We handled %(count)s complaints within the legal term.",
                count=self._fmt(within),
            )
        )
        ombudsman = term.get("ombudsman", 0)
        if ombudsman:
            sentences.append(
                self.env._(
                    "In consultation with the complainant, %(count)s complaint was "
                    "brought to the attention of the Nationale ombudsman and could "
                    "therefore not be handled within the term.",
                    count=self._fmt(ombudsman),
                )
                if ombudsman == 1
                else self.env._(
                    "In consultation with the complainants, %(count)s complaints were "
                    "brought to the attention of the Nationale ombudsman and could "
                    "therefore not be handled within the term.",
                    count=self._fmt(ombudsman),
                )
            )
        mediation = term.get("mediation", 0)
        if mediation:
            sentences.append(
                self.env._(
                    "In %(count)s case a mediation is under way, with which we "
                    "hope to reach a solution together.",
                    count=self._fmt(mediation),
                )
                if mediation == 1
                else self.env._(
                    "In %(count)s cases a mediation is under way, with which we "
                    "hope to reach a solution together.",
                    count=self._fmt(mediation),
                )
            )
        late = term.get("late", 0)
        if late:
            sentences.append(
                self.env._(
                    "%(count)s complaint was handled after the legal term.",
                    count=self._fmt(late),
                )
                if late == 1
                else self.env._(
                    "%(count)s complaints were handled after the legal term.",
                    count=self._fmt(late),
                )
            )
        still_open = term.get("open", 0)
        if still_open:
            sentences.append(
                self.env._(
                    "%(count)s complaint is still open, within its term.",
                    count=self._fmt(still_open),
                )
                if still_open == 1
                else self.env._(
                    "%(count)s complaints are still open, within their term.",
                    count=self._fmt(still_open),
                )
            )
        return sentences

    @api.model
    def _ombudsman_sentences(self, year, figures):
        """What the Nationale ombudsman received in the year: the cases are counted
        in the year the ombudsman received them, and the text says so."""
        received, submitted = (
            figures["ombudsman_received"],
            figures["ombudsman_submitted"],
        )
        sentences = [
            self.env._(
                "A complainant who is still dissatisfied after the "
                "(formal) handling of a complaint can complain to the "
                "Nationale ombudsman within one year."
            ),
            self.env._(
                "In %(year)s the Nationale ombudsman received "
                "%(count)s complaint about the Dienst.",
                year=year,
                count=self._fmt(received),
            )
            if received == 1
            else self.env._(
                "In %(year)s the Nationale ombudsman received "
                "%(count)s complaints about the Dienst.",
                year=year,
                count=self._fmt(received),
            ),
        ]
        if submitted:
            sentences.append(
                self.env._(
                    "In %(year)s, in consultation with the complainant, the Dienst "
                    "submitted %(count)s case to the Nationale ombudsman for "
                    "investigation.",
                    year=year,
                    count=self._fmt(submitted),
                )
                if submitted == 1
                else self.env._(
                    "In %(year)s, in consultation with the complainants, the Dienst "
                    "submitted %(count)s cases to the Nationale ombudsman for "
                    "investigation.",
                    year=year,
                    count=self._fmt(submitted),
                )
            )
        sentences.append(
            self.env._(
                "A case counts in the year the Nationale ombudsman received it, "
                "also when the complaint came in earlier."
            )
        )
        return sentences
