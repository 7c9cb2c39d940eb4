"""Every interface string is translated in Spanish, English and Portuguese."""

import shutil
import subprocess
import sys
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


def test_no_string_marked_in_the_code_is_missing_from_the_catalogues(tmp_path):
    """A new sentence in the code fails here until `make messages` lists it and it is translated."""
    if shutil.which("xgettext") is None:
        pytest.fail("needs GNU gettext (xgettext), which .ci/run installs")
    project = LOCALE.parent
    for folder in ["agenda", "plenary", "templates", "locale"]:
        shutil.copytree(project / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(project / "manage.py", tmp_path)
    subprocess.run(  # noqa: S603 - our own manage.py, on a copy of the project
        [
            sys.executable,
            "manage.py",
            "makemessages",
            *(f"--locale={code}" for code in LANGUAGES),
            "--no-obsolete",
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=300,
    )
    for language in LANGUAGES:
        catalogue = polib.pofile(str(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"))
        missing = [entry.msgid for entry in catalogue if not entry.translated() or entry.fuzzy]
        assert missing == [], f"{language}: run `make messages` and translate these"
