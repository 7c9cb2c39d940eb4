"""The floor through its pages: a participant's private link, the moderator's console, the live state, the report."""

import csv
import io
import json
from datetime import UTC, datetime
from html import unescape

import pytest
from django.urls import reverse

from agenda import live
from agenda.cache import bump_content_version
from agenda.models import AgendaItem, LiveEvent, Registration, SpeakersList

from .factories import held_in, secretariat_user
from .test_live import t

SLUG = "iii-reunion-plenaria-crm-csm"
CONSOLE = reverse("agenda:timekeeper", args=[SLUG])
FLOOR_ACTION = reverse("agenda:timekeeper-floor", args=[SLUG])
STATE = reverse("agenda:live-state", args=[SLUG])
Kind = LiveEvent.Kind


def register(meeting, delegation: str, email: str, role=Registration.Role.DELEGATE) -> Registration:
    return Registration.objects.create(
        meeting=meeting, name=email.split("@")[0].title(), email=email, affiliation=delegation, role=role
    )


def private_page(client, registration) -> str:
    return unescape(client.get(registration.get_private_url()).content.decode())


def ask(client, registration, item, action="ask"):
    url = reverse("agenda:private-floor", args=[registration.token])
    return client.post(url, {"action": action, "item": str(item.uuid)}, follow=True)


def test_a_participant_asks_sees_the_place_and_a_colleague_sees_it_already_asked(
    client, seed_meeting, tema_1
):
    chile = register(seed_meeting, "Chile", "paula@minrel.cl")
    mexico = register(seed_meeting, "México", "ana@sre.gob.mx")
    colleague = register(seed_meeting, "México", "luis@sre.gob.mx")
    page = private_page(client, chile)
    assert 'value="Pedir la palabra"' in page and f'id="floor-{tema_1.uuid}"' in page
    assert f'action="{chile.get_private_url()}floor/"' in page and 'name="item"' in page

    assert ask(client, chile, tema_1).redirect_chain[-1][0].endswith("#floor")
    response = ask(client, mexico, tema_1)
    assert "Ha pedido la palabra para México." in unescape(response.content.decode())
    page = private_page(client, colleague)
    assert "México ha pedido la palabra: lugar 2 en la lista. La pidió Ana." in page
    assert 'value="Retirar la solicitud"' in page

    refused = unescape(ask(client, colleague, tema_1).content.decode())
    assert "México ha pedido ya la palabra en “TEMA 1." in refused and "lugar 2." in refused
    assert LiveEvent.objects.filter(kind=Kind.ASK_FLOOR).count() == 2

    withdrawn = unescape(ask(client, colleague, tema_1, action="withdraw").content.decode())
    assert "Su solicitud de palabra se ha retirado." in withdrawn
    assert [r.delegation for r in live.load_replay(seed_meeting).floors[tema_1.pk].waiting] == ["Chile"]


def test_bad_requests_from_a_private_link_say_why_and_save_nothing(client, seed_meeting, tema_1):
    chile = register(seed_meeting, "Chile", "paula@minrel.cl")
    apertura = AgendaItem.objects.get(title="Apertura")
    url = reverse("agenda:private-floor", args=[chile.token])
    cases = [
        ({"action": "ask", "item": str(apertura.uuid)}, "Este punto no tiene lista de oradores."),
        (
            {"action": "ask", "item": "00000000-0000-0000-0000-000000000000"},
            "Ese punto no está en la agenda de esta reunión.",
        ),
        ({"action": "ask", "item": "not-a-uuid"}, "Introduzca un UUID válido."),
        ({"action": "shout", "item": str(tema_1.uuid)}, "Escoja una opción válida."),
    ]
    for data, message in cases:
        page = unescape(client.post(url, data, follow=True).content.decode())
        assert message in page, data
    chile.revoke()
    revoked = client.post(url, {"action": "ask", "item": str(tema_1.uuid)})
    assert revoked.status_code == 403
    assert "Este enlace privado ha sido revocado: pida uno nuevo a la secretaría." in unescape(
        revoked.content.decode()
    )
    assert not LiveEvent.objects.exists()


@pytest.fixture
def moderator(client, seed_meeting):
    client.force_login(secretariat_user())
    return client


def test_the_moderator_gives_the_floor_in_order_and_everyone_sees_it(moderator, seed_meeting, tema_1):
    for delegation, email, role in [
        ("OIM", "olga@iom.int", Registration.Role.OBSERVER),
        ("Chile", "paula@minrel.cl", Registration.Role.DELEGATE),
        ("México", "ana@sre.gob.mx", Registration.Role.DELEGATE),
    ]:
        live.ask(register(seed_meeting, delegation, email, role), tema_1, at=t("08:50"))
    live.start_meeting(seed_meeting, by=None, at=t("09:00"))
    live.next_item(seed_meeting, AgendaItem.objects.get(title="Apertura"), by=None, at=t("09:15"))
    console = unescape(moderator.get(CONSOLE).content.decode())
    assert "Lista de oradores · TEMA 1." in console
    order = [
        console.index(f'<span class="floor-delegation">{name}</span>') for name in ("Chile", "México", "OIM")
    ]
    assert order == sorted(order)

    chile = next(
        r for r in live.load_replay(seed_meeting).floors[tema_1.pk].waiting if r.delegation == "Chile"
    )
    press = {"action": "give_floor", "item": str(tema_1.uuid), "request": chile.id}
    assert moderator.post(FLOOR_ACTION, press)["Location"] == CONSOLE
    # A second console's press on the same request moves nothing.
    again = unescape(moderator.post(FLOOR_ACTION, press, follow=True).content.decode())
    assert "Chile ya no está en espera: la lista ha avanzado." in again
    assert LiveEvent.objects.filter(kind=Kind.GIVE_FLOOR).count() == 1

    state = json.loads(moderator.get(STATE).content)["floor"]
    assert state["speaker"]["delegation"] == "Chile"
    assert [entry["delegation"] for entry in state["queue"]] == ["México", "OIM"]
    public = unescape(moderator.get(seed_meeting.get_absolute_url()).content.decode())
    assert "Tiene la palabra:</span>" in public and '<strong data-live="speaker">Chile</strong>' in public
    assert '<span data-live="queue">México, OIM</span>' in public
    speaker = unescape(moderator.get(reverse("agenda:speaker-view", args=[SLUG])).content.decode())
    assert 'class="floor-remaining"' in speaker and '<strong data-live="speaker">Chile</strong>' in speaker


def test_console_bad_input_is_refused_with_a_reason(moderator, seed_meeting, tema_1):
    register(seed_meeting, "Chile", "paula@minrel.cl")
    cases = [
        (
            {"action": "add", "item": str(tema_1.uuid), "delegation": "Narnia"},
            "Narnia no está inscrita en esta reunión.",
        ),
        ({"action": "add", "item": str(tema_1.uuid)}, "Elija la delegación que pidió la palabra."),
        (
            {"action": "give_floor", "item": str(tema_1.uuid), "request": 999},
            "Esa solicitud no está en la lista",
        ),
        ({"action": "start_meeting", "item": str(tema_1.uuid)}, "Escoja una opción válida."),
    ]
    for data, message in cases:
        page = unescape(moderator.post(FLOOR_ACTION, data, follow=True).content.decode())
        assert message in page, data
    assert not LiveEvent.objects.exists()
    added = moderator.post(
        FLOOR_ACTION,
        {"action": "add", "item": str(tema_1.uuid), "delegation": "chile", "right_of_reply": "on"},
    )
    assert added.status_code == 302
    [request] = live.load_replay(seed_meeting).floors[tema_1.pk].waiting
    assert (request.delegation, request.right_of_reply) == ("Chile", True)


def test_only_timekeepers_may_act_on_the_list(client, seed_meeting, tema_1):
    response = client.post(FLOOR_ACTION, {"action": "close_list", "item": str(tema_1.uuid)})
    assert response.status_code in (302, 403)
    assert not LiveEvent.objects.exists()


def test_the_report_lists_interventions_totals_csv_and_chart(moderator, seed_meeting, tema_1):
    chile = register(seed_meeting, "Chile", "paula@minrel.cl")
    live.ask(chile, tema_1, at=t("08:50"))
    live.start_meeting(seed_meeting, by=None, at=t("09:00"))
    live.next_item(seed_meeting, AgendaItem.objects.get(title="Apertura"), by=None, at=t("09:15"))
    request = live.load_replay(seed_meeting).floors[tema_1.pk].waiting[0].id
    live.act(seed_meeting, Kind.GIVE_FLOOR, tema_1, by=None, at=t("09:20"), request_id=request)
    live.act(seed_meeting, Kind.END_INTERVENTION, tema_1, by=None, at=t("09:24"), request_id=request)
    report = reverse("agenda:live-report", args=[SLUG])
    page = unescape(moderator.get(report).content.decode())
    assert '<th scope="row">Chile</th>' in page and "<td>Paula</td>" in page
    assert "<td>09:20:00</td>" in page and "<td>04:00</td><td>01:00</td>" in page.replace("\n", "")
    assert 'aria-labelledby="speaking-chart-title"' in page
    download = moderator.get(report, {"format": "interventions.csv"})
    assert download["Content-Disposition"] == f'attachment; filename="{SLUG}-interventions.csv"'
    [line] = csv.DictReader(io.StringIO(download.content.decode()))
    assert (line["delegation"], line["duration_seconds"], line["over_time_seconds"]) == ("Chile", "240", "60")


def test_polling_with_a_list_still_reads_only_the_content_version(
    client, seed_meeting, tema_1, django_assert_num_queries
):
    live.ask(register(seed_meeting, "Chile", "paula@minrel.cl"), tema_1, at=t("08:50"))
    first = client.get(STATE)
    with django_assert_num_queries(5):
        for _ in range(5):
            assert client.get(STATE, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_the_secretariat_gives_a_topic_a_speakers_list_in_the_admin_but_not_a_sub_item(
    secretariat_client, seed_meeting
):
    from .admin_posts import item_post

    tema_2 = AgendaItem.objects.get(title__startswith="TEMA 2")
    page = secretariat_client.get(
        reverse("admin:agenda_agendaitem_change", args=[tema_2.pk])
    ).content.decode()
    assert "Lista de oradores" in page and 'name="speakers_list-TOTAL_FORMS"' in page
    rules = {"minutes_per_intervention": "3", "open_to_delegates": "on", "open_to_observers": "on"}
    saved = secretariat_client.post(
        reverse("admin:agenda_agendaitem_change", args=[tema_2.pk]), item_post(tema_2, speakers_list=rules)
    )
    assert saved.status_code == 302
    stored = SpeakersList.objects.get(item=tema_2)
    assert (stored.minutes_per_intervention, stored.open_to_observers, stored.open_to_civil_society) == (
        3,
        True,
        False,
    )

    exchange = AgendaItem.objects.get(title="Intercambio entre países")
    refused = secretariat_client.post(
        reverse("admin:agenda_agendaitem_change", args=[exchange.pk]),
        item_post(exchange, speakers_list=rules),
    )
    assert refused.status_code == 200
    assert "Una lista de oradores corresponde a un tema con horario" in unescape(refused.content.decode())
    too_long = secretariat_client.post(
        reverse("admin:agenda_agendaitem_change", args=[tema_2.pk]),
        item_post(tema_2, **{"speakers_list-0-minutes_per_intervention": "90"}),
    )
    assert "Asegúrese de que este valor es menor o igual a 30." in unescape(too_long.content.decode())
    assert SpeakersList.objects.get(item=tema_2).minutes_per_intervention == 3


def test_the_inscribed_speakers_are_public_only_where_the_secretariat_says(client, seed_meeting, tema_1):
    # The day before the meeting: its clock has not started, so this is an inscription.
    held_in(seed_meeting, days=1)
    ask(client, register(seed_meeting, "Chile", "paula@minrel.cl"), tema_1)
    ask(client, register(seed_meeting, "México", "ana@sre.gob.mx"), tema_1)
    page = unescape(client.get(seed_meeting.get_absolute_url()).content.decode())
    assert 'id="inscribed-speakers"' not in page, "for registered participants only, by default"
    SpeakersList.objects.filter(item=tema_1).update(inscribed_shown_to_public=True)
    bump_content_version()  # as a save in the admin does (signals.py)
    page = unescape(client.get(seed_meeting.get_absolute_url()).content.decode())
    assert '<ol class="inscribed-list"><li>Chile</li><li>México</li></ol>' in page


def test_the_secretariat_sets_the_inscription_window_in_the_meetings_zone(secretariat_client, seed_meeting):
    from .admin_posts import item_post

    tema_2 = AgendaItem.objects.get(title__startswith="TEMA 2")
    url = reverse("admin:agenda_agendaitem_change", args=[tema_2.pk])
    window = {
        "minutes_per_intervention": "3",
        "open_to_delegates": "on",
        "inscription_opens_at_0": "2022-05-30",
        "inscription_opens_at_1": "09:00",
        "inscription_closes_at_0": "2022-05-31",
        "inscription_closes_at_1": "08:30",
    }
    backwards = dict(window, inscription_closes_at_0="2022-05-29")
    refused = secretariat_client.post(url, item_post(tema_2, speakers_list=backwards))
    assert "La inscripción debe cerrar después de abrir." in unescape(refused.content.decode())
    assert not SpeakersList.objects.filter(item=tema_2).exists(), "nothing saved"
    assert secretariat_client.post(url, item_post(tema_2, speakers_list=window)).status_code == 302
    stored = SpeakersList.objects.get(item=tema_2)
    # GMT-6: 08:30 there is 14:30 UTC.
    assert stored.inscription_closes_at == datetime(2022, 5, 31, 14, 30, tzinfo=UTC)
    assert stored.inscription_opens_at == datetime(2022, 5, 30, 15, 0, tzinfo=UTC)
