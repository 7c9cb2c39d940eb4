"""The live clock's record: every timekeeper action, with who pressed it and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import optional_link
from .meetings import AgendaItem, Meeting


class LiveEvent(models.Model):
    """One timekeeper action. The live state is replayed from these, in order.

    Storing what happened, not counters, lets any app server, a reload or a
    second laptop rebuild the same state, and the report compare plan and fact.
    """

    class Kind(models.TextChoices):
        START_MEETING = "start_meeting", _("Start the meeting")
        START_ITEM = "start_item", _("Start an item")
        NEXT = "next", _("Next item")
        PAUSE = "pause", _("Pause")
        RESUME = "resume", _("Resume")
        ADJUST = "adjust", _("Change the time of the running item")
        END_MEETING = "end_meeting", _("End the meeting")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="live_events", verbose_name=_("meeting")
    )
    kind = models.CharField(_("action"), max_length=20, choices=Kind.choices)
    item = optional_link(
        AgendaItem,
        _("agenda item"),
        on_delete=models.CASCADE,
        related_name="live_events",
        help_text=_("The item started, or the one a “next” ended."),
    )
    minutes = models.SmallIntegerField(_("minutes"), null=True, blank=True)
    at = models.DateTimeField(_("at"))
    by = optional_link(settings.AUTH_USER_MODEL, _("by"), on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("live clock action")
        verbose_name_plural = _("live clock actions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%H:%M:%S}"
