"""Registered participants: importing the secretariat's list, and each one's private link."""

import logging
from html import unescape

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agenda import registrations
from agenda.logs import HidePrivateTokens
from agenda.models import Country, Meeting, MeetingDocument, Registration

from .factories import MeetingFactory, secretariat_user, staff_user

JOIN_LINK = "https://zoom.us/j/81234567890?pwd=plenaria"
SPANISH_EXCEL = (
    "Nombre;Correo electrónico;Delegación u organización;Rol\r\n"
    "María José Núñez;MJNUNEZ@rree.gob.sv;Delegación de El Salvador;Delegada\r\n"
    "João Pereira;joao.pereira@itamaraty.gov.br;Delegação do Brasil;delegado\r\n"
    "Ana Gómez;agomez@iom.int;OIM;Observadora\r\n"
).encode("cp1252", errors="replace")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def meeting(db) -> Meeting:
    return MeetingFactory(
        title="Reunión con registro",
        video_call_url=JOIN_LINK,
        join_link_visibility=Meeting.JoinLinkVisibility.REGISTERED,
        conferences=["CRM", "CSM"],
    )


def register(meeting: Meeting, email: str = "delegada@rree.gob.sv") -> Registration:
    return Registration.objects.create(
        meeting=meeting, name="María José Núñez", email=email, affiliation="Delegación de El Salvador"
    )


def add_document(meeting: Meeting, title: str, audience: str) -> MeetingDocument:
    return MeetingDocument.objects.create(
        meeting=meeting,
        title=title,
        audience=audience,
        file=SimpleUploadedFile(f"{title}.pdf", b"%PDF-1.4 " + title.encode()),
    )


def test_a_spanish_excel_list_registers_everyone_and_can_be_imported_again(meeting):
    result = registrations.import_registrations(meeting, SPANISH_EXCEL)
    assert (result.created, result.updated) == (3, 0)
    nunez = Registration.objects.get(email="mjnunez@rree.gob.sv")
    assert (nunez.name, nunez.role) == ("María José Núñez", Registration.Role.DELEGATE)
    assert Registration.objects.get(email="agomez@iom.int").role == Registration.Role.OBSERVER

    corrected = SPANISH_EXCEL.replace(b"Observadora", b"Sociedad civil")
    result = registrations.import_registrations(meeting, corrected)
    assert (result.created, result.updated) == (0, 3)
    assert Registration.objects.get(email="agomez@iom.int").role == Registration.Role.CIVIL_SOCIETY


@pytest.mark.parametrize(
    "data, message",
    [
        (
            b"name,email,organisation,role\nAna,not-an-email,OIM,observer\nLuis,luis@x.org,OIM,ministro\n"
            b"Ana B,ana@x.org,OIM,observer\nAna C,ANA@x.org,OIM,observer\n",
            [
                "Línea 2: Introduzca una dirección de correo electrónico válida.",
                "Línea 3: «ministro» no es un rol: escriba delegado, observador o sociedad civil.",
                "Línea 5: ana@x.org también está en la línea 4.",
            ],
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["El archivo no es texto"]),
        (b"", ["El archivo está vacío."]),
        (b"nombre,correo\nAna,ana@x.org\n", ["La primera línea debe nombrar las columnas"]),
        (b"name,email,organisation,role\n", ["El archivo tiene encabezados pero ningún participante."]),
        (b"name,email,organisation,role\n" + b'"Ana,ana@x.org,OIM,observer\n' * 2, ["no es un CSV legible"]),
        (
            b"name,email,organisation,role\n" + b'=HYPERLINK("http://evil"),x@y.org,<script>,observer\n',
            None,
        ),
    ],
)
def test_a_malformed_or_hostile_list_is_refused_whole(meeting, data, message):
    register(meeting, "ya@registrada.org")
    before = list(Registration.objects.values_list("email", "name", "role"))
    if message is None:
        # Formula and markup are kept as plain text: escaped on pages, never evaluated.
        registrations.import_registrations(meeting, data)
        assert Registration.objects.get(email="x@y.org").affiliation == "<script>"
        return
    with pytest.raises(ValidationError) as refused:
        registrations.import_registrations(meeting, data)
    for expected in message:
        assert any(expected in problem for problem in refused.value.messages), refused.value.messages
    assert list(Registration.objects.values_list("email", "name", "role")) == before


def test_the_admin_import_reports_problems_by_line_and_saves_nothing(client, meeting):
    client.force_login(secretariat_user())
    url = reverse("admin:agenda_registration_import")
    bad = SimpleUploadedFile("lista.csv", b"name,email,organisation,role\nAna,ana@x.org,OIM,jefa\n")
    response = client.post(url, {"meeting": str(meeting.pk), "file": bad})
    assert response.status_code == 200
    assert "Línea 2: «jefa» no es un rol" in response.content.decode()
    assert not Registration.objects.exists()
    good = SimpleUploadedFile("lista.csv", SPANISH_EXCEL)
    response = client.post(url, {"meeting": str(meeting.pk), "file": good})
    assert response.status_code == 302
    assert Registration.objects.filter(meeting=meeting).count() == 3


def test_the_private_page_and_feed_carry_the_join_link_and_participant_documents(client, meeting, media):
    add_document(meeting, "Nota conceptual", MeetingDocument.Audience.PUBLIC)
    private_document = add_document(meeting, "Borrador de declaración", MeetingDocument.Audience.PARTICIPANTS)
    registration = register(meeting)

    public_page = client.get(meeting.get_absolute_url()).content.decode()
    assert JOIN_LINK.split("?")[0] not in public_page
    assert "Nota conceptual" in public_page and "Borrador de declaración" not in public_page

    private = client.get(registration.get_private_url())
    page = private.content.decode()
    assert private.status_code == 200
    assert JOIN_LINK.replace("&", "&amp;") in page or JOIN_LINK in page
    assert "Borrador de declaración" in page
    assert private["Cache-Control"] == "private, no-store" and private["Referrer-Policy"] == "same-origin"

    feed = icalendar.Calendar.from_ical(
        client.get(reverse("agenda:private-ical", args=[registration.token])).content
    )
    event = next(iter(feed.walk("VEVENT")))
    assert str(event["CONFERENCE"]) == JOIN_LINK
    public_feed = client.get(reverse("agenda:meeting-ical", args=[meeting.slug])).content.decode()
    assert "zoom.us/j/81234567890" not in public_feed.replace("\r\n ", "")

    by_link = client.get(reverse("agenda:private-document", args=[registration.token, private_document.uuid]))
    assert by_link.status_code == 200 and b"".join(by_link.streaming_content).startswith(b"%PDF")
    publicly = client.get(reverse("agenda:public-document", args=[meeting.slug, private_document.uuid]))
    assert publicly.status_code == 404


def test_a_participants_copy_of_an_event_is_not_the_public_event_under_the_same_revision(client, meeting):
    # One UID + SEQUENCE + DTSTAMP must stand for one text: a calendar holding both copies
    # would otherwise keep whichever it read first, with or without the join link.
    registration = register(meeting)
    private = icalendar.Calendar.from_ical(
        client.get(reverse("agenda:private-ical", args=[registration.token])).content
    )
    public = icalendar.Calendar.from_ical(
        client.get(reverse("agenda:meeting-ical", args=[meeting.slug])).content
    )
    (private_event,) = private.walk("VEVENT")
    (public_event,) = public.walk("VEVENT")
    assert "CONFERENCE" in private_event and "CONFERENCE" not in public_event
    assert str(private_event["UID"]) != str(public_event["UID"]) == str(meeting.uuid)
    # Stable: every participant's copy, and every poll of it, is the same event.
    other = register(meeting, "otro@cancilleria.gob.gt")
    again = icalendar.Calendar.from_ical(
        client.get(reverse("agenda:private-ical", args=[other.token])).content
    )
    assert str(next(iter(again.walk("VEVENT")))["UID"]) == str(private_event["UID"])


def test_revoking_a_link_stops_it_at_once_and_a_new_link_replaces_it(client, meeting, media):
    document = add_document(meeting, "Borrador", MeetingDocument.Audience.PARTICIPANTS)
    registration = register(meeting)
    old_token = registration.token
    urls = [
        reverse("agenda:private-page", args=[old_token]),
        reverse("agenda:private-ical", args=[old_token]),
        reverse("agenda:private-document", args=[old_token, document.uuid]),
    ]
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]  # now cached, too

    registration.revoke()
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]

    registration.issue_new_link()
    assert registration.token != old_token
    assert client.get(registration.get_private_url()).status_code == 200
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]


def test_an_altered_or_guessed_token_gets_404(client, meeting):
    token = register(meeting).token
    key, signature = token.split(":")
    altered = [
        f"{key}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        f"{key[:-1]}{'x' if key[-1] != 'x' else 'y'}:{signature}",
        key,
        "abc",
        f"{'A' * 32}:{'B' * 27}",
    ]
    for guess in altered:
        assert client.get(reverse("agenda:private-page", args=[guess])).status_code == 404, guess


def test_a_link_to_a_draft_meeting_shows_nothing(client, meeting):
    registration = register(meeting)
    meeting.status = Meeting.Status.DRAFT
    meeting.save()
    assert client.get(registration.get_private_url()).status_code == 404


def test_tokens_are_never_logged_in_full(client, meeting, caplog):
    token = register(meeting).token
    with caplog.at_level(logging.INFO):
        client.get(reverse("agenda:private-page", args=[token + "x"]))
        # Gunicorn's access log, as gunicorn writes it: a format and a dict of atoms.
        logging.getLogger("gunicorn.access").info(
            "%(r)s %(s)s", {"r": f"GET /p/{token}/ HTTP/1.1", "s": "200"}
        )
    assert caplog.records, "the 404 and the access line were logged"
    assert all(token[:12] not in record.getMessage() for record in caplog.records)
    assert any(f"/p/{token[:6]}…" in record.getMessage() for record in caplog.records)
    assert HidePrivateTokens().filter(logging.makeLogRecord({"msg": f"/p/{token}/meeting.ics"}))


def test_a_secretary_sees_only_their_conferences_participants(client, db):
    crm_meeting = MeetingFactory(conferences=["CRM"])
    csm_meeting = MeetingFactory(conferences=["CSM"])
    register(crm_meeting, "crm@x.org")
    theirs = register(csm_meeting, "csm@x.org")
    client.force_login(staff_user("se_crm", conferences=("CRM",)))
    listing = client.get(reverse("admin:agenda_registration_changelist")).content.decode()
    assert "crm@x.org" in listing and "csm@x.org" not in listing
    response = client.post(
        reverse("admin:agenda_registration_changelist"),
        {"action": "revoke_links", "_selected_action": [str(theirs.pk)]},
    )
    assert response.status_code in (200, 302)
    assert not Registration.objects.get(pk=theirs.pk).is_revoked


def test_a_document_of_the_wrong_kind_or_size_is_refused(meeting, media, settings):
    from agenda.models.registrations import MAX_DOCUMENT_BYTES

    program = MeetingDocument(
        meeting=meeting, title="Instalador", file=SimpleUploadedFile("setup.exe", b"MZ")
    )
    with pytest.raises(ValidationError) as refused:
        program.full_clean()
    assert "exe" in str(refused.value)
    huge = SimpleUploadedFile("acta.pdf", b"0" * (MAX_DOCUMENT_BYTES + 1))
    with pytest.raises(ValidationError) as refused:
        MeetingDocument(meeting=meeting, title="Acta", file=huge).full_clean()
    assert "25 MB" in str(refused.value)


def test_the_secretariat_lists_revoked_links_apart(client, meeting):
    client.force_login(secretariat_user())
    register(meeting, "activa@x.org")
    register(meeting, "revocada@x.org").revoke()
    listing = reverse("admin:agenda_registration_changelist")
    revoked = client.get(listing + "?link=revoked").content.decode()
    assert "revocada@x.org" in revoked and "activa@x.org" not in revoked
    active = client.get(listing + "?link=active").content.decode()
    assert "activa@x.org" in active and "revocada@x.org" not in active


def test_a_country_column_names_each_delegations_country_by_name_or_code(meeting):
    Country.objects.get_or_create(code="CL", defaults={"name": "Chile"})
    Country.objects.get_or_create(code="MX", defaults={"name": "México"})
    data = "nombre;correo;delegación;rol;país\nPaula;paula@minrel.cl;Chile;delegada;cl\nAna;ana@sre.gob.mx;México;delegada;Mexico\nOlga;olga@iom.int;OIM;observadora;\n"
    registrations.import_registrations(meeting, data.encode())
    assert dict(Registration.objects.values_list("affiliation", "country_id")) == {
        "Chile": "CL",
        "México": "MX",
        "OIM": None,
    }
    with pytest.raises(ValidationError) as refused:
        registrations.import_registrations(meeting, data.replace("cl\n", "Narnia\n").encode())
    assert refused.value.messages == [
        "Línea 2: «Narnia» no es un país que conozcamos: escriba su nombre o código ISO."
    ]


def test_the_secretariat_lists_the_interpretation_channels_and_registered_participants_see_them(
    client, seed_meeting
):
    from .admin_posts import meeting_post

    client.force_login(secretariat_user())
    url = reverse("admin:agenda_meeting_change", args=[seed_meeting.pk])
    channels = [
        {"language": "es", "channel": "Sala principal (Zoom)", "position": "0"},
        {"language": "en", "channel": "Canal 2 (Zoom)", "position": "1"},
        {"language": "en", "channel": "Canal 3", "position": "2"},
    ]
    twice = client.post(url, meeting_post(seed_meeting, channels=channels))
    assert twice.status_code == 200, "one channel per language"
    assert not seed_meeting.interpretation_channels.exists(), "nothing saved"
    channels[2] = {"language": "pt", "channel": "Canal 3 (Zoom)", "position": "2"}
    assert client.post(url, meeting_post(seed_meeting, channels=channels)).status_code == 302
    client.logout()
    registration = Registration.objects.create(
        meeting=seed_meeting, name="Ana", email="ana@sre.gob.mx", affiliation="México"
    )
    private = unescape(client.get(registration.get_private_url(), {"lang": "en"}).content.decode())
    assert "<strong>Spanish</strong>: Sala principal (Zoom)" in private
    assert "<strong>Portuguese</strong>: Canal 3 (Zoom)" in private
    public = client.get(seed_meeting.get_absolute_url()).content.decode()
    assert 'id="interpretation"' not in public, "for registered participants only"
