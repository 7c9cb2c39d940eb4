"""Meetings and their agendas: items, sub-items and who takes part in them."""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import validators
from ..validators import merge_errors, raise_if_errors
from ..zones import gmt_label
from .fields import SaveMarked, optional_link
from .people import Conference, Country, Organisation, Person, Presidency


class CalendarVersioned(models.Model):
    """A row that calendars hold as an event: a stable UID and a SEQUENCE.

    RFC 5545 asks that SEQUENCE go up whenever the time, title, place or status
    changes, so subscribed calendars replace the event instead of keeping two.
    The values as loaded are kept, and `save()` compares against them; writes
    that skip `save()` (bulk updates) bump `sequence` themselves.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(
        _("revision"), default=0, editable=False, validators=[validators.validate_number_bound]
    )

    CALENDAR_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.calendar_fields_changed():
            self.sequence += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence"}
        super().save(*args, **kwargs)
        self._loaded_calendar_values = {name: getattr(self, name) for name in self.CALENDAR_FIELDS}

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_calendar_values = {
            name: value
            for name, value in zip(field_names, values, strict=True)
            if name in cls.CALENDAR_FIELDS
        }
        return instance

    def calendar_fields_changed(self, names: Sequence[str] | None = None) -> bool:
        """Has any of `names` (all of `CALENDAR_FIELDS` by default) changed since it was loaded?"""
        loaded = getattr(self, "_loaded_calendar_values", None)
        if self._state.adding or not loaded:
            return False
        return any(
            getattr(self, name) != value for name, value in loaded.items() if names is None or name in names
        )


class EditVersioned(models.Model):
    """A row whose every save raises `version`, so an edit made on a stale copy can be refused.

    The admin's forms carry the version they were opened at (see forms.py);
    writes that skip `save()` (bulk updates) raise it themselves.
    """

    version = models.PositiveIntegerField(_("edit version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


class MeetingQuerySet(models.QuerySet):
    def public(self) -> MeetingQuerySet:
        """Meetings anyone may see: published ones, and cancelled ones so the news reaches them."""
        return self.filter(status__in=[Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED])

    def upcoming(self, now: datetime) -> MeetingQuerySet:
        return self.filter(ends_at__gte=now).order_by("starts_at")

    def past(self, now: datetime) -> MeetingQuerySet:
        return self.filter(ends_at__lt=now).order_by("-starts_at")

    def usual_time_zone(self) -> str | None:
        """The zone most of these meetings are held in (the latest breaks a tie), or None."""
        counted = (
            Meeting.objects.filter(pk__in=self.values("pk"))
            .values("time_zone")
            .annotate(meetings=models.Count("pk"), latest=models.Max("starts_at"))
            .order_by("-meetings", "-latest")
            .first()
        )
        return counted["time_zone"] if counted else None


class Meeting(EditVersioned, CalendarVersioned):
    class Modality(models.TextChoices):
        VIRTUAL = "virtual", _("Virtual")
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class JoinLinkVisibility(models.TextChoices):
        REGISTERED = "registered", _("Registered participants only")
        PUBLIC = "public", _("Anyone who opens the meeting page")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, help_text=_("Part of the page address."))
    series_number = models.PositiveSmallIntegerField(
        _("number in the series"),
        null=True,
        blank=True,
        help_text=_("3 for the III Plenary Meeting."),
    )
    conferences = models.ManyToManyField(Conference, related_name="meetings", verbose_name=_("conferences"))
    organisers = models.ManyToManyField(
        Organisation, blank=True, related_name="organised_meetings", verbose_name=_("organisers")
    )
    starts_at = models.DateTimeField(
        _("start"), validators=[validators.validate_whole_minute, validators.validate_calendar_year]
    )
    ends_at = models.DateTimeField(
        _("end"), validators=[validators.validate_whole_minute, validators.validate_calendar_year]
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.DEFAULT_MEETING_TIME_ZONE,
        validators=[validators.validate_time_zone],
        help_text=_("The zone the agenda is written in; times are entered in it."),
    )
    modality = models.CharField(
        _("modality"), max_length=20, choices=Modality.choices, default=Modality.VIRTUAL
    )
    video_call_url = models.URLField(_("video-call link"), max_length=500, blank=True)
    video_call_platform = models.CharField(
        _("video-call platform"), max_length=60, blank=True, help_text=_("Zoom, Teams, Webex…")
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    join_link_visibility = models.CharField(
        _("who sees the join link"),
        max_length=20,
        choices=JoinLinkVisibility.choices,
        default=JoinLinkVisibility.REGISTERED,
        help_text=_(
            "A public video-call link invites intruders: share it with registered participants only."
        ),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Set when a meeting the public has seen goes back to draft; its feeds then cancel what they showed.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)
    conclusions_published_at = models.DateTimeField(
        _("conclusions published"), null=True, blank=True, editable=False
    )
    background = models.TextField(_("background"), blank=True)
    justification = models.TextField(_("justification"), blank=True)
    general_objective = models.TextField(_("general objective"), blank=True)
    specific_objectives = models.TextField(_("specific objectives"), blank=True)
    participant_profile = models.TextField(_("participant profile"), blank=True)
    methodology = models.TextField(_("methodology"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    CALENDAR_FIELDS = (
        "title",
        "starts_at",
        "ends_at",
        "time_zone",
        "modality",
        "video_call_url",
        "video_call_platform",
        "venue",
        "status",
    )

    # What each topic's event shows of its meeting as LOCATION and CONFERENCE.
    PLACE_FIELDS = ("modality", "video_call_url", "video_call_platform", "venue")

    CONCEPT_NOTE_SECTIONS = (
        "background",
        "justification",
        "general_objective",
        "specific_objectives",
        "participant_profile",
        "methodology",
    )

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start")
        ]
        permissions = [("keep_time", _("Can keep time during a meeting"))]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        status_changed = self.calendar_fields_changed(["status"])
        topics_changed = status_changed or self.calendar_fields_changed(self.PLACE_FIELDS)
        if status_changed:
            was_public = self._loaded_calendar_values["status"] != self.Status.DRAFT
            if self.status == self.Status.DRAFT and was_public:
                self.withdrawn_at = timezone.now()
            elif self.status != self.Status.DRAFT:
                self.withdrawn_at = None
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "withdrawn_at"}
        super().save(*args, **kwargs)
        if topics_changed:
            self.revise_agenda_events()

    def get_absolute_url(self) -> str:
        return reverse("agenda:meeting-detail", kwargs={"slug": self.slug})

    def dated_title(self) -> str:
        """The title with the date and status, where meetings are chosen or listed: two
        "III Reunión Plenaria…" are told apart ("III Reunión Plenaria… · 31/05/2022 · Publicada")."""
        return f"{self.title} · {self.local_date:%d/%m/%Y} · {self.get_status_display()}"

    def revise_agenda_events(self) -> None:
        """Raise the SEQUENCE of every agenda item, whose events show this meeting's place and status.

        A cancelled or withdrawn meeting cancels each item, and a new venue moves
        each of them: calendars must replace every one.
        """
        self.agenda_items.update(
            sequence=F("sequence") + 1, version=F("version") + 1, updated_at=timezone.now()
        )

    @property
    def is_withdrawn(self) -> bool:
        """Back in draft after the public saw it: its feeds answer with its events cancelled."""
        return self.status == self.Status.DRAFT and self.withdrawn_at is not None

    def as_last_published(self) -> tuple[Meeting, list[AgendaItem]]:
        """The meeting and its timed topics as the public last saw them, before it was withdrawn.

        Read from the history as of the withdrawal, so edits to the draft since
        then stay private. Rows older than the history (bulk-created) are taken
        as they are.
        """
        moment = self.withdrawn_at
        try:
            meeting = self.history.as_of(moment)
        except Meeting.DoesNotExist:
            meeting = self
        then = {item.pk: item for item in AgendaItem.history.as_of(moment).filter(meeting_id=self.pk)}
        recorded = set(AgendaItem.history.filter(meeting_id=self.pk).values_list("id", flat=True))
        for item in self.agenda_items.filter(created_at__lte=moment).exclude(pk__in=recorded):
            then[item.pk] = item
        topics = sorted(
            (item for item in then.values() if item.parent_id is None and item.starts_at),
            key=lambda item: (item.starts_at, item.position, item.pk),
        )
        return meeting, topics

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_starts_at(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_ends_at(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def local_date(self) -> date:
        return self.local_starts_at.date()

    @property
    def gmt_label(self) -> str:
        """The offset the agenda's times are written in, on the meeting's day: "GMT-6"."""
        return gmt_label(self.local_starts_at.utcoffset())

    @property
    def series_label(self) -> str:
        return to_roman(self.series_number) if self.series_number else ""

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def shows_join_link(self) -> bool:
        return bool(self.video_call_url) and self.join_link_visibility == self.JoinLinkVisibility.PUBLIC

    def concept_note(self) -> list[tuple[str, str, str]]:
        """Return the concept note's non-empty sections as (field, heading, text), in order."""
        return [
            (name, self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.CONCEPT_NOTE_SECTIONS
            if (getattr(self, name) or "").strip()
        ]

    @property
    def conclusions_are_public(self) -> bool:
        return self.is_public and self.conclusions_published_at is not None

    def earlier_in_series(self) -> MeetingQuerySet:
        """The public meetings before this one held by the same conferences (the series it continues)."""
        mine = list(self.conferences.values_list("pk", flat=True))
        return (
            Meeting.objects.public()
            .filter(starts_at__lt=self.starts_at)
            .annotate(
                held_by=models.Count("conferences", distinct=True),
                held_by_mine=models.Count("conferences", filter=Q(conferences__in=mine), distinct=True),
            )
            .filter(held_by=len(mine), held_by_mine=len(mine))
        )

    def member_countries(self) -> list[tuple[str, str]]:
        """Return (code, name) of every member country of the meeting's conferences."""
        return list(
            Country.objects.filter(conferences__meetings=self)
            .distinct()
            .order_by("name")
            .values_list("code", "name")
        )

    def agenda(self) -> list[AgendaItem]:
        """Return the top-level items, each with `.children` and participants resolved."""
        return load_agendas([self])[self.pk]

    def clean(self) -> None:
        if not validators.is_calendar_time(self.starts_at, self.ends_at):
            return  # the field says so; times that far out can't be compared in any zone
        errors: dict[str, list[str]] = {}
        if self.starts_at and self.ends_at:
            merge_errors(errors, validators.period_errors(self.starts_at, self.ends_at))
        if self.status == self.Status.PUBLISHED:
            online = self.modality in (self.Modality.VIRTUAL, self.Modality.HYBRID)
            on_site = self.modality in (self.Modality.IN_PERSON, self.Modality.HYBRID)
            if online and not (self.video_call_url or self.video_call_platform):
                merge_errors(
                    errors,
                    {
                        "video_call_platform": gettext(
                            "Say where a virtual or hybrid meeting happens (Zoom…) before publishing it."
                        )
                    },
                )
            if on_site and not self.venue:
                merge_errors(
                    errors, {"venue": gettext("A meeting in person needs its venue before it is published.")}
                )
        raise_if_errors(errors)


def load_agendas(meetings: Sequence[Meeting]) -> dict[int, list[AgendaItem]]:
    """Return each meeting's top-level items, with `.children` and participants, by meeting id.

    Three queries however many meetings and items: the items, their
    participants, and the presidencies, so that a role like "PPT CRM" reads as
    the country that held it on each meeting's date.
    """
    by_id = {meeting.pk: meeting for meeting in meetings}
    items = list(
        AgendaItem.objects.filter(meeting_id__in=by_id).prefetch_related(
            models.Prefetch(
                "participants",
                queryset=AgendaParticipant.objects.select_related(
                    "person__organisation", "organisation", "presidency_of"
                ),
            )
        )
    )
    presidencies = list(Presidency.objects.select_related("country")) if items else []
    by_parent: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        item.meeting = by_id[item.meeting_id]
        by_parent.setdefault(item.parent_id, []).append(item)
        day = item.meeting.local_date
        for participant in item.participants.all():
            if participant.presidency_of_id:
                participant.resolved_country = next(
                    (
                        presidency.country
                        for presidency in presidencies
                        if presidency.conference_id == participant.presidency_of_id
                        and presidency.holds_on(day)
                    ),
                    None,
                )
    agendas: dict[int, list[AgendaItem]] = {meeting_id: [] for meeting_id in by_id}
    for item in items:
        item.children = by_parent.get(item.pk, [])
        if item.parent_id is None:
            agendas[item.meeting_id].append(item)
    return agendas


def to_roman(number: int) -> str:
    numerals = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ]
    result = ""
    for value, numeral in numerals:
        count, number = divmod(number, value)
        result += numeral * count
    return result


# An item has both times, the end after the start, or neither (a sub-item may be untimed).
TIMED_OR_UNTIMED_ITEM = models.CheckConstraint(
    condition=Q(starts_at__isnull=True, ends_at__isnull=True)
    | Q(starts_at__isnull=False, ends_at__gt=F("starts_at")),
    name="agenda_item_ends_after_start",
)


class AgendaItem(EditVersioned, CalendarVersioned):
    """A line of the agenda: a topic ("TEMA 1…") or one of its sub-items.

    Topics always have a time slot. A sub-item may leave its times empty: the
    concept notes list a topic's presentations under its slot without timing
    each one.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    parent = optional_link(
        "self",
        _("topic"),
        on_delete=models.CASCADE,
        related_name="sub_items",
        help_text=_("Empty for a topic; the topic this sub-item belongs to otherwise."),
    )
    position = models.PositiveIntegerField(
        _("order"),
        default=0,
        validators=[validators.validate_number_bound],
        help_text=_("Orders items that share a start time, and untimed sub-items."),
    )
    starts_at = models.DateTimeField(
        _("start"),
        null=True,
        blank=True,
        validators=[validators.validate_whole_minute, validators.validate_calendar_year],
    )
    ends_at = models.DateTimeField(
        _("end"),
        null=True,
        blank=True,
        validators=[validators.validate_whole_minute, validators.validate_calendar_year],
    )
    title = models.CharField(_("activity"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    reviews = models.ManyToManyField(
        "Commitment",
        blank=True,
        related_name="reviewed_in",
        verbose_name=_("commitments it reviews"),
        help_text=_("Commitments of earlier meetings this item follows up."),
    )
    is_parallel = models.BooleanField(
        _("parallel"), default=False, help_text=_("Runs at the same time as other items: may overlap them.")
    )
    is_cancelled = models.BooleanField(
        _("cancelled"),
        default=False,
        help_text=_(
            "Stays on the agenda and in calendars, marked cancelled. Once a meeting is published, "
            "its topics are cancelled rather than deleted, so subscribed calendars learn of it."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = [F("starts_at").asc(nulls_last=True), "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [TIMED_OR_UNTIMED_ITEM]

    CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "is_cancelled")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#item-{self.uuid}"

    @property
    def is_topic(self) -> bool:
        return self.parent_id is None

    @property
    def topic(self) -> AgendaItem | None:
        """The topic it belongs to, also one not saved yet (the sub-item rows of a new topic's page)."""
        return self.parent if self.parent_id or AgendaItem.parent.is_cached(self) else None

    @property
    def local_starts_at(self) -> datetime | None:
        return self.starts_at.astimezone(self.meeting.zone) if self.starts_at else None

    @property
    def local_ends_at(self) -> datetime | None:
        return self.ends_at.astimezone(self.meeting.zone) if self.ends_at else None

    @property
    def duration_minutes(self) -> int | None:
        if self.starts_at and self.ends_at:
            return int((self.ends_at - self.starts_at).total_seconds() // 60)
        return None

    def participants_by_role(self) -> list[tuple[AgendaParticipant.Role, list[AgendaParticipant]]]:
        """Group the participants by role, in the order they were entered."""
        groups: dict[AgendaParticipant.Role, list[AgendaParticipant]] = {}
        for participant in self.participants.all():
            groups.setdefault(AgendaParticipant.Role(participant.role), []).append(participant)
        return list(groups.items())

    def participants_text(self) -> str:
        """Return the participants as the agenda prints them: "Modera: PPT CRM (El Salvador)"."""
        lines = []
        for role, people in self.participants_by_role():
            names = f" {gettext('and')} ".join(participant.display_name for participant in people)
            lines.append(f"{gettext('Moderator:')} {names}" if role.is_moderator else names)
        return "; ".join(lines)

    def clean(self) -> None:
        """Judge this row alone; how it sits among the others is `agenda_problems()`'s to judge."""
        if not self.meeting_id or not validators.is_calendar_time(self.starts_at, self.ends_at):
            return  # the field says so; times that far out can't be compared in any zone
        meeting = self.meeting
        parent = self.topic
        errors: dict[str, list[str]] = {}
        has_start, has_end = self.starts_at is not None, self.ends_at is not None
        if parent is None and not (has_start and has_end):
            if not has_start:
                merge_errors(errors, {"starts_at": gettext("A topic needs a start time.")})
            if not has_end:
                merge_errors(errors, {"ends_at": gettext("A topic needs an end time.")})
        elif has_start != has_end:
            field = "ends_at" if has_start else "starts_at"
            merge_errors(errors, {field: gettext("Give both the start and the end, or neither.")})
        if parent is not None and parent.meeting_id and parent.meeting_id != self.meeting_id:
            merge_errors(errors, {"parent": gettext("The topic belongs to another meeting.")})
        if parent is not None and parent.parent_id is not None:
            merge_errors(errors, {"parent": gettext("A sub-item cannot hold sub-items: choose a topic.")})
        if parent is not None and parent.pk and self.pk and parent.pk == self.pk:
            merge_errors(errors, {"parent": gettext("An item cannot be its own topic.")})
        if has_start and has_end and not errors:
            merge_errors(errors, validators.period_errors(self.starts_at, self.ends_at))
        if has_start and has_end and not errors:
            merge_errors(
                errors,
                validators.containment_errors(
                    self, meeting.starts_at, meeting.ends_at, gettext("the meeting"), meeting.time_zone
                ),
            )
        raise_if_errors(errors)


@dataclass(frozen=True)
class AgendaProblem:
    """One thing wrong with a proposed agenda: the rows it is about (the first is the one at fault)."""

    items: tuple[AgendaItem, ...]
    message: str

    def __str__(self) -> str:
        return f"«{self.items[0].title}»: {self.message}" if self.items and self.names_row else self.message

    # An overlap's message names both rows itself; a row's own rule is said after the row's title.
    names_row: bool = True


def agenda_problems(meeting: Meeting, items: Sequence[AgendaItem]) -> list[str]:
    """Return what is wrong with `items` as the whole agenda of `meeting`, in the secretariat's words.

    `items` is the agenda as it would be after a write: every row of the
    meeting, unsaved changes in place of the stored values, deleted rows left
    out. Every path that writes agenda rows (the admin's forms, the agenda
    editor, shifting, importing, publishing) calls this before it saves, so a
    rule between rows is written once: each row's own rules
    (`AgendaItem.clean()`, judged here against the meeting as it would be),
    sub-items inside their topic, no overlapping siblings, and, for a
    published meeting, an agenda that is there and whose presidencies resolve
    on its date.
    """
    return [str(problem) for problem in find_agenda_problems(meeting, items)]


def find_agenda_problems(
    meeting: Meeting, items: Sequence[AgendaItem], *, stored_presidencies: bool = True
) -> list[AgendaProblem]:
    """`agenda_problems()`, each problem with the rows it concerns (the agenda editor marks them).

    Without `stored_presidencies` the presidencies of the stored participants are
    not judged: the caller proposes other participants and judges those itself.
    """
    if not items:
        if meeting.status == Meeting.Status.PUBLISHED:
            return [AgendaProblem((), gettext("it has no items."))]
        return []
    by_id = {item.pk: item for item in items if item.pk}
    problems: list[AgendaProblem] = []
    siblings: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        item.meeting = meeting
        if item.parent_id in by_id:
            item.parent = by_id[item.parent_id]
        topic = item.topic
        siblings.setdefault(id(topic) if topic is not None else None, []).append(item)
        try:
            for field in ("starts_at", "ends_at"):
                validators.validate_calendar_year(getattr(item, field))
            item.clean()
        except ValidationError as error:
            problems.extend(AgendaProblem((item,), message) for message in error.messages)
            continue
        if topic is not None and item.starts_at and topic.starts_at and topic.ends_at:
            outside = validators.containment_errors(
                item,
                topic.starts_at,
                topic.ends_at,
                gettext("its topic “%(topic)s”") % {"topic": topic.title},
                meeting.time_zone,
            )
            problems.extend(AgendaProblem((item, topic), message) for message in outside.values())
    for group in siblings.values():
        problems.extend(
            AgendaProblem((later, earlier), message, names_row=False)
            for earlier, later, message in validators.overlaps(group, meeting.time_zone)
        )
    if stored_presidencies and meeting.pk and meeting.status == Meeting.Status.PUBLISHED:
        problems.extend(unresolved_presidencies(meeting))
    return problems


def check_agenda(meeting: Meeting, items: Sequence[AgendaItem]) -> None:
    """Raise what `agenda_problems()` finds, saying so when it is what stops a publication."""
    problems = agenda_problems(meeting, items)
    if problems and meeting.status == Meeting.Status.PUBLISHED:
        problems = [
            gettext("The agenda must be valid before the meeting is published: %(problem)s")
            % {"problem": problem}
            for problem in problems
        ]
    if problems:
        raise ValidationError(problems, code="invalid_agenda")


def unresolved_presidencies(meeting: Meeting) -> list[AgendaProblem]:
    """Return a problem for each "PPT …" role whose conference no country presides on the meeting's date."""
    held = set(Presidency.objects.on(meeting.local_date).values_list("conference_id", flat=True))
    unresolved = (
        AgendaParticipant.objects.filter(item__meeting=meeting, presidency_of__isnull=False)
        .exclude(presidency_of__in=held)
        .select_related("item", "presidency_of")
    )
    return [
        AgendaProblem(
            (participant.item,),
            gettext("no country holds the pro-tempore presidency of %(conference)s on %(day)s.")
            % {"conference": participant.presidency_of.acronym, "day": meeting.local_date.isoformat()},
        )
        for participant in unresolved
    ]


# A participant is a person, an organisation or a presidency: exactly one of them.
ONE_OF_PERSON_ORGANISATION_PRESIDENCY = models.CheckConstraint(
    condition=Q(person__isnull=False, organisation__isnull=True, presidency_of__isnull=True)
    | Q(person__isnull=True, organisation__isnull=False, presidency_of__isnull=True)
    | Q(person__isnull=True, organisation__isnull=True, presidency_of__isnull=False),
    name="participant_is_one_of_person_organisation_presidency",
)


class AgendaParticipant(models.Model):
    """Who takes part in an agenda item, and in what role.

    Exactly one of person, organisation or presidency is set. A presidency
    ("PPT CRM") stands for whichever country holds it on the meeting's date.
    """

    class Role(models.TextChoices):
        PRESENTER = "presenter", _("Presenter")
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")
        HOST = "host", _("Host")

        @property
        def is_moderator(self) -> bool:
            """The agenda prints these with "Moderator:" ("Modera:") before them."""
            return self is type(self).MODERATOR

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="participants", verbose_name=_("agenda item")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PRESENTER)
    person = optional_link(Person, _("person"))
    organisation = optional_link(Organisation, _("organisation"))
    presidency_of = optional_link(
        Conference,
        _("pro-tempore presidency of"),
        help_text=_("“PPT CRM”: the country that holds it on the meeting's date."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords(bases=[SaveMarked])

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [ONE_OF_PERSON_ORGANISATION_PRESIDENCY]

    # Filled by Meeting.agenda() so that a page resolves every presidency in one query.
    resolved_country: Country | None = None

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.label}"

    @property
    def label(self) -> str:
        """The name as the agenda prints it: "PPT CRM", "SE CRM", a person's name."""
        if self.presidency_of_id:
            return f"PPT {self.presidency_of.acronym}"
        if self.organisation_id:
            return str(self.organisation)
        if self.person_id:
            return self.person.name
        return ""

    @property
    def display_name(self) -> str:
        """The label with what it stands for: "PPT CRM (El Salvador)", "Ana Pérez (OIM)"."""
        if self.presidency_of_id and self.resolved_country:
            return f"{self.label} ({self.resolved_country})"
        if self.person_id and self.person.organisation_id:
            return f"{self.person.name} ({self.person.organisation})"
        return self.label

    def clean(self) -> None:
        chosen = [self.person_id, self.organisation_id, self.presidency_of_id]
        if sum(value is not None for value in chosen) != 1:
            raise_if_errors(
                {
                    "person": [
                        gettext("Choose exactly one: a person, an organisation or a pro-tempore presidency.")
                    ]
                }
            )
        if self.presidency_of_id and self.item_id:
            day = self.item.meeting.local_date
            if not Presidency.objects.on(day).filter(conference_id=self.presidency_of_id).exists():
                raise_if_errors(
                    {
                        "presidency_of": [
                            gettext(
                                "No country holds the pro-tempore presidency of %(conference)s on %(day)s."
                            )
                            % {"conference": self.presidency_of.acronym, "day": day.isoformat()}
                        ]
                    }
                )
