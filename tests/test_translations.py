"""Spanish, the default language, has every interface string translated."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def test_every_marked_string_has_a_spanish_translation():
    catalogue = polib.pofile(str(LOCALE / "es" / "LC_MESSAGES" / "django.po"))
    missing = [
        entry.msgid for entry in catalogue if not entry.obsolete and (not entry.translated() or entry.fuzzy)
    ]
    assert missing == []


def test_compiled_spanish_catalogue_matches_its_source():
    source = polib.pofile(str(LOCALE / "es" / "LC_MESSAGES" / "django.po"))
    compiled = polib.mofile(str(LOCALE / "es" / "LC_MESSAGES" / "django.mo"))
    in_source = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in source if entry.translated()}
    in_compiled = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in compiled if entry.msgid}
    assert in_compiled == in_source, "run `make messages` and commit the .mo files"
