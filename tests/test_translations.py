"""Every interface string is translated in Spanish, English and Portuguese."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"
LANGUAGES = ["es", "en", "pt"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_translated(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [
        entry.msgid for entry in catalogue if not entry.obsolete and (not entry.translated() or entry.fuzzy)
    ]
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    source = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))

    def entries(catalogue, keep):
        return {
            (entry.msgctxt, entry.msgid): entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
            for entry in catalogue
            if entry.msgid and keep(entry)
        }

    in_source = entries(source, lambda entry: entry.translated())
    assert entries(compiled, lambda entry: True) == in_source, "run `make messages` and commit the .mo files"


def test_catalogues_hold_every_string_marked_in_the_code():
    """The .po files list the same strings in each language: none was added to one only."""
    msgids = {
        language: {
            (e.msgctxt, e.msgid) for e in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
        }
        for language in LANGUAGES
    }
    assert msgids["en"] == msgids["es"] == msgids["pt"]
