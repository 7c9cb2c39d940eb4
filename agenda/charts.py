"""A timeline of planned against actual times, as numbers an SVG template draws."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from .models import Meeting
from .reports import ReportRow

CHART_WIDTH = 760
LABEL_WIDTH = 220
ROW_HEIGHT = 34
BAR_HEIGHT = 11
AXIS_HEIGHT = 28
TICK_MINUTES = 15


class Bar(NamedTuple):
    x: float
    width: float


@dataclass(frozen=True)
class ChartRow:
    title: str
    y: float
    planned: Bar
    actual: Bar | None


class Tick(NamedTuple):
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    label_width: int
    rows: list[ChartRow]
    ticks: list[Tick]
    bar_height: int


def timeline(meeting: Meeting, rows: list[ReportRow]) -> Timeline | None:
    """Scale every planned and actual span onto one axis, in the meeting's zone."""
    moments = [
        m for row in rows for m in (row.planned_start, row.planned_end, row.actual_start, row.actual_end) if m
    ]
    if not moments:
        return None
    first, last = min(moments), max(moments)
    span_seconds = max((last - first).total_seconds(), 60)
    plot_width = CHART_WIDTH - LABEL_WIDTH - 10

    def x(moment: datetime) -> float:
        return round(LABEL_WIDTH + (moment - first).total_seconds() / span_seconds * plot_width, 1)

    def bar(start: datetime | None, end: datetime | None) -> Bar | None:
        if start is None or end is None:
            return None
        return Bar(x(start), max(round(x(end) - x(start), 1), 1))

    chart_rows = [
        ChartRow(
            title=row.item.title,
            y=AXIS_HEIGHT + index * ROW_HEIGHT,
            planned=bar(row.planned_start, row.planned_end),
            actual=bar(row.actual_start, row.actual_end),
        )
        for index, row in enumerate(rows)
    ]
    ticks = []
    local_first = first.astimezone(meeting.zone)
    minute = (local_first.minute // TICK_MINUTES) * TICK_MINUTES
    tick = local_first.replace(minute=minute, second=0, microsecond=0)
    while tick <= last:
        if tick >= first:
            ticks.append(Tick(x(tick), f"{tick:%H:%M}"))
        tick += timedelta(minutes=TICK_MINUTES)
    return Timeline(
        width=CHART_WIDTH,
        height=AXIS_HEIGHT + len(rows) * ROW_HEIGHT + 10,
        label_width=LABEL_WIDTH,
        rows=chart_rows,
        ticks=ticks,
        bar_height=BAR_HEIGHT,
    )


@dataclass(frozen=True)
class SpeakingBar:
    name: str
    y: float
    width: float
    label: str  # "4:30 · 2"


@dataclass(frozen=True)
class SpeakingChart:
    width: int
    height: int
    label_width: int
    bars: list[SpeakingBar]
    bar_height: int


def speaking_time(totals: list) -> SpeakingChart | None:
    """Each delegation's speaking time as a bar, longest first (`reports.Total` rows)."""
    if not totals:
        return None
    ranked = sorted(totals, key=lambda total: total.spoken, reverse=True)
    longest = max(ranked[0].spoken.total_seconds(), 1)
    plot_width = CHART_WIDTH - LABEL_WIDTH - 80

    def label(total) -> str:
        minutes, seconds = divmod(round(total.spoken.total_seconds()), 60)
        return f"{minutes}:{seconds:02d} · {total.interventions}"

    bars = [
        SpeakingBar(
            name=total.name,
            y=index * ROW_HEIGHT + 6,
            width=max(round(total.spoken.total_seconds() / longest * plot_width, 1), 1),
            label=label(total),
        )
        for index, total in enumerate(ranked)
    ]
    return SpeakingChart(
        width=CHART_WIDTH,
        height=len(bars) * ROW_HEIGHT + 10,
        label_width=LABEL_WIDTH,
        bars=bars,
        bar_height=BAR_HEIGHT * 2,
    )
