"""The live meeting: the clock and the speakers' lists, one event log replayed.

- `state.py`: what the log replays into (`Replay`, `ItemClock`, `Floor`, `Request`).
- `rules.py`: what a kind of event is (`Rule`: a check and an apply), `refuse`.
- `clock.py`, `floor.py`: the clock's and the floor's kinds, each a table of rules.
- `events.py`: the one table, `replay`, `check`, and `append`, the only writer.
- `actions.py`: the buttons (`start_meeting`…, `ask`, `add`, `withdraw`, `act`).
- `projection.py`: the state read at `now` (`project`, `snapshot` for `live.js`).
- `pages.py`: the rows the console and a participant's private page show.

Importers use the names below; the reports on what happened are in `reports.py`.
"""

from .actions import (
    act,
    add,
    adjust,
    ask,
    end_meeting,
    next_item,
    pause,
    refuse_revoked,
    resume,
    send_statement,
    start_item,
    start_meeting,
    undo_end,
    withdraw,
)
from .clock import MAX_ADJUST_MINUTES, UNDO_END_MINUTES, is_meeting_day, undo_end_until
from .events import FLOOR_KINDS, RULES, append, discard_rehearsal, load_replay, replay
from .pages import (
    ConsoleList,
    DelegationRow,
    InterpretedList,
    Turn,
    capacities_for,
    console_list,
    delegation_rows,
    inscribed_in_public,
    interpreted_lists,
    registered_delegations,
    statements_by_request,
)
from .projection import LIVE_WINDOW_MINUTES, Projection, concerns_readers, project, snapshot
from .rules import LiveActionRefused, refuse
from .state import Floor, Replay, Request

__all__ = [
    "FLOOR_KINDS",
    "LIVE_WINDOW_MINUTES",
    "MAX_ADJUST_MINUTES",
    "RULES",
    "UNDO_END_MINUTES",
    "ConsoleList",
    "DelegationRow",
    "Floor",
    "InterpretedList",
    "LiveActionRefused",
    "Projection",
    "Replay",
    "Request",
    "Turn",
    "act",
    "add",
    "adjust",
    "append",
    "ask",
    "capacities_for",
    "concerns_readers",
    "console_list",
    "delegation_rows",
    "discard_rehearsal",
    "end_meeting",
    "inscribed_in_public",
    "interpreted_lists",
    "is_meeting_day",
    "load_replay",
    "next_item",
    "pause",
    "project",
    "refuse",
    "refuse_revoked",
    "registered_delegations",
    "replay",
    "resume",
    "send_statement",
    "snapshot",
    "start_item",
    "start_meeting",
    "statements_by_request",
    "undo_end",
    "undo_end_until",
    "withdraw",
]
