"""The speakers' list on a simulated meeting: a clock the test controls, no sleeping."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils.formats import date_format

from agenda import live, notifications, record, reports
from agenda.models import Country, LiveEvent, Presidency, Registration, SpeakersList

from .factories import ConferenceFactory, at, meeting_with_topics, secretariat_user

Kind = LiveEvent.Kind


def register(
    meeting, delegation: str, role: str = Registration.Role.DELEGATE, country: str = "", name: str = ""
):
    country_row = None
    if country:
        country_row = Country.objects.get_or_create(code=country[:2].upper(), defaults={"name": country})[0]
    return Registration.objects.create(
        meeting=meeting,
        name=name or f"Delegada de {delegation}",
        email=f"{name or 'delegada'}@{delegation.lower().replace(' ', '')}.example".replace("é", "e"),
        affiliation=delegation,
        role=role,
        country=country_row,
    )


@pytest.fixture
def meeting(db):
    """Three 15-minute topics from 09:00 GMT-6; the second has a list of 3 minutes per speaker."""
    meeting = meeting_with_topics(3)
    SpeakersList.objects.create(item=topic(meeting, 1), minutes_per_intervention=3)
    return meeting


@pytest.fixture
def keeper(db):
    return secretariat_user()


def topic(meeting, index: int):
    return meeting.agenda()[index]


def queue(meeting) -> list[str]:
    state = live.load_replay(meeting)
    return [request.delegation for request in state.floors[topic(meeting, 1).pk].waiting]


def request_of(meeting, delegation: str) -> int:
    state = live.load_replay(meeting)
    return next(
        r.id for r in state.floors[topic(meeting, 1).pk].requests.values() if r.delegation == delegation
    )


def refusal(action) -> str:
    events = LiveEvent.objects.count()
    with pytest.raises(live.LiveActionRefused) as refused:
        action()
    assert LiveEvent.objects.count() == events, "nothing is saved"
    return refused.value.messages[0]


def test_member_states_come_first_then_observers_then_civil_society_each_in_the_order_they_asked(meeting):
    item = topic(meeting, 1)
    for delegation, role in [
        ("OIM", Registration.Role.OBSERVER),
        ("Chile", Registration.Role.DELEGATE),
        ("Red de la sociedad civil", Registration.Role.CIVIL_SOCIETY),
        ("México", Registration.Role.DELEGATE),
        ("ACNUR", Registration.Role.OBSERVER),
    ]:
        live.ask(register(meeting, delegation, role), item, at=at(-30))
    assert queue(meeting) == ["Chile", "México", "OIM", "ACNUR", "Red de la sociedad civil"]


def test_the_moderator_may_reorder_and_later_requests_keep_that_order_around_them(meeting, keeper):
    item = topic(meeting, 1)
    live.ask(register(meeting, "Chile"), item, at=at(-30))
    live.ask(register(meeting, "OIM", Registration.Role.OBSERVER), item, at=at(-29))
    live.act(
        meeting, Kind.MOVE, item, by=keeper, at=at(-28), request_id=request_of(meeting, "OIM"), position=1
    )
    live.ask(register(meeting, "Brasil"), item, at=at(-27))
    assert queue(meeting) == ["OIM", "Chile", "Brasil"]
    live.add(meeting, item, "chile", right_of_reply=True, by=keeper, at=at(-26))
    assert queue(meeting) == ["OIM", "Chile", "Brasil", "Chile"]
    # One request and one right of reply at most: a second of either is refused.
    chile = Registration.objects.get(affiliation="Chile")
    assert "Chile ha pedido ya la palabra" in refusal(lambda: live.ask(chile, item, at=at(-25)))
    again = lambda: live.add(meeting, item, "Chile", right_of_reply=True, by=keeper, at=at(-25))  # noqa: E731
    assert "Chile ha pedido ya la palabra" in refusal(again)
    state = live.load_replay(meeting)
    assert [r.right_of_reply for r in state.floors[item.pk].waiting] == [False, False, False, True]


def test_one_request_per_delegation_a_colleague_is_told_the_place_already_asked(meeting):
    item = topic(meeting, 1)
    live.ask(register(meeting, "Chile"), item, at=at(-30))
    live.ask(register(meeting, "Delegación de México", name="ana"), item, at=at(-29))
    colleague = register(meeting, "delegacion de mexico ", name="luis")
    message = refusal(lambda: live.ask(colleague, item, at=at(-28)))
    assert message == "Delegación de México ha pedido ya la palabra en “Tema 2”: lugar 2."


@pytest.mark.parametrize(
    "case, message",
    [
        ("no list", "Este punto no tiene lista de oradores."),
        ("closed", "La lista de oradores de “Tema 2” está cerrada."),
        ("ended", "La reunión ha terminado."),
        ("revoked", "Este enlace privado ha sido revocado: pida uno nuevo a la secretaría."),
        ("not open to observers", "En “Tema 2”, la palabra no está abierta a: Observador/a."),
        ("item over", "La lista de oradores de “Tema 2” está cerrada: el punto ha terminado."),
    ],
)
def test_a_request_that_does_not_fit_is_refused_with_a_reason_and_nothing_saved(
    meeting, keeper, case, message
):
    item = topic(meeting, 1)
    participant = register(meeting, "Chile")
    if case == "no list":
        item = topic(meeting, 0)
    elif case == "closed":
        live.act(meeting, Kind.CLOSE_LIST, item, by=keeper, at=at(-5))
    elif case == "ended":
        live.start_meeting(meeting, by=keeper, at=at(0))
        live.end_meeting(meeting, by=keeper, at=at(10))
    elif case == "revoked":
        participant.revoke()
    elif case == "not open to observers":
        SpeakersList.objects.filter(item=item).update(open_to_observers=False)
        participant = register(meeting, "OIM", Registration.Role.OBSERVER)
    elif case == "item over":
        live.start_item(meeting, item, by=keeper, at=at(15))
        live.next_item(meeting, item, by=keeper, at=at(30))
    assert refusal(lambda: live.ask(participant, item, at=at(31))) == message


def test_a_delegation_not_registered_cannot_be_added_to_the_list(meeting, keeper):
    register(meeting, "Chile")
    message = refusal(
        lambda: live.add(meeting, topic(meeting, 1), "Narnia", right_of_reply=False, by=keeper, at=at(16))
    )
    assert message == "Narnia no está inscrita en esta reunión."


def test_giving_the_floor_needs_the_item_running_and_two_presses_move_the_list_by_one(meeting, keeper):
    item = topic(meeting, 1)
    for name in ("Chile", "México"):
        live.ask(register(meeting, name), item, at=at(-10))
    chile = request_of(meeting, "Chile")
    give = lambda: live.act(meeting, Kind.GIVE_FLOOR, item, by=keeper, at=at(16), request_id=chile)  # noqa: E731
    assert refusal(give).startswith("“Tema 2” no está en curso")
    live.start_item(meeting, item, by=keeper, at=at(15))
    give()
    assert refusal(give) == "Chile ya no está en espera: la lista ha avanzado. Revísela e inténtelo de nuevo."
    state = live.load_replay(meeting)
    assert state.floors[item.pk].speaking.delegation == "Chile"
    assert queue(meeting) == ["México"]


def test_at_this_pace_the_list_pushes_the_items_after_it(meeting, keeper):
    item = topic(meeting, 1)
    for name in ("Chile", "México", "Brasil", "Perú", "Colombia", "Ecuador"):
        live.ask(register(meeting, name), item, at=at(-10))
    live.start_meeting(meeting, by=keeper, at=at(0))
    live.next_item(meeting, topic(meeting, 0), by=keeper, at=at(15))
    live.act(meeting, Kind.GIVE_FLOOR, item, by=keeper, at=at(15), request_id=request_of(meeting, "Chile"))
    # Chile speaks 5 minutes: the pace is now 5 minutes, five wait: the list ends at 09:45.
    live.act(meeting, Kind.GIVE_FLOOR, item, by=keeper, at=at(20), request_id=request_of(meeting, "México"))
    projection = live.project(live.load_replay(meeting), at(21))
    read = projection.floor
    assert read.speaker_due == at(23)
    assert read.ends_at == at(23) + 4 * timedelta(minutes=5)
    assert read.over_slot_minutes == 13
    assert [(row.start, row.end) for row in projection.items[1:]] == [(at(15), at(43)), (at(43), at(58))]
    assert live.snapshot(projection)["items"][2]["moved"]
    snapshot = live.snapshot(projection)["floor"]
    assert snapshot["speaker"]["delegation"] == "México"
    assert [entry["delegation"] for entry in snapshot["queue"]] == ["Brasil", "Perú", "Colombia", "Ecuador"]
    assert snapshot["over_slot_minutes"] == 13
    # The projection holds until México's time is up; then it moves with the clock.
    assert projection.holds_until == at(23)


def test_a_pause_stops_the_speakers_time_and_an_extension_adds_a_minute(meeting, keeper):
    item = topic(meeting, 1)
    live.ask(register(meeting, "Chile"), item, at=at(-10))
    chile = request_of(meeting, "Chile")
    live.start_item(meeting, item, by=keeper, at=at(15))
    live.act(meeting, Kind.GIVE_FLOOR, item, by=keeper, at=at(16), request_id=chile)
    live.pause(meeting, by=keeper, at=at(17))
    live.resume(meeting, by=keeper, at=at(19))
    live.act(meeting, Kind.EXTEND, item, by=keeper, at=at(20), request_id=chile)
    projection = live.project(live.load_replay(meeting), at(20))
    assert projection.floor.speaker_remaining == timedelta(minutes=2)
    live.act(meeting, Kind.END_INTERVENTION, item, by=keeper, at=at(22), request_id=chile)
    spoken = live.load_replay(meeting).floors[item.pk].heard[0]
    assert (spoken.duration, spoken.allotted, spoken.over_time) == (
        timedelta(minutes=4),
        timedelta(minutes=4),
        timedelta(0),
    )


def test_the_report_of_a_scripted_meeting_adds_up_per_delegation_and_conference(meeting, keeper):
    item = topic(meeting, 1)
    crm = ConferenceFactory(acronym="CRM", name="Conferencia Regional sobre Migración")
    csm = ConferenceFactory(acronym="CSM", name="Conferencia Suramericana sobre Migraciones")
    meeting.conferences.set([crm, csm])
    chile = register(meeting, "Chile", country="Chile", name="Paula")
    mexico = register(meeting, "México", country="México", name="Ana")
    crm.members.add(mexico.country)
    csm.members.add(chile.country)
    oim = register(meeting, "OIM", Registration.Role.OBSERVER, name="Olga")
    for participant, minute in [(oim, -20), (mexico, -15), (chile, -12)]:
        live.ask(participant, item, at=at(minute))
    live.start_meeting(meeting, by=keeper, at=at(0))
    live.next_item(meeting, topic(meeting, 0), by=keeper, at=at(15))
    ids = {name: request_of(meeting, name) for name in ("Chile", "México", "OIM")}
    # México 3:30 (30 s over), Chile 2:00, OIM skipped, then México's right of reply for 1:00.
    script = [
        (Kind.GIVE_FLOOR, "México", timedelta(minutes=15)),
        (Kind.GIVE_FLOOR, "Chile", timedelta(minutes=18, seconds=30)),
        (Kind.END_INTERVENTION, "Chile", timedelta(minutes=20, seconds=30)),
        (Kind.SKIP, "OIM", timedelta(minutes=21)),
    ]
    for kind, name, moment in script:
        live.act(meeting, kind, item, by=keeper, at=at(0) + moment, request_id=ids[name])
    live.add(meeting, item, "Mexico", right_of_reply=True, by=keeper, at=at(22))
    reply = max(live.load_replay(meeting).floors[item.pk].requests)
    live.act(meeting, Kind.GIVE_FLOOR, item, by=keeper, at=at(23), request_id=reply)
    live.next_item(meeting, item, by=keeper, at=at(24))

    state = live.load_replay(meeting)
    [(reported_item, rows)] = reports.interventions(state)
    assert reported_item == item
    assert [(r.delegation, r.person, r.outcome, r.duration, r.over_time) for r in rows] == [
        ("México", "Ana", "spoke", timedelta(minutes=3, seconds=30), timedelta(seconds=30)),
        ("Chile", "Paula", "spoke", timedelta(minutes=2), timedelta(0)),
        ("OIM", "Olga", "skipped", None, None),
        ("México", "", "spoke", timedelta(minutes=1), timedelta(0)),
    ]
    delegations, conferences = reports.totals(state, meeting)
    assert [(t.name, t.interventions, t.spoken, t.over_time) for t in delegations] == [
        ("México", 2, timedelta(minutes=4, seconds=30), timedelta(seconds=30)),
        ("Chile", 1, timedelta(minutes=2), timedelta(0)),
    ]
    assert [(t.name, t.interventions, t.spoken) for t in conferences] == [
        ("CRM", 2, timedelta(minutes=4, seconds=30)),
        ("CSM", 1, timedelta(minutes=2)),
    ]
    output = io.StringIO()
    reports.write_interventions_csv(state, meeting.zone, output)
    lines = list(csv.DictReader(io.StringIO(output.getvalue())))
    assert [(line["delegation"], line["given_at"], line["duration_seconds"]) for line in lines] == [
        ("México", "2031-06-10T09:15:00-06:00".replace("2031", str(at(0).year)), "210"),
        ("Chile", f"{at(0).year}-06-10T09:18:30-06:00", "120"),
        ("OIM", "", ""),
        ("México", f"{at(0).year}-06-10T09:23:00-06:00", "60"),
    ]


def test_a_point_of_order_goes_to_the_top_even_on_a_closed_list_and_only_while_the_item_runs(meeting, keeper):
    item = topic(meeting, 1)
    chile, peru = register(meeting, "Chile"), register(meeting, "Perú")
    live.ask(chile, item, at=at(-30))
    live.ask(register(meeting, "México"), item, at=at(-29))
    message = refusal(lambda: live.ask(peru, item, at=at(-28), point_of_order=True))
    assert message == "Una cuestión de orden se plantea sobre el punto en debate: “Tema 2” no está en curso."
    live.start_item(meeting, item, by=keeper, at=at(15))
    live.act(meeting, Kind.CLOSE_LIST, item, by=keeper, at=at(16))
    assert "está cerrada" in refusal(lambda: live.ask(peru, item, at=at(17)))
    live.ask(peru, item, at=at(17), point_of_order=True)
    live.add(meeting, item, "México", right_of_reply=False, point_of_order=True, by=keeper, at=at(18))
    assert queue(meeting) == ["Perú", "México", "Chile", "México"], (
        "points of order first, in the order raised"
    )
    again = lambda: live.ask(peru, item, at=at(19), point_of_order=True)  # noqa: E731
    assert refusal(again) == "Perú ya ha planteado una cuestión de orden en “Tema 2”."
    waiting = live.load_replay(meeting).floors[item.pk].waiting
    assert [r.kind_label for r in waiting] == ["cuestión de orden", "cuestión de orden", "", ""]
    live.act(meeting, Kind.GIVE_FLOOR, item, by=keeper, at=at(20), request_id=waiting[0].id)
    output = io.StringIO()
    reports.write_interventions_csv(live.load_replay(meeting), meeting.zone, output)
    rows = list(csv.DictReader(io.StringIO(output.getvalue())))
    assert (rows[0]["delegation"], rows[0]["point_of_order"]) == ("Perú", "yes")


def test_delegations_inscribe_inside_the_window_and_are_told_their_place_by_mail(meeting, keeper, mailoutbox):
    item = topic(meeting, 1)
    SpeakersList.objects.filter(item=item).update(inscription_opens_at=at(-60), inscription_closes_at=at(-10))
    chile, mexico = register(meeting, "Chile"), register(meeting, "México")
    day = date_format(meeting.local_date, "DATE_FORMAT")  # "10 de junio de 2031"
    message = refusal(lambda: live.ask(chile, item, at=at(-61)))
    assert message == f"La inscripción en “Tema 2” abre el {day}, 08:00 GMT-6."
    live.ask(mexico, item, at=at(-50))
    live.ask(chile, item, at=at(-40))
    assert refusal(lambda: live.ask(register(meeting, "Perú"), item, at=at(-10))) == (
        f"La inscripción en “Tema 2” cerró el {day}, 08:50 GMT-6."
    )
    live.add(meeting, item, "Perú", right_of_reply=False, by=keeper, at=at(-5))
    assert queue(meeting) == ["México", "Chile", "Perú"], "the moderator still adds after the close"

    notifications.deliver_due(at(-39))  # with the reminders: the meeting starts within the hour
    acknowledgements = [mail for mail in mailoutbox if "lista de oradores" in mail.subject]
    assert len(acknowledgements) == 2
    by_address = {mail.to[0]: mail for mail in acknowledgements}
    acknowledgement = by_address[chile.email]
    assert acknowledgement.subject.startswith("Inscripción en la lista de oradores: ")
    assert "Chile está inscrita en la lista de oradores de “Tema 2”: lugar 2." in acknowledgement.body
    assert "lugar 1." in by_address[mexico.email].body
    assert notifications.deliver_due(at(-30)) == 0, "each acknowledgement once"


def test_an_inscription_window_that_closes_before_it_opens_is_refused(meeting):
    settings = SpeakersList.objects.get(item=topic(meeting, 1))
    settings.inscription_opens_at, settings.inscription_closes_at = at(-10), at(-20)
    with pytest.raises(ValidationError) as refused:
        settings.full_clean()
    assert refused.value.message_dict == {
        "inscription_closes_at": ["La inscripción debe cerrar después de abrir."]
    }


def test_a_delegations_speaking_time_runs_out_and_its_next_request_is_refused(meeting, keeper):
    item = topic(meeting, 1)
    SpeakersList.objects.filter(item=item).update(minutes_per_delegation=4)
    chile = register(meeting, "Chile")
    live.start_item(meeting, item, by=keeper, at=at(15))
    live.ask(chile, item, at=at(15))
    live.ask(register(meeting, "México"), item, at=at(15))
    waiting = live.load_replay(meeting).floors[item.pk].waiting
    live.act(meeting, Kind.GIVE_FLOOR, item, by=keeper, at=at(16), request_id=waiting[0].id)
    speaker = live.load_replay(meeting).floors[item.pk].speaking
    assert speaker.allotted == timedelta(minutes=4), "the whole budget, instead of the 3 minutes per turn"
    live.act(meeting, Kind.GIVE_FLOOR, item, by=keeper, at=at(19), request_id=waiting[1].id)
    state = live.load_replay(meeting)
    assert state.floors[item.pk].budget_left(chile.delegation_key) == timedelta(minutes=1)
    live.ask(chile, item, at=at(19))
    live.act(meeting, Kind.END_INTERVENTION, item, by=keeper, at=at(20), request_id=waiting[1].id)
    again = next(r for r in live.load_replay(meeting).floors[item.pk].waiting if r.delegation == "Chile")
    live.act(meeting, Kind.GIVE_FLOOR, item, by=keeper, at=at(20), request_id=again.id)
    live.act(meeting, Kind.END_INTERVENTION, item, by=keeper, at=at(22), request_id=again.id)  # a minute over
    assert refusal(lambda: live.ask(chile, item, at=at(23))) == "Chile ya usó sus 4 minutos en “Tema 2”."
    live.ask(chile, item, at=at(23), point_of_order=True)  # a point of order is never out of time
    rows = reports.budgets(live.load_replay(meeting))[item.pk]
    assert [(r.delegation, r.spoken, r.over) for r in rows] == [
        ("Chile", timedelta(minutes=5), timedelta(minutes=1)),
        ("México", timedelta(minutes=1), timedelta(0)),
    ]
    tables = [block for block in record.build_record(meeting, "x").blocks if isinstance(block, record.Table)]
    budget_table = next(table for table in tables if "Tiempo de palabra por delegación" in table.headings)
    assert budget_table.rows[0] == ("Chile", "04:00", "05:00", "01:00"), "the overrun in the record"


def test_a_presidency_on_behalf_of_its_conference_is_heard_before_national_statements(meeting, keeper):
    """PPT CSM (Argentina that day) speaks for the CSM before Chile and México speak for themselves."""
    item = topic(meeting, 1)
    SpeakersList.objects.filter(item=item).update(presidency_minutes=5)
    csm = ConferenceFactory(acronym="CSM")
    meeting.conferences.add(csm)
    argentina, chile = (register(meeting, name, country=name) for name in ("Argentina", "Chile"))
    csm.members.add(argentina.country, chile.country)
    Presidency.objects.create(conference=csm, country=argentina.country, starts_on=meeting.local_date)
    live.ask(chile, item, at=at(-30))
    live.ask(register(meeting, "México", country="México"), item, at=at(-29))
    message = refusal(
        lambda: live.ask(chile, item, at=at(-28), capacity=LiveEvent.Capacity.PRESIDENCY, on_behalf_of="CSM")
    )
    assert message == "Chile no ejerce la presidencia pro tempore de la CSM ese día."
    peru = register(meeting, "Perú", country="Perú")
    assert (
        refusal(
            lambda: live.ask(
                peru, item, at=at(-28), capacity=LiveEvent.Capacity.CONFERENCE, on_behalf_of="csm"
            )
        )
        == "Perú no es miembro de la CSM."
    )
    live.ask(argentina, item, at=at(-27), capacity=LiveEvent.Capacity.PRESIDENCY, on_behalf_of="csm")
    live.ask(peru, item, at=at(-26), capacity=LiveEvent.Capacity.GROUP, on_behalf_of="Grupo de Lima")
    waiting = live.load_replay(meeting).floors[item.pk].waiting
    assert [(r.delegation, r.kind_label) for r in waiting] == [
        ("Argentina", "en nombre de la PPT CSM"),
        ("Perú", "en nombre de Grupo de Lima"),
        ("Chile", ""),
        ("México", ""),
    ]
    assert waiting[0].allotted == timedelta(minutes=5), "the presidency's own time"
    SpeakersList.objects.filter(item=item).update(statements_on_behalf_first=False)
    assert queue(meeting) == ["Chile", "México", "Argentina", "Perú"], (
        "in the order asked, where the list says so"
    )
    assert [(choice, label) for choice, label in live.capacities_for(argentina)] == [
        ("national", "En su capacidad nacional"),
        ("presidency:CSM", "En nombre de la PPT CSM"),
        ("conference:CSM", "En nombre de la CSM"),
        ("group", "En nombre de un grupo (indíquelo)"),
    ]
