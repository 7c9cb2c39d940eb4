"""The README's deployment, run for real: nginx from Debian, TLS, gunicorn, DJANGO_SECURE=1.

deploy/nginx-site.conf is the file the README points to; this test runs it with only the
addresses, the certificate and the cache folder swapped for its own.
"""

import http.client
import os
import shutil
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from .test_cache_coherence import seeded_sqlite_site
from .test_production import PROJECT, PUBLIC_HOST, SEED, free_port, start_gunicorn

# /usr/sbin is not on every user's PATH.
NGINX = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
OPENSSL = shutil.which("openssl")
pytestmark = pytest.mark.skipif(
    NGINX is None or OPENSSL is None, reason="needs Debian's nginx and openssl, which .ci/run installs"
)
SITE = PROJECT / "deploy" / "nginx-site.conf"
API = "/api/meetings/iii-reunion-plenaria-crm-csm/"
FEEDS = ["/meetings/iii-reunion-plenaria-crm-csm.ics", SEED + "agenda.ics", "/meetings.ics", API]


def site_for_test(folder: Path, app_port: int, https_port: int, http_port: int) -> str:
    """The documented site, pointed at this test's gunicorn, certificate and folders."""
    site = SITE.read_text()
    swaps = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
        "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "/etc/ssl/plenary/fullchain.pem": str(folder / "cert.pem"),
        "/etc/ssl/plenary/privkey.pem": str(folder / "key.pem"),
        "/var/cache/nginx/plenary": str(folder / "cache"),
        # The redirect names the standard port; the test's listens elsewhere.
        "https://$host$request_uri": f"https://$host:{https_port}$request_uri",
    }
    for documented, ours in swaps.items():
        assert site.count(documented) == 1, f"{SITE.name} no longer says {documented!r}"
        site = site.replace(documented, ours)
    return site


@pytest.fixture
def behind_nginx(tmp_path: Path):
    """gunicorn on a SQLite file with production settings, nginx in front on TLS."""
    env = seeded_sqlite_site(
        tmp_path,
        DJANGO_SECURE="1",
        DJANGO_SECRET_KEY="s" * 20 + "-deploy-test-secret-with-enough-entropy-4b1d",
        DJANGO_SITE_URL=f"https://{PUBLIC_HOST}",
    )
    subprocess.run(  # noqa: S603 - a throwaway certificate for the test's nginx
        [
            OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", f"/CN={PUBLIC_HOST}",
            "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    app_port, https_port, http_port = free_port(), free_port(), free_port()
    (tmp_path / "site.conf").write_text(site_for_test(tmp_path, app_port, https_port, http_port))
    # As root, nginx's workers would drop to nobody, who can't enter pytest's folder.
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user}\npid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\n"
        "events {}\n"
        f"http {{ access_log off; include {tmp_path / 'site.conf'}; }}\n"
    )
    app = start_gunicorn(env, app_port)
    nginx = subprocess.Popen(  # noqa: S603 - Debian's nginx with the test's configuration
        [NGINX, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(tmp_path / "nginx.conf"),
         "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        for _ in range(100):
            if nginx.poll() is not None:
                raise AssertionError(f"nginx did not start: {nginx.stdout.read().decode()}")
            try:
                request(https_port, "/")
                break
            except OSError:
                time.sleep(0.1)
        yield env, https_port, http_port
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        app.terminate()
        app.wait(timeout=30)


def request(port: int, path: str, headers: dict | None = None, tls: bool = True):
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Host": PUBLIC_HOST, "Accept-Language": "es", **(headers or {})})
    response = conn.getresponse()
    return response.status, response.read(), {key.lower(): value for key, value in response.getheaders()}


def test_feeds_and_api_answer_200_then_304_through_the_documented_nginx(behind_nginx):
    _, https_port, _ = behind_nginx
    for path in FEEDS:
        status, body, headers = request(https_port, path)
        assert status == 200, (path, status, headers.get("location"))
        assert body, path
        # The app saw the public name and the scheme nginx was asked on.
        if path.endswith(".ics"):
            assert b"BEGIN:VCALENDAR" in body
            assert f"https://{PUBLIC_HOST}/".encode() in body.replace(b"\r\n ", b""), path
        else:
            assert headers["content-type"].startswith("application/json")
            assert f"https://{PUBLIC_HOST}/".encode() in body, path
        assert "strict-transport-security" in headers
        status, again, _ = request(https_port, path, {"If-None-Match": headers["etag"]})
        assert (status, again) == (304, b""), path
        # A client that polls with the date it was given revalidates just as well.
        status, _, _ = request(https_port, path, {"If-Modified-Since": headers["last-modified"]})
        assert status == 304, path


def test_pages_and_live_state_pass_through_and_plain_http_is_sent_to_https(behind_nginx):
    _, https_port, http_port = behind_nginx
    for path in ["/", SEED, SEED + "live.json"]:
        status, _, headers = request(https_port, path)
        assert status == 200, (path, status, headers.get("location"))
    status, _, headers = request(http_port, SEED + "agenda.ics", tls=False)
    assert status == 301
    assert headers["location"] == f"https://{PUBLIC_HOST}:{https_port}{SEED}agenda.ics"
