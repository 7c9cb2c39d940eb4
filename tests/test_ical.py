"""Calendar feeds that Google, Outlook, Apple Calendar and Thunderbird all read the same way."""

import io
import re
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agenda.models import AgendaItem, Meeting

from .admin_posts import item_post, meeting_post
from .calendar_clients import events_in_every_parser, with_icaljs
from .factories import AgendaItemFactory, MeetingFactory, at, meeting_with_topics

SLUG = "iii-reunion-plenaria-crm-csm"
SEED_TOPICS = [
    ("Apertura", "2022-05-31T15:00:00Z", "2022-05-31T15:15:00Z"),
    ("TEMA 1.", "2022-05-31T15:15:00Z", "2022-05-31T16:00:00Z"),
    ("TEMA 2.", "2022-05-31T16:00:00Z", "2022-05-31T16:45:00Z"),
    ("Cierre y Conclusiones", "2022-05-31T16:45:00Z", "2022-05-31T17:00:00Z"),
]


def feed_urls(slug: str = SLUG) -> dict[str, str]:
    return {
        "meeting": reverse("agenda:meeting-ical", args=[slug]),
        "agenda": reverse("agenda:meeting-agenda-ical", args=[slug]),
        "series": reverse("agenda:series-ical"),
    }


def test_seed_meeting_lands_at_1500_to_1700_utc_in_every_parser(client, seed_meeting):
    events = events_in_every_parser(client.get(feed_urls()["meeting"]).content)
    assert [(e["start"], e["end"], e["uid"]) for e in events] == [
        ("2022-05-31T15:00:00Z", "2022-05-31T17:00:00Z", str(seed_meeting.uuid))
    ]


def test_agenda_feed_has_one_event_per_topic_in_every_parser(client, seed_meeting):
    events = events_in_every_parser(client.get(feed_urls()["agenda"]).content)
    assert [
        (e["summary"][: len(title)], e["start"], e["end"])
        for e, (title, *_) in zip(events, SEED_TOPICS, strict=True)
    ] == SEED_TOPICS
    assert {e["status"] for e in events} == {"CONFIRMED"}


def test_series_feed_lists_every_public_meeting(client, seed_meeting):
    coming = MeetingFactory(title="IV Reunión Plenaria")
    MeetingFactory(title="Borrador", status=Meeting.Status.DRAFT)
    events = events_in_every_parser(client.get(feed_urls()["series"]).content)
    assert [e["uid"] for e in events] == [str(seed_meeting.uuid), str(coming.uuid)]


def test_a_meeting_row_no_calendar_can_hold_never_takes_the_series_feed_down(client, seed_meeting, caplog):
    coming = MeetingFactory(title="IV Reunión Plenaria")
    # As if written past the forms and imports, which refuse it: year 9999, the last one Python holds.
    broken = MeetingFactory(title="Fecha imposible")
    Meeting.objects.filter(pk=broken.pk).update(
        starts_at=datetime(9999, 12, 31, 20, tzinfo=UTC), ends_at=datetime(9999, 12, 31, 23, tzinfo=UTC)
    )
    response = client.get(feed_urls()["series"])
    assert response.status_code == 200
    events = events_in_every_parser(response.content)
    assert [e["uid"] for e in events] == [str(seed_meeting.uuid), str(coming.uuid)]
    assert f"Meeting {broken.pk} left out of the series feed" in caplog.text


def test_one_item_downloads_as_its_own_calendar(client, seed_meeting):
    tema_2 = AgendaItem.objects.get(title__startswith="TEMA 2")
    response = client.get(reverse("agenda:item-ical", args=[SLUG, tema_2.uuid]))
    assert response["Content-Disposition"] == f'attachment; filename="{SLUG}-{tema_2.uuid}.ics"'
    events = events_in_every_parser(response.content)
    assert [(e["uid"], e["start"], e["end"]) for e in events] == [
        (str(tema_2.uuid), "2022-05-31T16:00:00Z", "2022-05-31T16:45:00Z")
    ]
    sub_item = AgendaItem.objects.get(title="Bienvenida")
    assert client.get(reverse("agenda:item-ical", args=[SLUG, sub_item.uuid])).status_code == 404


def test_feed_is_rfc_5545_text_with_crlf_and_75_octet_lines(client, seed_meeting):
    response = client.get(feed_urls()["agenda"])
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    lines = body.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    for required in [
        b"VERSION:2.0",
        b"PRODID:",
        b"CALSCALE:GREGORIAN",
        b"NAME:",
        b"X-WR-CALNAME:",
        b"REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        b"X-PUBLISHED-TTL:PT1H",
        b"TZID:America/Costa_Rica",
        b"DTSTART;TZID=America/Costa_Rica:20220531T090000",
    ]:
        assert any(line.startswith(required) for line in lines), required
    for event_property in [b"UID:", b"DTSTAMP:", b"CREATED:", b"LAST-MODIFIED:", b"SEQUENCE:", b"URL:"]:
        assert sum(line.startswith(event_property) for line in lines) == 4, event_property


def test_no_feed_claims_to_be_an_itip_publish_without_an_organizer(client, seed_meeting):
    # RFC 5546: METHOD:PUBLISH requires ORGANIZER in every event; libical's iTIP check enforces it.
    # The seed's organisers have no email, so the feeds are plain calendars, without METHOD.
    item = AgendaItem.objects.filter(meeting=seed_meeting, parent=None).first()
    paths = [*feed_urls().values(), reverse("agenda:item-ical", args=[SLUG, item.uuid])]
    for path in paths:
        calendar = icalendar.Calendar.from_ical(client.get(path).content)
        events = calendar.walk("VEVENT")
        assert events, path
        if calendar.get("METHOD") == "PUBLISH":
            assert all(event.get("ORGANIZER") for event in events), path


def test_a_feeds_last_modified_moves_with_its_own_meeting_only(client, seed_meeting):
    feeds = [feed_urls()["meeting"], feed_urls()["agenda"]]
    before = {path: client.get(path) for path in feeds}
    other = MeetingFactory(title="IV Reunión Plenaria")
    other.title_es = "IV Reunión Plenaria (revisada)"
    other.save()
    for path, earlier in before.items():
        response = client.get(path)
        assert response["Last-Modified"] == earlier["Last-Modified"], path
        # A client polling by date alone is told nothing changed, which is true.
        assert client.get(path, HTTP_IF_MODIFIED_SINCE=earlier["Last-Modified"]).status_code == 304
    # The series feed, which shows the other meeting, moves.
    series = client.get(feed_urls()["series"])
    assert series["Last-Modified"] != before[feeds[0]]["Last-Modified"]


def last_modified_of(body: bytes) -> dict[str, tuple[str, str]]:
    return {
        str(event["UID"]): (event["LAST-MODIFIED"].to_ical().decode(), str(event["DESCRIPTION"]))
        for event in icalendar.Calendar.from_ical(body).walk("VEVENT")
    }


@pytest.mark.parametrize(
    "change",
    [
        lambda topic: topic.sub_items.first().delete(),
        lambda topic: topic.participants.first().delete(),
        lambda topic: (lambda person: (setattr(person, "name", "Nombre corregido"), person.save()))(
            topic.participants.exclude(person=None).first().person
        ),
    ],
    ids=["sub-item deleted", "participant removed", "participant renamed"],
)
def test_an_event_whose_description_changes_gets_a_new_last_modified(client, seed_meeting, change):
    from agenda.models import AgendaParticipant, Person

    topic = AgendaItem.objects.get(title__startswith="TEMA 1")
    if not topic.sub_items.exists():
        AgendaItemFactory(
            meeting=seed_meeting, parent=topic, title="Presentación", starts_at=None, ends_at=None
        )
    person = Person.objects.create(name="Delegada de prueba")
    AgendaParticipant.objects.create(
        item=topic, role=AgendaParticipant.Role.PRESENTER, person=person, position=9
    )
    # Everything as of an hour ago, so that a change now shows in whole seconds.
    an_hour_ago = timezone.now() - timedelta(hours=1)
    AgendaItem.objects.update(updated_at=an_hour_ago)
    Meeting.objects.update(updated_at=an_hour_ago)

    def read() -> dict[str, tuple[str, str]]:
        return {
            **last_modified_of(client.get(feed_urls()["agenda"]).content),
            **last_modified_of(client.get(feed_urls()["meeting"]).content),
        }

    before = read()
    change(topic)
    after = read()
    for uid in [str(topic.uuid), str(seed_meeting.uuid)]:
        assert after[uid][1] != before[uid][1], "the description changed"
        assert after[uid][0] > before[uid][0], "and so did LAST-MODIFIED"


def test_a_shift_raises_the_sequence_of_every_topic_it_moves_and_no_other(client, seed_meeting):
    from agenda import scheduling

    def sequences() -> dict[str, tuple[int, str]]:
        body = client.get(feed_urls()["agenda"]).content
        return {e["summary"][:7]: (e["sequence"], e["start"]) for e in events_in_every_parser(body)}

    before = sequences()
    scheduling.shift_items(AgendaItem.objects.get(title__startswith="TEMA 2"), 5)
    after = sequences()
    moved = {title for title in after if after[title][1] != before[title][1]}
    assert moved == {"TEMA 2.", "Cierre "}
    for title in after:
        assert after[title][0] == before[title][0] + (title in moved), title


def test_long_spanish_titles_fold_on_octets_and_unfold_whole(client, db):
    title = "Recomendaciones y Compromisos emanados del Foro de Examen de la Migración Internacional " * 3
    meeting = meeting_with_topics(1, title=title.strip())
    body = client.get(feed_urls(meeting.slug)["meeting"]).content
    assert max(len(line) for line in body.split(b"\r\n")) <= 75
    summary = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]["SUMMARY"]
    assert summary == title.strip()
    assert with_icaljs(body)["events"][0]["summary"] == title.strip()


def test_typed_text_cannot_inject_properties_or_events(client, db):
    meeting = meeting_with_topics(1)
    AgendaItem.objects.filter(meeting=meeting).update(
        title="Cierre\r\nBEGIN:VEVENT\r\nUID:intruso\r\nEND:VEVENT",
        description="a;b,c\\d\nSTATUS:CANCELLED",
    )
    body = client.get(feed_urls(meeting.slug)["agenda"]).content
    events = events_in_every_parser(body)
    assert len(events) == 1
    assert events[0]["summary"] == "Cierre BEGIN:VEVENT UID:intruso END:VEVENT"
    assert events[0]["status"] == "CONFIRMED"
    description = with_icaljs(body)["events"][0]["description"]
    assert "a;b,c\\d\nSTATUS:CANCELLED" in description


def test_join_link_goes_in_conference_only_when_public(client, db):
    private = meeting_with_topics(1, video_call_url="https://zoom.us/j/111")
    public = meeting_with_topics(1, video_call_url="https://zoom.us/j/222", join_link_visibility="public")
    assert b"zoom.us/j/111" not in client.get(feed_urls(private.slug)["meeting"]).content
    body = client.get(feed_urls(public.slug)["meeting"]).content
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["CONFERENCE"]) == "https://zoom.us/j/222"
    assert b"FEATURE=AUDIO,VIDEO" in body.replace(b"\r\n ", b"")
    assert "https://zoom.us/j/222" in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]) == "Zoom"


def test_uids_survive_two_fetches_and_a_dump_and_reload(
    client, seed_meeting, tmp_path, django_capture_on_commit_callbacks
):
    first = [e["uid"] for e in events_in_every_parser(client.get(feed_urls()["agenda"]).content)]
    assert first == [e["uid"] for e in events_in_every_parser(client.get(feed_urls()["agenda"]).content)]
    dump = tmp_path / "agenda.json"
    call_command("dumpdata", "agenda", output=str(dump), stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        Meeting.objects.all().delete()
        call_command("loaddata", str(dump), stdout=io.StringIO())
    assert first == [e["uid"] for e in events_in_every_parser(client.get(feed_urls()["agenda"]).content)]


def test_secretariat_edit_raises_sequence_of_the_changed_event_only(
    client, secretariat_client, seed_meeting, django_capture_on_commit_callbacks
):
    before = client.get(feed_urls()["agenda"])
    tema_2 = AgendaItem.objects.get(title__startswith="TEMA 2")
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            reverse("admin:agenda_agendaitem_change", args=[tema_2.pk]), item_post(tema_2, start="10:05")
        )
    assert response.status_code == 302
    after = client.get(feed_urls()["agenda"], HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    old = {e["uid"]: e for e in events_in_every_parser(before.content)}
    new = {e["uid"]: e for e in events_in_every_parser(after.content)}
    raised = {old[uid]["summary"][:7]: new[uid]["sequence"] - old[uid]["sequence"] for uid in old}
    assert raised == {"Apertur": 0, "TEMA 1.": 0, "TEMA 2.": 1, "Cierre ": 0}
    assert new[str(tema_2.uuid)]["start"] == "2022-05-31T16:05:00Z"
    modified = icalendar.Calendar.from_ical(after.content).walk("VEVENT")[2].decoded("LAST-MODIFIED")
    assert modified > icalendar.Calendar.from_ical(before.content).walk("VEVENT")[2].decoded("LAST-MODIFIED")
    assert client.get(feed_urls()["agenda"], HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304


def test_a_new_venue_raises_every_topics_sequence(client, secretariat_client, seed_meeting):
    before = {e["uid"]: e for e in events_in_every_parser(client.get(feed_urls()["agenda"]).content)}
    response = secretariat_client.post(
        reverse("admin:agenda_meeting_change", args=[seed_meeting.pk]),
        meeting_post(seed_meeting, modality=Meeting.Modality.HYBRID, venue="Cancillería, San José"),
    )
    assert response.status_code == 302
    body = client.get(feed_urls()["agenda"]).content
    after = {e["uid"]: e for e in events_in_every_parser(body)}
    assert {
        uid: after[uid]["sequence"] - event["sequence"] for uid, event in before.items()
    } == dict.fromkeys(before, 1)
    assert {str(event["LOCATION"]) for event in icalendar.Calendar.from_ical(body).walk("VEVENT")} == {
        "Cancillería, San José · Zoom"
    }


def test_unchanged_feed_answers_304_and_head(client, seed_meeting):
    first = client.get(feed_urls()["meeting"])
    assert first["Cache-Control"] == "public, max-age=300"
    assert first["Last-Modified"]
    again = client.get(feed_urls()["meeting"], HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
    since = client.get(feed_urls()["meeting"], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    head = client.head(feed_urls()["meeting"])
    assert (head.status_code, head.content, head["ETag"]) == (200, b"", first["ETag"])


def test_cancelled_item_and_meeting_stay_in_the_feeds_marked_cancelled(
    client, secretariat_client, seed_meeting, django_capture_on_commit_callbacks
):
    tema_1 = AgendaItem.objects.get(title__startswith="TEMA 1")
    data = item_post(tema_1)
    data["is_cancelled"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(reverse("admin:agenda_agendaitem_change", args=[tema_1.pk]), data)
    events = {e["uid"]: e for e in events_in_every_parser(client.get(feed_urls()["agenda"]).content)}
    assert (events[str(tema_1.uuid)]["status"], events[str(tema_1.uuid)]["sequence"]) == ("CANCELLED", 1)
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(
            reverse("admin:agenda_meeting_changelist"),
            {"action": "cancel", "_selected_action": [str(seed_meeting.pk)]},
        )
    series = events_in_every_parser(client.get(feed_urls()["series"]).content)
    assert [(e["uid"], e["status"], e["sequence"]) for e in series] == [
        (str(seed_meeting.uuid), "CANCELLED", 1)
    ]
    agenda = events_in_every_parser(client.get(feed_urls()["agenda"]).content)
    assert {e["status"] for e in agenda} == {"CANCELLED"}


def test_published_topics_and_meetings_cannot_be_deleted(secretariat_client, seed_meeting):
    tema_1 = AgendaItem.objects.get(title__startswith="TEMA 1")
    assert (
        secretariat_client.post(
            reverse("admin:agenda_agendaitem_delete", args=[tema_1.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert (
        secretariat_client.post(
            reverse("admin:agenda_meeting_delete", args=[seed_meeting.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AgendaItem.objects.filter(pk=tema_1.pk).exists()
    bienvenida = AgendaItem.objects.get(title="Bienvenida")
    secretariat_client.post(reverse("admin:agenda_agendaitem_delete", args=[bienvenida.pk]), {"post": "yes"})
    assert not AgendaItem.objects.filter(pk=bienvenida.pk).exists(), "a sub-item is no event of its own"


@pytest.mark.parametrize("feed", ["meeting", "agenda"])
def test_draft_and_unknown_meetings_have_no_feed(client, db, feed):
    draft = MeetingFactory(status=Meeting.Status.DRAFT)
    AgendaItemFactory(meeting=draft)
    assert client.get(feed_urls(draft.slug)[feed]).status_code == 404
    assert client.get(feed_urls("no-existe")[feed]).status_code == 404
    assert draft.title.encode() not in client.get(feed_urls()["series"]).content


def make_meeting(topic_count: int) -> Meeting:
    meeting = meeting_with_topics(topic_count, minutes=5)
    for topic in meeting.agenda_items.all():
        AgendaItemFactory(meeting=meeting, parent=topic, starts_at=None)
    return meeting


@pytest.mark.parametrize("topic_count", [5, 200])
@pytest.mark.parametrize("feed", ["meeting", "agenda"])
def test_feed_queries_do_not_grow_with_the_agenda(client, db, django_assert_num_queries, topic_count, feed):
    meeting = make_meeting(topic_count)
    # The meeting with organisers and conferences, the items, participants and presidencies,
    # the history of the meeting, its items and their participants for the changelog, and the content version.
    with django_assert_num_queries(10):
        first = client.get(feed_urls(meeting.slug)[feed])
    with django_assert_num_queries(2):  # the content version, once per poll
        client.get(feed_urls(meeting.slug)[feed])
        client.get(feed_urls(meeting.slug)[feed], HTTP_IF_NONE_MATCH=first["ETag"])


@pytest.mark.parametrize("meeting_count", [2, 30])
def test_series_feed_queries_do_not_grow_with_the_meetings(
    client, db, django_assert_num_queries, meeting_count
):
    for n in range(meeting_count):
        AgendaItemFactory(
            meeting=MeetingFactory(starts_at=at(n * 24 * 60), ends_at=at(n * 24 * 60 + 60)),
            starts_at=at(n * 24 * 60),
        )
    # The content version, the meetings, their agendas and history, and the withdrawn ones (none here).
    with django_assert_num_queries(10):
        body = client.get(feed_urls()["series"]).content
    assert len(re.findall(rb"BEGIN:VEVENT", body)) == meeting_count


def test_calendar_name_and_description_are_escaped_text(client, db):
    meeting = meeting_with_topics(1, title="Reunión; técnica, virtual")
    body = client.get(feed_urls(meeting.slug)["meeting"]).content.replace(b"\r\n ", b"")
    assert "X-WR-CALNAME:Reunión\\; técnica\\, virtual".encode() in body
    # RFC 5545 3.8.8.2: an X- property's value is TEXT unless it says otherwise.
    assert "X-WR-CALDESC:Agenda y novedades: Reunión\\; técnica\\, virtual".encode() in body
    # RFC 7986's NAME is TEXT, escaped like SUMMARY.
    name = re.search(rb"^NAME:(.*)$", body, re.MULTILINE)[1].rstrip(b"\r").decode()
    assert name == "Reunión\\; técnica\\, virtual"


def test_santiago_and_mexico_city_meetings_read_the_same_in_every_parser(client, db):
    # Chile's daylight time began on 6 Sep 2026; Mexico's last began on 3 Apr 2022 and ended on 30 Oct.
    santiago = MeetingFactory(
        starts_at=datetime(2026, 9, 10, 12, tzinfo=UTC),
        ends_at=datetime(2026, 9, 10, 14, tzinfo=UTC),
        time_zone="America/Santiago",
    )
    mexico_spring = MeetingFactory(
        starts_at=datetime(2022, 4, 5, 14, tzinfo=UTC),
        ends_at=datetime(2022, 4, 5, 16, tzinfo=UTC),
        time_zone="America/Mexico_City",
    )
    mexico_autumn = MeetingFactory(
        starts_at=datetime(2022, 11, 8, 15, tzinfo=UTC),
        ends_at=datetime(2022, 11, 8, 17, tzinfo=UTC),
        time_zone="America/Mexico_City",
    )
    body = client.get(feed_urls()["series"]).content
    events = {event["uid"]: event["start"] for event in events_in_every_parser(body)}
    assert events == {
        str(mexico_spring.uuid): "2022-04-05T14:00:00Z",
        str(mexico_autumn.uuid): "2022-11-08T15:00:00Z",
        str(santiago.uuid): "2026-09-10T12:00:00Z",
    }
    text = body.decode().replace("\r\n ", "")
    assert not re.search(r"^RDATE:.*,", text, re.MULTILINE), "one onset per line"
    # Onsets in the wall time before the change: 02:00 CST became 03:00 CDT in Mexico City.
    mexico = text.split("TZID:America/Mexico_City")[1].split("END:VTIMEZONE")[0]
    assert "BEGIN:DAYLIGHT\r\nDTSTART:20210404T020000\r\nRDATE:20220403T020000\r\n" in mexico
    assert "BEGIN:STANDARD\r\nDTSTART:20211031T020000\r\nRDATE:20221030T020000\r\n" in mexico


def test_feeds_say_they_vary_with_the_language_cookie(client, seed_meeting):
    spanish = client.get(feed_urls()["agenda"])
    client.cookies["django_language"] = "en"
    english = client.get(feed_urls()["agenda"])
    assert b"Opening" in english.content and b"Opening" not in spanish.content
    for response in (spanish, english, client.get(feed_urls()["agenda"], HTTP_IF_NONE_MATCH=english["ETag"])):
        assert {"Accept-Language", "Cookie"} <= {part.strip() for part in response["Vary"].split(",")}


def test_a_withdrawn_meeting_cancels_what_calendars_hold_and_shows_nothing_of_the_draft(
    secretariat_client, seed_meeting
):
    reader, urls = Client(), feed_urls()
    before = {e["uid"]: e for e in events_in_every_parser(reader.get(urls["agenda"]).content)}
    cierre = AgendaItem.objects.get(title__startswith="Cierre")
    changelist = reverse("admin:agenda_meeting_changelist")
    secretariat_client.post(changelist, {"action": "unpublish", "_selected_action": [str(seed_meeting.pk)]})
    # Edited while in draft: a renamed topic, a deleted one.
    tema_2 = AgendaItem.objects.get(title__startswith="TEMA 2")
    tema_2.title_es = "Borrador reservado"
    tema_2.save()
    cierre.delete()

    agenda = reader.get(urls["agenda"]).content
    after = {e["uid"]: e for e in events_in_every_parser(agenda)}
    assert after.keys() == before.keys(), "every topic calendars hold, the deleted one too"
    assert {e["status"] for e in after.values()} == {"CANCELLED"}
    assert all(after[uid]["sequence"] > event["sequence"] for uid, event in before.items())
    assert {uid: e["summary"] for uid, e in after.items()} == {uid: e["summary"] for uid, e in before.items()}
    assert b"Borrador reservado" not in agenda
    [meeting_event] = events_in_every_parser(reader.get(urls["meeting"]).content)
    assert (meeting_event["uid"], meeting_event["status"]) == (str(seed_meeting.uuid), "CANCELLED")
    series = {e["uid"]: e["status"] for e in events_in_every_parser(reader.get(urls["series"]).content)}
    assert series == {str(seed_meeting.uuid): "CANCELLED"}
    item_feed = reader.get(reverse("agenda:item-ical", args=[SLUG, cierre.uuid])).content
    assert [e["status"] for e in events_in_every_parser(item_feed)] == ["CANCELLED"]
    assert reader.get(seed_meeting.get_absolute_url()).status_code == 404
    assert reader.get(reverse("agenda:api-meeting-detail", args=[SLUG])).status_code == 404

    secretariat_client.post(changelist, {"action": "publish", "_selected_action": [str(seed_meeting.pk)]})
    again = {e["uid"]: e for e in events_in_every_parser(reader.get(urls["agenda"]).content)}
    assert again[str(tema_2.uuid)]["summary"] == "Borrador reservado"
    assert again[str(tema_2.uuid)]["status"] == "CONFIRMED"
    assert again[str(tema_2.uuid)]["sequence"] > after[str(tema_2.uuid)]["sequence"]


def test_a_withdrawn_meeting_cannot_be_deleted(secretariat_client, seed_meeting):
    changelist = reverse("admin:agenda_meeting_changelist")
    secretariat_client.post(changelist, {"action": "unpublish", "_selected_action": [str(seed_meeting.pk)]})
    response = secretariat_client.post(
        reverse("admin:agenda_meeting_delete", args=[seed_meeting.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Meeting.objects.filter(pk=seed_meeting.pk).exists()


def fresh_agenda_feed(seed_meeting: Meeting) -> bytes:
    """The agenda feed built now, every event serialised anew, as its view would for this client."""
    from django.test import RequestFactory

    from agenda import ical
    from agenda.views.feeds import meeting_feed

    request = RequestFactory().get(feed_urls()["agenda"], HTTP_HOST="testserver")
    return meeting_feed(seed_meeting.slug, ical.build_agenda_calendar, "agenda", request)


def hand_presidency_of_crm_to_another_country(seed_meeting: Meeting) -> None:
    from agenda.models import Country, Presidency

    held = Presidency.objects.filter(conference__acronym="CRM").on(seed_meeting.local_date).get()
    held.country = Country.objects.exclude(pk=held.country_id).filter(conferences__acronym="CRM").first()
    held.save()


def move_a_sub_item_to_the_next_topic(seed_meeting: Meeting) -> None:
    sub_item = AgendaItem.objects.filter(meeting=seed_meeting, parent__title__startswith="TEMA 1").first()
    sub_item.parent = AgendaItem.objects.get(meeting=seed_meeting, title__startswith="TEMA 2")
    sub_item.starts_at = sub_item.ends_at = None
    sub_item.save()


def give_the_meeting_an_organiser_with_email(seed_meeting: Meeting) -> None:
    from agenda.models import Organisation

    seed_meeting.organisers.add(
        Organisation.objects.create(name="Secretaría de prueba", kind="other", email="se@example.org")
    )


def rename_a_sub_item(seed_meeting: Meeting) -> None:
    sub_item = AgendaItem.objects.filter(meeting=seed_meeting).exclude(parent=None).first()
    sub_item.title_es = "Presentación (título corregido)"
    sub_item.save()


@pytest.mark.parametrize(
    "edit",
    [
        rename_a_sub_item,
        hand_presidency_of_crm_to_another_country,
        move_a_sub_item_to_the_next_topic,
        give_the_meeting_an_organiser_with_email,
    ],
    ids=["a sub-item renamed", "another country holds PPT CRM", "a sub-item moved", "an organiser added"],
)
def test_the_agenda_feed_keeps_each_events_text_and_still_serves_what_a_fresh_build_would(
    client, seed_meeting, django_capture_on_commit_callbacks, edit
):
    first = client.get(feed_urls()["agenda"]).content
    assert first == fresh_agenda_feed(seed_meeting)
    with django_capture_on_commit_callbacks(execute=True):
        edit(seed_meeting)
    after = client.get(feed_urls()["agenda"]).content
    assert after != first
    assert after == fresh_agenda_feed(seed_meeting)
