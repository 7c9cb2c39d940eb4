"""The live clock: replay the timekeeper's actions, project the rest of the agenda, act.

The speakers' lists ride on the same events and replay (floor.py).

`replay()` and `project()` are pure: they take the actions and `now`, so tests
drive a whole meeting with a clock they control. The actions (`start_meeting`,
`next_item`…) check the replayed state, append one `LiveEvent` in a
transaction that locks the meeting, and make the cached state stale.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import floor
from .cache import bump_content_version
from .models import AgendaItem, LiveEvent, Meeting, SpeakersList
from .spreadsheets import spreadsheet_text
from .states import ItemState, MeetingState

Kind = LiveEvent.Kind
# The most a timekeeper may add or take away from the running item in one press.
MAX_ADJUST_MINUTES = 120
# Pages start following the clock this long before a meeting's planned start (and after its end).
LIVE_WINDOW_MINUTES = 60
# For this long after "End the meeting", the console can take it back (a stored event too).
UNDO_END_MINUTES = 30


class LiveActionRefused(ValidationError):
    """An action that does not fit the meeting's state; nothing was recorded."""


@dataclass
class ItemClock:
    """One topic's plan and what happened to it."""

    item: AgendaItem
    planned_start: datetime
    planned_end: datetime
    extra: timedelta = timedelta(0)
    actual_start: datetime | None = None
    actual_end: datetime | None = None
    paused: timedelta = timedelta(0)

    @property
    def allotted(self) -> timedelta:
        return self.planned_end - self.planned_start + self.extra

    @property
    def is_done(self) -> bool:
        return self.actual_end is not None


@dataclass
class Replay:
    """The meeting's clock after every recorded action: no `now` in it."""

    items: list[ItemClock]
    started_at: datetime | None = None
    ended_at: datetime | None = None
    current: ItemClock | None = None
    paused_since: datetime | None = None
    # The item that ran when the meeting was ended: undoing the end takes it up again.
    ended_during: ItemClock | None = None
    version: int = 0
    # Each speakers' list of the agenda, by item id.
    floors: dict[int, floor.Floor] = field(default_factory=dict)

    @property
    def status(self) -> MeetingState:
        if self.ended_at:
            return MeetingState.ENDED
        if self.started_at is None:
            return MeetingState.NOT_STARTED
        return MeetingState.PAUSED if self.paused_since else MeetingState.RUNNING

    @property
    def has_started(self) -> bool:
        return self.status != MeetingState.NOT_STARTED

    @property
    def has_ended(self) -> bool:
        return self.status == MeetingState.ENDED

    @property
    def is_paused(self) -> bool:
        return self.status == MeetingState.PAUSED

    def clock_for(self, item_id) -> ItemClock | None:
        return next((clock for clock in self.items if clock.item.pk == item_id), None)

    def after(self, clock: ItemClock) -> ItemClock | None:
        index = self.items.index(clock)
        return self.items[index + 1] if index + 1 < len(self.items) else None


def topics_on_the_clock(agenda: list[AgendaItem]) -> list[AgendaItem]:
    """The items the clock runs through: timed topics that are not cancelled, in order."""
    return [item for item in agenda if item.starts_at and not item.is_cancelled]


def replay(agenda: list[AgendaItem], events: list[LiveEvent], lists: list[SpeakersList] = ()) -> Replay:
    """Rebuild the clock and the speakers' lists from the recorded actions, in order."""
    clocks = [ItemClock(item, item.starts_at, item.ends_at) for item in topics_on_the_clock(agenda)]
    state = Replay(items=clocks, floors=floor.floors_for(lists))
    for event in events:
        apply(state, event)
        state.version += 1
    return state


def stop_current(state: Replay, at: datetime) -> None:
    if state.current is None:
        return
    floor.stop_speaker(state, state.current.item.pk, at)
    if state.paused_since is not None:
        state.current.paused += at - state.paused_since
        state.paused_since = None
    state.current.actual_end = at
    state.current = None


def begin(state: Replay, clock: ItemClock, at: datetime) -> None:
    stop_current(state, at)
    if clock.actual_start is None:
        clock.actual_start = at
    elif clock.actual_end is not None:
        # Taken up again: the time between is a pause, not time spent on it.
        clock.paused += at - clock.actual_end
    clock.actual_end = None
    state.current = clock


def apply(state: Replay, event: LiveEvent) -> None:
    at = event.at
    if event.kind in floor.FLOOR_KINDS:
        floor.apply(state, event)
    elif event.kind in (Kind.START_MEETING, Kind.START_ITEM):
        state.started_at = state.started_at or at
        clock = state.clock_for(event.item_id) if event.item_id else state.items[0] if state.items else None
        if clock:
            begin(state, clock, at)
    elif event.kind == Kind.NEXT:
        ending = state.current
        following = state.after(ending) if ending else None
        if following:
            begin(state, following, at)
        else:
            stop_current(state, at)
    elif event.kind == Kind.PAUSE:
        state.paused_since = at
    elif event.kind == Kind.RESUME:
        floor.resume_speaker(state, at)
        if state.current and state.paused_since:
            state.current.paused += at - state.paused_since
        state.paused_since = None
    elif event.kind == Kind.ADJUST and state.current:
        state.current.extra += timedelta(minutes=event.minutes)
    elif event.kind == Kind.END_MEETING:
        state.ended_during = state.current
        stop_current(state, at)
        state.ended_at = at
    elif event.kind == Kind.UNDO_END:
        state.ended_at = None
        if state.ended_during is not None:
            begin(state, state.ended_during, at)
        state.ended_during = None


@dataclass
class ItemProjection:
    clock: ItemClock
    status: ItemState
    start: datetime
    end: datetime

    @property
    def is_now(self) -> bool:
        return self.status == ItemState.NOW

    @property
    def item(self) -> AgendaItem:
        return self.clock.item

    @property
    def moved(self) -> bool:
        """Whether the projected or actual times differ from the plan by a minute or more."""
        return abs(self.start - self.clock.planned_start) >= timedelta(minutes=1) or abs(
            self.end - self.clock.planned_end
        ) >= timedelta(minutes=1)


@dataclass
class Projection:
    """The clock read at `now`: what runs, what is next, and when the rest should happen."""

    state: Replay
    now: datetime
    items: list[ItemProjection] = field(default_factory=list)
    floors: dict[int, floor.FloorProjection] = field(default_factory=dict)

    @property
    def is_live(self) -> bool:
        """Whether pages should follow the clock: it runs, or the meeting is about to start."""
        if self.state.status in (MeetingState.RUNNING, MeetingState.PAUSED):
            return True
        if self.state.has_ended or not self.items:
            return False
        window = timedelta(minutes=LIVE_WINDOW_MINUTES)
        return (
            self.items[0].clock.planned_start - window
            <= self.now
            <= self.items[-1].clock.planned_end + window
        )

    @property
    def render_key(self) -> str:
        """What server-rendered live markup depends on: the actions, and the minute while it runs."""
        return f"{self.state.version}:{self.now:%Y%m%d%H%M}" if self.is_live else str(self.state.version)

    @property
    def shows_banner(self) -> bool:
        return self.is_live or self.state.has_ended

    @cached_property
    def by_item_id(self) -> dict[int, ItemProjection]:
        return {row.item.pk: row for row in self.items}

    @property
    def current(self) -> ItemProjection | None:
        return next((row for row in self.items if row.is_now), None)

    @property
    def floor(self) -> floor.FloorProjection | None:
        """The running item's speakers' list, if it has one."""
        current = self.current
        return self.floors.get(current.item.pk) if current else None

    @property
    def next(self) -> ItemProjection | None:
        return next((row for row in self.items if row.status == ItemState.NEXT), None)

    @property
    def projected_end(self) -> datetime | None:
        return self.items[-1].end if self.items else None

    @property
    def planned_end(self) -> datetime | None:
        return self.items[-1].clock.planned_end if self.items else None

    @property
    def delay(self) -> timedelta:
        """Positive when the meeting runs late: its projected end against its planned end."""
        if not self.items:
            return timedelta(0)
        return self.projected_end - self.planned_end

    @property
    def delay_minutes(self) -> int:
        return round(self.delay.total_seconds() / 60)

    @property
    def remaining(self) -> timedelta | None:
        """Time left on the running item; negative once it overruns."""
        current = self.current
        if current is None:
            return None
        return current.clock.allotted - elapsed(current.clock, self.state, self.now)

    @property
    def holds_until(self) -> datetime | None:
        """Until when this projection holds with no new action (None: until the next action).

        Projected times follow `now` only once the clock has caught up with the
        plan: before the meeting, from the first planned start; while an item
        runs, from the end of its time (and at once while paused, the pause
        pushing everything after it). From then on they move minute by minute.
        """
        state, now = self.state, self.now
        if state.ended_at or not self.items:
            return None
        current = state.current
        if state.started_at is None:
            caught_up = self.items[0].clock.planned_start
        elif current is not None and not state.paused_since:
            caught_up = current.actual_start + current.allotted + current.paused
        else:
            caught_up = now
        speakers = self.floor
        if speakers is not None and (speakers.floor.speaking or speakers.floor.waiting):
            # The list's projected end follows the speaker's time, then the clock.
            due = speakers.speaker_due if speakers.floor.speaking and not state.paused_since else now
            caught_up = min(caught_up, due)
        return caught_up if now < caught_up else now.replace(second=0, microsecond=0) + timedelta(minutes=1)


def elapsed(clock: ItemClock, state: Replay, now: datetime) -> timedelta:
    """Time spent on an item so far, pauses left out."""
    if clock.actual_start is None:
        return timedelta(0)
    until = clock.actual_end or (state.paused_since if state.current is clock and state.paused_since else now)
    return until - clock.actual_start - clock.paused


def project(state: Replay, now: datetime) -> Projection:
    """Place every topic: done ones where they happened, the rest after what runs now.

    An item does not start before its planned time unless the timekeeper starts
    it early, so a meeting that runs ahead waits, and one that runs late pushes
    everything after it.
    """
    projection = Projection(state=state, now=now)
    cursor = now if state.started_at is None or state.ended_at is None else None
    current = state.current
    if current is not None:
        ongoing_pause = now - state.paused_since if state.paused_since else timedelta(0)
        cursor = max(now, current.actual_start + current.allotted + current.paused + ongoing_pause)
        # Its speakers' list may run past its time; what is still to come waits for both.
        cursor = with_speakers_list(projection, current, current.actual_start, cursor)
    current_end = cursor
    next_found = False
    add = projection.items.append
    for clock in state.items:
        if clock is current:
            add(ItemProjection(clock, ItemState.NOW, clock.actual_start, current_end))
        elif clock.is_done:
            add(ItemProjection(clock, ItemState.DONE, clock.actual_start, clock.actual_end))
        elif state.ended_at:
            add(ItemProjection(clock, ItemState.SKIPPED, clock.planned_start, clock.planned_end))
        else:
            start = max(clock.planned_start, cursor)
            status = ItemState.UPCOMING if next_found else ItemState.NEXT
            next_found = True
            cursor = with_speakers_list(projection, clock, start, start + clock.allotted)
            add(ItemProjection(clock, status, start, cursor))
    return projection


def with_speakers_list(projection: Projection, clock: ItemClock, start: datetime, end: datetime) -> datetime:
    """The item's end, pushed later if its speakers' list, at the pace so far, would outrun it."""
    item_floor = projection.state.floors.get(clock.item.pk)
    if item_floor is None:
        return end
    read = floor.project(item_floor, projection.state, projection.now, start, end)
    projection.floors[clock.item.pk] = read
    return max(end, read.ends_at)


def snapshot(projection: Projection) -> dict:
    """What the live page's script shows, as plain data: the projection is the server's alone.

    Times are milliseconds since the epoch. The script only counts down:
    `countdown_to` is when the running item's time is up (while paused,
    `paused_remaining_ms` stays put), measured against the server's time,
    which travels apart in a header. Cache it until `projection.holds_until`.
    """

    def ms(moment: datetime | None) -> int | None:
        return round(moment.timestamp() * 1000) if moment else None

    state, current, next_row = projection.state, projection.current, projection.next
    remaining = projection.remaining
    paused = remaining is not None and state.paused_since is not None
    running = remaining is not None and not paused
    started = state.has_started
    return {
        "status": state.status,
        "has_ended": state.has_ended,
        "is_paused": state.is_paused,
        "version": state.version,
        "current": str(current.item.uuid) if current else None,
        "next": str(next_row.item.uuid) if next_row else None,
        "countdown_to": ms(projection.now + remaining) if running else None,
        "paused_remaining_ms": round(remaining.total_seconds() * 1000) if paused else None,
        "delay_minutes": projection.delay_minutes if started else None,
        "floor": floor_snapshot(projection, ms),
        "items": [
            {
                "id": str(row.item.uuid),
                "title": row.item.title,
                "participants": row.item.participants_text(),
                "status": row.status if started else None,
                "start": ms(row.start),
                "end": ms(row.end),
                "moved": row.moved and started,
                "allotted_seconds": round(row.clock.allotted.total_seconds()),
            }
            for row in projection.items
        ],
    }


def floor_snapshot(projection: Projection, ms) -> dict | None:
    """The running item's speakers' list: who speaks, their countdown, who follows, when it ends."""
    read = projection.floor
    if read is None:
        return None
    speaker, paused = read.floor.speaking, projection.state.paused_since is not None

    def named(request: floor.Request) -> dict:
        return {"delegation": request.delegation, "person": request.person, "reply": request.right_of_reply}

    return {
        "speaker": named(speaker) if speaker else None,
        "countdown_to": ms(read.speaker_due) if speaker and not paused else None,
        "paused_remaining_ms": round(read.speaker_remaining.total_seconds() * 1000)
        if speaker and paused
        else None,
        "queue": [named(request) for request in read.floor.waiting],
        "closed": read.floor.closed,
        "ends_at": ms(read.ends_at) if speaker or read.floor.waiting else None,
        "over_slot_minutes": read.over_slot_minutes,
    }


@dataclass(frozen=True)
class ReportRow:
    """One topic, planned against actual, for the report after the meeting."""

    item: AgendaItem
    planned_start: datetime
    planned_end: datetime
    actual_start: datetime | None
    actual_end: datetime | None
    paused: timedelta

    @property
    def planned_minutes(self) -> int:
        return minutes_between(self.planned_start, self.planned_end)

    @property
    def actual_minutes(self) -> int | None:
        if self.actual_start is None or self.actual_end is None:
            return None
        return minutes_between(self.actual_start, self.actual_end) - round(self.paused.total_seconds() / 60)

    @property
    def overrun_minutes(self) -> int | None:
        """Minutes spent beyond the plan (negative when shorter)."""
        return None if self.actual_minutes is None else self.actual_minutes - self.planned_minutes

    @property
    def start_delay_minutes(self) -> int | None:
        return None if self.actual_start is None else minutes_between(self.planned_start, self.actual_start)


def minutes_between(start: datetime, end: datetime) -> int:
    return round((end - start).total_seconds() / 60)


def report(state: Replay) -> list[ReportRow]:
    return [
        ReportRow(
            item=clock.item,
            planned_start=clock.planned_start,
            planned_end=clock.planned_end,
            actual_start=clock.actual_start,
            actual_end=clock.actual_end,
            paused=clock.paused,
        )
        for clock in state.items
    ]


REPORT_CSV_HEADINGS = [
    "item",
    "planned_start",
    "planned_end",
    "planned_minutes",
    "actual_start",
    "actual_end",
    "actual_minutes",
    "overrun_minutes",
    "start_delay_minutes",
]


def write_report_csv(rows: list[ReportRow], zone, output) -> None:
    """The report as CSV lines on `output`, times in `zone` (ISO 8601 with their offset)."""

    def local(moment: datetime | None) -> str:
        return moment.astimezone(zone).isoformat() if moment else ""

    def number(value: int | None) -> int | str:
        return "" if value is None else value

    writer = csv.writer(output)
    writer.writerow(REPORT_CSV_HEADINGS)
    for row in rows:
        writer.writerow(
            [
                spreadsheet_text(row.item.title),
                local(row.planned_start),
                local(row.planned_end),
                row.planned_minutes,
                local(row.actual_start),
                local(row.actual_end),
                number(row.actual_minutes),
                number(row.overrun_minutes),
                number(row.start_delay_minutes),
            ]
        )


def total_delay_minutes(state: Replay) -> int | None:
    """How much later than planned the meeting ended; None until it has."""
    if not state.ended_at or not state.items:
        return None
    return minutes_between(state.items[-1].planned_end, state.ended_at)


def concerns_readers(meeting: Meeting, now: datetime) -> bool:
    """Whether a page should show the clock: it has been used, or the meeting is about to run.

    Decided from the meeting's own times and one query, so a page outside the
    meeting's day need not load the agenda to know it has no clock to show.
    """
    window = timedelta(minutes=LIVE_WINDOW_MINUTES)
    return (
        meeting.starts_at - window <= now <= meeting.ends_at + window
        or meeting.live_events.filter(rehearsal=False).exists()
    )


# Actions ---------------------------------------------------------------------------------------


def load_replay(
    meeting: Meeting, agenda: list[AgendaItem] | None = None, *, rehearsal: bool = False
) -> Replay:
    """The meeting's clock, or its rehearsal's: the two never mix."""
    return replay(
        meeting.agenda() if agenda is None else agenda,
        list(meeting.live_events.filter(rehearsal=rehearsal).select_related("registration")),
        list(SpeakersList.objects.filter(item__meeting=meeting)),
    )


def refuse(message: str) -> None:
    raise LiveActionRefused(message, code="refused")


@transaction.atomic
def record(
    meeting: Meeting,
    kind: str,
    *,
    by,
    at: datetime,
    item: AgendaItem | None = None,
    minutes: int | None = None,
    rehearsal: bool = False,
    confirmed: bool = False,
    **floor_fields,
) -> Replay:
    """Check `kind` against the replayed state, then store it. Return the new state.

    The meeting's row is locked first: two presses at once take turns, and the
    second is checked against the state the first left. A rehearsal's events
    replay apart from the meeting's, on any day and for a draft too.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.PUBLISHED and not rehearsal:
        refuse(_("The clock runs only for a published meeting: rehearse it instead."))
    state = load_replay(meeting, rehearsal=rehearsal)
    if kind in floor.FLOOR_KINDS:
        floor.check(
            state,
            kind,
            item=item,
            request_id=floor_fields.get("request_id"),
            by_moderator=by is not None,
            **{name: value for name, value in floor_fields.items() if name != "request_id"},
        )
    else:
        check(state, kind, item=item, minutes=minutes, at=at, confirmed=confirmed)
        if not rehearsal:
            check_day(meeting, kind, state, at)
    event = LiveEvent.objects.create(
        meeting=meeting,
        kind=kind,
        item=item,
        minutes=minutes,
        at=at,
        by=by,
        rehearsal=rehearsal,
        **floor_fields,
    )
    apply(state, event)
    state.version += 1
    if not rehearsal:
        # What every page shows has changed; a rehearsal's console reads the database itself.
        bump_content_version()
    return state


def check(
    state: Replay,
    kind: str,
    *,
    item: AgendaItem | None,
    minutes: int | None,
    at: datetime | None = None,
    confirmed: bool = False,
) -> None:
    """Refuse an action that does not fit the state, with a message for the timekeeper."""
    if kind == Kind.UNDO_END:
        if not state.has_ended:
            refuse(_("The meeting has not ended: there is nothing to undo."))
        if at is not None and at - state.ended_at > timedelta(minutes=UNDO_END_MINUTES):
            refuse(
                _("The meeting ended more than %(minutes)d minutes ago: its end can no longer be undone.")
                % {"minutes": UNDO_END_MINUTES}
            )
        return
    if state.has_ended:
        refuse(_("The meeting has ended."))
    if kind == Kind.END_MEETING and not confirmed:
        refuse(_("Confirm that the meeting ends now: press “Yes, end the meeting”."))
    if not state.items:
        refuse(_("The agenda has no timed items to run."))
    if kind == Kind.START_MEETING and state.has_started:
        refuse(_("The meeting has already started."))
    if not state.has_started and kind not in (Kind.START_MEETING, Kind.START_ITEM):
        refuse(_("Start the meeting first."))
    if kind == Kind.START_ITEM:
        if item is None or state.clock_for(item.pk) is None:
            refuse(_("Choose an item of this meeting's agenda."))
        if state.current is not None and state.current.item.pk == item.pk:
            refuse(_("“%(item)s” is already running.") % {"item": item.title})
    if kind == Kind.NEXT:
        if state.current is None:
            refuse(_("No item is running: start one."))
        if item is None or state.current.item.pk != item.pk:
            # Two timekeepers pressed "next" together: the second one names an item already ended.
            refuse(
                _("“%(item)s” is no longer running: the clock has moved on. Check the console and try again.")
                % {"item": item.title if item else "?"}
            )
        if state.after(state.current) is None:
            refuse(_("This is the last item: end the meeting instead."))
    if kind == Kind.PAUSE:
        if state.current is None:
            refuse(_("No item is running."))
        if state.paused_since:
            refuse(_("The clock is already paused."))
    if kind == Kind.RESUME and not state.paused_since:
        refuse(_("The clock is not paused."))
    if kind == Kind.ADJUST:
        if state.current is None:
            refuse(_("No item is running."))
        if minutes is None or minutes == 0 or abs(minutes) > MAX_ADJUST_MINUTES:
            refuse(_("Add or take away between 1 and %(limit)d minutes.") % {"limit": MAX_ADJUST_MINUTES})
        if state.current.allotted + timedelta(minutes=minutes) <= timedelta(0):
            refuse(_("The item would have no time left: take away fewer minutes."))


def discard_rehearsal(meeting: Meeting) -> int:
    """Delete the meeting's rehearsal actions; return how many there were."""
    deleted, _by_model = meeting.live_events.filter(rehearsal=True).delete()
    return deleted


def meeting_days(meeting: Meeting) -> tuple[date, date]:
    """The first and last day of the meeting, on its own calendar."""
    return meeting.starts_at.astimezone(meeting.zone).date(), meeting.ends_at.astimezone(meeting.zone).date()


def is_meeting_day(meeting: Meeting, moment: datetime) -> bool:
    first, last = meeting_days(meeting)
    return first <= moment.astimezone(meeting.zone).date() <= last


def undo_end_until(state: Replay) -> datetime | None:
    """Until when the end of the meeting can be taken back, if it has ended."""
    return state.ended_at + timedelta(minutes=UNDO_END_MINUTES) if state.ended_at else None


def check_day(meeting: Meeting, kind: str, state: Replay, at: datetime) -> None:
    """A meeting's clock starts on the meeting's day only: any other day is a rehearsal.

    Started on another day, the public page would show the meeting years late.
    """
    if not state.has_started and not is_meeting_day(meeting, at):
        first, _last = meeting_days(meeting)
        refuse(
            _(
                "Today is not the meeting's day (%(day)s): the clock would show it days early or late. "
                "To try the console out, open the rehearsal."
            )
            % {"day": date_format(first, "DATE_FORMAT")}
        )


def start_meeting(meeting: Meeting, *, by, at: datetime) -> Replay:
    return record(meeting, Kind.START_MEETING, by=by, at=at)


def start_item(meeting: Meeting, item: AgendaItem, *, by, at: datetime) -> Replay:
    return record(meeting, Kind.START_ITEM, by=by, at=at, item=item)


def next_item(meeting: Meeting, ending: AgendaItem, *, by, at: datetime) -> Replay:
    """End `ending` and start the one after it; refused if `ending` is not what runs now."""
    return record(meeting, Kind.NEXT, by=by, at=at, item=ending)


def pause(meeting: Meeting, *, by, at: datetime) -> Replay:
    return record(meeting, Kind.PAUSE, by=by, at=at)


def resume(meeting: Meeting, *, by, at: datetime) -> Replay:
    return record(meeting, Kind.RESUME, by=by, at=at)


def adjust(meeting: Meeting, minutes: int, *, by, at: datetime) -> Replay:
    return record(meeting, Kind.ADJUST, by=by, at=at, minutes=minutes)


def end_meeting(meeting: Meeting, *, by, at: datetime) -> Replay:
    return record(meeting, Kind.END_MEETING, by=by, at=at, confirmed=True)


def undo_end(meeting: Meeting, *, by, at: datetime) -> Replay:
    """Take back "End the meeting": the item that ran then runs again, the time between a pause."""
    return record(meeting, Kind.UNDO_END, by=by, at=at)
