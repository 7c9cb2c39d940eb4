"""The live clock's record: every timekeeper action and request for the floor, with who and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import optional_link
from .interpretation import INTERPRETATION_LANGUAGES
from .meetings import AgendaItem, Meeting
from .people import Country
from .registrations import Registration


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
        UNDO_END = "undo_end", _("Undo the end of the meeting")
        # The floor: a speakers' list on an item (agenda/live/floor.py).
        ASK_FLOOR = "ask_floor", _("Ask for the floor")
        WITHDRAW = "withdraw", _("Withdraw a request for the floor")
        MOVE = "move", _("Move a request in the speakers' list")
        GIVE_FLOOR = "give_floor", _("Give the floor")
        EXTEND = "extend", _("Give the speaker more time")
        END_INTERVENTION = "end_intervention", _("End the intervention")
        SKIP = "skip", _("Skip a speaker")
        SEND_STATEMENT = "send_statement", _("Send a statement for the interpreters")
        CLOSE_LIST = "close_list", _("Close the speakers' list")
        REOPEN_LIST = "reopen_list", _("Reopen the speakers' list")

    class Capacity(models.TextChoices):
        """In whose name a delegation asks to speak."""

        NATIONAL = "national", _("in its national capacity")
        PRESIDENCY = "presidency", _("on behalf of a pro-tempore presidency")
        CONFERENCE = "conference", _("on behalf of a conference")
        GROUP = "group", _("on behalf of a group")

    kind = models.CharField(_("action"), max_length=20, choices=Kind.choices)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="live_events", verbose_name=_("meeting")
    )
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
    # The floor's actions name the request they act on: its "ask" event.
    request = optional_link("self", _("request for the floor"), on_delete=models.CASCADE, related_name="+")
    delegation = models.CharField(_("delegation or organisation"), max_length=200, blank=True)
    speaker_role = models.CharField(
        _("speaks as"), max_length=20, choices=Registration.Role.choices, blank=True
    )
    registration = optional_link(
        Registration, _("asked by"), on_delete=models.SET_NULL, related_name="floor_requests"
    )
    country = optional_link(Country, _("country"), on_delete=models.SET_NULL, related_name="+")
    right_of_reply = models.BooleanField(_("right of reply"), default=False)
    capacity = models.CharField(
        _("speaks"), max_length=12, choices=Capacity.choices, default=Capacity.NATIONAL
    )
    # The conference's acronym (its presidency's too), or the group's name.
    on_behalf_of = models.CharField(_("on behalf of"), max_length=100, blank=True)
    # Raised on the item being discussed: heard before anyone waiting, even on a closed list.
    point_of_order = models.BooleanField(_("point of order"), default=False)
    # The language the delegation will speak in, for the interpreters; empty: not said.
    language = models.CharField(
        _("speaks in"), max_length=2, blank=True, choices=[(code, code) for code in INTERPRETATION_LANGUAGES]
    )
    position = models.PositiveSmallIntegerField(_("place in the list"), null=True, blank=True)
    # A rehearsal's actions replay apart: never on the public page, the report or the record.
    rehearsal = models.BooleanField(_("rehearsal"), default=False)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("live clock action")
        verbose_name_plural = _("live clock actions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%H:%M:%S}"
