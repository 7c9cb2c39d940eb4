"""Public pages, calendar feeds and the JSON schedule: thin views over models, ical and api."""

import csv
import json
import logging
from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.http import http_date
from django.views.decorators.http import require_POST, require_safe

from . import api, charts, documents, ical, live, zones
from .cache import CachedDocument, cached_document, content_version
from .forms import LiveActionForm, TimeZoneForm
from .models import Meeting, load_agendas

logger = logging.getLogger(__name__)

# Polling clients and proxies may reuse a feed for this long before asking again;
# a changed feed is visible to the next request after that.
FEED_MAX_AGE_SECONDS = 5 * 60
ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
# Remembers the reader's own time zone, chosen or detected by the browser.
VIEWER_ZONE_COOKIE = "plenary_tz"
VIEWER_ZONE_COOKIE_SECONDS = 365 * 24 * 60 * 60
# Live state is polled every few seconds: always revalidate, and 304 until an action changes it.
LIVE_CACHE_CONTROL = {"no_cache": True, "public": True}


@require_safe
def meeting_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    meetings = Meeting.objects.public()
    return render(
        request,
        "agenda/meeting_list.html",
        {
            "upcoming": meetings.upcoming(now),
            "past": meetings.past(now),
            "content_version": content_version(),
        },
    )


@require_safe
def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    # Drafts stay hidden from the public; the secretariat may preview them.
    if not meeting.is_public and not request.user.has_perm("agenda.view_meeting"):
        raise Http404
    requested = request.GET.get("tz")
    viewer_zone, refused_zone = zones.choose_viewer_zone(requested, request.COOKIES.get(VIEWER_ZONE_COOKIE))
    countries = meeting.member_countries()
    now = timezone.now()
    # Loaded only when a cached fragment is missing or the clock concerns readers.
    agenda = SimpleLazyObject(meeting.agenda)
    response = render(
        request,
        "agenda/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            # Cached fragments of the page are keyed by it, so an edit refreshes them.
            "content_version": content_version(),
            "live": live.project(live.load_replay(meeting, agenda), now)
            if live.concerns_readers(meeting, now)
            else None,
            "viewer": viewer_span(meeting, viewer_zone),
            "refused_zone": refused_zone,
            "shown_zone": viewer_zone or meeting.time_zone,
            # Both built only when their cached fragment is missing.
            "delegations": SimpleLazyObject(
                lambda: zones.delegation_times(
                    meeting.starts_at, meeting.ends_at, meeting.local_date, countries
                )
            ),
            "zone_form": SimpleLazyObject(
                lambda: TimeZoneForm(
                    initial={"tz": viewer_zone or meeting.time_zone},
                    choices=zones.grouped_zone_choices(tuple(countries), meeting.starts_at),
                )
            ),
            "has_delegations": bool(countries),
        },
    )
    if requested and viewer_zone == requested:
        response.set_cookie(
            VIEWER_ZONE_COOKIE, viewer_zone, max_age=VIEWER_ZONE_COOKIE_SECONDS, samesite="Lax"
        )
    return response


def viewer_span(meeting: Meeting, viewer_zone: str | None) -> zones.LocalSpan | None:
    """The meeting read in the viewer's zone, or None where it reads as in the meeting's."""
    if viewer_zone is None:
        return None
    span = zones.local_span(meeting.starts_at, meeting.ends_at, viewer_zone, meeting.local_date)
    if span.starts_at.utcoffset() == meeting.local_starts_at.utcoffset():
        return None
    return span


def entries(request: HttpRequest, meetings: list[Meeting]) -> list[ical.MeetingEntry]:
    agendas = load_agendas(meetings)
    return [
        ical.MeetingEntry(
            meeting, agendas[meeting.pk], request.build_absolute_uri(meeting.get_absolute_url())
        )
        for meeting in meetings
    ]


def public_meeting(slug: str) -> Meeting | None:
    return Meeting.objects.public().prefetch_related("organisers", "conferences").filter(slug=slug).first()


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
        f"{request.get_host()}:{translation.get_language()}:{name}", build
    )
    if document is None:
        raise Http404
    response = HttpResponse(document.body, content_type=content_type)
    response["ETag"] = document.etag
    response["Last-Modified"] = http_date(document.built_at.timestamp())
    if max_age is None:
        patch_cache_control(response, **LIVE_CACHE_CONTROL)
    else:
        patch_cache_control(response, public=True, max_age=max_age)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return get_conditional_response(
        request, etag=document.etag, last_modified=int(document.built_at.timestamp()), response=response
    )


def serve_meeting_feed(
    request: HttpRequest, slug: str, kind: str, build_calendar, filename: str
) -> HttpResponse:
    def build() -> bytes | None:
        meeting = public_meeting(slug)
        return build_calendar(entries(request, [meeting])[0]) if meeting else None

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
            return None
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


# The live clock ---------------------------------------------------------------------------------


def published_meeting_or_404(slug: str) -> Meeting:
    return get_object_or_404(Meeting.objects.public(), slug=slug)


@require_safe
def live_state(request: HttpRequest, slug: str) -> HttpResponse:
    """The clock as JSON for the live page's script; the server's time travels in a header."""

    def build() -> bytes | None:
        meeting = public_meeting(slug)
        return as_json(live.snapshot(live.load_replay(meeting))) if meeting else None

    response = serve(request, f"live:{slug}", build, content_type=JSON_CONTENT_TYPE, max_age=None)
    response["X-Server-Time"] = str(round(timezone.now().timestamp() * 1000))
    return response


@require_safe
def speaker_view(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = published_meeting_or_404(slug)
    projection = live.project(live.load_replay(meeting), timezone.now())
    return render(request, "agenda/speaker_view.html", {"meeting": meeting, "live": projection})


@require_safe
@permission_required("agenda.keep_time", raise_exception=True)
def timekeeper(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    agenda = meeting.agenda()
    projection = live.project(live.load_replay(meeting, agenda), timezone.now())
    return render(
        request,
        "agenda/timekeeper.html",
        {
            "meeting": meeting,
            "live": projection,
            "events": meeting.live_events.select_related("item", "by").order_by("-at", "-id")[:20],
            "max_adjust": live.MAX_ADJUST_MINUTES,
        },
    )


@require_POST
@permission_required("agenda.keep_time", raise_exception=True)
def timekeeper_action(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    form = LiveActionForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            form.perform(by=request.user, at=timezone.now())
        except live.LiveActionRefused as refusal:
            messages.error(request, " ".join(refusal.messages))
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect("agenda:timekeeper", slug=slug)


@require_safe
@permission_required("agenda.view_meeting", raise_exception=True)
def live_report(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    state = live.load_replay(meeting)
    rows = live.report(state)
    if request.GET.get("format") == "csv":
        return report_csv(meeting, rows)
    return render(
        request,
        "agenda/live_report.html",
        {
            "meeting": meeting,
            "state": state,
            "rows": rows,
            "total_delay": live.total_delay_minutes(state),
            "chart": charts.timeline(meeting, rows),
        },
    )


def report_csv(meeting: Meeting, rows: list[live.ReportRow]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}-timing.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "item",
            "planned_start",
            "planned_end",
            "planned_minutes",
            "actual_start",
            "actual_end",
            "actual_minutes",
            "overrun_minutes",
            "start_delay_minutes",
        ]
    )

    def local(moment):
        return moment.astimezone(meeting.zone).isoformat() if moment else ""

    for row in rows:
        writer.writerow(
            [
                row.item.title,
                local(row.planned_start),
                local(row.planned_end),
                row.planned_minutes,
                local(row.actual_start),
                local(row.actual_end),
                "" if row.actual_minutes is None else row.actual_minutes,
                "" if row.overrun_minutes is None else row.overrun_minutes,
                "" if row.start_delay_minutes is None else row.start_delay_minutes,
            ]
        )
    return response
