"""The agenda editor: the whole agenda on one page, read from a paste or a .docx, judged and saved at once."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.urls import reverse

from agenda.models import AgendaItem, AgendaParticipant, Meeting

from . import concept_note_docx
from .agenda_shapes import agenda_shape, form_fields
from .factories import MeetingFactory, OrganisationFactory, meeting_with_topics

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
        seed_meeting,
        starts_at=datetime(2022, 6, 7, 15, tzinfo=UTC),
        ends_at=datetime(2022, 6, 7, 17, tzinfo=UTC),
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
        ("Apertura", "2022-05-31 09:00 -0600", "2022-05-31 09:30 -0600"),
        ("TEMA 1. Flujos migratorios", "2022-05-31 09:30 -0600", "2022-05-31 11:00 -0600"),
        ("TEMA 2. Agenda Regional Migratoria", "2022-06-01 09:00 -0600", "2022-06-01 10:30 -0600"),
        ("Cierre y Conclusiones", "2022-06-01 10:30 -0600", "2022-06-01 11:00 -0600"),
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
        ("topic", 1, "Apertura", "2022-05-31 09:00 -0600", "2022-05-31 09:15 -0600", []),
        ("sub", 1, "Bienvenida", None, None, [("host", "SE CRM"), ("host", "ST CSM")]),
        ("sub", 2, "Palabras de la presidencia", None, None, [("speaker", "PPT CRM")]),
        ("topic", 2, "TEMA 1. Diálogo", "2022-05-31 09:15 -0600", "2022-05-31 10:00 -0600", []),
        ("sub", 1, "Comentarios países", None, None, [("moderator", "PPT CSM")]),
        (
            "topic",
            3,
            "Cierre",
            "2022-05-31 10:00 -0600",
            "2022-05-31 10:15 -0600",
            [("host", "SE CRM"), ("host", "ST CSM")],
        ),
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


def open_editor(client, meeting) -> dict[str, str]:
    return form_fields(client.get(editor_url(meeting)).content.decode())


def row_named(fields: dict[str, str], title: str) -> str:
    """The prefix ("row-3") of the row whose activity starts with `title`."""
    return next(
        name[: -len("-title")]
        for name, value in fields.items()
        if name.endswith("-title") and value.startswith(title)
    )


def test_a_mistake_of_each_kind_is_shown_at_its_row_and_in_the_summary_and_nothing_is_saved(
    secretariat_client, seed_meeting
):
    from agenda.models import Presidency

    before = agenda_shape(seed_meeting)
    # Nobody holds the CSM's presidency on the meeting's date any more.
    Presidency.objects.filter(conference__acronym="CSM").delete()
    fields = open_editor(secretariat_client, seed_meeting)
    cierre, tema_2, comentarios, intercambio = (
        row_named(fields, title) for title in ("Cierre", "TEMA 2", "Comentarios", "Intercambio")
    )
    typed = {
        f"{cierre}-time": "09:45 – 11:00",  # overlaps TEMA 1
        f"{comentarios}-time": "10:00 – 10:15",  # a sub-item outside its topic, TEMA 1 (09:15 – 10:00)
        f"{tema_2}-time": "",  # a topic without its time
    }
    answer = post_editor(secretariat_client, seed_meeting, {**fields, **typed}, action="save")
    assert answer.status_code == 200
    page = answer.content.decode()
    shown = form_fields(page)
    for name, value in typed.items():
        assert shown[name] == value
    summary = page[
        page.index('id="editor-summary"') : page.index("</div>", page.index('id="editor-summary"'))
    ]
    assert f'href="#{cierre}"' in summary and "se superpone con" in summary
    assert (
        f'href="#{comentarios}"' in summary
        and "«Comentarios países CRM-CSM»: Termina después de su tema" in summary
    )
    assert f'href="#{tema_2}"' in summary and "Un tema necesita su horario" in summary
    assert f'href="#{intercambio}"' in summary and "Nadie ejerce la PPT CSM" in summary
    # One message per cause: a topic without a time is not also told it lacks a start and an end.
    assert "Un tema necesita una hora de inicio" not in page
    for prefix in (cierre, comentarios, tema_2, intercambio):
        assert f'data-for="{prefix}"' in page
    assert agenda_shape(seed_meeting) == before


def test_a_save_on_an_agenda_someone_changed_since_is_refused_with_what_changed(
    secretariat_client, seed_meeting, client
):
    first = open_editor(secretariat_client, seed_meeting)
    second = dict(first)
    apertura = row_named(first, "Apertura")
    first[f"{apertura}-title"] = "Apertura oficial"
    assert post_editor(secretariat_client, seed_meeting, first, action="save").status_code == 302
    cierre = row_named(second, "Cierre")
    second[f"{cierre}-title"] = "Clausura"
    refused = post_editor(secretariat_client, seed_meeting, second, action="save")
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "Alguien guardó esta agenda después de que usted la abrió" in text
    assert "«Apertura oficial» fue modificado por secretaria" in text
    assert "Actividad [es]: “Apertura” → “Apertura oficial”" in text
    assert form_fields(text)[f"{cierre}-title"] == "Clausura"
    assert AgendaItem.objects.filter(title_es="Clausura").count() == 0
    # The table shown brings in the other save where this one typed nothing: saving again keeps both.
    again = form_fields(text)
    assert again[f"{apertura}-title"] == "Apertura oficial"
    assert post_editor(secretariat_client, seed_meeting, again, action="save").status_code == 302
    assert AgendaItem.objects.filter(title_es__in=["Clausura", "Apertura oficial"]).count() == 2


def test_after_a_refused_save_the_rows_others_added_or_deleted_are_in_the_table(
    secretariat_client, seed_meeting
):
    first = open_editor(secretariat_client, seed_meeting)
    second = dict(first)
    # The first secretary adds a sub-item under Cierre and deletes "Bienvenida" (a sub-item).
    cierre = row_named(first, "Cierre")
    first.update(
        {
            "row-90-kind": "sub",
            "row-90-order": str(float(first[f"{cierre}-order"]) + 0.5),
            "row-90-title": "Foto oficial",
        }
    )
    first[f"{row_named(first, 'Bienvenida')}-delete"] = "on"
    assert post_editor(secretariat_client, seed_meeting, first, action="save").status_code == 302
    second[f"{row_named(second, 'Introducción')}-title"] = "Introducción"
    second[f"{row_named(second, 'Intercambio')}-title"] = "Intercambio de experiencias"
    refused = post_editor(secretariat_client, seed_meeting, second, action="save")
    text = refused.content.decode()
    assert "«Foto oficial» was added." in text or "Se añadió «Foto oficial»." in text
    shown = form_fields(text)
    assert row_named(shown, "Foto oficial")
    # The deleted row is still in this table, as a new row: saving again makes it anew.
    bienvenida = row_named(shown, "Bienvenida")
    assert shown[f"{bienvenida}-key"] == ""
    assert post_editor(secretariat_client, seed_meeting, shown, action="save").status_code == 302
    titles = [row[2] for row in agenda_shape(seed_meeting)]
    assert titles[-1] == "Foto oficial" and "Bienvenida" in titles and "Intercambio de experiencias" in titles


def test_saving_unchanged_rows_writes_nothing(secretariat_client, seed_meeting):
    versions = dict(AgendaItem.objects.values_list("pk", "version"))
    fields = open_editor(secretariat_client, seed_meeting)
    assert post_editor(secretariat_client, seed_meeting, fields, action="save").status_code == 302
    assert dict(AgendaItem.objects.values_list("pk", "version")) == versions


def test_a_minor_correction_is_kept_in_the_history_but_not_in_the_public_changelog(
    secretariat_client, seed_meeting
):
    from agenda import history

    fields = open_editor(secretariat_client, seed_meeting)
    apertura = row_named(fields, "Apertura")
    fields[f"{apertura}-title"] = "Apertura."
    answer = post_editor(secretariat_client, seed_meeting, fields, action="save", minor_change="on")
    assert answer.status_code == 302
    item = AgendaItem.objects.get(title_es="Apertura.")
    assert item.history.first().history_change_reason == history.MINOR
    assert item.history.first().history_user.username == "secretaria"
    changes = history.load_changes([seed_meeting])[seed_meeting.pk]
    assert not any("Apertura." in change.text for change in changes)


def test_a_new_organisation_is_created_in_its_row(secretariat_client, seed_meeting):
    from agenda.models import Organisation

    fields = open_editor(secretariat_client, seed_meeting)
    bienvenida = row_named(fields, "Bienvenida")
    fields[f"{bienvenida}-participants"] = "Red Jesuita con Migrantes"
    refused = post_editor(secretariat_client, seed_meeting, fields, action="save")
    fields = form_fields(refused.content.decode())
    assert fields[f"{bienvenida}-new_kind"] == ""
    fields[f"{bienvenida}-new_kind"] = "civil_society"
    assert post_editor(secretariat_client, seed_meeting, fields, action="save").status_code == 302
    created = Organisation.objects.get(name="Red Jesuita con Migrantes")
    assert created.kind == Organisation.Kind.CIVIL_SOCIETY
    item = AgendaItem.objects.get(title_es="Bienvenida")
    assert [(p.role, p.organisation) for p in item.participants.all()] == [("presenter", created)]


def test_without_script_the_row_buttons_add_and_move_rows_without_saving(secretariat_client, seed_meeting):
    fields = open_editor(secretariat_client, seed_meeting)
    answer = post_editor(secretariat_client, seed_meeting, fields, action="insert-sub-0")
    shown = form_fields(answer.content.decode())
    assert (shown["row-1-kind"], shown["row-1-title"], shown["row-2-title"]) == (
        "sub",
        "",
        "Introducción a la sesión",
    )
    moved = form_fields(
        post_editor(secretariat_client, seed_meeting, fields, action="down-1").content.decode()
    )
    assert (moved["row-1-title"], moved["row-2-title"]) == ("Bienvenida", "Introducción a la sesión")
    assert AgendaItem.objects.get(title_es="Bienvenida").position == 2


def test_a_published_topic_is_cancelled_not_deleted_and_a_draft_one_is_deleted(
    secretariat_client, seed_meeting
):
    fields = open_editor(secretariat_client, seed_meeting)
    tema_1 = row_named(fields, "TEMA 1")
    refused = post_editor(
        secretariat_client, seed_meeting, {**fields, f"{tema_1}-delete": "on"}, action="save"
    )
    assert "cancélelo en lugar de borrarlo" in refused.content.decode()
    assert (
        post_editor(
            secretariat_client, seed_meeting, {**fields, f"{tema_1}-cancelled": "on"}, action="save"
        ).status_code
        == 302
    )
    assert AgendaItem.objects.get(title_es__startswith="TEMA 1").is_cancelled
    Meeting.objects.filter(pk=seed_meeting.pk).update(status=Meeting.Status.DRAFT)
    fields = open_editor(secretariat_client, seed_meeting)
    tema_1 = row_named(fields, "TEMA 1")
    assert (
        post_editor(
            secretariat_client, seed_meeting, {**fields, f"{tema_1}-delete": "on"}, action="save"
        ).status_code
        == 302
    )
    # Its sub-items go with it.
    assert not AgendaItem.objects.filter(title_es__startswith="TEMA 1").exists()
    assert not AgendaItem.objects.filter(title_es="Comentarios países CRM-CSM").exists()


def agenda_of_size(topics: int) -> Meeting:
    """A meeting of `topics` topics, each with a sub-item and a presenter."""
    meeting = meeting_with_topics(topics, status=Meeting.Status.DRAFT, conferences=["CRM"])
    organisation = OrganisationFactory(short_name="OIM")
    for topic in AgendaItem.objects.filter(meeting=meeting):
        sub_item = AgendaItem.objects.create(meeting=meeting, parent=topic, title=f"Presentación {topic.pk}")
        AgendaParticipant.objects.create(item=sub_item, organisation=organisation)
    return meeting


@pytest.mark.parametrize("topics", [2, 30])
def test_the_editor_page_makes_the_same_queries_whatever_the_agendas_length(
    secretariat_client, django_assert_num_queries, topics
):
    meeting = agenda_of_size(topics)
    with django_assert_num_queries(13):
        page = secretariat_client.get(editor_url(meeting))
    assert (
        sum(
            name.endswith("-title") and bool(value)
            for name, value in form_fields(page.content.decode()).items()
        )
        == 2 * topics
    )


def test_a_300_topic_agenda_saves_from_the_editor(secretariat_client):
    meeting = agenda_of_size(300)
    fields = open_editor(secretariat_client, meeting)
    assert len(fields) > 1000  # more than Django's default limit of posted fields
    fields[f"{row_named(fields, 'Tema 1')}-title"] = "Tema 1, revisado"
    last = max(
        (name for name, value in fields.items() if name.endswith("-title") and value),
        key=lambda name: int(name.split("-")[1]),
    )
    fields[last] = "Presentación final"
    assert post_editor(secretariat_client, meeting, fields, action="save").status_code == 302
    titles = list(AgendaItem.objects.filter(meeting=meeting).values_list("title_es", flat=True))
    assert len(titles) == 600
    assert {"Tema 1, revisado", "Presentación final"} <= set(titles)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("nota.pdf", b"%PDF-1.4", "Suba la nota conceptual como documento de Word (.docx)."),
        (
            "nota.docx",
            b"PK\x03\x04 not really a zip",
            "Este archivo no se pudo abrir como documento de Word.",
        ),
    ],
)
def test_a_file_that_is_not_a_concept_note_is_refused_with_its_reason(
    secretariat_client, seed_meeting, name, content, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = new_meeting_like(seed_meeting)
    answer, _ = read_into(secretariat_client, meeting, concept_note=SimpleUploadedFile(name, content))
    assert message in answer.content.decode()
    assert AgendaItem.objects.filter(meeting=meeting).count() == 0


def test_only_the_meetings_secretariat_opens_its_agenda_editor(client, seed_meeting):
    from .factories import staff_user

    csm_only = new_meeting_like(seed_meeting)
    csm_only.conferences.set(seed_meeting.conferences.filter(acronym="CSM"))
    client.force_login(staff_user("crm", conferences=("CRM",)))
    assert client.get(editor_url(csm_only)).status_code == 403
    assert client.get(editor_url(seed_meeting)).status_code == 200
    client.force_login(staff_user("observa", group="Observación"))
    assert client.get(editor_url(seed_meeting)).status_code == 403


def test_the_meetings_page_and_list_link_to_its_agenda_editor(secretariat_client, seed_meeting):
    href = f'href="{editor_url(seed_meeting)}"'
    assert (
        href
        in secretariat_client.get(
            reverse("admin:agenda_meeting_change", args=[seed_meeting.pk])
        ).content.decode()
    )
    assert href in secretariat_client.get(reverse("admin:agenda_meeting_changelist")).content.decode()


def test_publishing_an_empty_agenda_is_refused_with_the_reason(secretariat_client, seed_meeting):
    meeting = new_meeting_like(seed_meeting)
    answer = post_editor(
        secretariat_client, meeting, open_editor(secretariat_client, meeting), action="publish"
    )
    assert (
        "La agenda debe ser válida antes de publicar la reunión: no tiene ningún punto."
        in answer.content.decode()
    )
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.DRAFT


def test_the_committed_docx_fixtures_are_what_the_generator_writes(tmp_path):
    """fixtures/concept_notes/ is rebuilt by `python -m tests.concept_note_docx`: the two read the same."""
    from agenda.concept_notes import read_docx

    for name, write in [
        ("iii_plenaria_crm_csm.docx", concept_note_docx.seed_docx),
        ("iii_plenary_english.docx", concept_note_docx.english_docx),
        ("two_day_meeting.docx", concept_note_docx.two_day_docx),
    ]:
        with (
            open(concept_note_docx.FOLDER / name, "rb") as committed,
            open(write(tmp_path / name), "rb") as fresh,
        ):
            assert read_docx(committed) == read_docx(fresh)


def test_participants_read_as_the_concept_notes_write_them(seed_meeting):
    from agenda.agenda_editor import Directory, read_participants, usual_role_in
    from agenda.models import Organisation

    Organisation.objects.create(name="Ministerio de Relaciones Exteriores y Movilidad Humana", kind="other")
    directory = Directory()

    def read(text, edge=False):
        reading = read_participants(text, directory, usual_role=usual_role_in(edge))
        return [(role, named.label) for role, named in reading.roles], reading.unknown

    assert read("SE y ST CRM CSM", edge=True) == ([("host", "SE CRM"), ("host", "ST CSM")], [])
    assert read("SE y ST CRM CSM") == ([("presenter", "SE CRM"), ("presenter", "ST CSM")], [])
    assert read("PPT CRM y CSM") == ([("speaker", "PPT CRM"), ("speaker", "PPT CSM")], [])
    assert read("Modera: PPT CSM; Presenta: oficinas regionales oim") == (
        [("moderator", "PPT CSM"), ("presenter", "Oficinas Regionales OIM")],
        [],
    )
    assert read("Chair: México, Chile") == ([("moderator", "México"), ("moderator", "Chile")], [])
    assert read("Ministerio de Relaciones Exteriores y Movilidad Humana")[0] == [
        ("presenter", "Ministerio de Relaciones Exteriores y Movilidad Humana")
    ]
    assert read("PPT CRM y Atlántida") == ([("speaker", "PPT CRM")], ["Atlántida"])


def test_the_english_titles_are_edited_apart_and_may_wait(secretariat_client, seed_meeting):
    AgendaItem.objects.filter(title_es="Bienvenida").update(title_en=None)
    url = editor_url(seed_meeting) + "?language=en"
    fields = form_fields(secretariat_client.get(url).content.decode())
    assert fields["title"].startswith("III Plenary Meeting of the Regional Conference on Migration")
    # An untranslated row shows empty, and stays so: the Spanish title is not touched.
    after_introduction = int(row_named(fields, "Introduction to the session").split("-")[1]) + 1
    assert fields[f"row-{after_introduction}-title"] == ""
    apertura = row_named(fields, "Opening")
    fields[f"{apertura}-title"] = "Opening of the session"
    assert secretariat_client.post(url, fields | {"action": "save"}).status_code == 302
    item = AgendaItem.objects.get(title_es="Apertura")
    assert item.title_en == "Opening of the session"
    assert AgendaItem.objects.get(title_es="Bienvenida").title_en in (None, "")


def test_an_overlap_is_allowed_once_one_of_the_rows_is_marked_parallel(secretariat_client, seed_meeting):
    fields = open_editor(secretariat_client, seed_meeting)
    cierre = row_named(fields, "Cierre")
    fields[f"{cierre}-time"] = "10:30 – 11:00"
    refused = post_editor(secretariat_client, seed_meeting, fields, action="save")
    assert "se superpone con" in refused.content.decode()
    fields = form_fields(refused.content.decode())
    fields[f"{cierre}-parallel"] = "on"
    assert post_editor(secretariat_client, seed_meeting, fields, action="save").status_code == 302
    assert AgendaItem.objects.get(title_es="Cierre y Conclusiones").is_parallel


def test_a_row_marked_for_deletion_is_not_read(secretariat_client, seed_meeting):
    Meeting.objects.filter(pk=seed_meeting.pk).update(status=Meeting.Status.DRAFT)
    fields = open_editor(secretariat_client, seed_meeting)
    bienvenida = row_named(fields, "Bienvenida")
    fields.update(
        {
            f"{bienvenida}-time": "a la hora",
            f"{bienvenida}-participants": "Nadie",
            f"{bienvenida}-delete": "on",
        }
    )
    assert post_editor(secretariat_client, seed_meeting, fields, action="save").status_code == 302
    assert not AgendaItem.objects.filter(title_es="Bienvenida").exists()
