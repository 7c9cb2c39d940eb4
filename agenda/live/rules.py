"""What an event kind is to the log: the check before it is stored, the change it makes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from ..models import LiveEvent
    from .state import Replay


class LiveActionRefused(ValidationError):
    """An action that does not fit the meeting's state; nothing was recorded."""


def refuse(message: str) -> None:
    raise LiveActionRefused(message, code="refused")


@dataclass(frozen=True)
class Rule:
    """One kind of `LiveEvent`.

    `check` sees the unsaved event against the state it would follow and
    refuses it (`refuse`, a message for whoever pressed); `apply` plays the
    stored event onto the state, at record time and on every replay, so it
    must not refuse: a list or item deleted since leaves the event without
    effect.
    """

    check: Callable[[Replay, LiveEvent], None]
    apply: Callable[[Replay, LiveEvent], None]
    # Pressed without its second button ("Yes, end the meeting"), the event is refused with this.
    unconfirmed: str = ""
    # Only undoing the end may follow the end of the meeting.
    after_the_end: bool = False
