"""The clock's kinds of event: start, next, pause, resume, adjust, end and undo the end.

Each is a check and an apply in `RULES` (see `rules.Rule`); the event log
(`events.py`) runs them. Leaving an item ends whoever speaks on its list.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import LiveEvent, Meeting
from .rules import Rule, refuse
from .state import ItemClock, Replay

Kind = LiveEvent.Kind
# The most a timekeeper may add or take away from the running item in one press.
MAX_ADJUST_MINUTES = 120
# For this long after "End the meeting", the console can take it back (a stored event too).
UNDO_END_MINUTES = 30


def stop_current(state: Replay, at: datetime) -> None:
    if state.current is None:
        return
    item_floor = state.floors.get(state.current.item.pk)
    if item_floor is not None:
        item_floor.end_speech(at, state.paused_since)
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


# Checks, then applies, in the console's order ---------------------------------------------------


def needs_agenda(state: Replay) -> None:
    if not state.items:
        refuse(_("The agenda has no timed items to run."))


def needs_start(state: Replay) -> None:
    needs_agenda(state)
    if not state.has_started:
        refuse(_("Start the meeting first."))


def needs_running_item(state: Replay) -> None:
    needs_start(state)
    if state.current is None:
        refuse(_("No item is running."))


def check_start_meeting(state: Replay, event: LiveEvent) -> None:
    needs_agenda(state)
    if state.has_started:
        refuse(_("The meeting has already started."))
    check_day(state, event)


def check_start_item(state: Replay, event: LiveEvent) -> None:
    needs_agenda(state)
    item = event.item
    if item is None or state.clock_for(item.pk) is None:
        refuse(_("Choose an item of this meeting's agenda."))
    if state.current is not None and state.current.item.pk == item.pk:
        refuse(_("“%(item)s” is already running.") % {"item": item.title})
    check_day(state, event)


def check_next(state: Replay, event: LiveEvent) -> None:
    needs_start(state)
    if state.current is None:
        refuse(_("No item is running: start one."))
    if event.item is None or state.current.item.pk != event.item.pk:
        # Two timekeepers pressed "next" together: the second one names an item already ended.
        refuse(
            _("“%(item)s” is no longer running: the clock has moved on. Check the console and try again.")
            % {"item": event.item.title if event.item else "?"}
        )
    if state.after(state.current) is None:
        refuse(_("This is the last item: end the meeting instead."))


def check_pause(state: Replay, event: LiveEvent) -> None:
    needs_running_item(state)
    if state.paused_since:
        refuse(_("The clock is already paused."))


def check_resume(state: Replay, event: LiveEvent) -> None:
    needs_start(state)
    if not state.paused_since:
        refuse(_("The clock is not paused."))


def check_adjust(state: Replay, event: LiveEvent) -> None:
    needs_running_item(state)
    minutes = event.minutes
    if minutes is None or minutes == 0 or abs(minutes) > MAX_ADJUST_MINUTES:
        refuse(_("Add or take away between 1 and %(limit)d minutes.") % {"limit": MAX_ADJUST_MINUTES})
    if state.current.allotted + timedelta(minutes=minutes) <= timedelta(0):
        refuse(_("The item would have no time left: take away fewer minutes."))


def check_end_meeting(state: Replay, event: LiveEvent) -> None:
    needs_start(state)


def check_undo_end(state: Replay, event: LiveEvent) -> None:
    if not state.has_ended:
        refuse(_("The meeting has not ended: there is nothing to undo."))
    if event.at - state.ended_at > timedelta(minutes=UNDO_END_MINUTES):
        refuse(
            _("The meeting ended more than %(minutes)d minutes ago: its end can no longer be undone.")
            % {"minutes": UNDO_END_MINUTES}
        )


def start_meeting(state: Replay, event: LiveEvent) -> None:
    state.started_at = state.started_at or event.at
    if state.items:
        begin(state, state.items[0], event.at)


def start_item(state: Replay, event: LiveEvent) -> None:
    state.started_at = state.started_at or event.at
    clock = state.clock_for(event.item_id)
    if clock is not None:
        begin(state, clock, event.at)


def next_item(state: Replay, event: LiveEvent) -> None:
    following = state.after(state.current) if state.current else None
    if following:
        begin(state, following, event.at)
    else:
        stop_current(state, event.at)


def pause(state: Replay, event: LiveEvent) -> None:
    state.paused_since = event.at


def resume(state: Replay, event: LiveEvent) -> None:
    if state.current and state.paused_since:
        item_floor = state.floors.get(state.current.item.pk)
        if item_floor is not None:
            item_floor.resume_speech(event.at, state.paused_since)
        state.current.paused += event.at - state.paused_since
    state.paused_since = None


def adjust(state: Replay, event: LiveEvent) -> None:
    if state.current:
        state.current.extra += timedelta(minutes=event.minutes)


def end_meeting(state: Replay, event: LiveEvent) -> None:
    state.ended_during = state.current
    stop_current(state, event.at)
    state.ended_at = event.at


def undo_end(state: Replay, event: LiveEvent) -> None:
    state.ended_at = None
    if state.ended_during is not None:
        begin(state, state.ended_during, event.at)
    state.ended_during = None


RULES = {
    Kind.START_MEETING: Rule(check_start_meeting, start_meeting),
    Kind.START_ITEM: Rule(check_start_item, start_item),
    Kind.NEXT: Rule(check_next, next_item),
    Kind.PAUSE: Rule(check_pause, pause),
    Kind.RESUME: Rule(check_resume, resume),
    Kind.ADJUST: Rule(check_adjust, adjust),
    Kind.END_MEETING: Rule(
        check_end_meeting,
        end_meeting,
        unconfirmed=gettext_lazy("Confirm that the meeting ends now: press “Yes, end the meeting”."),
    ),
    Kind.UNDO_END: Rule(check_undo_end, undo_end, after_the_end=True),
}


# The meeting's day ------------------------------------------------------------------------------


def meeting_days(meeting: Meeting) -> tuple[date, date]:
    """The first and last day of the meeting, on its own calendar."""
    return meeting.starts_at.astimezone(meeting.zone).date(), meeting.ends_at.astimezone(meeting.zone).date()


def is_meeting_day(meeting: Meeting, moment: datetime) -> bool:
    first, last = meeting_days(meeting)
    return first <= moment.astimezone(meeting.zone).date() <= last


def undo_end_until(state: Replay) -> datetime | None:
    """Until when the end of the meeting can be taken back, if it has ended."""
    return state.ended_at + timedelta(minutes=UNDO_END_MINUTES) if state.ended_at else None


def check_day(state: Replay, event: LiveEvent) -> None:
    """A meeting's clock starts on the meeting's day only: any other day is a rehearsal.

    Started on another day, the public page would show the meeting years late.
    """
    meeting = event.meeting
    if event.rehearsal or state.has_started or is_meeting_day(meeting, event.at):
        return
    first, _last = meeting_days(meeting)
    refuse(
        _(
            "Today is not the meeting's day (%(day)s): the clock would show it days early or late. "
            "To try the console out, open the rehearsal."
        )
        % {"day": date_format(first, "DATE_FORMAT")}
    )
