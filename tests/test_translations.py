"""Staff, partners and citizens work in Dutch: every term has its translation."""

import re
from pathlib import Path

import polib

from odoo.tests import BaseCase

I18N = Path(__file__).resolve().parent.parent / "i18n"


class TestDutchTranslation(BaseCase):
    def test_every_term_of_the_template_is_translated_to_dutch(self):
        pot = polib.pofile(str(I18N / "municipal_complaint.pot"))
        template = {entry.msgid for entry in pot}
        dutch = polib.pofile(str(I18N / "nl.po"))
        self.assertEqual(
            {entry.msgid for entry in dutch}, template, "nl.po follows the .pot"
        )
        untranslated = [entry.msgid for entry in dutch if not entry.msgstr.strip()]
        self.assertEqual(untranslated, [], "terms without a Dutch translation")

    def test_placeholders_survive_the_translation(self):
        placeholder = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{\{.*?\}\}")
        for entry in polib.pofile(str(I18N / "nl.po")):
            with self.subTest(msgid=entry.msgid[:60]):
                self.assertEqual(
                    sorted(placeholder.findall(entry.msgid)),
                    sorted(placeholder.findall(entry.msgstr)),
                )
