"""The seed meeting is the III Plenary CRM–CSM exactly as its concept note sets it out."""

import io
from datetime import UTC, datetime

from django.core import serializers
from django.core.management import call_command

from agenda.models import AgendaItem, Conference, Meeting, agenda_problems

# The concept note's agenda table, row by row: (Horario (GMT-6), Actividad, Participantes).
# Participants are (role, name): the note's "SE y ST CRM CSM" is the two
# secretariats, the CRM's SE and the CSM's ST; "Modera:" marks a moderator.
SE_AND_ST = [("host", "SE CRM"), ("host", "ST CSM")]
CONCEPT_NOTE_AGENDA = [
    ("9:00 – 9:15", "Apertura", []),
    ("", "· Introducción a la sesión", SE_AND_ST),
    ("", "· Bienvenida", []),
    (
        "",
        "· Representante de El Salvador, Presidencia Pro-Témpore de la Conferencia Regional sobre "
        "Migraciones (CRM)",
        [("speaker", "PPT CRM")],
    ),
    (
        "",
        "· Representante de Chile, Presidencia Pro-Témpore de la Conferencia Suramericana sobre "
        "Migraciones (CSM)",
        [("speaker", "PPT CSM")],
    ),
    (
        "9:15 – 10:00",
        "TEMA 1. Recomendaciones y Compromisos emanados del Foro de Examen de la Migración Internacional "
        "(FEMI) - El Salvador",
        [],
    ),
    (
        "",
        "· Presentación sobre los principales resultados del FEMI y próximos pasos a seguir",
        [("presenter", "Oficinas Regionales OIM")],
    ),
    ("", "· Comentarios países CRM-CSM", [("moderator", "PPT CRM")]),
    ("10:00 – 10:45", "TEMA 2. Agenda Regional Migratoria CRM-CSM - Chile", []),
    (
        "",
        "· Antecedentes de la cooperación entre la CRM-CSM",
        [("presenter", "SE CRM"), ("presenter", "ST CSM")],
    ),
    ("", "· Intercambio entre países", [("moderator", "PPT CSM")]),
    ("10:45 – 11:00", "Cierre y Conclusiones", SE_AND_ST),
]


def note_row(item: AgendaItem, is_topic: bool) -> tuple[str, str, list[tuple[str, str]]]:
    """Write a loaded item the way the concept note's table prints it."""
    time = ""
    if item.starts_at:
        start, end = item.local_starts_at, item.local_ends_at
        time = f"{start.hour}:{start:%M} – {end.hour}:{end:%M}"
    title = item.title if is_topic else f"· {item.title}"
    return time, title, [(p.role, p.label) for p in item.participants.all()]


def loaded_rows(meeting: Meeting) -> list:
    rows = []
    for topic in meeting.agenda():
        rows.append(note_row(topic, True))
        rows.extend(note_row(child, False) for child in topic.children)
    return rows


def test_seed_agenda_matches_the_concept_note_line_by_line(seed_meeting):
    assert loaded_rows(seed_meeting) == CONCEPT_NOTE_AGENDA


def test_seed_meeting_is_0900_to_1100_gmt_minus_6_on_31_may_2022(seed_meeting):
    assert seed_meeting.starts_at == datetime(2022, 5, 31, 15, 0, tzinfo=UTC)
    assert seed_meeting.ends_at == datetime(2022, 5, 31, 17, 0, tzinfo=UTC)
    assert seed_meeting.time_zone == "America/Costa_Rica"
    assert seed_meeting.gmt_label == "GMT-6"
    assert seed_meeting.series_label == "III"
    assert seed_meeting.modality == Meeting.Modality.VIRTUAL
    assert seed_meeting.video_call_platform == "Zoom"
    assert seed_meeting.status == Meeting.Status.PUBLISHED


def test_seed_presidency_roles_resolve_to_el_salvador_and_chile(seed_meeting):
    resolved = {
        participant.label: participant.resolved_country.name
        for topic in seed_meeting.agenda()
        for child in topic.children
        for participant in child.participants.all()
        if participant.presidency_of_id
    }
    assert resolved == {"PPT CRM": "El Salvador", "PPT CSM": "Chile"}


def test_seed_conferences_have_their_member_countries(seed_meeting):
    members = {
        conference.acronym: sorted(conference.members.values_list("code", flat=True))
        for conference in Conference.objects.all()
    }
    assert members == {
        "CRM": sorted(["CA", "US", "MX", "GT", "BZ", "SV", "HN", "NI", "CR", "PA", "DO"]),
        "CSM": sorted(["AR", "BO", "BR", "CL", "CO", "EC", "GY", "PY", "PE", "SR", "UY", "VE"]),
    }
    assert sorted(seed_meeting.organisers.values_list("short_name", flat=True)) == ["SE CRM", "ST CSM"]


def test_seed_concept_note_has_all_six_sections(seed_meeting):
    headings = [str(heading) for _, heading, _ in seed_meeting.concept_note()]
    assert len(headings) == 6
    assert seed_meeting.general_objective.startswith("Continuar la colaboración entre los países")
    assert "plataforma Zoom" in seed_meeting.methodology


def test_loading_the_seed_twice_changes_nothing(seed_meeting):
    before = serializers.serialize("json", [*Meeting.objects.all(), *AgendaItem.objects.all()])
    output = io.StringIO()
    call_command("load_seed", stdout=output)
    after = serializers.serialize("json", [*Meeting.objects.all(), *AgendaItem.objects.all()])
    assert after == before
    assert "Nothing changed" in output.getvalue()


def test_loading_the_seed_keeps_the_secretariats_edits(seed_meeting):
    AgendaItem.objects.filter(title="Bienvenida").update(title="Bienvenida oficial")
    call_command("load_seed", stdout=io.StringIO())
    assert AgendaItem.objects.filter(title="Bienvenida oficial").count() == 1


def test_every_seed_row_passes_model_validation(seed_meeting):
    for item in AgendaItem.objects.all():
        item.full_clean()
        for participant in item.participants.all():
            participant.full_clean()
    seed_meeting.full_clean()
    assert agenda_problems(seed_meeting, list(seed_meeting.agenda_items.all())) == []


def test_loading_the_seed_into_a_site_with_its_own_rows_overwrites_none_of_them(db):
    from agenda.models import Organisation

    from .factories import ConferenceFactory

    # Rows the secretariat made first, holding the ids the fixture uses and its conference.
    own = [
        Organisation.objects.create(name=f"Organización propia {n}", short_name=f"OP{n}", kind="other")
        for n in range(30)
    ]
    crm = ConferenceFactory(acronym="CRM", name="Conferencia Regional sobre Migración (nombre propio)")
    call_command("load_seed", stdout=io.StringIO())

    assert all(Organisation.objects.get(pk=row.pk).name == row.name for row in own)
    seed = Meeting.objects.get(slug="iii-reunion-plenaria-crm-csm")
    assert crm in seed.conferences.all()
    assert Conference.objects.get(acronym="CRM").name.endswith("(nombre propio)")
    assert seed.agenda_items.count() == 12
