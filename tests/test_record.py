"""The meeting's record, made from what is stored: read back from the PDF's text and the Word file."""

import io
from datetime import timedelta

import docx
import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from agenda import live, outcomes
from agenda.models import AgendaItem, LiveEvent, Registration, SpeakersList

from .factories import staff_user
from .test_live import t
from .test_outcomes import concluded as concluded  # the fixture: the III Plenaria with its commitments
from .test_outcomes import tema

SLUG = "iii-reunion-plenaria-crm-csm"
Kind = LiveEvent.Kind


@pytest.fixture
def held(concluded):
    """The III Plenaria as held: the clock run, Chile and México heard on TEMA 1, OIM absent."""
    SpeakersList.objects.create(item=tema(1), minutes_per_intervention=3)
    people = {}
    for delegation, name, present in [
        ("Chile", "Paula", True),
        ("México", "Ana", True),
        ("OIM", "Olga", False),
    ]:
        people[delegation] = Registration.objects.create(
            meeting=concluded,
            name=name,
            email=f"{name.lower()}@example.org",
            affiliation=delegation,
            present=present,
            role=Registration.Role.OBSERVER if delegation == "OIM" else Registration.Role.DELEGATE,
        )
    for delegation in ("México", "Chile"):
        live.ask(people[delegation], tema(1), at=t("08:50"))
    live.start_meeting(concluded, by=None, at=t("09:00"))
    live.next_item(concluded, AgendaItem.objects.get(title="Apertura"), by=None, at=t("09:17"))
    waiting = live.load_replay(concluded).floors[tema(1).pk].waiting
    live.act(concluded, Kind.GIVE_FLOOR, tema(1), by=None, at=t("09:40"), request_id=waiting[0].id)
    live.act(
        concluded,
        Kind.GIVE_FLOOR,
        tema(1),
        by=None,
        at=t("09:43") + timedelta(seconds=30),
        request_id=waiting[1].id,
    )
    live.next_item(concluded, tema(1), by=None, at=t("10:05"))
    outcomes.publish_conclusions(concluded)
    return concluded


@pytest.fixture
def secretariat(client, db):
    client.force_login(staff_user())
    return client


def pdf_text(body: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(body)).pages)


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            "es",
            [
                "Acta: III Reunión Plenaria",
                "La agenda tal como se celebró",
                "TEMA 1. Recomendaciones",
                "09:15–10:00 09:17–10:05 45 / 48",
                "México Ana 09:40 03:30 00:30",
                "Chile Paula 09:43 21:30 18:30",
                "OIM: Olga (ausente)",
                "Se acordó seguir las recomendaciones del FEMI.",
                "Propuesta de agenda común — PPT CSM · En curso",
            ],
        ),
        (
            "en",
            [
                "Record: III Plenary Meeting",
                "The agenda as held",
                "México Ana 09:40 03:30 00:30",
                "OIM: Olga (absent)",
                "Propuesta de agenda común — PPT CSM · In progress",
            ],
        ),
    ],
)
def test_the_pdf_record_reads_the_meeting_as_held_in_two_languages(secretariat, held, language, expected):
    response = secretariat.get(reverse("agenda:meeting-record", args=[SLUG, "pdf"]), {"lang": language})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{SLUG}-record.pdf"'
    text = pdf_text(response.content)
    for line in expected:
        assert line in text, (line, text[:3000])


def test_the_word_record_opens_with_headings_and_tables_to_edit(secretariat, held):
    response = secretariat.get(reverse("agenda:meeting-record", args=[SLUG, "docx"]), {"lang": "es"})
    document = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[:2] == [held.title, "La agenda tal como se celebró"]
    assert (
        "Intervenciones" in headings
        and "Participantes" in headings
        and "Conclusiones y compromisos" in headings
    )
    timing, interventions = document.tables
    assert [cell.text for cell in timing.rows[2].cells] == [
        tema(1).title,
        "09:15–10:00",
        "09:17–10:05",
        "45 / 48",
    ]
    assert [cell.text for cell in interventions.rows[1].cells] == ["México", "Ana", "09:40", "03:30", "00:30"]
    paragraphs = [p.text for p in document.paragraphs]
    assert "OIM: Olga (ausente)" in paragraphs
    assert "Se acordó seguir las recomendaciones del FEMI." in paragraphs, "CommonMark as plain text"
    assert document.core_properties.title == held.title


def test_the_record_is_the_secretariats_of_the_meetings_conferences(client, held):
    url = reverse("agenda:meeting-record", args=[SLUG, "docx"])
    assert client.get(url).status_code in (302, 403)
    client.force_login(staff_user("otra", conferences=()))
    assert client.get(url).status_code == 403
    client.force_login(staff_user("secretaria"))
    assert client.get(reverse("agenda:meeting-record", args=[SLUG, "odt"])).status_code == 404


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_and_the_word_record_hold_the_same_blocks(secretariat, held):
    """Built once (`record.build_record`): every heading, line and cell is in both files."""
    from agenda import record

    with translation.override("es"):
        built = record.build_record(held, "https://plenary.example/meetings/iii/")
    pdf = words(pdf_text(secretariat.get(reverse("agenda:meeting-record", args=[SLUG, "pdf"])).content))
    word = docx.Document(
        io.BytesIO(secretariat.get(reverse("agenda:meeting-record", args=[SLUG, "docx"])).content)
    )
    word_lines = [words(p.text) for p in word.paragraphs]
    word_cells = [[words(cell.text) for cell in row.cells] for table in word.tables for row in table.rows]
    tables = 0
    for block in built.blocks:
        if isinstance(block, record.Table):
            tables += 1
            for row in [block.headings, *block.rows]:
                assert [words(cell) for cell in row] in word_cells, row
                assert " ".join(words(cell) for cell in row) in pdf, row
        elif isinstance(block, record.Bullets):
            for line in block.items:
                text = words("".join(run.text for run in line))
                assert text in word_lines and text in pdf, text
        elif isinstance(block, record.Prose):
            assert all(words(line) in word_lines for line in record.plain_paragraphs(block.markdown))
        elif not (isinstance(block, record.Paragraph) and block.role == "source"):
            text = words(block.title if isinstance(block, record.Title) else block.text)
            assert text in word_lines and text in pdf, text
    assert tables == 2  # the timing, and TEMA 1's interventions
