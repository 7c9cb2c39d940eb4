"""The bodies the admin's change forms post, built from plain values in the meeting's zone."""

from agenda.models import AgendaItem, Conclusions, Meeting, SpeakersList
from agenda.models.outcomes import RESPONSIBLE_FIELDS as RESPONSIBLE

LANGUAGES = ("es", "en", "pt")


def management_form(prefix: str, total: int, initial: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def split(prefix: str, day: str, time: str | None) -> dict[str, str]:
    return {f"{prefix}_0": day if time else "", f"{prefix}_1": time or ""}


def local_hhmm(moment, meeting: Meeting) -> str:
    return moment.astimezone(meeting.zone).strftime("%H:%M:%S") if moment else ""


def meeting_post(meeting: Meeting, *, rows: list[dict] | None = None, **fields) -> dict[str, str]:
    """Return the meeting change form as the browser would post it.

    `channels` (dicts of an interpretation channel's fields) replace the stored channels.
    `rows` are the topic rows of the inline: dicts with "start", "end" (local
    "HH:MM"), "title", and optionally "item" (an existing AgendaItem),
    "parallel", "duration", "delete". Without `rows`, the stored topics are
    posted unchanged.
    """
    day = fields.pop("day", meeting.local_starts_at.date().isoformat())
    channel_rows = fields.pop("channels", None)
    if rows is None:
        rows = [
            {
                "item": item,
                "start": local_hhmm(item.starts_at, meeting),
                "end": local_hhmm(item.ends_at, meeting),
                "title": item.title,
                "parallel": item.is_parallel,
            }
            for item in meeting.agenda_items.filter(parent=None)
        ]
    data = {
        "edit_version": str(meeting.version),
        "title_es": meeting.title_es,
        "title_en": meeting.title_en or "",
        "title_pt": meeting.title_pt or "",
        "slug": meeting.slug,
        "series_number": str(meeting.series_number or ""),
        "status": meeting.status,
        "conferences": [str(pk) for pk in meeting.conferences.values_list("pk", flat=True)],
        "time_zone": meeting.time_zone,
        **split("starts_at", day, fields.pop("start", local_hhmm(meeting.starts_at, meeting))),
        **split("ends_at", day, fields.pop("end", local_hhmm(meeting.ends_at, meeting))),
        "modality": meeting.modality,
        "video_call_platform": meeting.video_call_platform,
        "video_call_url": meeting.video_call_url,
        "join_link_visibility": meeting.join_link_visibility,
        "venue": meeting.venue,
        **{
            f"{name}_{language}": getattr(meeting, f"{name}_{language}") or ""
            for name in Meeting.CONCEPT_NOTE_SECTIONS
            for language in ("es", "en", "pt")
        },
    }
    data.update(fields)
    initial = sum(1 for row in rows if row.get("item"))
    data.update(management_form("agenda_items", len(rows), initial))
    documents = list(meeting.documents.all()) if meeting.pk else []
    data.update(management_form("documents", len(documents), len(documents)))
    for index, document in enumerate(documents):
        data.update(
            {
                f"documents-{index}-id": str(document.pk),
                f"documents-{index}-meeting": str(meeting.pk),
                f"documents-{index}-title": document.title,
                f"documents-{index}-audience": document.audience,
                f"documents-{index}-position": str(document.position),
            }
        )
    channels = list(meeting.interpretation_channels.all()) if meeting.pk else []
    if channel_rows is None:
        channel_rows = [
            {"id": str(c.pk), "language": c.language, "channel": c.channel, "position": str(c.position)}
            for c in channels
        ]
    data.update(management_form("interpretation_channels", len(channel_rows), len(channels)))
    for index, channel in enumerate(channel_rows):
        data.update(
            {
                f"interpretation_channels-{index}-meeting": str(meeting.pk or ""),
                **{f"interpretation_channels-{index}-{name}": value for name, value in channel.items()},
            }
        )
    # Existing rows first, as the admin renders them.
    for index, row in enumerate(sorted(rows, key=lambda row: row.get("item") is None)):
        prefix = f"agenda_items-{index}"
        item: AgendaItem | None = row.get("item")
        data.update(
            {
                f"{prefix}-id": str(item.pk) if item else "",
                f"{prefix}-edit_version": str(item.version) if item else "",
                f"{prefix}-meeting": str(meeting.pk),
                f"{prefix}-position": str(row.get("position", item.position if item else index)),
                **split(f"{prefix}-starts_at", row.get("day", day), row.get("start")),
                **split(f"{prefix}-ends_at", row.get("day", day), row.get("end")),
                # The browser posts back the duration the row was rendered with.
                f"{prefix}-duration_minutes": str(
                    row.get("duration", (item and item.duration_minutes) or "")
                ),
                f"{prefix}-title_es": row["title"],
            }
        )
        if row.get("parallel"):
            data[f"{prefix}-is_parallel"] = "on"
        if row.get("delete"):
            data[f"{prefix}-DELETE"] = "on"
    return data


def item_post(item: AgendaItem, speakers_list: dict | None = None, **fields) -> dict[str, str]:
    """Return an agenda item's own change form, with its participants and sub-items unchanged.

    `speakers_list` (its fields, as posted) adds a speakers' list to an item that has none.
    """
    meeting = item.meeting
    day = fields.pop("day", meeting.local_starts_at.date().isoformat())
    data = {
        "edit_version": str(item.version),
        "meeting": str(meeting.pk),
        "parent": str(item.parent_id or ""),
        "position": str(item.position),
        **split("starts_at", day, fields.pop("start", local_hhmm(item.starts_at, meeting))),
        **split("ends_at", day, fields.pop("end", local_hhmm(item.ends_at, meeting))),
        "duration_minutes": str(item.duration_minutes or ""),
        **{
            f"{name}_{language}": getattr(item, f"{name}_{language}") or ""
            for name in ("title", "description")
            for language in ("es", "en", "pt")
        },
    }
    if item.is_parallel:
        data["is_parallel"] = "on"
    participants = list(item.participants.all())
    data.update(management_form("participants", len(participants), len(participants)))
    for index, participant in enumerate(participants):
        prefix = f"participants-{index}"
        data.update(
            {
                f"{prefix}-id": str(participant.pk),
                f"{prefix}-item": str(item.pk),
                f"{prefix}-role": participant.role,
                f"{prefix}-person": str(participant.person_id or ""),
                f"{prefix}-organisation": str(participant.organisation_id or ""),
                f"{prefix}-presidency_of": str(participant.presidency_of_id or ""),
                f"{prefix}-position": str(participant.position),
            }
        )
    # Every item page posts the sub-items' management form; only a topic's has rows.
    children = list(item.sub_items.all()) if item.parent_id is None else []
    data.update(management_form("sub_items", len(children), len(children)))
    if children:
        for index, child in enumerate(children):
            prefix = f"sub_items-{index}"
            data.update(
                {
                    f"{prefix}-id": str(child.pk),
                    f"{prefix}-edit_version": str(child.version),
                    f"{prefix}-parent": str(item.pk),
                    f"{prefix}-position": str(child.position),
                    **split(f"{prefix}-starts_at", day, local_hhmm(child.starts_at, meeting)),
                    **split(f"{prefix}-ends_at", day, local_hhmm(child.ends_at, meeting)),
                    f"{prefix}-duration_minutes": str(child.duration_minutes or ""),
                    f"{prefix}-title_es": child.title_es,
                }
            )
    stored = SpeakersList.objects.filter(item=item).first()
    rows = (
        [{"id": str(stored.pk), "minutes_per_intervention": str(stored.minutes_per_intervention)}]
        if stored
        else []
    )
    if speakers_list is not None:
        rows = [speakers_list]
    data.update(management_form("speakers_list", len(rows), 1 if stored else 0))
    for row in rows:
        data.update(
            {f"speakers_list-0-{name}": value for name, value in {**row, "item": str(item.pk)}.items()}
        )
    conclusions = Conclusions.objects.filter(item=item).first()
    data.update(management_form("conclusions", 1 if conclusions else 0, 1 if conclusions else 0))
    if conclusions:
        data.update({"conclusions-0-id": str(conclusions.pk), "conclusions-0-item": str(item.pk)})
        data.update(
            {f"conclusions-0-text_{lang}": getattr(conclusions, f"text_{lang}") or "" for lang in LANGUAGES}
        )
    commitments = list(item.commitments.all())
    data.update(management_form("commitments", len(commitments), len(commitments)))
    for index, commitment in enumerate(commitments):
        prefix = f"commitments-{index}"
        data.update(
            {
                f"{prefix}-id": str(commitment.pk),
                f"{prefix}-item": str(item.pk),
                **{f"{prefix}-what_{lang}": getattr(commitment, f"what_{lang}") or "" for lang in LANGUAGES},
                **{f"{prefix}-{name}": str(getattr(commitment, f"{name}_id") or "") for name in RESPONSIBLE},
                f"{prefix}-due_on": commitment.due_on.isoformat() if commitment.due_on else "",
                f"{prefix}-status": commitment.status,
                f"{prefix}-position": str(commitment.position),
            }
        )
    data.update(fields)
    return data
