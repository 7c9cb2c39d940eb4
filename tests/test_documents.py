"""The agenda as a PDF and as plain text, in the language and time zone asked for."""

import io

from django.urls import reverse
from pypdf import PdfReader

from agenda.models import Meeting

from .factories import MeetingFactory

SLUG = "iii-reunion-plenaria-crm-csm"
PDF = reverse("agenda:meeting-agenda-pdf", args=[SLUG])
TEXT = reverse("agenda:meeting-agenda-text", args=[SLUG])


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_pdf_agenda_in_the_concept_notes_layout(client, seed_meeting):
    response = client.get(PDF)
    assert response["Content-Disposition"] == f'attachment; filename="{SLUG}-agenda.pdf"'
    text = pdf_text(response)
    for expected in [
        "III Reunión Plenaria entre la Conferencia Regional sobre Migración (CRM)",
        "31 de mayo de 2022 · 09:00–11:00 (GMT-6) · Virtual · Zoom",
        "Horario (GMT-6) Actividad Participantes",
        "09:00 – 09:15 Apertura",
        "Comentarios países CRM-CSM Modera: PPT CRM (El Salvador)",
        "10:45 – 11:00 Cierre y Conclusiones SE CRM y ST CSM",
    ]:
        assert expected in text, expected


def test_pdf_in_english_and_in_santiago_time_keeps_the_official_times_beside(client, seed_meeting):
    text = pdf_text(client.get(PDF + "?lang=en&tz=America/Santiago"))
    assert "May 31, 2022 · 09:00–11:00 (GMT-6) · 11:00–13:00 in Santiago · GMT-4" in text
    assert "Time (GMT-6) Time (Santiago · GMT-4) Activity Participants" in text
    assert "09:00 – 09:15 11:00 – 11:15 Opening" in text
    assert "Comments from CRM-CSM countries Moderator: PPT CRM (El Salvador)" in text


def test_plain_text_agenda_reads_in_a_terminal(client, seed_meeting):
    response = client.get(TEXT)
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert max(len(line) for line in lines[2:]) <= 80
    assert lines[3] == "Hora: 09:00–11:00 (GMT-6)"
    assert "Horario (GMT-6)" in lines
    assert "09:00 – 09:15  Apertura" in lines
    assert "               · Comentarios países CRM-CSM            Modera: PPT CRM (El" in lines


def test_unknown_zone_gives_the_document_in_the_meetings_zone(client, seed_meeting):
    lines = client.get(TEXT + "?tz=Nowhere/Atlantis").content.decode().splitlines()
    assert "Horario (GMT-6)" in lines


def test_draft_has_no_documents(client, db):
    draft = MeetingFactory(status=Meeting.Status.DRAFT)
    assert client.get(reverse("agenda:meeting-agenda-pdf", args=[draft.slug])).status_code == 404
    assert client.get(reverse("agenda:meeting-agenda-text", args=[draft.slug])).status_code == 404


def test_meeting_page_links_both_documents_in_the_readers_language_and_zone(client, seed_meeting):
    page = client.get(seed_meeting.get_absolute_url() + "?tz=America/Santiago&lang=pt").content.decode()
    assert f'href="{PDF}?lang=pt&amp;tz=America/Santiago">Agenda em PDF</a>' in page
    assert f'href="{TEXT}?lang=pt&amp;tz=America/Santiago">em texto simples</a>' in page
