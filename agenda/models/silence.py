"""Agreeing the conclusions after the meeting: a silence procedure, and each delegation's answer.

The CRM and the CSM agree by consensus. The secretariat circulates the draft
conclusions and commitments with a deadline; unless a delegation breaks silence
by then, they are adopted. A delegation may also agree, or agree ad referendum
(subject to its capital's confirmation by a date). The work is in `silence.py`.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import validators
from ..states import AdReferendum, state_is
from .fields import optional_link
from .meetings import AgendaItem, Meeting
from .registrations import Registration


class SilenceProcedureQuerySet(models.QuerySet):
    def circulating(self) -> SilenceProcedureQuerySet:
        return self.filter(status=SilenceProcedure.Status.CIRCULATING)


class SilenceProcedure(models.Model):
    """A meeting's draft conclusions and commitments, circulated to its delegations until a deadline."""

    class Status(models.TextChoices):
        CIRCULATING = "circulating", _("Circulating")
        ADOPTED = "adopted", _("Adopted")
        BROKEN = "broken", _("Silence broken: back to the secretariat")
        WITHDRAWN = "withdrawn", _("Withdrawn by the secretariat")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="silence_procedures", verbose_name=_("meeting")
    )
    deadline = models.DateTimeField(
        _("deadline"),
        validators=[validators.validate_whole_minute, validators.validate_calendar_year],
        help_text=_("In the meeting's time zone. Adopted then, unless a delegation has broken silence."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CIRCULATING)
    circulated_at = models.DateTimeField(_("circulated"))
    circulated_by = optional_link(
        settings.AUTH_USER_MODEL, _("circulated by"), on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = SilenceProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["-circulated_at", "-id"]
        verbose_name = _("silence procedure")
        verbose_name_plural = _("silence procedures")
        constraints = [
            # A draft circulates once at a time: two deadlines would say two things.
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(status="circulating"),
                name="one_circulating_procedure_per_meeting",
            )
        ]

    def __str__(self) -> str:
        return gettext("Silence procedure: %(meeting)s") % {"meeting": self.meeting}

    is_circulating = state_is(Status.CIRCULATING)
    is_adopted = state_is(Status.ADOPTED)
    is_broken = state_is(Status.BROKEN)


class SilenceAnswer(models.Model):
    """One delegation's answer to a procedure, whoever of it answered last. No answer is silence."""

    class Kind(models.TextChoices):
        AGREE = "agree", _("Agrees")
        AD_REFERENDUM = "ad_referendum", _("Agrees ad referendum")
        OBJECT = "object", _("Breaks silence")

    procedure = models.ForeignKey(
        SilenceProcedure,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("silence procedure"),
    )
    delegation = models.CharField(_("delegation"), max_length=200)
    # What makes two spellings one delegation (`registrations.delegation_key`): one answer each.
    delegation_key = models.CharField(max_length=200, editable=False)
    kind = models.CharField(_("answer"), max_length=16, choices=Kind.choices)
    answered_by = optional_link(Registration, _("answered by"), on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("answered"))
    reservation = models.TextField(_("reservation or interpretative statement"), blank=True, max_length=5000)
    confirm_by = models.DateField(_("to be confirmed by"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = optional_link(Registration, _("confirmed by"), on_delete=models.SET_NULL, related_name="+")
    item = optional_link(AgendaItem, _("on the item"), on_delete=models.SET_NULL, related_name="+")
    objection = models.TextField(_("objection"), blank=True, max_length=5000)
    proposed_wording = models.TextField(_("proposed wording"), blank=True, max_length=5000)

    class Meta:
        ordering = ["delegation", "id"]
        verbose_name = _("answer to a silence procedure")
        verbose_name_plural = _("answers to silence procedures")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "delegation_key"], name="one_answer_per_delegation")
        ]

    def __str__(self) -> str:
        return f"{self.delegation}: {self.get_kind_display()}"

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.AD_REFERENDUM:
            if self.confirm_by is None:
                errors["confirm_by"] = gettext("Say by when the agreement ad referendum will be confirmed.")
            elif self.answered_at and self.confirm_by < self.answered_at.astimezone(self.meeting_zone).date():
                errors["confirm_by"] = gettext("The confirmation date has passed.")
        if self.kind == self.Kind.OBJECT:
            if self.item_id is None:
                errors["item"] = gettext("Say which item the objection is on.")
            elif self.item.meeting_id != self.procedure.meeting_id:
                errors["item"] = gettext("That item is not on this meeting's agenda.")
            if not self.objection.strip():
                errors["objection"] = gettext("Say what the objection is.")
        if errors:
            raise ValidationError(errors)

    @property
    def meeting_zone(self):
        return self.procedure.meeting.zone

    is_agreement = state_is(Kind.AGREE, of="kind")
    is_ad_referendum = state_is(Kind.AD_REFERENDUM, of="kind")
    is_objection = state_is(Kind.OBJECT, of="kind")

    def ad_referendum(self, today: date) -> AdReferendum | None:
        """Where an agreement ad referendum stands on `today` (in the meeting's zone); None for another."""
        if not self.is_ad_referendum:
            return None
        if self.confirmed_at:
            return AdReferendum.CONFIRMED
        return AdReferendum.PENDING if today <= self.confirm_by else AdReferendum.LAPSED
