"""The live clock's pages: its state for every reader, the timekeeper's console, the report, the record."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from .. import access, charts, live, record, reports
from ..cache import Built, cached_view
from ..forms import FloorActionForm, LiveActionForm
from ..models import LiveEvent, Meeting
from .api import JSON_CONTENT_TYPE, as_json
from .feeds import public_meeting
from .private import form_problems

logger = logging.getLogger(__name__)
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def published_meeting_or_404(slug: str) -> Meeting:
    return get_object_or_404(Meeting.objects.public(), slug=slug)


@require_safe
def live_state(request: HttpRequest, slug: str) -> HttpResponse:
    """The clock as JSON for the live page's script; the server's time travels in a header."""
    response = live_snapshot(request, slug=slug)
    response["X-Server-Time"] = str(round(timezone.now().timestamp() * 1000))
    return response


# Polled every few seconds: always revalidated, 304 until an action or the projection changes.
@cached_view(content_type=JSON_CONTENT_TYPE, max_age=None)
def live_snapshot(request: HttpRequest, slug: str) -> Built | None:
    meeting = public_meeting(slug)
    if meeting is None:
        return None
    # Projected to the minute, so that every copy built within it is the same.
    projection = live.project(live.load_replay(meeting), timezone.now().replace(second=0, microsecond=0))
    return Built(as_json(live.snapshot(projection)), holds_until=projection.holds_until)


@require_safe
def speaker_view(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = published_meeting_or_404(slug)
    projection = live.project(live.load_replay(meeting), timezone.now())
    return render(request, "agenda/speaker_view.html", {"meeting": meeting, "live": projection})


def meeting_to_keep_time_of(request: HttpRequest, slug: str) -> Meeting:
    """The meeting, if the user may keep its time (permission checked by the view's decorator)."""
    meeting = get_object_or_404(Meeting, slug=slug)
    if not access.may_keep_time(request.user, meeting):
        raise PermissionDenied
    return meeting


def console_urls(slug: str, rehearsal: bool) -> dict[str, str]:
    """Where the console's buttons post and its banner polls: the meeting's clock, or its rehearsal."""
    prefix = "rehearsal" if rehearsal else "timekeeper"
    urls = {name: reverse(f"agenda:{prefix}-{name}", args=[slug]) for name in ("action", "floor")}
    urls["console"] = reverse(f"agenda:{prefix}", args=[slug])
    urls["state"] = reverse("agenda:rehearsal-state" if rehearsal else "agenda:live-state", args=[slug])
    return urls


@require_safe
@permission_required("agenda.keep_time", raise_exception=True)
def timekeeper(request: HttpRequest, slug: str, rehearsal: bool = False) -> HttpResponse:
    meeting = meeting_to_keep_time_of(request, slug)
    agenda = meeting.agenda()
    now = timezone.now()
    projection = live.project(live.load_replay(meeting, agenda, rehearsal=rehearsal), now)
    events = meeting.live_events.filter(rehearsal=rehearsal).select_related("item", "by", "request")
    return render(
        request,
        "agenda/timekeeper.html",
        {
            "meeting": meeting,
            "live": projection,
            "rehearsal": rehearsal,
            "urls": console_urls(slug, rehearsal),
            "on_the_day": live.is_meeting_day(meeting, now),
            "undo_end_until": live.undo_end_until(projection.state),
            "speakers": live.console_list(projection, live.statements_by_request(meeting)),
            "delegations": live.registered_delegations(meeting),
            "capacities": LiveEvent.Capacity.choices,
            "events": events.order_by("-at", "-id")[:20],
            "max_adjust": live.MAX_ADJUST_MINUTES,
            "undo_minutes": live.UNDO_END_MINUTES,
        },
    )


@require_POST
@permission_required("agenda.keep_time", raise_exception=True)
def timekeeper_action(request: HttpRequest, slug: str, rehearsal: bool = False) -> HttpResponse:
    return console_action(request, slug, LiveActionForm, rehearsal)


@require_POST
@permission_required("agenda.keep_time", raise_exception=True)
def timekeeper_floor(request: HttpRequest, slug: str, rehearsal: bool = False) -> HttpResponse:
    return console_action(request, slug, FloorActionForm, rehearsal)


def console_action(request: HttpRequest, slug: str, form_class, rehearsal: bool) -> HttpResponse:
    """Perform a console button's action through the live clock; say why if it was refused."""
    meeting = meeting_to_keep_time_of(request, slug)
    form = form_class(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            form.perform(by=request.user, at=timezone.now(), rehearsal=rehearsal)
        except live.LiveActionRefused as refusal:
            messages.error(request, " ".join(refusal.messages))
    else:
        messages.error(request, form_problems(form))
    return redirect(console_urls(slug, rehearsal)["console"])


@require_safe
@permission_required("agenda.keep_time", raise_exception=True)
def rehearsal_state(request: HttpRequest, slug: str) -> HttpResponse:
    """The rehearsal's clock for its console's banner: for the secretariat only, never cached."""
    meeting = meeting_to_keep_time_of(request, slug)
    now = timezone.now()
    snapshot = live.snapshot(live.project(live.load_replay(meeting, rehearsal=True), now))
    response = HttpResponse(as_json(snapshot), content_type=JSON_CONTENT_TYPE)
    response["X-Server-Time"] = str(round(now.timestamp() * 1000))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@permission_required("agenda.keep_time", raise_exception=True)
def rehearsal_discard(request: HttpRequest, slug: str) -> HttpResponse:
    """Throw the rehearsal away: the meeting's own clock was never touched."""
    meeting = meeting_to_keep_time_of(request, slug)
    discarded = live.discard_rehearsal(meeting)
    messages.info(request, gettext("Rehearsal discarded (%(count)d actions).") % {"count": discarded})
    return redirect("agenda:rehearsal", slug=slug)


@require_safe
@permission_required("agenda.view_meeting", raise_exception=True)
def live_report(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    if not access.works_on(request.user, meeting):
        raise PermissionDenied
    state = live.load_replay(meeting)
    rows = reports.timing(state)
    if request.GET.get("format") == "csv":
        return report_csv(meeting, rows)
    if request.GET.get("format") == "interventions.csv":
        return interventions_csv(meeting, state)
    delegations, conferences = reports.totals(state, meeting)
    budgets = reports.budgets(state)
    return render(
        request,
        "agenda/live_report.html",
        {
            "meeting": meeting,
            "state": state,
            "rows": rows,
            "total_delay": reports.total_delay_minutes(state),
            "chart": charts.timeline(meeting, rows),
            # Each item's interventions, and where its list gives each delegation a total, the totals.
            "interventions": [
                (item, requests, budgets.get(item.pk, [])) for item, requests in reports.interventions(state)
            ],
            "delegation_totals": delegations,
            "conference_totals": conferences,
            "speaking_chart": charts.speaking_time(delegations),
        },
    )


def report_csv(meeting: Meeting, rows: list[reports.ReportRow]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}-timing.csv"'
    reports.write_timing_csv(rows, meeting.zone, response)
    return response


@require_safe
@permission_required("agenda.view_meeting", raise_exception=True)
def meeting_record(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    """The meeting's record for the secretariat, as PDF or DOCX, in the language asked for."""
    if file_format not in ("pdf", "docx"):
        raise Http404
    meeting = get_object_or_404(Meeting, slug=slug)
    if not access.works_on(request.user, meeting):
        raise PermissionDenied
    built = record.build_record(meeting, request.build_absolute_uri(meeting.get_absolute_url()))
    if file_format == "docx":
        body, content_type = record.render_record_docx(built), DOCX_CONTENT_TYPE
    else:
        try:
            body, content_type = record.render_record_pdf(built), "application/pdf"
        except OSError:
            logger.exception("The PDF record could not be made")
            message = gettext("The PDF record is not available right now; the Word version is.")
            return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}-record.{file_format}"'
    return response


def interventions_csv(meeting: Meeting, state: live.Replay) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}-interventions.csv"'
    reports.write_interventions_csv(state, meeting.zone, response)
    return response
