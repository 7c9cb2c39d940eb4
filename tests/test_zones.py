"""Times for every delegation, from the tz database's history for the meeting's date."""

from datetime import UTC, date, datetime

import pytest

from agenda import zones

SEED_START = datetime(2022, 5, 31, 15, 0, tzinfo=UTC)  # 09:00 GMT-6
SEED_END = datetime(2022, 5, 31, 17, 0, tzinfo=UTC)

# Each member's capital on 31 May 2022: (capital, offset, start, end).
SEED_DAY_AT_CAPITALS = {
    "CA": ("Ottawa", "GMT-4", "11:00", "13:00"),
    "US": ("Washington", "GMT-4", "11:00", "13:00"),
    "MX": ("Ciudad de México", "GMT-5", "10:00", "12:00"),  # before Mexico dropped DST in October 2022
    "GT": ("Ciudad de Guatemala", "GMT-6", "09:00", "11:00"),
    "BZ": ("Belmopán", "GMT-6", "09:00", "11:00"),
    "SV": ("San Salvador", "GMT-6", "09:00", "11:00"),
    "HN": ("Tegucigalpa", "GMT-6", "09:00", "11:00"),
    "NI": ("Managua", "GMT-6", "09:00", "11:00"),
    "CR": ("San José", "GMT-6", "09:00", "11:00"),
    "PA": ("Panamá", "GMT-5", "10:00", "12:00"),
    "DO": ("Santo Domingo", "GMT-4", "11:00", "13:00"),
    "AR": ("Buenos Aires", "GMT-3", "12:00", "14:00"),
    "BO": ("La Paz", "GMT-4", "11:00", "13:00"),
    "BR": ("Brasília", "GMT-3", "12:00", "14:00"),
    "CL": ("Santiago", "GMT-4", "11:00", "13:00"),
    "CO": ("Bogotá", "GMT-5", "10:00", "12:00"),
    "EC": ("Quito", "GMT-5", "10:00", "12:00"),
    "GY": ("Georgetown", "GMT-4", "11:00", "13:00"),
    "PY": ("Asunción", "GMT-4", "11:00", "13:00"),  # Paraguay's winter, before its 2024 move to UTC-3
    "PE": ("Lima", "GMT-5", "10:00", "12:00"),
    "SR": ("Paramaribo", "GMT-3", "12:00", "14:00"),
    "UY": ("Montevideo", "GMT-3", "12:00", "14:00"),
    "VE": ("Caracas", "GMT-4", "11:00", "13:00"),
}


@pytest.mark.parametrize(("code", "expected"), SEED_DAY_AT_CAPITALS.items())
def test_seed_meeting_at_each_member_capital(code, expected):
    (row,) = zones.delegation_times(SEED_START, SEED_END, date(2022, 5, 31), [(code, code)])
    capital, offset, _start, _end = expected
    span = row.at_capital
    assert (row.capital, span.offset_label, f"{span.starts_at:%H:%M}", f"{span.ends_at:%H:%M}") == expected
    assert span.label == f"{capital} · {offset}"
    assert span.day_shift == 0


def test_all_23_members_have_a_capital():
    assert len(zones.CAPITALS) == 23 == len(SEED_DAY_AT_CAPITALS)


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        # Chile moved to summer time (UTC-3) at midnight on 11 September 2022.
        ("America/Santiago", date(2022, 9, 10), "11:00 GMT-4"),
        ("America/Santiago", date(2022, 9, 11), "12:00 GMT-3"),
        # Paraguay did the same on 2 October 2022.
        ("America/Asuncion", date(2022, 10, 1), "11:00 GMT-4"),
        ("America/Asuncion", date(2022, 10, 2), "12:00 GMT-3"),
        # And Mexico City stopped changing clocks on 30 October 2022.
        ("America/Mexico_City", date(2022, 10, 29), "10:00 GMT-5"),
        ("America/Mexico_City", date(2022, 10, 31), "09:00 GMT-6"),
    ],
)
def test_meeting_on_a_daylight_saving_switch(zone, day, expected):
    start = datetime(day.year, day.month, day.day, 15, 0, tzinfo=UTC)  # 09:00 GMT-6
    span = zones.local_span(start, start, zone, day)
    assert f"{span.starts_at:%H:%M} {span.offset_label}" == expected


def test_half_hour_offsets_print_whole():
    (canada,) = zones.delegation_times(SEED_START, SEED_END, date(2022, 5, 31), [("CA", "Canadá")])
    st_johns = next(span for span in canada.other_zones if span.zone == "America/St_Johns")
    assert (st_johns.label, f"{st_johns.starts_at:%H:%M}") == ("San Juan de Terranova · GMT-2:30", "12:30")


def test_a_late_meeting_is_tomorrow_further_east():
    start = datetime(2022, 6, 1, 3, 0, tzinfo=UTC)  # 21:00 GMT-6 on 31 May
    (brazil,) = zones.delegation_times(start, start, date(2022, 5, 31), [("BR", "Brasil")])
    assert (f"{brazil.at_capital.starts_at:%H:%M}", brazil.at_capital.day_shift) == ("00:00", 1)


def test_country_zones_come_from_the_tz_database():
    assert zones.country_time_zones("cl") == [
        "America/Santiago",
        "America/Coyhaique",
        "America/Punta_Arenas",
        "Pacific/Easter",
    ]


@pytest.mark.parametrize(
    ("requested", "remembered", "expected"),
    [
        ("America/Santiago", None, ("America/Santiago", None)),
        ("America/Santiago", "America/Toronto", ("America/Santiago", None)),
        (None, "America/Toronto", ("America/Toronto", None)),
        ("Marte/Olympus", "America/Toronto", (None, "Marte/Olympus")),
        (None, "../../etc/passwd", (None, None)),
        ("America/Buenos_Aires", None, ("America/Buenos_Aires", None)),  # the alias Chromium reports
    ],
)
def test_viewer_zone_from_address_then_cookie(requested, remembered, expected):
    assert zones.choose_viewer_zone(requested, remembered) == expected
