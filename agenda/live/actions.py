"""What the console's and the private page's buttons do, each through `events.append`."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from .. import notifications
from ..models import AgendaItem, LiveEvent, Meeting, Registration, Statement
from ..states import RequestOutcome
from .events import append, load_replay
from .floor import EXTEND_MINUTES
from .rules import refuse
from .state import Replay

Kind = LiveEvent.Kind


# The clock --------------------------------------------------------------------------------------


def start_meeting(meeting: Meeting, *, by, at: datetime) -> Replay:
    return append(meeting, Kind.START_MEETING, by=by, at=at)


def start_item(meeting: Meeting, item: AgendaItem, *, by, at: datetime) -> Replay:
    return append(meeting, Kind.START_ITEM, by=by, at=at, item=item)


def next_item(meeting: Meeting, ending: AgendaItem, *, by, at: datetime) -> Replay:
    """End `ending` and start the one after it; refused if `ending` is not what runs now."""
    return append(meeting, Kind.NEXT, by=by, at=at, item=ending)


def pause(meeting: Meeting, *, by, at: datetime) -> Replay:
    return append(meeting, Kind.PAUSE, by=by, at=at)


def resume(meeting: Meeting, *, by, at: datetime) -> Replay:
    return append(meeting, Kind.RESUME, by=by, at=at)


def adjust(meeting: Meeting, minutes: int, *, by, at: datetime) -> Replay:
    return append(meeting, Kind.ADJUST, by=by, at=at, minutes=minutes)


def end_meeting(meeting: Meeting, *, by, at: datetime) -> Replay:
    return append(meeting, Kind.END_MEETING, by=by, at=at, confirmed=True)


def undo_end(meeting: Meeting, *, by, at: datetime) -> Replay:
    """Take back "End the meeting": the item that ran then runs again, the time between a pause."""
    return append(meeting, Kind.UNDO_END, by=by, at=at)


# The floor --------------------------------------------------------------------------------------


@transaction.atomic
def ask(
    registration: Registration,
    item: AgendaItem,
    *,
    at: datetime,
    statement: Statement | None = None,
    **request,
) -> Replay:
    """A registered participant asks for the floor for their delegation, or raises a point of order.

    `request`: the request's own `LiveEvent` fields (`point_of_order`, `capacity`, `on_behalf_of`,
    `language`). A `statement` (unsaved) goes with it to the interpreters: both are kept, or neither.
    """
    refuse_revoked(registration)
    state = request_floor(registration, item, by=None, at=at, **request)
    clock = state.clock_for(item.pk)
    if not request.get("point_of_order") and clock is not None and clock.actual_start is None:
        # Put down before the item runs: an inscription, acknowledged by mail with its place.
        pending = state.floors[item.pk].pending_for(registration.delegation_key)
        notifications.acknowledge_inscription(registration, pending.id, at)
    if statement is not None:
        state = send_statement(registration, item, statement, at=at)
    return state


@transaction.atomic
def send_statement(
    registration: Registration, item: AgendaItem, statement: Statement, *, at: datetime
) -> Replay:
    """Send (or replace) the statement of the delegation's request on `item`, for the interpreters.

    `statement` is unsaved, with its text or file. The press is an event, so the interpreters'
    pages follow it; the statement is stored beside the request it belongs to.
    """
    refuse_revoked(registration)
    item_floor = load_replay(registration.meeting).floors.get(item.pk)
    pending = item_floor.pending_for(registration.delegation_key) if item_floor else None
    if pending is None:
        refuse(_("Your delegation has no request for the floor on this item: ask for it first."))
    state = append(
        registration.meeting,
        Kind.SEND_STATEMENT,
        by=None,
        at=at,
        item=item,
        request_id=pending.id,
        delegation=registration.affiliation,
        registration=registration,
    )
    replaced = Statement.objects.filter(request_id=pending.id).first()
    if replaced is not None:
        # The new statement takes the old one's place; its file (stored under a new name) goes.
        statement.pk, statement.uuid = replaced.pk, replaced.uuid
        if replaced.file:
            old_file = replaced.file
            transaction.on_commit(lambda: old_file.storage.delete(old_file.name))
    statement.request_id, statement.sent_by, statement.sent_at = pending.id, registration, at
    statement.save()
    return state


def add(
    meeting: Meeting,
    item: AgendaItem,
    delegation: str,
    *,
    by,
    at: datetime,
    rehearsal: bool = False,
    **request,
) -> Replay:
    """The moderator adds a registered delegation that asked orally or in the chat (`request` as for `ask`,
    and `right_of_reply`)."""
    registration = meeting.registrations.filter(revoked_at__isnull=True).for_delegation(delegation)
    if registration is None:
        refuse(_("%(delegation)s is not registered for this meeting.") % {"delegation": delegation})
    return request_floor(registration, item, by=by, at=at, rehearsal=rehearsal, **request)


def request_floor(
    registration: Registration, item: AgendaItem, *, by, at: datetime, rehearsal: bool = False, **request
) -> Replay:
    """Record a request for `registration`'s delegation, from their link (`by` None) or a moderator.

    What `request` leaves out (a right of reply, a point of order, a capacity) takes the model's default.
    """
    return append(
        registration.meeting,
        Kind.ASK_FLOOR,
        by=by,
        at=at,
        item=item,
        delegation=registration.affiliation,
        speaker_role=registration.role,
        registration=registration if by is None else None,
        country=registration.country,
        rehearsal=rehearsal,
        **request,
    )


def refuse_revoked(registration: Registration) -> None:
    if registration.is_revoked:
        refuse(registration.link_refusal())


def withdraw(registration: Registration, item: AgendaItem, *, at: datetime) -> Replay:
    """A participant takes back their delegation's waiting request."""
    refuse_revoked(registration)
    item_floor = load_replay(registration.meeting).floors.get(item.pk)
    pending = item_floor.pending_for(registration.delegation_key) if item_floor else None
    if pending is None or pending.outcome != RequestOutcome.WAITING:
        refuse(_("Your delegation has no request waiting on this item."))
    return append(registration.meeting, Kind.WITHDRAW, by=None, at=at, item=item, request_id=pending.id)


def act(
    meeting: Meeting, kind: str, item: AgendaItem, *, by, at: datetime, rehearsal: bool = False, **fields
) -> Replay:
    """A moderator's action on a request (give, extend, end, skip, move, withdraw) or on the list."""
    if kind == Kind.EXTEND:
        fields["minutes"] = EXTEND_MINUTES
    return append(meeting, kind, by=by, at=at, item=item, rehearsal=rehearsal, **fields)
