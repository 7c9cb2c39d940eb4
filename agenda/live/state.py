"""What the event log replays into: the clock's topics and each speakers' list, with no `now`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.translation import gettext

from ..models import AgendaItem, LiveEvent, Registration, SpeakersList
from ..models.registrations import delegation_key
from ..states import MeetingState, RequestKind, RequestOutcome, state_is

# Where a request joins the queue, before the moderator moves it: points of order first, then
# (where the list says so) statements on behalf of a presidency, a conference, a group; then
# member states, observers and civil society; rights of reply last.
ORDER_RANK = 0
CAPACITY_RANK = {
    LiveEvent.Capacity.PRESIDENCY: 1,
    LiveEvent.Capacity.CONFERENCE: 2,
    LiveEvent.Capacity.GROUP: 3,
}
ROLE_RANK = {Registration.Role.DELEGATE: 4, Registration.Role.OBSERVER: 5, Registration.Role.CIVIL_SOCIETY: 6}
REPLY_RANK = 7


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
    point_of_order: bool = False
    capacity: str = LiveEvent.Capacity.NATIONAL
    on_behalf_of: str = ""
    language: str = ""  # the language the delegation speaks in, where it said
    statement_sent_at: datetime | None = None  # its statement for the interpreters, last sent
    outcome: RequestOutcome = RequestOutcome.WAITING
    given_at: datetime | None = None
    ended_at: datetime | None = None
    paused: timedelta = timedelta(0)

    @property
    def key(self) -> str:
        return delegation_key(self.delegation)

    @property
    def kind(self) -> RequestKind:
        return self.kind_of(point_of_order=self.point_of_order, right_of_reply=self.right_of_reply)

    @staticmethod
    def kind_of(*, point_of_order: bool, right_of_reply: bool) -> RequestKind:
        if point_of_order:
            return RequestKind.ORDER
        return RequestKind.REPLY if right_of_reply else RequestKind.SPEAK

    @property
    def kind_label(self) -> str:
        """What the request is for, where it is not simply to speak: shown beside the delegation."""
        labels = {RequestKind.REPLY: gettext("right of reply"), RequestKind.ORDER: gettext("point of order")}
        if self.kind in labels:
            return labels[self.kind]
        Capacity = LiveEvent.Capacity
        if self.capacity == Capacity.PRESIDENCY:
            return gettext("on behalf of the PPT %(conference)s") % {"conference": self.on_behalf_of}
        if self.capacity in (Capacity.CONFERENCE, Capacity.GROUP):
            return gettext("on behalf of %(name)s") % {"name": self.on_behalf_of}
        return ""

    @property
    def role_label(self) -> str:
        return str(Registration.Role(self.role).label) if self.role in Registration.Role.values else ""

    was_skipped = state_is(RequestOutcome.SKIPPED, of="outcome")
    is_speaking = state_is(RequestOutcome.SPEAKING, of="outcome")

    def rank(self, *, on_behalf_first: bool) -> int:
        if self.point_of_order:
            return ORDER_RANK
        if self.right_of_reply:
            return REPLY_RANK
        if on_behalf_first and self.capacity in CAPACITY_RANK:
            return CAPACITY_RANK[self.capacity]
        return ROLE_RANK.get(self.role, REPLY_RANK)

    @property
    def is_delivered(self) -> bool:
        """Whether the delegation was given the floor: its statement, if any, was delivered."""
        return self.given_at is not None

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
    """One item's speakers' list after every recorded action.

    The queue's order: member states' delegations, then observers, then civil
    society, each in the order they asked; rights of reply last. The moderator
    may move a request anywhere; later requests keep that order around it.
    """

    settings: SpeakersList
    closed: bool = False
    waiting: list[Request] = field(default_factory=list)
    speaking: Request | None = None
    heard: list[Request] = field(default_factory=list)  # spoke or skipped, in order
    requests: dict[int, Request] = field(default_factory=dict)

    @property
    def default_allotted(self) -> timedelta:
        return timedelta(minutes=self.settings.minutes_per_intervention)

    def pending_for(self, key: str, kind: RequestKind = RequestKind.SPEAK) -> Request | None:
        """The delegation's request of that kind still waiting or speaking, if any."""
        return next(
            (
                request
                for request in [self.speaking, *self.waiting]
                if request and request.key == key and request.kind == kind
            ),
            None,
        )

    def place_of(self, request: Request) -> int | None:
        return self.waiting.index(request) + 1 if request in self.waiting else None

    @property
    def budget(self) -> timedelta | None:
        """Each delegation's total speaking time on the item, where the secretariat set one."""
        minutes = self.settings.minutes_per_delegation
        return timedelta(minutes=minutes) if minutes else None

    def spent_by(self, key: str) -> timedelta:
        """How long the delegation has spoken here, in finished interventions (points of order aside)."""
        return sum(
            (
                request.duration
                for request in self.heard
                if request.key == key and request.duration and not request.point_of_order
            ),
            timedelta(0),
        )

    def budget_left(self, key: str) -> timedelta | None:
        """What is left of the delegation's speaking time (negative once overrun); None without a budget."""
        return None if self.budget is None else self.budget - self.spent_by(key)

    def pace(self) -> timedelta:
        """How long an intervention takes here: the average so far, else the time allowed."""
        spoken = [r.duration for r in self.heard if r.outcome == RequestOutcome.SPOKE and r.duration]
        return sum(spoken, timedelta(0)) / len(spoken) if spoken else self.default_allotted

    def enqueue(self, request: Request) -> None:
        place = len(self.waiting)
        first = self.settings.statements_on_behalf_first
        rank = request.rank(on_behalf_first=first)
        while place and self.waiting[place - 1].rank(on_behalf_first=first) > rank:
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

    def resume_speech(self, at: datetime, paused_since: datetime) -> None:
        """The clock ran again: the speaker's time stood still while it was paused."""
        if self.speaking is not None:
            self.speaking.paused += at - max(paused_since, self.speaking.given_at)


@dataclass
class Replay:
    """The meeting after every recorded event: its clock and its speakers' lists."""

    items: list[ItemClock]
    started_at: datetime | None = None
    ended_at: datetime | None = None
    current: ItemClock | None = None
    paused_since: datetime | None = None
    # The item that ran when the meeting was ended: undoing the end takes it up again.
    ended_during: ItemClock | None = None
    version: int = 0
    # Each speakers' list of the agenda, by item id.
    floors: dict[int, Floor] = field(default_factory=dict)

    @classmethod
    def before_any_event(cls, agenda: list[AgendaItem], lists: list[SpeakersList]) -> Replay:
        return cls(
            items=[ItemClock(item, item.starts_at, item.ends_at) for item in topics_on_the_clock(agenda)],
            floors={settings.item_id: Floor(settings) for settings in lists},
        )

    @property
    def status(self) -> MeetingState:
        if self.ended_at:
            return MeetingState.ENDED
        if self.started_at is None:
            return MeetingState.NOT_STARTED
        return MeetingState.PAUSED if self.paused_since else MeetingState.RUNNING

    has_started = state_is(MeetingState.RUNNING, MeetingState.PAUSED, MeetingState.ENDED)
    has_ended = state_is(MeetingState.ENDED)
    is_paused = state_is(MeetingState.PAUSED)

    def clock_for(self, item_id) -> ItemClock | None:
        return next((clock for clock in self.items if clock.item.pk == item_id), None)

    def after(self, clock: ItemClock) -> ItemClock | None:
        index = self.items.index(clock)
        return self.items[index + 1] if index + 1 < len(self.items) else None


def topics_on_the_clock(agenda: list[AgendaItem]) -> list[AgendaItem]:
    """The items the clock runs through: timed topics that are not cancelled, in order."""
    return [item for item in agenda if item.starts_at and not item.is_cancelled]
