"""What changed, read from the history django-simple-history keeps of every save.

Two readers: the secretary whose save was refused because someone else saved
first (`edits_since`), and participants, who see the changes that matter to
them once a meeting is published (`load_changes`, "Changes to the agenda").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import AgendaItem, AgendaParticipant, Meeting
from .zones import gmt_label, gmt_label_at

# The change reason the admin's "minor correction" box records: left out of the public changelog.
MINOR = "minor"
# Roles whose change participants are told of; a speaker list is not news.
ANNOUNCED_ROLES = {AgendaParticipant.Role.PRESENTER, AgendaParticipant.Role.MODERATOR}


def local_time(moment: datetime | None, meeting: Meeting, *, with_offset: bool = True) -> str:
    if moment is None:
        return "—"
    local = moment.astimezone(meeting.zone)
    text = f"{local:%H:%M}"
    if local.date() != meeting.local_starts_at.date():
        text = f"{local:%d/%m} {text}"
    return f"{text} {gmt_label(local.utcoffset())}" if with_offset else text


def translated(record, field: str) -> str:
    """A translated field of a historical row in the active language, Spanish where missing."""
    return getattr(record, f"{field}_{get_language()}", None) or getattr(record, f"{field}_es", None) or ""


def shown_value(value, field: models.Field, meeting: Meeting) -> str:
    if isinstance(value, datetime):
        return local_time(value, meeting)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value) if value not in (None, "") else "—"


def edits_since(instance: Meeting | AgendaItem, version: int) -> tuple[str, list[str]]:
    """Who saved `instance` after `version`, and each field they changed: "Title: “A” → “B”".

    The first element reads "by ana at 08:52 GMT-6"; the list is empty when
    the history doesn't reach back to `version` (rows older than the history).
    """
    records = list(instance.history.filter(version__gte=version).order_by("history_date", "history_id"))
    meeting = instance if isinstance(instance, Meeting) else instance.meeting
    if not records:
        return "", []
    latest = records[-1]
    who = _("by %(user)s at %(time)s") % {
        "user": latest.history_user or _("someone"),
        "time": local_time(latest.history_date, meeting),
    }
    if len(records) < 2:
        return who, []
    delta = latest.diff_against(records[0], excluded_fields=["version", "sequence"])
    lines = []
    field_names = {field.name for field in instance._meta.fields}
    for change in delta.changes:
        if f"{change.field}_es" in field_names:
            continue  # The untranslated column mirrors the Spanish one (modeltranslation).
        field = instance._meta.get_field(change.field)
        old, new = shown_value(change.old, field, meeting), shown_value(change.new, field, meeting)
        if old != new:
            lines.append(f"{field.verbose_name.capitalize()}: “{old}” → “{new}”")
    return who, lines


@dataclass(frozen=True)
class AgendaChange:
    """One line of a meeting's public changelog."""

    at: datetime
    text: str
    # The save it came with (the request that wrote it; None outside one), to group its lines.
    save: object = None


@dataclass
class AgendaSave:
    """One save of the meeting as participants read it: when, and each change it made."""

    at: datetime
    lines: list[str]
    zone_label: str


def by_save(changes: Sequence[AgendaChange], meeting: Meeting) -> list[AgendaSave]:
    """Group a changelog into saves, newest first: one entry per save, its changes under it.

    A change written outside a request (a management command) has no save: it stands alone.
    """
    saves: dict[object, AgendaSave] = {}
    for index, change in enumerate(sorted(changes, key=lambda change: change.at)):
        key = change.save or index
        if key not in saves:
            saves[key] = AgendaSave(change.at, [], gmt_label_at(change.at, meeting.time_zone))
        saves[key].lines.append(change.text)
    return list(saves.values())[::-1]


def pairs(records: Iterable) -> Iterable[tuple]:
    """(previous, record) for each historical record, grouped by the row it is a version of."""
    previous = {}
    for record in records:
        yield previous.get(record.id), record
        previous[record.id] = record


def published_at(meeting_records: Sequence) -> datetime | None:
    for record in meeting_records:
        if record.status != Meeting.Status.DRAFT:
            return record.history_date
    return None


def describe_meeting(before, after, meeting: Meeting) -> list[str]:
    if before is None:
        return []
    lines = []
    if translated(before, "title") != translated(after, "title"):
        lines.append(
            _("The meeting was renamed “%(new)s” (was “%(old)s”).")
            % {"new": translated(after, "title"), "old": translated(before, "title")}
        )
    if (before.starts_at, before.ends_at) != (after.starts_at, after.ends_at):
        lines.append(
            _("The meeting now runs %(start)s–%(end)s (was %(old_start)s–%(old_end)s).")
            % {
                "start": local_time(after.starts_at, meeting, with_offset=False),
                "end": local_time(after.ends_at, meeting),
                "old_start": local_time(before.starts_at, meeting, with_offset=False),
                "old_end": local_time(before.ends_at, meeting),
            }
        )
    if before.video_call_url != after.video_call_url and after.video_call_url:
        lines.append(_("The link to join the meeting changed."))
    if before.venue != after.venue:
        lines.append(_("The venue is now “%(venue)s”.") % {"venue": after.venue or "—"})
    if before.status != after.status == Meeting.Status.CANCELLED:
        lines.append(_("The meeting was cancelled."))
    elif before.status == Meeting.Status.CANCELLED != after.status:
        lines.append(_("The meeting is back on: it was cancelled."))
    return lines


def describe_item(before, after, meeting: Meeting) -> list[str]:
    title = translated(after, "title")
    if after.history_type == "+":
        if after.starts_at:
            return [
                _("New item: “%(title)s”, %(start)s–%(end)s.")
                % {
                    "title": title,
                    "start": local_time(after.starts_at, meeting, with_offset=False),
                    "end": local_time(after.ends_at, meeting),
                }
            ]
        return [_("New item: “%(title)s”.") % {"title": title}]
    if after.history_type == "-":
        return [_("“%(title)s” was removed from the agenda.") % {"title": title}]
    if before is None:
        return []
    lines = []
    if translated(before, "title") != title:
        lines.append(_("“%(old)s” is now “%(new)s”.") % {"old": translated(before, "title"), "new": title})
    if before.starts_at != after.starts_at and before.starts_at and after.starts_at:
        lines.append(
            _("“%(title)s” moved from %(old)s to %(new)s.")
            % {
                "title": title,
                "old": local_time(before.starts_at, meeting, with_offset=False),
                "new": local_time(after.starts_at, meeting),
            }
        )
    elif before.ends_at != after.ends_at and after.ends_at:
        lines.append(
            _("“%(title)s” now ends at %(end)s.")
            % {"title": title, "end": local_time(after.ends_at, meeting)}
        )
    if after.is_cancelled and not before.is_cancelled:
        lines.append(_("“%(title)s” was cancelled.") % {"title": title})
    elif before.is_cancelled and not after.is_cancelled:
        lines.append(_("“%(title)s” is back on the agenda.") % {"title": title})
    return lines


def participant_label(record) -> str:
    if record.presidency_of_id:
        return f"PPT {record.presidency_of.acronym}"
    if record.organisation_id:
        return str(record.organisation)
    return record.person.name if record.person_id else ""


def describe_participant(before, after, item_titles: dict[int, str]) -> list[str]:
    """A presenter or moderator who left or came: a changed role or name is both."""
    title = item_titles.get(after.item_id, "")
    removed = after.history_type == "-"
    if before is not None and not removed and role_and_name(before) == role_and_name(after):
        return []
    lines = []
    if before is not None and before.role in ANNOUNCED_ROLES:
        lines.append(no_longer(before.role) % {"name": participant_label(before), "title": title})
    if not removed and after.role in ANNOUNCED_ROLES:
        lines.append(will(after.role) % {"name": participant_label(after), "title": title})
    return lines


def role_and_name(record) -> tuple[str, str]:
    return record.role, participant_label(record)


def will(role: str) -> str:
    if role == AgendaParticipant.Role.MODERATOR:
        return _("%(name)s will moderate “%(title)s”.")
    return _("%(name)s will present “%(title)s”.")


def no_longer(role: str) -> str:
    if role == AgendaParticipant.Role.MODERATOR:
        return _("%(name)s will no longer moderate “%(title)s”.")
    return _("%(name)s will no longer present “%(title)s”.")


def load_changes(meetings: Sequence[Meeting]) -> dict[int, list[AgendaChange]]:
    """The public changelog of each meeting: changes since it was published, newest first.

    Three queries whatever the number of meetings and items. Saves marked
    minor (typo fixes) are left out, and so is everything before publication.
    """
    by_pk = {meeting.pk: meeting for meeting in meetings}
    changes: dict[int, list[AgendaChange]] = {pk: [] for pk in by_pk}
    meeting_records = defaultdict(list)
    for record in Meeting.history.filter(id__in=by_pk).order_by("history_date", "history_id"):
        meeting_records[record.id].append(record)
    since = {pk: published_at(records) for pk, records in meeting_records.items()}
    since = {pk: moment for pk, moment in since.items() if moment}
    if not since:
        return changes

    def announced(record, meeting_pk: int) -> bool:
        return record.history_change_reason != MINOR and record.history_date > since[meeting_pk]

    for pk, records in meeting_records.items():
        if pk not in since:
            continue
        for before, after in pairs(records):
            if announced(after, pk):
                changes[pk] += [
                    AgendaChange(after.history_date, text, after.history_save)
                    for text in describe_meeting(before, after, by_pk[pk])
                ]

    item_records = list(
        AgendaItem.history.filter(meeting_id__in=since).order_by("history_date", "history_id")
    )
    item_titles, meeting_of_item = {}, {}
    for record in item_records:
        meeting_of_item[record.id] = record.meeting_id
        item_titles[record.id] = translated(record, "title")
    for before, after in pairs(item_records):
        if announced(after, after.meeting_id):
            meeting = by_pk[after.meeting_id]
            changes[meeting.pk] += [
                AgendaChange(after.history_date, text, after.history_save)
                for text in describe_item(before, after, meeting)
            ]

    participant_records = AgendaParticipant.history.filter(item_id__in=item_titles).select_related(
        "person", "organisation", "presidency_of"
    )
    for before, after in pairs(participant_records.order_by("history_date", "history_id")):
        pk = meeting_of_item[after.item_id]
        if announced(after, pk):
            changes[pk] += [
                AgendaChange(after.history_date, text, after.history_save)
                for text in describe_participant(before, after, item_titles)
            ]
    for lines in changes.values():
        lines.sort(key=lambda change: change.at, reverse=True)
    return changes
