"""The read-only JSON API: public meetings and each one's agenda, for the conferences' websites."""

import json

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from .. import api
from ..models import Meeting
from .feeds import public_meeting, serve

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


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
