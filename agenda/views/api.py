"""The read-only JSON API: public meetings and each one's agenda, for the conferences' websites."""

import json
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from .. import api
from ..cache import cached_view
from ..models import Meeting
from .feeds import public_meeting

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def as_json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


# Public, read-only data for the conferences' own websites to fetch from their pages.
def allow_any_origin(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


@require_safe
@allow_any_origin
@cached_view(content_type=JSON_CONTENT_TYPE)
def api_meeting_list(request: HttpRequest) -> bytes:
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


@require_safe
@allow_any_origin
@cached_view(content_type=JSON_CONTENT_TYPE)
def api_meeting_detail(request: HttpRequest, slug: str) -> bytes | None:
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
