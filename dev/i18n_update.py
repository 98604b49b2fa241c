"""Bring i18n/nl.po in line with a freshly exported i18n/municipal_complaint.pot.

Keeps every existing Dutch translation, adds new terms untranslated, drops terms that
are gone, and lists what still needs a translation (the tests fail while any term is
untranslated).
Usage: python dev/i18n_update.py i18n/municipal_complaint.pot i18n/nl.po
"""

# pylint: disable=print-used  # a command-line tool run by `make i18n`: it reports on stdout

import sys

import polib


def main(pot_path, po_path):
    template = polib.pofile(pot_path)
    try:
        old = {entry.msgid: entry.msgstr for entry in polib.pofile(po_path)}
    except OSError:
        old = {}
    dutch = polib.POFile()
    dutch.header = template.header
    dutch.metadata = dict(template.metadata)
    dutch.metadata.update(
        {
            "Language": "nl",
            "Language-Team": "Dutch",
            "Plural-Forms": "nplurals=2; plural=(n != 1);",
        }
    )
    missing = []
    for entry in template:
        translated = polib.POEntry(
            msgid=entry.msgid,
            msgstr=old.get(entry.msgid, ""),
            occurrences=entry.occurrences,
            comment=entry.comment,
            tcomment=entry.tcomment,
            flags=entry.flags,
        )
        if not translated.msgstr:
            missing.append(entry.msgid)
        dutch.append(translated)
    dutch.save(po_path)
    for msgid in missing:
        print(f"untranslated: {msgid[:100]!r}")
    print(f"{len(template)} terms, {len(missing)} without a Dutch translation")


if __name__ == "__main__":
    main(*sys.argv[1:3])
