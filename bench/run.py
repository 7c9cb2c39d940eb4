"""`make bench`: serve the seed meeting with gunicorn on 127.0.0.1 and load it from this process.

It prints, for each endpoint, requests per second from one app process, the
median and 99th-percentile latency, and how many responses reached the
database (from the `X-DB-Queries` header). Figures, not pass/fail: the
static file's rate, measured in the same run, is the ceiling to compare with.
"""

import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
SLUG = "iii-reunion-plenaria-crm-csm"


# Issue 12's targets, and what stands in the way of those not reached (README, "Performance").
TARGETS = """targets (issue 12), as ratios to the static file in this run:
  pages >= 50%; cached feeds, API, live >= 90%; 304s >= the static file: a cached answer
    still crosses Django's middleware, URL resolution, one version read and one cache read
    (the "cost of Django's stack" line); the static file leaves at WhiteNoise, third in line.
  first render after an edit <= 0.3 ms per event (1,000 items): each event's text is kept by
    all it is built from (cache.shown_key of ical.item_event_shows), so only the edited one is built again.
    <= 10 ms for the seed page: the agenda's rows and the changelog must be built again after
    an edit of the agenda (loading each about 8 ms, rendering the rows about 15 ms); the
    concept note, zone chooser and delegations' table are kept by what they show.
  worker peak memory < 120 MB: the high-water mark is set by large answers built whole in
    memory: the 1,000-item page, feed and JSON each take a fresh process from 64 to 88-93 MB,
    and built one after another in one worker they reach its peak."""


FLOOR_SCRIPT = f"""
from django.utils import timezone
from agenda import live
from agenda.models import AgendaItem, Meeting, Registration, SpeakersList
from tests.factories import held_today
# The clock starts only on the meeting's day: the seed meeting is held today.
meeting = held_today(Meeting.objects.get(slug='{SLUG}'))
tema_1 = AgendaItem.objects.get(meeting=meeting, title_es__startswith='TEMA 1')
SpeakersList.objects.create(item=tema_1)
for name in ('Chile', 'México', 'Brasil', 'Perú', 'Colombia', 'Guatemala', 'OIM'):
    registration = Registration.objects.create(meeting=meeting, name=name, email=name[:3] + '@example.org', affiliation=name)
    live.ask(registration, tema_1, at=timezone.now())
live.start_item(meeting, tema_1, by=None, at=timezone.now())
first = live.load_replay(meeting).floors[tema_1.pk].waiting[0]
live.act(meeting, "give_floor", tema_1, by=None, at=timezone.now(), request_id=first.id)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=PROJECT, env=env, check=True, capture_output=True, text=True
    ).stdout


def prepare(env: dict) -> None:
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_seed")
    manage(env, "make_bench_data", "--meetings", "100", "--topics", "40", "--big", "1000")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    # The clock runs, as during the plenary the viewers follow: TEMA 1's speakers' list, with
    # a delegation speaking and six waiting.
    manage(env, "shell", "--no-imports", "-c", FLOOR_SCRIPT)


def load(port: int, path: str, *, conditional: bool) -> dict:
    """Hit `path` from CLIENTS keep-alive connections for SECONDS; polls revalidate with the ETag."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    reached_database = 0
    queries = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + SECONDS

    def client() -> None:
        nonlocal reached_database, queries
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        etag = None
        mine, counts, hits, total_queries = [], {}, 0, 0
        while time.perf_counter() < deadline:
            headers = {"If-None-Match": etag} if conditional and etag else {}
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            counts[response.status] = counts.get(response.status, 0) + 1
            etag = response.getheader("ETag") or etag
            made = int(response.getheader("X-DB-Queries") or 0)
            total_queries += made
            if made > 0:
                hits += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            for status, count in counts.items():
                statuses[status] = statuses.get(status, 0) + count
            reached_database += hits
            queries += total_queries

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "median_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "statuses": statuses,
        "reached_database": reached_database,
        "queries_per_request": queries / max(len(latencies), 1),
    }


WRK = shutil.which("wrk")
WRK_SCRIPT = Path(__file__).with_name("count.lua")


def load_with_wrk(port: int, path: str, *, conditional: bool) -> dict:
    """The same measure with wrk (Debian's package): a C client, so the ceiling is the server's."""
    headers = []
    if conditional:
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        probe.request("GET", path)
        etag = probe.getresponse().getheader("ETag")
        headers = ["-H", f"If-None-Match: {etag}"]
    output = subprocess.run(
        [
            WRK,
            "-t2",
            "--timeout",
            "30s",
            f"-c{CLIENTS}",
            f"-d{SECONDS:g}s",
            "-s",
            str(WRK_SCRIPT),
            *headers,
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fields = next(line for line in output.splitlines() if line.startswith("RESULT")).split()
    _requests, rps, median, p99, reached, answered, errors = fields[1:8]
    statuses = dict(part.split(":") for part in fields[8].split(",")) if len(fields) > 8 else {}
    if int(errors):
        statuses["errors"] = errors
    return {
        "requests": int(answered),
        "rps": float(rps),
        "median_ms": float(median),
        "p99_ms": float(p99),
        "statuses": {int(k) if k.isdigit() else k: int(v) for k, v in statuses.items()},
        "reached_database": int(reached),
        "queries_per_request": None,
    }


def queries_of_one(port: int, path: str) -> float:
    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    probe.request("GET", path)
    response = probe.getresponse()
    response.read()
    return float(response.getheader("X-DB-Queries") or 0)


def worker_memory_mb(master_pid: int) -> float:
    """Peak resident memory (VmHWM) of the gunicorn worker under `master_pid`."""
    peak = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master_pid):
            peak = max(peak, int(fields.get("VmHWM", "0 kB").split()[0]))
    return peak / 1024


def in_process(env: dict, name: str) -> str:
    """A measurement of bench/in_process.py, made in a Django shell against the bench's database."""
    code = f"from bench import in_process; in_process.report({name!r})"
    return manage(env, "shell", "--no-imports", "-c", code).strip()


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="plenary-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "DJANGO_QUERY_COUNT_HEADER": "1",
        "DJANGO_DEBUG": "",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    }
    prepare(env)
    port = free_port()
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "plenary.wsgi",
            "--workers",
            "1",
            "--threads",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=PROJECT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                probe.request("GET", "/static/agenda/css/site.css")
                probe.getresponse().read()
                break
            except OSError:
                time.sleep(0.1)
        endpoints = [
            ("static file (ceiling)", "/static/agenda/css/site.css", False),
            ("home page", "/", False),
            ("seed meeting page", f"/meetings/{SLUG}/", False),
            ("1,000-item meeting page", "/meetings/bench-long/", False),
            ("meeting feed (.ics)", f"/meetings/{SLUG}.ics", False),
            ("meeting feed, 304 polls", f"/meetings/{SLUG}.ics", True),
            ("agenda feed, 1,000 items", "/meetings/bench-long/agenda.ics", False),
            ("series feed (101 meetings)", "/meetings.ics", False),
            ("series feed, 304 polls", "/meetings.ics", True),
            ("JSON: meetings", "/api/meetings/", False),
            ("JSON: seed meeting", f"/api/meetings/{SLUG}/", False),
            ("live state (the floor taken)", f"/meetings/{SLUG}/live.json", False),
            ("live state, 304 polls", f"/meetings/{SLUG}/live.json", True),
        ]
        print(
            f"cores: {os.cpu_count()}  app: 1 gunicorn worker, 1 thread  "
            f"load: {'wrk' if WRK else 'Python threads (install Debian wrk for a C client)'}, "
            f"{CLIENTS} connections x {SECONDS:g} s each"
        )
        print(
            f"{'endpoint':30} {'req/s':>7} {'vs static':>9} {'median ms':>9} {'p99 ms':>8}"
            f" {'queries/req':>11} {'reached DB':>12}  statuses"
        )
        ceiling = None
        for name, path, conditional in endpoints:
            result = (load_with_wrk if WRK else load)(port, path, conditional=conditional)
            if result["queries_per_request"] is None:
                # wrk counts the responses that reached the database; one request shows how many queries.
                result["queries_per_request"] = queries_of_one(port, path)
            ceiling = ceiling or result["rps"]
            print(
                f"{name:30} {result['rps']:7.0f} {result['rps'] / ceiling:9.0%} {result['median_ms']:9.2f}"
                f" {result['p99_ms']:8.2f} {result['queries_per_request']:11.2f}"
                f" {result['reached_database']:6d}/{result['requests']:<6d}  {result['statuses']}"
            )
        print(f"peak memory of the worker: {worker_memory_mb(server.pid):.0f} MB")
        print(f"first render after an edit: {in_process(env, 'first_render')}")
        print(f"import of the long meeting's file: {in_process(env, 'import_file')}")
        print(f"seed page for a signed-in reader: {in_process(env, 'fragments')}")
        print(f"cost of Django's stack, in process: {in_process(env, 'stack')}")
        print(TARGETS)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
