"""Telling registered participants: changes to a published meeting, and reminders before it.

The database says what to send. A change opens a batch (`meeting_changed`, after
the save commits) that gathers the changes of the next
`NOTIFICATION_GATHER_SECONDS`; delivering it stores one `Notification` per
participant, whose key makes a second delivery a no-op, and sends each pending
one. A notification is claimed, sent, then marked sent (`send_one`), so a worker
killed mid-batch and started again sends the rest and repeats none (the one mail
a kill could catch between the server's "250 OK" and that mark keeps its
Message-ID, so a client that gets it twice shows it once). A server that
refuses or is down is tried again later (`RETRY_MINUTES`), then given up and
shown as such in the admin; an address it refuses for good (a 5xx reply, a bounce at
sending) is given up at once. Nothing here runs in a save's request: saves only
open a batch.
"""

from __future__ import annotations

import functools
import logging
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import history, ical
from .models import ChangeBatch, Commitment, Meeting, Notification, Registration, load_agendas

T = TypeVar("T")
U = TypeVar("U")

logger = logging.getLogger(__name__)
# After the 1st, 2nd… failed attempt, wait this long; after the last, give up.
RETRY_MINUTES = [1, 5, 15, 60, 240]
REMINDERS = [
    (Notification.Kind.REMINDER_DAY, timedelta(hours=24)),
    (Notification.Kind.REMINDER_HOUR, timedelta(hours=1)),
]
# A commitment's owner is reminded this long before its due date, and once it is overdue.
COMMITMENT_REMINDER_DAYS = 7


def meeting_changed(meeting_id: int, now: datetime | None = None) -> None:
    """Open a batch for the meeting's changes, unless one is gathering them already.

    Called after the change commits. It never fails the save: the worker's sweep
    finds the batch even if waking it fails.
    """
    now = now or timezone.now()
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None or not meeting.is_public:
        return
    if ChangeBatch.objects.filter(meeting=meeting, cut_at__isnull=True).exists():
        return
    last = ChangeBatch.objects.filter(meeting=meeting, cut_at__isnull=False).order_by("-cut_at").first()
    due = now + timedelta(seconds=settings.NOTIFICATION_GATHER_SECONDS)
    try:
        with transaction.atomic():
            batch = ChangeBatch.objects.create(
                meeting=meeting, since=last.cut_at if last else now - timedelta(minutes=1), due_at=due
            )
    except IntegrityError:
        return  # another process opened it at the same moment
    wake_worker_at(batch.due_at)


def wake_worker_at(moment: datetime) -> None:
    from . import tasks  # here: tasks.py imports this module

    try:
        tasks.deliver_due.schedule(eta=moment)
    except Exception:
        logger.exception("The mail worker could not be woken; its sweep will find the work")


def deliver_due(now: datetime | None = None) -> int:
    """Deliver every batch that is due, create due reminders, send what is pending. Return mails sent."""
    now = now or timezone.now()
    for batch in ChangeBatch.objects.filter(cut_at__isnull=True, due_at__lte=now):
        close_batch(batch.pk, now)
    create_reminders(now)
    create_commitment_reminders(now)
    return send_pending(now)


@transaction.atomic
def close_batch(batch_id: int, now: datetime) -> None:
    """Cut the batch and store one notification per participant, if the changelog has news for them."""
    batch = (
        ChangeBatch.objects.select_for_update(skip_locked=True)
        .filter(pk=batch_id, cut_at__isnull=True)
        .first()
    )
    if batch is None:
        return
    batch.cut_at = now
    batch.save(update_fields=["cut_at"])
    if not changes_in(batch):
        return
    for registration in batch.meeting.registrations.all():
        if registration.gets_mail:
            store(registration, Notification.Kind.CHANGES, f"changes:{batch.pk}", now, batch=batch)


def changes_in(batch: ChangeBatch) -> list[str]:
    """The public changelog's lines between the batch's bounds, in the active language, oldest first.

    A new join link is among them ("the link changed"); the mail itself carries the link.
    """
    meeting = batch.meeting
    lines = [
        change.text
        for change in reversed(history.load_changes([meeting])[meeting.pk])
        if batch.since < change.at <= (batch.cut_at or timezone.now())
    ]
    return lines


def store(registration: Registration, kind: str, key: str, now: datetime, **about) -> None:
    Notification.objects.get_or_create(
        registration=registration, key=key, defaults={"kind": kind, "next_attempt_at": now, **about}
    )


def acknowledge_inscription(registration: Registration, request_id: int, now: datetime) -> None:
    """Queue the mail that tells a delegation it is on the list, and its place (read when sent)."""
    if registration.gets_mail:
        store(
            registration,
            Notification.Kind.INSCRIPTION,
            f"inscription:{request_id}",
            now,
            floor_request_id=request_id,
        )


def inscription_of(notification: Notification) -> dict | None:
    """The item and the request's place now, for the acknowledgement; None once it left the queue."""
    from .live import load_replay  # the live package starts these mails: imported when one is sent

    event = notification.floor_request
    if event is None:
        return None
    item_floor = load_replay(event.meeting).floors.get(event.item_id)
    request = item_floor.requests.get(event.pk) if item_floor else None
    if request is None:
        return None
    return {"item": item_floor.settings.item, "place": item_floor.place_of(request), "request": request}


def create_reminders(now: datetime) -> None:
    """A reminder a day and an hour before each public meeting, to each participant, once."""
    for kind, ahead in REMINDERS:
        # Only while it is still ahead: a worker down for a day does not remind after the start.
        meetings = Meeting.objects.filter(
            status=Meeting.Status.PUBLISHED, starts_at__gt=now, starts_at__lte=now + ahead
        )
        for registration in Registration.objects.filter(meeting__in=meetings).select_related("meeting"):
            if registration.gets_mail:
                store(registration, kind, kind, now)


def create_commitment_reminders(now: datetime) -> None:
    """Remind an open commitment's owner a week before it falls due, and once it is overdue: once each."""
    # A day's margin each side for the meetings' zones. Each minute's sweep reads only this window:
    # a commitment overdue by more than the week has had its reminder (or its worker was down a week).
    soon = now.date() + timedelta(days=COMMITMENT_REMINDER_DAYS + 1)
    late = now.date() - timedelta(days=COMMITMENT_REMINDER_DAYS + 1)
    due = Commitment.objects.public().open().filter(due_on__range=(late, soon)).with_responsible()
    for commitment in due:
        today = now.astimezone(commitment.meeting.zone).date()
        if commitment.due_on < today:
            kind = Notification.Kind.COMMITMENT_OVERDUE
        elif commitment.due_on <= today + timedelta(days=COMMITMENT_REMINDER_DAYS):
            kind = Notification.Kind.COMMITMENT_DUE
        else:
            continue
        for registration in owners_registered(commitment, today):
            store(
                registration, kind, f"{kind}:{commitment.pk}:{commitment.due_on}", now, commitment=commitment
            )


def owners_registered(commitment: Commitment, today) -> list[Registration]:
    """The owner's people registered for the series' meetings, each address once (its latest meeting's)."""
    owner = commitment.owner_on(today)
    if owner is None:
        return []
    found = (
        Registration.objects.filter(
            country=owner,
            role=Registration.Role.DELEGATE,
            meeting__status=Meeting.Status.PUBLISHED,
            meeting__conferences__in=commitment.meeting.conferences.all(),
        )
        .select_related("meeting")
        .distinct()
        .order_by("-meeting__starts_at", "id")
    )
    by_address: dict[str, Registration] = {}
    for registration in found:
        if registration.gets_mail:
            by_address.setdefault(registration.email, registration)
    return list(by_address.values())


def send_pending(now: datetime) -> int:
    """Send each notification whose time has come, one transaction each; return how many were sent."""
    sent = 0
    shared = SharedParts()
    for notification_id in Notification.objects.filter(
        state=Notification.State.PENDING, next_attempt_at__lte=now
    ).values_list("pk", flat=True):
        sent += send_one(notification_id, now, shared)
    return sent


class SharedParts:
    """What a run's mails have alike, built once each: a batch's changes and a meeting's calendar,
    by what they show (the batch or meeting, and the language)."""

    def __init__(self) -> None:
        self.changes = functools.cache(in_language(changes_in))
        self.calendar = functools.cache(in_language(registered_calendar))


def in_language(build: Callable[[T], U]) -> Callable[[T, str], U]:
    def built_in(row: T, language: str) -> U:
        with translation.override(language):
            return build(row)

    return built_in


def send_one(notification_id: int, now: datetime, shared: SharedParts | None = None) -> bool:
    """Claim the notification, send it, then record what happened; return whether it went out.

    The claim is a conditional update that moves `next_attempt_at` past the time a
    send may take: a second worker finds nothing to claim, and a worker killed
    while sending leaves it to be claimed again once that time is over. No
    transaction is held open while the mail server answers, so saves never wait on it.
    """
    lease = now + timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    claimed = Notification.objects.filter(
        pk=notification_id, state=Notification.State.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=lease, attempts=F("attempts") + 1)
    if not claimed:
        return False
    notification = Notification.objects.select_related("registration__meeting", "batch").get(
        pk=notification_id
    )
    if not notification.registration.gets_mail:
        give_up(notification, "unsubscribed, or the link was revoked")
        return False
    try:
        message(notification, shared or SharedParts()).send()
    except Exception as error:  # any failure of the mail server: retried, then shown in the admin
        logger.warning("Mail %s not sent (attempt %d): %s", notification.pk, notification.attempts, error)
        problem = f"{type(error).__name__}: {error}"[:2000]
        if bounced(error):
            # The server will never take this address: trying again would only repeat the refusal.
            give_up(notification, problem)
        elif notification.attempts > len(RETRY_MINUTES):
            give_up(notification, problem)
        else:
            retry = now + timedelta(minutes=RETRY_MINUTES[notification.attempts - 1])
            Notification.objects.filter(pk=notification.pk).update(next_attempt_at=retry, last_error=problem)
        return False
    Notification.objects.filter(pk=notification.pk).update(
        state=Notification.State.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def bounced(error: Exception) -> bool:
    """Whether the server refused the address for good (a 5xx reply), not for now."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _reply in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600


def give_up(notification: Notification, problem: str) -> None:
    Notification.objects.filter(pk=notification.pk).update(
        state=Notification.State.FAILED, last_error=problem
    )


def message(notification: Notification, shared: SharedParts) -> EmailMessage:
    """The mail, in the participant's language, with the meeting's updated event attached."""
    registration = notification.registration
    meeting = registration.meeting
    language = registration.language
    with translation.override(language):
        batch = notification.batch
        context = {
            "notification": notification,
            "registration": registration,
            "meeting": meeting,
            "changes": shared.changes(batch, language) if batch else [],
            "inscription": inscription_of(notification),
            "procedure": notification.procedure,
            "commitment": notification.commitment,
            "private_url": registration.get_absolute_private_url(),
            "unsubscribe_url": registration.get_unsubscribe_url(),
        }
        subject = " ".join(render_to_string("agenda/mail/subject.txt", context).split())
        body = render_to_string("agenda/mail/body.txt", context)
        calendar = shared.calendar(meeting, language)
    mail = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [registration.email],
        headers={
            "Message-ID": notification.message_id,
            "List-Unsubscribe": f"<{registration.get_unsubscribe_url()}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    mail.attach(f"{meeting.slug}.ics", calendar, "text/calendar; charset=utf-8")
    return mail


def registered_calendar(meeting: Meeting) -> bytes:
    """The participant's copy of the meeting's event: the UID and SEQUENCE their private feed has."""
    meeting = Meeting.objects.prefetch_related("organisers", "conferences").get(pk=meeting.pk)
    entry = ical.MeetingEntry(
        meeting,
        load_agendas([meeting])[meeting.pk],
        settings.SITE_URL.rstrip("/") + meeting.get_absolute_url(),
        history.load_changes([meeting])[meeting.pk],
    )
    return ical.build_meeting_calendar(entry, for_registered=True)
