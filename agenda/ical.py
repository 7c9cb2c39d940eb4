"""Build iCalendar documents (RFC 5545, RFC 7986) for meetings and agenda items.

No HTTP and no queries: callers pass meetings with their agenda as
`Meeting.agenda()` loads it, and the absolute addresses of their pages.
Text is escaped and folded by the icalendar library; times carry the meeting's
TZID with a VTIMEZONE built from the tz database for the feed's dates.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property
from uuid import UUID, uuid5

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vDuration,
    vText,
)

from . import validators, zones
from .history import AgendaChange
from .models import AgendaItem, Meeting, Organisation

logger = logging.getLogger(__name__)
PRODID = "-//Conferencias CRM y CSM//plenary//ES"
# Names, within each row's UUID, the UID of a registered participant's copy of its event.
PARTICIPANT_COPY = "registered-participant-copy"
# How often subscribed calendars are asked to poll (REFRESH-INTERVAL, X-PUBLISHED-TTL).
FEED_REFRESH = timedelta(hours=1)
# VTIMEZONE rules cover the feed's dates with this margin on both sides.
TIME_ZONE_MARGIN = timedelta(days=366)


@dataclass(frozen=True)
class MeetingEntry:
    """A meeting as a feed shows it: the row, its agenda, and its page's address."""

    meeting: Meeting
    agenda: Sequence[AgendaItem]
    url: str
    # The public changelog, newest first (history.load_changes).
    changes: Sequence[AgendaChange] = ()
    # A registered participant's private feed carries the join link even when it is not public.
    for_registered: bool = False

    @cached_property
    def organisers(self) -> list[Organisation]:
        return list(self.meeting.organisers.all())

    @property
    def shows_join_link(self) -> bool:
        return self.meeting.shows_join_link or (self.for_registered and bool(self.meeting.video_call_url))

    def uid(self, row: Meeting | AgendaItem) -> str:
        """The event's UID. A participant's copy says more than the public one (the join link),
        so it is another event: one UID, SEQUENCE and DTSTAMP never stand for two texts."""
        if self.for_registered:
            return str(uuid5(row.uuid, PARTICIPANT_COPY))
        return str(row.uuid)


def one_line(text: str) -> str:
    """Return `text` on one line: a summary or location never spans lines."""
    return " ".join(text.split())


def new_calendar(name: str, description: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # No METHOD: a feed is a calendar to read, not an iTIP message (RFC 5546), whose
    # PUBLISH would require an ORGANIZER that a meeting without an organiser's email lacks.
    calendar.add("name", vText(one_line(name)))
    # The X-WR- names that Apple and Google read are TEXT too: escaped like the rest.
    calendar.add("x-wr-calname", vText(one_line(name)))
    calendar.add("description", description)
    calendar.add("x-wr-caldesc", vText(description))
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    return calendar


def meeting_calendar(meeting: Meeting) -> Calendar:
    """An empty calendar named for the meeting as one event."""
    return new_calendar(meeting.title, _("Agenda and updates of %(title)s") % {"title": meeting.title})


def agenda_calendar(meeting: Meeting) -> Calendar:
    """An empty calendar named for the meeting's topics, one event each."""
    return new_calendar(
        _("Agenda: %(title)s") % {"title": meeting.title},
        _("Each agenda item of %(title)s, kept up to date") % {"title": meeting.title},
    )


def time_zone_component(name: str, start: datetime, end: datetime) -> Timezone:
    """A VTIMEZONE for `name` from `start` to `end` that every calendar reads alike.

    Written here rather than by icalendar's `add_missing_timezones`, which lists
    onsets as one comma-separated RDATE (ical.js and vobject read only the first)
    and writes daylight onsets in the wall time after the change. Here each
    onset is a line of its own, in the wall time before the change, as RFC 5545
    (3.6.5) reads DTSTART and RDATE in TZOFFSETFROM.
    """
    component = Timezone()
    component.add("tzid", name)
    tz = zones.zone(name)
    first = start.astimezone(tz)
    initial = TimezoneDaylight() if first.dst() else TimezoneStandard()
    initial.add("dtstart", first.replace(tzinfo=None, minute=0, second=0, microsecond=0))
    initial.add("tzname", first.tzname())
    initial.add("tzoffsetfrom", first.utcoffset())
    initial.add("tzoffsetto", first.utcoffset())
    component.add_component(initial)
    groups: dict[tuple, list[zones.Transition]] = {}
    for change in zones.transitions(name, start, end):
        key = (change.is_daylight_after, change.offset_before, change.offset_after, change.name_after)
        groups.setdefault(key, []).append(change)
    for (is_daylight, offset_before, offset_after, tzname), changes in groups.items():
        observance = TimezoneDaylight() if is_daylight else TimezoneStandard()
        observance.add("dtstart", changes[0].local_onset)
        for change in changes[1:]:
            observance.add("rdate", change.local_onset)
        observance.add("tzname", tzname)
        observance.add("tzoffsetfrom", offset_before)
        observance.add("tzoffsetto", offset_after)
        component.add_component(observance)
    return component


def finish(
    calendar: Calendar, moments: Iterable[datetime], serialised_events: Sequence[bytes] = (), zone: str = ""
) -> bytes:
    """Add the VTIMEZONEs the events use, for their dates, and serialise with CRLF line ends.

    `serialised_events` are events already serialised, in `zone`, written after the others.
    """
    moments = list(moments)
    if moments:
        start, end = min(moments) - TIME_ZONE_MARGIN, max(moments) + TIME_ZONE_MARGIN
        # Whole days, so that feeds built at different moments share their VTIMEZONEs.
        start = start.replace(hour=0, minute=0, second=0, microsecond=0)
        end = end.replace(hour=0, minute=0, second=0, microsecond=0)
        used = set(calendar.get_used_tzids()) | ({zone} if serialised_events else set())
        for name in sorted(used, reverse=True):
            calendar.subcomponents.insert(0, time_zone_component(name, start, end))
    text = calendar.to_ical()
    if not serialised_events:
        return text
    end_line = b"END:VCALENDAR\r\n"
    return text[: -len(end_line)] + b"".join(serialised_events) + end_line


def location(meeting: Meeting) -> str:
    places = [meeting.venue] if meeting.venue else []
    if meeting.modality != Meeting.Modality.IN_PERSON:
        places.append(meeting.video_call_platform or _("Video call"))
    return one_line(" · ".join(places))


def add_common(event: Event, row: Meeting | AgendaItem, entry: MeetingEntry, last_modified: datetime) -> None:
    """Add what every event carries: identity, revision and place."""
    event.add("uid", entry.uid(row))
    # DTSTAMP is the revision's time, not the build's, so an unchanged feed keeps its bytes and ETag.
    event.add("dtstamp", last_modified)
    event.add("created", row.created_at)
    event.add("last-modified", last_modified)
    meeting = entry.meeting
    event.add("location", location(meeting))
    if entry.shows_join_link:
        event.add(
            "conference",
            meeting.video_call_url,
            parameters={
                "VALUE": "URI",
                "FEATURE": ["AUDIO", "VIDEO"],
                "LABEL": meeting.video_call_platform or _("Video call"),
            },
        )
    organiser = next((org for org in meeting.organisers.all() if org.email), None)
    if organiser:
        event.add("organizer", vCalAddress(f"mailto:{organiser.email}"), parameters={"CN": str(organiser)})


def item_line(item: AgendaItem, meeting: Meeting) -> str:
    parts = []
    if item.starts_at:
        parts.append(zones.time_span(item.starts_at, item.ends_at, meeting.time_zone, offset=False))
    parts.append(one_line(item.title))
    if item.is_cancelled:
        parts.append(_("(cancelled)"))
    line = " ".join(parts)
    participants = item.participants_text()
    return f"{line} — {participants}" if participants else line


def describe_item(item: AgendaItem, meeting: Meeting) -> str:
    lines = [item_line(item, meeting)]
    if item.description:
        lines.append(item.description)
    lines.extend(f"  · {item_line(child, meeting)}" for child in item.children)
    return "\n".join(lines)


def join_lines(entry: MeetingEntry) -> list[str]:
    meeting = entry.meeting
    lines = [_("Meeting page: %(url)s") % {"url": entry.url}]
    if entry.shows_join_link:
        lines.append(_("Join: %(url)s") % {"url": meeting.video_call_url})
    return lines


def meeting_event(entry: MeetingEntry) -> Event:
    """The whole meeting as one event, its agenda summarised in the description."""
    meeting = entry.meeting
    last_modified = max(
        [meeting.updated_at, *(each.updated_at for item in entry.agenda for each in [item, *item.children])]
    )
    event = Event()
    add_common(event, meeting, entry, last_modified)
    event.add("sequence", meeting.sequence)
    event.add("summary", one_line(meeting.title))
    event.add("dtstart", meeting.local_starts_at)
    event.add("dtend", meeting.local_ends_at)
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    event.add("url", entry.url)
    agenda = [_("Agenda (%(offset)s):") % {"offset": meeting.gmt_label}]
    agenda.extend(describe_item(item, meeting) for item in entry.agenda)
    event.add("description", "\n".join([*agenda, *change_lines(entry), "", *join_lines(entry)]))
    return event


def change_lines(entry: MeetingEntry) -> list[str]:
    if not entry.changes:
        return []
    zone = entry.meeting.zone
    return [
        "",
        _("Changes to the agenda:"),
        *(f"- {change.at.astimezone(zone):%d/%m %H:%M}: {change.text}" for change in entry.changes),
    ]


def item_last_modified(item: AgendaItem, meeting: Meeting) -> datetime:
    # Its description shows the meeting's title and join link, and the sub-items.
    return max([item.updated_at, meeting.updated_at, *(child.updated_at for child in item.children)])


def item_event_text(item: AgendaItem, entry: MeetingEntry) -> bytes:
    return item_event(item, entry).to_ical()


def item_event_shows(item: AgendaItem, entry: MeetingEntry) -> tuple:
    """What a topic's event text is built from, for `cache.shown_key`.

    The topic counts with the rows loaded with it (its meeting, sub-items,
    participants and the country holding each presidency on the day); beside
    it, the organisers, and what no row holds: the UID, the page's address,
    the join link's showing and the language.
    """
    return (
        item,
        entry.meeting,
        entry.organisers,
        entry.uid(item),
        entry.url,
        entry.shows_join_link,
        get_language(),
    )


def item_event(item: AgendaItem, entry: MeetingEntry) -> Event:
    """A topic as its own event: sub-items and participants in the description."""
    meeting = entry.meeting
    event = Event()
    last_modified = item_last_modified(item, meeting)
    add_common(event, item, entry, last_modified)
    event.add("sequence", item.sequence)
    event.add("summary", one_line(item.title))
    event.add("dtstart", item.local_starts_at)
    event.add("dtend", item.local_ends_at)
    cancelled = item.is_cancelled or meeting.status == Meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("url", f"{entry.url}#item-{item.uuid}")
    description = [
        one_line(meeting.title),
        "",
        describe_item(item, meeting),
        "",
        *join_lines(entry),
    ]
    event.add("description", "\n".join(description))
    return event


@dataclass(frozen=True)
class WithdrawnEntry:
    """A meeting taken back to draft after the public saw it: what calendars hold, to cancel.

    `meeting` and `topics` are as last published (`Meeting.as_last_published`);
    `sequences` are the rows' current SEQUENCE numbers, raised by the withdrawal.
    """

    meeting: Meeting
    topics: Sequence[AgendaItem]
    withdrawn_at: datetime
    sequences: dict[UUID, int]

    def sequence_of(self, row: Meeting | AgendaItem) -> int:
        return self.sequences.get(row.uuid, row.sequence + 1)


def withdrawn_event(row: Meeting | AgendaItem, entry: WithdrawnEntry) -> Event:
    """The event as calendars last saw it, cancelled; nothing of the draft since."""
    zone = zones.zone(entry.meeting.time_zone)
    event = Event()
    event.add("uid", str(row.uuid))
    event.add("dtstamp", entry.withdrawn_at)
    event.add("last-modified", entry.withdrawn_at)
    event.add("sequence", entry.sequence_of(row))
    event.add("summary", one_line(row.title))
    event.add("dtstart", row.starts_at.astimezone(zone))
    event.add("dtend", row.ends_at.astimezone(zone))
    event.add("location", location(entry.meeting))
    event.add("status", "CANCELLED")
    event.add(
        "description",
        _("%(title)s has been withdrawn by its secretariat; it will be announced again if it is rescheduled.")
        % {"title": one_line(entry.meeting.title)},
    )
    return event


def build_withdrawn_calendar(entry: WithdrawnEntry, kind: str, item: AgendaItem | None = None) -> bytes:
    """A withdrawn meeting's feed of `kind` ("meeting", "agenda" or "item"), every event cancelled."""
    meeting = entry.meeting
    if kind == "agenda":
        calendar, rows = agenda_calendar(meeting), list(entry.topics)
    else:
        calendar, rows = meeting_calendar(meeting), [item] if kind == "item" else [meeting]
    for row in rows:
        calendar.add_component(withdrawn_event(row, entry))
    return finish(calendar, [meeting.starts_at, meeting.ends_at])


def timed_topics(entry: MeetingEntry) -> list[AgendaItem]:
    return [item for item in entry.agenda if item.starts_at]


def build_meeting_calendar(entry: MeetingEntry, *, for_registered: bool = False) -> bytes:
    """The meeting as a single event; for participants, with the join link however it is shown."""
    if for_registered:
        entry = replace(entry, for_registered=True)
    meeting = entry.meeting
    calendar = meeting_calendar(meeting)
    calendar.add("x-wr-timezone", meeting.time_zone)
    calendar.add_component(meeting_event(entry))
    return finish(calendar, [meeting.starts_at, meeting.ends_at])


# Serialises a meeting's topics as events, in order: `serialise_topics` below, or a cache of it.
TopicSerialiser = Callable[[Sequence[AgendaItem], MeetingEntry], list[bytes]]


def serialise_topics(topics: Sequence[AgendaItem], entry: MeetingEntry) -> list[bytes]:
    return [item_event_text(item, entry) for item in topics]


def build_agenda_calendar(entry: MeetingEntry, *, serialise: TopicSerialiser = serialise_topics) -> bytes:
    """Each topic of the meeting as its own event."""
    meeting = entry.meeting
    calendar = agenda_calendar(meeting)
    calendar.add("x-wr-timezone", meeting.time_zone)
    events = serialise(timed_topics(entry), entry)
    return finish(calendar, [meeting.starts_at, meeting.ends_at], events, meeting.time_zone)


def build_item_calendar(item: AgendaItem, entry: MeetingEntry) -> bytes:
    """One agenda item, for a one-off download."""
    calendar = new_calendar(item.title, entry.meeting.title)
    calendar.add_component(item_event(item, entry))
    return finish(calendar, [item.starts_at, item.ends_at])


def build_series_calendar(
    entries: Sequence[MeetingEntry],
    *,
    name: str,
    description: str,
    withdrawn: Sequence[WithdrawnEntry] = (),
) -> bytes:
    """Every public meeting, past and coming, each as one event; withdrawn ones cancelled."""
    calendar = new_calendar(name, description)
    built = [(entry.meeting, event_or_none(entry.meeting, meeting_event, entry)) for entry in entries]
    built += [
        (each.meeting, event_or_none(each.meeting, withdrawn_event, each.meeting, each)) for each in withdrawn
    ]
    meetings = []
    for meeting, event in built:
        if event is not None:
            calendar.add_component(event)
            meetings.append(meeting)
    return finish(calendar, [moment for each in meetings for moment in (each.starts_at, each.ends_at)])


def event_or_none(meeting: Meeting, build, *arguments) -> Event | None:
    """`build(*arguments)`, or None (logged) if the meeting's row can't be an event.

    Forms, imports and restores keep such rows out; this is for one written some other
    way, so that it never takes the whole series feed down.
    """
    if not validators.is_calendar_time(meeting.starts_at, meeting.ends_at):
        logger.error("Meeting %s left out of the series feed: its dates are out of range.", meeting.pk)
        return None
    try:
        return build(*arguments)
    except (ValueError, OverflowError, TypeError):
        logger.exception("Meeting %s left out of the series feed.", meeting.pk)
        return None


LAST_MODIFIED_LINE = re.compile(rb"^LAST-MODIFIED:(\d{8}T\d{6}Z)\r?$", re.MULTILINE)


def last_modified(body: bytes) -> datetime | None:
    """The newest LAST-MODIFIED of the events in `body`, or None if it has none.

    What a feed's HTTP Last-Modified says: when its events last changed, not when it was
    last built (which any change to any meeting causes).
    """
    stamps = LAST_MODIFIED_LINE.findall(body)
    if not stamps:
        return None
    return datetime.strptime(max(stamps).decode(), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
