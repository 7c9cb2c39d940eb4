"""The replayed state read at `now`: where each topic and each speakers' list stands, and when.

`project()` is pure, written once, in Python: the pages and `live.js` show its
answer (`snapshot`), never a projection of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from ..models import AgendaItem, Meeting
from ..states import ItemState, MeetingState, state_is
from .state import Floor, ItemClock, Replay, Request

# Pages start following the clock this long before a meeting's planned start (and after its end).
LIVE_WINDOW_MINUTES = 60


def minutes_between(start: datetime, end: datetime) -> int:
    return round((end - start).total_seconds() / 60)


@dataclass
class ItemProjection:
    clock: ItemClock
    status: ItemState
    start: datetime
    end: datetime

    is_now = state_is(ItemState.NOW)

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
class FloorProjection:
    """A list read at `now`: who speaks, until when, and when the list should end at this pace."""

    floor: Floor
    speaker_due: datetime | None  # when the speaker's time is up (the clock running)
    speaker_remaining: timedelta | None
    ends_at: datetime
    slot_ends_at: datetime

    @property
    def over_slot_minutes(self) -> int:
        return max(minutes_between(self.slot_ends_at, self.ends_at), 0)


@dataclass
class Projection:
    """The clock read at `now`: what runs, what is next, and when the rest should happen."""

    state: Replay
    now: datetime
    items: list[ItemProjection] = field(default_factory=list)
    floors: dict[int, FloorProjection] = field(default_factory=dict)

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
    def floor(self) -> FloorProjection | None:
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
    read = project_floor(item_floor, projection.state, projection.now, start, end)
    projection.floors[clock.item.pk] = read
    return max(end, read.ends_at)


def project_floor(
    item_floor: Floor, state: Replay, now: datetime, start: datetime, slot_end: datetime
) -> FloorProjection:
    """Place the rest of a list after `start` (the item's start, or now) at the pace so far."""
    speaker = item_floor.speaking
    due = remaining = None
    cursor = max(start, now)
    if speaker is not None:
        paused = speaker.paused + (
            now - max(state.paused_since, speaker.given_at) if state.paused_since else timedelta(0)
        )
        remaining = speaker.allotted - (now - speaker.given_at - paused)
        due = now + remaining
        cursor = max(now, due)
    ends_at = cursor + item_floor.pace() * len(item_floor.waiting)
    return FloorProjection(item_floor, due, remaining, ends_at, slot_end)


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


def snapshot(projection: Projection) -> dict:
    """What the live page's script shows, as plain data: the projection is the server's alone.

    Times are milliseconds since the epoch. The script only counts down:
    `countdown_to` is when the running item's time is up (while paused,
    `paused_remaining_ms` stays put), measured against the server's time,
    which travels apart in a header. Cache it until `projection.holds_until`.
    """
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
        "floor": floor_snapshot(projection),
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


def ms(moment: datetime | None) -> int | None:
    return round(moment.timestamp() * 1000) if moment else None


def floor_snapshot(projection: Projection) -> dict | None:
    """The running item's speakers' list: who speaks, their countdown, who follows, when it ends."""
    read = projection.floor
    if read is None:
        return None
    speaker, paused = read.floor.speaking, projection.state.paused_since is not None

    def named(request: Request) -> dict:
        # `note`: what the request is for, in the reader's language ("derecho de réplica").
        return {"delegation": request.delegation, "person": request.person, "note": request.kind_label}

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
