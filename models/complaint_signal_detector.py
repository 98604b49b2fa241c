"""Recognise dissatisfaction in a Dutch message that does not call itself a complaint.

The Dienst's 2020 report (its 2021 goal "Herken een klacht") asks staff to recognise a
complaint also when nobody calls it one. This module is the text side of that help: it
cleans a message (no quoted reply history, no e-mail signature), lemmatises its Dutch
words with simplemma (offline: the dictionaries ship inside the package), and scores it
against weighted phrases that administrators maintain as records
(``municipal.complaint.signal.rule``).

Plain Python, no database: :class:`SignalDetector` is built once per rule set and
reused for every message (see ``municipal.complaint.signal._get_signal_detector``).

Scoring, so that administrators can reason about a weight on its own:

- a phrase of weight ``w`` > 0 alone gives score ``w``; several phrases combine as
  independent hints: ``1 - (1 - w1)(1 - w2)...``;
- a phrase of weight ``w`` < 0 (thanks, satisfaction) damps the score: ``x (1 + w)``;
- a phrase counts once per message, only where it is not negated ("niet ontevreden",
  "geen klachten": a negation word at most :data:`NEGATION_WINDOW` words before it in
  the same clause) and not inside a longer phrase that counted ("niet tevreden"
  holds "tevreden");
- ``...`` in a phrase stands for at most :data:`GAP_MAX` words of the same clause
  ("niet ... teruggebeld" matches "niet door u teruggebeld").
"""

import functools
import re
import unicodedata

import simplemma
from lxml import etree, html

LANGUAGE = "nl"
# words that turn the phrase after them around ("niet ontevreden", "geen klachten")
NEGATORS = frozenset(
    {"niet", "geen", "nooit", "niets", "zonder", "nergens", "geenszins", "allerminst"}
)
# how many words before a phrase a negation word still counts
NEGATION_WINDOW = 3
PUNCTUATION = frozenset({".", ",", ";", ":", "!", "?", "(", ")"})
# a clause ends at punctuation or at "maar": "niet blij, wel ontevreden"
CLAUSE_BREAKS = PUNCTUATION | {"maar", "doch"}
# the words "..." may stand for in a phrase
GAP_MAX = 4
GAP = "..."

TOKEN_RE = re.compile(r"\.\.\.|…|[^\W_]+(?:[-'’][^\W_]+)*|[.,;:!?()]")

# Where the citizen's own words end in a plain-text message: reply headers of mail
# programs (the quoted history follows) and the usual Dutch and English sign-offs (the
# signature and disclaimers follow). Matched at the start of a line.
CUT_LINE_RE = re.compile(
    r"""^\s*(?:
        -{2,}\s*$                                   # "-- " signature separator
      | -{3,}\s*(?:oorspronkelijk\s+bericht|original\s+message|doorgestuurd\s+bericht
                 |forwarded\s+message)
      | _{5,}\s*$                                   # Outlook's line above the header
      | op\s.{0,80}\s(?:schreef|heeft\s.{0,40}\sgeschreven)[^\n]*:\s*$
      | on\s.{0,80}\swrote:\s*$
      | (?:van|from)\s*:.*\n\s*(?:verzonden|sent|datum|date|aan|to)\s*:
      | (?:met\s+)?(?:vriendelijke|hartelijke|beste|warme)\s+groet(?:en|jes)?\b
      | met\s+groet(?:en)?\b
      | (?:groetjes|groeten|gegroet|hoogachtend|mvg|m\.vr\.gr\.?)\s*[,.!]?\s*$
      | (?:kind|best)\s+regards\b
      | (?:verstuurd|verzonden)\s+(?:vanaf|met|via)\s+(?:mijn\s+)?\w+
      | sent\s+from\s+my\b
    )""",
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
QUOTED_LINE_RE = re.compile(r"^\s*>.*$", re.MULTILINE)
# what lxml turns into line breaks when an HTML body becomes text
BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table"}
)
# where mail programs put the quoted history when Odoo did not mark it
QUOTE_XPATH = (
    "//*[@data-o-mail-quote or @data-o-mail-quote-container or self::blockquote"
    " or contains(@class, 'gmail_quote') or contains(@class, 'moz-cite-prefix')"
    " or contains(@class, 'yahoo_quoted') or @id = 'divRplyFwdMsg'"
    " or contains(@class, 'odoo_signature_wrapper')"
    " or contains(@class, 'gmail_signature')]"
)


def message_text(body):
    """The citizen's own words in ``body`` (HTML or plain text): without the quoted
    reply history, the signature and what follows it."""
    if not body:
        return ""
    text = _html_to_text(body) if _looks_like_html(body) else body
    text = QUOTED_LINE_RE.sub("", text)
    cut = CUT_LINE_RE.search(text)
    if cut:
        text = text[: cut.start()]
    return text.strip()


def _looks_like_html(text):
    return bool(re.search(r"<(?:p|div|br|span|blockquote|html|body)\b", text, re.I))


def _html_to_text(body):
    try:
        root = html.fromstring(body)
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", body)
    for element in root.xpath(QUOTE_XPATH):
        if element.getparent() is not None:
            element.drop_tree()
    parts = []
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in BLOCK_TAGS:
            parts.append("\n")
        if element.text and isinstance(element.tag, str):
            parts.append(element.text)
        if element.tail:
            parts.append(element.tail)
    return "".join(parts)


@functools.lru_cache(maxsize=65536)
def word_forms(word):
    """The forms under which a (lower-case) word matches a phrase word: itself, its
    lemma, and both without accents of emphasis ("wéér")."""
    forms = {word, simplemma.lemmatize(word, lang=LANGUAGE).lower()}
    plain = _strip_accents(word)
    if plain != word:
        forms.add(plain)
        forms.add(simplemma.lemmatize(plain, lang=LANGUAGE).lower())
    return frozenset(forms)


def _strip_accents(word):
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize(
        "NFC",
        "".join(char for char in decomposed if unicodedata.category(char) != "Mn"),
    )


def tokenize(text):
    return [GAP if token == "…" else token for token in TOKEN_RE.findall(text.lower())]


class SignalDetector:
    """Weighted Dutch phrases, compiled once, scoring many messages.

    :param rules: ``(phrase, weight)`` pairs; ``weight`` in [-1, 1], not 0
    :param float threshold: from which score a message is a signal (the default of
        :meth:`detect`)
    """

    def __init__(self, rules, threshold=0.5):
        self.threshold = threshold
        self.phrases = []  # (phrase, weight, [forms | GAP], length)
        for phrase, weight in rules:
            words = [token for token in tokenize(phrase) if token not in PUNCTUATION]
            while words and words[0] == GAP:
                words.pop(0)
            while words and words[-1] == GAP:
                words.pop()
            if not words or not weight:
                continue
            pattern = [word if word == GAP else word_forms(word) for word in words]
            length = sum(1 for word in words if word != GAP)
            self.phrases.append((phrase, float(weight), pattern, length))
        # longer phrases first: a phrase inside a longer match does not count again
        self.phrases.sort(key=lambda item: -item[3])

    def detect(self, text, threshold=None):
        """Score ``text`` (HTML or plain text) against ``threshold`` (default: the
        detector's).

        :return: ``{'score': float in [0, 1], 'is_signal': bool, 'terms': [phrases
            that raised the score]}``
        """
        tokens = tokenize(message_text(text))
        forms = [
            frozenset((token,)) if token in PUNCTUATION else word_forms(token)
            for token in tokens
        ]
        index = {}
        for position, token_forms in enumerate(forms):
            if tokens[position] in PUNCTUATION:
                continue
            for form in token_forms:
                index.setdefault(form, []).append(position)
        matched = []  # spans of the phrases that counted
        positive, damping, terms = 1.0, 1.0, []
        for phrase, weight, pattern, _length in self.phrases:
            span = self._find(pattern, tokens, forms, index, matched)
            if span is None:
                continue
            matched.append(span)
            if weight > 0:
                positive *= 1.0 - min(weight, 1.0)
                terms.append(phrase)
            else:
                damping *= 1.0 + max(weight, -1.0)
        score = round((1.0 - positive) * damping, 4)
        return {
            "score": score,
            "is_signal": bool(terms)
            and score >= (self.threshold if threshold is None else threshold),
            "terms": terms,
        }

    def _find(self, pattern, tokens, forms, index, matched):
        """The span (first, last position) of the first occurrence of ``pattern``
        that is neither negated nor inside a longer phrase that counted."""
        starts = set()
        for form in pattern[0]:
            starts.update(index.get(form, ()))
        for start in sorted(starts):
            end = self._match_from(pattern, start, tokens, forms)
            if end is None:
                continue
            if any(first <= start and end <= last for first, last in matched):
                continue
            if self._negated(pattern, start, tokens):
                continue
            return start, end
        return None

    @staticmethod
    def _match_from(pattern, start, tokens, forms):
        position, gap = start, 0
        for item in pattern:
            if item == GAP:
                gap = GAP_MAX
                continue
            allowed = gap
            while position < len(tokens) and not (item & forms[position]):
                if allowed == 0 or tokens[position] in CLAUSE_BREAKS:
                    return None
                allowed -= 1
                position += 1
            if position >= len(tokens):
                return None
            position += 1
            gap = 0
        return position - 1

    @staticmethod
    def _negated(pattern, start, tokens):
        """A negation word shortly before the phrase, in the same clause; a phrase that
        starts with a negation word ("geen reactie") carries its own."""
        if pattern[0] & NEGATORS:
            return False
        for position in range(start - 1, max(start - NEGATION_WINDOW, 0) - 1, -1):
            token = tokens[position]
            if token in CLAUSE_BREAKS:
                return False
            if token in NEGATORS:
                return True
        return False
