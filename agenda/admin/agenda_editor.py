"""The agenda editor's page: a meeting's whole agenda as the concept note's table, in the admin.

Without JavaScript it is one plain form: every button posts it, and the buttons that
add, move or read rows come back with the table changed and nothing saved. The page's
script (static/agenda/js/agenda-editor.js) does those in the page instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from .. import agenda_editor, concept_notes, zones
from ..agenda_editor import DAY, ROLE_PREFIX, SUB_ITEM, TOPIC, AgendaRefused, EditorRow
from ..forms import AgendaHeaderForm, ConceptNoteForm
from ..models import Meeting, Organisation

LANGUAGES = ("es", "en", "pt")


def agenda_editor_view(model_admin, request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    if not model_admin.has_change_permission(request, meeting):
        raise PermissionDenied
    language = request.POST.get("language") or request.GET.get("language") or "es"
    language = language if language in LANGUAGES else "es"
    with timezone.override(zones.zone(meeting.time_zone)):
        response = editor_page(model_admin, request, meeting, language)
        if hasattr(response, "render"):
            response.render()
    return response


def editor_page(model_admin, request: HttpRequest, meeting: Meeting, language: str) -> HttpResponse:
    problems: list[tuple[int | None, str]] = []
    stale: list[str] = []
    note_form = ConceptNoteForm()
    if request.method != "POST":
        agenda = meeting.agenda()
        rows = agenda_editor.rows_of(meeting, agenda, language=language)
        state = agenda_editor.agenda_state(meeting, (i for topic in agenda for i in (topic, *topic.children)))
        header = AgendaHeaderForm(initial=header_initial(meeting, language), language=language)
        return render_editor(model_admin, request, meeting, language, rows, header, note_form, state, [], [])

    action = request.POST.get("action", "save")
    rows = agenda_editor.rows_from_post(request.POST)
    state = request.POST.get("state", "")
    header = AgendaHeaderForm(request.POST, language=language)
    if action == "read":
        note_form = ConceptNoteForm(request.POST, request.FILES)
        if note_form.is_valid():
            read = read_note(note_form, meeting)
            if read is None:
                note_form.add_error(
                    "concept_note", gettext("This file could not be opened as a Word document.")
                )
            else:
                note, from_file = read
                kept = [replaced(row) for row in rows if row.key]
                rows = [*agenda_editor.rows_read(note), *kept]
                if not any(row.kind != DAY for row in rows):
                    note_form.add_error(None, gettext("No agenda table was found in what you gave."))
                if note.language in LANGUAGES:
                    language = note.language
                header = AgendaHeaderForm(
                    initial=read_header(meeting, note, language, request.POST, from_file),
                    language=language,
                )
                problems.extend(offset_problem(meeting, note))
                if kept:
                    messages.info(request, gettext("The rows the agenda had are below, marked for deletion."))
    elif action.startswith(("insert-", "up-", "down-")):
        rows = rearranged(rows, action)
    elif header.is_valid():
        try:
            agenda_editor.save_agenda(
                meeting,
                rows,
                header=agenda_editor.Header(
                    title=header.cleaned_data["title"],
                    starts_at=header.cleaned_data["starts_at"],
                    ends_at=header.cleaned_data["ends_at"],
                    sections=header.sections,
                ),
                language=language,
                opened=state,
                user=request.user,
                minor=bool(request.POST.get("minor_change")),
                publish=action == "publish",
            )
        except AgendaRefused as refusal:
            if refusal.stale:
                rows = agenda_editor.rows_after_refusal(meeting, rows, state, language=language)
            problems, stale, state = refusal.problems, refusal.stale, refusal.state or state
        else:
            model_admin.log_change(request, meeting, gettext("Agenda changed in the agenda editor."))
            done = (
                gettext("The agenda was saved and the meeting published.")
                if action == "publish"
                else gettext("The agenda was saved.")
            )
            model_admin.message_user(request, done, messages.SUCCESS)
            url = reverse("admin:agenda_meeting_agenda", args=[meeting.pk])
            return HttpResponseRedirect(f"{url}?language={language}" if language != "es" else url)
    return render_editor(
        model_admin, request, meeting, language, rows, header, note_form, state, problems, stale
    )


def replaced(row: EditorRow) -> EditorRow:
    row.delete = True
    return row


def read_note(form: ConceptNoteForm, meeting: Meeting) -> tuple[concept_notes.ReadNote, bool] | None:
    upload = form.cleaned_data.get("concept_note")
    if upload:
        try:
            return concept_notes.read_docx(upload), True
        except ValueError:
            return None
    html = form.cleaned_data.get("pasted_html") or ""
    year = meeting.local_date.year
    if concept_notes.has_table(html):
        return concept_notes.read_rows(concept_notes.table_from_html(html), default_year=year), False
    table = concept_notes.table_from_text(form.cleaned_data.get("pasted") or "")
    return concept_notes.read_rows(table, default_year=year), False


def header_initial(meeting: Meeting, language: str) -> dict:
    initial = {
        "title": getattr(meeting, f"title_{language}") or "",
        "starts_at": meeting.local_starts_at,
        "ends_at": meeting.local_ends_at,
    }
    for name in Meeting.CONCEPT_NOTE_SECTIONS:
        initial[name] = getattr(meeting, f"{name}_{language}") or ""
    return initial


def read_header(meeting: Meeting, note, language: str, posted, from_file: bool) -> dict:
    """The header as posted, with what a .docx says of the meeting: title, sections, and its date and
    times (from the first topic's start to the last one's end)."""
    initial = {name: posted.get(name, "") for name in ("title", *Meeting.CONCEPT_NOTE_SECTIONS)}
    for name in ("starts_at", "ends_at"):
        initial[name] = [posted.get(f"{name}_0", ""), posted.get(f"{name}_1", "")]
    if not from_file:
        return initial
    initial["title"] = note.title or initial["title"]
    initial.update(note.sections)
    times = [concept_notes.read_time_span(row.time) for row in note.rows if row.kind == TOPIC and row.time]
    times = [span for span in times if span]
    days = [row.day for row in note.rows if row.kind == DAY and row.day]
    first_day = note.day or meeting.local_date
    last_day = days[-1] if days else first_day
    if times:
        start = datetime.combine(first_day, times[0][0])
        last_end = times[-1][1] or (datetime.combine(last_day, times[-1][0]) + timedelta(hours=1)).time()
        initial["starts_at"] = [start.date().isoformat(), f"{start:%H:%M}"]
        initial["ends_at"] = [last_day.isoformat(), f"{last_end:%H:%M}"]
    return initial


def offset_problem(meeting: Meeting, note) -> list[tuple[None, str]]:
    if note.stated_offset and note.stated_offset != meeting.gmt_label:
        return [
            (
                None,
                gettext(
                    "The table's times are in %(stated)s and the meeting's zone (%(zone)s) is %(meeting)s "
                    "on its date: check the meeting's zone before saving."
                )
                % {"stated": note.stated_offset, "zone": meeting.time_zone, "meeting": meeting.gmt_label},
            )
        ]
    return []


def rearranged(rows: list[EditorRow], action: str) -> list[EditorRow]:
    """The no-script buttons: a topic or sub-item added below a row, a row moved up or down."""
    verb, _, position = action.partition("-")
    kind, _, index = position.rpartition("-") if verb == "insert" else ("", "", position)
    if not index.isdigit() or int(index) >= len(rows):
        return rows
    at = int(index)
    if verb == "insert":
        rows.insert(at + 1, EditorRow(kind=SUB_ITEM if kind == "sub" else TOPIC))
    elif verb == "up" and at > 0:
        rows[at - 1], rows[at] = rows[at], rows[at - 1]
    elif verb == "down" and at + 1 < len(rows):
        rows[at + 1], rows[at] = rows[at], rows[at + 1]
    return rows


def summary_line(rows: list[EditorRow], at: int | None, message: str) -> dict:
    """A problem as the summary lists it: linked to its row, and naming it unless the message does."""
    if at is None or at >= len(rows):
        return {"message": message, "anchor": ""}
    row = rows[at]
    named = not row.title or any(f"{left}{row.title}{right}" in message for left, right in ("“”", "«»"))
    return {"message": message if named else f"«{row.title}»: {message}", "anchor": row.anchor}


def render_editor(model_admin, request, meeting, language, rows, header, note_form, state, problems, stale):
    directory = agenda_editor.Directory()
    for index, row in enumerate(rows):
        row.anchor = f"row-{index}"
    # In the table's order: what concerns the whole meeting first, then row by row.
    ordered = sorted(problems, key=lambda problem: -1 if problem[0] is None else problem[0])
    summary = [summary_line(rows, at, message) for at, message in ordered]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Meeting._meta,
        "original": meeting,
        "meeting": meeting,
        "title": gettext("Edit the agenda"),
        "language": language,
        "languages": LANGUAGES,
        "rows": rows,
        # Two empty rows at the end, for typing without the page's script.
        "blank_rows": [
            {"prefix": f"row-{index}", "index": index, "order": index + 1}
            for index in range(len(rows), len(rows) + 2)
        ],
        "header": header,
        "note_form": note_form,
        "state": state,
        "summary": summary,
        "stale": stale,
        "suggestions": directory.labels,
        "role_words": [f"{prefix}:" for prefix in ROLE_PREFIX.values()],
        "new_kinds": [
            (kind.value, kind.label)
            for kind in Organisation.Kind
            if kind in agenda_editor.NEW_ORGANISATION_KINDS
        ],
        "kinds": [(TOPIC, gettext("Topic")), (SUB_ITEM, gettext("Sub-item")), (DAY, gettext("Day"))],
        "zone_label": f"{meeting.gmt_label}, {meeting.time_zone}",
        "spans_days": any(row.kind == DAY for row in rows),
        "is_published": meeting.status == Meeting.Status.PUBLISHED,
    }
    return TemplateResponse(request, "admin/agenda/agenda_editor.html", context)
