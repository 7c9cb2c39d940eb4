"""A committed change is what every process serves next, whatever the cache does.

Real parts: a Redis server this test starts (stopped, hung, and brought back
with the data it had before the change), and gunicorn with two workers and no
Redis, each worker with its own memory as cache.
"""

import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from agenda.models import Meeting
from plenary.settings import redis_cache

from .admin_posts import meeting_post
from .test_faults import REDIS_SERVER, redis_answers, wait_for
from .test_production import PROJECT, PUBLIC_HOST, SEED, free_port, get, start_gunicorn

needs_redis = pytest.mark.skipif(
    REDIS_SERVER is None, reason="needs Debian's redis-server package, which .ci/run installs"
)
FEEDS = [
    SEED + "agenda.ics",
    "/meetings/iii-reunion-plenaria-crm-csm.ics",
    "/api/meetings/iii-reunion-plenaria-crm-csm/",
]


# Every write on disk at once, so a restarted server comes back with exactly what it held.
DURABLE = ["--save", "", "--appendonly", "yes", "--appendfsync", "always"]


class RedisServer:
    """A Redis server of this test's own, which keeps its data on disk across a restart."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="plenary-redis-")
        self.port = free_port()
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - Debian's redis-server
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.folder, *DURABLE],
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: redis_answers(self.port), "Redis to start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def close(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def cache_settings(self) -> dict:
        """The production configuration, pointed at this server."""
        return redis_cache(f"redis://127.0.0.1:{self.port}/0")


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    try:
        with override_settings(CACHES=server.cache_settings()):
            yield server
    finally:
        server.close()


def rename_in_the_admin(client: Client, meeting: Meeting, title: str) -> int:
    meeting.refresh_from_db()
    url = reverse("admin:agenda_meeting_change", args=[meeting.pk])
    return client.post(url, meeting_post(meeting, title_es=title)).status_code


def served_titles(client: Client) -> list[bool]:
    """For each feed and the API: does it carry the new title?"""
    return ["Plenaria renombrada" in client.get(path).content.decode() for path in FEEDS]


@needs_redis
# Committed for real: the version's bump is in the save's transaction.
def test_a_save_while_redis_is_down_is_served_after_redis_comes_back_with_its_old_data(
    transactional_db, redis_server, django_user_model
):
    # Ids a previous test's flush renumbered: the admin's log must not use the cached ones.
    ContentType.objects.clear_cache()
    call_command("load_seed", stdout=io.StringIO())
    meeting = Meeting.objects.get(slug="iii-reunion-plenaria-crm-csm")
    secretary, reader = Client(), Client()
    # A superuser: the groups the migrations made are gone after another test's flush.
    secretary.force_login(django_user_model.objects.create_superuser("admin", password="x-Pl3nary-test"))
    assert served_titles(reader) == [False, False, False]  # now cached in Redis

    redis_server.stop()
    assert rename_in_the_admin(secretary, meeting, "Plenaria renombrada") == 302, "the save is not refused"
    assert served_titles(reader) == [True, True, True], "served without the cache"

    redis_server.start()  # with the entries it held before the save
    assert served_titles(reader) == [True, True, True]
    assert served_titles(reader) == [True, True, True]


@needs_redis
def test_a_hung_redis_holds_a_request_for_its_socket_timeout_only(transactional_db, redis_server):
    call_command("load_seed", stdout=io.StringIO())
    meeting = Meeting.objects.get(slug="iii-reunion-plenaria-crm-csm")
    reader = Client()
    assert served_titles(reader) == [False, False, False]
    redis_server.process.send_signal(signal.SIGSTOP)
    results = []

    def save_and_read():
        try:
            meeting.title_es = "Plenaria renombrada"
            meeting.save()
            results.extend(served_titles(reader))
        finally:
            connection.close()  # this thread's own, or the test database can't be dropped

    worker = threading.Thread(target=save_and_read, daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "a request waited on the hung Redis"
    assert results == [True, True, True]
    redis_server.process.send_signal(signal.SIGCONT)
    assert served_titles(reader) == [True, True, True]


# Two workers, no Redis ---------------------------------------------------------------------------


def manage(env: dict, *arguments: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {' '.join(arguments)[:200]} failed:\n{result.stderr[-3000:]}"
    return result.stdout


def seeded_sqlite_site(folder: Path, **settings: str) -> dict:
    """The environment of an app on a SQLite file of its own holding the seed, without Redis."""
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}", DJANGO_DEBUG="", DJANGO_ALLOWED_HOSTS=PUBLIC_HOST
    )
    env.update(settings)
    manage(env, "migrate", "--noinput")
    manage(env, "load_seed")
    return env


@pytest.fixture
def two_workers_without_redis(tmp_path: Path):
    """gunicorn with two workers on a SQLite file and each worker's own memory as cache."""
    env = seeded_sqlite_site(tmp_path)
    port = free_port()
    server = start_gunicorn(env, port, workers=2)
    try:
        yield env, port
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_two_workers_with_their_own_memory_serve_a_change_at_once(two_workers_without_redis):
    env, port = two_workers_without_redis
    paths = [*FEEDS, SEED + "agenda.txt", SEED]
    for _ in range(10):  # both workers hold every answer
        for path in paths:
            assert get(port, path)[0] == 200

    manage(
        env,
        "shell",
        "-c",
        "from agenda.models import Meeting; m = Meeting.objects.get(slug='iii-reunion-plenaria-crm-csm');"
        " m.title_es = 'Plenaria renombrada'; m.save()",
    )
    renamed = [path for _ in range(10) for path in paths if b"Plenaria renombrada" in get(port, path)[1]]
    assert len(renamed) == 10 * len(paths)

    manage(
        env,
        "shell",
        "-c",
        "from agenda.models import Meeting; m = Meeting.objects.get(slug='iii-reunion-plenaria-crm-csm');"
        " m.status = 'draft'; m.save()",
    )
    gone = [SEED, SEED + "agenda.txt", "/api/meetings/iii-reunion-plenaria-crm-csm/"]
    assert {get(port, path)[0] for _ in range(10) for path in gone} == {404}
    feeds = [get(port, path)[1] for _ in range(10) for path in FEEDS[:2]]
    assert not any(b"STATUS:CONFIRMED" in feed for feed in feeds), "no calendar is told it still stands"
