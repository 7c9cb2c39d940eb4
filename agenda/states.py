"""The live meeting's states, each spelt once, for Python, the templates and `live.js`.

A `StrEnum` member is its value ("ended" == MeetingState.ENDED), so `live.json` and the
rows' CSS classes (`live-now`) carry the same words. Templates ask the objects that hold a
state (`Replay.has_ended`, `ItemProjection.is_now`…) rather than compare it with a literal.
"""

from enum import StrEnum


class MeetingState(StrEnum):
    NOT_STARTED = "not_started"
    RUNNING = "running"
    PAUSED = "paused"
    ENDED = "ended"


class ItemState(StrEnum):
    """Where a topic stands in the projection."""

    DONE = "done"
    NOW = "now"
    NEXT = "next"
    UPCOMING = "upcoming"
    SKIPPED = "skipped"


class RequestOutcome(StrEnum):
    """What became of a request for the floor."""

    WAITING = "waiting"
    SPEAKING = "speaking"
    SPOKE = "spoke"
    SKIPPED = "skipped"
    WITHDRAWN = "withdrawn"


class RequestKind(StrEnum):
    """What a delegation asks the floor for: to speak, to reply, or on a point of order."""

    SPEAK = "speak"
    REPLY = "reply"
    ORDER = "order"


class FloorAccess(StrEnum):
    """An item's speakers' list as one delegation finds it on its private page."""

    OPEN = "open"
    WAITING = "waiting"
    SPEAKING = "speaking"
    CLOSED = "closed"
    NOT_OPEN_TO_YOU = "not_open_to_you"


class AdReferendum(StrEnum):
    """A delegation's agreement ad referendum: confirmed by its capital, awaited, or lapsed unconfirmed."""

    CONFIRMED = "confirmed"
    PENDING = "pending"
    LAPSED = "lapsed"


def state_is(*states: StrEnum, of: str = "status") -> property:
    """A property: whether the object's `of` is one of `states` (`is_now = state_is(ItemState.NOW)`).

    Templates ask these, so no template spells a state.
    """
    return property(lambda self: getattr(self, of) in states, doc=f"Whether {of} is {' or '.join(states)}.")
