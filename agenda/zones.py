"""Time-zone tables and labels: which zones exist, and how an offset reads."""

import zoneinfo
from datetime import datetime, timedelta
from functools import cache


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


def gmt_label_at(moment: datetime, time_zone: str) -> str:
    """Return the offset of `time_zone` at the aware datetime `moment`."""
    return gmt_label(moment.astimezone(zoneinfo.ZoneInfo(time_zone)).utcoffset())
