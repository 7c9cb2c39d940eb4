"""Mail to registered participants, through a real SMTP server run in the test (aiosmtpd)."""

import email
import email.policy
import socket
from datetime import timedelta
from html import unescape

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from django.utils import timezone

from agenda import notifications
from agenda.models import AgendaItem, ChangeBatch, Meeting, Notification, Registration

from .calendar_clients import icaljs_events, with_icalendar

SLUG = "iii-reunion-plenaria-crm-csm"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What the SMTP server accepted; `refuse` makes it answer 451 to every message."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse = False
        self.unknown: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.unknown:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 Try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


@pytest.fixture
def inbox(settings):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 5
    yield handler
    controller.stop()


@pytest.fixture
def participants(seed_meeting):
    people = {}
    for name, email_address, language in [
        ("Paula", "paula@minrel.cl", "es"),
        ("John", "john@state.gov", "en"),
        ("Revocada", "old@example.org", "es"),
        ("Baja", "optout@example.org", "pt"),
    ]:
        people[name] = Registration.objects.create(
            meeting=seed_meeting, name=name, email=email_address, affiliation="Chile", language=language
        )
    people["Revocada"].revoke()
    people["Baja"].unsubscribed_at = timezone.now()
    people["Baja"].save()
    return people


def later(seconds: int):
    return timezone.now() + timedelta(seconds=seconds)


def test_three_edits_in_a_minute_make_one_mail_per_participant_that_updates_the_event(
    client, inbox, participants, seed_meeting, django_capture_on_commit_callbacks
):
    paula = participants["Paula"]
    before = with_icalendar(client.get(reverse("agenda:private-ical", args=[paula.token])).content)[0]
    tema_2 = AgendaItem.objects.get(title__startswith="TEMA 2")
    with django_capture_on_commit_callbacks(execute=True):
        tema_2.starts_at += timedelta(minutes=5)
        tema_2.save()
    with django_capture_on_commit_callbacks(execute=True):
        tema_2.title_es = "TEMA 2. Agenda Regional Migratoria"
        tema_2.save()
    with django_capture_on_commit_callbacks(execute=True):
        seed_meeting.video_call_url = "https://zoom.us/j/99999999999"
        seed_meeting.save()
    assert ChangeBatch.objects.count() == 1, "one batch gathers the three"
    assert notifications.deliver_due(later(30)) == 0, "still gathering"
    assert notifications.deliver_due(later(125)) == 2
    assert notifications.deliver_due(later(300)) == 0, "each mail once"

    assert len(inbox.messages) == 2 and not inbox.to("old@example.org") and not inbox.to("optout@example.org")
    [spanish] = inbox.to("paula@minrel.cl")
    [english] = inbox.to("john@state.gov")
    assert spanish["Subject"].strip().startswith("Cambios en la agenda: III Reunión Plenaria")
    assert english["Subject"].strip().startswith("Changes to the agenda: III Plenary Meeting")
    text = spanish.get_body(("plain",)).get_content()
    assert "Estimada/o Paula" in text
    assert "TEMA 2. Agenda Regional Migratoria" in text and "10:05" in text
    assert "Cambió el enlace para unirse a la reunión." in text and "https://zoom.us/j/99999999999" in text
    assert (
        paula.get_unsubscribe_url() in text
        and spanish["List-Unsubscribe"].strip() == f"<{paula.get_unsubscribe_url()}>"
    )

    [attachment] = [part for part in spanish.iter_attachments() if part.get_content_type() == "text/calendar"]
    body = (
        attachment.get_content().encode()
        if isinstance(attachment.get_content(), str)
        else attachment.get_content()
    )
    [event] = with_icalendar(body)
    assert event["uid"] == before["uid"] and event["sequence"] > before["sequence"]
    [read_by_thunderbird] = icaljs_events(body)
    assert (read_by_thunderbird["uid"], read_by_thunderbird["sequence"]) == (event["uid"], event["sequence"])


def test_a_change_outside_the_changelog_sends_nothing(
    inbox, participants, django_capture_on_commit_callbacks
):
    tema_2 = AgendaItem.objects.get(title__startswith="TEMA 2")
    with django_capture_on_commit_callbacks(execute=True):
        tema_2.description_es = "Una nota interna."
        tema_2.save(update_fields=["description_es"])
    assert notifications.deliver_due(later(125)) == 0
    assert not inbox.messages and not Notification.objects.exists()


def test_a_draft_meeting_tells_nobody(inbox, participants, seed_meeting, django_capture_on_commit_callbacks):
    Meeting.objects.filter(pk=seed_meeting.pk).update(status=Meeting.Status.DRAFT)
    tema_2 = AgendaItem.objects.get(title__startswith="TEMA 2")
    with django_capture_on_commit_callbacks(execute=True):
        tema_2.starts_at += timedelta(minutes=5)
        tema_2.save()
    assert not ChangeBatch.objects.exists()


def test_a_refusing_or_absent_server_is_retried_with_backoff_and_shown_never_blocking_a_save(
    secretariat_client, inbox, participants, seed_meeting, django_capture_on_commit_callbacks
):
    inbox.refuse = True
    tema_2 = AgendaItem.objects.get(title__startswith="TEMA 2")
    with django_capture_on_commit_callbacks(execute=True):
        tema_2.starts_at += timedelta(minutes=5)
        tema_2.save()
    start = later(125)
    assert notifications.deliver_due(start) == 0
    waiting = Notification.objects.get(registration=participants["Paula"])
    assert (waiting.state, waiting.attempts) == (Notification.State.PENDING, 1)
    assert "451" in waiting.last_error and waiting.next_attempt_at == start + timedelta(minutes=1)
    page = unescape(secretariat_client.get(reverse("admin:agenda_notification_changelist")).content.decode())
    assert "SMTPDataError: (451, b'Try again later')" in page

    inbox.refuse = False
    assert notifications.deliver_due(start + timedelta(seconds=30)) == 0, "not before its time"
    assert notifications.deliver_due(start + timedelta(minutes=1)) == 2
    assert Notification.objects.get(pk=waiting.pk).state == Notification.State.SENT


def test_an_address_the_server_refuses_for_good_is_given_up_at_once(inbox, participants):
    inbox.unknown = {"paula@minrel.cl"}
    for person in (participants["Paula"], participants["John"]):
        notifications.store(person, Notification.Kind.REMINDER_DAY, "reminder_24h", timezone.now())
    assert notifications.send_pending(timezone.now()) == 1
    bounced = Notification.objects.get(registration=participants["Paula"])
    assert (bounced.state, bounced.attempts) == (Notification.State.FAILED, 1)
    assert "550" in bounced.last_error and "No such user" in bounced.last_error
    assert [message["To"] for message in inbox.messages] == ["john@state.gov"]


def test_a_queue_that_is_down_never_fails_a_save_and_the_sweep_finds_the_batch(
    monkeypatch, inbox, participants, django_capture_on_commit_callbacks
):
    from agenda import tasks

    def down(**kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks.deliver_due, "schedule", down)
    tema_2 = AgendaItem.objects.get(title__startswith="TEMA 2")
    with django_capture_on_commit_callbacks(execute=True):
        tema_2.starts_at += timedelta(minutes=5)
        tema_2.save()
    assert AgendaItem.objects.get(pk=tema_2.pk).starts_at == tema_2.starts_at, "saved"
    assert notifications.deliver_due(later(125)) == 2, "the minute's sweep sends it"


def test_a_server_down_for_good_is_given_up_after_the_last_retry(settings, participants):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    notifications.store(participants["Paula"], Notification.Kind.REMINDER_DAY, "reminder_24h", timezone.now())
    moment = timezone.now()
    for _attempt in range(len(notifications.RETRY_MINUTES) + 1):
        notifications.send_pending(moment)
        moment = Notification.objects.get().next_attempt_at
    failed = Notification.objects.get()
    assert failed.state == Notification.State.FAILED and "Connection refused" in failed.last_error


def test_reminders_a_day_and_an_hour_before_go_once_each(inbox, participants, seed_meeting):
    starts = seed_meeting.starts_at
    notifications.deliver_due(starts - timedelta(hours=30))
    assert not inbox.messages
    notifications.deliver_due(starts - timedelta(hours=23))
    notifications.deliver_due(starts - timedelta(hours=22))
    notifications.deliver_due(starts - timedelta(minutes=50))
    subjects = sorted(message["Subject"].strip()[:10] for message in inbox.to("paula@minrel.cl"))
    assert subjects == ["En una hor", "Mañana: II"]
    [reminder] = [
        message for message in inbox.to("john@state.gov") if message["Subject"].startswith("In an hour")
    ]
    assert (
        seed_meeting.video_call_url in reminder.get_body(("plain",)).get_content()
        or not seed_meeting.video_call_url
    )


def test_the_unsubscribe_link_stops_the_mails(client, participants):
    paula = participants["Paula"]
    url = reverse("agenda:unsubscribe", args=[paula.token])
    page = unescape(client.get(url).content.decode())
    assert "Dejar de recibir estos correos" in page
    assert client.post(url).status_code == 200
    paula.refresh_from_db()
    assert paula.unsubscribed_at is not None and not paula.gets_mail
    assert client.get(reverse("agenda:unsubscribe", args=["forged"])).status_code == 404
