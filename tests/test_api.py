"""The read-only JSON schedule for the conferences' own websites."""

import json

import pytest
from django.urls import reverse

from agenda.models import Meeting

from .factories import AgendaItemFactory, MeetingFactory, meeting_with_topics

DETAIL = reverse("agenda:api-meeting-detail", args=["iii-reunion-plenaria-crm-csm"])


def test_meeting_list_gives_times_with_offset_and_in_utc(client, seed_meeting):
    MeetingFactory(title="Borrador", status=Meeting.Status.DRAFT)
    response = client.get(reverse("agenda:api-meeting-list"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert [meeting["slug"] for meeting in data["meetings"]] == ["iii-reunion-plenaria-crm-csm"]
    seed = data["meetings"][0]
    assert seed["start"] == {"local": "2022-05-31T09:00:00-06:00", "utc": "2022-05-31T15:00:00Z"}
    assert seed["end"] == {"local": "2022-05-31T11:00:00-06:00", "utc": "2022-05-31T17:00:00Z"}
    assert (seed["time_zone"], seed["utc_offset_label"]) == ("America/Costa_Rica", "GMT-6")
    assert seed["conferences"] == ["CRM", "CSM"]
    assert seed["api_url"] == "http://testserver" + DETAIL
    assert seed["join_url"] is None


def test_meeting_detail_nests_the_agenda_with_participants_and_roles(client, seed_meeting):
    data = json.loads(client.get(DETAIL).content)
    assert [item["title"][:7] for item in data["agenda"]] == ["Apertur", "TEMA 1.", "TEMA 2.", "Cierre "]
    tema_1 = data["agenda"][1]
    assert tema_1["start"] == {"local": "2022-05-31T09:15:00-06:00", "utc": "2022-05-31T15:15:00Z"}
    assert [sub["title"] for sub in tema_1["sub_items"]] == [
        "Presentación sobre los principales resultados del FEMI y próximos pasos a seguir",
        "Comentarios países CRM-CSM",
    ]
    assert tema_1["sub_items"][1]["participants"] == [
        {
            "role": "moderator",
            "kind": "presidency",
            "name": "PPT CRM",
            "country": {"code": "SV", "name": "El Salvador"},
        }
    ]
    assert data["agenda"][3]["participants"] == [
        {"role": "host", "kind": "organisation", "name": "SE CRM", "country": None},
        {"role": "host", "kind": "organisation", "name": "ST CSM", "country": None},
    ]
    assert data["concept_note"]["general_objective"].startswith("Continuar la colaboración")


def test_api_answers_304_when_nothing_changed(client, seed_meeting):
    first = client.get(DETAIL)
    again = client.get(DETAIL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_draft_and_unknown_meetings_are_404(client, db):
    draft = MeetingFactory(status=Meeting.Status.DRAFT)
    assert client.get(reverse("agenda:api-meeting-detail", args=[draft.slug])).status_code == 404
    assert client.get(reverse("agenda:api-meeting-detail", args=["no-existe"])).status_code == 404


@pytest.mark.parametrize("topic_count", [5, 200])
def test_meeting_detail_queries_do_not_grow_with_the_agenda(
    client, db, django_assert_num_queries, topic_count
):
    meeting = meeting_with_topics(topic_count, minutes=5)
    for topic in meeting.agenda_items.all():
        AgendaItemFactory(meeting=meeting, parent=topic, starts_at=None)
    url = reverse("agenda:api-meeting-detail", args=[meeting.slug])
    # The content version, then the meeting, its items, participants, presidencies and conferences.
    with django_assert_num_queries(7):
        data = json.loads(client.get(url).content)
    assert len(data["agenda"]) == topic_count
    with django_assert_num_queries(1):  # the content version: cached until it moves
        client.get(url)


@pytest.mark.parametrize("meeting_count", [2, 30])
def test_meeting_list_queries_do_not_grow(client, db, django_assert_num_queries, meeting_count):
    for _ in range(meeting_count):
        MeetingFactory()
    with django_assert_num_queries(3):
        data = json.loads(client.get(reverse("agenda:api-meeting-list")).content)
    assert len(data["meetings"]) == meeting_count
