"""The agenda to print or read as plain text, in the meeting's zone or the reader's."""

import logging

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_safe

from .. import printouts, zones
from ..cache import cached_view
from .feeds import public_meeting

logger = logging.getLogger(__name__)


def printout(request: HttpRequest, slug: str, render) -> bytes | None:
    meeting = public_meeting(slug)
    if meeting is None:
        return None
    rendered = render(
        printouts.AgendaPrintout(
            meeting=meeting,
            agenda=meeting.agenda(),
            zone=asked_zone(request) or meeting.time_zone,
            url=request.build_absolute_uri(meeting.get_absolute_url()),
        )
    )
    return rendered if isinstance(rendered, bytes) else rendered.encode()


def asked_zone(request: HttpRequest) -> str | None:
    """The zone a printout's times are read in when `?tz=` names one; else the meeting's."""
    return zones.choose_viewer_zone(request.GET.get("tz"), None)[0]


@cached_view(content_type="application/pdf", filename="{slug}-agenda.pdf", varies_with=asked_zone)
def cached_agenda_pdf(request: HttpRequest, slug: str) -> bytes | None:
    return printout(request, slug, printouts.render_agenda_pdf)


@require_safe
def agenda_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        return cached_agenda_pdf(request, slug=slug)
    except OSError:
        # WeasyPrint could not load Pango: a server set-up fault, not the reader's.
        logger.exception("The PDF agenda could not be made")
        return HttpResponse(
            translation.gettext("The PDF agenda is not available right now; the plain-text agenda is."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )


@require_safe
@cached_view(content_type="text/plain; charset=utf-8", varies_with=asked_zone)
def agenda_text(request: HttpRequest, slug: str) -> bytes | None:
    return printout(request, slug, printouts.render_agenda_text)
