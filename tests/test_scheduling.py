"""Shifting items and duplicating meetings: whole-agenda changes, all or nothing."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from agenda.models import AgendaItem
from agenda.scheduling import duplicate_meeting, shift_items

from .factories import AgendaItemFactory, MeetingFactory, at, meeting_with_topics
from .test_validation import snapshot


def spans(meeting) -> list[tuple[str, datetime, datetime]]:
    return [(item.title, item.starts_at, item.ends_at) for item in meeting.agenda_items.all()]


def test_shifting_a_sub_item_stretches_its_topic_and_moves_what_follows(db):
    meeting = meeting_with_topics(2)
    first = meeting.agenda_items.get(title="Tema 1")
    AgendaItemFactory(meeting=meeting, parent=first, title="A", starts_at=at(0), ends_at=at(5))
    b = AgendaItemFactory(meeting=meeting, parent=first, title="B", starts_at=at(5), ends_at=at(10))
    shift_items(b, 10)
    assert spans(meeting) == [
        ("Tema 1", at(0), at(25)),
        ("A", at(0), at(5)),
        ("B", at(15), at(20)),
        ("Tema 2", at(25), at(40)),
    ]
    meeting.refresh_from_db()
    assert meeting.ends_at == at(40), "the meeting's end followed its last item"


def test_meeting_end_stays_when_the_shifted_agenda_still_fits(db):
    meeting = meeting_with_topics(2)
    meeting.ends_at = at(60)
    meeting.save()
    shift_items(meeting.agenda_items.get(title="Tema 2"), 10)
    meeting.refresh_from_db()
    assert meeting.ends_at == at(60)


def test_shifting_earlier_onto_the_previous_item_changes_nothing(db):
    meeting = meeting_with_topics(3)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        shift_items(meeting.agenda_items.get(title="Tema 3"), -5)
    assert "se superpone con «Tema 2»" in error.value.messages[0]
    assert snapshot() == before


def test_shifting_before_the_meeting_starts_is_refused(db):
    meeting = meeting_with_topics(2)
    with pytest.raises(ValidationError) as error:
        shift_items(meeting.agenda_items.get(title="Tema 1"), -15)
    assert error.value.messages == ["«Tema 1»: Empieza antes de la reunión (09:00–09:15 GMT-6)."]


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        (0, "Indique un número de minutos distinto de cero."),
        (24 * 60 + 1, "Un desplazamiento es de 1440 minutos como máximo, en cualquier sentido."),
    ],
)
def test_shift_by_zero_or_more_than_a_day_is_refused(db, minutes, message):
    meeting = meeting_with_topics(1)
    with pytest.raises(ValidationError) as error:
        shift_items(meeting.agenda_items.get(), minutes)
    assert error.value.messages == [message]


def test_untimed_sub_item_cannot_be_shifted_on_its_own(db):
    meeting = meeting_with_topics(1)
    untimed = AgendaItemFactory(
        meeting=meeting, parent=meeting.agenda_items.get(), title="Sin hora", starts_at=None
    )
    with pytest.raises(ValidationError) as error:
        shift_items(untimed, 5)
    assert error.value.messages == ["«Sin hora» no tiene horario propio: desplace su tema."]


def test_duplicate_keeps_local_wall_clock_times_across_daylight_saving(db):
    # Santiago: UTC-4 in June 2031 and UTC-3 in December 2031 (Chile's summer time).
    meeting = MeetingFactory(
        time_zone="America/Santiago",
        starts_at=datetime(2031, 6, 10, 13, 0, tzinfo=UTC),
        ends_at=datetime(2031, 6, 10, 15, 0, tzinfo=UTC),
    )
    AgendaItemFactory(meeting=meeting, title="Apertura", starts_at=meeting.starts_at, ends_at=meeting.ends_at)
    copy = duplicate_meeting(meeting, on=date(2031, 12, 9))
    assert copy.local_starts_at.strftime("%Y-%m-%d %H:%M") == "2031-12-09 09:00"
    assert copy.starts_at == datetime(2031, 12, 9, 12, 0, tzinfo=UTC)
    item = copy.agenda_items.get()
    assert (item.starts_at, item.ends_at) == (copy.starts_at, copy.ends_at)
    assert item.uuid != AgendaItem.objects.get(meeting=meeting).uuid
