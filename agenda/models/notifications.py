"""Mail to registered participants: each one stored with its state, so a worker restart loses none."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .meetings import Meeting
from .registrations import Registration


class ChangeBatch(models.Model):
    """The changes to a published meeting gathered into one mail per participant.

    Opened by the first change; changes until `due_at` join it. Delivering it
    (notifications.py) lists the changelog's lines between `since` and `cut_at`.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="change_batches", verbose_name=_("meeting")
    )
    since = models.DateTimeField(_("changes since"))
    due_at = models.DateTimeField(_("to be sent at"))
    cut_at = models.DateTimeField(_("changes until"), null=True, blank=True)

    class Meta:
        ordering = ["-due_at"]
        verbose_name = _("batch of changes")
        verbose_name_plural = _("batches of changes")
        constraints = [
            # One batch at a time gathers a meeting's changes.
            models.UniqueConstraint(
                fields=["meeting"], condition=models.Q(cut_at__isnull=True), name="one_open_batch_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.due_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """One mail to one participant: changes, or a reminder. Sent once: its key is unique per participant."""

    class Kind(models.TextChoices):
        CHANGES = "changes", _("Changes to the agenda")
        REMINDER_DAY = "reminder_24h", _("Reminder, a day before")
        REMINDER_HOUR = "reminder_1h", _("Reminder, an hour before")
        INSCRIPTION = "inscription", _("Inscription on a speakers' list")
        SILENCE = "silence", _("Draft conclusions under silence procedure")
        SILENCE_OUTCOME = "silence_outcome", _("Outcome of a silence procedure")
        COMMITMENT_DUE = "commitment_due", _("A commitment falls due")
        COMMITMENT_OVERDUE = "commitment_overdue", _("A commitment is overdue")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Given up")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("participant")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    batch = models.ForeignKey(
        ChangeBatch, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    # An inscription's acknowledgement names the request ("ask_floor" event) it acknowledges.
    floor_request = models.ForeignKey(
        "agenda.LiveEvent", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The draft circulated for adoption by silence, or the outcome of its procedure.
    procedure = models.ForeignKey(
        "agenda.SilenceProcedure", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A reminder to a commitment's owner: the commitment it is about.
    commitment = models.ForeignKey(
        "agenda.Commitment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=100, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["registration", "key"], name="one_mail_per_key")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notification_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.registration.email}"

    @property
    def message_id(self) -> str:
        """The same for every attempt: a mail server or client that got it already can tell."""
        return f"<plenary-notification-{self.pk}@{self.registration.meeting.uuid}>"
