"""What a meeting leaves behind: each item's conclusions, and commitments followed across the series."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import zones
from ..validators import merge_errors, raise_if_errors
from .fields import optional_link
from .meetings import AgendaItem, Meeting
from .people import Conference, Country, Organisation
from .registrations import Registration
from .silence import SilenceProcedure


def circulating_refusal(item: AgendaItem | None) -> str:
    """Why a draft can't change now: its meeting's draft is out for adoption by silence; "" otherwise."""
    if item is None or item.meeting_id is None:
        return ""
    procedure = SilenceProcedure.objects.circulating().filter(meeting_id=item.meeting_id).first()
    if procedure is None:
        return ""
    # Delegations answer the text they were sent: changing it would change what silence adopts.
    return gettext(
        "The draft circulates under silence procedure until %(when)s: withdraw the procedure to change it."
    ) % {"when": zones.moment_text(procedure.deadline, item.meeting.time_zone)}


MARKDOWN_HELP = _("Plain text or CommonMark: **bold**, *italics*, lists with “-”, links.")


class Conclusions(models.Model):
    """What the meeting concluded on an item, public once the secretariat publishes the conclusions."""

    item = models.OneToOneField(
        AgendaItem, on_delete=models.CASCADE, related_name="conclusions", verbose_name=_("agenda item")
    )
    text = models.TextField(_("conclusions"), help_text=MARKDOWN_HELP)

    class Meta:
        verbose_name = _("conclusions")
        verbose_name_plural = _("conclusions")

    def __str__(self) -> str:
        return gettext("Conclusions: %(item)s") % {"item": self.item}

    def clean(self) -> None:
        refusal = circulating_refusal(getattr(self, "item", None))
        if refusal:
            raise ValidationError(refusal)


class CommitmentQuerySet(models.QuerySet):
    def open(self) -> CommitmentQuerySet:
        return self.filter(status__in=[Commitment.Status.PENDING, Commitment.Status.IN_PROGRESS])

    def public(self) -> CommitmentQuerySet:
        """Commitments of public meetings whose conclusions the secretariat has published."""
        return self.filter(
            item__meeting__status__in=[Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED],
            item__meeting__conclusions_published_at__isnull=False,
        )

    def of_conference(self, conference: Conference) -> CommitmentQuerySet:
        return self.filter(item__meeting__conferences=conference).distinct()

    def with_responsible(self) -> CommitmentQuerySet:
        return self.select_related(
            "item__meeting", "responsible_country", "responsible_presidency", "responsible_organisation"
        ).prefetch_related("notes", "reports")


RESPONSIBLE_FIELDS = ("responsible_country", "responsible_presidency", "responsible_organisation")
# Exactly one of them is set.
ONE_RESPONSIBLE = models.CheckConstraint(
    condition=Q(
        *[
            Q(**{f"{field}__isnull": field != named for field in RESPONSIBLE_FIELDS})
            for named in RESPONSIBLE_FIELDS
        ],
        _connector=Q.OR,
    ),
    name="commitment_has_one_responsible",
    violation_error_message=_(
        "Name exactly one responsible: a country, a pro-tempore presidency, or an organisation "
        "(a secretariat is one)."
    ),
)


class Commitment(models.Model):
    """Something a meeting agreed someone would do, with its status followed at later meetings.

    Exactly one responsible: a country, a conference's pro-tempore presidency
    ("PPT CSM", whichever country holds it), or an organisation (a secretariat is one).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("agenda item")
    )
    what = models.TextField(_("commitment"))
    responsible_country = optional_link(Country, _("responsible: a country"), related_name="commitments")
    responsible_presidency = optional_link(
        Conference, _("responsible: the pro-tempore presidency of"), related_name="presidency_commitments"
    )
    responsible_organisation = optional_link(
        Organisation, _("responsible: an organisation or secretariat"), related_name="commitments"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["item__meeting__starts_at", "item__position", "position", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [ONE_RESPONSIBLE]

    def __str__(self) -> str:
        return self.what[:80]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        refusal = circulating_refusal(getattr(self, "item", None))
        if refusal:
            merge_errors(errors, {"__all__": refusal})
        # Exactly one responsible: the constraint (ONE_RESPONSIBLE) says so, in validate_constraints().
        item = getattr(self, "item", None)
        if self.due_on and item is not None and self.due_on < item.meeting.local_date:
            merge_errors(
                errors,
                {
                    "due_on": gettext("The due date is before the meeting (%(day)s).")
                    % {"day": item.meeting.local_date.isoformat()}
                },
            )
        raise_if_errors(errors)

    @property
    def responsible(self) -> str:
        """Who answers for it, as the secretariats write it: "Chile", "PPT CSM", "OIM"."""
        if self.responsible_presidency_id:
            return f"PPT {self.responsible_presidency.acronym}"
        if self.responsible_organisation_id:
            organisation = self.responsible_organisation
            return organisation.short_name or organisation.name
        return str(self.responsible_country or "")

    @property
    def meeting(self) -> Meeting:
        return self.item.meeting

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.IN_PROGRESS)

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < (today or timezone.localdate())

    def latest_note(self) -> CommitmentNote | None:
        notes = list(self.notes.all())
        return notes[-1] if notes else None

    def latest_report(self) -> CommitmentReport | None:
        """Its owner's last report, confirmed or not (the secretariat's word is its status and notes)."""
        reports = list(self.reports.all())
        return reports[-1] if reports else None

    def is_answered_for_by(self, registration: Registration, day: date) -> bool:
        """Whether `registration`'s delegation is the one that answers for it on `day`."""
        owner = self.owner_on(day)
        return (
            owner is not None
            and registration.role == Registration.Role.DELEGATE
            and owner.pk == registration.country_id
        )

    def owner_on(self, day: date) -> Country | None:
        """The country that answers for it on `day`: the one named, or the one holding the presidency."""
        if self.responsible_country_id:
            return self.responsible_country
        if self.responsible_presidency_id:
            held = self.responsible_presidency.presidencies.on(day).select_related("country").first()
            return held.country if held else None
        return None  # an organisation or secretariat: the secretariat follows it up itself


class CommitmentNote(models.Model):
    """A dated line of follow-up: what was done, what changed."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="notes", verbose_name=_("commitment")
    )
    on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("note"))

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d}: {self.text[:60]}"


class CommitmentReport(models.Model):
    """A status and a dated note from the delegation that answers for a commitment.

    It shows as the owner's until the secretariat confirms it (`outcomes.confirm_report`),
    which sets the commitment's status and files the note as the secretariat's, amended
    or not: both stay, the owner's words here and the secretariat's in the notes.
    """

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("commitment")
    )
    status = models.CharField(_("status"), max_length=20, choices=Commitment.Status.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), max_length=5000)
    delegation = models.CharField(_("delegation"), max_length=200)
    reported_by = optional_link(Registration, _("reported by"), on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(_("reported"))
    confirmed_at = models.DateTimeField(_("confirmed by the secretariat"), null=True, blank=True)
    confirmed_by = optional_link(
        settings.AUTH_USER_MODEL, _("confirmed by"), on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["reported_at", "id"]
        verbose_name = _("owner's report")
        verbose_name_plural = _("owners' reports")

    def __str__(self) -> str:
        return f"{self.delegation} · {self.on:%Y-%m-%d}: {self.get_status_display()}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
