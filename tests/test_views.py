"""Public pages: the meeting list and a meeting's agenda, in Spanish, with no login."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda.models import AgendaParticipant, Meeting
from agenda.views import pages

from .factories import AgendaItemFactory, MeetingFactory, OrganisationFactory, at, meeting_with_topics
from .html_tables import table_rows

SEED_PAGE_ROWS = [
    ["Horario (GMT-6)", "Actividad", "Participantes"],
    ["09:00 – 09:15", "Apertura", ""],
    ["", "Introducción a la sesión", "SE CRM y ST CSM"],
    ["", "Bienvenida", ""],
    [
        "",
        "Representante de El Salvador, Presidencia Pro-Témpore de la Conferencia Regional sobre Migraciones (CRM)",
        "PPT CRM (El Salvador)",
    ],
    [
        "",
        "Representante de Chile, Presidencia Pro-Témpore de la Conferencia Suramericana sobre Migraciones (CSM)",
        "PPT CSM (Chile)",
    ],
    [
        "09:15 – 10:00",
        "TEMA 1. Recomendaciones y Compromisos emanados del Foro de Examen de la Migración Internacional (FEMI) - El Salvador",
        "",
    ],
    [
        "",
        "Presentación sobre los principales resultados del FEMI y próximos pasos a seguir",
        "Oficinas Regionales OIM",
    ],
    ["", "Comentarios países CRM-CSM", "Modera: PPT CRM (El Salvador)"],
    ["10:00 – 10:45", "TEMA 2. Agenda Regional Migratoria CRM-CSM - Chile", ""],
    ["", "Antecedentes de la cooperación entre la CRM-CSM", "SE CRM y ST CSM"],
    ["", "Intercambio entre países", "Modera: PPT CSM (Chile)"],
    ["10:45 – 11:00", "Cierre y Conclusiones", "SE CRM y ST CSM"],
]


def test_meeting_page_shows_the_agenda_as_the_concept_note_sets_it_out(client, seed_meeting):
    response = client.get(seed_meeting.get_absolute_url())
    assert response.status_code == 200
    assert table_rows(response.content.decode()) == SEED_PAGE_ROWS


def test_meeting_page_shows_date_modality_and_concept_note(client, seed_meeting):
    page = client.get(seed_meeting.get_absolute_url()).content.decode()
    assert '<html lang="es">' in page
    assert "<title>III Reunión Plenaria entre la Conferencia Regional sobre Migración (CRM)" in page
    assert "31 de mayo de 2022" in page
    assert "09:00–11:00 (GMT-6)" in page
    assert "Virtual · Zoom" in page
    assert "El enlace se envía a los participantes registrados." not in page, "the seed has no link to hide"
    for heading in [
        "Antecedentes",
        "Justificación",
        "Objetivo general",
        "Objetivos específicos",
        "Perfil de participantes",
        "Metodología del diálogo",
    ]:
        assert f'<h3 class="h5">{heading}</h3>' in page
    assert "<h4>CRM</h4>" in page
    assert "<li>Estudio Regional: Programas y procesos de regularización migratoria</li>" in page


def test_home_lists_upcoming_and_past_published_meetings_only(client, seed_meeting):
    upcoming = MeetingFactory(title="IV Reunión Plenaria")
    MeetingFactory(title="Borrador secreto", status=Meeting.Status.DRAFT)
    response = client.get(reverse("agenda:meeting-list"))
    page = response.content.decode()
    upcoming_part, past_part = page.split('id="past-heading"')
    assert upcoming.title in upcoming_part and seed_meeting.title not in upcoming_part
    assert seed_meeting.title in past_part
    assert "Borrador secreto" not in page


def test_draft_meeting_is_404_to_the_public(client, db):
    draft = MeetingFactory(status=Meeting.Status.DRAFT)
    AgendaItemFactory(meeting=draft)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_secretariat_previews_a_draft_with_a_banner(secretariat_client, db):
    draft = MeetingFactory(status=Meeting.Status.DRAFT)
    page = secretariat_client.get(draft.get_absolute_url()).content.decode()
    assert "Borrador: solo la secretaría ve esta página hasta que se publique." in page


def test_cancelled_meeting_stays_visible_with_a_notice(client, db):
    cancelled = MeetingFactory(status=Meeting.Status.CANCELLED)
    page = client.get(cancelled.get_absolute_url()).content.decode()
    assert "Esta reunión ha sido cancelada." in page


@pytest.mark.parametrize(
    "path",
    [
        "/meetings/no-existe/",
        "/meetings/%C3%B1and%C3%BA/",
        "/meetings/" + "a" * 5000 + "/",
        "/meetings/1;DROP TABLE agenda_meeting/",
        "/meetings/<script>alert(1)</script>/",
        "/nada/",
    ],
)
def test_unknown_or_garbage_addresses_are_404_with_a_helpful_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "No hay ninguna reunión en esta dirección" in response.content.decode()


def test_public_pages_refuse_post(client, seed_meeting):
    assert client.post(seed_meeting.get_absolute_url()).status_code == 405
    assert client.head(seed_meeting.get_absolute_url()).status_code == 200


def test_join_link_shows_only_when_public(client, db):
    private = MeetingFactory(video_call_url="https://zoom.us/j/111")
    public = MeetingFactory(video_call_url="https://zoom.us/j/222", join_link_visibility="public")
    private_page = client.get(private.get_absolute_url()).content.decode()
    assert "zoom.us/j/111" not in private_page
    assert "El enlace se envía a los participantes registrados." in private_page
    assert (
        '<a href="https://zoom.us/j/222" rel="noopener">'
        in client.get(public.get_absolute_url()).content.decode()
    )


def test_text_typed_in_the_admin_is_shown_as_text_not_html(client, db):
    meeting = MeetingFactory(
        title="<script>alert('t')</script>",
        background="<img src=x onerror=alert(1)>\n\n[clic](javascript:alert(2))\n\n- uno\n- dos",
    )
    AgendaItemFactory(meeting=meeting, title="<b>negrita</b>", description="línea 1\n<i>línea 2</i>")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "javascript:" not in page.replace("[clic](javascript:alert(2))", "")
    assert "<li>uno</li>" in page
    assert "&lt;b&gt;negrita&lt;/b&gt;" in page
    assert "línea 1<br>&lt;i&gt;línea 2&lt;/i&gt;" in page


def test_moderator_is_marked_and_parallel_items_are_labelled(client, db):
    meeting = meeting_with_topics(2)
    first = meeting.agenda_items.get(title="Tema 1")
    first.is_parallel = True
    first.save()
    AgendaParticipant.objects.create(
        item=first, role="moderator", organisation=OrganisationFactory(short_name="OIM")
    )
    rows = table_rows(client.get(meeting.get_absolute_url()).content.decode())
    assert rows[1] == ["09:00 – 09:15", "Tema 1 paralelo", "Modera: OIM"]


def make_agenda(topic_count: int) -> Meeting:
    """A meeting of `topic_count` topics, each with a sub-item and two participants."""
    meeting = meeting_with_topics(topic_count, minutes=5)
    organisation = OrganisationFactory()
    for topic in meeting.agenda_items.all():
        child = AgendaItemFactory(meeting=meeting, parent=topic, starts_at=None)
        AgendaParticipant.objects.create(item=topic, organisation=organisation, role="moderator")
        AgendaParticipant.objects.create(item=child, organisation=organisation)
    return meeting


@pytest.mark.parametrize("topic_count", [5, 200])
def test_meeting_page_queries_do_not_grow_with_the_agenda(client, db, django_assert_num_queries, topic_count):
    meeting = make_agenda(topic_count)
    # The meeting, its items, their participants, the presidencies, the member countries, the live clock,
    # the history of the meeting, its items and their participants for the changelog, its documents,
    # the content version (for the whole page's key, then for its fragments'), and the commitments
    # earlier meetings of its series left open (its conferences, then the commitments); and, the
    # meeting being ahead, whether a speakers' list shows its inscribed speakers to the public.
    with django_assert_num_queries(15):
        response = client.get(meeting.get_absolute_url())
    assert len(table_rows(response.content.decode())) == 1 + 2 * topic_count


@pytest.mark.parametrize("meeting_count", [2, 40])
def test_home_page_queries_do_not_grow_with_the_meetings(
    client, db, django_assert_num_queries, meeting_count
):
    for n in range(meeting_count):
        MeetingFactory(starts_at=at(n * 24 * 60), ends_at=at(n * 24 * 60 + 60))
    # Upcoming, past, and the content version for the page's key.
    with django_assert_num_queries(3):
        response = client.get(reverse("agenda:meeting-list"))
    assert response.content.decode().count('class="meeting-summary') == meeting_count


def test_meeting_page_offers_every_way_into_a_calendar(client, seed_meeting):
    page = client.get(seed_meeting.get_absolute_url()).content.decode()
    slug = seed_meeting.slug
    for feed in [f"/meetings/{slug}.ics", f"/meetings/{slug}/agenda.ics", "/meetings.ics"]:
        assert f'<link rel="alternate" type="text/calendar" href="{feed}"' in page
    assert f'href="/meetings/{slug}.ics" download>Descargar (.ics)</a>' in page
    assert f'href="webcal://testserver/meetings/{slug}/agenda.ics">Suscribirse a la agenda</a>' in page
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE&amp;text=III+Reuni%C3%B3n" in page
    assert "dates=20220531T150000Z%2F20220531T170000Z" in page
    assert "https://outlook.live.com/calendar/0/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose" in page
    assert "startdt=2022-05-31T15%3A00%3A00%2B00%3A00" in page
    tema_2 = seed_meeting.agenda_items.get(title__startswith="TEMA 2")
    assert f'href="/meetings/{slug}/items/{tema_2.uuid}.ics" download' in page


def test_home_page_offers_the_series_feed(client, seed_meeting):
    page = client.get(reverse("agenda:meeting-list")).content.decode()
    assert '<link rel="alternate" type="text/calendar" href="/meetings.ics"' in page
    assert 'href="webcal://testserver/meetings.ics">Suscribirse a todas las plenarias</a>' in page


def test_tz_parameter_adds_the_viewers_times_and_is_remembered(client, seed_meeting):
    response = client.get(seed_meeting.get_absolute_url() + "?tz=America/Santiago")
    page = response.content.decode()
    assert "11:00–13:00 en Santiago de Chile · GMT-4" in page
    rows = table_rows(page)
    assert rows[0] == ["Horario (GMT-6)", "Su hora (Santiago de Chile · GMT-4)", "Actividad", "Participantes"]
    assert rows[1][:3] == ["09:00 – 09:15", "11:00 – 11:15", "Apertura"]
    assert response.cookies["plenary_tz"].value == "America/Santiago"
    again = client.get(seed_meeting.get_absolute_url()).content.decode()
    assert "Su hora (Santiago de Chile · GMT-4)" in again


def test_viewer_in_the_meetings_offset_gets_no_second_column(client, seed_meeting):
    page = client.get(seed_meeting.get_absolute_url() + "?tz=America/Guatemala").content.decode()
    assert table_rows(page)[0] == ["Horario (GMT-6)", "Actividad", "Participantes"]


def test_unknown_zone_gets_a_message_and_the_meetings_zone(client, seed_meeting):
    response = client.get(seed_meeting.get_absolute_url() + "?tz=Marte/Olympus")
    page = response.content.decode()
    assert response.status_code == 200
    assert "«Marte/Olympus» no es una zona horaria conocida" in page
    assert table_rows(page)[0] == ["Horario (GMT-6)", "Actividad", "Participantes"]
    assert "plenary_tz" not in response.cookies


def test_late_meeting_marks_the_next_day_for_the_viewer(client, db):
    from .factories import MeetingFactory

    meeting = MeetingFactory(starts_at=at(12 * 60), ends_at=at(13 * 60))  # 21:00–22:00 GMT-6
    AgendaItemFactory(
        meeting=meeting, title="Sesión nocturna", starts_at=meeting.starts_at, ends_at=meeting.ends_at
    )
    page = client.get(meeting.get_absolute_url() + "?tz=America/Sao_Paulo").content.decode()
    assert table_rows(page)[1][:2] == ["21:00 – 22:00", "00:00 (+1 día) – 01:00 (+1 día)"]


def test_delegation_table_lists_all_23_members(client, seed_meeting):
    page = client.get(seed_meeting.get_absolute_url()).content.decode()
    rows = table_rows(page, "delegation-table")
    assert len(rows) == 1 + 23
    by_country = {row[0]: row for row in rows[1:]}
    assert by_country["Canadá"][1:] == ["Ottawa · GMT-4", by_country["Canadá"][2]]
    assert by_country["Canadá"][2].startswith("11:00–13:00")
    assert "San Juan de Terranova · GMT-2:30: 12:30–14:30" in by_country["Canadá"][2]
    assert by_country["México"][1] == "Ciudad de México · GMT-5"
    assert by_country["Brasil"][1] == "Brasília · GMT-3"
    assert by_country["Brasil"][2].startswith("12:00–14:00")


def test_zone_chooser_groups_zones_by_member_country(client, seed_meeting):
    page = client.get(seed_meeting.get_absolute_url()).content.decode()
    assert '<optgroup label="Chile">' in page
    assert '<option value="America/Santiago">Santiago de Chile · GMT-4</option>' in page
    assert 'name="tz"' in page and 'method="get"' in page


def test_a_public_page_is_built_once_until_something_changes(
    client, seed_meeting, django_assert_num_queries, django_capture_on_commit_callbacks, monkeypatch
):
    # Built for this minute: held past its end, so that a slow run can't cross it mid-test.
    monkeypatch.setattr(pages, "next_minute", lambda: timezone.now() + timedelta(hours=1))
    first = client.get(seed_meeting.get_absolute_url())
    with django_assert_num_queries(1):  # the content version
        again = client.get(seed_meeting.get_absolute_url())
    assert again.content == first.content
    assert client.get(seed_meeting.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    tema_2 = seed_meeting.agenda_items.get(title__startswith="TEMA 2")
    with django_capture_on_commit_callbacks(execute=True):
        tema_2.title_es = "TEMA 2. Agenda Regional Migratoria (revisada)"
        tema_2.save()
    assert "(revisada)" in client.get(seed_meeting.get_absolute_url()).content.decode()


def test_a_signed_in_reader_gets_a_page_built_for_them(secretariat_client, seed_meeting):
    seed_meeting.status = seed_meeting.Status.DRAFT
    seed_meeting.save()
    page = secretariat_client.get(seed_meeting.get_absolute_url())
    assert page.status_code == 200 and "Borrador" in page.content.decode()


def test_parameters_a_page_does_not_read_lead_to_its_one_address(client, seed_meeting):
    url = seed_meeting.get_absolute_url()
    for junk in range(3):
        response = client.get(url, {"tz": "America/Santiago", f"x{junk}": "y"})
        assert (response.status_code, response["Location"]) == (301, url + "?tz=America%2FSantiago")
    assert client.get("/?utm_source=correo")["Location"] == "/"


def test_a_made_up_session_cookie_is_served_the_cached_page(
    client, seed_meeting, django_assert_num_queries, monkeypatch
):
    # Built for this minute: held past its end, so that a slow run can't cross it mid-test.
    monkeypatch.setattr(pages, "next_minute", lambda: timezone.now() + timedelta(hours=1))
    first = client.get(seed_meeting.get_absolute_url())
    client.cookies["sessionid"] = "inventada"
    with django_assert_num_queries(2):  # the session looked up, the content version
        again = client.get(seed_meeting.get_absolute_url())
    assert again.content == first.content


def test_page_fragments_follow_what_they_show_not_only_the_content_version(
    client, seed_meeting, django_capture_on_commit_callbacks
):
    from agenda.models import Conference, Country

    url = seed_meeting.get_absolute_url()
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        seed_meeting.background_es = "Antecedentes revisados por la Secretaría."
        seed_meeting.save()
        spain = Country.objects.get_or_create(code="ES", defaults={"name": "España"})[0]
        Conference.objects.get(acronym="CSM").members.add(spain)
    page = client.get(url).content.decode()
    assert "Antecedentes revisados por la Secretaría." in page, "the concept note, by the meeting's version"
    assert '<tr id="country-ES">' in page, "the delegations' table, by the member countries"
    assert '<optgroup label="España">' in page, "the zone chooser, by the member countries"
