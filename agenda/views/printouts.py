"""The agenda to print or read as plain text, in the meeting's zone or the reader's."""

import logging

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_safe

from .. import printouts, zones
from ..models import Meeting
from .feeds import public_meeting, serve

logger = logging.getLogger(__name__)


def printout_zone(request: HttpRequest, meeting: Meeting) -> str:
    """The zone a printout's times are read in: `?tz=` when it names one, else the meeting's."""
    requested, _refused = zones.choose_viewer_zone(request.GET.get("tz"), None)
    return requested or meeting.time_zone


def serve_printout(request: HttpRequest, slug: str, render, *, extension: str, content_type: str):
    asked_zone = zones.choose_viewer_zone(request.GET.get("tz"), None)[0] or "meeting"

    def build() -> bytes | None:
        meeting = public_meeting(slug)
        if meeting is None:
            return None
        printout = printouts.AgendaPrintout(
            meeting=meeting,
            agenda=meeting.agenda(),
            zone=printout_zone(request, meeting),
            url=request.build_absolute_uri(meeting.get_absolute_url()),
        )
        rendered = render(printout)
        return rendered if isinstance(rendered, bytes) else rendered.encode()

    return serve(
        request,
        f"printout:{extension}:{slug}:{asked_zone}",
        build,
        content_type=content_type,
        filename=f"{slug}-agenda.{extension}" if extension == "pdf" else None,
    )


@require_safe
def agenda_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        return serve_printout(
            request, slug, printouts.render_agenda_pdf, extension="pdf", content_type="application/pdf"
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
    return serve_printout(
        request, slug, printouts.render_agenda_text, extension="txt", content_type="text/plain; charset=utf-8"
    )
