"""The detector on Dutch text: measured on the labelled development set, and the
cases that fool a word list (negation, quoted history, signatures)."""

from markupsafe import Markup

from odoo.exceptions import AccessError, ValidationError

from .common import ComplaintCase
from .signal_dataset import load_messages

RECALL_MIN = 0.85
PRECISION_MIN = 0.85


class TestSignalDetector(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Signal = cls.env["municipal.complaint.signal"]
        cls.Rule = cls.env["municipal.complaint.signal.rule"]

    def detect(self, text, company=None):
        return self.Signal._detect(text, company)

    def assertSignal(self, text, *terms):
        result = self.detect(text)
        self.assertTrue(result["is_signal"], f"not recognised: {text!r} -> {result}")
        for term in terms:
            self.assertIn(term, result["terms"])
        return result

    def assertNoSignal(self, text):
        result = self.detect(text)
        self.assertFalse(result["is_signal"], f"recognised: {text!r} -> {result}")
        return result

    def test_development_set_recall_and_precision(self):
        messages = load_messages()
        signals = sum(1 for is_signal, _description, _text in messages if is_signal)
        self.assertGreaterEqual(len(messages), 150)
        self.assertLessEqual(
            abs(signals - (len(messages) - signals)), 2, "half signals"
        )
        found = {True: 0, False: 0}  # detected, by label
        for is_signal, _description, text in messages:
            if self.detect(text)["is_signal"]:
                found[is_signal] += 1
        recall = found[True] / signals
        precision = found[True] / (found[True] + found[False])
        self.assertGreaterEqual(recall, RECALL_MIN, f"recall {recall:.3f}")
        self.assertGreaterEqual(precision, PRECISION_MIN, f"precision {precision:.3f}")

    def test_result_says_score_decision_and_the_phrases_that_counted(self):
        result = self.assertSignal(
            "Ik word van het kastje naar de muur gestuurd.", "kastje ... muur"
        )
        self.assertEqual(set(result), {"score", "is_signal", "terms"})
        self.assertGreaterEqual(
            result["score"], self.company.complaint_signal_threshold
        )
        self.assertLessEqual(result["score"], 1.0)
        empty = self.detect("")
        self.assertEqual(empty, {"score": 0.0, "is_signal": False, "terms": []})

    def test_inflected_forms_match_through_the_lemma(self):
        self.assertSignal("Ik wil een klacht indienen.", "klacht indienen")
        self.assertSignal(
            "Ik heb mijn klachten al eerder ingediend, mijn klacht blijft."
        )
        self.assertSignal("Ik ben niet teruggebeld.", "niet teruggebeld")
        self.assertSignal("De medewerker was ONBESCHOFT.", "onbeschoft")

    def test_negation_turns_a_phrase_around(self):
        self.assertNoSignal("Ik ben zeker niet ontevreden over de hulp.")
        self.assertNoSignal("Ik heb geen klachten over de behandeling.")
        self.assertNoSignal("Nooit onvriendelijk geholpen, altijd netjes.")
        # without the negation the same words are a signal
        self.assertSignal("Ik ben ontevreden over de hulp.", "ontevreden")
        self.assertSignal("Ik heb een klacht over de behandeling.")

    def test_negation_ends_with_the_clause(self):
        # 'niet' is three words before 'ontevreden', but in another clause
        result = self.assertSignal("Niet boos maar ontevreden.", "ontevreden")
        self.assertNotIn("boos", result["terms"])
        self.assertSignal("Niet alles ging mis. Ontevreden ben ik wel.", "ontevreden")

    def test_a_negated_phrase_that_is_itself_a_complaint_counts(self):
        # 'niet tevreden' is a phrase of its own; the 'tevreden' inside it does not damp
        result = self.assertSignal("Ik ben niet tevreden over uw antwoord.")
        self.assertEqual(result["terms"], ["niet tevreden"])

    def test_quoted_reply_history_is_ignored_in_plain_text(self):
        reply = (
            "Dank u wel, de afspraak van donderdag is goed.\n\n"
            "Op 20 mei 2026 om 10:12 schreef J. Mulder <j.mulder@dienst.example.nl>:\n"
            "> Naar aanleiding van uw klacht over het niet teruggebeld worden\n"
            "> begrijp ik dat u boos en teleurgesteld bent.\n"
        )
        self.assertNoSignal(reply)
        self.assertNoSignal(
            "Prima, tot dan.\n> U was ontevreden en voelde zich niet serieus genomen."
        )
        forwarded = (
            "Bijgaand de gevraagde stukken.\n"
            "-----Oorspronkelijk bericht-----\n"
            "Van: Dienst <info@dienst.example.nl>\n"
            "Verzonden: maandag 4 mei 2026\n"
            "Wij begrijpen dat u ontevreden bent over de wachttijd."
        )
        self.assertNoSignal(forwarded)
        # the citizen's own words above the history still count
        self.assertSignal("Ik ben nog steeds niet teruggebeld.\n\n" + reply)

    def test_quoted_reply_history_is_ignored_in_html(self):
        html = Markup(
            "<div>Bedankt, alles is duidelijk.</div>"
            "<blockquote><p>U schreef dat u ontevreden bent en niet teruggebeld "
            "werd. Onze excuses.</p></blockquote>"
            '<div data-o-mail-quote="1">Dit is schandalig, schreef u eerder.</div>'
        )
        self.assertNoSignal(html)
        self.assertSignal(
            Markup("<p>Dit is echt schandalig.</p><blockquote>Dank u.</blockquote>"),
            "schandalig",
        )

    def test_signatures_and_disclaimers_are_ignored(self):
        self.assertNoSignal(
            "Bijgaand de loonstroken van mei.\n\n"
            "Met vriendelijke groet,\n"
            "Linda Hoekstra\n"
            "Bent u ontevreden over onze service? Laat het ons weten.\n"
        )
        self.assertNoSignal(
            "Hierbij mijn nieuwe adres.\n-- \nStichting Klachtenloket\n"
            "Heeft u een klacht? Wij zijn onacceptabel snel!"
        )
        self.assertNoSignal(
            "Tot donderdag.\nVerstuurd vanaf mijn iPhone\n> ik ben woedend"
        )

    def test_thanks_lower_the_score(self):
        plain = self.detect("Het duurde lang, maar het is opgelost.")
        thanked = self.detect(
            "Het duurde lang, maar het is opgelost. "
            "Hartelijk dank voor de snelle actie."
        )
        self.assertLess(thanked["score"], plain["score"] or 1)
        self.assertFalse(thanked["is_signal"])

    def test_company_rules_and_threshold(self):
        text = "Mijn dossier ligt al een eeuwigheid stil."
        self.assertNoSignal(text)
        other = self.env["res.company"].create({"name": "Dienst Elders"})
        rule = self.Rule.create(
            {"phrase": "ligt ... stil", "weight": 0.8, "company_id": self.company.id}
        )
        self.assertSignal(text, "ligt ... stil")
        self.assertFalse(self.detect(text, other)["is_signal"], "rule of one company")
        # a higher threshold asks for more
        self.company.complaint_signal_threshold = 0.9
        self.assertNoSignal(text)
        self.company.complaint_signal_threshold = 0.5
        # an archived rule counts no more
        rule.active = False
        self.assertNoSignal(text)
        # a rule for all companies counts everywhere
        rule.write({"active": True, "company_id": False})
        self.assertTrue(self.detect(text, other)["is_signal"])

    def test_bad_rules_and_thresholds_are_refused(self):
        with self.assertRaises(ValidationError):
            self.Rule.create({"phrase": "ontevreden", "weight": 1.5})
        with self.assertRaises(ValidationError):
            self.Rule.create({"phrase": "ontevreden", "weight": 0})
        with self.assertRaises(ValidationError):
            self.Rule.create({"phrase": " ... !", "weight": 0.5})
        with self.assertRaises(ValidationError):
            self.company.complaint_signal_threshold = 0
        with self.assertRaises(ValidationError):
            self.company.complaint_signal_threshold = 1.2

    def test_only_administrators_maintain_the_rules(self):
        for user in (self.employee, self.coordinator):
            with self.assertRaises(AccessError):
                self.Rule.with_user(user).create({"phrase": "boos", "weight": 0.4})
        rule = self.Rule.with_user(self.manager).create(
            {"phrase": "heel boos", "weight": 0.6}
        )
        self.assertEqual(rule.weight, 0.6)
        # the coordinator reads them, to understand a signal
        self.assertTrue(self.Rule.with_user(self.coordinator).search([]))
        Wizard = self.env["municipal.complaint.signal.config.wizard"]
        with self.assertRaises(AccessError):
            Wizard.with_user(self.coordinator).create({})
        wizard = Wizard.with_user(self.manager).create({})
        self.assertEqual(wizard.complaint_signal_threshold, 0.5)
        wizard.complaint_signal_threshold = 0.6
        wizard.action_save()
        self.assertEqual(self.company.complaint_signal_threshold, 0.6)
