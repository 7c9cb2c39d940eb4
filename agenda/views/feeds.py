"""Calendar feeds, agenda documents and the JSON schedule, served from the cache with validators."""

import json
import logging
from collections.abc import Callable
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from .. import api, documents, history, ical, zones
from ..cache import CachedDocument, cached_document
from ..models import Meeting, load_agendas

logger = logging.getLogger(__name__)

# Polling clients and proxies may reuse a feed for this long before asking again;
# a changed feed is visible to the next request after that.
FEED_MAX_AGE_SECONDS = 5 * 60
ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
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
    document: CachedDocument | None = cached_document(
        f"{request.get_host()}:{translation.get_language()}:{name}",
        build,
        # A calendar was last modified when its newest event was, whatever else changed since.
        ical.last_modified if content_type == ICAL_CONTENT_TYPE else lambda body: None,
    )
    if document is None:
        raise Http404
    response = HttpResponse(document.body, content_type=content_type)
    response["ETag"] = document.etag
    response["Last-Modified"] = http_date(document.modified_at.timestamp())
    if max_age is None:
        patch_cache_control(response, **LIVE_CACHE_CONTROL)
    else:
        patch_cache_control(response, public=True, max_age=max_age)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The language comes from `?lang=`, the language cookie or Accept-Language: caches must keep each apart.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return get_conditional_response(
        request, etag=document.etag, last_modified=int(document.modified_at.timestamp()), response=response
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


def document_zone(request: HttpRequest, meeting: Meeting) -> str:
    """The zone a document's times are read in: `?tz=` when it names one, else the meeting's."""
    requested, _refused = zones.choose_viewer_zone(request.GET.get("tz"), None)
    return requested or meeting.time_zone


def serve_agenda_document(
    request: HttpRequest, slug: str, render_document, *, extension: str, content_type: str
):
    asked_zone = zones.choose_viewer_zone(request.GET.get("tz"), None)[0] or "meeting"

    def build() -> bytes | None:
        meeting = public_meeting(slug)
        if meeting is None:
            return None
        document = documents.AgendaDocument(
            meeting=meeting,
            agenda=meeting.agenda(),
            zone=document_zone(request, meeting),
            url=request.build_absolute_uri(meeting.get_absolute_url()),
        )
        rendered = render_document(document)
        return rendered if isinstance(rendered, bytes) else rendered.encode()

    return serve(
        request,
        f"document:{extension}:{slug}:{asked_zone}",
        build,
        content_type=content_type,
        filename=f"{slug}-agenda.{extension}" if extension == "pdf" else None,
    )


@require_safe
def agenda_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        return serve_agenda_document(
            request, slug, documents.render_agenda_pdf, extension="pdf", content_type="application/pdf"
        )
    except OSError:
        # WeasyPrint could not load Pango: a server set-up fault, not the reader's.
        logger.exception("The PDF agenda could not be made")
        return HttpResponse(
            translation.gettext("The PDF agenda is not available right now; the plain-text agenda is."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )


@require_safe
def agenda_text(request: HttpRequest, slug: str) -> HttpResponse:
    return serve_agenda_document(
        request, slug, documents.render_agenda_text, extension="txt", content_type="text/plain; charset=utf-8"
    )


def as_json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def allow_any_origin(response: HttpResponse) -> HttpResponse:
    # Public, read-only data for the conferences' own websites to fetch from their pages.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def api_meeting_list(request: HttpRequest) -> HttpResponse:
    def build() -> bytes:
        meetings = Meeting.objects.public().prefetch_related("conferences").order_by("starts_at")
        return as_json(
            {
                "api_version": api.API_VERSION,
                "meetings": [
                    api.meeting_summary(
                        meeting,
                        request.build_absolute_uri(meeting.get_absolute_url()),
                        request.build_absolute_uri(reverse("agenda:api-meeting-detail", args=[meeting.slug])),
                    )
                    for meeting in meetings
                ],
            }
        )

    return allow_any_origin(serve(request, "api:meetings", build, content_type=JSON_CONTENT_TYPE))


@require_safe
def api_meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    def build() -> bytes | None:
        meeting = public_meeting(slug)
        if meeting is None:
            return None
        return as_json(
            api.meeting_detail(
                meeting,
                meeting.agenda(),
                request.build_absolute_uri(meeting.get_absolute_url()),
                request.build_absolute_uri(reverse("agenda:api-meeting-detail", args=[slug])),
            )
        )

    return allow_any_origin(serve(request, f"api:meeting:{slug}", build, content_type=JSON_CONTENT_TYPE))
