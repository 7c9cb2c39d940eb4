"""The editor's rows: the table's cells as typed, from a post, from the stored agenda, from a concept note."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from .. import concept_notes
from ..concept_notes import DAY, SUB_ITEM, TOPIC
from ..models import (
    AgendaItem,
    AgendaParticipant,
    Meeting,
    load_agendas,
)
from .names import usual_role_in, write_participants


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
    is_parallel: bool = False
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
        row.is_parallel = bool(data.get(f"{prefix}-parallel"))
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
                    is_parallel=item.is_parallel,
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
    return (row.kind, row.time, row.title, row.participants, row.is_cancelled, row.is_parallel)


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
        is_parallel=item.is_parallel,
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
