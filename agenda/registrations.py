"""Registering participants from a spreadsheet (CSV), all of it or none of it.

The secretariats keep their lists in Excel; saved as CSV it comes in UTF-8 or
Windows-1252, separated by commas or semicolons (Excel's choice in Spanish),
with headings in Spanish, English or Portuguese. Every line is checked
before any is saved, and each problem is reported with its line number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import Country, Meeting, Registration

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# Headings as the secretariats write them, in the three languages, for each column.
HEADINGS = {
    "name": {"name", "nombre", "nome", "nombre-completo", "nome-completo", "full-name"},
    "email": {"email", "e-mail", "correo", "correo-electronico", "mail"},
    "affiliation": {
        "affiliation",
        "delegation",
        "organisation",
        "organization",
        "delegacion",
        "organizacion",
        "delegacion-u-organizacion",
        "delegacao",
        "organizacao",
        "delegation-or-organisation",
        "delegacao-ou-organizacao",
        "institucion",
        "instituicao",
    },
    "role": {"role", "rol", "papel", "funcao", "tipo"},
}
# Optional: a delegation's country, by ISO code or name, for the floor report's totals per conference.
COUNTRY_HEADINGS = {"country", "pais", "pays", "country-code", "codigo-pais", "iso"}
# Optional: the language of the participant's mail (es, en, pt, or the language's name).
LANGUAGE_HEADINGS = {"language", "idioma", "lingua", "lang"}
LANGUAGE_NAMES = {
    "es": {"es", "espanol", "spanish", "espanhol"},
    "en": {"en", "ingles", "english"},
    "pt": {"pt", "portugues", "portuguese"},
}
ROLES = {
    Registration.Role.DELEGATE: {"delegate", "delegado", "delegada", "delegado-a", "delegacion"},
    Registration.Role.OBSERVER: {"observer", "observador", "observadora", "observador-a"},
    Registration.Role.CIVIL_SOCIETY: {"civil-society", "sociedad-civil", "sociedade-civil", "osc"},
    Registration.Role.INTERPRETER: {"interpreter", "interprete", "interpretacion", "interpretacao"},
}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is not text: save the spreadsheet as CSV (UTF-8)."), code="not_text")


def read_rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: value}) for each non-empty line under the headings."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(_("The file is larger than 2 MB: split the list."), code="too_large")
    text = decode(data)
    if "\x00" in text:
        raise ValidationError(
            _("The file is not text: save the spreadsheet as CSV (UTF-8)."), code="not_text"
        )
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        headings = next(reader)
    except StopIteration:
        raise ValidationError(_("The file is empty."), code="empty") from None
    except csv.Error as error:
        raise ValidationError(_("The file is not a readable CSV: %(error)s") % {"error": error}) from error
    columns = {}
    for index, heading in enumerate(headings):
        for column, names in {**HEADINGS, "country": COUNTRY_HEADINGS, "language": LANGUAGE_HEADINGS}.items():
            if slugify(heading) in names:
                columns[column] = index
    missing = [column for column in HEADINGS if column not in columns]
    if missing:
        raise ValidationError(
            _(
                "The first line must name the columns: name, email, delegation or organisation, role "
                "(in Spanish, English or Portuguese). Missing: %(missing)s."
            )
            % {"missing": ", ".join(missing)},
            code="headings",
        )
    rows = []
    try:
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise ValidationError(
                    _("More than %(limit)d participants: split the list.") % {"limit": MAX_ROWS},
                    code="too_many",
                )
            row = {
                column: values[index].strip() if index < len(values) else ""
                for column, index in columns.items()
            }
            rows.append((reader.line_num, row))
    except csv.Error as error:
        raise ValidationError(
            _("Line %(line)d is not readable CSV: %(error)s") % {"line": reader.line_num, "error": error}
        ) from error
    if not rows:
        raise ValidationError(_("The file has headings but no participants."), code="empty")
    return rows


def role_from(text: str) -> str | None:
    key = slugify(text)
    return next((role for role, names in ROLES.items() if key in names), None)


@transaction.atomic
def import_registrations(meeting: Meeting, data: bytes) -> ImportResult:
    """Register every participant in the CSV `data` for `meeting`, or none if any line is wrong.

    A participant already registered (same email) is updated, so a list can be
    imported again after corrections. Raises ValidationError listing every problem.
    """
    rows = read_rows(data)
    existing = {registration.email: registration for registration in meeting.registrations.all()}
    countries = {}
    for country in Country.objects.all():
        countries[slugify(country.code)] = countries[slugify(country.name)] = country
    seen: dict[str, int] = {}
    problems, to_save = [], []
    for line, row in rows:
        role = role_from(row["role"])
        email = row["email"].lower()
        registration = existing.get(email) or Registration(meeting=meeting)
        registration.name, registration.email, registration.affiliation = (
            row["name"],
            email,
            row["affiliation"],
        )
        registration.role = role or ""
        try:
            if row.get("country"):
                registration.country = countries.get(slugify(row["country"]))
                if registration.country is None:
                    raise ValidationError(
                        {
                            "country": _(
                                "“%(country)s” is not a country we know: write its name or ISO code."
                            )
                            % {"country": row["country"]}
                        }
                    )
            if row.get("language"):
                key = slugify(row["language"])
                registration.language = next(
                    (code for code, names in LANGUAGE_NAMES.items() if key in names), ""
                )
                if not registration.language:
                    raise ValidationError(
                        {
                            "language": _("“%(language)s” is not a language: write es, en or pt.")
                            % {"language": row["language"]}
                        }
                    )
            if role is None:
                raise ValidationError(
                    {
                        "role": _("“%(role)s” is not a role: write delegate, observer or civil society.")
                        % {"role": row["role"]}
                    }
                )
            registration.full_clean(exclude=["meeting"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for message in error.messages:
                problems.append(_("Line %(line)d: %(problem)s") % {"line": line, "problem": message})
            continue
        if email in seen:
            problems.append(
                _("Line %(line)d: %(email)s is also on line %(first)d.")
                % {"line": line, "email": email, "first": seen[email]}
            )
            continue
        seen[email] = line
        to_save.append(registration)
    if problems:
        raise ValidationError(problems, code="invalid_rows")
    result = ImportResult()
    for registration in to_save:
        if registration.pk:
            result.updated += 1
        else:
            result.created += 1
        registration.save()
    return result
