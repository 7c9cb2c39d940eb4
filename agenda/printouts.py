"""The agenda to print: a PDF in the concept note's table layout, and plain text."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import zones
from .models import AgendaItem, Meeting

AGENDA_PDF_STYLESHEET = "agenda/css/agenda-printout.css"
# Column widths of the plain-text agenda, for an 80-column terminal.
TEXT_TIME_WIDTH = 13
TEXT_ACTIVITY_WIDTH = 38
TEXT_PARTICIPANTS_WIDTH = 25


class PrintoutRow(NamedTuple):
    time: str
    # The same slot in the meeting's zone, when the printout is read in another one.
    official_time: str
    activity: str
    participants: str
    is_topic: bool


@dataclass(frozen=True)
class AgendaPrintout:
    """What both printouts show: the meeting, its agenda, and the zone its times are read in."""

    meeting: Meeting
    agenda: list[AgendaItem]
    zone: str
    url: str

    @property
    def zone_span(self) -> zones.LocalSpan:
        meeting = self.meeting
        return zones.local_span(meeting.starts_at, meeting.ends_at, self.zone, meeting.local_date)

    @property
    def time_heading(self) -> str:
        """ "Horario (GMT-6)", or "Horario (Santiago · GMT-4)" in a zone other than the meeting's."""
        label = self.meeting.gmt_label if self.zone == self.meeting.time_zone else self.zone_span.label
        return f"{pgettext('agenda column', 'Time')} ({label})"

    @property
    def in_readers_zone(self) -> bool:
        """Whether the times are read in another zone than the meeting's: the official ones stay beside."""
        return self.zone != self.meeting.time_zone

    @property
    def official_heading(self) -> str:
        return f"{pgettext('agenda column', 'Time')} ({self.meeting.gmt_label})"

    @property
    def zone_facts(self) -> str:
        """ "09:00–11:00 (GMT-6)", and "· 11:00–13:00 in Santiago · GMT-4" when read in the reader's zone."""
        meeting = self.meeting
        official = zones.local_span(meeting.starts_at, meeting.ends_at, meeting.time_zone, meeting.local_date)
        facts = f"{official.times} ({meeting.gmt_label})"
        if self.in_readers_zone:
            span = self.zone_span
            facts += " · " + _("%(times)s in %(label)s") % {"times": span.times, "label": span.label}
        return facts

    def span(self, item: AgendaItem, zone: str | None = None) -> str:
        if not item.starts_at:
            return ""
        start = zones.local_span(item.starts_at, item.ends_at, zone or self.zone, self.meeting.local_date)
        # A table row as the concept note writes it (its heading says the offset).
        return f"{start.starts_at:%H:%M} – {start.ends_at:%H:%M}"

    def row(self, item: AgendaItem, is_topic: bool) -> PrintoutRow:
        official = self.span(item, self.meeting.time_zone) if self.in_readers_zone else ""
        return PrintoutRow(self.span(item), official, item.title, item.participants_text(), is_topic)

    def rows(self) -> list[PrintoutRow]:
        """Each line, topics then their sub-items."""
        rows = []
        for topic in self.agenda:
            rows.append(self.row(topic, True))
            rows.extend(self.row(child, False) for child in topic.children)
        return rows


def render_agenda_pdf(printout: AgendaPrintout) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only printouts need.
    from weasyprint import CSS, HTML

    html = render_to_string(
        "agenda/agenda_printout.html", {"printout": printout, "meeting": printout.meeting}
    )
    stylesheet = CSS(filename=finders.find(AGENDA_PDF_STYLESHEET))
    return HTML(string=html, base_url=printout.url).write_pdf(stylesheets=[stylesheet])


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    return textwrap.wrap(text, width, subsequent_indent=indent) or [""]


def render_agenda_text(printout: AgendaPrintout) -> str:
    """The agenda for a terminal: three columns in 80 characters, wrapped."""
    meeting = printout.meeting
    span = printout.zone_span
    lines = [
        meeting.title,
        "=" * min(len(meeting.title), 80),
        f"{_('Date')}: {span.starts_at:%Y-%m-%d}",
        f"{_('Time')}: {span.times} ({span.offset_label})",
        f"{_('Modality')}: {meeting.get_modality_display()}"
        + (f" · {meeting.video_call_platform}" if meeting.video_call_platform else ""),
        "",
    ]
    widths = (TEXT_TIME_WIDTH, TEXT_ACTIVITY_WIDTH, TEXT_PARTICIPANTS_WIDTH)
    lines.append(printout.time_heading)
    heading = ("", _("Activity"), _("Participants"))
    lines.append("  ".join(cell.ljust(width) for cell, width in zip(heading, widths, strict=True)).rstrip())
    lines.append("  ".join("-" * width for width in widths))
    for time, _official, activity, participants, is_topic in printout.rows():
        activity = wrap(activity, widths[1]) if is_topic else wrap(f"· {activity}", widths[1], indent="  ")
        columns = [wrap(time, widths[0]), activity, wrap(participants, widths[2])]
        for index in range(max(len(column) for column in columns)):
            cells = [column[index] if index < len(column) else "" for column in columns]
            lines.append(
                "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
            )
    lines.extend(["", printout.url, ""])
    return "\n".join(lines)
