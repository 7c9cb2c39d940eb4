"""Commitments per conference: a public page, its JSON and its CSV."""

import io
from datetime import UTC, datetime, time, timedelta

from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from .. import outcomes
from ..cache import Built, cached_view
from ..models import Conference
from .api import JSON_CONTENT_TYPE, allow_any_origin, as_json
from .pages import public_page


def conference_or_404(acronym: str) -> Conference:
    conference = Conference.objects.filter(acronym__iexact=acronym).first()
    if conference is None:
        raise Http404
    return conference


@require_safe
@public_page
def conference_commitments(request: HttpRequest, acronym: str) -> Built:
    conference = conference_or_404(acronym)
    commitments = outcomes.conference_commitments(conference)
    context = {
        "conference": conference,
        "groups": outcomes.by_status(commitments),
        "count": len(commitments),
        "today": timezone.localdate(),
    }
    html = render_to_string("agenda/commitments.html", context, request).encode()
    # "Overdue" changes at midnight (UTC, the server's day) with no edit.
    tomorrow = datetime.combine(context["today"] + timedelta(days=1), time(0), tzinfo=UTC)
    return Built(html, holds_until=tomorrow)


@require_safe
@allow_any_origin
@cached_view(content_type=JSON_CONTENT_TYPE)
def api_conference_commitments(request: HttpRequest, acronym: str) -> bytes:
    conference = conference_or_404(acronym)
    commitments = outcomes.conference_commitments(conference)
    return as_json(
        {
            "api_version": outcomes.COMMITMENTS_API_VERSION,
            "conference": conference.acronym,
            "url": request.build_absolute_uri(
                reverse("agenda:conference-commitments", args=[conference.acronym])
            ),
            "commitments": [
                outcomes.commitment_data(c, request.build_absolute_uri(c.meeting.get_absolute_url()))
                for c in commitments
            ],
        }
    )


@require_safe
@cached_view(content_type="text/csv; charset=utf-8", filename="{acronym}-commitments.csv")
def conference_commitments_csv(request: HttpRequest, acronym: str) -> bytes:
    conference = conference_or_404(acronym)
    output = io.StringIO()
    outcomes.write_commitments_csv(outcomes.conference_commitments(conference), output)
    return output.getvalue().encode()
