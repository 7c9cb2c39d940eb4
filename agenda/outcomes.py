"""After the meeting: publishing the conclusions, commitments carried across the series, per conference.

Conclusions and commitments stay drafts until the secretariat publishes a
meeting's conclusions (`publish_conclusions`). Commitments still open (pending,
in progress) follow the series: the next meeting of the same conferences shows
them (`carried_over`), and its agenda items may name the ones they review.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .cache import bump_content_version
from .models import (
    AgendaItem,
    Commitment,
    CommitmentNote,
    CommitmentReport,
    Conclusions,
    Conference,
    Meeting,
    Registration,
)
from .spreadsheets import spreadsheet_text

COMMITMENTS_API_VERSION = 1


@transaction.atomic
def publish_conclusions(meeting: Meeting, *, publish: bool = True, at: datetime | None = None) -> None:
    """Make the meeting's conclusions and commitments public (as adopted `at`), or take them back to draft."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if publish:
        if not meeting.is_public:
            raise ValidationError(
                _("Publish the meeting first: its conclusions can't be public while it is a draft."),
                code="draft",
            )
        if meeting.silence_procedures.circulating().exists():
            raise ValidationError(
                _("The draft is circulating under silence procedure: it is published when adopted."),
                code="circulating",
            )
        recorded = Conclusions.objects.filter(item__meeting=meeting).exists()
        if not recorded and not Commitment.objects.filter(item__meeting=meeting).exists():
            raise ValidationError(_("There are no conclusions or commitments to publish yet."), code="empty")
    # Not through save(): the meeting's calendar events don't show the conclusions.
    published_at = (at or timezone.now()) if publish else None
    Meeting.objects.filter(pk=meeting.pk).update(conclusions_published_at=published_at)
    bump_content_version()


def owned_commitments(registration: Registration, today: date) -> list[Commitment]:
    """The open, published commitments of the meeting's series that the delegation answers for today."""
    if registration.role != Registration.Role.DELEGATE or registration.country_id is None:
        return []
    meeting = registration.meeting
    series = [meeting.pk, *meeting.earlier_in_series().values_list("pk", flat=True)]
    found = Commitment.objects.public().open().filter(item__meeting__in=series).with_responsible()
    return [commitment for commitment in found if commitment.is_answered_for_by(registration, today)]


@transaction.atomic
def report(
    registration: Registration, commitment: Commitment, *, status: str, note: str, on: date, now: datetime
) -> CommitmentReport:
    """The owner's report on a commitment, from its private link: the owner's until confirmed."""
    if registration.is_revoked:
        raise ValidationError(registration.link_refusal())
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    today = now.astimezone(registration.meeting.zone).date()
    if commitment.pk not in {owned.pk for owned in owned_commitments(registration, today)}:
        raise ValidationError(
            _("%(delegation)s does not answer for this commitment: %(responsible)s does.")
            % {"delegation": registration.affiliation, "responsible": commitment.responsible}
        )
    if on > today:
        raise ValidationError(_("The note's date is in the future."))
    reported = CommitmentReport(
        commitment=commitment,
        status=status,
        on=on,
        note=note.strip(),
        delegation=registration.affiliation,
        reported_by=registration,
        reported_at=now,
    )
    reported.full_clean(exclude=["reported_by", "confirmed_by"])
    reported.save()
    bump_content_version()
    return reported


@transaction.atomic
def confirm_report(
    report: CommitmentReport, *, status: str, note: str, by, now: datetime
) -> CommitmentReport:
    """The secretariat confirms an owner's report, as it stands or amended: a status and a note."""
    report = CommitmentReport.objects.select_for_update().select_related("commitment").get(pk=report.pk)
    if report.is_confirmed:
        raise ValidationError(_("This report was confirmed already."))
    commitment = report.commitment
    if status not in Commitment.Status.values:
        raise ValidationError(_("Choose the commitment's status."))
    if not note.strip():
        raise ValidationError(_("Write the note the commitment keeps."))
    commitment.status = status
    commitment.save(update_fields=["status"])
    CommitmentNote.objects.create(commitment=commitment, on=report.on, text=note.strip())
    report.confirmed_at, report.confirmed_by = now, by
    report.save(update_fields=["confirmed_at", "confirmed_by"])
    bump_content_version()
    return report


def item_outcomes(
    meeting: Meeting, agenda: list[AgendaItem]
) -> list[tuple[AgendaItem, Conclusions | None, list[Commitment]]]:
    """Each item of `agenda` (topics, then their sub-items) with its conclusions or commitments, in order."""
    texts = {row.item_id: row for row in Conclusions.objects.filter(item__meeting=meeting)}
    made: dict[int, list[Commitment]] = {}
    for commitment in Commitment.objects.filter(item__meeting=meeting).with_responsible():
        made.setdefault(commitment.item_id, []).append(commitment)
    items = [row for topic in agenda for row in (topic, *topic.children)]
    return [
        (item, texts.get(item.pk), made.get(item.pk, []))
        for item in items
        if item.pk in texts or item.pk in made
    ]


def carried_over(meeting: Meeting) -> list[Commitment]:
    """The commitments earlier meetings of the series left open, oldest meeting first."""
    earlier = meeting.earlier_in_series().values("pk")
    return list(Commitment.objects.public().open().filter(item__meeting__in=earlier).with_responsible())


def reviewing_items(meeting: Meeting, commitments: list[Commitment]) -> dict[int, list[AgendaItem]]:
    """The items of `meeting`'s agenda that review each of `commitments`, by commitment id."""
    reviewing: dict[int, list[AgendaItem]] = {}
    links = AgendaItem.reviews.through.objects.filter(agendaitem__meeting=meeting, commitment__in=commitments)
    for link in links.select_related("agendaitem"):
        reviewing.setdefault(link.commitment_id, []).append(link.agendaitem)
    return reviewing


@dataclass
class StatusGroup:
    status: str
    label: str
    commitments: list[Commitment]


def by_status(commitments: list[Commitment]) -> list[StatusGroup]:
    """Commitments grouped by status (pending first), each group by responsible, then due date."""
    groups = []
    for status, label in Commitment.Status.choices:
        rows = [commitment for commitment in commitments if commitment.status == status]
        rows.sort(key=lambda c: (c.responsible.casefold(), c.due_on is None, c.due_on or c.meeting.starts_at))
        groups.append(StatusGroup(status, label, rows))
    return groups


def conference_commitments(conference: Conference) -> list[Commitment]:
    return list(Commitment.objects.public().of_conference(conference).with_responsible())


def commitment_data(commitment: Commitment, url: str) -> dict[str, Any]:
    meeting = commitment.meeting
    notes = list(commitment.notes.all())
    return {
        "id": commitment.pk,
        "commitment": commitment.what,
        "responsible": commitment.responsible,
        "due_on": commitment.due_on.isoformat() if commitment.due_on else None,
        "status": commitment.status,
        "meeting": {
            "slug": meeting.slug,
            "title": meeting.title,
            "date": meeting.local_date.isoformat(),
            "url": url,
        },
        "agenda_item": commitment.item.title,
        "notes": [{"on": note.on.isoformat(), "text": note.text} for note in notes],
    }


COMMITMENTS_CSV_HEADINGS = [
    "commitment",
    "responsible",
    "due_on",
    "status",
    "meeting",
    "meeting_date",
    "latest_note",
]


def write_commitments_csv(commitments: list[Commitment], output) -> None:
    """The commitments as CSV lines on `output`; cells that look like formulas are kept inert."""
    writer = csv.writer(output)
    writer.writerow(COMMITMENTS_CSV_HEADINGS)
    for commitment in commitments:
        note = commitment.latest_note()
        writer.writerow(
            [
                spreadsheet_text(commitment.what),
                spreadsheet_text(commitment.responsible),
                commitment.due_on.isoformat() if commitment.due_on else "",
                commitment.status,
                spreadsheet_text(commitment.meeting.title),
                commitment.meeting.local_date.isoformat(),
                spreadsheet_text(f"{note.on.isoformat()}: {note.text}") if note else "",
            ]
        )
