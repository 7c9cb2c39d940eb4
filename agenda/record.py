"""The meeting's record: built once as a list of blocks, written as a PDF and as a Word file.

The agenda as held (planned against actual times from the live clock, the
interventions of each speakers' list, the statements delivered), who took part by delegation (registered,
and marked present by the secretariat), and the conclusions and commitments.
`build_record` says what the record holds, in order; `render_record_pdf` (a
template per kind of block) and `render_record_docx` (python-docx) only lay it
out, so the two never differ in content. For the secretariat to send out, or
to edit further in Word.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import singledispatch

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from markdown_it import MarkdownIt

from . import live, outcomes, reports, silence, zones
from .models import Meeting, Registration, SilenceProcedure
from .models.interpretation import language_name
from .templatetags.agenda_tags import duration_text

RECORD_PDF_STYLESHEETS = ["agenda/css/agenda-printout.css", "agenda/css/record-printout.css"]


# The blocks a record is made of ---------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    """What the record is ("Record") and of which meeting."""

    kind: str
    title: str
    template = "agenda/record/title.html"


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1
    template = "agenda/record/heading.html"


@dataclass(frozen=True)
class Paragraph:
    text: str
    # What the paragraph is, for the PDF's stylesheet: "facts", "note", "source", "organisers".
    role: str = ""
    template = "agenda/record/paragraph.html"


@dataclass(frozen=True)
class Run:
    """A stretch of a line: strong (a name), muted (someone absent) or plain."""

    text: str
    strong: bool = False
    muted: bool = False


@dataclass(frozen=True)
class Bullets:
    items: list[list[Run]]
    role: str = ""
    template = "agenda/record/bullets.html"


@dataclass(frozen=True)
class Table:
    headings: list[str]
    rows: list[tuple[str, ...]]
    # Per column, for the PDF's stylesheet: "time", "numbers" or "".
    columns: tuple[str, ...] = ()
    template = "agenda/record/table.html"

    def classed(self, cells) -> list[tuple[str, str]]:
        return list(zip(self.columns or ("",) * len(cells), cells, strict=True))

    @property
    def classed_headings(self) -> list[tuple[str, str]]:
        return self.classed(self.headings)

    @property
    def classed_rows(self) -> list[list[tuple[str, str]]]:
        return [self.classed(row) for row in self.rows]


@dataclass(frozen=True)
class Prose:
    """Text the secretariat wrote in CommonMark (conclusions)."""

    markdown: str
    template = "agenda/record/prose.html"


Block = Title | Heading | Paragraph | Bullets | Table | Prose


@dataclass
class MeetingRecord:
    meeting: Meeting
    url: str
    blocks: list[Block] = field(default_factory=list)


# What the record holds ------------------------------------------------------------------------


def build_record(meeting: Meeting, url: str) -> MeetingRecord:
    agenda = meeting.agenda()
    state = live.load_replay(meeting, agenda)
    zone, gmt = meeting.zone, meeting.gmt_label

    def time(moment: datetime | None) -> str:
        return f"{moment.astimezone(zone):%H:%M}" if moment else "—"

    def span(start: datetime | None, end: datetime | None) -> str:
        return f"{time(start)}–{time(end)}" if start else "—"

    facts = [
        formats.date_format(meeting.local_date, "DATE_FORMAT"),
        f"{meeting.local_starts_at:%H:%M}–{meeting.local_ends_at:%H:%M} ({gmt})",
        meeting.get_modality_display(),
        meeting.video_call_platform,
        meeting.venue,
    ]
    blocks: list[Block] = [
        Paragraph(
            _("Regional Conference on Migration (CRM) · South American Conference on Migration (CSM)"),
            "organisers",
        ),
        Title(pgettext("the minutes of a meeting", "Record"), meeting.title),
        Paragraph(" · ".join(fact for fact in facts if fact), "facts"),
        Heading(_("The agenda as held")),
    ]
    if state.started_at is None:
        blocks.append(Paragraph(_("The live clock was not used: the times are the planned ones."), "note"))
    blocks.append(
        Table(
            [_("Activity"), "{} ({})".format(_("Planned"), gmt), _("Actual"), _("Minutes planned / used")],
            [
                (
                    row.item.title,
                    span(row.planned_start, row.planned_end),
                    span(row.actual_start, row.actual_end),
                    f"{row.planned_minutes} / {'—' if row.actual_minutes is None else row.actual_minutes}",
                )
                for row in reports.timing(state)
            ],
            ("", "time", "time", "numbers"),
        )
    )

    lists = [(item, requests) for item, requests in reports.interventions(state) if requests]
    if lists:
        blocks.append(Heading(_("Interventions")))
    budgets = reports.budgets(state)
    for item, requests in lists:
        blocks += [
            Heading(item.title, 2),
            Table(
                [_("Delegation"), _("Person"), _("Given at"), _("Duration"), _("Over time")],
                [intervention_row(request, time) for request in requests],
                ("", "", "time", "numbers", "numbers"),
            ),
        ]
        if budgets.get(item.pk):
            blocks.append(
                Table(
                    [_("Delegation"), _("Speaking time per delegation"), _("Spoken"), _("Over its time")],
                    [
                        (row.delegation, spoken(row.budget), spoken(row.spoken), spoken(row.over or None))
                        for row in budgets[item.pk]
                    ],
                    ("", "numbers", "numbers", "numbers"),
                )
            )

    blocks += statement_blocks(lists, live.statements_by_request(meeting), meeting, time)

    blocks.append(Heading(_("Participants")))
    delegations = delegations_of(meeting)
    if delegations:
        blocks.append(Bullets([delegation_line(name, people) for name, people in delegations], "delegations"))
    else:
        blocks.append(Paragraph(_("No participants were registered."), "note"))

    blocks.append(Heading(_("Conclusions and commitments")))
    blocks += procedure_blocks(silence.last_procedure(meeting), meeting)
    held_outcomes = outcomes.item_outcomes(meeting, agenda)
    if not held_outcomes:
        blocks.append(Paragraph(_("No conclusions or commitments were recorded."), "note"))
    for item, conclusions, commitments in held_outcomes:
        blocks.append(Heading(item.title, 2))
        if conclusions:
            blocks.append(Prose(conclusions.text))
        if commitments:
            blocks.append(Bullets([commitment_line(commitment) for commitment in commitments], "commitments"))
    blocks.append(Paragraph(url, "source"))
    return MeetingRecord(meeting, url, blocks)


def procedure_blocks(told: silence.ProcedureRecord | None, meeting: Meeting) -> list[Block]:
    """How the conclusions were agreed: the silence procedure, its outcome, reservations and ad referendum."""
    if told is None:
        return []
    procedure = told.procedure

    def moment(at: datetime) -> str:
        return zones.moment_text(at, meeting.time_zone)

    circulated = _("Circulated under silence procedure on %(circulated)s, until %(deadline)s.") % {
        "circulated": moment(procedure.circulated_at),
        "deadline": moment(procedure.deadline),
    }
    outcome = {
        SilenceProcedure.Status.ADOPTED: _("Adopted by silence procedure on %(deadline)s."),
        SilenceProcedure.Status.BROKEN: _("Silence was broken: the draft went back to the secretariat."),
    }.get(procedure.status, "")
    blocks: list[Block] = [
        Paragraph(" ".join([circulated, outcome % {"deadline": moment(procedure.deadline)}]))
    ]
    lines = [[Run(delegation, strong=True), Run(f": {text}")] for delegation, text in told.answer_lines]
    if lines:
        blocks.append(Bullets(lines, "procedure"))
    return blocks


def statement_blocks(lists, statements: dict, meeting: Meeting, time) -> list[Block]:
    """The statements delivered, filed with the record: their text, or the file's name and address."""
    blocks: list[Block] = []
    for item, requests in lists:
        delivered = [
            (request, statements[request.id])
            for request in requests
            if request.is_delivered and request.id in statements
        ]
        if delivered:
            blocks.append(Heading(item.title, 2))
        for request, statement in delivered:
            said = [
                request.delegation,
                request.kind_label,
                language_name(request.language) if request.language else "",
                "{} {}".format(_("delivered at"), time(request.given_at)),
            ]
            blocks.append(Paragraph(" · ".join(part for part in said if part), "statement-heading"))
            blocks += [Paragraph(paragraph, "statement") for paragraph in text_paragraphs(statement.text)]
            if statement.file:
                address = settings.SITE_URL.rstrip("/") + reverse(
                    "agenda:meeting-statement", args=[meeting.slug, statement.uuid]
                )
                blocks.append(Paragraph(f"{statement.file_name}: {address}", "statement"))
    if not blocks:
        return []
    note = _("As the delegations sent them to the interpreters before speaking: check against delivery.")
    return [Heading(_("Statements delivered")), Paragraph(note, "note"), *blocks]


def text_paragraphs(text: str) -> list[str]:
    """Plain text (not CommonMark: a delegation's own words) as its paragraphs."""
    return [" ".join(paragraph.split()) for paragraph in re.split(r"\n\s*\n", text) if paragraph.strip()]


def intervention_row(request: live.Request, time) -> tuple[str, str, str, str, str]:
    name = request.delegation + (f" ({request.kind_label})" if request.kind_label else "")
    return (
        name,
        request.person or "—",
        time(request.given_at) if request.given_at else _("skipped"),
        spoken(request.duration),
        spoken(request.over_time or None),
    )


def spoken(span: timedelta | None) -> str:
    return duration_text(span) if span else "—"


def delegations_of(meeting: Meeting) -> list[tuple[str, list[Registration]]]:
    """Each delegation as first spelt, with its registered people, by name."""
    delegations: dict[str, tuple[str, list[Registration]]] = {}
    for registration in meeting.registrations.order_by("affiliation", "name"):
        delegations.setdefault(registration.delegation_key, (registration.affiliation, []))[1].append(
            registration
        )
    return list(delegations.values())


def delegation_line(name: str, people: list[Registration]) -> list[Run]:
    absent = _("absent")
    line = [Run(name, strong=True), Run(": ")]
    for index, person in enumerate(people):
        if index:
            line.append(Run(", "))
        line.append(Run(person.name) if person.present else Run(f"{person.name} ({absent})", muted=True))
    return line


def commitment_line(commitment) -> list[Run]:
    due = ""
    if commitment.due_on:
        due = " · {} {}".format(_("due"), formats.date_format(commitment.due_on, "DATE_FORMAT"))
    return [
        Run(f"{commitment.what} — "),
        Run(str(commitment.responsible), strong=True),
        Run(f"{due} · {commitment.get_status_display()}"),
    ]


# The PDF -------------------------------------------------------------------------------------


def render_record_pdf(record: MeetingRecord) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only printouts need.
    from weasyprint import CSS, HTML

    html = render_to_string("agenda/record_printout.html", {"record": record, "meeting": record.meeting})
    stylesheets = [CSS(filename=finders.find(name)) for name in RECORD_PDF_STYLESHEETS]
    return HTML(string=html, base_url=record.url).write_pdf(stylesheets=stylesheets)


# The Word file -------------------------------------------------------------------------------


def render_record_docx(record: MeetingRecord) -> bytes:
    """The same record as a Word document, with real headings and tables to edit."""
    from docx import Document

    document = Document()
    document.core_properties.title = record.meeting.title
    for block in record.blocks:
        add_block(block, document)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


@singledispatch
def add_block(block, document) -> None:
    raise TypeError(f"The Word record has no layout for {type(block).__name__}")


@add_block.register
def add_title(block: Title, document) -> None:
    # Word shows the document's kind in its properties and file name: the title is the meeting's.
    document.add_heading(block.title, level=0)


@add_block.register
def add_heading(block: Heading, document) -> None:
    document.add_heading(block.text, level=block.level)


@add_block.register
def add_paragraph(block: Paragraph, document) -> None:
    paragraph = document.add_paragraph()
    # Who delivered a statement stands out from its words, as in the PDF.
    paragraph.add_run(block.text).bold = block.role == "statement-heading" or None


@add_block.register
def add_bullets(block: Bullets, document) -> None:
    for line in block.items:
        paragraph = document.add_paragraph(style="List Bullet")
        for run in line:
            added = paragraph.add_run(run.text)
            added.bold, added.italic = run.strong or None, run.muted or None


@add_block.register
def add_table(block: Table, document) -> None:
    table = document.add_table(rows=1, cols=len(block.headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, block.headings, strict=True):
        cell.text = heading
        cell.paragraphs[0].runs[0].bold = True
    for row in block.rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value


@add_block.register
def add_prose(block: Prose, document) -> None:
    for paragraph in plain_paragraphs(block.markdown):
        document.add_paragraph(paragraph)


def plain_paragraphs(text: str) -> list[str]:
    """CommonMark as the lines of text it shows (paragraphs, list items), without its markup."""
    lines = []
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "inline":
            parts = [child.content if child.type != "softbreak" else " " for child in token.children or []]
            lines.append("".join(parts))
    return lines
