"""The floor's kinds of event: requests for the floor and the moderator's actions on them.

A request is an "ask_floor" event; the moderator's actions (give the floor,
extend, end, skip, move, withdraw) name it, so a press that names a request
the queue has moved past is refused, not applied twice. Closing and reopening
act on the list. A statement sent for the interpreters names its request
too. Each kind is a check and an apply in `RULES` (`rules.Rule`).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _

from ..models import LiveEvent, Registration
from ..models.registrations import delegation_key
from ..states import RequestKind, RequestOutcome
from .rules import Rule, refuse
from .state import Floor, Replay, Request

Kind = LiveEvent.Kind
EXTEND_MINUTES = 1


def open_list(state: Replay, event: LiveEvent) -> Floor:
    """The event's item's list, refused unless it has one and the item is not over."""
    item = event.item
    item_floor = state.floors.get(item.pk) if item else None
    if item_floor is None:
        refuse(_("This item has no speakers' list."))
    clock = state.clock_for(item.pk)
    if clock is None or clock.is_done:
        refuse(_("The speakers' list of “%(item)s” is closed: the item is over.") % {"item": item.title})
    return item_floor


def waiting_request(state: Replay, event: LiveEvent) -> Request:
    item_floor = open_list(state, event)
    request = item_floor.requests.get(event.request_id) if event.request_id else None
    if request is None:
        refuse(_("That request is not on this item's list."))
    if request not in item_floor.waiting:
        # Two moderators pressed together: the second names a request the queue has moved past.
        refuse(
            _("%(delegation)s is no longer waiting: the list has moved on. Check it and try again.")
            % {"delegation": request.delegation}
        )
    return request


def check_ask(state: Replay, event: LiveEvent) -> None:
    item_floor, item = open_list(state, event), event.item
    by_moderator = event.by_id is not None
    if event.point_of_order and state.current is not state.clock_for(item.pk):
        refuse(
            _("A point of order is raised on the item being discussed: “%(item)s” is not running.")
            % {"item": item.title}
        )
    # A point of order is heard even when the list is closed: it is about how the debate is run.
    if not by_moderator and not event.point_of_order:
        closed_inscription = item_floor.settings.inscription_refusal(event.at, event.meeting.time_zone)
        if closed_inscription:
            refuse(closed_inscription)
    if item_floor.closed and not by_moderator and not event.point_of_order:
        refuse(_("The speakers' list of “%(item)s” is closed.") % {"item": item.title})
    if not by_moderator and not item_floor.settings.is_open_to(event.speaker_role):
        refuse(
            _("On “%(item)s”, the floor is not open to: %(role)s.")
            % {"item": item.title, "role": Registration.Role(event.speaker_role).label}
        )
    check_capacity(event)
    left = item_floor.budget_left(delegation_key(event.delegation))
    if left is not None and left <= timedelta(0) and not event.point_of_order:
        refuse(spent_refusal(event.delegation, item_floor))
    asked = Request.kind_of(point_of_order=event.point_of_order, right_of_reply=event.right_of_reply)
    pending = item_floor.pending_for(delegation_key(event.delegation), asked)
    if pending and asked == RequestKind.ORDER:
        refuse(
            _("%(delegation)s has already raised a point of order on “%(item)s”.")
            % {"delegation": pending.delegation, "item": item.title}
        )
    if pending:
        place = item_floor.place_of(pending)
        if place:
            message = _("%(delegation)s has already asked for the floor on “%(item)s”: place %(place)d.")
        else:
            message = _("%(delegation)s has the floor on “%(item)s”.")
        refuse(message % {"delegation": pending.delegation, "item": item.title, "place": place or 0})


def check_capacity(event: LiveEvent) -> None:
    """A delegation speaks for a conference it is a member of, a presidency it holds that day, or a group."""
    Capacity = LiveEvent.Capacity
    if event.capacity == Capacity.NATIONAL:
        return
    if event.capacity not in Capacity.values:
        refuse(_("Choose in whose name the delegation speaks."))
    name = (event.on_behalf_of or "").strip()
    if not name:
        refuse(_("Say on whose behalf the delegation speaks."))
    if event.capacity == Capacity.GROUP:
        return
    conference = event.meeting.conferences.filter(acronym__iexact=name).first()
    if conference is None:
        refuse(_("%(name)s is not one of this meeting's conferences.") % {"name": name})
    event.on_behalf_of = conference.acronym  # stored as the conference spells it, whatever was typed
    if event.capacity == Capacity.PRESIDENCY:
        held = conference.presidencies.on(event.meeting.local_date).filter(country_id=event.country_id)
        if not held.exists():
            refuse(
                _("%(delegation)s does not hold the pro-tempore presidency of the %(conference)s that day.")
                % {"delegation": event.delegation, "conference": conference.acronym}
            )
    elif not conference.members.filter(pk=event.country_id).exists():
        refuse(
            _("%(delegation)s is not a member of the %(conference)s.")
            % {"delegation": event.delegation, "conference": conference.acronym}
        )


def check_statement(state: Replay, event: LiveEvent) -> None:
    """A statement comes from the delegation's own link, for its request not yet heard (or being heard)."""
    item_floor = state.floors.get(event.item_id) if event.item_id else None
    request = item_floor.requests.get(event.request_id) if item_floor and event.request_id else None
    if event.registration_id is None or request is None or request.key != delegation_key(event.delegation):
        refuse(_("A statement is sent with the delegation's own request, from its private link."))
    if request not in (item_floor.speaking, *item_floor.waiting):
        refuse(
            _("The request of %(delegation)s on “%(item)s” was heard or withdrawn: no statement now.")
            % {"delegation": request.delegation, "item": event.item.title}
        )


def check_waiting(state: Replay, event: LiveEvent) -> None:
    waiting_request(state, event)


def check_move(state: Replay, event: LiveEvent) -> None:
    waiting_request(state, event)
    waiting = state.floors[event.item.pk].waiting
    if not 1 <= (event.position or 0) <= len(waiting):
        refuse(_("Choose a place between 1 and %(n)d.") % {"n": len(waiting)})


def spent_refusal(delegation: str, item_floor: Floor) -> str:
    return _("%(delegation)s has used its %(minutes)d minutes on “%(item)s”.") % {
        "delegation": delegation,
        "minutes": item_floor.settings.minutes_per_delegation,
        "item": item_floor.settings.item.title,
    }


def check_give(state: Replay, event: LiveEvent) -> None:
    request = waiting_request(state, event)
    left = state.floors[event.item.pk].budget_left(request.key)
    if left is not None and left <= timedelta(0) and not request.point_of_order:
        refuse(spent_refusal(request.delegation, state.floors[event.item.pk]))
    if state.current is not state.clock_for(event.item.pk) or state.paused_since:
        refuse(
            _("“%(item)s” is not running: start it on the clock (or resume) before giving the floor.")
            % {"item": event.item.title}
        )


def check_speaking(state: Replay, event: LiveEvent) -> None:
    item_floor = open_list(state, event)
    if item_floor.speaking is None or item_floor.speaking.id != event.request_id:
        refuse(_("That speaker no longer has the floor: the list has moved on."))


def check_close(state: Replay, event: LiveEvent) -> None:
    if open_list(state, event).closed:
        refuse(_("The list is already closed."))


def check_reopen(state: Replay, event: LiveEvent) -> None:
    if not open_list(state, event).closed:
        refuse(_("The list is open."))


def on_list(apply):
    """Play the event on its item's list, if the item still has one, with the request it names."""

    def apply_on_list(state: Replay, event: LiveEvent) -> None:
        item_floor = state.floors.get(event.item_id)
        if item_floor is not None:
            apply(state, item_floor, item_floor.requests.get(event.request_id), event)

    return apply_on_list


@on_list
def ask(state: Replay, item_floor: Floor, _request, event: LiveEvent) -> None:
    request = Request(
        id=event.pk,
        delegation=event.delegation,
        role=event.speaker_role,
        person=event.registration.name if event.registration else "",
        country_id=event.country_id,
        right_of_reply=event.right_of_reply,
        asked_at=event.at,
        allotted=timedelta(minutes=item_floor.settings.minutes_for(event.capacity)),
        point_of_order=event.point_of_order,
        capacity=event.capacity,
        on_behalf_of=event.on_behalf_of,
        language=event.language,
    )
    item_floor.requests[request.id] = request
    item_floor.enqueue(request)


def leave_queue(outcome: RequestOutcome):
    @on_list
    def apply(state: Replay, item_floor: Floor, request: Request | None, event: LiveEvent) -> None:
        if request in item_floor.waiting:
            item_floor.waiting.remove(request)
            request.outcome, request.ended_at = outcome, event.at
            if outcome == RequestOutcome.SKIPPED:
                item_floor.heard.append(request)

    return apply


@on_list
def move(state: Replay, item_floor: Floor, request: Request | None, event: LiveEvent) -> None:
    if request in item_floor.waiting:
        item_floor.waiting.remove(request)
        item_floor.waiting.insert(event.position - 1, request)


@on_list
def give(state: Replay, item_floor: Floor, request: Request | None, event: LiveEvent) -> None:
    if request in item_floor.waiting:
        item_floor.end_speech(event.at, state.paused_since)
        item_floor.waiting.remove(request)
        request.outcome, request.given_at = RequestOutcome.SPEAKING, event.at
        left = item_floor.budget_left(request.key)
        if left is not None and not request.point_of_order:
            # With a budget, a turn lasts what is left of it, instead of the time per intervention.
            request.allotted = max(left, timedelta(0))
        item_floor.speaking = request


@on_list
def extend(state: Replay, item_floor: Floor, request: Request | None, event: LiveEvent) -> None:
    if request and request is item_floor.speaking:
        request.allotted += timedelta(minutes=event.minutes)


@on_list
def end_intervention(state: Replay, item_floor: Floor, request: Request | None, event: LiveEvent) -> None:
    if request and request is item_floor.speaking:
        item_floor.end_speech(event.at, state.paused_since)


@on_list
def send_statement(state: Replay, item_floor: Floor, request: Request | None, event: LiveEvent) -> None:
    if request is not None:
        request.statement_sent_at = event.at


@on_list
def close(state: Replay, item_floor: Floor, _request, event: LiveEvent) -> None:
    item_floor.closed = True


@on_list
def reopen(state: Replay, item_floor: Floor, _request, event: LiveEvent) -> None:
    item_floor.closed = False


RULES = {
    Kind.ASK_FLOOR: Rule(check_ask, ask),
    Kind.WITHDRAW: Rule(check_waiting, leave_queue(RequestOutcome.WITHDRAWN)),
    Kind.SKIP: Rule(check_waiting, leave_queue(RequestOutcome.SKIPPED)),
    Kind.MOVE: Rule(check_move, move),
    Kind.GIVE_FLOOR: Rule(check_give, give),
    Kind.EXTEND: Rule(check_speaking, extend),
    Kind.END_INTERVENTION: Rule(check_speaking, end_intervention),
    Kind.SEND_STATEMENT: Rule(check_statement, send_statement),
    Kind.CLOSE_LIST: Rule(check_close, close),
    Kind.REOPEN_LIST: Rule(check_reopen, reopen),
}
