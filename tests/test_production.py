"""Production settings, garbage input, and two app servers sharing one database and one cache."""

import http.client
import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from .factories import held_today

PROJECT = Path(__file__).resolve().parents[1]
SEED = "/meetings/iii-reunion-plenaria-crm-csm/"


def test_production_settings_pass_check_deploy_without_warnings():
    env = {
        **os.environ,
        "DJANGO_SECURE": "1",
        "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-7f3a9c2e1b",
        "DJANGO_ALLOWED_HOSTS": "plenarias.example.org",
        "DJANGO_DEBUG": "",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_pages_carry_a_strict_content_security_policy(client, seed_meeting):
    response = client.get(SEED)
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.content.decode(), "no inline script"


garbage = st.one_of(
    st.text(min_size=1, max_size=300),
    st.sampled_from(
        ["' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "%00", "😀" * 50, "a" * 3000]
    ),
)
PATHS = [
    "/",
    "/meetings/{}/",
    "/meetings/{}.ics",
    "/meetings/{}/agenda.ics",
    "/meetings/{}/agenda.txt",
    "/meetings/{}/live.json",
    "/meetings/{}/speaker/",
    "/api/meetings/{}/",
    SEED + "items/{}.ics",
]


@pytest.mark.parametrize("template", PATHS)
@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=garbage, query=garbage)
def test_garbage_in_paths_and_queries_never_gets_a_500(client, seed_meeting, template, value, query):
    path = template.format(value.replace("/", "").replace("?", "").replace("#", "") or "x")
    response = client.get(path, {"tz": query, "lang": query, "format": query})
    assert response.status_code in (200, 301, 302, 304, 400, 404), (path, response.status_code)


# Two app servers ---------------------------------------------------------------------------------

PUBLIC_HOST = "plenarias.example.org"
SHARED_BACKENDS = connection.vendor == "postgresql" and bool(os.environ.get("REDIS_URL"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int = 1) -> subprocess.Popen:
    """Our app under gunicorn on `port`, once it answers (any status)."""
    server = subprocess.Popen(  # noqa: S603 - our own app under gunicorn
        [
            sys.executable,
            "-m",
            "gunicorn",
            "plenary.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            get(port, "/")
            break
        except OSError:
            time.sleep(0.1)
    return server


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    # One public name for both, as behind a load balancer.
    conn.request("GET", path, headers={"Accept-Language": "es", "Host": PUBLIC_HOST, **(headers or {})})
    response = conn.getresponse()
    return response.status, response.read(), dict(response.getheaders())


@pytest.fixture
def two_servers(transactional_db):
    """Two gunicorn processes on this test's PostgreSQL database and the shared Redis."""
    call_command("load_seed", stdout=io.StringIO())
    database = settings.DATABASES["default"]
    url = f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "",
        "DJANGO_ALLOWED_HOSTS": PUBLIC_HOST,
        "DJANGO_QUERY_COUNT_HEADER": "1",
    }
    ports = [free_port(), free_port()]
    servers = [start_gunicorn(env, port) for port in ports]
    yield ports
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.skipif(
    not SHARED_BACKENDS, reason="needs PostgreSQL and Redis, which .ci/run's second pass starts"
)
def test_two_app_servers_agree_on_pages_feeds_and_live_state(two_servers, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from agenda import live
    from agenda.models import AgendaItem, Meeting

    first, second = two_servers
    # Held today: its clock starts only on its day.
    meeting = held_today(Meeting.objects.get(slug="iii-reunion-plenaria-crm-csm"))
    paths = [SEED + "agenda.ics", SEED + "live.json", "/api/meetings/iii-reunion-plenaria-crm-csm/"]
    before = {path: get(first, path)[1] for path in paths}
    assert all(get(second, path)[1] == body for path, body in before.items())

    # A change made through one server's database and cache is what both then serve.
    live.start_meeting(meeting, by=None, at=timezone.now())
    tema_2 = AgendaItem.objects.get(title__startswith="TEMA 2")
    tema_2.title_es = "TEMA 2. Agenda Regional Migratoria CRM-CSM (actualizada)"
    tema_2.save()
    for path in paths:
        status_one, body_one, headers_one = get(first, path)
        status_two, body_two, headers_two = get(second, path)
        assert (status_one, status_two) == (200, 200)
        assert body_one == body_two != before[path], path
        assert headers_one.get("ETag") == headers_two.get("ETag")
    page_one, page_two = get(first, SEED)[1].decode(), get(second, SEED)[1].decode()
    assert "(actualizada)" in page_one and "(actualizada)" in page_two
    assert 'data-live="now-title">Apertura' in page_one and 'data-live="now-title">Apertura' in page_two


def test_an_unreachable_cache_gets_a_503_and_the_app_recovers(client, seed_meeting, settings):
    working = settings.CACHES
    # Django rebuilds its cache connections when the setting changes.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    for path in [SEED + "agenda.ics", SEED + "live.json", SEED]:
        response = client.get(path)
        assert (response.status_code, response["Retry-After"]) == (503, "30"), path
        assert response.content.decode().startswith("The service is briefly unavailable."), path
    settings.CACHES = working
    assert client.get(SEED + "agenda.ics").status_code == 200


# A subscribed calendar's poll: 10,000 of them from 50 clients at once.
POLLS = 10_000
POLLING_CLIENTS = 50


@pytest.mark.skipif(
    not SHARED_BACKENDS, reason="needs PostgreSQL and Redis, which .ci/run's second pass starts"
)
def test_ten_thousand_conditional_polls_never_fail_and_read_only_the_content_version(two_servers):
    from concurrent.futures import ThreadPoolExecutor

    port = two_servers[0]
    path = SEED + "agenda.ics"
    etag = get(port, path)[2]["ETag"]

    def poll(count: int) -> tuple[dict, int]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        statuses, queries = {}, 0
        for _ in range(count):
            conn.request("GET", path, headers={"Host": PUBLIC_HOST, "If-None-Match": etag})
            response = conn.getresponse()
            response.read()
            statuses[response.status] = statuses.get(response.status, 0) + 1
            queries += int(response.getheader("X-DB-Queries"))
        conn.close()
        return statuses, queries

    with ThreadPoolExecutor(POLLING_CLIENTS) as pool:
        results = list(pool.map(poll, [POLLS // POLLING_CLIENTS] * POLLING_CLIENTS))
    statuses = {}
    for part, _ in results:
        for status, count in part.items():
            statuses[status] = statuses.get(status, 0) + count
    assert statuses == {304: POLLS}
    # One primary-key read per poll: the price of a cache that can't answer with old data.
    assert sum(queries for _, queries in results) == POLLS
