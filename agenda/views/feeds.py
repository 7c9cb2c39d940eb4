"""Calendar feeds; and `serve()`, which answers them, the API and the printouts from the cache."""

import logging
from collections.abc import Callable
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from .. import history, ical
from ..cache import CachedAnswer, cached_answer
from ..models import Meeting, load_agendas

logger = logging.getLogger(__name__)

# Polling clients and proxies may reuse a feed for this long before asking again;
# a changed feed is visible to the next request after that.
FEED_MAX_AGE_SECONDS = 5 * 60
ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"
# Live state is polled every few seconds: always revalidate, and 304 until an action changes it.
LIVE_CACHE_CONTROL = {"no_cache": True, "public": True}


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


def serve(
    request: HttpRequest,
    name: str,
    build: Callable[[], bytes | None],
    *,
    content_type: str,
    filename: str | None = None,
    max_age: int | None = FEED_MAX_AGE_SECONDS,
) -> HttpResponse:
    """Answer from the cache with validators, or 304 when the client's copy is current."""
    # The page's address and language are part of what was built.
    answer: CachedAnswer | None = cached_answer(
        f"{request.get_host()}:{translation.get_language()}:{name}",
        build,
        # A calendar was last modified when its newest event was, whatever else changed since.
        ical.last_modified if content_type == ICAL_CONTENT_TYPE else None,
    )
    if answer is None:
        raise Http404
    response = HttpResponse(answer.body, content_type=content_type)
    response["ETag"] = answer.etag
    response["Last-Modified"] = http_date(answer.modified_at.timestamp())
    if max_age is None:
        patch_cache_control(response, **LIVE_CACHE_CONTROL)
    else:
        patch_cache_control(response, public=True, max_age=max_age)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The language comes from `?lang=`, the language cookie or Accept-Language: caches must keep each apart.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return get_conditional_response(
        request, etag=answer.etag, last_modified=int(answer.modified_at.timestamp()), response=response
    )


def serve_meeting_feed(
    request: HttpRequest, slug: str, kind: str, build_calendar, filename: str
) -> HttpResponse:
    def build() -> bytes | None:
        meeting = public_meeting(slug)
        if meeting:
            return build_calendar(entries(request, [meeting])[0])
        # Calendars that subscribed while it was published learn that it no longer stands.
        withdrawn = withdrawn_entries(Meeting.objects.filter(slug=slug))
        return ical.build_withdrawn_calendar(withdrawn[0], kind) if withdrawn else None

    return serve(request, f"ical:{kind}:{slug}", build, content_type=ICAL_CONTENT_TYPE, filename=filename)


@require_safe
def meeting_ical(request: HttpRequest, slug: str) -> HttpResponse:
    return serve_meeting_feed(request, slug, "meeting", ical.build_meeting_calendar, f"{slug}.ics")


@require_safe
def meeting_agenda_ical(request: HttpRequest, slug: str) -> HttpResponse:
    return serve_meeting_feed(request, slug, "agenda", ical.build_agenda_calendar, f"{slug}-agenda.ics")


@require_safe
def item_ical(request: HttpRequest, slug: str, item: UUID) -> HttpResponse:
    def build() -> bytes | None:
        meeting = public_meeting(slug)
        if meeting is None:
            withdrawn = withdrawn_entries(Meeting.objects.filter(slug=slug))
            topic = next((topic for each in withdrawn for topic in each.topics if topic.uuid == item), None)
            return ical.build_withdrawn_calendar(withdrawn[0], "item", topic) if topic else None
        entry = entries(request, [meeting])[0]
        topic = next((topic for topic in entry.agenda if topic.uuid == item and topic.starts_at), None)
        return ical.build_item_calendar(topic, entry) if topic else None

    return serve(
        request,
        f"ical:item:{slug}:{item}",
        build,
        content_type=ICAL_CONTENT_TYPE,
        filename=f"{slug}-{item}.ics",
    )


@require_safe
def series_ical(request: HttpRequest) -> HttpResponse:
    def build() -> bytes:
        meetings = list(Meeting.objects.public().prefetch_related("organisers").order_by("starts_at"))
        return ical.build_series_calendar(
            entries(request, meetings),
            name=translation.gettext("Plenary meetings CRM–CSM"),
            description=translation.gettext("Every published plenary meeting of the CRM and the CSM"),
            withdrawn=withdrawn_entries(Meeting.objects.all()),
        )

    return serve(
        request, "ical:series", build, content_type=ICAL_CONTENT_TYPE, filename="plenarias-crm-csm.ics"
    )
