"""A registered participant's private copies: the page, the calendar feed and the documents.

The token in the address is the participant's key, signed; an altered, guessed
or revoked one gets the same 404 as a page that does not exist. The responses
are kept out of shared caches and send no referrer, so the token travels nowhere.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from .. import ical
from ..cache import cached_view
from ..models import Meeting, Registration
from .feeds import ICAL_CONTENT_TYPE, entries
from .pages import meeting_page, remember_viewer_zone


def registration_or_404(token: str) -> Registration:
    registration = Registration.objects.from_token(token)
    if registration is None or not registration.meeting.is_public:
        raise Http404
    return registration


def keep_private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def private_page(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_or_404(token)
    response = HttpResponse(meeting_page(request, registration.meeting, registration=registration))
    remember_viewer_zone(request, response)
    return keep_private(response)


@require_safe
def private_ical(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_or_404(token)
    return keep_private(participants_ical(request, slug=registration.meeting.slug))


# The same for every participant of the meeting: cached once, by the meeting, not the token.
@cached_view(content_type=ICAL_CONTENT_TYPE, modified=ical.last_modified, filename="{slug}.ics")
def participants_ical(request: HttpRequest, slug: str) -> bytes:
    meeting = Meeting.objects.prefetch_related("organisers", "conferences").get(slug=slug)
    return ical.build_meeting_calendar(entries(request, [meeting])[0], for_participants=True)
