"""The public pages: the meeting list and a meeting's agenda, in the reader's language and zone."""

import time
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from .. import history, live, zones
from ..cache import cached_answer, content_version
from ..forms import TimeZoneForm
from ..models import Meeting, Registration
from ..templatetags.agenda_tags import own_path

# Remembers the reader's own time zone, chosen or detected by the browser.
VIEWER_ZONE_COOKIE = "plenary_tz"
VIEWER_ZONE_COOKIE_SECONDS = 365 * 24 * 60 * 60


# What public pages read from their address: the reader's zone and language.
PAGE_PARAMETERS = {"tz", "lang"}


def current_minute() -> int:
    """The minute pages are built for: "upcoming" and the clock's projections change with it."""
    return int(time.time() // 60)


def cached_for_the_public(view):
    """Build a public page once per address, language and reader's zone, until a change.

    The key carries the content version (any edit or clock action makes it
    stale) and the minute, so "upcoming" and the live clock's projections stay
    current. A signed-in reader, perhaps the secretariat previewing a draft,
    gets the page built for them alone.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        unread = set(request.GET) - PAGE_PARAMETERS
        if unread:
            # One address per page and choice: junk parameters would fill the cache with copies.
            kept = request.GET.copy()
            for name in unread:
                kept.pop(name)
            path = own_path(request)
            return HttpResponsePermanentRedirect(f"{path}?{kept.urlencode()}" if kept else path)
        # Only a signed-in reader's session skips the cache; a made-up cookie costs one lookup.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            return view(request, *args, **kwargs)
        built: list[HttpResponse] = []

        def build() -> bytes | None:
            response = view(request, *args, **kwargs)
            built.append(response)
            return response.content if response.status_code == 200 else None

        reader = (
            translation.get_language(),
            request.get_full_path(),
            request.COOKIES.get(VIEWER_ZONE_COOKIE, ""),
        )
        answer = cached_answer(f"page:{request.get_host()}:{reader}:{current_minute()}", build)
        if answer is None:
            return built[0]
        if built:
            response = built[0]
        else:
            response = HttpResponse(answer.body, content_type="text/html; charset=utf-8")
            remember_viewer_zone(request, response)
        response["ETag"] = answer.etag
        return get_conditional_response(request, etag=answer.etag, response=response)

    return wrapper


@require_safe
@cached_for_the_public
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
@cached_for_the_public
def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    # Drafts stay hidden from the public; the secretariat may preview them.
    if not meeting.is_public and not request.user.has_perm("agenda.view_meeting"):
        raise Http404
    return render_meeting_page(request, meeting)


def render_meeting_page(
    request: HttpRequest, meeting: Meeting, *, registration: Registration | None = None
) -> HttpResponse:
    """The meeting's page; with a registration, as that participant's private copy of it."""
    requested = request.GET.get("tz")
    viewer_zone, refused_zone = zones.choose_viewer_zone(requested, request.COOKIES.get(VIEWER_ZONE_COOKIE))
    countries = meeting.member_countries()
    now = timezone.now()
    # Loaded only when a cached fragment is missing or the clock concerns readers.
    agenda = SimpleLazyObject(meeting.agenda)
    documents = [
        document for document in meeting.documents.all() if document.is_public or registration is not None
    ]
    response = render(
        request,
        "agenda/meeting_detail.html",
        {
            "meeting": meeting,
            "registration": registration,
            "documents": documents,
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
            "changes": SimpleLazyObject(lambda: history.load_changes([meeting])[meeting.pk]),
        },
    )
    remember_viewer_zone(request, response)
    return response


def remember_viewer_zone(request: HttpRequest, response: HttpResponse) -> None:
    """Keep a zone the reader chose (`?tz=`) for their next pages."""
    requested = request.GET.get("tz")
    if requested and zones.choose_viewer_zone(requested, None)[0] == requested:
        response.set_cookie(VIEWER_ZONE_COOKIE, requested, max_age=VIEWER_ZONE_COOKIE_SECONDS, samesite="Lax")


def viewer_span(meeting: Meeting, viewer_zone: str | None) -> zones.LocalSpan | None:
    """The meeting read in the viewer's zone, or None where it reads as in the meeting's."""
    if viewer_zone is None:
        return None
    span = zones.local_span(meeting.starts_at, meeting.ends_at, viewer_zone, meeting.local_date)
    if span.starts_at.utcoffset() == meeting.local_starts_at.utcoffset():
        return None
    return span
