"""Parse feeds the way calendar clients do: icalendar, vobject, Mozilla's ical.js and libical."""

import functools
import json
import shutil
import subprocess
import tempfile
from datetime import UTC
from pathlib import Path

import icalendar
import pytest
import vobject

ICALJS_SCRIPT = Path(__file__).with_name("icaljs_parse.mjs")
LIBICAL_PROGRAM = Path(__file__).with_name("libical_parse.c")
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


@functools.cache
def libical_parser() -> str:
    """Compile the libical reader once per run (gcc and libical-dev, which .ci/run installs)."""
    gcc, pkg_config = shutil.which("gcc"), shutil.which("pkg-config")
    flags = pkg_config and subprocess.run(  # noqa: S603 - asks where libical is
        [pkg_config, "--cflags", "--libs", "libical"], capture_output=True, text=True, check=False
    )
    if not gcc or not flags or flags.returncode != 0:
        pytest.fail("libical needs gcc, pkg-config and libical-dev (.ci/run installs them)")
    program = str(Path(tempfile.mkdtemp(prefix="plenary-libical-")) / "libical_parse")
    subprocess.run(  # noqa: S603 - our own C file
        [gcc, "-o", program, str(LIBICAL_PROGRAM), *flags.stdout.split()], check=True, timeout=120
    )
    return program


def libical_events(body: bytes) -> list[dict]:
    result = subprocess.run(  # noqa: S603 - our own program, fed our own feed
        [libical_parser()], input=body, capture_output=True, check=True, timeout=60
    )
    keys = ("uid", "start", "end", "sequence", "status")
    return [
        dict(zip(keys, line.split("\t"), strict=True)) | {"sequence": int(line.split("\t")[3])}
        for line in result.stdout.decode().splitlines()
    ]


def events_in_every_parser(body: bytes) -> list[dict]:
    """Return the events after checking that all four parsers read them alike."""
    events = with_icalendar(body)
    assert with_vobject(body) == events
    assert icaljs_events(body) == events
    keys = ("uid", "start", "end", "sequence", "status")
    assert libical_events(body) == [{key: event[key] for key in keys} for event in events]
    return events
