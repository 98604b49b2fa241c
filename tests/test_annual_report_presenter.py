"""The annual report's presenter: it prepares everything the report shows, in the
report's language, and the record model only stores and calls it."""

import inspect
from contextlib import ExitStack
from pathlib import Path
from unittest.mock import patch

import polib

from odoo.tests import Form

from odoo.addons.municipal_complaint.models.annual_report import (
    MunicipalComplaintAnnualReport,
)
from odoo.addons.municipal_complaint.reports.annual_report import (
    COUNT_SENTENCES,
    DEFAULT_INTRODUCTION,
    DEFAULT_OUTLOOK,
    DEFAULT_OUTLOOK_GOALS,
)

from .test_annual_report import REPORT, AnnualReportCase
from .test_figures import SEED_2020

PRESENTER = "report.municipal_complaint.report_annual"
POT = Path(__file__).resolve().parent.parent / "i18n" / "municipal_complaint.pot"

# The Dutch default texts every report had before they became translatable terms:
# the Dutch report must still read exactly so.
DUTCH_INTRODUCTION = (
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
DUTCH_OUTLOOK = (
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


def figures_with(count):
    """A figures dict in which every number the sentences tell is ``count``."""
    return {
        **{
            key: count
            for key in ("total", "referral", "service", "policy", "proactive")
        },
        "complaints": count,
        "by_category": {},
        "by_channel": {},
        "by_handling": {"informal": count, "formal": count, "not_handled": count},
        "by_judgment": {"unfounded": count},
        "by_term": {
            "within": count,
            "late": count,
            "ombudsman": count,
            "mediation": count,
            "open": count,
        },
        "ombudsman_received": count,
        "ombudsman_submitted": count,
    }


class TestAnnualReportPresenter(AnnualReportCase):
    def presenter(self, lang="en_US"):
        return self.env[PRESENTER].with_user(self.coordinator).with_context(lang=lang)

    def all_sentences(self, presenter, figures):
        norms = {"contact_days": 5, "term_weeks": 6, "postpone_weeks": 4}
        labels = presenter._get_labels({"categories": []})
        return (
            presenter._figures_sentences(2018, figures, None)
            + presenter._handling_sentences(figures, labels, norms)
            + presenter._ombudsman_sentences(2018, figures)
        )

    # ------------------------------------------------------------ one direction

    def test_the_presenter_never_calls_the_record_model(self):
        """The PDF, the form's preview and both exports are prepared by the presenter
        alone: every method of the record model fails while they are made, a draft
        (read live) and a published report (frozen) alike."""
        draft = self.make_report()
        published = self.make_report(year=2019)
        published.action_publish()
        own_methods = [
            name
            for name, member in vars(MunicipalComplaintAnnualReport).items()
            if inspect.isfunction(member) and not name.startswith("__")
        ]
        self.assertIn("_get_report_data", own_methods)

        def refuse(name):
            def method(*args, **kwargs):
                raise AssertionError(f"the presenter called the record's {name}()")

            return method

        presenter = self.presenter()
        self.env.flush_all()
        with ExitStack() as stack:
            for name in own_methods:
                stack.enter_context(
                    patch.object(MunicipalComplaintAnnualReport, name, refuse(name))
                )
            for report in (draft, published):
                html, _kind = (
                    self.env["ir.actions.report"]
                    .with_user(self.coordinator)
                    ._render_qweb_html(REPORT, report.ids)
                )
                self.assertIn(b"Complaints by subject", html)
                self.assertIn(
                    "Complaints by subject", presenter._render_preview(report)
                )
                self.assertIn(b'"year": ', presenter._render_json(report))
                self.assertIn(b'"year","section","key"', presenter._render_csv(report))
            self.assertEqual(presenter._get_data(draft)["figures"], SEED_2020)

    def test_the_record_model_reads_its_data_through_the_presenter(self):
        report = self.make_report()
        with patch.object(
            type(self.env[PRESENTER]),
            "_collect_data",
            autospec=True,
            return_value={"figures": {"total": 7}},
        ) as collect:
            self.assertEqual(report._get_report_data(), {"figures": {"total": 7}})
        collect.assert_called_once()

    # ------------------------------------------------------------ the sentences

    def test_each_sentence_is_singular_for_one_and_plural_otherwise(self):
        presenter = self.presenter()
        one = " ".join(self.all_sentences(presenter, figures_with(1)))
        for text in (
            "In 2018 the complaint coordinator handled 1 case.",
            "In 1 case it concerned referral to or mediation with a (contract) "
            "partner.",
            "1 case was about the Dienst itself.",
            "1 of these was about policy",
            "In 1 case the complaint coordinator contacted a client proactively.",
            "The remaining 1 real complaint is broken down below.",
            "We handled 1 complaint informally.",
            "1 complaint was handled formally: 1 unfounded.",
            "1 complaint was not handled",
            "We handled 1 complaint within the legal term.",
            "In consultation with the complainant, 1 complaint was brought",
            "In 1 case a mediation is under way",
            "1 complaint was handled after the legal term.",
            "1 complaint is still open, within its term.",
            "In 2018 the Nationale ombudsman received 1 complaint about the Dienst.",
            "In 2018, in consultation with the complainant, the Dienst submitted "
            "1 case",
        ):
            self.assertIn(text, one)
        many = " ".join(self.all_sentences(presenter, figures_with(1000)))
        for text in (
            "In 2018 the complaint coordinator handled 1,000 cases.",
            "In 1,000 cases it concerned referral to or mediation with (contract) "
            "partners.",
            "1,000 cases were about the Dienst itself.",
            "1,000 of these were about policy",
            "In 1,000 cases the complaint coordinator contacted a client proactively.",
            "The remaining 1,000 real complaints are broken down below.",
            "We handled 1,000 complaints informally.",
            "1,000 complaints were handled formally: 1,000 unfounded.",
            "1,000 complaints were not handled",
            "We handled 1,000 complaints within the legal term.",
            "In consultation with the complainants, 1,000 complaints were brought",
            "In 1,000 cases a mediation is under way",
            "1,000 complaints were handled after the legal term.",
            "1,000 complaints are still open, within their term.",
            "In 2018 the Nationale ombudsman received 1,000 complaints about the "
            "Dienst.",
            "the Dienst submitted 1,000 cases to the Nationale ombudsman",
        ):
            self.assertIn(text, many)
        # nothing to tell for zero, except what the report always says
        zero = self.all_sentences(presenter, figures_with(0))
        self.assertIn("We handled 0 complaints within the legal term.", zero)
        self.assertIn(
            "In 2018 the Nationale ombudsman received 0 complaints about the Dienst.",
            zero,
        )
        self.assertFalse([s for s in zero if "informally" in s or "submitted" in s])

    def test_the_sentences_read_in_dutch(self):
        dutch = self.all_sentences(self.presenter("nl_NL"), figures_with(1))
        for text in (
            "In 2018 is door de klachtcoördinator 1 zaak behandeld.",
            "In 2018 heeft de Dienst in overleg met de klager 1 casus voor onderzoek "
            "voorgelegd aan de Nationale ombudsman.",
        ):
            self.assertIn(text, dutch)
        plural = self.all_sentences(self.presenter("nl_NL"), figures_with(40000))
        self.assertIn(
            "In 2018 zijn door de klachtcoördinator 40.000 zaken behandeld.", plural
        )

    def test_every_sentence_of_the_table_is_a_translated_term(self):
        """The table's texts are found by Odoo's term export (make i18n), and each
        has its Dutch translation."""
        terms = {entry.msgid for entry in polib.pofile(str(POT))}
        english, dutch = self.presenter().env, self.presenter("nl_NL").env
        lazies = [text for pair in COUNT_SENTENCES.values() for text in pair]
        lazies += [*DEFAULT_INTRODUCTION, DEFAULT_OUTLOOK]
        lazies += [text for goal in DEFAULT_OUTLOOK_GOALS for text in goal]
        self.assertEqual(len(COUNT_SENTENCES), 18)
        for lazy in lazies:
            source = english._(lazy)
            with self.subTest(source=source[:50]):
                self.assertIn(source, terms)
                self.assertNotEqual(dutch._(lazy), source)

    # ------------------------------------------------------------ default texts

    def test_a_dutch_report_starts_from_the_dutch_texts(self):
        Report = self.Report.with_context(lang="en_US")
        report = Report.create({"year": 2020, "lang": "nl_NL"})
        self.assertEqual(str(report.introduction), DUTCH_INTRODUCTION)
        self.assertEqual(str(report.outlook), DUTCH_OUTLOOK)
        texts = self.presenter("nl_NL")._get_default_texts()
        self.assertEqual(texts["introduction"], DUTCH_INTRODUCTION)
        self.assertEqual(texts["outlook"], DUTCH_OUTLOOK)
        html = self.render_html(report)
        self.assertIn("Herken een klacht.", html)
        self.assertIn("Wij vinden het belangrijk", html)

    def test_the_form_starts_in_the_company_language_and_follows_a_change(self):
        self.company.partner_id.lang = "nl_NL"
        with Form(self.Report.with_context(lang="en_US")) as form:
            form.year = 2020
            self.assertEqual(form.lang, "nl_NL")
            self.assertEqual(str(form.introduction), DUTCH_INTRODUCTION)
            form.lang = "en_US"
            self.assertIn("satisfied with our services", form.introduction)
            self.assertIn("Recognise a complaint.", form.outlook)
        self.assertIn("Recognise a complaint.", form.record.outlook)

    def test_the_default_texts_follow_the_language_until_edited(self):
        report = self.make_report()
        self.assertIn("Recognise a complaint.", report.outlook)
        report.lang = "nl_NL"
        self.assertEqual(str(report.introduction), DUTCH_INTRODUCTION)
        self.assertEqual(str(report.outlook), DUTCH_OUTLOOK)
        report.introduction = "<p>Onze eigen inleiding.</p>"
        report.lang = "en_US"
        self.assertEqual(str(report.introduction), "<p>Onze eigen inleiding.</p>")
        self.assertIn("Recognise a complaint.", report.outlook)
        # an emptied text starts again from the default of the language
        report.outlook = False
        report.lang = "nl_NL"
        self.assertEqual(str(report.outlook), DUTCH_OUTLOOK)
