"""Thin views, by subject: public pages, calendar feeds, the API, printouts, documents, the live clock."""

from .api import api_meeting_detail, api_meeting_list
from .documents import meeting_statement, private_document, private_statement, public_document
from .feeds import item_ical, meeting_agenda_ical, meeting_ical, series_ical
from .live import (
    live_report,
    live_state,
    meeting_record,
    rehearsal_discard,
    rehearsal_state,
    speaker_view,
    timekeeper,
    timekeeper_action,
    timekeeper_floor,
)
from .outcomes import api_conference_commitments, conference_commitments, conference_commitments_csv
from .pages import meeting_detail, meeting_embed, meeting_list
from .printouts import agenda_pdf, agenda_text
from .private import (
    private_commitments,
    private_floor,
    private_ical,
    private_page,
    private_silence,
    unsubscribe,
)

__all__ = [
    "agenda_pdf",
    "agenda_text",
    "api_conference_commitments",
    "api_meeting_detail",
    "api_meeting_list",
    "conference_commitments",
    "conference_commitments_csv",
    "item_ical",
    "live_report",
    "live_state",
    "meeting_agenda_ical",
    "meeting_detail",
    "meeting_embed",
    "meeting_ical",
    "meeting_list",
    "meeting_record",
    "meeting_statement",
    "private_commitments",
    "private_document",
    "private_floor",
    "private_ical",
    "private_page",
    "private_silence",
    "private_statement",
    "public_document",
    "rehearsal_discard",
    "rehearsal_state",
    "series_ical",
    "speaker_view",
    "timekeeper",
    "timekeeper_action",
    "timekeeper_floor",
    "unsubscribe",
]
