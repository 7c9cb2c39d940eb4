"""Saving the editor's table: judged whole, written in one transaction, or refused row by row."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from .. import concept_notes, history
from ..concept_notes import DAY, SUB_ITEM, TOPIC
from ..models import (
    AgendaItem,
    AgendaParticipant,
    Meeting,
    Organisation,
    Presidency,
    find_agenda_problems,
    load_agendas,
)
from .names import NEW_ORGANISATION_KINDS, Directory, Named, Role, folded, read_participants, usual_role_in
from .rows import EditorRow, agenda_state


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
        if row.delete:
            # A row to delete is not read: only whether it may go.
            if item.pk and row.kind == TOPIC and not was_draft:
                refuse(
                    gettext("Calendars already hold this published topic: cancel it instead of deleting it.")
                )
            plan.append(Planned(row, index, item, []))
            if row.kind == TOPIC:
                topic, topic_deleted = item, True
            continue
        # An English or Portuguese title left empty waits for its translation; Spanish may not wait.
        setattr(item, f"title_{language}", row.title or (None if language != "es" else ""))
        if not item.title_es:
            item.title_es = row.title
        item.is_cancelled = row.is_cancelled
        item.is_parallel = row.is_parallel
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
        is_edge = row.kind == TOPIC and bool(topics) and (row is topics[0] or row is topics[-1])
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
        plan.append(Planned(row, index, item, reading.roles))
        if row.kind == TOPIC:
            topic, topic_deleted = item, False
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
    return bool(topics) and topic_row is not None and (topic_row is topics[0] or topic_row is topics[-1])


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
        item.is_parallel,
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
