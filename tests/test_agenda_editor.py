"""The agenda editor: the whole agenda on one page, read from a paste or a .docx, judged and saved at once."""

from datetime import UTC, datetime
from pathlib import Path

from django.urls import reverse

from agenda.models import AgendaItem, Meeting

from . import concept_note_docx
from .agenda_shapes import agenda_shape, form_fields
from .factories import MeetingFactory

SEED_NOTE = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_76b324cd6c8e24c4.txt"


def seed_table() -> str:
    """The agenda table of the seed concept note, as the text extracted from its .docx writes it."""
    text = SEED_NOTE.read_text()
    return text[text.index("\tHorario") :]


def new_meeting_like(seed: Meeting, **fields) -> Meeting:
    """An empty draft on the seed meeting's date and conferences, as the admin's add page makes it."""
    fields = {
        "title": "III Reunión Plenaria (copia)",
        "slug": "copia",
        "starts_at": seed.starts_at,
        "ends_at": seed.ends_at,
        "status": Meeting.Status.DRAFT,
        **fields,
    }
    meeting = MeetingFactory(**fields)
    meeting.conferences.set(seed.conferences.all())
    return meeting


def editor_url(meeting: Meeting) -> str:
    return reverse("admin:agenda_meeting_agenda", args=[meeting.pk])


def post_editor(client, meeting, fields, **changes):
    return client.post(editor_url(meeting), {**fields, **changes})


def test_pasted_seed_table_saves_as_the_seed_fixtures_agenda(secretariat_client, seed_meeting):
    meeting = new_meeting_like(seed_meeting)
    page = secretariat_client.get(editor_url(meeting))
    fields = form_fields(page.content.decode())
    read = post_editor(secretariat_client, meeting, fields, action="read", pasted=seed_table())
    assert read.status_code == 200
    fields = form_fields(read.content.decode())
    saved = post_editor(secretariat_client, meeting, fields, action="publish")
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert agenda_shape(meeting) == agenda_shape(seed_meeting)
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PUBLISHED


def read_into(client, meeting, **given):
    """Open the editor, read what is given (a paste or an upload), and return the fields it shows."""
    fields = form_fields(client.get(editor_url(meeting)).content.decode())
    answer = client.post(editor_url(meeting), {**fields, "action": "read", **given})
    assert answer.status_code == 200
    return answer, form_fields(answer.content.decode())


def test_uploaded_seed_docx_reads_the_agenda_title_date_and_six_sections(
    secretariat_client, seed_meeting, tmp_path
):
    meeting = new_meeting_like(
        seed_meeting, starts_at=datetime(2022, 6, 7, 15, tzinfo=UTC), ends_at=datetime(2022, 6, 7, 17, tzinfo=UTC)
    )
    with open(concept_note_docx.seed_docx(tmp_path / "nota.docx"), "rb") as upload:
        _, fields = read_into(secretariat_client, meeting, concept_note=upload)
    # The date comes from the note: the meeting moves to 31 May 2022, 09:00–11:00.
    assert (fields["starts_at_0"], fields["starts_at_1"]) == ("2022-05-31", "09:00")
    assert (fields["ends_at_0"], fields["ends_at_1"]) == ("2022-05-31", "11:00")
    assert fields["title"].startswith("III REUNIÓN PLENARIA ENTRE LA CONFERENCIA REGIONAL")
    saved = post_editor(secretariat_client, meeting, fields, action="save")
    assert saved.status_code == 302
    assert agenda_shape(meeting) == agenda_shape(seed_meeting)
    meeting.refresh_from_db()
    for section in Meeting.CONCEPT_NOTE_SECTIONS:
        assert getattr(meeting, f"{section}_es"), section
    assert meeting.general_objective_es == seed_meeting.general_objective_es
    assert meeting.methodology_es.startswith("La III Reunión Plenaria se llevará a cabo en modalidad virtual")


def test_english_docx_fills_the_english_titles_and_reads_english_role_words(
    secretariat_client, seed_meeting, tmp_path
):
    meeting = new_meeting_like(seed_meeting)
    with open(concept_note_docx.english_docx(tmp_path / "note.docx"), "rb") as upload:
        _, fields = read_into(secretariat_client, meeting, concept_note=upload)
    assert fields["language"] == "en"
    assert post_editor(secretariat_client, meeting, fields, action="save").status_code == 302
    topics = Meeting.objects.get(pk=meeting.pk).agenda()
    assert [topic.title_en for topic in topics] == [
        "Opening",
        "TOPIC 1. Outcomes of the International Migration Review Forum",
        "Closing and conclusions",
    ]
    # Spanish is the reference language: it holds the same title until translated.
    assert topics[0].title_es == "Opening"
    assert [(t.local_starts_at.strftime("%H:%M"), t.local_ends_at.strftime("%H:%M")) for t in topics] == [
        ("09:00", "09:15"),
        ("09:15", "10:00"),
        ("10:00", "11:00"),
    ]
    comments = topics[1].children[1]
    assert [(p.role, p.label) for p in comments.participants.all()] == [("moderator", "PPT CSM")]
    welcome = topics[0].children[0]
    assert [(p.role, p.label) for p in welcome.participants.all()] == [("host", "SE CRM"), ("host", "ST CSM")]
    assert Meeting.objects.get(pk=meeting.pk).title_en == "III PLENARY MEETING OF THE CRM AND THE CSM"


def test_two_day_docx_places_each_day_and_the_editor_shows_a_row_per_day(
    secretariat_client, seed_meeting, tmp_path
):
    meeting = new_meeting_like(seed_meeting)
    with open(concept_note_docx.two_day_docx(tmp_path / "two.docx"), "rb") as upload:
        _, fields = read_into(secretariat_client, meeting, concept_note=upload)
    assert (fields["ends_at_0"], fields["ends_at_1"]) == ("2022-06-01", "11:00")
    assert post_editor(secretariat_client, meeting, fields, action="save").status_code == 302
    shape = agenda_shape(meeting)
    assert [(row[2], row[3], row[4]) for row in shape if row[0] == "topic"] == [
        ("Apertura", "2022-05-31 09:00", "2022-05-31 09:30"),
        ("TEMA 1. Flujos migratorios", "2022-05-31 09:30", "2022-05-31 11:00"),
        ("TEMA 2. Agenda Regional Migratoria", "2022-06-01 09:00", "2022-06-01 10:30"),
        ("Cierre y Conclusiones", "2022-06-01 10:30", "2022-06-01 11:00"),
    ]
    shown = form_fields(secretariat_client.get(editor_url(meeting)).content.decode())
    days = [value for name, value in shown.items() if name.endswith("-day") and value]
    assert days == ["2022-05-31", "2022-06-01"]


# A table as Word puts it on the clipboard: list paragraphs with a Symbol-font bullet, the
# time slot merged down over the topic's rows (rowspan).
WORD_CLIPBOARD = """<html><body><!--StartFragment--><table class=MsoTableGrid>
<tr><td><p class=MsoNormal>Horario</p><p class=MsoNormal>(GMT-6)</p></td><td><p>Actividad</p></td>
<td><p>Participantes</p></td></tr>
<tr><td rowspan=3><p class=MsoNormal>9:00 – 9:15</p></td><td><p class=MsoNormal><b>Apertura</b></p></td><td></td></tr>
<tr><td><p class=MsoListParagraphCxSpFirst><span style='font-family:Symbol'>·<span>&nbsp;&nbsp;</span></span>Bienvenida</p></td><td><p>SE y ST CRM CSM</p></td></tr>
<tr><td><p class=MsoListParagraphCxSpLast>Palabras de la presidencia</p></td><td><p>PPT CRM</p></td></tr>
<tr><td rowspan=2><p>9.15-10.00</p></td><td><p>TEMA 1. Diálogo</p></td><td></td></tr>
<tr><td><ul><li>Comentarios países</li></ul></td><td><p>Modera: PPT CSM</p></td></tr>
<tr><td><p>10h00 a 10h15</p></td><td><p>Cierre</p></td><td><p>SE y ST CRM CSM</p></td></tr>
</table><!--EndFragment--></body></html>"""


def test_table_pasted_from_word_reads_merged_cells_and_bullets(secretariat_client, seed_meeting):
    meeting = new_meeting_like(seed_meeting)
    _, fields = read_into(secretariat_client, meeting, pasted="9:00 Apertura …", pasted_html=WORD_CLIPBOARD)
    assert post_editor(secretariat_client, meeting, fields, action="save").status_code == 302
    assert agenda_shape(meeting) == [
        ("topic", 1, "Apertura", "2022-05-31 09:00", "2022-05-31 09:15", []),
        ("sub", 1, "Bienvenida", None, None, [("host", "SE CRM"), ("host", "ST CSM")]),
        ("sub", 2, "Palabras de la presidencia", None, None, [("speaker", "PPT CRM")]),
        ("topic", 2, "TEMA 1. Diálogo", "2022-05-31 09:15", "2022-05-31 10:00", []),
        ("sub", 1, "Comentarios países", None, None, [("moderator", "PPT CSM")]),
        ("topic", 3, "Cierre", "2022-05-31 10:00", "2022-05-31 10:15", [("host", "SE CRM"), ("host", "ST CSM")]),
    ]


def test_cells_that_cannot_be_read_are_marked_before_anything_is_saved(secretariat_client, seed_meeting):
    meeting = new_meeting_like(seed_meeting)
    pasted = "9:00 – 9:15\tApertura\t\ncasi las diez\tTEMA 1\tDelegación de Atlántida\n"
    answer, fields = read_into(secretariat_client, meeting, pasted=pasted)
    page = answer.content.decode()
    assert fields["row-1-time"] == "casi las diez"
    assert 'class="editor-time unread"' in page
    assert AgendaItem.objects.filter(meeting=meeting).count() == 0
    refused = post_editor(secretariat_client, meeting, fields, action="save")
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "«casi las diez» no es un horario" in text.replace("“", "«").replace("”", "»")
    assert "Nadie se llama «Delegación de Atlántida»" in text.replace("“", "«").replace("”", "»")
    assert AgendaItem.objects.filter(meeting=meeting).count() == 0
