"""A draft never leaks: every public address, fed a draft's slug and UUIDs, answers as if it did not exist."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, get_resolver, reverse

from agenda.models import Commitment, Country, LiveEvent, Meeting, MeetingDocument, Registration, Statement

from .factories import AgendaItemFactory, AgendaParticipantFactory, MeetingFactory, at

# Pages that are the secretariat's, not the public's: they ask for a login first.
STAFF_ONLY = {
    "timekeeper",
    "timekeeper-action",
    "timekeeper-floor",
    "rehearsal",
    "rehearsal-action",
    "rehearsal-floor",
    "rehearsal-state",
    "rehearsal-discard",
    "live-report",
    "meeting-record",
    "meeting-statement",
}
# A conference's pages exist whatever the draft: they must not show its commitments.
CONFERENCE_PAGES = {"conference-commitments", "conference-commitments-csv", "api-conference-commitments"}
# Forms' targets: a GET is not allowed; their POSTs are checked below.
POST_ONLY = {"private-floor", "private-silence", "private-commitments"}


def agenda_patterns() -> list[URLPattern]:
    resolver = get_resolver()
    namespace = resolver.namespace_dict["agenda"][1]
    return [pattern for pattern in namespace.url_patterns if isinstance(pattern, URLPattern)]


@pytest.fixture
def draft(db) -> Meeting:
    published = MeetingFactory(
        title="Reunión publicada", slug="reunion-publicada", starts_at=at(-7 * 24 * 60)
    )
    AgendaItemFactory(meeting=published, starts_at=published.starts_at)
    draft = MeetingFactory(
        title="Borrador confidencial",
        slug="borrador-confidencial",
        status=Meeting.Status.DRAFT,
        video_call_url="https://zoom.us/j/55555555555",
    )
    secret_item = AgendaItemFactory(meeting=draft, title="Punto secreto")
    AgendaParticipantFactory(item=secret_item)
    # Even conclusions marked published stay hidden while their meeting is a draft.
    Commitment.objects.create(
        item=secret_item,
        what="Compromiso secreto",
        responsible_country=Country.objects.get_or_create(code="SV")[0],
    )
    Meeting.objects.filter(pk=draft.pk).update(conclusions_published_at=draft.starts_at)
    return draft


def secrets_of(draft: Meeting) -> list[str]:
    return [
        draft.title,
        draft.slug,
        str(draft.uuid),
        draft.video_call_url,
        *(str(item.uuid) for item in draft.agenda_items.all()),
        *(item.title for item in draft.agenda_items.all()),
        *(str(document.uuid) for document in draft.documents.all()),
        "Compromiso secreto",
    ]


def test_every_public_address_hides_a_draft(client, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = draft.agenda_items.get()
    document = MeetingDocument.objects.create(
        meeting=draft,
        title="Anexo",
        audience=MeetingDocument.Audience.PUBLIC,
        file=SimpleUploadedFile("a.pdf", b"%PDF"),
    )
    # Even a participant's own link shows nothing of a meeting still in draft.
    registration = Registration.objects.create(
        meeting=draft, name="Ana", email="ana@x.org", affiliation="OIM"
    )
    # Nor does the link of the delegation that sent a statement, nor an interpreter's.
    asked = LiveEvent.objects.create(
        meeting=draft, kind=LiveEvent.Kind.ASK_FLOOR, at=at(0), delegation="OIM", registration=registration
    )
    statement = Statement.objects.create(request=asked, text="Confidencial", sent_at=at(0))
    walked = []
    for pattern in agenda_patterns():
        arguments = {
            "slug": draft.slug,
            "item": item.uuid,
            "document": document.uuid,
            "statement": statement.uuid,
            "token": registration.token,
            "acronym": "CRM",
            "file_format": "pdf",
        }
        url = reverse(
            f"agenda:{pattern.name}",
            kwargs={k: v for k, v in arguments.items() if k in pattern.pattern.converters},
        )
        for language in ("", "?lang=en", "?lang=pt"):
            response = client.get(url + language)
            walked.append(pattern.name)
            body = response.content.decode(errors="replace")
            if pattern.name in CONFERENCE_PAGES:
                assert response.status_code == 200, url
            elif pattern.pattern.converters:
                expected = (302, 403, 405) if pattern.name in STAFF_ONLY else (404,)
                if pattern.name in POST_ONLY:
                    expected = (405,)
                    assert (
                        client.post(url + language, {"action": "ask", "item": item.uuid}).status_code == 404
                    )
                assert response.status_code in expected, (url, response.status_code)
            else:
                assert response.status_code == 200, url
            # A 404 page may echo the address the visitor typed; nothing else of the draft.
            for secret in secrets_of(draft):
                if secret not in url:
                    assert secret not in body, (url, secret)
            head = client.head(url + language)
            assert head.status_code == response.status_code or response.status_code == 405
    assert set(walked) == {pattern.name for pattern in agenda_patterns()}


def test_the_walk_sees_the_meeting_once_it_is_published(client, draft):
    draft.status = Meeting.Status.PUBLISHED
    draft.save()
    assert client.get(reverse("agenda:meeting-detail", args=[draft.slug])).status_code == 200
    assert draft.slug.encode() in client.get(reverse("agenda:series-ical")).content
    assert draft.slug.encode() in client.get(reverse("agenda:api-meeting-list")).content
