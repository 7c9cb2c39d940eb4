"""The live clock on a simulated meeting: a clock the test controls, no sleeping."""

from datetime import UTC, datetime

import pytest
from django.utils import translation

from agenda import live, reports
from agenda.models import AgendaItem, LiveEvent, Meeting

from .factories import secretariat_user


def t(hhmm: str) -> datetime:
    """09:00 GMT-6 on the seed meeting's day, as the aware UTC moment."""
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(2022, 5, 31, hours + 6, minutes, tzinfo=UTC)


def local(moment: datetime) -> str:
    return f"{moment.hour - 6:02d}:{moment.minute:02d}"


def seen(meeting: Meeting, now: str) -> list[tuple[str, str, str, str]]:
    """(title start, status, start, end) of each topic as the projection reads them at `now`."""
    projection = live.project(live.load_replay(meeting), t(now))
    return [(row.item.title[:7], row.status, local(row.start), local(row.end)) for row in projection.items]


def topic(title_start: str) -> AgendaItem:
    return AgendaItem.objects.get(title__startswith=title_start)


@pytest.fixture
def keeper(seed_meeting):
    return secretariat_user()


def test_before_the_meeting_the_plan_stands(seed_meeting):
    assert seen(seed_meeting, "08:55") == [
        ("Apertur", "next", "09:00", "09:15"),
        ("TEMA 1.", "upcoming", "09:15", "10:00"),
        ("TEMA 2.", "upcoming", "10:00", "10:45"),
        ("Cierre ", "upcoming", "10:45", "11:00"),
    ]


def test_a_whole_meeting_with_overruns_a_pause_and_an_early_start(seed_meeting, keeper):
    live.start_meeting(seed_meeting, by=keeper, at=t("09:02"))
    assert seen(seed_meeting, "09:05") == [
        ("Apertur", "now", "09:02", "09:17"),
        ("TEMA 1.", "next", "09:17", "10:02"),
        ("TEMA 2.", "upcoming", "10:02", "10:47"),
        ("Cierre ", "upcoming", "10:47", "11:02"),
    ]
    # Apertura overruns by three minutes: everything after moves.
    projection = live.project(live.load_replay(seed_meeting), t("09:19"))
    assert (projection.current.item.title, local(projection.current.end)) == ("Apertura", "09:19")
    assert projection.remaining.total_seconds() == -2 * 60
    live.next_item(seed_meeting, topic("Apertura"), by=keeper, at=t("09:20"))
    assert seen(seed_meeting, "09:21")[1:] == [
        ("TEMA 1.", "now", "09:20", "10:05"),
        ("TEMA 2.", "next", "10:05", "10:50"),
        ("Cierre ", "upcoming", "10:50", "11:05"),
    ]
    # A pause of four minutes during TEMA 1.
    live.pause(seed_meeting, by=keeper, at=t("09:30"))
    paused = live.project(live.load_replay(seed_meeting), t("09:32"))
    assert (paused.state.status, paused.remaining.total_seconds() / 60) == ("paused", 35)
    assert local(paused.current.end) == "10:07"
    live.resume(seed_meeting, by=keeper, at=t("09:34"))
    assert seen(seed_meeting, "09:35")[1] == ("TEMA 1.", "now", "09:20", "10:09")
    # The timekeeper takes four minutes back.
    live.adjust(seed_meeting, -4, by=keeper, at=t("09:40"))
    projection = live.project(live.load_replay(seed_meeting), t("09:41"))
    assert (local(projection.current.end), projection.delay_minutes) == ("10:05", 5)
    # TEMA 2 starts early: Cierre keeps its planned time.
    live.start_item(seed_meeting, topic("TEMA 2"), by=keeper, at=t("09:58"))
    assert seen(seed_meeting, "09:59") == [
        ("Apertur", "done", "09:02", "09:20"),
        ("TEMA 1.", "done", "09:20", "09:58"),
        ("TEMA 2.", "now", "09:58", "10:43"),
        ("Cierre ", "next", "10:45", "11:00"),
    ]
    assert live.project(live.load_replay(seed_meeting), t("09:59")).delay_minutes == 0
    live.next_item(seed_meeting, topic("TEMA 2"), by=keeper, at=t("10:50"))
    assert live.project(live.load_replay(seed_meeting), t("10:51")).delay_minutes == 5
    live.end_meeting(seed_meeting, by=keeper, at=t("11:06"))

    state = live.load_replay(seed_meeting)
    rows = [
        (
            row.item.title[:7],
            row.planned_minutes,
            row.actual_minutes,
            row.overrun_minutes,
            row.start_delay_minutes,
        )
        for row in reports.timing(state)
    ]
    assert rows == [
        ("Apertur", 15, 18, 3, 2),
        ("TEMA 1.", 45, 34, -11, 5),
        ("TEMA 2.", 45, 52, 7, -2),
        ("Cierre ", 15, 16, 1, 5),
    ]
    assert reports.total_delay_minutes(state) == 6
    assert [event.by for event in LiveEvent.objects.all()] == [keeper] * 8


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([("next", "Apertura")], "Primero inicie la reunión."),
        ([("pause", None)], "Primero inicie la reunión."),
        ([("start_meeting", None), ("start_meeting", None)], "La reunión ya comenzó."),
        ([("start_meeting", None), ("pause", None), ("pause", None)], "El reloj ya está en pausa."),
        ([("start_meeting", None), ("resume", None)], "El reloj no está en pausa."),
        ([("start_meeting", None), ("end_meeting", None), ("end_meeting", None)], "La reunión ha terminado."),
        ([("start_meeting", None), ("adjust", 0)], "Añada o quite entre 1 y 120 minutos."),
        ([("start_meeting", None), ("adjust", 500)], "Añada o quite entre 1 y 120 minutos."),
        (
            [("start_meeting", None), ("adjust", -15)],
            "El punto se quedaría sin tiempo: quite menos minutos.",
        ),
        ([("start_item", "Cierre"), ("next", "Cierre")], "Es el último punto: termine la reunión."),
    ],
)
def test_actions_out_of_order_are_refused_and_change_nothing(seed_meeting, keeper, steps, message):
    *before, (last, argument) = steps
    for step, value in before:
        perform(seed_meeting, keeper, step, value)
    recorded = LiveEvent.objects.count()
    with pytest.raises(live.LiveActionRefused) as refusal:
        perform(seed_meeting, keeper, last, argument)
    assert refusal.value.messages == [message]
    assert LiveEvent.objects.count() == recorded


def perform(meeting, keeper, step, value):
    at = t("09:05")
    if step in ("next", "start_item"):
        getattr(live, {"next": "next_item", "start_item": "start_item"}[step])(
            meeting, topic(value), by=keeper, at=at
        )
    elif step == "adjust":
        live.adjust(meeting, value, by=keeper, at=at)
    else:
        getattr(live, step)(meeting, by=keeper, at=at)


def test_two_timekeepers_pressing_next_together_move_one_item(seed_meeting, keeper):
    live.start_meeting(seed_meeting, by=keeper, at=t("09:00"))
    live.next_item(seed_meeting, topic("Apertura"), by=keeper, at=t("09:15"))
    with pytest.raises(live.LiveActionRefused) as refusal:
        # The second press still names Apertura, which the first already ended.
        live.next_item(seed_meeting, topic("Apertura"), by=keeper, at=t("09:15"))
    assert "«Apertura» ya no está en curso" in refusal.value.messages[0]
    assert live.load_replay(seed_meeting).current.item.title.startswith("TEMA 1")


@pytest.mark.parametrize("status", [Meeting.Status.DRAFT, Meeting.Status.CANCELLED])
def test_the_clock_runs_only_for_published_meetings(seed_meeting, keeper, status):
    Meeting.objects.filter(pk=seed_meeting.pk).update(status=status)
    with pytest.raises(live.LiveActionRefused):
        live.start_meeting(seed_meeting, by=keeper, at=t("09:00"))
    assert not LiveEvent.objects.exists()


def test_ending_the_meeting_needs_its_confirmation(seed_meeting, keeper):
    live.start_meeting(seed_meeting, by=keeper, at=t("09:00"))
    with translation.override("en"), pytest.raises(live.LiveActionRefused, match="Yes, end the meeting"):
        live.append(seed_meeting, LiveEvent.Kind.END_MEETING, by=keeper, at=t("09:05"))
    assert live.load_replay(seed_meeting).status == "running"


def test_an_ended_meeting_can_be_taken_back_for_half_an_hour_and_the_item_runs_on(seed_meeting, keeper):
    live.start_meeting(seed_meeting, by=keeper, at=t("09:00"))
    live.next_item(seed_meeting, topic("Apertura"), by=keeper, at=t("09:15"))
    live.end_meeting(seed_meeting, by=keeper, at=t("09:20"))  # pressed by mistake
    live.undo_end(seed_meeting, by=keeper, at=t("09:23"))
    assert seen(seed_meeting, "09:24")[1] == ("TEMA 1.", "now", "09:15", "10:03")
    # The three minutes in between were a pause, not time spent on TEMA 1.
    live.end_meeting(seed_meeting, by=keeper, at=t("11:00"))
    with translation.override("en"), pytest.raises(live.LiveActionRefused, match="more than 30 minutes ago"):
        live.undo_end(seed_meeting, by=keeper, at=t("11:31"))
    assert live.load_replay(seed_meeting).status == "ended"


def test_the_clock_starts_only_on_the_meetings_day_and_a_rehearsal_on_any(seed_meeting, keeper):
    with translation.override("en"), pytest.raises(live.LiveActionRefused, match="not the meeting's day"):
        live.start_meeting(seed_meeting, by=keeper, at=t("09:00").replace(day=30))
    # Late in the evening of 31 May in San José is already 1 June in UTC: still the meeting's day.
    late_evening = datetime(2022, 6, 1, 5, 30, tzinfo=UTC)
    live.append(
        seed_meeting, LiveEvent.Kind.START_MEETING, by=keeper, at=t("09:00").replace(day=2), rehearsal=True
    )
    rehearsal_day = datetime(2026, 12, 6, 15, tzinfo=UTC)
    live.append(
        seed_meeting, LiveEvent.Kind.NEXT, by=keeper, at=rehearsal_day, item=topic("Apertura"), rehearsal=True
    )
    assert live.load_replay(seed_meeting, rehearsal=True).current.item.title.startswith("TEMA 1.")
    # The meeting's own clock, its report and its pages know nothing of it.
    assert live.load_replay(seed_meeting).status == "not_started"
    assert not live.concerns_readers(seed_meeting, rehearsal_day)
    assert live.discard_rehearsal(seed_meeting) == 2
    assert live.load_replay(seed_meeting, rehearsal=True).status == "not_started"
    live.start_meeting(seed_meeting, by=keeper, at=late_evening)
    assert live.load_replay(seed_meeting).status == "running"
