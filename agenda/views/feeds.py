"""Calendar feeds: each view returns its iCalendar bytes, which `cache.cached_view` serves."""

from collections.abc import Sequence
from functools import partial
from uuid import UUID

from django.http import HttpRequest
from django.utils import translation
from django.views.decorators.http import require_safe

from .. import history, ical
from ..cache import cached_texts, cached_view
from ..models import AgendaItem, Meeting, load_agendas

ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"


def entries(request: HttpRequest, meetings: list[Meeting]) -> list[ical.MeetingEntry]:
    agendas = load_agendas(meetings)
    changes = history.load_changes(meetings)
    return [
        ical.MeetingEntry(
            meeting,
            agendas[meeting.pk],
            request.build_absolute_uri(meeting.get_absolute_url()),
            changes[meeting.pk],
        )
        for meeting in meetings
    ]


def public_meeting(slug: str) -> Meeting | None:
    return Meeting.objects.public().prefetch_related("organisers", "conferences").filter(slug=slug).first()


def withdrawn_entries(meetings) -> list[ical.WithdrawnEntry]:
    """Withdrawn meetings as their feeds cancel them: as last published, with today's SEQUENCE."""
    found = []
    for meeting in meetings.filter(status=Meeting.Status.DRAFT, withdrawn_at__isnull=False):
        last, topics = meeting.as_last_published()
        sequences = dict(meeting.agenda_items.values_list("uuid", "sequence"))
        sequences[meeting.uuid] = meeting.sequence
        found.append(ical.WithdrawnEntry(last, topics, meeting.withdrawn_at, sequences))
    return found


def meeting_feed(slug: str, build_calendar, kind: str, request: HttpRequest) -> bytes | None:
    meeting = public_meeting(slug)
    if meeting:
        return build_calendar(entries(request, [meeting])[0])
    # Calendars that subscribed while it was published learn that it no longer stands.
    withdrawn = withdrawn_entries(Meeting.objects.filter(slug=slug))
    return ical.build_withdrawn_calendar(withdrawn[0], kind) if withdrawn else None


# A calendar was last modified when its newest event was, whatever else changed since.
calendar_feed = partial(cached_view, content_type=ICAL_CONTENT_TYPE, modified=ical.last_modified)


@require_safe
@calendar_feed(filename="{slug}.ics")
def meeting_ical(request: HttpRequest, slug: str) -> bytes | None:
    return meeting_feed(slug, ical.build_meeting_calendar, "meeting", request)


def serialise_topics_from_cache(topics: Sequence[AgendaItem], entry: ical.MeetingEntry) -> list[bytes]:
    # After an edit only the events it changed are serialised again (`make bench`, first render).
    return cached_texts(
        topics,
        lambda item: ical.item_event_shows(item, entry),
        lambda item: ical.item_event_text(item, entry),
    )


@require_safe
@calendar_feed(filename="{slug}-agenda.ics")
def meeting_agenda_ical(request: HttpRequest, slug: str) -> bytes | None:
    build = partial(ical.build_agenda_calendar, serialise=serialise_topics_from_cache)
    return meeting_feed(slug, build, "agenda", request)


@require_safe
@calendar_feed(filename="{slug}-{item}.ics")
def item_ical(request: HttpRequest, slug: str, item: UUID) -> bytes | None:
    meeting = public_meeting(slug)
    if meeting is None:
        withdrawn = withdrawn_entries(Meeting.objects.filter(slug=slug))
        topic = next((topic for each in withdrawn for topic in each.topics if topic.uuid == item), None)
        return ical.build_withdrawn_calendar(withdrawn[0], "item", topic) if topic else None
    entry = entries(request, [meeting])[0]
    topic = next((topic for topic in entry.agenda if topic.uuid == item and topic.starts_at), None)
    return ical.build_item_calendar(topic, entry) if topic else None


@require_safe
@calendar_feed(filename="plenarias-crm-csm.ics")
def series_ical(request: HttpRequest) -> bytes:
    meetings = list(Meeting.objects.public().prefetch_related("organisers").order_by("starts_at"))
    return ical.build_series_calendar(
        entries(request, meetings),
        name=translation.gettext("Plenary meetings CRM–CSM"),
        description=translation.gettext("Every published plenary meeting of the CRM and the CSM"),
        withdrawn=withdrawn_entries(Meeting.objects.all()),
    )
