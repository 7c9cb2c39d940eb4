"""The public pages: the meeting list and a meeting's agenda, in the reader's language and zone."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property, wraps

from csp.constants import NONE
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from .. import history, live, outcomes, silence, zones
from ..cache import Built, cached_view, content_version, shown_key
from ..forms import CommitmentReportForm, FloorRequestForm, SilenceAnswerForm, TimeZoneForm
from ..live import DelegationRow
from ..models import (
    AgendaItem,
    Commitment,
    Conclusions,
    Meeting,
    Registration,
    SpeakersList,
)
from ..silence import DelegationPanel, ProcedureRecord
from ..templatetags.agenda_tags import own_path

# Remembers the reader's own time zone, chosen or detected by the browser.
VIEWER_ZONE_COOKIE = "plenary_tz"
VIEWER_ZONE_COOKIE_SECONDS = 365 * 24 * 60 * 60


# What public pages read from their address: the reader's zone and language.
PAGE_PARAMETERS = {"tz", "lang"}
# A fragment of a page (the agenda's rows, the concept note…) is kept this long; its key
# carries what it shows (or the content version), so an edit replaces it at once.
FRAGMENT_SECONDS = 24 * 60 * 60
HTML_CONTENT_TYPE = "text/html; charset=utf-8"


def next_minute() -> datetime:
    """Until when a meeting's page holds: its clock projects to the minute, and the clock window opens."""
    return timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)


def reader_zone(request: HttpRequest) -> tuple[str | None, str]:
    return request.GET.get("tz"), request.COOKIES.get(VIEWER_ZONE_COOKIE, "")


def public_page(view):
    """A public page: one address per choice, built once by `cache.cached_view`, the reader's zone kept.

    A signed-in reader, perhaps the secretariat previewing a draft, gets the
    page built for them alone.
    """
    cached = cached_view(
        content_type=HTML_CONTENT_TYPE, max_age=None, varies_with=reader_zone, built_apart_for_signed_in=True
    )(view)

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
        response = cached(request, *args, **kwargs)
        remember_viewer_zone(request, response)
        return response

    return wrapper


@require_safe
@public_page
def meeting_list(request: HttpRequest) -> Built:
    now = timezone.now()
    meetings = Meeting.objects.public()
    upcoming = list(meetings.upcoming(now))
    html = render_to_string(
        "agenda/meeting_list.html", {"upcoming": upcoming, "past": meetings.past(now)}, request
    )
    # The lists change with an edit, or when an upcoming meeting ends.
    return Built(html.encode(), holds_until=min((meeting.ends_at for meeting in upcoming), default=None))


@require_safe
@public_page
def meeting_detail(request: HttpRequest, slug: str) -> Built:
    meeting = get_object_or_404(Meeting, slug=slug)
    # Drafts stay hidden from the public; the secretariat may preview them.
    if not meeting.is_public and not request.user.has_perm("agenda.view_meeting"):
        raise Http404
    return Built(meeting_page(request, meeting), holds_until=next_minute())


@require_safe
def meeting_embed(request: HttpRequest, slug: str) -> HttpResponse:
    """The agenda for a conference's own website, in a frame: no site chrome, the reader's zone and language.

    Only this page may be framed, and only by the sites `PLENARY_EMBED_FRAME_ANCESTORS` names.
    """
    response = embed_page(request, slug=slug)
    response.xframe_options_exempt = True
    response._csp_replace = {"frame-ancestors": settings.PLENARY_EMBED_FRAME_ANCESTORS or [NONE]}
    return response


@public_page
def embed_page(request: HttpRequest, slug: str) -> Built:
    meeting = get_object_or_404(Meeting.objects.public(), slug=slug)
    html = meeting_page(request, meeting, template="agenda/meeting_embed.html")
    return Built(html, holds_until=next_minute())


@dataclass
class MeetingPage:
    """What the meeting's page shows; the costly parts built only when a fragment the cache lacks asks."""

    meeting: Meeting
    viewer_zone: str | None
    now: datetime
    registration: Registration | None = None

    @cached_property
    def countries(self) -> list[tuple[str, str]]:
        return self.meeting.member_countries()

    @cached_property
    def meeting_key(self) -> str:
        """The key of the fragments the meeting's row alone shows: concept note, zone chooser, delegations.

        Not the content version: an edit to the agenda leaves these as they were.
        """
        return shown_key(self.meeting, self.countries)

    @cached_property
    def agenda(self) -> list:
        return self.meeting.agenda()

    @cached_property
    def live(self) -> live.Projection | None:
        if not live.concerns_readers(self.meeting, self.now):
            return None
        return live.project(live.load_replay(self.meeting, self.agenda), self.now)

    @cached_property
    def inscribed_speakers(self) -> list[tuple[AgendaItem, list[str]]]:
        """The speakers inscribed on the lists the secretariat made public, before their items run."""
        if self.now >= self.meeting.ends_at:
            return []  # a meeting over has no one left to inscribe: its page asks nothing more
        public = SpeakersList.objects.filter(item__meeting=self.meeting, inscribed_shown_to_public=True)
        if not public.exists():
            return []
        state = self.live.state if self.live else live.load_replay(self.meeting, self.agenda)
        return live.inscribed_in_public(state)

    @cached_property
    def speakers_lists(self) -> list[DelegationRow]:
        """On a participant's private page: each speakers' list, with their delegation's place and button."""
        registration = self.registration
        if registration is None:
            return []
        rows = live.delegation_rows(live.load_replay(self.meeting, self.agenda), registration)
        # What the delegation may speak for is the same on every item: asked once for the page.
        capacities = live.capacities_for(registration) if rows else []
        for row in rows:
            action = FloorRequestForm.WITHDRAW if row.is_waiting else FloorRequestForm.ASK
            row.form = FloorRequestForm(
                initial={"action": action, "item": row.item.uuid},
                registration=registration,
                capacities=capacities,
            )
            if row.is_waiting or row.is_speaking:
                row.statement_form = FloorRequestForm(
                    initial={"action": FloorRequestForm.STATEMENT, "item": row.item.uuid},
                    registration=registration,
                )
            if row.may_raise_point_of_order:
                row.point_of_order_form = FloorRequestForm(
                    initial={"action": FloorRequestForm.POINT_OF_ORDER, "item": row.item.uuid},
                    registration=registration,
                )
        return rows

    @cached_property
    def silence(self) -> DelegationPanel | None:
        """On a delegation's private page: the procedure on the meeting's draft, its answer, the form."""
        if self.registration is None:
            return None
        panel = silence.delegation_panel(self.registration, self.now)
        if panel is not None and panel.record.procedure.is_circulating:
            given = panel.answer
            initial = {"answer": given.kind if given else SilenceAnswerForm.SILENCE}
            if given:
                initial.update(
                    {
                        name: getattr(given, name)
                        for name in ("confirm_by", "reservation", "objection", "proposed_wording")
                    },
                    item=given.item_id,
                )
            panel.form = SilenceAnswerForm(
                initial=initial,
                registration=self.registration,
                procedure=panel.record.procedure,
                items=[item for item, _conclusions, _commitments in panel.draft],
            )
        return panel

    @cached_property
    def own_commitments(self) -> list[tuple[Commitment, CommitmentReportForm]]:
        """On a delegation's private page: the commitments it answers for, each with its report's form."""
        if self.registration is None:
            return []
        today = self.now.astimezone(self.meeting.zone).date()
        owned = outcomes.owned_commitments(self.registration, today)
        return [
            (
                commitment,
                CommitmentReportForm(
                    initial={"commitment": commitment.pk, "status": commitment.status, "on": today},
                    registration=self.registration,
                    owned=owned,
                ),
            )
            for commitment in owned
        ]

    @cached_property
    def adoption(self) -> ProcedureRecord | None:
        """The silence procedure that adopted the published conclusions, where one did, with its answers."""
        told = silence.last_procedure(self.meeting, self.now.astimezone(self.meeting.zone).date())
        return told if told and told.procedure.is_adopted else None

    @cached_property
    def conclusions(self) -> list[tuple[AgendaItem, Conclusions | None, list[Commitment]]]:
        """Each item with conclusions or commitments, in agenda order, once they are published."""
        if not self.meeting.conclusions_are_public:
            return []
        return outcomes.item_outcomes(self.meeting, self.agenda)

    @cached_property
    def carried_over(self) -> list[tuple[Commitment, list[AgendaItem]]]:
        """Commitments earlier meetings of the series left open, with this agenda's items that review them."""
        commitments = outcomes.carried_over(self.meeting)
        reviewing = outcomes.reviewing_items(self.meeting, commitments)
        return [(commitment, reviewing.get(commitment.pk, [])) for commitment in commitments]

    @cached_property
    def delegations(self) -> list:
        meeting = self.meeting
        return zones.delegation_times(meeting.starts_at, meeting.ends_at, meeting.local_date, self.countries)

    @cached_property
    def zone_form(self) -> TimeZoneForm:
        return TimeZoneForm(
            initial={"tz": self.viewer_zone or self.meeting.time_zone},
            choices=zones.grouped_zone_choices(tuple(self.countries), self.meeting.starts_at),
        )

    @cached_property
    def changes(self) -> list:
        return history.by_save(history.load_changes([self.meeting])[self.meeting.pk], self.meeting)


def meeting_page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    registration: Registration | None = None,
    template: str = "agenda/meeting_detail.html",
) -> bytes:
    """The meeting's page; with a registration, as that participant's private copy of it."""
    viewer_zone, refused_zone = zones.choose_viewer_zone(
        request.GET.get("tz"), request.COOKIES.get(VIEWER_ZONE_COOKIE)
    )
    page = MeetingPage(meeting, viewer_zone, timezone.now(), registration)
    documents = [
        document for document in meeting.documents.all() if document.is_public or registration is not None
    ]
    html = render_to_string(
        template,
        {
            "page": page,
            "meeting": meeting,
            "registration": registration,
            "documents": documents,
            # Cached fragments of the page are keyed by it, so an edit refreshes them.
            "content_version": content_version(),
            "fragment_seconds": FRAGMENT_SECONDS,
            "live": page.live,
            "viewer": viewer_span(meeting, viewer_zone),
            "refused_zone": refused_zone,
            "shown_zone": viewer_zone or meeting.time_zone,
            "has_delegations": bool(page.countries),
        },
        request,
    )
    return html.encode()


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
