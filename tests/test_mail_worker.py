"""The mail worker for real: `manage.py run_huey` killed mid-batch and started again sends each mail once."""

import asyncio
import email
import email.policy
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from .test_cache_coherence import PROJECT, manage, seeded_sqlite_site
from .test_notifications import free_port

PARTICIPANTS = 6


class SlowInbox:
    """An SMTP server that holds the fourth mail at RCPT until released: the moment to kill the sender."""

    def __init__(self):
        self.delivered: list[str] = []
        self.lock = threading.Lock()
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            hold = len(self.delivered) == 3 and not self.release.is_set()
        if hold:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 The sender went away"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.delivered.append(str(message["To"]))
        return "250 OK"


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", "1"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


WAKE = "from agenda import tasks; tasks.deliver_due()"
SENT = "from agenda.models import Notification; print(Notification.objects.filter(state='sent').count())"


def mail_site(tmp_path: Path, port: int) -> dict:
    """A seeded site whose mail goes to the inbox on `port`, its claims on a mail lasting 3 seconds."""
    return seeded_sqlite_site(
        tmp_path,
        DJANGO_HUEY_FILE=str(tmp_path / "huey.sqlite3"),
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(port),
        DJANGO_EMAIL_TLS="0",
        DJANGO_NOTIFICATION_LEASE_SECONDS="3",
    )


def killed_at_the_fourth_mail(env: dict, handler: SlowInbox) -> None:
    """Start the worker, wake it (`tasks.run_due`), and kill it while the inbox holds its fourth mail."""
    worker = start_worker(env)
    try:
        manage(env, "shell", "--no-imports", "-c", WAKE)
        assert handler.holding.wait(60), "the worker reached the fourth mail"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    handler.release.set()


def restarted_until(env: dict, handler: SlowInbox, sent) -> None:
    """Start the worker again once the killed one's claim ran out; wait until `sent()` says all went."""
    time.sleep(3.5)
    worker = start_worker(env)
    try:
        manage(env, "shell", "--no-imports", "-c", WAKE)
        wait_for(lambda: len(handler.delivered) >= PARTICIPANTS)
        wait_for(lambda: sent() == str(PARTICIPANTS))
    finally:
        worker.terminate()
        worker.wait(timeout=30)


@pytest.fixture
def inbox():
    handler = SlowInbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    handler.release.set()
    controller.stop()


def test_a_worker_killed_mid_batch_and_started_again_sends_each_mail_exactly_once(tmp_path: Path, inbox):
    handler, port = inbox
    env = mail_site(tmp_path, port)
    manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from django.utils import timezone; from agenda import notifications;"
        " from agenda.models import Meeting, Notification, Registration;"
        " meeting = Meeting.objects.get(slug='iii-reunion-plenaria-crm-csm');"
        f" people = [Registration.objects.create(meeting=meeting, name=f'P{{n}}', email=f'p{{n}}@example.org',"
        f" affiliation='Chile') for n in range({PARTICIPANTS})];"
        " [notifications.store(person, Notification.Kind.REMINDER_DAY, 'reminder_24h', timezone.now())"
        " for person in people]",
    )
    killed_at_the_fourth_mail(env, handler)
    assert len(handler.delivered) == 3
    assert manage(env, "shell", "--no-imports", "-c", SENT).strip() == "3"

    restarted_until(env, handler, lambda: manage(env, "shell", "--no-imports", "-c", SENT).strip())
    assert sorted(handler.delivered) == [f"p{n}@example.org" for n in range(PARTICIPANTS)], (
        "each exactly once"
    )


ADOPTION = (
    "from agenda.models import Meeting, Notification, SilenceProcedure;"
    " procedure = SilenceProcedure.objects.get();"
    " meeting = Meeting.objects.get(pk=procedure.meeting_id);"
    " told = Notification.objects.filter(kind='silence_outcome');"
    " print(procedure.status, procedure.closed_at.isoformat() if procedure.closed_at else '-',"
    " meeting.conclusions_published_at == procedure.deadline, told.count(), told.filter(state='sent').count())"
)


def test_a_worker_killed_during_a_deadlines_run_adopts_exactly_once_after_a_restart(tmp_path: Path, inbox):
    handler, port = inbox
    env = mail_site(tmp_path, port)
    # A draft circulated to six delegations (its mails already out), whose deadline has come.
    manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from datetime import timedelta; from django.utils import timezone; from agenda import silence;"
        " from agenda.models import AgendaItem, Conclusions, Meeting, Notification, Registration, SilenceProcedure;"
        " meeting = Meeting.objects.get(slug='iii-reunion-plenaria-crm-csm');"
        " Conclusions.objects.create(item=AgendaItem.objects.get(meeting=meeting, title_es__startswith='TEMA 1'),"
        " text_es='Se acordó seguir las recomendaciones del FEMI.');"
        f" [Registration.objects.create(meeting=meeting, name=f'P{{n}}', email=f'p{{n}}@example.org',"
        f" affiliation=f'Delegación {{n}}') for n in range({PARTICIPANTS})];"
        " deadline = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=2);"
        " procedure = silence.circulate(meeting, deadline, by=None);"
        " Notification.objects.update(state='sent');"
        " SilenceProcedure.objects.update(deadline=deadline - timedelta(minutes=3))",
    )
    killed_at_the_fourth_mail(env, handler)  # after it closed the procedure
    status, closed_at, published_at_deadline, told, sent = manage(
        env, "shell", "--no-imports", "-c", ADOPTION
    ).split()
    assert (status, published_at_deadline, told, sent) == ("adopted", "True", str(PARTICIPANTS), "3")

    restarted_until(env, handler, lambda: manage(env, "shell", "--no-imports", "-c", ADOPTION).split()[-1])
    again = manage(env, "shell", "--no-imports", "-c", ADOPTION).split()
    assert again == ["adopted", closed_at, "True", str(PARTICIPANTS), str(PARTICIPANTS)], "adopted once"
    assert sorted(handler.delivered) == [f"p{n}@example.org" for n in range(PARTICIPANTS)], "each told once"
