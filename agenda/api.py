"""The read-only JSON schedule: meetings and their nested agendas, as plain data."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .models import AgendaItem, AgendaParticipant, Meeting

API_VERSION = 1


def moment(value: datetime | None, meeting: Meeting) -> dict[str, str] | None:
    """A time twice: in the meeting's zone with its offset, and in UTC."""
    if value is None:
        return None
    return {
        "local": value.astimezone(meeting.zone).isoformat(),
        "utc": value.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }


def meeting_summary(meeting: Meeting, url: str, api_url: str) -> dict[str, Any]:
    return {
        "id": str(meeting.uuid),
        "slug": meeting.slug,
        "title": meeting.title,
        "series_number": meeting.series_number,
        "status": meeting.status,
        "time_zone": meeting.time_zone,
        "utc_offset_label": meeting.gmt_label,
        "start": moment(meeting.starts_at, meeting),
        "end": moment(meeting.ends_at, meeting),
        "modality": meeting.modality,
        "video_call_platform": meeting.video_call_platform,
        "join_url": meeting.video_call_url if meeting.shows_join_link else None,
        "venue": meeting.venue,
        "conferences": [conference.acronym for conference in meeting.conferences.all()],
        "url": url,
        "api_url": api_url,
        "revision": meeting.sequence,
        "updated": moment(meeting.updated_at, meeting),
    }


def participant_data(participant: AgendaParticipant) -> dict[str, Any]:
    if participant.presidency_of_id:
        kind = "presidency"
    elif participant.person_id:
        kind = "person"
    else:
        kind = "organisation"
    country = participant.resolved_country
    return {
        "role": participant.role,
        "kind": kind,
        "name": participant.label,
        "country": {"code": country.code, "name": country.name} if country else None,
    }


def item_data(item: AgendaItem, meeting: Meeting) -> dict[str, Any]:
    return {
        "id": str(item.uuid),
        "title": item.title,
        "description": item.description,
        "start": moment(item.starts_at, meeting),
        "end": moment(item.ends_at, meeting),
        "is_parallel": item.is_parallel,
        "is_cancelled": item.is_cancelled,
        "participants": [participant_data(participant) for participant in item.participants.all()],
        "sub_items": [item_data(child, meeting) for child in getattr(item, "children", [])],
        "revision": item.sequence,
    }


def meeting_detail(meeting: Meeting, agenda: list[AgendaItem], url: str, api_url: str) -> dict[str, Any]:
    return {
        "api_version": API_VERSION,
        **meeting_summary(meeting, url, api_url),
        "concept_note": {name: getattr(meeting, name) for name in Meeting.CONCEPT_NOTE_SECTIONS},
        "agenda": [item_data(item, meeting) for item in agenda],
    }
