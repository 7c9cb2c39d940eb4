"""Validation rules for meetings and agenda items, called from the models' clean().

Each function returns or raises errors in the secretariat's terms: times are
written in the meeting's own zone ("09:15 GMT-6"), never in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext as _

from .zones import is_time_zone, time_span

if TYPE_CHECKING:
    from .models import AgendaItem


def validate_time_zone(name: str) -> None:
    if not is_time_zone(name):
        raise ValidationError(
            _("“%(name)s” is not a time zone. Use an IANA name such as America/Costa_Rica."),
            code="invalid_time_zone",
            params={"name": name},
        )


# The years a meeting may be set in. The CRM first met in 1996; the bounds keep every time,
# shifted by any zone and by a feed's VTIMEZONE margin, inside what Python and the
# databases can hold (year 9999 can't be shifted, nor year 1).
EARLIEST_YEAR = 1990
LATEST_YEAR = 2100
# RFC 5545's INTEGER is 32 bits; SEQUENCE and positions stay within it on every database.
LARGEST_NUMBER = 2**31 - 1
validate_number_bound = MaxValueValidator(LARGEST_NUMBER)


def is_calendar_time(*values: datetime | None) -> bool:
    """Whether each of `values` (None for a time not set) is within the years meetings are held in."""
    return all(value is None or EARLIEST_YEAR <= value.year <= LATEST_YEAR for value in values)


def validate_calendar_year(value: datetime) -> None:
    if not is_calendar_time(value):
        raise ValidationError(
            _("Choose a date between the years %(earliest)d and %(latest)d."),
            code="year_out_of_range",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )


def validate_whole_minute(value: datetime) -> None:
    if value is not None and (value.second or value.microsecond):
        raise ValidationError(
            _("Times are set to the whole minute: leave out the seconds."),
            code="not_whole_minute",
        )


def period_errors(start: datetime | None, end: datetime | None) -> dict[str, str]:
    """Return the error of a period whose end is not after its start, by field."""
    if start is not None and end is not None and end <= start:
        return {"ends_at": _("The end must be after the start.")}
    return {}


def containment_errors(
    item: AgendaItem,
    outer_start: datetime,
    outer_end: datetime,
    outer_name: str,
    time_zone: str,
) -> dict[str, str]:
    """Return errors for an item that starts before or ends after what holds it."""
    errors = {}
    span = time_span(outer_start, outer_end, time_zone)
    if item.starts_at < outer_start:
        errors["starts_at"] = _("Starts before %(outer)s (%(span)s).") % {
            "outer": outer_name,
            "span": span,
        }
    if item.ends_at > outer_end:
        errors["ends_at"] = _("Ends after %(outer)s (%(span)s).") % {
            "outer": outer_name,
            "span": span,
        }
    return errors


def overlaps(items: Sequence[AgendaItem], time_zone: str) -> list[tuple[AgendaItem, AgendaItem, str]]:
    """Return (earlier, later, message) for each pair of timed siblings that overlap.

    Items marked as parallel may overlap anything: that is what they are for;
    a cancelled item no longer holds its slot.
    """
    timed = sorted(
        (item for item in items if item.starts_at and item.ends_at and not item.is_cancelled),
        key=lambda item: (item.starts_at, item.ends_at),
    )
    found = []
    for index, first in enumerate(timed):
        for second in timed[index + 1 :]:
            if second.starts_at >= first.ends_at:
                break
            if first.is_parallel or second.is_parallel:
                continue
            message = _(
                "“%(second)s” (%(second_span)s) overlaps “%(first)s” (%(first_span)s). "
                "Change the times, or mark one of them as parallel."
            ) % {
                "first": first.title,
                "first_span": item_span(first, time_zone),
                "second": second.title,
                "second_span": item_span(second, time_zone),
            }
            found.append((first, second, message))
    return found


def item_span(item: AgendaItem, time_zone: str) -> str:
    return time_span(item.starts_at, item.ends_at, time_zone)


def raise_if_errors(errors: dict[str, list[str] | str]) -> None:
    if any(errors.values()):
        raise ValidationError({field: messages for field, messages in errors.items() if messages})


def merge_errors(into: dict[str, list[str]], new: dict[str, str] | Iterable[tuple[str, str]]) -> None:
    pairs = new.items() if isinstance(new, dict) else new
    for field, message in pairs:
        into.setdefault(field, []).append(message)
