"""What the console and a participant's private page show of the speakers' lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from ..models import AgendaItem, LiveEvent, Meeting, Presidency, Registration, SpeakersList, Statement
from ..models.interpretation import language_name
from ..states import FloorAccess, ItemState, RequestKind, state_is
from .projection import FloorProjection, Projection
from .state import Floor, Replay, Request

if TYPE_CHECKING:
    from ..forms import FloorRequestForm


def statements_by_request(meeting: Meeting) -> dict[int, Statement]:
    """The statements sent for the meeting's requests, by the request's id: one query."""
    return {
        statement.request_id: statement for statement in Statement.objects.filter(request__meeting=meeting)
    }


@dataclass
class Turn:
    """A request as the interpreters and the moderator read it: its language and its statement."""

    request: Request
    statement: Statement | None = None

    @property
    def language_name(self) -> str:
        return language_name(self.request.language) if self.request.language else ""


@dataclass
class ConsoleList:
    """The list the moderator works on: the running item's, else the next one's."""

    item: AgendaItem
    floor: Floor
    read: FloorProjection | None
    running: bool
    statements: dict[int, Statement] = field(default_factory=dict)

    @property
    def queue(self) -> list[tuple[Turn, timedelta | None]]:
        """Each waiting request with what is left of its delegation's speaking time (None: no budget)."""
        return [(self.turn(request), self.floor.budget_left(request.key)) for request in self.floor.waiting]

    @property
    def speaking(self) -> Turn | None:
        return self.turn(self.floor.speaking) if self.floor.speaking else None

    def turn(self, request: Request) -> Turn:
        return Turn(request, self.statements.get(request.id))


def console_list(
    projection: Projection, statements: dict[int, Statement] | None = None
) -> ConsoleList | None:
    """The list to work on now; `statements` (from `statements_by_request`) for the interpreters' column."""
    state = projection.state
    for row in projection.items:
        item_floor = state.floors.get(row.item.pk)
        if item_floor is not None and row.status in (ItemState.NOW, ItemState.NEXT, ItemState.UPCOMING):
            running = row.is_now and not state.paused_since
            read = projection.floors.get(row.item.pk)
            return ConsoleList(row.item, item_floor, read, running, statements or {})
    return None


@dataclass
class InterpretedList:
    """One item's speakers' list on the interpreters' page: who speaks now, who next, what was delivered."""

    item: AgendaItem
    status: ItemState
    speaking: Turn | None
    waiting: list[Turn]
    delivered: list[Turn]

    is_now = state_is(ItemState.NOW)


def interpreted_lists(projection: Projection, statements: dict[int, Statement]) -> list[InterpretedList]:
    """Every speakers' list with a request, in agenda order, each request with its statement."""

    def turn(request: Request) -> Turn:
        return Turn(request, statements.get(request.id))

    lists = []
    for row in projection.items:
        item_floor = projection.state.floors.get(row.item.pk)
        if item_floor is None or not item_floor.requests:
            continue
        lists.append(
            InterpretedList(
                row.item,
                row.status,
                turn(item_floor.speaking) if item_floor.speaking else None,
                [turn(request) for request in item_floor.waiting],
                [turn(request) for request in item_floor.heard if request.is_delivered],
            )
        )
    return lists


def registered_delegations(meeting: Meeting) -> list[str]:
    """Each delegation with a valid link, once, as first registered: whom the moderator may add."""
    seen: dict[str, str] = {}
    for registration in meeting.registrations.filter(revoked_at__isnull=True).order_by("affiliation", "id"):
        seen.setdefault(registration.delegation_key, registration.affiliation)
    return list(seen.values())


@dataclass
class DelegationRow:
    """One item with a list, as a participant's private page shows it to their delegation."""

    item: AgendaItem
    status: FloorAccess
    settings: SpeakersList | None = None
    place: int | None = None
    asked_by: str = ""
    queue_length: int = 0
    form: FloorRequestForm | None = None  # the button the page shows
    # Before the item runs, the delegations inscribed so far, in their order.
    inscribed: list[str] = field(default_factory=list)
    # While the item runs a delegation may raise a point of order, list closed or not.
    may_raise_point_of_order: bool = False
    point_of_order_place: int | None = None
    point_of_order_form: FloorRequestForm | None = None
    # The pending request's statement for the interpreters: when last sent, and the form to (re)send it.
    statement_sent_at: datetime | None = None
    statement_form: FloorRequestForm | None = None

    is_waiting = state_is(FloorAccess.WAITING)
    is_speaking = state_is(FloorAccess.SPEAKING)
    is_closed = state_is(FloorAccess.CLOSED)
    is_open_to_others_only = state_is(FloorAccess.NOT_OPEN_TO_YOU)
    can_ask_or_withdraw = state_is(FloorAccess.OPEN, FloorAccess.WAITING)


def capacities_for(registration: Registration) -> list[tuple[str, str]]:
    """In whose name the delegation may ask to speak: ("presidency:CSM", "On behalf of the PPT CSM")…

    Its country's conferences among the meeting's, the presidencies it holds on the
    meeting's date, and a group it names; its national capacity first.
    """
    Capacity = LiveEvent.Capacity
    choices = [(Capacity.NATIONAL.value, gettext("In its national capacity"))]
    meeting, country = registration.meeting, registration.country_id
    if country:
        conferences = list(meeting.conferences.filter(members=country).order_by("acronym"))
        held = set(
            Presidency.objects.on(meeting.local_date)
            .filter(country_id=country, conference__in=conferences)
            .values_list("conference_id", flat=True)
        )
        for conference in conferences:
            if conference.pk in held:
                choices.append(
                    (
                        f"{Capacity.PRESIDENCY}:{conference.acronym}",
                        gettext("On behalf of the PPT %(conference)s") % {"conference": conference.acronym},
                    )
                )
            choices.append(
                (
                    f"{Capacity.CONFERENCE}:{conference.acronym}",
                    gettext("On behalf of the %(conference)s") % {"conference": conference.acronym},
                )
            )
    choices.append((Capacity.GROUP.value, gettext("On behalf of a group (name it)")))
    return choices


def inscribed_in_public(state: Replay) -> list[tuple[AgendaItem, list[str]]]:
    """The lists the secretariat shows the public, before their items run: who is inscribed, in order."""
    return [
        (clock.item, [request.delegation for request in item_floor.waiting])
        for clock in state.items
        if (item_floor := state.floors.get(clock.item.pk))
        and item_floor.settings.inscribed_shown_to_public
        and clock.actual_start is None
        and item_floor.waiting
    ]


def delegation_rows(state: Replay, registration: Registration) -> list[DelegationRow]:
    rows = []
    for clock in state.items:
        item_floor = state.floors.get(clock.item.pk)
        if item_floor is None:
            continue
        row = DelegationRow(
            clock.item, FloorAccess.OPEN, settings=item_floor.settings, queue_length=len(item_floor.waiting)
        )
        if clock.actual_start is None:
            row.inscribed = [request.delegation for request in item_floor.waiting]
        if state.current is clock and not state.ended_at:
            raised = item_floor.pending_for(registration.delegation_key, RequestKind.ORDER)
            row.may_raise_point_of_order = raised is None and item_floor.settings.is_open_to(
                registration.role
            )
            row.point_of_order_place = item_floor.place_of(raised) if raised else None
        pending = item_floor.pending_for(registration.delegation_key)
        if pending is not None:
            row.status = FloorAccess.SPEAKING if pending is item_floor.speaking else FloorAccess.WAITING
            row.place = item_floor.place_of(pending)
            row.asked_by = pending.person
            row.statement_sent_at = pending.statement_sent_at
        elif state.ended_at or clock.is_done or item_floor.closed:
            row.status = FloorAccess.CLOSED
        elif not item_floor.settings.is_open_to(registration.role):
            row.status = FloorAccess.NOT_OPEN_TO_YOU
        rows.append(row)
    return rows
