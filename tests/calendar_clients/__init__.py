"""Parse feeds the way calendar clients do: icalendar, vobject, and Mozilla's ical.js."""

import json
import shutil
import subprocess
from datetime import UTC
from pathlib import Path

import icalendar
import pytest
import vobject

ICALJS_SCRIPT = Path(__file__).with_name("icaljs_parse.mjs")
PROJECT = Path(__file__).resolve().parents[2]


def utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def with_icalendar(body: bytes) -> list[dict]:
    calendar = icalendar.Calendar.from_ical(body)
    return [
        {
            "uid": str(event["UID"]),
            "summary": str(event["SUMMARY"]),
            "start": utc(event.decoded("DTSTART")),
            "end": utc(event.decoded("DTEND")),
            "sequence": int(event["SEQUENCE"]),
            "status": str(event["STATUS"]),
        }
        for event in calendar.walk("VEVENT")
    ]


def with_vobject(body: bytes) -> list[dict]:
    calendar = vobject.readOne(body.decode("utf-8"))
    return [
        {
            "uid": event.uid.value,
            "summary": event.summary.value,
            "start": utc(event.dtstart.value),
            "end": utc(event.dtend.value),
            "sequence": int(event.sequence.value),
            "status": event.status.value,
        }
        for event in calendar.vevent_list
    ]


def with_icaljs(body: bytes) -> dict:
    """The whole calendar as Thunderbird's parser reads it (node and npm's ical.js)."""
    node = shutil.which("node")
    if node is None or not (PROJECT / "node_modules" / "ical.js").exists():
        pytest.fail("ical.js needs node and `npm ci` (make test runs it; .ci/run installs node)")
    result = subprocess.run(  # noqa: S603 - a fixed script of ours, fed our own feed
        [node, str(ICALJS_SCRIPT)], input=body, capture_output=True, check=True, cwd=PROJECT, timeout=60
    )
    return json.loads(result.stdout)


def icaljs_events(body: bytes) -> list[dict]:
    keys = ("uid", "summary", "start", "end", "sequence", "status")
    return [{key: event[key] for key in keys} for event in with_icaljs(body)["events"]]


def events_in_every_parser(body: bytes) -> list[dict]:
    """Return the events after checking that all three parsers read them alike."""
    events = with_icalendar(body)
    assert with_vobject(body) == events
    assert icaljs_events(body) == events
    return events
