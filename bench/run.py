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
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    # The clock runs, as during the plenary the viewers follow.
    manage(
        env,
        "shell",
        "-c",
        "from django.utils import timezone; from agenda import live; from agenda.models import Meeting;"
        f"live.start_meeting(Meeting.objects.get(slug='{SLUG}'), by=None, at=timezone.now())",
    )


def load(port: int, path: str, *, conditional: bool) -> dict:
    """Hit `path` from CLIENTS keep-alive connections for SECONDS; polls revalidate with the ETag."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    reached_database = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + SECONDS

    def client() -> None:
        nonlocal reached_database
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        etag = None
        mine, counts, hits = [], {}, 0
        while time.perf_counter() < deadline:
            headers = {"If-None-Match": etag} if conditional and etag else {}
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            counts[response.status] = counts.get(response.status, 0) + 1
            etag = response.getheader("ETag") or etag
            if int(response.getheader("X-DB-Queries") or 0) > 0:
                hits += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            for status, count in counts.items():
                statuses[status] = statuses.get(status, 0) + count
            reached_database += hits

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
    }


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="plenary-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "DJANGO_QUERY_COUNT_HEADER": "1",
        "DJANGO_DEBUG": "",
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
            ("live state, polled with ETag", f"/meetings/{SLUG}/live.json", True),
            ("live state, no ETag", f"/meetings/{SLUG}/live.json", False),
            ("agenda feed, polled with ETag", f"/meetings/{SLUG}/agenda.ics", True),
            ("meeting page", f"/meetings/{SLUG}/", False),
        ]
        print(
            f"cores: {os.cpu_count()}  app: 1 gunicorn process, 1 thread  load: {CLIENTS} clients x {SECONDS:g} s"
        )
        print(
            f"{'endpoint':32} {'req/s':>8} {'vs static':>9} {'median ms':>10} {'p99 ms':>8} {'reached DB':>11}  statuses"
        )
        ceiling = None
        for name, path, conditional in endpoints:
            result = load(port, path, conditional=conditional)
            ceiling = ceiling or result["rps"]
            print(
                f"{name:32} {result['rps']:8.0f} {result['rps'] / ceiling:8.0%} {result['median_ms']:10.2f}"
                f" {result['p99_ms']:8.2f} {result['reached_database']:5d}/{result['requests']:<5d}  {result['statuses']}"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
