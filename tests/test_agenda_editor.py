"""The agenda editor: the whole agenda on one page, read from a paste or a .docx, judged and saved at once."""

from pathlib import Path

from django.urls import reverse

from agenda.models import Meeting

from .agenda_shapes import agenda_shape, form_fields
from .factories import MeetingFactory

SEED_NOTE = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_76b324cd6c8e24c4.txt"


def seed_table() -> str:
    """The agenda table of the seed concept note, as the text extracted from its .docx writes it."""
    text = SEED_NOTE.read_text()
    return text[text.index("\tHorario") :]


def new_meeting_like(seed: Meeting, **fields) -> Meeting:
    """An empty draft on the seed meeting's date and conferences, as the admin's add page makes it."""
    meeting = MeetingFactory(
        title="III Reunión Plenaria (copia)",
        slug="copia",
        starts_at=seed.starts_at,
        ends_at=seed.ends_at,
        status=Meeting.Status.DRAFT,
        **fields,
    )
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
