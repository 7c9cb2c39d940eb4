"""Bad input through the admin gets a clear message, and nothing is saved."""

import pytest
from django.core import serializers
from django.urls import reverse

from agenda.models import AgendaItem, AgendaParticipant, Meeting

from .admin_posts import item_post, meeting_post
from .factories import MEETING_START, ConferenceFactory, MeetingFactory, at


def snapshot() -> str:
    return serializers.serialize(
        "json", [*Meeting.objects.all(), *AgendaItem.objects.all(), *AgendaParticipant.objects.all()]
    )


@pytest.fixture
def meeting(db) -> Meeting:
    """09:00–09:45 GMT-6 with three 15-minute topics; the first has a timed sub-item."""
    meeting = MeetingFactory(ends_at=at(45))
    meeting.conferences.add(ConferenceFactory())
    for n in range(3):
        AgendaItem.objects.create(
            meeting=meeting, title=f"Tema {n + 1}", position=n, starts_at=at(15 * n), ends_at=at(15 * n + 15)
        )
    AgendaItem.objects.create(
        meeting=meeting, parent=topic(meeting, 1), title="Presentación", starts_at=at(0), ends_at=at(10)
    )
    return meeting


def topic(meeting: Meeting, number: int) -> AgendaItem:
    return meeting.agenda_items.get(title=f"Tema {number}")


def rows(meeting: Meeting, **changes) -> list[dict]:
    """The topic rows as stored, with `changes` keyed by topic number ("t2": {...})."""
    result = []
    for n in (1, 2, 3):
        item = topic(meeting, n)
        row = {
            "item": item,
            "start": item.local_starts_at.strftime("%H:%M"),
            "end": item.local_ends_at.strftime("%H:%M"),
            "title": item.title,
        }
        row.update(changes.get(f"t{n}", {}))
        result.append(row)
    return result + changes.get("new", [])


def post_meeting(client, meeting, **kwargs):
    url = reverse("admin:agenda_meeting_change", args=[meeting.pk])
    return client.post(url, meeting_post(meeting, **kwargs))


def assert_refused(response, message: str, before: str) -> None:
    assert response.status_code == 200, "the form comes back with its errors"
    assert message in response.content.decode()
    assert snapshot() == before


def test_meeting_ending_before_it_starts_is_refused(secretariat_client, meeting):
    before = snapshot()
    response = post_meeting(secretariat_client, meeting, end="08:00")
    assert_refused(response, "El fin debe ser posterior al inicio.", before)


def test_item_ending_before_it_starts_is_refused(secretariat_client, meeting):
    before = snapshot()
    response = post_meeting(secretariat_client, meeting, rows=rows(meeting, t3={"end": "09:20"}))
    assert_refused(response, "El fin debe ser posterior al inicio.", before)


def test_item_outside_the_meeting_is_refused(secretariat_client, meeting):
    before = snapshot()
    response = post_meeting(secretariat_client, meeting, rows=rows(meeting, t3={"end": "10:30"}))
    assert_refused(response, "Termina después de la reunión (09:00–09:45 GMT-6).", before)


def test_shortening_the_meeting_past_its_items_is_refused(secretariat_client, meeting):
    before = snapshot()
    response = post_meeting(secretariat_client, meeting, end="09:30")
    assert_refused(response, "Termina después de la reunión (09:00–09:30 GMT-6).", before)


def test_sub_item_outside_its_topic_is_refused(secretariat_client, meeting):
    sub_item = meeting.agenda_items.get(title="Presentación")
    before = snapshot()
    url = reverse("admin:agenda_agendaitem_change", args=[sub_item.pk])
    response = secretariat_client.post(url, item_post(sub_item, end="09:20"))
    assert_refused(response, "Termina después de su tema «Tema 1» (09:00–09:15 GMT-6).", before)


def test_topic_shrunk_past_its_sub_items_is_refused(secretariat_client, meeting):
    before = snapshot()
    url = reverse("admin:agenda_agendaitem_change", args=[topic(meeting, 1).pk])
    response = secretariat_client.post(url, item_post(topic(meeting, 1), end="09:05"))
    assert_refused(response, "Termina después de su tema «Tema 1» (09:00–09:05 GMT-6).", before)


def test_topic_moved_on_the_meeting_page_is_judged_with_its_stored_sub_items(secretariat_client, meeting):
    before = snapshot()
    response = post_meeting(
        secretariat_client, meeting, rows=rows(meeting, t1={"start": "09:05", "end": "09:15"})
    )
    assert_refused(response, "«Presentación»: Empieza antes de su tema «Tema 1» (09:05–09:15 GMT-6).", before)


def test_topic_and_its_sub_item_shrunk_in_one_save_are_judged_by_where_both_end(secretariat_client, meeting):
    url = reverse("admin:agenda_agendaitem_change", args=[topic(meeting, 1).pk])
    response = secretariat_client.post(
        url, item_post(topic(meeting, 1), end="09:05", **{"sub_items-0-ends_at_1": "09:05:00"})
    )
    assert response.status_code == 302
    sub_item = meeting.agenda_items.get(title="Presentación")
    assert (topic(meeting, 1).ends_at, sub_item.ends_at) == (at(5), at(5))


def test_overlapping_items_are_refused(secretariat_client, meeting):
    before = snapshot()
    new = [{"start": "09:10", "end": "09:20", "title": "Receso"}]
    response = post_meeting(secretariat_client, meeting, rows=rows(meeting, new=new), end="09:45")
    assert_refused(
        response,
        "«Receso» (09:10–09:20 GMT-6) se superpone con «Tema 1» (09:00–09:15 GMT-6).",
        before,
    )


def test_overlapping_item_is_refused_on_its_own_page_too(secretariat_client, meeting):
    before = snapshot()
    url = reverse("admin:agenda_agendaitem_change", args=[topic(meeting, 3).pk])
    response = secretariat_client.post(url, item_post(topic(meeting, 3), start="09:25"))
    assert_refused(response, "«Tema 3» (09:25–09:45 GMT-6) se superpone con «Tema 2»", before)


def test_parallel_item_may_overlap(secretariat_client, meeting):
    new = [{"start": "09:10", "end": "09:20", "title": "Sesión paralela", "parallel": True}]
    response = post_meeting(secretariat_client, meeting, rows=rows(meeting, new=new))
    assert response.status_code == 302
    parallel = meeting.agenda_items.get(title="Sesión paralela")
    assert (parallel.starts_at, parallel.ends_at, parallel.is_parallel) == (at(10), at(20), True)


def test_moving_two_items_in_one_save_is_judged_by_where_both_end(secretariat_client, meeting):
    swapped = rows(meeting, t2={"start": "09:30", "end": "09:45"}, t3={"start": "09:15", "end": "09:30"})
    response = post_meeting(secretariat_client, meeting, rows=swapped)
    assert response.status_code == 302
    assert (topic(meeting, 2).starts_at, topic(meeting, 3).starts_at) == (at(30), at(15))


def test_times_with_seconds_are_refused(secretariat_client, meeting):
    before = snapshot()
    response = post_meeting(secretariat_client, meeting, rows=rows(meeting, t3={"start": "09:30:30"}))
    assert_refused(response, "Las horas van en minutos exactos: quite los segundos.", before)


def test_publishing_a_meeting_without_agenda_is_refused(secretariat_client, db):
    empty = MeetingFactory(status=Meeting.Status.DRAFT)
    empty.conferences.add(ConferenceFactory())
    before = snapshot()
    response = post_meeting(secretariat_client, empty, status="published")
    assert_refused(
        response, "La agenda debe ser válida antes de publicar la reunión: no tiene ningún punto.", before
    )


def test_publish_action_refuses_an_invalid_agenda(secretariat_client, meeting):
    meeting.status = Meeting.Status.DRAFT
    meeting.save()
    # Rows written around the model's validation, as a bulk import might.
    AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=meeting, title="Choque", starts_at=at(5), ends_at=at(20))]
    )
    before = snapshot()
    response = secretariat_client.post(
        reverse("admin:agenda_meeting_changelist"),
        {"action": "publish", "_selected_action": [str(meeting.pk)]},
        follow=True,
    )
    assert "«Choque» (09:05–09:20 GMT-6) se superpone con «Tema 1»" in response.content.decode()
    assert snapshot() == before
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.DRAFT


def post_new_participant(client, item: AgendaItem, **fields):
    """Post `item`'s own page with one new participant row of `fields`."""
    data = item_post(item)
    data["participants-TOTAL_FORMS"] = "1"
    data.update({"participants-0-item": str(item.pk), "participants-0-position": "1"})
    data.update({f"participants-0-{name}": value for name, value in fields.items()})
    return client.post(reverse("admin:agenda_agendaitem_change", args=[item.pk]), data)


def test_presidency_role_with_no_country_on_the_date_is_refused(secretariat_client, meeting):
    csm = ConferenceFactory(acronym="CSM", name="Conferencia Suramericana sobre Migraciones")
    before = snapshot()
    response = post_new_participant(
        secretariat_client, topic(meeting, 2), role="moderator", presidency_of=str(csm.pk)
    )
    day = MEETING_START.date().isoformat()
    assert_refused(response, f"Ningún país ejerce la Presidencia Pro Tempore de la CSM el {day}.", before)


def test_participant_must_be_exactly_one_kind(secretariat_client, meeting):
    before = snapshot()
    response = post_new_participant(secretariat_client, topic(meeting, 2), role="presenter")
    assert_refused(
        response,
        "Elija exactamente uno: una persona, una organización o una presidencia pro tempore.",
        before,
    )


def test_unknown_time_zone_is_refused(secretariat_client, meeting):
    before = snapshot()
    response = post_meeting(secretariat_client, meeting, time_zone="Etc/GMT-6")
    assert_refused(response, "Etc/GMT-6 no es una de las opciones disponibles.", before)


@pytest.mark.parametrize(
    "day, start, end",
    [("9999-12-31", "20:00", "23:30"), ("0001-01-01", "00:30", "02:00"), ("2101-01-05", "09:00", "09:45")],
)
def test_a_date_out_of_the_years_meetings_are_held_in_is_refused(
    secretariat_client, meeting, day, start, end
):
    before = snapshot()
    response = post_meeting(secretariat_client, meeting, day=day, start=start, end=end, rows=[])
    assert_refused(response, "Elija una fecha entre los años 1990 y 2100.", before)
