"""Signing in: password guessing is locked out, weak passwords refused, sessions end, CSRF everywhere."""

import shutil
import subprocess
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .factories import secretariat_user
from .test_production import PROJECT

LOGIN = "/admin/login/"
PASSWORD = "x-Pl3nary-test"


def sign_in(client: Client, password: str):
    return client.post(LOGIN, {"username": "secretaria", "password": password, "next": "/admin/"})


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, db):
    secretariat_user()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "adivinanza").status_code == 200
    locked = sign_in(client, "adivinanza")
    assert locked.status_code == 429
    assert "Demasiados intentos" in locked.content.decode()
    assert sign_in(client, PASSWORD).status_code == 429
    assert client.get("/admin/").status_code == 302  # still signed out


def test_a_right_password_resets_the_count_of_wrong_ones(client, db):
    secretariat_user()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "adivinanza")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "adivinanza").status_code == 200


def test_a_weak_password_is_refused_when_staff_set_one(client, db):
    admin = secretariat_user("admin")
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "nuevo", "password1": "12345678", "password2": "12345678", "usable_password": "true"},
    )
    assert response.status_code == 200
    assert "Esta contraseña es demasiado común" in response.content.decode()


def test_a_session_ends_after_a_working_day(client, db):
    secretariat_user()
    assert sign_in(client, PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200
    session = Session.objects.get()
    assert session.expire_date <= timezone.now() + timedelta(hours=10, minutes=1)
    session.expire_date = timezone.now() - timedelta(seconds=1)
    session.save()
    assert client.get("/admin/").status_code == 302


def test_posts_without_the_csrf_token_are_refused(db, seed_meeting):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(secretariat_user())
    tema = seed_meeting.agenda_items.filter(parent=None).first()
    refused = [
        browser.post(reverse("admin:agenda_agendaitem_shift", args=[tema.pk]), {"minutes": "5"}),
        browser.post(
            reverse("agenda:timekeeper-action", args=[seed_meeting.slug]), {"action": "start_meeting"}
        ),
        browser.post(reverse("set_language"), {"language": "en"}),
    ]
    assert [response.status_code for response in refused] == [403, 403, 403]
    assert not seed_meeting.live_events.exists()


def test_no_secret_key_is_committed():
    tracked = subprocess.run(  # noqa: S603 - git, listing this checkout
        [shutil.which("git"), "ls-files"], cwd=PROJECT, capture_output=True, text=True, check=True
    ).stdout
    assert ".secret_key" not in tracked.split()
    for name in tracked.split():
        path = PROJECT / name
        if path.is_file() and path.suffix in {".py", ".json", ".toml", ".txt", ".md", ".cfg", ".env"}:
            assert settings.SECRET_KEY not in path.read_text(errors="ignore"), name


def from_behind_the_proxy(client_address: str) -> Client:
    """A browser at `client_address`, reaching the app through our proxy on loopback."""
    # What nginx's $proxy_add_x_forwarded_for sends: anything the client typed, then the address it saw.
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.0.0.1, {client_address}")


def test_behind_the_proxy_one_guesser_does_not_lock_out_everyone(db, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    secretariat_user()
    guesser = from_behind_the_proxy("203.0.113.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(guesser, "adivinanza")
    assert sign_in(guesser, PASSWORD).status_code == 429
    assert sign_in(from_behind_the_proxy("198.51.100.9"), PASSWORD).status_code == 302


def test_a_forwarded_for_header_typed_by_a_client_does_not_dodge_the_lock(db, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    secretariat_user()
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"), "adivinanza")
    assert (
        sign_in(Client(REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="198.51.100.99"), PASSWORD).status_code
        == 429
    )
