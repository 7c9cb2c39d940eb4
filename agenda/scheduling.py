"""Edit-time changes that span rows: shift items, duplicate a meeting, publish."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from .cache import bump_content_version
from .models import AgendaItem, AgendaParticipant, Meeting, agenda_problems, check_agenda
from .models.fields import current_save
from .zones import time_span

# A shift of more than a day is a new date, not a delay: duplicate the meeting instead.
MAX_SHIFT_MINUTES = 24 * 60


@transaction.atomic
def shift_items(item: AgendaItem, minutes: int) -> list[AgendaItem]:
    """Move `item` and every item that starts at or after it by `minutes`.

    Sub-items move with their topic. Shifting a sub-item stretches its topic's
    end by the same amount, and everything after the topic moves too. The
    meeting's end follows when the agenda ran up to it, or would now pass it.
    Nothing is saved unless the whole shifted agenda is valid.

    Return the items whose times changed.
    """
    if minutes == 0:
        raise ValidationError(_("Give a number of minutes other than zero."), code="zero_shift")
    if abs(minutes) > MAX_SHIFT_MINUTES:
        raise ValidationError(
            _("A shift is at most %(limit)d minutes either way.") % {"limit": MAX_SHIFT_MINUTES},
            code="shift_too_large",
        )
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    items = list(AgendaItem.objects.select_for_update().filter(meeting=meeting))
    by_id = {each.pk: each for each in items}
    item = by_id[item.pk]
    if item.starts_at is None:
        raise ValidationError(
            _("“%(item)s” has no times of its own: shift its topic instead.") % {"item": item.title},
            code="untimed_item",
        )

    delta = timedelta(minutes=minutes)
    threshold = item.starts_at
    last_end_before = max(each.ends_at for each in items if each.ends_at)
    changed = []
    for each in items:
        if each.starts_at is not None and each.starts_at >= threshold:
            each.starts_at += delta
            each.ends_at += delta
            changed.append(each)
    if item.parent_id:
        topic = by_id[item.parent_id]
        topic.ends_at += delta
        changed.append(topic)

    last_end_after = max(each.ends_at for each in items if each.ends_at)
    meeting_changed = False
    if meeting.ends_at == last_end_before:
        meeting.ends_at += last_end_after - last_end_before
        meeting_changed = last_end_after != last_end_before
    elif last_end_after > meeting.ends_at:
        meeting.ends_at = last_end_after
        meeting_changed = True

    problems = agenda_problems(meeting, items)
    if problems:
        raise ValidationError(problems, code="invalid_shift")
    now = timezone.now()
    for each in changed:
        each.updated_at = now
        # bulk_update skips save(), which would raise SEQUENCE for a new time and the edit version.
        each.sequence += 1
        each.version += 1
    bulk_update_with_history(
        changed,
        AgendaItem,
        ["starts_at", "ends_at", "updated_at", "sequence", "version"],
        custom_historical_attrs={"history_save": current_save()},
    )
    bump_content_version()
    if meeting_changed:
        meeting.full_clean()
        meeting.save(update_fields=["ends_at", "updated_at"])
    return changed


def publication_preview(meeting: Meeting) -> list[str]:
    """The lines a secretary checks before publishing: what the public page will show.

    A meeting that cannot be published (its agenda has problems) is refused here, with why.
    """
    meeting.full_clean(exclude=["conferences", "organisers"])
    agenda = meeting.agenda()
    problems = agenda_problems(meeting, [each for item in agenda for each in (item, *item.children)])
    if problems:
        raise ValidationError(problems, code="invalid_agenda")
    lines = [
        meeting.title,
        " · ".join(
            [
                date_format(meeting.local_date, "DATE_FORMAT"),
                time_span(meeting.starts_at, meeting.ends_at, meeting.time_zone),
            ]
        ),
    ]
    lines += [
        f"{time_span(item.starts_at, item.ends_at, meeting.time_zone, offset=False)} · {item.title}"
        if item.starts_at
        else item.title
        for item in agenda
    ]
    if not agenda:
        lines.append(_("The agenda has not been set yet."))
    return lines


class PreviewOnly(Exception):
    """Raised to roll a dry run back."""


def preview_shift(item: AgendaItem, minutes: int) -> tuple[list[AgendaItem], datetime]:
    """What `shift_items` would move, and the meeting's end after it, with nothing saved.

    The shift itself runs and is rolled back: the preview cannot differ from the result.
    """
    try:
        with transaction.atomic():
            moved = shift_items(item, minutes)
            end = Meeting.objects.only("ends_at").get(pk=item.meeting_id).ends_at
            raise PreviewOnly
    except PreviewOnly:
        return moved, end


def move_to_date(moment: datetime | None, days: int, meeting: Meeting) -> datetime | None:
    """Return `moment` `days` later at the same wall-clock time in the meeting's zone.

    Wall-clock arithmetic keeps "09:00 GMT-6" at 09:00 across a change of
    daylight-saving time between the two dates.
    """
    if moment is None:
        return None
    local = moment.astimezone(meeting.zone)
    return (local + timedelta(days=days)).astimezone(UTC)


@transaction.atomic
def duplicate_meeting(meeting: Meeting, *, on: date, title: str | None = None) -> Meeting:
    """Copy `meeting` and its whole agenda as a new draft held on the date `on`."""
    days = (on - meeting.local_date).days
    original_pk = meeting.pk
    source = Meeting.objects.get(pk=original_pk)
    conferences = list(source.conferences.all())
    organisers = list(source.organisers.all())
    items = list(
        source.agenda_items.order_by("parent_id", "pk")
        .prefetch_related("participants")
        .select_related("speakers_list")
    )

    copy = source
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.uuid = Meeting._meta.get_field("uuid").default()
    copy.status = Meeting.Status.DRAFT
    copy.sequence = 0
    copy.title = title or _("%(title)s (copy)") % {"title": source.title}
    if source.series_number:
        copy.series_number = source.series_number + 1
    copy.slug = unique_slug(slugify(f"{copy.title}-{on.isoformat()}")[:90] or "reunion")
    copy.starts_at = move_to_date(copy.starts_at, days, copy)
    copy.ends_at = move_to_date(copy.ends_at, days, copy)
    copy.full_clean(exclude=["conferences", "organisers"])
    copy.save()
    copy.conferences.set(conferences)
    copy.organisers.set(organisers)

    new_ids: dict[int, AgendaItem] = {}
    # Topics first (parent_id NULL sorts first on both databases once ordered with it).
    for original in sorted(items, key=lambda each: each.parent_id is not None):
        participants = list(original.participants.all())
        speakers_list = getattr(original, "speakers_list", None)
        old_pk = original.pk
        original.pk = None
        original.id = None
        original._state.adding = True
        original.uuid = AgendaItem._meta.get_field("uuid").default()
        original.sequence = 0
        original.meeting = copy
        original.parent = new_ids[original.parent_id] if original.parent_id else None
        original.starts_at = move_to_date(original.starts_at, days, copy)
        original.ends_at = move_to_date(original.ends_at, days, copy)
        original.save()
        new_ids[old_pk] = original
        AgendaParticipant.objects.bulk_create(
            AgendaParticipant(
                item=original,
                role=participant.role,
                person_id=participant.person_id,
                organisation_id=participant.organisation_id,
                presidency_of_id=participant.presidency_of_id,
                position=participant.position,
            )
            for participant in participants
        )
        if speakers_list is not None:
            # The list's rules carry over; who asked and who spoke belong to the meeting that was.
            speakers_list.pk = None
            speakers_list.item = original
            speakers_list._state.adding = True
            speakers_list.save()
    problems = agenda_problems(copy, list(new_ids.values()))
    if problems:
        raise ValidationError(problems, code="invalid_copy")
    return copy


# Words a meeting's title shares with every other, left out of its suggested address.
SLUG_STOPWORDS = frozenset(
    {
        "de",
        "del",
        "la",
        "las",
        "el",
        "los",
        "y",
        "e",
        "entre",
        "sobre",
        "para",
        "en",
        "a",
        "the",
        "of",
        "and",
        "on",
        "for",
        "between",
        "das",
        "dos",
        "do",
        "da",
        "o",
        "as",
        "reunion",
        "meeting",
        "conferencia",
        "conference",
        "regional",
        "suramericana",
        "migracion",
        "migraciones",
        "migration",
    }
)


def suggested_slug(title: str, year: int) -> str:
    """A short, unused address for a meeting: "III Reunión Plenaria entre la Conferencia Regional
    sobre Migración (CRM) y…" becomes "iii-plenaria-crm-csm-2022"."""
    words = [slugify(word) for word in title.replace("–", " ").replace("-", " ").split()]
    kept = [word for word in words if word and word not in SLUG_STOPWORDS]
    base = "-".join([*kept[:5], str(year)])[:60].strip("-") or f"reunion-{year}"
    return unique_slug(base)


def unique_slug(base: str) -> str:
    slug, number = base, 2
    while Meeting.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


@transaction.atomic
def set_status(meeting: Meeting, status: str) -> Meeting:
    """Publish, unpublish or cancel `meeting`; publishing checks the whole agenda first."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.status = status
    meeting.full_clean()
    if status == Meeting.Status.PUBLISHED:
        check_agenda(meeting, list(meeting.agenda_items.all()))
    # Saving raises every item's SEQUENCE when the status changed (Meeting.save).
    meeting.save(update_fields=["status", "updated_at"])
    return meeting
