"""Public pages: the list of meetings and each meeting's agenda."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .models import Meeting


@require_safe
def meeting_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    meetings = Meeting.objects.public()
    return render(
        request,
        "agenda/meeting_list.html",
        {"upcoming": meetings.upcoming(now), "past": meetings.past(now)},
    )


@require_safe
def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    # Drafts stay hidden from the public; the secretariat may preview them.
    if not meeting.is_public and not request.user.has_perm("agenda.view_meeting"):
        raise Http404
    return render(request, "agenda/meeting_detail.html", {"meeting": meeting, "agenda": meeting.agenda()})
