"""The floor: speakers' lists, replayed from the live clock's events, and the actions on them.

A request for the floor is a `LiveEvent` of kind "ask_floor"; the moderator's
actions (give the floor, extend, end, skip, move, close) name that event. They
are replayed with the clock's own actions (`live.replay`), in one order, so
every console and app server sees the same queue, and a press that names a
request the queue has moved past is refused, not applied twice.

The queue's order: member states' delegations, then observers, then civil
society, each in the order they asked; rights of reply last. The moderator
may move a request anywhere; later requests keep that order around it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from . import live
from .models import AgendaItem, LiveEvent, Meeting, Registration, SpeakersList
from .models.registrations import delegation_key
from .spreadsheets import spreadsheet_text
from .states import FloorAccess, ItemState, RequestOutcome

if TYPE_CHECKING:
    from .forms import FloorRequestForm

Kind = LiveEvent.Kind
FLOOR_KINDS = frozenset(
    {
        Kind.ASK_FLOOR,
        Kind.WITHDRAW,
        Kind.MOVE,
        Kind.GIVE_FLOOR,
        Kind.EXTEND,
        Kind.END_INTERVENTION,
        Kind.SKIP,
        Kind.CLOSE_LIST,
        Kind.REOPEN_LIST,
    }
)
# Where a request joins the queue, before the moderator moves it.
ROLE_RANK = {Registration.Role.DELEGATE: 0, Registration.Role.OBSERVER: 1, Registration.Role.CIVIL_SOCIETY: 2}
REPLY_RANK = 3
EXTEND_MINUTES = 1


@dataclass
class Request:
    """One delegation's request for the floor on one item, and what became of it."""

    id: int  # the "ask_floor" event's
    delegation: str
    role: str
    person: str
    country_id: str | None
    right_of_reply: bool
    asked_at: datetime
    allotted: timedelta
    outcome: RequestOutcome = RequestOutcome.WAITING
    given_at: datetime | None = None
    ended_at: datetime | None = None
    paused: timedelta = timedelta(0)

    @property
    def key(self) -> str:
        return delegation_key(self.delegation)

    @property
    def role_label(self) -> str:
        return str(Registration.Role(self.role).label) if self.role in Registration.Role.values else ""

    @property
    def was_skipped(self) -> bool:
        return self.outcome == RequestOutcome.SKIPPED

    @property
    def is_speaking(self) -> bool:
        return self.outcome == RequestOutcome.SPEAKING

    @property
    def rank(self) -> int:
        return REPLY_RANK if self.right_of_reply else ROLE_RANK.get(self.role, REPLY_RANK)

    @property
    def duration(self) -> timedelta | None:
        if self.given_at is None or self.ended_at is None:
            return None
        return self.ended_at - self.given_at - self.paused

    @property
    def over_time(self) -> timedelta | None:
        """How much longer than allowed (with extensions) the speaker spoke; zero if not."""
        duration = self.duration
        return None if duration is None else max(duration - self.allotted, timedelta(0))


@dataclass
class Floor:
    """One item's speakers' list after every recorded action."""

    settings: SpeakersList
    closed: bool = False
    waiting: list[Request] = field(default_factory=list)
    speaking: Request | None = None
    heard: list[Request] = field(default_factory=list)  # spoke or skipped, in order
    requests: dict[int, Request] = field(default_factory=dict)

    @property
    def default_allotted(self) -> timedelta:
        return timedelta(minutes=self.settings.minutes_per_intervention)

    def pending_for(self, key: str, *, right_of_reply: bool = False) -> Request | None:
        """The delegation's request (or right of reply) still waiting or speaking, if any."""
        return next(
            (
                request
                for request in [self.speaking, *self.waiting]
                if request and request.key == key and request.right_of_reply == right_of_reply
            ),
            None,
        )

    def place_of(self, request: Request) -> int | None:
        return self.waiting.index(request) + 1 if request in self.waiting else None

    def pace(self) -> timedelta:
        """How long an intervention takes here: the average so far, else the time allowed."""
        spoken = [r.duration for r in self.heard if r.outcome == RequestOutcome.SPOKE and r.duration]
        return sum(spoken, timedelta(0)) / len(spoken) if spoken else self.default_allotted

    def enqueue(self, request: Request) -> None:
        place = len(self.waiting)
        while place and self.waiting[place - 1].rank > request.rank:
            place -= 1
        self.waiting.insert(place, request)

    def end_speech(self, at: datetime, paused_since: datetime | None) -> None:
        speaker = self.speaking
        if speaker is None:
            return
        if paused_since is not None:
            speaker.paused += at - max(paused_since, speaker.given_at)
        speaker.ended_at, speaker.outcome = at, RequestOutcome.SPOKE
        self.heard.append(speaker)
        self.speaking = None


def floors_for(lists: list[SpeakersList]) -> dict[int, Floor]:
    return {settings.item_id: Floor(settings) for settings in lists}


def apply(state: live.Replay, event: LiveEvent) -> None:
    """Play one floor action onto the replayed state (checked when it was recorded)."""
    floor = state.floors.get(event.item_id)
    if floor is None:
        return
    request = floor.requests.get(event.request_id)
    if event.kind == Kind.ASK_FLOOR:
        request = Request(
            id=event.pk,
            delegation=event.delegation,
            role=event.speaker_role,
            person=event.registration.name if event.registration else "",
            country_id=event.country_id,
            right_of_reply=event.right_of_reply,
            asked_at=event.at,
            allotted=floor.default_allotted,
        )
        floor.requests[request.id] = request
        floor.enqueue(request)
    elif event.kind in (Kind.WITHDRAW, Kind.SKIP) and request in floor.waiting:
        floor.waiting.remove(request)
        request.outcome = RequestOutcome.WITHDRAWN if event.kind == Kind.WITHDRAW else RequestOutcome.SKIPPED
        request.ended_at = event.at
        if event.kind == Kind.SKIP:
            floor.heard.append(request)
    elif event.kind == Kind.MOVE and request in floor.waiting:
        floor.waiting.remove(request)
        floor.waiting.insert(event.position - 1, request)
    elif event.kind == Kind.GIVE_FLOOR and request in floor.waiting:
        floor.end_speech(event.at, state.paused_since)
        floor.waiting.remove(request)
        request.outcome, request.given_at = RequestOutcome.SPEAKING, event.at
        floor.speaking = request
    elif event.kind == Kind.EXTEND and request is floor.speaking and request:
        request.allotted += timedelta(minutes=event.minutes)
    elif event.kind == Kind.END_INTERVENTION and request is floor.speaking and request:
        floor.end_speech(event.at, state.paused_since)
    elif event.kind == Kind.CLOSE_LIST:
        floor.closed = True
    elif event.kind == Kind.REOPEN_LIST:
        floor.closed = False


def stop_speaker(state: live.Replay, item_id: int | None, at: datetime) -> None:
    """The clock left the item (next, another item, the end): whoever speaks there has finished."""
    floor = state.floors.get(item_id)
    if floor is not None:
        floor.end_speech(at, state.paused_since)


def resume_speaker(state: live.Replay, at: datetime) -> None:
    """The clock paused, so did the speaker's time."""
    floor = state.floors.get(state.current.item.pk) if state.current else None
    if floor and floor.speaking and state.paused_since:
        floor.speaking.paused += at - max(state.paused_since, floor.speaking.given_at)


# Checks ---------------------------------------------------------------------------------------


def check(
    state: live.Replay, kind: str, *, item: AgendaItem | None, request_id: int | None, **fields
) -> None:
    """Refuse a floor action that does not fit the state, with a message for whoever asked."""
    if state.has_ended:
        live.refuse(_("The meeting has ended."))
    floor = state.floors.get(item.pk) if item else None
    if floor is None:
        live.refuse(_("This item has no speakers' list."))
    clock = state.clock_for(item.pk)
    if clock is None or clock.is_done:
        live.refuse(_("The speakers' list of “%(item)s” is closed: the item is over.") % {"item": item.title})
    request = floor.requests.get(request_id) if request_id else None
    if kind == Kind.ASK_FLOOR:
        check_ask(
            floor,
            item,
            delegation=fields["delegation"],
            speaker_role=fields["speaker_role"],
            right_of_reply=fields.get("right_of_reply", False),
            by_moderator=fields["by_moderator"],
        )
    elif kind in (Kind.WITHDRAW, Kind.MOVE, Kind.GIVE_FLOOR, Kind.SKIP):
        if request is None:
            live.refuse(_("That request is not on this item's list."))
        if request not in floor.waiting:
            # Two moderators pressed together: the second names a request the queue has moved past.
            live.refuse(
                _("%(delegation)s is no longer waiting: the list has moved on. Check it and try again.")
                % {"delegation": request.delegation}
            )
        if kind == Kind.MOVE and not 1 <= (fields.get("position") or 0) <= len(floor.waiting):
            live.refuse(_("Choose a place between 1 and %(n)d.") % {"n": len(floor.waiting)})
        if kind == Kind.GIVE_FLOOR and (state.current is not clock or state.paused_since):
            live.refuse(
                _("“%(item)s” is not running: start it on the clock (or resume) before giving the floor.")
                % {"item": item.title}
            )
    elif kind in (Kind.EXTEND, Kind.END_INTERVENTION):
        if floor.speaking is None or request is not floor.speaking:
            live.refuse(_("That speaker no longer has the floor: the list has moved on."))
    elif kind == Kind.CLOSE_LIST and floor.closed:
        live.refuse(_("The list is already closed."))
    elif kind == Kind.REOPEN_LIST and not floor.closed:
        live.refuse(_("The list is open."))


def check_ask(
    floor: Floor,
    item: AgendaItem,
    *,
    delegation: str,
    speaker_role: str,
    right_of_reply: bool,
    by_moderator: bool,
) -> None:
    if floor.closed and not by_moderator:
        live.refuse(_("The speakers' list of “%(item)s” is closed.") % {"item": item.title})
    if not by_moderator and not floor.settings.is_open_to(speaker_role):
        live.refuse(
            _("On “%(item)s”, the floor is not open to: %(role)s.")
            % {"item": item.title, "role": Registration.Role(speaker_role).label}
        )
    pending = floor.pending_for(delegation_key(delegation), right_of_reply=right_of_reply)
    if pending:
        place = floor.place_of(pending)
        if place:
            message = _("%(delegation)s has already asked for the floor on “%(item)s”: place %(place)d.")
        else:
            message = _("%(delegation)s has the floor on “%(item)s”.")
        live.refuse(message % {"delegation": pending.delegation, "item": item.title, "place": place or 0})


# Actions --------------------------------------------------------------------------------------


def ask(registration: Registration, item: AgendaItem, *, at: datetime) -> live.Replay:
    """A registered participant asks for the floor for their delegation."""
    refuse_revoked(registration)
    return request_floor(registration, item, by=None, at=at)


def add(
    meeting: Meeting,
    item: AgendaItem,
    delegation: str,
    *,
    right_of_reply: bool,
    by,
    at: datetime,
    rehearsal: bool = False,
) -> live.Replay:
    """The moderator adds a registered delegation that asked orally or in the chat."""
    registration = meeting.registrations.filter(revoked_at__isnull=True).for_delegation(delegation)
    if registration is None:
        live.refuse(_("%(delegation)s is not registered for this meeting.") % {"delegation": delegation})
    return request_floor(registration, item, by=by, at=at, right_of_reply=right_of_reply, rehearsal=rehearsal)


def request_floor(
    registration: Registration,
    item: AgendaItem,
    *,
    by,
    at: datetime,
    right_of_reply: bool = False,
    rehearsal: bool = False,
) -> live.Replay:
    """Record a request for `registration`'s delegation, from their link (`by` None) or a moderator."""
    return live.record(
        registration.meeting,
        Kind.ASK_FLOOR,
        by=by,
        at=at,
        item=item,
        delegation=registration.affiliation,
        speaker_role=registration.role,
        registration=registration if by is None else None,
        country=registration.country,
        right_of_reply=right_of_reply,
        rehearsal=rehearsal,
    )


def refuse_revoked(registration: Registration) -> None:
    if registration.is_revoked:
        live.refuse(_("This private link has been revoked: ask the secretariat for a new one."))


def withdraw(registration: Registration, item: AgendaItem, *, at: datetime) -> live.Replay:
    """A participant takes back their delegation's waiting request."""
    refuse_revoked(registration)
    floor = live.load_replay(registration.meeting).floors.get(item.pk)
    pending = floor.pending_for(registration.delegation_key) if floor else None
    if pending is None or pending.outcome != RequestOutcome.WAITING:
        live.refuse(_("Your delegation has no request waiting on this item."))
    return live.record(registration.meeting, Kind.WITHDRAW, by=None, at=at, item=item, request_id=pending.id)


def act(
    meeting: Meeting, kind: str, item: AgendaItem, *, by, at: datetime, rehearsal: bool = False, **fields
) -> live.Replay:
    """A moderator's action on a request (give, extend, end, skip, move, withdraw) or on the list."""
    if kind == Kind.EXTEND:
        fields["minutes"] = EXTEND_MINUTES
    return live.record(meeting, kind, by=by, at=at, item=item, rehearsal=rehearsal, **fields)


# Projection -----------------------------------------------------------------------------------


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
        return max(live.minutes_between(self.slot_ends_at, self.ends_at), 0)


def project(
    floor: Floor, state: live.Replay, now: datetime, start: datetime, slot_end: datetime
) -> FloorProjection:
    """Place the rest of the list after `start` (the item's start, or now) at the pace so far."""
    speaker = floor.speaking
    due = remaining = None
    cursor = max(start, now)
    if speaker is not None:
        paused = speaker.paused + (
            now - max(state.paused_since, speaker.given_at) if state.paused_since else timedelta(0)
        )
        remaining = speaker.allotted - (now - speaker.given_at - paused)
        due = now + remaining
        cursor = max(now, due)
    ends_at = cursor + floor.pace() * len(floor.waiting)
    return FloorProjection(floor, due, remaining, ends_at, slot_end)


# What the console and a participant see ------------------------------------------------------


@dataclass
class ConsoleList:
    """The list the moderator works on: the running item's, else the next one's."""

    item: AgendaItem
    floor: Floor
    read: FloorProjection | None
    running: bool


def console_list(projection: live.Projection) -> ConsoleList | None:
    state = projection.state
    for row in projection.items:
        item_floor = state.floors.get(row.item.pk)
        if item_floor is not None and row.status in (ItemState.NOW, ItemState.NEXT, ItemState.UPCOMING):
            running = row.is_now and not state.paused_since
            return ConsoleList(row.item, item_floor, projection.floors.get(row.item.pk), running)
    return None


def registered_delegations(meeting: Meeting) -> list[str]:
    """Each delegation with a valid link, once, as first registered: whom the moderator may add."""
    seen: dict[str, str] = {}
    for registration in meeting.registrations.filter(revoked_at__isnull=True).order_by("affiliation", "id"):
        seen.setdefault(registration.delegation_key, registration.affiliation)
    return list(seen.values())


@dataclass
class ParticipantRow:
    """One item with a list, as a participant's private page shows it to their delegation."""

    item: AgendaItem
    status: FloorAccess
    place: int | None = None
    asked_by: str = ""
    queue_length: int = 0
    form: FloorRequestForm | None = None  # the button the page shows

    @property
    def is_waiting(self) -> bool:
        return self.status == FloorAccess.WAITING

    @property
    def is_speaking(self) -> bool:
        return self.status == FloorAccess.SPEAKING

    @property
    def is_closed(self) -> bool:
        return self.status == FloorAccess.CLOSED

    @property
    def is_open_to_others_only(self) -> bool:
        return self.status == FloorAccess.NOT_OPEN_TO_YOU

    @property
    def can_ask_or_withdraw(self) -> bool:
        return self.status in (FloorAccess.OPEN, FloorAccess.WAITING)


def participant_rows(state: live.Replay, registration: Registration) -> list[ParticipantRow]:
    rows = []
    for clock in state.items:
        item_floor = state.floors.get(clock.item.pk)
        if item_floor is None:
            continue
        row = ParticipantRow(clock.item, FloorAccess.OPEN, queue_length=len(item_floor.waiting))
        pending = item_floor.pending_for(registration.delegation_key)
        if pending is not None:
            row.status = FloorAccess.SPEAKING if pending is item_floor.speaking else FloorAccess.WAITING
            row.place = item_floor.place_of(pending)
            row.asked_by = pending.person
        elif state.ended_at or clock.is_done or item_floor.closed:
            row.status = FloorAccess.CLOSED
        elif not item_floor.settings.is_open_to(registration.role):
            row.status = FloorAccess.NOT_OPEN_TO_YOU
        rows.append(row)
    return rows


# Report ---------------------------------------------------------------------------------------


def interventions(state: live.Replay) -> list[tuple[AgendaItem, list[Request]]]:
    """Per item with a list, in agenda order: who spoke or was skipped, then who still waits."""
    rows = []
    for clock in state.items:
        floor = state.floors.get(clock.item.pk)
        if floor is not None:
            speaking = [floor.speaking] if floor.speaking else []
            rows.append((clock.item, [*floor.heard, *speaking]))
    return rows


@dataclass
class Total:
    name: str
    interventions: int = 0
    spoken: timedelta = timedelta(0)
    over_time: timedelta = timedelta(0)

    def add(self, request: Request) -> None:
        self.interventions += 1
        self.spoken += request.duration
        self.over_time += request.over_time


def totals(state: live.Replay, meeting: Meeting) -> tuple[list[Total], list[Total]]:
    """Speaking time per delegation and per conference (observers and civil society apart)."""
    conference_of: dict[str, str] = {}
    for conference in meeting.conferences.prefetch_related("members"):
        for country in conference.members.all():
            conference_of.setdefault(country.pk, conference.acronym)
    by_delegation: dict[str, Total] = {}
    by_conference: dict[str, Total] = {}
    role_labels = dict(Registration.Role.choices)
    for _item, requests in interventions(state):
        for request in requests:
            if request.duration is None:
                continue
            by_delegation.setdefault(request.key, Total(request.delegation)).add(request)
            group = conference_of.get(request.country_id) or str(role_labels.get(request.role, request.role))
            by_conference.setdefault(group, Total(group)).add(request)
    return list(by_delegation.values()), sorted(by_conference.values(), key=lambda total: total.name)


INTERVENTIONS_CSV_HEADINGS = [
    "item",
    "delegation",
    "person",
    "right_of_reply",
    "asked_at",
    "given_at",
    "duration_seconds",
    "allowed_seconds",
    "over_time_seconds",
    "outcome",
]


def write_interventions_csv(state: live.Replay, zone, output) -> None:
    """Every intervention as CSV lines on `output`, times in `zone` (ISO 8601 with their offset)."""

    def local(moment: datetime | None) -> str:
        return moment.astimezone(zone).isoformat() if moment else ""

    def seconds(span: timedelta | None) -> int | str:
        return "" if span is None else round(span.total_seconds())

    writer = csv.writer(output)
    writer.writerow(INTERVENTIONS_CSV_HEADINGS)
    for item, requests in interventions(state):
        for request in requests:
            writer.writerow(
                [
                    spreadsheet_text(item.title),
                    spreadsheet_text(request.delegation),
                    spreadsheet_text(request.person),
                    "yes" if request.right_of_reply else "",
                    local(request.asked_at),
                    local(request.given_at),
                    seconds(request.duration),
                    seconds(request.allotted),
                    seconds(request.over_time),
                    request.outcome,
                ]
            )
