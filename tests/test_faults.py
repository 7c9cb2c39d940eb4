"""PostgreSQL and Redis restarted under load: no answer lost to Redis, 503s while PostgreSQL is down.

The test starts its own PostgreSQL cluster and Redis server (Debian's binaries,
which .ci/run installs) so it can stop and start them without disturbing the
database the rest of the suite runs on. Two gunicorn workers serve the seed
meeting from them while reader threads poll the public URLs and a secretary
shifts the whole agenda by a minute, again and again, through the admin.
"""

import http.client
import http.cookiejar
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import psycopg
import pytest

from tests.test_production import PROJECT, SEED, free_port

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)
REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(
    PG_BIN is None or REDIS_SERVER is None,
    reason="needs Debian's postgresql and redis-server packages, which .ci/run installs",
)

PASSWORD = "correct horse battery staple 2022"
UNAVAILABLE = "The service is briefly unavailable."
READ_PATHS = [
    SEED,
    SEED + "agenda.ics",
    SEED + "live.json",
    "/api/meetings/iii-reunion-plenaria-crm-csm/",
    "/",
]


def as_postgres(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root, which CI is.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Services:
    """A PostgreSQL cluster, a Redis server and gunicorn, each on a free loopback port."""

    def __init__(self):
        self.data = Path(tempfile.mkdtemp(prefix="plenary-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
        self.pg_port, self.redis_port, self.app_port = free_port(), free_port(), free_port()
        self.database_url = f"postgres://plenary@127.0.0.1:{self.pg_port}/plenary"
        self.redis = None
        self.app = None

    def run(self, command: list[str], **kwargs) -> None:
        subprocess.run(command, check=True, capture_output=True, **kwargs)  # noqa: S603

    def start_postgres(self) -> None:
        options = f"-p {self.pg_port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        # With its log in a file, pg_ctl leaves no pipe open behind it.
        log = f"{self.data}/postgres.log"
        self.run(
            as_postgres(
                [f"{PG_BIN}/pg_ctl", "-D", f"{self.data}/cluster", "-l", log, "-o", options, "-w", "start"]
            )
        )

    def stop_postgres(self) -> None:
        self.run(as_postgres([f"{PG_BIN}/pg_ctl", "-D", f"{self.data}/cluster", "-m", "fast", "-w", "stop"]))

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(  # noqa: S603
            [
                REDIS_SERVER,
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=self.data,
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: redis_answers(self.redis_port), "Redis to start")

    def stop_redis(self) -> None:
        self.redis.kill()
        self.redis.wait(timeout=10)

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "DJANGO_DEBUG": "",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        }

    def start(self) -> None:
        self.run(
            as_postgres([f"{PG_BIN}/initdb", "-D", f"{self.data}/cluster", "-U", "plenary", "-A", "trust"])
        )
        self.start_postgres()
        self.run(
            as_postgres(
                [f"{PG_BIN}/createdb", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "plenary", "plenary"]
            )
        )
        self.start_redis()
        manage = [sys.executable, "manage.py"]
        for command in (
            ["migrate", "--noinput"],
            ["load_seed"],
            ["createsuperuser", "--noinput", "--username", "secretaria", "--email", "se@example.org"],
        ):
            self.run(manage + command, cwd=PROJECT, env=self.environment())
        self.app = subprocess.Popen(  # noqa: S603 - our own app under gunicorn
            [
                sys.executable,
                "-m",
                "gunicorn",
                "plenary.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.app_port}",
            ],
            cwd=PROJECT,
            env=self.environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Any answer will do: static files are collected only by `make run` and `serve-prod`.
        wait_for(lambda: status_of(self.app_port, "/")[0] != 0, "gunicorn to start")

    def close(self) -> None:
        for process in (self.app, self.redis):
            if process and process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        subprocess.run(  # noqa: S603
            as_postgres([f"{PG_BIN}/pg_ctl", "-D", f"{self.data}/cluster", "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(self.data, ignore_errors=True)

    def agenda_times(self) -> list[tuple]:
        with psycopg.connect(f"host=127.0.0.1 port={self.pg_port} user=plenary dbname=plenary") as conn:
            return conn.execute(
                "SELECT id, starts_at, ends_at FROM agenda_agendaitem WHERE starts_at IS NOT NULL ORDER BY id"
            ).fetchall()

    def meeting_end(self):
        with psycopg.connect(f"host=127.0.0.1 port={self.pg_port} user=plenary dbname=plenary") as conn:
            return conn.execute("SELECT ends_at FROM agenda_meeting").fetchone()[0]


def status_of(port: int, path: str) -> tuple[int, str]:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path, headers={"Accept-Language": "es"})
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    except OSError:
        return 0, ""


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def wait_for(condition, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Secretary:
    """An admin session kept in cookies, as a browser keeps it."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()]
        self.opener = urllib.request.build_opener(*handlers)

    def csrf(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def open(self, path: str, data: dict | None = None) -> tuple[int, str]:
        fields = {**data, "csrfmiddlewaretoken": self.csrf()} if data else None
        body = urllib.parse.urlencode(fields, doseq=True).encode() if fields else None
        try:
            with self.opener.open(self.base + path, body, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")
        except OSError:
            return 0, ""

    def log_in(self) -> None:
        self.open("/admin/login/")
        status, _ = self.open(
            "/admin/login/", {"username": "secretaria", "password": PASSWORD, "next": "/admin/"}
        )
        assert status == 302


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Load:
    """Readers polling the public URLs and one secretary shifting the agenda, until stopped."""

    def __init__(self, services: Services, first_item_id: int):
        self.services = services
        self.first_item_id = first_item_id
        self.stopped = threading.Event()
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.bad_bodies = []
        self.shifts_attempted = 0
        self.shifts_done = 0
        self.secretary = Secretary(services.app_port)
        self.secretary.log_in()
        self.threads = [threading.Thread(target=self.read, args=(path,)) for path in READ_PATHS]
        self.threads.append(threading.Thread(target=self.write))

    def record(self, status: int, body: str) -> None:
        with self.lock:
            self.statuses[status] += 1
            if status not in (200, 302) and not (status == 503 and body.startswith(UNAVAILABLE)):
                self.bad_bodies.append((status, body[:300]))

    def read(self, path: str) -> None:
        while not self.stopped.is_set():
            self.record(*status_of(self.services.app_port, path))

    def write(self) -> None:
        shift = f"/admin/agenda/agendaitem/{self.first_item_id}/shift/"
        while not self.stopped.is_set():
            self.shifts_attempted += 1
            status, body = self.secretary.open(shift, {"minutes": "1"})
            self.shifts_done += status == 302
            self.record(status, body)
            time.sleep(0.05)

    def count(self, status: int) -> int:
        with self.lock:
            return self.statuses[status]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=30)


@pytest.fixture
def services():
    running = Services()
    try:
        running.start()
        yield running
    finally:
        running.close()


def test_redis_down_costs_no_answer_and_postgresql_down_answers_503_then_recovers(services):
    before = services.agenda_times()
    meeting_end_before = services.meeting_end()
    first_item_id = min(before, key=lambda row: (row[1], row[0]))[0]

    with Load(services, first_item_id) as load:
        wait_for(lambda: load.count(200) > 20 and load.shifts_done > 2, "requests to succeed")

        services.stop_redis()
        unavailable, served, shifted = load.count(503), load.count(200), load.shifts_done
        wait_for(
            lambda: load.count(200) > served + 20 and load.shifts_done > shifted + 2,
            "answers and shifts while Redis is down",
        )
        assert load.count(503) == unavailable, "a cache that is down costs speed, never an answer"
        services.start_redis()
        served = load.count(200)
        wait_for(lambda: load.count(200) > served + 20, "recovery after Redis is back")

        unavailable = load.count(503)
        services.stop_postgres()
        wait_for(lambda: load.count(503) > unavailable + 5, "503s while PostgreSQL is down")
        services.start_postgres()
        served, shifted = load.count(200), load.shifts_done
        wait_for(
            lambda: load.count(200) > served + 20 and load.shifts_done > shifted + 2,
            "recovery after PostgreSQL is back",
        )

    assert load.bad_bodies == [], "every failure is a plain 503"
    assert set(load.statuses) <= {200, 302, 503}
    for path in READ_PATHS:
        assert status_of(services.app_port, path)[0] == 200, path

    # Each shift moved every timed item by one minute, or nothing at all.
    after = services.agenda_times()
    offsets = {
        (row_after[1] - row_before[1], row_after[2] - row_before[2])
        for row_before, row_after in zip(before, after, strict=True)
    }
    assert len(offsets) == 1, offsets
    moved = next(iter(offsets))[0]
    assert moved.total_seconds() % 60 == 0
    assert load.shifts_done <= moved.total_seconds() / 60 <= load.shifts_attempted
    assert services.meeting_end() - meeting_end_before == moved
