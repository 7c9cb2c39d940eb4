"""A registered participant's private copies: the page, the calendar feed and the documents.

The token in the address is the participant's key, signed; an altered, guessed
or revoked one gets the same 404 as a page that does not exist. The responses
are kept out of shared caches and send a referrer only to this site, so the token
travels nowhere else.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from .. import ical, live, outcomes, silence
from ..cache import cached_view
from ..forms import CommitmentReportForm, FloorRequestForm, SilenceAnswerForm
from ..models import Meeting, Registration
from .feeds import ICAL_CONTENT_TYPE, entries
from .pages import meeting_page, remember_viewer_zone, viewer_span


def registration_or_404(token: str, *, include_revoked: bool = False) -> Registration:
    """The link's registration; `include_revoked`: a revoked one too, for a POST to say why it stopped."""
    registration = Registration.objects.from_token(token, include_revoked=include_revoked)
    if registration is None or not registration.meeting.is_public:
        raise Http404
    return registration


def form_problems(form) -> str:
    """A refused form's errors, as one message for the page it returns to."""
    return " ".join(message for errors in form.errors.values() for message in errors)


def keep_private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    # No address (with its token) leaves the site. Not "no-referrer": the browser would then
    # post the page's forms with "Origin: null", which CSRF protection rightly refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def private_page(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_or_404(token)
    if registration.role == Registration.Role.INTERPRETER:
        return keep_private(interpreters_page(request, registration))
    response = HttpResponse(meeting_page(request, registration.meeting, registration=registration))
    remember_viewer_zone(request, response)
    return keep_private(response)


def interpreters_page(request: HttpRequest, registration: Registration) -> HttpResponse:
    """An interpreter's link: who speaks now and next, in what language, and their statements."""
    meeting = registration.meeting
    projection = live.project(live.load_replay(meeting), timezone.now())
    context = {
        "meeting": meeting,
        "registration": registration,
        "live": projection,
        "viewer": viewer_span(meeting, None),
        "lists": live.interpreted_lists(projection, live.statements_by_request(meeting)),
        "channels": meeting.interpretation_channels.all(),
        "documents": meeting.documents.all(),
    }
    return render(request, "agenda/interpreters.html", context)


@require_safe
def private_ical(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_or_404(token)
    return keep_private(registered_ical(request, slug=registration.meeting.slug))


# The same for every participant of the meeting: cached once, by the meeting, not the token.
@cached_view(content_type=ICAL_CONTENT_TYPE, modified=ical.last_modified, filename="{slug}.ics")
def registered_ical(request: HttpRequest, slug: str) -> bytes:
    meeting = Meeting.objects.prefetch_related("organisers", "conferences").get(slug=slug)
    return ical.build_meeting_calendar(entries(request, [meeting])[0], for_registered=True)


@require_POST
def private_floor(request: HttpRequest, token: str) -> HttpResponse:
    """Ask for the floor, or withdraw, for the participant's delegation; back to their page."""
    registration = registration_or_404(token, include_revoked=True)
    try:
        live.refuse_revoked(registration)
    except live.LiveActionRefused as refusal:
        # The signature is ours: the participant had a real link, so say why it no longer works.
        context = {"message": " ".join(refusal.messages)}
        return keep_private(render(request, "agenda/refused.html", context, status=403))
    form = FloorRequestForm(request.POST, request.FILES, registration=registration)
    if form.is_valid():
        try:
            form.perform(at=timezone.now())
        except live.LiveActionRefused as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            action = form.cleaned_data["action"]
            if action == form.WITHDRAW:
                messages.success(request, _("Your request for the floor is withdrawn."))
            elif action != form.STATEMENT:
                messages.success(
                    request,
                    _("You have asked for the floor for %(delegation)s.")
                    % {"delegation": registration.affiliation},
                )
            if form.statement is not None:
                messages.success(request, _("Your statement is with the interpreters, and kept from others."))
    else:
        messages.error(request, form_problems(form))
    return keep_private(redirect(f"{registration.get_private_url()}#floor"))


@require_POST
def private_silence(request: HttpRequest, token: str) -> HttpResponse:
    """A delegation's answer to the silence procedure on its meeting's draft, or its confirmation."""
    registration = registration_or_404(token, include_revoked=True)
    procedure = silence.last_procedure(registration.meeting)
    if procedure is None:
        raise Http404
    items = silence.items_to_object_to(registration.meeting)
    form = SilenceAnswerForm(
        request.POST, registration=registration, procedure=procedure.procedure, items=items
    )
    if form.is_valid():
        try:
            given = form.perform(now=timezone.now())
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages), extra_tags="silence")
        else:
            messages.success(request, silence.answer_text(given, registration), extra_tags="silence")
    else:
        messages.error(request, form_problems(form), extra_tags="silence")
    return keep_private(redirect(f"{registration.get_private_url()}#silence"))


@require_POST
def private_commitments(request: HttpRequest, token: str) -> HttpResponse:
    """The delegation's report on a commitment it answers for: status, date and what was done."""
    registration = registration_or_404(token, include_revoked=True)
    now = timezone.now()
    owned = outcomes.owned_commitments(registration, now.astimezone(registration.meeting.zone).date())
    form = CommitmentReportForm(request.POST, registration=registration, owned=owned)
    if form.is_valid():
        try:
            form.perform(now=now)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages), extra_tags="commitments")
        else:
            done = _("Your report is sent: it shows as yours until the secretariat confirms it.")
            messages.success(request, done, extra_tags="commitments")
    else:
        messages.error(request, form_problems(form), extra_tags="commitments")
    return keep_private(redirect(f"{registration.get_private_url()}#commitments"))


# The signed token is the participant's key; mail programs' one-click POST (RFC 8058) has no CSRF token.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop the mails to this participant: a page with a button (link scanners only GET), or one POST."""
    registration = registration_or_404(token, include_revoked=True)
    if request.method == "POST":
        if registration.unsubscribed_at is None:
            registration.unsubscribed_at = timezone.now()
            registration.save(update_fields=["unsubscribed_at"])
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    return keep_private(render(request, "agenda/unsubscribe.html", {"registration": registration}))
