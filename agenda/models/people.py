"""Who meets: countries, the conferences they form, their presidencies, organisations and people."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..validators import merge_errors, raise_if_errors
from .fields import optional_link


class Country(models.Model):
    code = models.CharField(_("ISO 3166 code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class Conference(models.Model):
    """A regional consultative process on migration: the CRM, the CSM."""

    acronym = models.CharField(_("acronym"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    founded_in = models.PositiveSmallIntegerField(_("founded in"), null=True, blank=True)
    members = models.ManyToManyField(Country, related_name="conferences", verbose_name=_("member countries"))

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})"


class PresidencyQuerySet(models.QuerySet):
    def on(self, day: date) -> PresidencyQuerySet:
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


# A term ends on or after the day it starts; one that lasts has no end yet.
PRESIDENCY_ENDS_AFTER_START = models.CheckConstraint(
    condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
    name="presidency_ends_after_start",
)


class Presidency(models.Model):
    """A country's term as pro-tempore presidency (PPT) of a conference."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="presidencies", verbose_name=_("conference")
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="presidencies", verbose_name=_("country")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True, help_text=_("Empty while it lasts."))

    objects = PresidencyQuerySet.as_manager()

    class Meta:
        ordering = ["conference", "-starts_on"]
        verbose_name = _("pro-tempore presidency")
        verbose_name_plural = _("pro-tempore presidencies")
        constraints = [PRESIDENCY_ENDS_AFTER_START]

    def __str__(self) -> str:
        return gettext("PPT %(conference)s: %(country)s, from %(start)s") % {
            "conference": self.conference.acronym,
            "country": self.country,
            "start": self.starts_on.isoformat(),
        }

    def holds_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            merge_errors(errors, {"ends_on": gettext("The term must end on or after its first day.")})
        if self.conference_id and self.starts_on and not errors:
            others = Presidency.objects.filter(conference_id=self.conference_id).exclude(pk=self.pk)
            others = others.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=self.starts_on))
            if self.ends_on:
                others = others.filter(starts_on__lte=self.ends_on)
            clash = others.select_related("country").first()
            if clash:
                merge_errors(
                    errors,
                    {
                        "starts_on": gettext("This term overlaps the presidency of %(country)s.")
                        % {"country": clash.country}
                    },
                )
        raise_if_errors(errors)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        DELEGATION = "delegation", _("Country delegation")
        SECRETARIAT = "secretariat", _("Secretariat")
        OBSERVER = "observer", _("Observer organisation")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(
        _("short name"), max_length=60, blank=True, help_text=_("As the agenda writes it, e.g. “SE CRM”.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = optional_link(
        Country,
        _("country"),
        related_name="organisations",
        help_text=_("For a delegation: the country it represents."),
    )
    conference = optional_link(
        Conference,
        _("conference"),
        related_name="organisations",
        help_text=_("For a secretariat: the conference it serves."),
    )
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.short_name or self.name

    def meetings(self) -> models.QuerySet:
        """The meetings whose pages show it: as an organiser, a participant, or a participant's employer."""
        from .meetings import Meeting

        return Meeting.objects.filter(
            models.Q(organisers=self)
            | models.Q(agenda_items__participants__organisation=self)
            | models.Q(agenda_items__participants__person__organisation=self)
        ).distinct()

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.kind == self.Kind.DELEGATION and not self.country_id:
            merge_errors(errors, {"country": gettext("A delegation represents a country: choose it.")})
        if self.kind == self.Kind.SECRETARIAT and not self.conference_id:
            merge_errors(errors, {"conference": gettext("A secretariat serves a conference: choose it.")})
        raise_if_errors(errors)


class Person(models.Model):
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organisation = optional_link(Organisation, _("organisation"), related_name="people")
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation_id else self.name

    def meetings(self) -> models.QuerySet:
        """The meetings whose agendas name this person."""
        from .meetings import Meeting

        return Meeting.objects.filter(agenda_items__participants__person=self).distinct()


class StaffProfile(models.Model):
    """The conferences whose meetings a member of staff works on.

    A CRM secretariat user edits the CRM's meetings and the joint ones, not a
    meeting of the CSM alone (access.py). What they may do there comes from
    their group: Secretaría, Cronometraje or Observación.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    conferences = models.ManyToManyField(
        Conference,
        blank=True,
        related_name="staff",
        verbose_name=_("conferences"),
        help_text=_("The meetings of these conferences, and the joint ones, are theirs to work on."),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return str(self.user)
