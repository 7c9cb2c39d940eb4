"""A speakers' list: which agenda item has one, for how long each speaker has the floor, who may ask."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import validators, zones
from .live import LiveEvent
from .meetings import AgendaItem
from .registrations import Registration

MAX_INTERVENTION_MINUTES = 30
MAX_DELEGATION_MINUTES = 120


def minutes_for_capacity(label) -> models.PositiveSmallIntegerField:
    """A statement's own time in one capacity (on behalf of a presidency, a conference, a group)."""
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVENTION_MINUTES)],
        help_text=_("Empty: the time per intervention."),
    )


class SpeakersList(models.Model):
    """The secretariat's settings for an item's list; who asked and who spoke are live events."""

    item = models.OneToOneField(
        AgendaItem, on_delete=models.CASCADE, related_name="speakers_list", verbose_name=_("agenda item")
    )
    minutes_per_intervention = models.PositiveSmallIntegerField(
        _("minutes per intervention"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVENTION_MINUTES)],
    )
    minutes_per_delegation = models.PositiveSmallIntegerField(
        _("speaking time per delegation (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DELEGATION_MINUTES)],
        help_text=_(
            "Each delegation's total on this item, however many times it speaks, instead of a time "
            "per intervention. Empty: the time per intervention."
        ),
    )
    # Statements on behalf of others: their own time, and heard before national statements.
    presidency_minutes = minutes_for_capacity(
        _("minutes for a pro-tempore presidency on behalf of its conference")
    )
    conference_minutes = minutes_for_capacity(_("minutes on behalf of a conference"))
    group_minutes = minutes_for_capacity(_("minutes on behalf of a group"))
    statements_on_behalf_first = models.BooleanField(
        _("statements on behalf of others are heard first"),
        default=True,
        help_text=_(
            "A presidency on behalf of its conference, then a conference, then a group, before "
            "national statements. Otherwise they wait in the order asked, as national ones do."
        ),
    )
    open_to_delegates = models.BooleanField(_("delegations of member states may ask"), default=True)
    open_to_observers = models.BooleanField(_("observers may ask"), default=True)
    open_to_civil_society = models.BooleanField(_("civil society may ask"), default=True)
    # Inscription: when delegations may put their names down from their private links.
    inscription_opens_at = models.DateTimeField(
        _("inscription opens"),
        null=True,
        blank=True,
        validators=[validators.validate_whole_minute, validators.validate_calendar_year],
        help_text=_("In the meeting's time zone. Empty: open as soon as the list exists."),
    )
    inscription_closes_at = models.DateTimeField(
        _("inscription closes"),
        null=True,
        blank=True,
        validators=[validators.validate_whole_minute, validators.validate_calendar_year],
        help_text=_(
            "In the meeting's time zone. Empty: open until the item ends. Once closed, the moderator "
            "can still add a delegation, and points of order are still heard."
        ),
    )
    inscribed_shown_to_public = models.BooleanField(
        _("the inscribed speakers are shown on the public page"),
        default=False,
        help_text=_("Otherwise only registered participants see them, on their private pages."),
    )

    class Meta:
        verbose_name = _("speakers' list")
        verbose_name_plural = _("speakers' lists")

    def __str__(self) -> str:
        return gettext("Speakers' list: %(item)s") % {"item": self.item}

    def clean(self) -> None:
        item = getattr(self, "item", None)
        if item is not None and (item.parent_id or not item.starts_at):
            raise ValidationError(
                gettext("A speakers' list belongs to a topic with a time slot, which the clock runs.")
            )
        opens, closes = self.inscription_opens_at, self.inscription_closes_at
        if opens and closes and closes <= opens:
            raise ValidationError(
                {"inscription_closes_at": gettext("Inscription must close after it opens.")}
            )

    def inscription_refusal(self, at: datetime, time_zone: str) -> str:
        """Why a delegation can't inscribe from its link at `at`, or "" while inscription is open."""
        if self.inscription_opens_at and at < self.inscription_opens_at:
            return gettext("Inscription on “%(item)s” opens on %(when)s.") % {
                "item": self.item.title,
                "when": zones.moment_text(self.inscription_opens_at, time_zone),
            }
        if self.inscription_closes_at and at >= self.inscription_closes_at:
            return gettext("Inscription on “%(item)s” closed on %(when)s.") % {
                "item": self.item.title,
                "when": zones.moment_text(self.inscription_closes_at, time_zone),
            }
        return ""

    def minutes_for(self, capacity: str) -> int:
        """The time a statement in that capacity has."""
        Capacity = LiveEvent.Capacity
        own = {
            Capacity.PRESIDENCY: self.presidency_minutes,
            Capacity.CONFERENCE: self.conference_minutes,
            Capacity.GROUP: self.group_minutes,
        }.get(capacity)
        return own or self.minutes_per_intervention

    def is_open_to(self, role: str) -> bool:
        return {
            Registration.Role.DELEGATE: self.open_to_delegates,
            Registration.Role.OBSERVER: self.open_to_observers,
            Registration.Role.CIVIL_SOCIETY: self.open_to_civil_society,
        }.get(role, False)

    def rules_text(self) -> str:
        """The list's rules in one sentence, as the secretary set them."""
        roles = [str(label).lower() for role, label in Registration.Role.choices if self.is_open_to(role)]
        text = gettext("%(minutes)d min per intervention; may ask: %(roles)s.") % {
            "minutes": self.minutes_per_intervention,
            "roles": ", ".join(roles) if roles else gettext("nobody from the private links"),
        }
        if self.minutes_per_delegation:
            text += " " + gettext("%(minutes)d min in all per delegation.") % {
                "minutes": self.minutes_per_delegation
            }
        return text
