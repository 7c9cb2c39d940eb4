"""The live meeting's event log: one table of kinds, one replay, one check, one way in.

The clock and the floor are one log of `LiveEvent`s, in order. Each kind's
`rules.Rule` (the clock's in `clock.RULES`, the floor's in `floor.RULES`) says
what it needs of the state and what it does to it. `replay()` is pure: given
the events (with a clock the tests control) it rebuilds the same state on any
app server, a reload or a second laptop. `append()` is the only writer.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from ..cache import bump_content_version
from ..models import AgendaItem, LiveEvent, Meeting, SpeakersList
from . import clock, floor
from .rules import Rule, refuse
from .state import Replay

RULES: dict[str, Rule] = {**clock.RULES, **floor.RULES}
FLOOR_KINDS = frozenset(floor.RULES)


def replay(agenda: list[AgendaItem], events: list[LiveEvent], lists: list[SpeakersList] = ()) -> Replay:
    """Rebuild the clock and the speakers' lists from the recorded events, in order."""
    state = Replay.before_any_event(agenda, lists)
    for event in events:
        apply(state, event)
    return state


def apply(state: Replay, event: LiveEvent) -> None:
    RULES[event.kind].apply(state, event)
    state.version += 1


def check(state: Replay, event: LiveEvent, *, confirmed: bool = False) -> None:
    """Refuse an event that does not fit the state, with a message for whoever pressed."""
    rule = RULES.get(event.kind)
    if rule is None:
        refuse(_("That action is not one the console knows."))
    if state.has_ended and not rule.after_the_end:
        refuse(_("The meeting has ended."))
    if rule.unconfirmed and not confirmed:
        refuse(str(rule.unconfirmed))
    rule.check(state, event)


def load_replay(
    meeting: Meeting, agenda: list[AgendaItem] | None = None, *, rehearsal: bool = False
) -> Replay:
    """The meeting's state, or its rehearsal's: the two never mix."""
    return replay(
        meeting.agenda() if agenda is None else agenda,
        list(meeting.live_events.filter(rehearsal=rehearsal).select_related("registration")),
        list(SpeakersList.objects.filter(item__meeting=meeting)),
    )


@transaction.atomic
def append(
    meeting: Meeting,
    kind: str,
    *,
    by,
    at: datetime,
    rehearsal: bool = False,
    confirmed: bool = False,
    **fields,
) -> Replay:
    """Check an event of `kind` against the replayed state, then store it. Return the new state.

    `fields` are the event's own (`item`, `minutes`, `request_id`, `delegation`…).
    The meeting's row is locked first: two presses at once take turns, and the
    second is checked against the state the first left. A rehearsal's events
    replay apart from the meeting's, on any day and for a draft too.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.PUBLISHED and not rehearsal:
        refuse(_("The clock runs only for a published meeting: rehearse it instead."))
    state = load_replay(meeting, rehearsal=rehearsal)
    event = LiveEvent(meeting=meeting, kind=kind, at=at, by=by, rehearsal=rehearsal, **fields)
    check(state, event, confirmed=confirmed)
    event.save()
    apply(state, event)
    if not rehearsal:
        # What every page shows has changed; a rehearsal's console reads the database itself.
        bump_content_version()
    return state


def discard_rehearsal(meeting: Meeting) -> int:
    """Delete the meeting's rehearsal events; return how many there were."""
    deleted, _by_model = meeting.live_events.filter(rehearsal=True).delete()
    return deleted
