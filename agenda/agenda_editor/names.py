"""Who an agenda names: reading "SE y ST CRM CSM; Modera: PPT CSM" as roles, and writing it back."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

from .. import concept_notes
from ..models import (
    AgendaParticipant,
    Conference,
    Organisation,
    Person,
)

Role = AgendaParticipant.Role

# The words a concept note puts before names to say their role, in the three languages.
ROLE_WORDS = {
    Role.MODERATOR: (
        "modera",
        "moderan",
        "moderador",
        "moderadora",
        "moderadores",
        "moderator",
        "moderators",
        "chair",
        "chairs",
        "moderação",
        "moderado por",
    ),
    Role.PRESENTER: (
        "presenta",
        "presentan",
        "expone",
        "exponen",
        "presentador",
        "presentadora",
        "presenter",
        "presenters",
        "presented by",
        "apresenta",
        "apresentam",
        "apresentação",
    ),
    Role.SPEAKER: (
        "interviene",
        "intervienen",
        "palabras",
        "orador",
        "oradora",
        "oradores",
        "speaker",
        "speakers",
        "remarks",
        "intervém",
        "fala",
    ),
    Role.HOST: (
        "anfitrión",
        "anfitriona",
        "anfitriones",
        "conduce",
        "conducen",
        "host",
        "hosts",
        "hosted by",
        "anfitrião",
        "conduz",
    ),
}
ROLE_BY_WORD = {word: role for role, words in ROLE_WORDS.items() for word in words}
# How the editor writes a role it must spell out: Spanish, as the concept notes are written.
ROLE_PREFIX = {
    Role.MODERATOR: "Modera",
    Role.PRESENTER: "Presenta",
    Role.SPEAKER: "Interviene",
    Role.HOST: "Anfitrión",
}
NAME_SEPARATORS = re.compile(r"\s*,\s*|\s+(?:y|e|and|&|/)\s+", re.IGNORECASE)
# Kinds of organisation the editor may create from a name alone (a delegation needs its country,
# a secretariat its conference: those are made on the organisation's own page).
NEW_ORGANISATION_KINDS = (
    Organisation.Kind.OBSERVER,
    Organisation.Kind.CIVIL_SOCIETY,
    Organisation.Kind.OTHER,
)


def folded(text: str) -> str:
    """A name as it is looked up: no accents, case or runs of spaces ("Oficinas regionales OIM")."""
    text = unicodedata.normalize("NFKD", concept_notes.clean(text)).casefold()
    return "".join(char for char in text if not unicodedata.combining(char))


@dataclass(frozen=True)
class Named:
    """Someone an agenda can name: a person, an organisation or a presidency ("PPT CRM")."""

    kind: str  # "person", "organisation" or "presidency"
    pk: int
    label: str
    # Whether the concept note would have them host an opening or closing (secretariats and the like).
    hosts: bool = False


class Directory:
    """Everyone the editor can name, loaded in three queries, looked up by any name they go by."""

    def __init__(self):
        self.names: dict[str, Named] = {}
        self.labels: list[str] = []
        for conference in Conference.objects.order_by("acronym"):
            self.add(
                Named("presidency", conference.pk, f"PPT {conference.acronym}"),
                f"PPT {conference.acronym}",
                f"PPT-{conference.acronym}",
                f"Presidencia Pro Tempore {conference.acronym}",
                f"Presidencia Pro-Témpore {conference.acronym}",
            )
        for organisation in Organisation.objects.select_related("country").order_by("short_name", "name"):
            named = Named(
                "organisation",
                organisation.pk,
                str(organisation),
                hosts=organisation.kind != Organisation.Kind.DELEGATION,
            )
            self.add(named, organisation.short_name, organisation.name)
            if organisation.country_id and organisation.kind == Organisation.Kind.DELEGATION:
                self.add(named, organisation.country.name, record=False)
        for person in Person.objects.order_by("name"):
            self.add(Named("person", person.pk, person.name), person.name)

    def add(self, named: Named, *names: str, record: bool = True) -> None:
        for name in names:
            if name and folded(name) not in self.names:
                self.names[folded(name)] = named
        if record:
            self.labels.append(named.label)

    def find(self, name: str) -> Named | None:
        return self.names.get(folded(name))

    def read(self, names: str) -> tuple[list[Named], list[str]]:
        """The people a group of names stands for ("SE y ST CRM CSM": SE CRM, ST CSM), and any unknown.

        Concept notes share words between names: "SE y ST CRM CSM" pairs each
        secretariat with its conference, "PPT CRM y CSM" shares the "PPT".
        """
        whole = self.find(names)
        if whole is not None:  # "Ministerio de Relaciones Exteriores y Movilidad Humana" is one name
            return [whole], []
        parts = [part for part in NAME_SEPARATORS.split(concept_notes.clean(names)) if part]
        for reading in readings(parts):
            found = [self.find(part) for part in reading]
            if all(found):
                return found, []
        found = [self.find(part) for part in parts]
        return [named for named in found if named], [
            part for part, named in zip(parts, found, strict=True) if not named
        ]


def readings(parts: list[str]) -> Iterable[list[str]]:
    """The ways a list of names may share words, the plainest first."""
    yield parts
    if len(parts) < 2:
        return
    *heads, last = parts
    words = last.split()
    # "SE y ST CRM CSM": the last part carries one trailing word per name.
    if len(words) == 2 * len(parts) - 1 or len(words) > len(parts):
        tails = words[-len(parts) :]
        lead = " ".join(words[: -len(parts)])
        yield [f"{head} {tail}" for head, tail in zip([*heads, lead], tails, strict=True)]
    # "SE y ST CRM": one trailing word shared.
    if len(words) >= 2:
        yield [*(f"{head} {words[-1]}" for head in heads), last]
    # "PPT CRM y CSM": one leading word shared.
    first_words = parts[0].split()
    if len(first_words) >= 2:
        yield [parts[0], *(f"{first_words[0]} {part}" for part in parts[1:])]


@dataclass
class Reading:
    """A participants cell as understood: (role, who) in order, and the names nobody goes by."""

    roles: list[tuple[str, Named]]
    unknown: list[str]


def read_participants(text: str, directory: Directory, *, usual_role) -> Reading:
    """ "SE y ST CRM CSM; Modera: PPT CSM" as roles; a group without a role word takes `usual_role(named)`."""
    roles: list[tuple[str, Named]] = []
    unknown: list[str] = []
    for group in re.split(r"\s*[;\n]\s*", text or ""):
        group = concept_notes.clean(group)
        if not group:
            continue
        role = None
        word, colon, rest = group.partition(":")
        if colon and folded(word) in {folded(each) for each in ROLE_BY_WORD}:
            role = next(value for key, value in ROLE_BY_WORD.items() if folded(key) == folded(word))
            group = rest
        found, missing = directory.read(group)
        roles.extend((role or usual_role(named), named) for named in found)
        unknown.extend(missing)
    return Reading(roles, unknown)


def usual_role_in(is_opening_or_closing: bool):
    """The role a name without a role word takes: a presidency speaks; at the opening and the closing
    the secretariats and organisations host, elsewhere they present (as in the III Plenaria's note)."""

    def usual(named: Named) -> str:
        if named.kind == "presidency":
            return Role.SPEAKER
        return Role.HOST if is_opening_or_closing and named.hosts else Role.PRESENTER

    return usual


def write_participants(participants: Sequence[AgendaParticipant], usual_role) -> str:
    """The participants as the editor's cell shows them, a role word only where it is not the usual one."""
    groups: list[tuple[str | None, list[str]]] = []
    for participant in participants:
        named = named_of(participant)
        prefix = None if usual_role(named) == participant.role else ROLE_PREFIX[participant.role]
        if groups and groups[-1][0] == prefix:
            groups[-1][1].append(named.label)
        else:
            groups.append((prefix, [named.label]))
    return "; ".join(
        (f"{prefix}: " if prefix else "") + f" {gettext('and')} ".join(names) for prefix, names in groups
    )


def named_of(participant: AgendaParticipant) -> Named:
    if participant.presidency_of_id:
        return Named("presidency", participant.presidency_of_id, participant.label)
    if participant.organisation_id:
        organisation = participant.organisation
        return Named(
            "organisation",
            organisation.pk,
            str(organisation),
            hosts=organisation.kind != Organisation.Kind.DELEGATION,
        )
    return Named("person", participant.person_id, participant.label)
