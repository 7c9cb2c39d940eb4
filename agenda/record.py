"""The meeting's record: one document made from what is stored, as a PDF and as a Word file.

The agenda as held (planned against actual times from the live clock, the
interventions of each speakers' list), who took part by delegation (registered,
and marked present by the secretariat), and the conclusions and commitments.
For the secretariat to send out, or to edit further in Word (DOCX).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from . import floor, live, outcomes
from .models import AgendaItem, Commitment, Conclusions, Meeting, Registration
from .templatetags.agenda_tags import duration_text

RECORD_PDF_STYLESHEETS = ["agenda/css/agenda-document.css", "agenda/css/record-document.css"]


@dataclass(frozen=True)
class Delegation:
    name: str
    people: list[Registration]

    @property
    def present(self) -> int:
        return sum(person.present for person in self.people)


@dataclass
class MeetingRecord:
    meeting: Meeting
    timing: list[live.ReportRow]
    clock_used: bool
    interventions: list[tuple[AgendaItem, list[floor.Request]]]
    delegations: list[Delegation]
    outcomes: list[tuple[AgendaItem, Conclusions | None, list[Commitment]]]
    url: str

    def time(self, moment: datetime | None) -> str:
        return f"{moment.astimezone(self.meeting.zone):%H:%M}" if moment else "—"

    def span(self, start: datetime | None, end: datetime | None) -> str:
        return f"{self.time(start)}–{self.time(end)}" if start else "—"

    def timing_rows(self) -> list[tuple[str, str, str, str]]:
        """(activity, planned, actual, minutes planned / used) for each topic on the clock."""
        return [
            (
                row.item.title,
                self.span(row.planned_start, row.planned_end),
                self.span(row.actual_start, row.actual_end),
                f"{row.planned_minutes} / {'—' if row.actual_minutes is None else row.actual_minutes}",
            )
            for row in self.timing
        ]

    def intervention_tables(self) -> list[tuple[AgendaItem, list[tuple[str, str, str, str, str]]]]:
        """Per item with a list: (delegation, person, given at, duration, over time) for each speaker."""
        return [
            (item, [self.intervention_row(request) for request in requests])
            for item, requests in self.interventions
        ]

    def intervention_row(self, request: floor.Request) -> tuple[str, str, str, str, str]:
        name = request.delegation + (f" ({_('right of reply')})" if request.right_of_reply else "")
        given = self.time(request.given_at) if request.given_at else _("skipped")
        return (
            name,
            request.person or "—",
            given,
            spoken(request.duration),
            spoken(request.over_time or None),
        )

    @property
    def date(self) -> str:
        return formats.date_format(self.meeting.local_date, "DATE_FORMAT")


def spoken(span: timedelta | None) -> str:
    return duration_text(span) if span else "—"


def build_record(meeting: Meeting, url: str) -> MeetingRecord:
    agenda = meeting.agenda()
    state = live.load_replay(meeting, agenda)
    registrations = meeting.registrations.order_by("affiliation", "name")
    delegations: dict[str, Delegation] = {}
    for registration in registrations:
        delegations.setdefault(
            registration.delegation_key, Delegation(registration.affiliation, [])
        ).people.append(registration)
    return MeetingRecord(
        meeting=meeting,
        timing=live.report(state),
        clock_used=state.started_at is not None,
        interventions=[(item, rows) for item, rows in floor.interventions(state) if rows],
        delegations=list(delegations.values()),
        outcomes=outcomes.item_outcomes(meeting, agenda),
        url=url,
    )


def render_record_pdf(record: MeetingRecord) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only printouts need.
    from weasyprint import CSS, HTML

    html = render_to_string("agenda/record_document.html", {"record": record, "meeting": record.meeting})
    stylesheets = [CSS(filename=finders.find(name)) for name in RECORD_PDF_STYLESHEETS]
    return HTML(string=html, base_url=record.url).write_pdf(stylesheets=stylesheets)


def render_record_docx(record: MeetingRecord) -> bytes:
    """The same record as a Word document, with real headings and tables to edit."""
    from docx import Document

    meeting = record.meeting
    document = Document()
    document.core_properties.title = meeting.title
    document.add_heading(meeting.title, level=0)
    document.add_paragraph(
        f"{record.date} · {meeting.local_starts_at:%H:%M}–{meeting.local_ends_at:%H:%M} ({meeting.gmt_label})"
        f" · {meeting.get_modality_display()}"
    )

    document.add_heading(_("The agenda as held"), level=1)
    if not record.clock_used:
        document.add_paragraph(_("The live clock was not used: the times are the planned ones."))
    add_table(
        document,
        [_("Activity"), _("Planned"), _("Actual"), _("Minutes planned / used")],
        record.timing_rows(),
    )

    if record.interventions:
        document.add_heading(_("Interventions"), level=1)
        for item, rows in record.intervention_tables():
            document.add_heading(item.title, level=2)
            headings = [_("Delegation"), _("Person"), _("Given at"), _("Duration"), _("Over time")]
            add_table(document, headings, rows)

    document.add_heading(_("Participants"), level=1)
    if not record.delegations:
        document.add_paragraph(_("No participants were registered."))
    for delegation in record.delegations:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(delegation.name).bold = True
        people = ", ".join(
            person.name + ("" if person.present else f" ({_('absent')})") for person in delegation.people
        )
        paragraph.add_run(f": {people}")

    document.add_heading(_("Conclusions and commitments"), level=1)
    if not record.outcomes:
        document.add_paragraph(_("No conclusions or commitments were recorded."))
    for item, conclusions, commitments in record.outcomes:
        document.add_heading(item.title, level=2)
        if conclusions:
            for paragraph in plain_paragraphs(conclusions.text):
                document.add_paragraph(paragraph)
        for commitment in commitments:
            due = (
                f" · {_('due')} {formats.date_format(commitment.due_on, 'DATE_FORMAT')}"
                if commitment.due_on
                else ""
            )
            document.add_paragraph(
                f"{commitment.what} — {commitment.responsible}{due} · {commitment.get_status_display()}",
                style="List Bullet",
            )
    document.add_paragraph(record.url)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def plain_paragraphs(text: str) -> list[str]:
    """CommonMark as the lines of text it shows (paragraphs, list items), without its markup."""
    lines = []
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "inline":
            parts = [child.content if child.type != "softbreak" else " " for child in token.children or []]
            lines.append("".join(parts))
    return lines


def add_table(document, headings: list[str], rows: list[tuple[str, ...]]) -> None:
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.text = heading
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
