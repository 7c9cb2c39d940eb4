"""Reports on a meeting as held, from its replayed event log, and their CSV writers.

The live report's page (`views/live.py`) and the record (`record.py`) read them:
the clock's timing, planned against actual, and the floor's interventions and
speaking time.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime, timedelta

from .live import Replay, Request
from .live.projection import minutes_between
from .models import AgendaItem, Meeting, Registration
from .spreadsheets import spreadsheet_text

# The clock -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    """One topic, planned against actual, for the report after the meeting."""

    item: AgendaItem
    planned_start: datetime
    planned_end: datetime
    actual_start: datetime | None
    actual_end: datetime | None
    paused: timedelta

    @property
    def planned_minutes(self) -> int:
        return minutes_between(self.planned_start, self.planned_end)

    @property
    def actual_minutes(self) -> int | None:
        if self.actual_start is None or self.actual_end is None:
            return None
        return minutes_between(self.actual_start, self.actual_end) - round(self.paused.total_seconds() / 60)

    @property
    def overrun_minutes(self) -> int | None:
        """Minutes spent beyond the plan (negative when shorter)."""
        return None if self.actual_minutes is None else self.actual_minutes - self.planned_minutes

    @property
    def start_delay_minutes(self) -> int | None:
        return None if self.actual_start is None else minutes_between(self.planned_start, self.actual_start)


def timing(state: Replay) -> list[ReportRow]:
    return [
        ReportRow(
            item=clock.item,
            planned_start=clock.planned_start,
            planned_end=clock.planned_end,
            actual_start=clock.actual_start,
            actual_end=clock.actual_end,
            paused=clock.paused,
        )
        for clock in state.items
    ]


def total_delay_minutes(state: Replay) -> int | None:
    """How much later than planned the meeting ended; None until it has."""
    if not state.ended_at or not state.items:
        return None
    return minutes_between(state.items[-1].planned_end, state.ended_at)


# The floor -------------------------------------------------------------------------------------


def interventions(state: Replay) -> list[tuple[AgendaItem, list[Request]]]:
    """Per item with a list, in agenda order: who spoke or was skipped, then who still speaks."""
    rows = []
    for clock in state.items:
        item_floor = state.floors.get(clock.item.pk)
        if item_floor is not None:
            speaking = [item_floor.speaking] if item_floor.speaking else []
            rows.append((clock.item, [*item_floor.heard, *speaking]))
    return rows


@dataclass(frozen=True)
class BudgetRow:
    """A delegation's speaking time on an item with a budget per delegation."""

    delegation: str
    budget: timedelta
    spoken: timedelta

    @property
    def over(self) -> timedelta:
        return max(self.spoken - self.budget, timedelta(0))


def budgets(state: Replay) -> dict[int, list[BudgetRow]]:
    """Per item whose list gives each delegation a total, by item id: each delegation heard, in order."""
    rows: dict[int, list[BudgetRow]] = {}
    for item_id, item_floor in state.floors.items():
        if item_floor.budget is None:
            continue
        names = {request.key: request.delegation for request in item_floor.heard if request.duration}
        rows[item_id] = [
            BudgetRow(name, item_floor.budget, item_floor.spent_by(key)) for key, name in names.items()
        ]
    return rows


@dataclass
class Total:
    name: str
    interventions: int = 0
    spoken: timedelta = timedelta(0)
    over_time: timedelta = timedelta(0)

    def add(self, request: Request) -> None:
        self.interventions += 1
        self.spoken += request.duration
        self.over_time += request.over_time


def totals(state: Replay, meeting: Meeting) -> tuple[list[Total], list[Total]]:
    """Speaking time per delegation and per conference (observers and civil society apart)."""
    conference_of: dict[str, str] = {}
    for conference in meeting.conferences.prefetch_related("members"):
        for country in conference.members.all():
            conference_of.setdefault(country.pk, conference.acronym)
    by_delegation: dict[str, Total] = {}
    by_conference: dict[str, Total] = {}
    role_labels = dict(Registration.Role.choices)
    for _item, requests in interventions(state):
        for request in requests:
            if request.duration is None:
                continue
            by_delegation.setdefault(request.key, Total(request.delegation)).add(request)
            group = conference_of.get(request.country_id) or str(role_labels.get(request.role, request.role))
            by_conference.setdefault(group, Total(group)).add(request)
    return list(by_delegation.values()), sorted(by_conference.values(), key=lambda total: total.name)


# CSV -------------------------------------------------------------------------------------------

TIMING_CSV_HEADINGS = [
    "item",
    "planned_start",
    "planned_end",
    "planned_minutes",
    "actual_start",
    "actual_end",
    "actual_minutes",
    "overrun_minutes",
    "start_delay_minutes",
]
INTERVENTIONS_CSV_HEADINGS = [
    "item",
    "delegation",
    "person",
    "right_of_reply",
    "point_of_order",
    "capacity",
    "on_behalf_of",
    "language",
    "asked_at",
    "given_at",
    "duration_seconds",
    "allowed_seconds",
    "over_time_seconds",
    "outcome",
]


def local_time(moment: datetime | None, zone) -> str:
    """A moment in `zone` as ISO 8601 with its offset, or an empty cell."""
    return moment.astimezone(zone).isoformat() if moment else ""


def cell(value: int | None) -> int | str:
    return "" if value is None else value


def seconds(span: timedelta | None) -> int | str:
    return "" if span is None else round(span.total_seconds())


def write_timing_csv(rows: list[ReportRow], zone, output) -> None:
    """The timing as CSV lines on `output`, times in `zone`."""
    writer = csv.writer(output)
    writer.writerow(TIMING_CSV_HEADINGS)
    for row in rows:
        writer.writerow(
            [
                spreadsheet_text(row.item.title),
                local_time(row.planned_start, zone),
                local_time(row.planned_end, zone),
                row.planned_minutes,
                local_time(row.actual_start, zone),
                local_time(row.actual_end, zone),
                cell(row.actual_minutes),
                cell(row.overrun_minutes),
                cell(row.start_delay_minutes),
            ]
        )


def write_interventions_csv(state: Replay, zone, output) -> None:
    """Every intervention as CSV lines on `output`, times in `zone`."""
    writer = csv.writer(output)
    writer.writerow(INTERVENTIONS_CSV_HEADINGS)
    for item, requests in interventions(state):
        for request in requests:
            writer.writerow(
                [
                    spreadsheet_text(item.title),
                    spreadsheet_text(request.delegation),
                    spreadsheet_text(request.person),
                    "yes" if request.right_of_reply else "",
                    "yes" if request.point_of_order else "",
                    request.capacity,
                    spreadsheet_text(request.on_behalf_of),
                    request.language,
                    local_time(request.asked_at, zone),
                    local_time(request.given_at, zone),
                    seconds(request.duration),
                    seconds(request.allotted),
                    seconds(request.over_time),
                    request.outcome,
                ]
            )
