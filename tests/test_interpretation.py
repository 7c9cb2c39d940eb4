"""Interpretation: the language a delegation speaks in, its statement sent ahead, the interpreters' link."""

import csv
import io
import zipfile
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agenda import live, record, reports
from agenda.models import InterpretationChannel, LiveEvent, MeetingDocument, Registration, Statement

from .factories import secretariat_user
from .test_floor_pages import register
from .test_live import t

SLUG = "iii-reunion-plenaria-crm-csm"
Kind = LiveEvent.Kind
CHILE_SAYS = (
    "Chile agradece a la Presidencia Pro Tempore y propone un grupo de trabajo sobre movilidad laboral."
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def people(seed_meeting):
    return {
        "Chile": register(seed_meeting, "Chile", "paula@minrel.cl"),
        "México": register(seed_meeting, "México", "ana@sre.gob.mx"),
        "interpreter": register(
            seed_meeting, "Intérpretes", "joao@interpretes.org", Registration.Role.INTERPRETER
        ),
    }


def page_of(client, registration) -> str:
    return unescape(client.get(registration.get_private_url()).content.decode())


def post(client, registration, item, action="ask", **fields):
    url = reverse("agenda:private-floor", args=[registration.token])
    return client.post(url, {"action": action, "item": str(item.uuid), **fields}, follow=True)


def said(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def pdf_file(name="declaracion-chile.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% Chile\n", content_type="application/pdf")


def docx_file(name="declaracion.docx") -> SimpleUploadedFile:
    body = io.BytesIO()
    with zipfile.ZipFile(body, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, body.getvalue())


def statement_url(registration, statement) -> str:
    return reverse("agenda:private-statement", args=[registration.token, statement.uuid])


def test_a_delegation_says_its_language_and_sends_its_statement_which_only_the_interpreters_and_it_read(
    client, seed_meeting, tema_1, people
):
    chile, mexico, interpreter = people["Chile"], people["México"], people["interpreter"]
    response = post(
        client, chile, tema_1, language="en", statement_text=CHILE_SAYS, statement_file=pdf_file()
    )
    assert "Su declaración está con los intérpretes" in said(response)
    statement = Statement.objects.get()
    assert statement.text == CHILE_SAYS and statement.file_name == "declaracion-chile.pdf"
    assert statement.sent_by == chile
    assert list(LiveEvent.objects.values_list("kind", flat=True)) == [Kind.ASK_FLOOR, Kind.SEND_STATEMENT]
    assert LiveEvent.objects.get(kind=Kind.ASK_FLOOR).language == "en"

    interpreters = page_of(client, interpreter)
    assert (
        CHILE_SAYS in interpreters
        and "inglés" in interpreters
        and "Cotejar con el discurso pronunciado" in interpreters
    )
    assert "declaracion-chile.pdf" in interpreters
    # Nobody else reads it: not the public, not another delegation, not a guessed address.
    assert CHILE_SAYS not in unescape(client.get(seed_meeting.get_absolute_url()).content.decode())
    assert CHILE_SAYS not in page_of(client, mexico)
    assert client.get(statement_url(mexico, statement)).status_code == 404
    assert client.get(reverse("agenda:meeting-statement", args=[SLUG, statement.uuid])).status_code == 403
    # The interpreters, the delegation itself and the secretariat do.
    for reader in (interpreter, chile):
        answer = client.get(statement_url(reader, statement))
        assert answer.status_code == 200 and b"".join(answer.streaming_content).startswith(b"%PDF-")
        assert answer["Cache-Control"] == "private, no-store" or "no-store" in answer["Cache-Control"]
    client.force_login(secretariat_user())
    assert client.get(reverse("agenda:meeting-statement", args=[SLUG, statement.uuid])).status_code == 200
    console = unescape(client.get(reverse("agenda:timekeeper", args=[SLUG])).content.decode())
    assert 'class="floor-language badge text-bg-info"' in console and ">inglés<" in console
    assert reverse("agenda:meeting-statement", args=[SLUG, statement.uuid]) in console


@pytest.mark.parametrize(
    "upload, reason",
    [
        (SimpleUploadedFile("declaracion.exe", b"MZ..."), "La extensión de archivo “exe” no esta permitida"),
        (SimpleUploadedFile("declaracion.pdf", b"MZ not a pdf"), "no es un archivo PDF ni Word"),
        (SimpleUploadedFile("declaracion.docx", b"PK not a zip"), "no es un archivo PDF ni Word"),
    ],
)
def test_a_statement_of_the_wrong_type_is_refused_with_its_reason_and_nothing_is_saved(
    client, tema_1, people, media, upload, reason
):
    response = post(client, people["Chile"], tema_1, statement_file=upload)
    assert reason in said(response)
    assert not LiveEvent.objects.exists() and not Statement.objects.exists()
    assert not (media / "statements").exists() or not any((media / "statements").iterdir())


def test_a_statement_over_the_documents_limit_is_refused(client, tema_1, people, monkeypatch):
    monkeypatch.setattr("agenda.models.registrations.MAX_DOCUMENT_BYTES", 10)
    response = post(client, people["Chile"], tema_1, statement_file=pdf_file())
    assert "el límite es" in said(response)
    assert not LiveEvent.objects.exists() and not Statement.objects.exists()


def test_a_refused_request_keeps_no_statement(client, seed_meeting, tema_1, people, media):
    live.act(seed_meeting, Kind.CLOSE_LIST, tema_1, by=secretariat_user(), at=t("08:00"))
    response = post(client, people["Chile"], tema_1, statement_text=CHILE_SAYS, statement_file=pdf_file())
    assert "La lista de oradores de “TEMA 1" in said(response) and "está cerrada" in said(response)
    assert LiveEvent.objects.filter(kind=Kind.ASK_FLOOR).count() == 0
    assert not Statement.objects.exists()
    assert not (media / "statements").exists() or not any((media / "statements").iterdir())


def test_a_statement_sent_again_replaces_the_first_and_its_file(
    client, tema_1, people, media, django_capture_on_commit_callbacks
):
    chile = people["Chile"]
    post(client, chile, tema_1, statement_file=docx_file())
    first = Statement.objects.get()
    first_file = media / first.file.name
    assert first_file.exists()
    page = page_of(client, chile)
    assert "Su declaración llegó a los intérpretes el" in page and "Reemplazarla" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, chile, tema_1, action="statement", statement_text="Nueva versión.")
    assert "Su declaración está con los intérpretes" in said(response)
    replaced = Statement.objects.get()
    assert (replaced.pk, replaced.uuid, replaced.text, replaced.file.name) == (
        first.pk,
        first.uuid,
        "Nueva versión.",
        "",
    )
    assert not first_file.exists(), "the replaced file is gone"
    assert LiveEvent.objects.filter(kind=Kind.SEND_STATEMENT).count() == 2
    assert "Nueva versión." in page_of(client, people["interpreter"])


def test_an_empty_statement_or_one_without_a_request_is_refused(client, tema_1, people):
    chile = people["Chile"]
    assert "Escriba la declaración o adjúntela" in said(post(client, chile, tema_1, action="statement"))
    response = post(client, chile, tema_1, action="statement", statement_text=CHILE_SAYS)
    assert "Su delegación no ha pedido la palabra en este punto" in said(response)
    assert not LiveEvent.objects.exists() and not Statement.objects.exists()


def test_a_statement_cannot_be_sent_once_its_request_was_heard(seed_meeting, tema_1, people):
    chile = people["Chile"]
    live.ask(chile, tema_1, at=t("08:00"))
    live.start_meeting(seed_meeting, by=None, at=t("09:00"))
    live.start_item(seed_meeting, tema_1, by=None, at=t("09:15"))
    request = live.load_replay(seed_meeting).floors[tema_1.pk].waiting[0]
    live.act(seed_meeting, Kind.GIVE_FLOOR, tema_1, by=None, at=t("09:16"), request_id=request.id)
    # While it speaks, a statement still reaches the interpreters; once it has spoken, none does.
    live.send_statement(chile, tema_1, Statement(text=CHILE_SAYS), at=t("09:17"))
    live.act(seed_meeting, Kind.END_INTERVENTION, tema_1, by=None, at=t("09:18"), request_id=request.id)
    with pytest.raises(live.LiveActionRefused) as refused:
        live.send_statement(chile, tema_1, Statement(text="Tarde."), at=t("09:19"))
    assert refused.value.messages == ["Su delegación no ha pedido la palabra en este punto: pídala primero."]
    assert Statement.objects.get().text == CHILE_SAYS


def test_the_interpreters_page_shows_who_speaks_now_and_next_in_which_language_with_the_channels(
    client, seed_meeting, tema_1, people
):
    chile, mexico = people["Chile"], people["México"]
    InterpretationChannel.objects.create(meeting=seed_meeting, language="pt", channel="Canal 3 (Zoom)")
    live.ask(chile, tema_1, at=t("08:00"), language="es", statement=Statement(text=CHILE_SAYS))
    live.ask(mexico, tema_1, at=t("08:01"), language="en")
    live.start_meeting(seed_meeting, by=None, at=t("09:00"))
    live.start_item(seed_meeting, tema_1, by=None, at=t("09:15"))
    first = live.load_replay(seed_meeting).floors[tema_1.pk].waiting[0]
    live.act(seed_meeting, Kind.GIVE_FLOOR, tema_1, by=None, at=t("09:16"), request_id=first.id)

    projection = live.project(live.load_replay(seed_meeting), t("09:17"))
    (read,) = live.interpreted_lists(projection, live.statements_by_request(seed_meeting))
    assert read.is_now and read.speaking.request.delegation == "Chile"
    assert read.speaking.statement.text == CHILE_SAYS and read.speaking.language_name == "español"
    assert [(turn.request.delegation, turn.language_name, turn.statement) for turn in read.waiting] == [
        ("México", "inglés", None)
    ]
    document = MeetingDocument.objects.create(
        meeting=seed_meeting, title="Nota conceptual", file=SimpleUploadedFile("nota.pdf", b"%PDF-1.4")
    )
    page = page_of(client, people["interpreter"])
    assert "Portugués: Canal 3 (Zoom)".lower() in page.lower()
    assert reverse("agenda:private-document", args=[people["interpreter"].token, document.uuid]) in page
    assert 'data-reload-from-version="' in page, "a press on the console reloads it"
    assert "no se envió declaración" in page  # México's
    # An interpreter reads; it does not ask for the floor.
    response = post(client, people["interpreter"], tema_1)
    assert "no está abierta a: Intérprete" in said(response)
    assert LiveEvent.objects.filter(kind=Kind.ASK_FLOOR).count() == 2


def test_delivered_statements_are_filed_with_the_record_and_undelivered_ones_are_not(
    seed_meeting, tema_1, people
):
    chile, mexico = people["Chile"], people["México"]
    live.ask(
        chile, tema_1, at=t("08:00"), language="en", statement=Statement(text=CHILE_SAYS + "\n\nGracias.")
    )
    live.ask(mexico, tema_1, at=t("08:01"), statement=Statement(text="México no llegó a hablar."))
    live.start_meeting(seed_meeting, by=None, at=t("09:00"))
    live.start_item(seed_meeting, tema_1, by=None, at=t("09:15"))
    chile_request, mexico_request = live.load_replay(seed_meeting).floors[tema_1.pk].waiting
    live.act(seed_meeting, Kind.GIVE_FLOOR, tema_1, by=None, at=t("09:16"), request_id=chile_request.id)
    live.act(seed_meeting, Kind.END_INTERVENTION, tema_1, by=None, at=t("09:19"), request_id=chile_request.id)
    live.act(seed_meeting, Kind.SKIP, tema_1, by=None, at=t("09:20"), request_id=mexico_request.id)

    built = record.build_record(seed_meeting, "https://plenary.example/meetings/x/")
    texts = [getattr(block, "text", "") for block in built.blocks]
    start = texts.index("Declaraciones pronunciadas")
    assert texts[start + 3 : start + 6] == [
        "Chile · inglés · pronunciada a las 09:16",
        CHILE_SAYS,
        "Gracias.",
    ]
    assert "México no llegó a hablar." not in texts
    spreadsheet = io.StringIO()
    reports.write_interventions_csv(live.load_replay(seed_meeting), seed_meeting.zone, spreadsheet)
    lines = list(csv.DictReader(io.StringIO(spreadsheet.getvalue())))
    assert [(line["delegation"], line["language"]) for line in lines] == [("Chile", "en"), ("México", "")]
    word = record.render_record_docx(built)
    assert CHILE_SAYS.encode() in zipfile.ZipFile(io.BytesIO(word)).read("word/document.xml")


def test_an_interpreter_is_registered_from_a_spreadsheet_as_intérprete():
    from agenda.registrations import role_from

    assert role_from("Intérprete") == Registration.Role.INTERPRETER
