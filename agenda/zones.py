"""Time-zone tables and labels: which zones exist, and how an offset reads."""

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache

import pytz
from babel import Locale, UnknownLocaleError
from babel.dates import get_timezone_location
from django.utils import translation
from django.utils.formats import date_format


@cache
def time_zone_names() -> tuple[str, ...]:
    """Return every IANA zone name the tz database knows, sorted.

    The legacy aliases ("US/Central", "Etc/GMT-6") are left out: "Etc/GMT-6"
    means UTC+6, the opposite of what a secretariat typing "GMT-6" expects.
    """
    legacy_prefixes = ("Etc/", "US/", "SystemV/", "posix/", "right/")
    return tuple(
        sorted(
            name
            for name in zoneinfo.available_timezones()
            if "/" in name and not name.startswith(legacy_prefixes)
        )
    )


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


def is_time_zone(name: str) -> bool:
    return name in time_zone_names()


def gmt_label(offset: timedelta | None) -> str:
    """Return an offset the way the concept notes write it: "GMT-6", "GMT-2:30"."""
    if offset is None:
        return "GMT"
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "GMT"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"GMT{sign}{hours}" + (f":{rest:02d}" if rest else "")


@cache
def zone(name: str) -> zoneinfo.ZoneInfo:
    """The zone object, kept: zoneinfo only keeps the last few, and pages read hundreds."""
    return zoneinfo.ZoneInfo(name)


def time_span(starts_at: datetime, ends_at: datetime, time_zone: str, *, offset: bool = True) -> str:
    """ "09:00–09:15 GMT-6": a span read in `time_zone`, as messages, the admin and feeds write it.

    Without `offset` where a heading already says it ("09:00–09:15"). The agenda's table
    (page and printouts) keeps the concept note's "09:00 – 09:15", a column of its own.
    """
    where = zone(time_zone)
    start, end = starts_at.astimezone(where), ends_at.astimezone(where)
    times = f"{start:%H:%M}–{end:%H:%M}"
    return f"{times} {gmt_label(start.utcoffset())}" if offset else times


def moment_text(moment: datetime, time_zone: str) -> str:
    """ "31 de mayo de 2022, 08:00 GMT-6": a moment read in `time_zone`, its offset named."""
    local = moment.astimezone(zone(time_zone))
    return f"{date_format(local.date(), 'DATE_FORMAT')}, {local:%H:%M} {gmt_label(local.utcoffset())}"


def gmt_label_at(moment: datetime, time_zone: str) -> str:
    """Return the offset of `time_zone` at the aware datetime `moment`."""
    return gmt_label(moment.astimezone(zone(time_zone)).utcoffset())


# Where "what time is it for a delegation" is read by default: each member
# country's capital (the seat of government for Bolivia), with its IANA zone.
CAPITALS: dict[str, tuple[str, str]] = {
    "AR": ("Buenos Aires", "America/Argentina/Buenos_Aires"),
    "BO": ("La Paz", "America/La_Paz"),
    "BR": ("Brasília", "America/Sao_Paulo"),
    "BZ": ("Belmopán", "America/Belize"),
    "CA": ("Ottawa", "America/Toronto"),
    "CL": ("Santiago", "America/Santiago"),
    "CO": ("Bogotá", "America/Bogota"),
    "CR": ("San José", "America/Costa_Rica"),
    "DO": ("Santo Domingo", "America/Santo_Domingo"),
    "EC": ("Quito", "America/Guayaquil"),
    "GT": ("Ciudad de Guatemala", "America/Guatemala"),
    "GY": ("Georgetown", "America/Guyana"),
    "HN": ("Tegucigalpa", "America/Tegucigalpa"),
    "MX": ("Ciudad de México", "America/Mexico_City"),
    "NI": ("Managua", "America/Managua"),
    "PA": ("Panamá", "America/Panama"),
    "PE": ("Lima", "America/Lima"),
    "PY": ("Asunción", "America/Asuncion"),
    "SR": ("Paramaribo", "America/Paramaribo"),
    "SV": ("San Salvador", "America/El_Salvador"),
    "US": ("Washington", "America/New_York"),
    "UY": ("Montevideo", "America/Montevideo"),
    "VE": ("Caracas", "America/Caracas"),
}


@cache
def viewer_time_zone_names() -> frozenset[str]:
    """Every zone a browser may report, aliases included ("America/Buenos_Aires", "UTC")."""
    return frozenset(zoneinfo.available_timezones())


def is_viewer_time_zone(name: str) -> bool:
    return name in viewer_time_zone_names()


def country_time_zones(code: str) -> list[str]:
    """The zones the tz database lists for a country (pytz's country table; zoneinfo has none)."""
    return list(pytz.country_timezones.get(code.upper(), []))


def city_name(zone: str, language: str | None = None) -> str:
    """The zone's city in the reader's language, from CLDR: "America/Mexico_City" is "Ciudad de México"."""
    return city_name_in(zone, language or translation.get_language() or "es")


@lru_cache(maxsize=2048)
def city_name_in(zone: str, language: str) -> str:
    try:
        return get_timezone_location(zone, locale=Locale.parse(language, sep="-"), return_city=True)
    except (LookupError, ValueError, UnknownLocaleError):
        # A zone CLDR does not know: "America/Argentina/Buenos_Aires" reads as "Buenos Aires".
        return zone.rsplit("/", 1)[-1].replace("_", " ")


def zone_label(zone: str, moment: datetime) -> str:
    """ "Santiago · GMT-4": the city and the offset in force at `moment`."""
    return f"{city_name(zone)} · {gmt_label_at(moment, zone)}"


@dataclass(frozen=True)
class LocalSpan:
    """A meeting's start and end as read in one zone."""

    zone: str
    label: str
    starts_at: datetime
    ends_at: datetime
    day_shift: int

    @property
    def offset_label(self) -> str:
        return gmt_label(self.starts_at.utcoffset())

    @property
    def times(self) -> str:
        """ "11:00–13:00", read in the span's own zone (a template's |time would convert it)."""
        return time_span(self.starts_at, self.ends_at, self.zone, offset=False)


def local_span(
    starts_at: datetime, ends_at: datetime, zone_name: str, reference_day: date, *, city: str | None = None
) -> LocalSpan:
    """Read a span in `zone`; `day_shift` says how many days its start is from `reference_day`."""
    tz = zone(zone_name)
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    return LocalSpan(
        zone=zone_name,
        label=f"{city or city_name(zone_name)} · {gmt_label(start.utcoffset())}",
        starts_at=start,
        ends_at=end,
        day_shift=(start.date() - reference_day).days,
    )


@dataclass(frozen=True)
class DelegationTime:
    """What time a meeting is for one member country: at its capital, and in each of its zones."""

    country_code: str
    country_name: str
    capital: str
    at_capital: LocalSpan
    other_zones: list[LocalSpan]


def delegation_times(
    starts_at: datetime, ends_at: datetime, reference_day: date, countries: list[tuple[str, str]]
) -> list[DelegationTime]:
    """Return the meeting's span for each (code, name) country, in the order given."""
    rows = []
    for code, name in countries:
        capital, capital_zone = CAPITALS.get(code, (None, None))
        zones = country_time_zones(code)
        if capital_zone is None:
            capital_zone = zones[0] if zones else "UTC"
            capital = city_name(capital_zone)
        rows.append(
            DelegationTime(
                country_code=code,
                country_name=name,
                capital=capital,
                at_capital=local_span(starts_at, ends_at, capital_zone, reference_day, city=capital),
                other_zones=[
                    local_span(starts_at, ends_at, zone, reference_day)
                    for zone in zones
                    if zone != capital_zone
                ],
            )
        )
    return rows


def grouped_zone_choices(countries: tuple[tuple[str, str], ...], moment: datetime) -> list[tuple[str, list]]:
    """Choices for a zone selector: each member country's zones first, then every other zone.

    Kept per meeting date and language: the labels carry each zone's offset on that
    date, and its city's name in that language.
    """
    return grouped_zone_choices_in(countries, moment, translation.get_language() or "es")


@lru_cache(maxsize=64)
def grouped_zone_choices_in(
    countries: tuple[tuple[str, str], ...], moment: datetime, language: str
) -> list[tuple[str, list]]:
    groups, listed = [], set()
    for code, name in countries:
        names = country_time_zones(code)
        capital_zone = CAPITALS.get(code, (None, None))[1]
        if capital_zone in names:
            names.remove(capital_zone)
            names.insert(0, capital_zone)
        groups.append((name, [(each, zone_label(each, moment)) for each in names]))
        listed.update(names)
    others = [(each, zone_label(each, moment)) for each in time_zone_names() if each not in listed]
    return [*groups, ("…", others)]


def choose_viewer_zone(requested: str | None, remembered: str | None) -> tuple[str | None, str | None]:
    """Return the zone to show times in besides the meeting's, and the name refused if any.

    A zone in the address (`?tz=`) wins over the one remembered in a cookie;
    an unknown name is refused and the page falls back to the meeting's zone.
    """
    if requested:
        if is_viewer_time_zone(requested):
            return requested, None
        return None, requested
    if remembered and is_viewer_time_zone(remembered):
        return remembered, None
    return None, None


@dataclass(frozen=True)
class Transition:
    """A change of a zone's offset: the instant (UTC) and the offsets before and after it."""

    at: datetime
    offset_before: timedelta
    offset_after: timedelta
    name_after: str
    is_daylight_after: bool

    @property
    def local_onset(self) -> datetime:
        """The wall-clock time the change happens at, read on the clock before it (RFC 5545 3.6.5)."""
        return (self.at + self.offset_before).replace(tzinfo=None)


# No zone changes its offset twice within this; the scan steps by it, then narrows to the second.
TRANSITION_SCAN_STEP = timedelta(hours=6)


@lru_cache(maxsize=256)
def transitions(name: str, start: datetime, end: datetime) -> tuple[Transition, ...]:
    """Every offset change of the zone `name` between the aware datetimes `start` and `end`."""
    tz = zone(name)

    def state(moment: datetime) -> tuple[timedelta, timedelta, str]:
        local = moment.astimezone(tz)
        return local.utcoffset(), local.dst(), local.tzname()

    found, moment, before = [], start, state(start)
    while moment < end:
        step_end = min(moment + TRANSITION_SCAN_STEP, end)
        after = state(step_end)
        if after != before:
            low, high = moment, step_end
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if state(middle) == before else (low, middle)
            high = high.replace(microsecond=0)
            found.append(Transition(high.astimezone(UTC), before[0], after[0], after[2], bool(after[1])))
        moment, before = step_end, after
    return tuple(found)
