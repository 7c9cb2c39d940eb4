"""The agenda editor: a meeting's whole agenda as the concept note's table, judged and saved at once.

Each row of the table is an `EditorRow` (a topic, a sub-item, or the day the rows
below it are on), with its cells as the secretariat types them: the time as
"09:15 – 10:00", the participants as "SE y ST CRM CSM; Modera: PPT CSM". The
participants are read against a `Directory` of the people, organisations and
presidencies the app knows. `save_agenda` judges the proposed agenda with
`find_agenda_problems` (the rules every write path shares) and writes it in one
transaction, or raises `AgendaRefused` with each problem at its row.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from . import concept_notes, history
from .concept_notes import DAY, SUB_ITEM, TOPIC
from .models import (
    AgendaItem,
    AgendaParticipant,
    Conference,
    Meeting,
    Organisation,
    Person,
    Presidency,
    find_agenda_problems,
    load_agendas,
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


@dataclass
class EditorRow:
    """One row of the editor's table, its cells as typed."""

    kind: str = TOPIC
    key: str = ""  # the item's primary key, empty for a new row
    version: str = ""
    time: str = ""
    day: str = ""  # a day row's date, "2022-05-31"
    title: str = ""
    participants: str = ""
    is_cancelled: bool = False
    delete: bool = False
    # "observer", "civil_society" or "other": create the row's unknown names as such organisations.
    new_kind: str = ""
    unread: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    anchor: str = ""

    FIELDS = ("kind", "key", "version", "time", "day", "title", "participants", "new_kind")

    @property
    def is_blank(self) -> bool:
        return not (
            self.key
            or self.time.strip()
            or self.title.strip()
            or self.participants.strip()
            or (self.kind == DAY and self.day)
        )

    @classmethod
    def from_post(cls, data: Mapping, prefix: str) -> EditorRow:
        row = cls(**{name: (data.get(f"{prefix}-{name}") or "").strip() for name in cls.FIELDS})
        row.kind = row.kind if row.kind in (TOPIC, SUB_ITEM, DAY) else TOPIC
        row.is_cancelled = bool(data.get(f"{prefix}-cancelled"))
        row.delete = bool(data.get(f"{prefix}-delete"))
        return row


def rows_from_post(data: Mapping) -> list[EditorRow]:
    """The table's rows in the order posted: by each row's "order" cell, then as they came."""
    indexes = sorted({int(name.split("-")[1]) for name in data if re.fullmatch(r"row-\d+-kind", name)})
    numbered = []
    for index in indexes:
        prefix = f"row-{index}"
        try:
            order = float(data.get(f"{prefix}-order") or index)
        except ValueError:
            order = index
        numbered.append((order, index, EditorRow.from_post(data, prefix)))
    return [row for _, _, row in sorted(numbered, key=lambda each: each[:2]) if not row.is_blank]


def rows_of(meeting: Meeting, agenda: Sequence[AgendaItem], *, language: str) -> list[EditorRow]:
    """The stored agenda as the editor's rows, a day row before each day of a meeting that spans days."""
    rows: list[EditorRow] = []
    spans_days = meeting.local_starts_at.date() != (meeting.local_ends_at - timedelta(minutes=1)).date()
    day = None
    for index, topic in enumerate(agenda):
        usual = usual_role_in(index in (0, len(agenda) - 1))
        if spans_days and topic.local_starts_at and topic.local_starts_at.date() != day:
            day = topic.local_starts_at.date()
            rows.append(EditorRow(DAY, day=day.isoformat()))
        for item in [topic, *topic.children]:
            rows.append(
                EditorRow(
                    kind=TOPIC if item.is_topic else SUB_ITEM,
                    key=str(item.pk),
                    version=str(item.version),
                    time=time_text(item),
                    title=getattr(item, f"title_{language}") or "",
                    participants=write_participants(list(item.participants.all()), usual),
                    is_cancelled=item.is_cancelled,
                )
            )
    return rows


def rows_after_refusal(
    meeting: Meeting, rows: list[EditorRow], opened: str, *, language: str
) -> list[EditorRow]:
    """The table shown after a save was refused because others saved since `opened`.

    It keeps what the user typed and brings in what the others did where the
    user typed nothing: the rows they added, and the new values of rows they
    changed that the user left as opened. A row they deleted stays as a new
    row: saving again makes it anew, knowingly.
    """
    try:
        opened_items = {int(pk): int(version) for pk, version in json.loads(opened)["items"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        opened_items = {}
    agenda = load_agendas([meeting])[meeting.pk]
    ordered = [row for row in rows_of(meeting, agenda, language=language) if row.key]
    edges = {agenda[0].pk, agenda[-1].pk} if agenda else set()
    current = {int(row.key): row for row in ordered}
    shown = {int(row.key) for row in rows if row.key.isdigit()}
    merged: list[EditorRow] = []
    for row in rows:
        pk = int(row.key) if row.key.isdigit() else None
        if pk is not None and pk not in current:
            row.key = row.version = ""
        elif pk is not None and pk in opened_items and current[pk].version != str(opened_items[pk]):
            then = row_as_opened(pk, opened_items[pk], meeting, language, edges=edges)
            if then is not None and cells(then) == cells(row):
                row = current[pk]
        merged.append(row)
    previous = None
    for row in ordered:
        if int(row.key) not in shown:
            keys = [each.key for each in merged]
            at = keys.index(previous) + 1 if previous in keys else len(merged)
            merged.insert(at, row)
        previous = row.key
    return merged


def cells(row: EditorRow) -> tuple:
    return (row.kind, row.time, row.title, row.participants, row.is_cancelled)


def row_as_opened(
    pk: int, version: int, meeting: Meeting, language: str, *, edges: set[int]
) -> EditorRow | None:
    """The row as the editor showed it at `version`, from the history (None if it does not reach back)."""
    record = AgendaItem.history.filter(id=pk, version=version).order_by("-history_date").first()
    if record is None:
        return None
    item = record.instance
    item.meeting = meeting
    participants = list(AgendaParticipant.history.as_of(record.history_date).filter(item_id=pk))
    participants.sort(key=lambda each: (each.position, each.pk))
    return EditorRow(
        kind=TOPIC if item.parent_id is None else SUB_ITEM,
        time=time_text(item),
        title=getattr(item, f"title_{language}") or "",
        participants=write_participants(participants, usual_role_in((item.parent_id or item.pk) in edges)),
        is_cancelled=item.is_cancelled,
    )


def time_text(item: AgendaItem) -> str:
    if not item.starts_at:
        return ""
    return concept_notes.write_time_span(item.local_starts_at.time(), item.local_ends_at.time())


def rows_read(note: concept_notes.ReadNote) -> list[EditorRow]:
    """What a pasted or uploaded agenda says, as new rows (nothing saved), unread cells marked."""
    return [
        EditorRow(
            kind=row.kind,
            time=row.time,
            title=row.title,
            participants=row.participants,
            day=row.day.isoformat() if row.day else "",
            unread=set(row.unread),
        )
        for row in note.rows
    ]


def agenda_state(meeting: Meeting, items: Iterable[AgendaItem]) -> str:
    """The versions the editor was opened at: the meeting's and every item's (a save compares them)."""
    return json.dumps(
        {"meeting": meeting.version, "items": {str(item.pk): item.version for item in items}}, sort_keys=True
    )


class AgendaRefused(Exception):
    """Nothing was saved: `problems` are (row index or None, message); `stale` says what others changed."""

    def __init__(
        self, problems: list[tuple[int | None, str]], *, stale: list[str] | None = None, state: str = ""
    ):
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems
        self.stale = stale or []
        self.state = state


@dataclass
class Header:
    """The meeting's own fields the editor shows above the table, in the editing language."""

    title: str
    starts_at: datetime
    ends_at: datetime
    sections: dict[str, str]


@dataclass
class Planned:
    """A row turned into the agenda item it proposes, with the participants it names."""

    row: EditorRow
    index: int
    item: AgendaItem
    roles: list[tuple[str, Named]]


def save_agenda(
    meeting: Meeting,
    rows: list[EditorRow],
    *,
    header: Header,
    language: str,
    opened: str,
    user=None,
    minor: bool = False,
    publish: bool = False,
) -> Meeting:
    """Write the meeting's agenda as `rows` say, in one transaction, or raise `AgendaRefused`.

    Every rule of `find_agenda_problems` is judged on the whole proposed agenda,
    with each row's own reading (times, names) first; a change saved by someone
    else since `opened` refuses the save, saying what changed.
    """
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        stored = load_agendas([meeting])[meeting.pk]
        items = {item.pk: item for topic in stored for item in (topic, *topic.children)}
        for item in items.values():
            item._editor_loaded = editor_values(item)
        was_draft = meeting.status == Meeting.Status.DRAFT
        current = agenda_state(meeting, items.values())
        stale = stale_changes(meeting, items, opened)
        if stale:
            raise AgendaRefused([(None, stale[0])], stale=stale[1:], state=current)
        header_changed = apply_header(meeting, header, language)
        if publish and meeting.status != Meeting.Status.PUBLISHED:
            meeting.status = Meeting.Status.PUBLISHED
            header_changed = True
        plan, problems = plan_agenda(meeting, rows, items, language=language, was_draft=was_draft)
        problems.extend(meeting_problems(meeting))
        proposed = [each.item for each in plan if not each.row.delete]
        by_item = {id(each.item): each.index for each in plan}
        for problem in find_agenda_problems(meeting, proposed, stored_presidencies=False):
            at = by_item.get(id(problem.items[0])) if problem.items else None
            if at is not None and len(problem.items) == 1 and "time" in rows[at].unread:
                continue  # the row's time could not be read: that is said once, at its cell
            message = problem.message if at is not None and problem.names_row else str(problem)
            if not problem.items:
                message = gettext("The agenda must be valid before the meeting is published: %(problem)s") % {
                    "problem": message
                }
            if at is not None:
                rows[at].problems.append(message)
            problems.append((at, message))
        if problems:
            raise AgendaRefused(problems, state=current)
        write_agenda(meeting, plan, items, user=user, minor=minor)
        if header_changed:
            if minor:
                meeting._change_reason = history.MINOR
            meeting.save()
    return meeting


def stale_changes(meeting: Meeting, items: Mapping[int, AgendaItem], opened: str) -> list[str]:
    """What changed since the editor was opened at `opened` (empty if nothing did)."""
    try:
        state = json.loads(opened)
        opened_meeting, opened_items = (
            int(state["meeting"]),
            {int(k): int(v) for k, v in state["items"].items()},
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return [
            gettext(
                "The page does not say which version of the agenda you opened. Nothing was saved: "
                "open the agenda editor again and make your change there."
            )
        ]
    lines = []
    if meeting.version != opened_meeting:
        who, changes = history.edits_since(meeting, opened_meeting)
        lines.append(
            gettext("The meeting was changed %(who)s.") % {"who": who}
            if who
            else gettext("The meeting was changed.")
        )
        lines.extend(changes)
    for pk, item in items.items():
        if pk not in opened_items:
            lines.append(gettext("«%(item)s» was added.") % {"item": item.title})
        elif opened_items[pk] != item.version:
            who, changes = history.edits_since(item, opened_items[pk])
            lines.append(
                gettext("«%(item)s» was changed %(who)s.") % {"item": item.title, "who": who}
                if who
                else gettext("«%(item)s» was changed.") % {"item": item.title}
            )
            lines.extend(changes)
    if opened_items.keys() - items.keys():
        lines.append(gettext("An item you had open was deleted."))
    if not lines:
        return []
    return [
        gettext(
            "Someone saved this agenda after you opened it. Nothing of yours was saved; your values are "
            "still in the table. Check them against the changes below and save again to apply them on top."
        ),
        *lines,
    ]


def apply_header(meeting: Meeting, header: Header, language: str) -> bool:
    """Put the header's values on `meeting`; whether any changed."""
    before = meeting_fields(meeting, language)
    setattr(meeting, f"title_{language}", header.title)
    if language == "es" or not meeting.title_es:
        meeting.title_es = meeting.title_es or header.title
    meeting.starts_at, meeting.ends_at = header.starts_at, header.ends_at
    for name, text in header.sections.items():
        setattr(meeting, f"{name}_{language}", text)
    return meeting_fields(meeting, language) != before


def meeting_fields(meeting: Meeting, language: str) -> tuple:
    names = [
        "title_es",
        f"title_{language}",
        "starts_at",
        "ends_at",
        "status",
        *(f"{name}_{language}" for name in Meeting.CONCEPT_NOTE_SECTIONS),
    ]
    return tuple(getattr(meeting, name) for name in names)


def meeting_problems(meeting: Meeting) -> list[tuple[int | None, str]]:
    try:
        meeting.full_clean(exclude=["slug", "conferences", "organisers"])
    except ValidationError as error:
        return [(None, message) for message in error.messages]
    return []


def plan_agenda(
    meeting: Meeting,
    rows: list[EditorRow],
    stored: Mapping[int, AgendaItem],
    *,
    language: str,
    was_draft: bool,
) -> tuple[list[Planned], list[tuple[int | None, str]]]:
    """Each row as the item it proposes (stored rows changed in place, new ones unsaved), and what
    could not be read: times, names, rows that are not where they may be."""
    directory = Directory()
    held = set(Presidency.objects.on(meeting.local_date).values_list("conference_id", flat=True))
    problems: list[tuple[int | None, str]] = []
    plan: list[Planned] = []
    day = meeting.local_date
    topic: AgendaItem | None = None
    topic_deleted = False
    topics = [row for row in rows if row.kind == TOPIC and not row.delete]
    seen: set[int] = set()
    for index, row in enumerate(rows):
        row.anchor = f"row-{index}"

        def refuse(message: str, row=row, index=index) -> None:
            row.problems.append(message)
            problems.append((index, message))

        if row.kind == DAY:
            try:
                day = date.fromisoformat(row.day)
            except ValueError:
                found = concept_notes.read_date(row.day, default_year=meeting.local_date.year)
                if found is None:
                    row.unread.add("day")
                    refuse(gettext("“%(day)s” is not a date: write it as 2022-05-31.") % {"day": row.day})
                else:
                    day = found
            continue
        item = stored.get(int(row.key)) if row.key.isdigit() else None
        if row.key and (item is None or item.pk in seen):
            refuse(gettext("This row is no longer on the agenda (deleted by someone else): remove it."))
            continue
        if item is None:
            item = AgendaItem(meeting=meeting)
        else:
            seen.add(item.pk)
        if row.kind == SUB_ITEM:
            if topic is not None and topic_deleted:
                row.delete = True  # a deleted topic takes its sub-items with it
            if topic is None:
                refuse(gettext("A sub-item needs a topic above it: make this row a topic."))
                continue
            item.parent = topic
        else:
            item.parent = None
        # An English or Portuguese title left empty waits for its translation; Spanish may not wait.
        setattr(item, f"title_{language}", row.title or (None if language != "es" else ""))
        if not item.title_es:
            item.title_es = row.title
        item.is_cancelled = row.is_cancelled
        if not item.title_es:
            row.unread.add("title")
            refuse(gettext("Give the activity a title."))
        read_times(row, item, day, meeting, refuse)
        try:
            item.clean_fields(
                exclude=["meeting", "parent", "reviews", "title", "starts_at", "ends_at", "uuid"]
            )
        except ValidationError as error:
            for message in error.messages:
                refuse(message)
        is_edge = row.kind == TOPIC and bool(topics) and row in (topics[0], topics[-1])
        if row.kind == SUB_ITEM and plan:
            is_edge = topic_row_is_edge(plan, topic, topics)
        reading = read_participants(row.participants, directory, usual_role=usual_role_in(is_edge))
        row.unknown = reading.unknown
        for name in reading.unknown:
            if row.new_kind in NEW_ORGANISATION_KINDS:
                continue
            row.unread.add("participants")
            refuse(
                gettext(
                    "Nobody goes by “%(name)s”: choose a name from the suggestions, or create it as a "
                    "new organisation in this row."
                )
                % {"name": name}
            )
        for _role, named in reading.roles:
            if named.kind == "presidency" and named.pk not in held:
                row.unread.add("participants")
                refuse(
                    gettext(
                        "Nobody holds %(role)s on %(day)s: no country holds the pro-tempore presidency "
                        "of that conference then."
                    )
                    % {"role": named.label, "day": meeting.local_date.isoformat()}
                )
        if row.delete and item.pk and row.kind == TOPIC and not was_draft:
            refuse(gettext("Calendars already hold this published topic: cancel it instead of deleting it."))
        plan.append(Planned(row, index, item, reading.roles))
        if row.kind == TOPIC:
            topic, topic_deleted = item, row.delete
    if stored.keys() - seen:
        problems.append(
            (
                None,
                gettext(
                    "The page did not send every row of the agenda: nothing was saved. "
                    "Open the agenda editor again."
                ),
            )
        )
    fill_open_ends(plan, meeting)
    positions: dict[int, int] = {}
    for each in plan:
        if each.row.delete:
            continue
        parent_key = id(each.item.parent) if each.item.parent is not None else None
        positions[parent_key] = positions.get(parent_key, 0) + 1
        each.item.position = positions[parent_key]
    return plan, problems


def topic_row_is_edge(plan: list[Planned], topic: AgendaItem, topics: list[EditorRow]) -> bool:
    topic_row = next((each.row for each in plan if each.item is topic), None)
    return bool(topics) and topic_row in (topics[0], topics[-1])


def read_times(row: EditorRow, item: AgendaItem, day: date, meeting: Meeting, refuse) -> None:
    if not row.time:
        item.starts_at = item.ends_at = None
        if row.kind == TOPIC:
            row.unread.add("time")
            refuse(gettext("A topic needs its time slot, such as “09:15 – 10:00”."))
        return
    span = concept_notes.read_time_span(row.time)
    if span is None:
        row.unread.add("time")
        item.starts_at = item.ends_at = None
        refuse(gettext("“%(time)s” is not a time slot: write it as “09:15 – 10:00”.") % {"time": row.time})
        return
    start, end = span
    item.starts_at = at(day, start, meeting)
    item.ends_at = at(day, end, meeting) if end else None
    if end and item.ends_at <= item.starts_at:
        item.ends_at += timedelta(days=1)  # "23:30 – 00:30" ends the next day


def at(day: date, clock: time, meeting: Meeting) -> datetime:
    return datetime.combine(day, clock, tzinfo=meeting.zone).astimezone(UTC)


def fill_open_ends(plan: list[Planned], meeting: Meeting) -> None:
    """A time slot written as its start alone ("09h00") ends when the next one at its level starts."""
    for position, each in enumerate(plan):
        item = each.item
        if item.starts_at and not item.ends_at:
            later = [
                other.item.starts_at
                for other in plan[position + 1 :]
                if other.item.starts_at and other.item.parent is item.parent and not other.row.delete
            ]
            parent_end = item.parent.ends_at if item.parent is not None else meeting.ends_at
            item.ends_at = min([*later, parent_end]) if later or parent_end else None
            if item.ends_at and item.ends_at > item.starts_at:
                each.row.time = concept_notes.write_time_span(
                    item.starts_at.astimezone(meeting.zone).time(),
                    item.ends_at.astimezone(meeting.zone).time(),
                )


def write_agenda(
    meeting: Meeting, plan: list[Planned], stored: Mapping[int, AgendaItem], *, user, minor: bool
) -> None:
    """Save what changed: rows, then their participants; deleted rows last. History keeps each."""
    created: dict[str, Organisation] = {}
    for each in plan:
        for name in each.row.unknown:
            if folded(name) not in created:
                organisation = Organisation(name=name, short_name=name[:60], kind=each.row.new_kind)
                organisation.full_clean()
                organisation.save()
                created[folded(name)] = organisation
            each.roles.append((Role.PRESENTER, Named("organisation", created[folded(name)].pk, name)))
    kept = set()
    for each in plan:
        item = each.item
        if each.row.delete:
            continue
        if item.parent is not None:
            item.parent_id = item.parent.pk
        wanted = [(role, named.kind, named.pk) for role, named in each.roles]
        had = [(p.role, *key_of(p)) for p in item.participants.all()] if item.pk else []
        if item.pk is None or item_changed(item, stored.get(item.pk)) or wanted != had:
            if minor:
                item._change_reason = history.MINOR
            # Judged above with the whole agenda; this keeps the field checks next to the write.
            item.full_clean(
                exclude=["meeting", "parent", "reviews"], validate_unique=False, validate_constraints=False
            )
            item.save()
        kept.add(item.pk)
        if wanted != had:
            replace_participants(item, wanted, list(item.participants.all()) if had else [])
    for each in plan:
        if each.row.delete and each.item.pk:
            AgendaItem.objects.filter(pk=each.item.pk).delete()


def key_of(participant: AgendaParticipant) -> tuple[str, int]:
    if participant.presidency_of_id:
        return ("presidency", participant.presidency_of_id)
    if participant.organisation_id:
        return ("organisation", participant.organisation_id)
    return ("person", participant.person_id)


def item_changed(item: AgendaItem, before: AgendaItem | None) -> bool:
    return before is None or getattr(item, "_editor_loaded", None) != editor_values(item)


def editor_values(item: AgendaItem) -> tuple:
    return (
        item.parent_id if item.parent is None else item.parent.pk,
        item.position,
        item.starts_at,
        item.ends_at,
        item.title_es,
        item.title_en,
        item.title_pt,
        item.is_cancelled,
    )


def replace_participants(
    item: AgendaItem, wanted: list[tuple[str, str, int]], had: list[AgendaParticipant]
) -> None:
    """Keep the participants still named (their order updated), add the new, remove the rest."""
    left = list(had)
    for position, (role, kind, pk) in enumerate(wanted, start=1):
        match = next((p for p in left if p.role == role and key_of(p) == (kind, pk)), None)
        if match is not None:
            left.remove(match)
            if match.position != position:
                match.position = position
                match.save(update_fields=["position"])
            continue
        AgendaParticipant.objects.create(
            item=item,
            role=role,
            position=position,
            person_id=pk if kind == "person" else None,
            organisation_id=pk if kind == "organisation" else None,
            presidency_of_id=pk if kind == "presidency" else None,
        )
    for participant in left:
        participant.delete()
