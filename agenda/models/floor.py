"""A speakers' list: which agenda item has one, for how long each speaker has the floor, who may ask."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .meetings import AgendaItem
from .registrations import Registration

MAX_INTERVENTION_MINUTES = 30


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
    open_to_delegates = models.BooleanField(_("delegations of member states may ask"), default=True)
    open_to_observers = models.BooleanField(_("observers may ask"), default=True)
    open_to_civil_society = models.BooleanField(_("civil society may ask"), default=True)

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

    def is_open_to(self, role: str) -> bool:
        return {
            Registration.Role.DELEGATE: self.open_to_delegates,
            Registration.Role.OBSERVER: self.open_to_observers,
            Registration.Role.CIVIL_SOCIETY: self.open_to_civil_society,
        }.get(role, False)

    def rules_text(self) -> str:
        """The list's rules in one sentence, as the secretary set them."""
        roles = [str(label).lower() for role, label in Registration.Role.choices if self.is_open_to(role)]
        return gettext("%(minutes)d min per intervention; may ask: %(roles)s.") % {
            "minutes": self.minutes_per_intervention,
            "roles": ", ".join(roles) if roles else gettext("nobody from the private links"),
        }
