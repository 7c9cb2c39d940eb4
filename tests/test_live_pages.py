"""The timekeeper's console and actions, the live state for everyone, the report."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agenda import live
from agenda.models import AgendaItem, LiveEvent, Meeting

from .factories import held_today, secretariat_user
from .test_live import t

SLUG = "iii-reunion-plenaria-crm-csm"
CONSOLE = reverse("agenda:timekeeper", args=[SLUG])
ACTION = reverse("agenda:timekeeper-action", args=[SLUG])
STATE = reverse("agenda:live-state", args=[SLUG])


def topic(title_start: str) -> AgendaItem:
    return AgendaItem.objects.get(title__startswith=title_start)


def test_console_shows_the_agenda_and_the_start_button(secretariat_client, seed_meeting):
    page = secretariat_client.get(CONSOLE).content.decode()
    assert 'data-key="s" aria-keyshortcuts="S">Iniciar la reunión</button>' in page
    assert "TEMA 2. Agenda Regional Migratoria CRM-CSM - Chile" in page


def test_pressing_start_then_next_is_recorded_with_who_pressed(secretariat_client, seed_meeting):
    held_today(seed_meeting)
    secretariat_client.post(ACTION, {"action": "start_meeting"})
    response = secretariat_client.post(ACTION, {"action": "next", "item": str(topic("Apertura").uuid)})
    assert response["Location"] == CONSOLE
    events = [
        (event.kind, event.item.title if event.item else None, event.by.username)
        for event in LiveEvent.objects.all()
    ]
    assert events == [("start_meeting", None, "secretaria"), ("next", "Apertura", "secretaria")]
    page = secretariat_client.get(CONSOLE).content.decode()
    assert "Siguiente punto" in page and "TEMA 1. Recomendaciones" in page


def test_a_refused_action_says_why_and_records_nothing(secretariat_client, seed_meeting):
    response = secretariat_client.post(ACTION, {"action": "pause"}, follow=True)
    assert "Primero inicie la reunión." in response.content.decode()
    assert not LiveEvent.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "explode"}, "Escoja una opción válida."),
        (
            {"action": "start_item", "item": "00000000-0000-0000-0000-000000000000"},
            "Ese punto no está en la agenda de esta reunión.",
        ),
        ({"action": "adjust", "minutes": "mucho"}, "Introduzca un número entero."),
    ],
)
def test_malformed_actions_are_refused(secretariat_client, seed_meeting, data, message):
    response = secretariat_client.post(ACTION, data, follow=True)
    assert message in response.content.decode()
    assert not LiveEvent.objects.exists()


def test_only_timekeepers_may_act(client, seed_meeting):
    assert client.get(CONSOLE).status_code == 403
    assert client.post(ACTION, {"action": "start_meeting"}).status_code == 403
    client.force_login(User.objects.create_user("observadora", password="x-Pl3nary-test", is_staff=True))
    assert client.get(CONSOLE).status_code == 403
    assert client.post(ACTION, {"action": "start_meeting"}).status_code == 403
    assert client.get(reverse("agenda:live-report", args=[SLUG])).status_code == 403
    assert not LiveEvent.objects.exists()


def test_actions_need_the_csrf_token(seed_meeting):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(secretariat_user())
    assert browser.post(ACTION, {"action": "start_meeting"}).status_code == 403
    assert not LiveEvent.objects.exists()


def test_live_state_is_json_with_the_servers_time_and_a_validator(
    client, seed_meeting, django_capture_on_commit_callbacks
):
    first = client.get(STATE)
    assert first["Cache-Control"] == "no-cache, public"
    assert int(first["X-Server-Time"]) > 0
    assert json.loads(first.content)["status"] == "not_started"
    again = client.get(STATE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and int(again["X-Server-Time"]) > 0
    with django_capture_on_commit_callbacks(execute=True):
        live.start_meeting(seed_meeting, by=None, at=t("09:00"))
    changed = client.get(STATE, HTTP_IF_NONE_MATCH=first["ETag"])
    state = json.loads(changed.content)
    assert (changed.status_code, state["status"], state["current"]) == (
        200,
        "running",
        str(topic("Apertura").uuid),
    )
    assert state["items"][0]["allotted_seconds"] == 15 * 60


def test_polling_the_live_state_reads_only_the_content_version(
    client, seed_meeting, django_assert_num_queries
):
    first = client.get(STATE)
    with django_assert_num_queries(10):
        for _ in range(5):
            client.get(STATE)
            client.get(STATE, HTTP_IF_NONE_MATCH=first["ETag"])


def test_live_state_carries_the_servers_projection_and_holds_until_the_clock_moves_it(
    client, seed_meeting, monkeypatch, django_capture_on_commit_callbacks
):
    def ms(moment) -> int:
        return round(moment.timestamp() * 1000)

    def poll_at(moment, etag=None):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return client.get(STATE, **({"HTTP_IF_NONE_MATCH": etag} if etag else {}))

    with django_capture_on_commit_callbacks(execute=True):
        live.start_meeting(seed_meeting, by=None, at=t("09:00"))
    on_time = poll_at(t("09:10") + timedelta(seconds=30))
    state = json.loads(on_time.content)
    apertura, tema_1 = state["items"][:2]
    assert (state["current"], state["next"]) == (apertura["id"], tema_1["id"])
    assert state["countdown_to"] == ms(t("09:15")) and state["paused_remaining_ms"] is None
    assert (tema_1["status"], tema_1["start"], tema_1["moved"], state["delay_minutes"]) == (
        "next",
        ms(t("09:15")),
        False,
        0,
    )
    # Nothing moves until Apertura's time is up: the same answer, 304.
    assert poll_at(t("09:14"), on_time["ETag"]).status_code == 304

    late = poll_at(t("09:20") + timedelta(seconds=30), on_time["ETag"])
    state = json.loads(late.content)
    tema_1 = state["items"][1]
    assert late.status_code == 200
    assert (tema_1["start"], tema_1["moved"], state["delay_minutes"]) == (ms(t("09:20")), True, 5)
    assert state["countdown_to"] == ms(t("09:15")), "the browser counts on into the overrun"
    assert poll_at(t("09:20") + timedelta(seconds=50), late["ETag"]).status_code == 304
    assert poll_at(t("09:21"), late["ETag"]).status_code == 200


def test_drafts_have_no_live_state_or_speaker_view(client, db):
    from .factories import MeetingFactory

    draft = MeetingFactory(status=Meeting.Status.DRAFT)
    assert client.get(reverse("agenda:live-state", args=[draft.slug])).status_code == 404
    assert client.get(reverse("agenda:speaker-view", args=[draft.slug])).status_code == 404


def test_public_page_shows_now_next_and_delay_while_the_clock_runs(client, seed_meeting):
    live.start_meeting(seed_meeting, by=None, at=t("09:00"))
    live.next_item(seed_meeting, topic("Apertura"), by=None, at=t("09:20"))
    page = client.get(seed_meeting.get_absolute_url()).content.decode()
    assert '<strong data-live="now-title">TEMA 1. Recomendaciones' in page
    assert 'data-live="next-title">TEMA 2. Agenda Regional Migratoria CRM-CSM - Chile' in page
    assert f'data-item="{topic("Apertura").uuid}" class="agenda-row agenda-topic live-done"' in page
    assert f'data-item="{topic("TEMA 1").uuid}" class="agenda-row agenda-topic live-now"' in page
    assert 'data-poll="1"' in page


def test_speaker_view_counts_down_the_running_item(client, seed_meeting):
    live.start_meeting(seed_meeting, by=None, at=t("09:00"))
    page = client.get(reverse("agenda:speaker-view", args=[SLUG])).content.decode()
    assert 'class="live-remaining"' in page and "Apertura" in page
    assert 'href="/static/agenda/css/speaker.css"' in page


def finished_meeting(meeting):
    live.start_meeting(meeting, by=None, at=t("09:02"))
    live.next_item(meeting, topic("Apertura"), by=None, at=t("09:20"))
    live.next_item(meeting, topic("TEMA 1"), by=None, at=t("10:05"))
    live.next_item(meeting, topic("TEMA 2"), by=None, at=t("10:50"))
    live.end_meeting(meeting, by=None, at=t("11:06"))


def test_report_compares_plan_and_fact_with_a_chart(secretariat_client, seed_meeting):
    finished_meeting(seed_meeting)
    page = secretariat_client.get(reverse("agenda:live-report", args=[SLUG])).content.decode()
    assert "La reunión terminó 6 minutos tarde." in page
    assert "<td>09:15–10:00</td>" in page and "<td>09:20–10:05</td>" in page
    assert page.count('class="planned"') == 4 and page.count('class="actual"') == 4
    assert '<svg viewBox="0 0 760' in page


def test_report_downloads_as_csv(secretariat_client, seed_meeting):
    finished_meeting(seed_meeting)
    response = secretariat_client.get(reverse("agenda:live-report", args=[SLUG]) + "?format=csv")
    assert response["Content-Disposition"] == f'attachment; filename="{SLUG}-timing.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["item"][:7], row["actual_minutes"], row["overrun_minutes"]) for row in rows] == [
        ("Apertur", "18", "3"),
        ("TEMA 1.", "45", "0"),
        ("TEMA 2.", "45", "0"),
        ("Cierre ", "16", "1"),
    ]
    assert rows[0]["actual_start"] == "2022-05-31T09:02:00-06:00"


def test_report_csv_keeps_formulas_in_titles_inert(secretariat_client, seed_meeting):
    finished_meeting(seed_meeting)
    titles = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"]
    for item, title in zip(
        seed_meeting.agenda_items.filter(parent=None).order_by("starts_at"), titles, strict=True
    ):
        AgendaItem.objects.filter(pk=item.pk).update(title_es=title)
    response = secretariat_client.get(reverse("agenda:live-report", args=[SLUG]) + "?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["item"] for row in rows] == [f"'{title}" for title in titles]
    assert rows[0]["overrun_minutes"] == "3", "numbers stay numbers"
