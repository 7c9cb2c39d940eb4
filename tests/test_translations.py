"""Every interface string is translated in Spanish, English and Portuguese."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.contrib import admin
from django.utils import translation

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


# Django's admin messages that put a model's name into a sentence.
MODEL_NAME = re.compile(
    r"%\((?:name|verbose_name|verbose_name_plural|model|object_name|objects_name|module_name)\)s|\{name\}|%s"
)
# A word that agrees with the noun after or before it: an article, a determiner, or a
# participle. Any of them beside a model's name is right for some models and wrong for others.
AGREES_BEFORE = {
    "es": re.compile(
        r"\b(el|la|los|las|del|al|un|una|otro|otra|este|esta|ningún|ninguna|seleccionad\w*)\s*$", re.I
    ),
    "pt": re.compile(
        r"\b(o|a|os|as|do|da|dos|das|ao|à|um|uma|outro|outra|este|esta|selecionad\w*)\s*$", re.I
    ),
}
AGREES_AFTER = {
    "es": re.compile(r"^\s*(fu[eé]\s+)?\w+(ad|id)[oa]s?\b", re.I),
    "pt": re.compile(r"^\s*(foi\s+|foram\s+)?\w+(ad|id)[oa]s?\b", re.I),
}


def admin_messages_naming_a_model() -> list[polib.POEntry]:
    admin_catalogue = Path(admin.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "django.po"
    return [
        entry
        for entry in polib.pofile(str(admin_catalogue))
        if not entry.obsolete and MODEL_NAME.search(entry.msgid)
    ]


def admin_models() -> set:
    """Every model the secretariat meets in the admin: on its own pages or as an inline."""
    models = set(admin.site._registry)
    for model_admin in admin.site._registry.values():
        models.update(inline.model for inline in model_admin.inlines)
    return models


@pytest.mark.parametrize("language", ["es", "pt"])
def test_the_admins_messages_fit_every_models_name_whatever_its_gender(language):
    wrong = []
    with translation.override(language):
        for entry in admin_messages_naming_a_model():
            if entry.msgid_plural:
                worded = [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
            else:
                worded = [translation.gettext(entry.msgid)]
            for text in worded:
                for name_at in MODEL_NAME.finditer(text):
                    before, after = text[: name_at.start()], text[name_at.end() :]
                    if AGREES_BEFORE[language].search(before) or AGREES_AFTER[language].search(after):
                        wrong.append(text)
    assert wrong == []


@pytest.mark.parametrize("language", ["es", "pt"])
def test_every_model_in_the_admin_is_named_in_the_language(language):
    def names(model) -> tuple[str, str]:
        return str(model._meta.verbose_name), str(model._meta.verbose_name_plural)

    untranslated = []
    for model in admin_models():
        with translation.override("en"):
            english = names(model)
        with translation.override(language):
            if names(model) == english:
                untranslated.append(english)
    assert untranslated == []
