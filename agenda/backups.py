"""Moving a meeting between sites, and backing up and restoring the whole site.

A meeting file (JSON) carries the meeting with its whole agenda and who takes
part, keyed by what people recognise (conference acronyms, organisation and
person names) rather than database ids, so it imports into another site.
Its UIDs and SEQUENCEs travel with it: calendars subscribed on the old site
see the same events. An import is checked whole before anything is saved.

A full backup is Django's `dumpdata` of the site's own data with the uploaded
documents, in one .tar.gz; restoring replaces everything in one transaction.
"""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalChanges

from .cache import bump_content_version, restart_content_version
from .models import (
    AgendaItem,
    AgendaParticipant,
    Conference,
    InterpretationChannel,
    Meeting,
    Organisation,
    Person,
    SpeakersList,
    agenda_problems,
)
from .models.registrations import MAX_DOCUMENT_BYTES

MEETING_FORMAT = "plenary-meeting"
MEETING_FORMAT_VERSION = 1
MAX_MEETING_FILE_BYTES = 5 * 1024 * 1024
MAX_ITEMS = 5000

TRANSLATED = [
    f"{name}_{language}"
    for name in ("title", *Meeting.CONCEPT_NOTE_SECTIONS)
    for language in ["es", "en", "pt"]
]
MEETING_FIELDS = [
    "uuid",
    "sequence",
    "slug",
    "series_number",
    "status",
    "time_zone",
    "starts_at",
    "ends_at",
    "modality",
    "video_call_url",
    "video_call_platform",
    "venue",
    "join_link_visibility",
    *TRANSLATED,
]
ITEM_FIELDS = [
    "uuid",
    "sequence",
    "position",
    "starts_at",
    "ends_at",
    "is_parallel",
    "is_cancelled",
    *[f"{name}_{language}" for name in ("title", "description") for language in ("es", "en", "pt")],
]
ORGANISATION_FIELDS = ["name", "short_name", "kind", "email"]
PERSON_FIELDS = ["name", "position", "email"]
PARTICIPANT_FIELDS = ["role", "position", "presidency_of"]
SPEAKERS_LIST_FIELDS = [
    "minutes_per_intervention",
    "open_to_delegates",
    "open_to_observers",
    "open_to_civil_society",
    "minutes_per_delegation",
    "presidency_minutes",
    "conference_minutes",
    "group_minutes",
    "statements_on_behalf_first",
    "inscription_opens_at",
    "inscription_closes_at",
    "inscribed_shown_to_public",
]
CHANNEL_FIELDS = ["language", "channel", "position"]
SCALARS = (str, int, float, bool, type(None))


# Export ----------------------------------------------------------------------------------------


def plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def values(row, fields: list[str]) -> dict:
    return {name: plain(getattr(row, name)) for name in fields}


def organisation_entry(organisation: Organisation | None) -> dict | None:
    return values(organisation, ORGANISATION_FIELDS) if organisation else None


def participant_entry(participant: AgendaParticipant) -> dict:
    person = participant.person
    return {
        "role": participant.role,
        "position": participant.position,
        "person": {**values(person, PERSON_FIELDS), "organisation": organisation_entry(person.organisation)}
        if person
        else None,
        "organisation": organisation_entry(participant.organisation),
        "presidency_of": participant.presidency_of.acronym if participant.presidency_of_id else None,
    }


def export_meeting(meeting: Meeting) -> dict:
    """The meeting, its agenda and its participants as plain JSON-ready data."""
    items = meeting.agenda_items.select_related("parent", "speakers_list").prefetch_related(
        "participants__person__organisation", "participants__organisation", "participants__presidency_of"
    )
    return {
        "format": MEETING_FORMAT,
        "version": MEETING_FORMAT_VERSION,
        "meeting": {
            **values(meeting, MEETING_FIELDS),
            "conferences": sorted(conference.acronym for conference in meeting.conferences.all()),
            "organisers": [organisation_entry(organisation) for organisation in meeting.organisers.all()],
            "interpretation_channels": [
                values(channel, CHANNEL_FIELDS) for channel in meeting.interpretation_channels.all()
            ],
        },
        "agenda": [
            {
                **values(item, ITEM_FIELDS),
                "parent": str(item.parent.uuid) if item.parent_id else None,
                "participants": [participant_entry(participant) for participant in item.participants.all()],
                "speakers_list": speakers_list_entry(item),
            }
            for item in items
        ],
    }


def speakers_list_entry(item: AgendaItem) -> dict | None:
    speakers_list = getattr(item, "speakers_list", None)
    return values(speakers_list, SPEAKERS_LIST_FIELDS) if speakers_list else None


# Import ----------------------------------------------------------------------------------------


class Refused(ValidationError):
    """A meeting file that can't be imported; nothing of it was saved."""


def refuse(where: str, problem: str):
    raise Refused(f"{where}: {problem}")


def expect(value, kind: type | tuple, where: str):
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " / ".join(k.__name__ for k in kind)
        refuse(where, _("expected %(kind)s") % {"kind": names})
    return value


def typed(field: models.Field, value, where: str):
    """`value` as `field` holds it, if the file gives it in the JSON type the export writes.

    No coercion: "5" is not a number, 1.5 not a revision. Ranges are the model's to judge.
    """
    here = f"{where}, {field.name}"
    if value is None or field.is_relation:
        return value
    if isinstance(field, models.DateTimeField):
        expect(value, str, here)
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None or timezone.is_naive(moment):
            refuse(
                here,
                _("expected a date and time with its offset from UTC, such as 2022-05-31T15:00:00+00:00"),
            )
        return moment
    if isinstance(field, models.UUIDField):
        try:
            return UUID(expect(value, str, here))
        except ValueError:
            refuse(here, _("expected a UUID"))
    if isinstance(field, models.BooleanField):
        return expect(value, bool, here)
    if isinstance(field, models.IntegerField):
        return expect(value, int, here)
    if isinstance(field, (models.CharField, models.TextField)):
        return expect(value, str, here)
    return value


def fields_of(
    entry, allowed: list[str], where: str, *, model: type[models.Model], extra: tuple[str, ...] = ()
) -> dict:
    expect(entry, dict, where)
    unknown = sorted(set(entry) - set(allowed) - set(extra))
    if unknown:
        refuse(where, _("unknown fields: %(fields)s") % {"fields": ", ".join(map(str, unknown))[:200]})
    for name in allowed:
        if name in entry and not isinstance(entry[name], SCALARS):
            refuse(where, _("“%(field)s” must be a single value") % {"field": name})
    return {name: typed(model._meta.get_field(name), entry[name], where) for name in allowed if name in entry}


def checked(instance, where: str, *, exclude: list[str] | None = None):
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        details = "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in error.message_dict.items()
        )
        refuse(where, details)
    return instance


def organisation_from(entry, where: str) -> Organisation | None:
    if entry is None:
        return None
    data = fields_of(entry, ORGANISATION_FIELDS, where, model=Organisation)
    name = expect(data.get("name"), str, f"{where}, name")
    found = Organisation.objects.filter(name=name).first()
    if found:
        return found
    organisation = checked(Organisation(**data), where)
    organisation.save()
    return organisation


def person_from(entry, where: str) -> Person | None:
    if entry is None:
        return None
    data = fields_of(entry, PERSON_FIELDS, where, model=Person, extra=("organisation",))
    organisation = organisation_from(entry.get("organisation"), f"{where}, organisation")
    name = expect(data.get("name"), str, f"{where}, name")
    found = Person.objects.filter(name=name, organisation=organisation).first()
    if found:
        return found
    person = checked(Person(organisation=organisation, **data), where)
    person.save()
    return person


def conference_from(acronym, where: str) -> Conference:
    expect(acronym, str, where)
    conference = Conference.objects.filter(acronym=acronym).first()
    if conference is None:
        refuse(where, _("no conference “%(acronym)s” on this site") % {"acronym": acronym[:40]})
    return conference


def read_meeting_file(data: bytes) -> dict:
    if len(data) > MAX_MEETING_FILE_BYTES:
        raise Refused(_("The file is larger than 5 MB: this is not a meeting file."))
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise Refused(_("The file is not JSON: %(error)s") % {"error": str(error)[:200]}) from error
    expect(document, dict, _("The file"))
    if document.get("format") != MEETING_FORMAT or document.get("version") != MEETING_FORMAT_VERSION:
        raise Refused(
            _("This is not a meeting file from plenary (format “%(format)s”, version %(version)s).")
            % {"format": MEETING_FORMAT, "version": MEETING_FORMAT_VERSION}
        )
    expect(document.get("meeting"), dict, _("meeting"))
    expect(document.get("agenda"), list, _("agenda"))
    if len(document["agenda"]) > MAX_ITEMS:
        raise Refused(
            _("More than %(limit)d agenda items: this is not a meeting file.") % {"limit": MAX_ITEMS}
        )
    return document


@transaction.atomic
def import_meeting(data: bytes) -> Meeting:
    """Create the meeting in the file `data`, or refuse the whole file with the first problem found.

    Raises Refused. The meeting keeps its UID, SEQUENCEs and slug, so the
    site must not have it already.
    """
    document = read_meeting_file(data)
    entry = document["meeting"]
    meeting_data = fields_of(
        entry,
        MEETING_FIELDS,
        _("meeting"),
        model=Meeting,
        extra=("conferences", "organisers", "interpretation_channels"),
    )
    uuid, slug = meeting_data.get("uuid"), meeting_data.get("slug")
    if Meeting.objects.filter(uuid=uuid).exists() or Meeting.objects.filter(slug=slug).exists():
        raise Refused(
            _("The meeting “%(slug)s” is already on this site: delete it or change its address first.")
            % {"slug": str(slug)[:100]}
        )
    meeting = Meeting(**meeting_data)
    meeting.title = meeting.title_es
    checked(meeting, _("meeting"), exclude=["conferences", "organisers"])
    meeting.save()
    meeting.conferences.set(
        conference_from(acronym, _("meeting, conferences"))
        for acronym in expect(entry.get("conferences"), list, _("meeting, conferences"))
    )
    if not meeting.conferences.exists():
        refuse(_("meeting, conferences"), _("a meeting belongs to at least one conference"))
    meeting.organisers.set(
        organisation_from(organiser, _("meeting, organisers"))
        for organiser in expect(entry.get("organisers", []), list, _("meeting, organisers"))
    )
    for number, channel_entry in enumerate(
        expect(entry.get("interpretation_channels", []), list, _("meeting, interpretation channels")), start=1
    ):
        here = _("interpretation channel %(number)d") % {"number": number}
        channel = fields_of(channel_entry, CHANNEL_FIELDS, here, model=InterpretationChannel)
        checked(InterpretationChannel(meeting=meeting, **channel), here, exclude=["meeting"]).save()

    by_uuid: dict[str, AgendaItem] = {}
    items = []
    for number, item_entry in enumerate(document["agenda"], start=1):
        where = _("agenda item %(number)d") % {"number": number}
        item_data = fields_of(
            item_entry,
            ITEM_FIELDS,
            where,
            model=AgendaItem,
            extra=("parent", "participants", "speakers_list"),
        )
        item = AgendaItem(meeting=meeting, **item_data)
        item.title = item.title_es
        parent_uuid = item_entry.get("parent")
        if parent_uuid is not None:
            expect(parent_uuid, str, f"{where}, parent")
            if parent_uuid not in by_uuid:
                refuse(where, _("its topic must come before it in the file"))
            item.parent = by_uuid[parent_uuid]
        # Its own rules here; how it sits among the others once, for the whole agenda, below.
        checked(item, where, exclude=["meeting"])
        item.save()
        by_uuid[str(item.uuid)] = item
        if item_entry.get("speakers_list") is not None:
            here = _("%(item)s, speakers' list") % {"item": where}
            rules = fields_of(item_entry["speakers_list"], SPEAKERS_LIST_FIELDS, here, model=SpeakersList)
            checked(SpeakersList(item=item, **rules), here).save()
        items.append((item, item_entry, where))

    for item, item_entry, where in items:
        for number, participant_entry in enumerate(
            expect(item_entry.get("participants", []), list, where), start=1
        ):
            here = _("%(item)s, participant %(number)d") % {"item": where, "number": number}
            fields_of(
                participant_entry,
                PARTICIPANT_FIELDS,
                here,
                model=AgendaParticipant,
                extra=("person", "organisation"),
            )
            presidency = participant_entry.get("presidency_of")
            participant = AgendaParticipant(
                item=item,
                role=expect(participant_entry.get("role"), str, here),
                position=expect(participant_entry.get("position", 0), int, here),
                person=person_from(participant_entry.get("person"), here),
                organisation=organisation_from(participant_entry.get("organisation"), here),
                presidency_of=conference_from(presidency, here) if presidency is not None else None,
            )
            checked(participant, here)
            participant.save()
    problems = agenda_problems(meeting, [item for item, _entry, _where in items])
    if problems:
        refuse(_("agenda"), " ".join(problems))
    bump_content_version()
    return meeting


# Whole-site backup -----------------------------------------------------------------------------

# The site's own data; permissions, content types and sessions are rebuilt or not worth keeping.
# The content version is the cache's, not the site's: a restore starts a new one.
BACKUP_EXCLUDES = ["contenttypes", "auth.permission", "sessions", "axes", "agenda.contentversion"]
DATA_NAME = "data.json"
MEDIA_DIR = "media"


# Django's JSON with times to the microsecond (backup_json.py); loaddata reads it as plain JSON.
BACKUP_FORMAT = "backup-json"


def dump_data() -> str:
    output = io.StringIO()
    call_command(
        "dumpdata",
        format=BACKUP_FORMAT,
        natural_foreign=True,
        natural_primary=True,
        exclude=BACKUP_EXCLUDES,
        indent=1,
        stdout=output,
    )
    return output.getvalue()


def write_backup(path: Path) -> int:
    """Write the whole site to the .tar.gz `path`; return the number of rows."""
    data = dump_data()
    with tarfile.open(path, "w:gz") as archive:
        encoded = data.encode()
        info = tarfile.TarInfo(DATA_NAME)
        info.size = len(encoded)
        info.mtime = int(timezone.now().timestamp())
        archive.addfile(info, io.BytesIO(encoded))
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            archive.add(media, arcname=MEDIA_DIR)
    return len(json.loads(data))


def set_constraints(mode: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS ALL {mode}")


def empty_database() -> None:
    """Delete every row, as `flush` does, also inside a transaction that has written already."""
    # PostgreSQL truncates only once pending foreign-key checks have run; what is loaded
    # next needs them deferred again, for rows that refer forward.
    set_constraints("IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    set_constraints("DEFERRED")


# Limits a real site stays far below; a backup past them is refused before it is unpacked.
MAX_BACKUP_DATA_BYTES = 512 * 1024 * 1024
MAX_BACKUP_FILES = 100_000
MAX_BACKUP_DOCUMENTS_BYTES = 20 * 1024 * 1024 * 1024


# How an account with admin rights in a backup is announced: (is superuser, already here).
ADMIN_ACCOUNT_LINES = {
    (True, False): gettext_lazy("Superuser “%(username)s”: NEW on this site, with every permission."),
    (True, True): gettext_lazy(
        "Superuser “%(username)s”: already on this site; its password and rights become the backup's."
    ),
    (False, False): gettext_lazy("Staff account “%(username)s”: NEW on this site, may sign in to the admin."),
    (False, True): gettext_lazy(
        "Staff account “%(username)s”: already on this site; its password and rights become the backup's."
    ),
}


@dataclass
class Backup:
    """A backup read, checked and unpacked beside the documents folder; nothing restored yet."""

    rows: list[dict]
    data_file: Path
    documents: Path

    def summary(self) -> list[str]:
        """What restoring it brings in, in the terms of whoever must approve it."""
        counts = Counter(row["model"] for row in self.rows)
        files = sum(1 for path in self.documents.rglob("*") if path.is_file())
        lines = [
            _(
                "Meetings: %(meetings)d. Agenda items: %(items)d. People: %(people)d. "
                "Documents: %(documents)d (%(files)d files). User accounts: %(users)d."
            )
            % {
                "meetings": counts["agenda.meeting"],
                "items": counts["agenda.agendaitem"],
                "people": counts["agenda.person"],
                "documents": counts["agenda.meetingdocument"],
                "files": files,
                "users": counts["auth.user"],
            }
        ]
        existing = set(User.objects.values_list("username", flat=True))
        for row in self.rows:
            fields = row.get("fields") if isinstance(row.get("fields"), dict) else {}
            if row["model"] != "auth.user" or not (fields.get("is_superuser") or fields.get("is_staff")):
                continue
            username = str(fields.get("username"))[:150]
            line = ADMIN_ACCOUNT_LINES[bool(fields.get("is_superuser")), username in existing]
            lines.append(line % {"username": username})
        return lines


def check_members(archive: tarfile.TarFile) -> None:
    """Refuse a backup with members it should not have, or larger than a site could be."""
    members = archive.getmembers()
    if len(members) > MAX_BACKUP_FILES:
        raise Refused(_("The backup holds more than %(limit)d files.") % {"limit": MAX_BACKUP_FILES})
    data = [member for member in members if member.name == DATA_NAME]
    if not data:
        raise Refused(_("Not a backup made by plenary: it has no %(name)s.") % {"name": DATA_NAME})
    # Sizes as the archive declares them, which is what unpacking writes.
    if data[0].size > MAX_BACKUP_DATA_BYTES:
        raise Refused(
            _("The backup's data is larger than %(limit)d MB.") % {"limit": MAX_BACKUP_DATA_BYTES >> 20}
        )
    documents = [member for member in members if member.name != DATA_NAME]
    for member in documents:
        parts = PurePosixPath(member.name).parts
        if not parts or parts[0] != MEDIA_DIR:
            raise Refused(_("The backup holds an unexpected file: %(name)s.") % {"name": member.name[:200]})
        if member.size > MAX_DOCUMENT_BYTES:
            raise Refused(
                _("The backup holds a file larger than any document can be (%(limit)d MB): %(name)s.")
                % {"limit": MAX_DOCUMENT_BYTES >> 20, "name": member.name[:200]}
            )
    if sum(member.size for member in documents) > MAX_BACKUP_DOCUMENTS_BYTES:
        raise Refused(
            _("The backup's documents add up to more than %(limit)d GB.")
            % {"limit": MAX_BACKUP_DOCUMENTS_BYTES >> 30}
        )


@contextmanager
def opened_backup(path: Path) -> Iterator[Backup]:
    """Read, check and unpack the backup at `path`, or raise Refused; the site is not touched.

    The documents are unpacked next to the documents folder, on the same disk, so that
    restoring can swap the folders in one rename. Whatever is left unused is removed.
    """
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by the `with` below
    except (OSError, tarfile.TarError) as error:
        raise Refused(_("Not a backup made by plenary: %(error)s") % {"error": error}) from error
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    with (
        archive,
        tempfile.TemporaryDirectory(dir=media.parent, prefix=f".{media.name}-restoring-") as unpacked,
    ):
        try:
            check_members(archive)
            # "data" refuses links, devices and paths that leave the folder.
            archive.extractall(unpacked, filter="data")
        except (OSError, tarfile.TarError, EOFError, zlib.error) as error:
            raise Refused(_("The backup can't be unpacked: %(error)s") % {"error": error}) from error
        data_file = Path(unpacked) / DATA_NAME
        try:
            rows = json.loads(data_file.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
            raise Refused(
                _("The backup's data can't be read: %(error)s") % {"error": str(error)[:300]}
            ) from error
        if not isinstance(rows, list) or not all(
            isinstance(row, dict) and isinstance(row.get("model"), str) for row in rows
        ):
            raise Refused(_("The backup's data is not a Django data dump."))
        documents = Path(unpacked) / MEDIA_DIR
        documents.mkdir(exist_ok=True)
        yield Backup(rows=rows, data_file=data_file, documents=documents)


# The rows each model's rules read beside its own: loaded with it, not one query a row.
ROWS_JUDGED_WITH = {AgendaItem: ("meeting", "parent"), AgendaParticipant: ("item__meeting",)}


def invalid_rows(limit: int = 5) -> list[str]:
    """The first rows of the site that break a rule of their model, as an import judges them."""
    problems = []
    checked_models = [
        *(
            model
            for model in apps.get_app_config("agenda").get_models()
            if not issubclass(model, HistoricalChanges)
        ),
        User,
        Group,
    ]
    for model in checked_models:
        rows = model.objects.select_related(*ROWS_JUDGED_WITH.get(model, ()))
        for row in rows.iterator(chunk_size=2000):
            try:
                row.full_clean()
            except ValidationError as error:
                problems.append(f"{model._meta.label_lower} {row.pk}: {'; '.join(error.messages)[:300]}")
                if len(problems) == limit:
                    return problems
        # Models come in the order they depend on each other (conferences, meetings, their
        # items): rows below an invalid one would be judged by it, so the check stops here.
        if problems:
            return problems
    return agenda_problems_of_every_meeting(limit)


def agenda_problems_of_every_meeting(limit: int) -> list[str]:
    items_of: dict[int, list[AgendaItem]] = {}
    for item in AgendaItem.objects.order_by("meeting_id", "pk").iterator(chunk_size=2000):
        items_of.setdefault(item.meeting_id, []).append(item)
    problems = []
    for meeting in Meeting.objects.all():
        problems.extend(
            f"agenda.meeting {meeting.pk}: {problem[:300]}"
            for problem in agenda_problems(meeting, items_of.get(meeting.pk, []))
        )
        if len(problems) >= limit:
            return problems[:limit]
    return problems


def restore_backup(backup: Backup) -> int:
    """Replace the whole site with `backup`; return the number of rows. All or nothing.

    The database is emptied and reloaded in one transaction, the documents folder is
    swapped for the backup's (one rename each way), and the loaded rows are checked as an
    import checks them. A failure anywhere, the commit included, puts the documents
    folder back and rolls the database back: the site is as it was.
    """
    media = Path(settings.MEDIA_ROOT)
    previous = media.with_name(f".{media.name}-replaced-{timezone.now():%Y%m%d%H%M%S%f}")
    swapped = False
    try:
        with transaction.atomic():
            empty_database()
            try:
                call_command("loaddata", str(backup.data_file), verbosity=0)
            except Exception as error:
                raise Refused(
                    _("The backup's data can't be loaded: %(error)s") % {"error": str(error)[:300]}
                ) from error
            try:
                if media.exists():
                    media.rename(previous)
                backup.documents.rename(media)
            except OSError as error:
                raise Refused(
                    _("The documents folder can't be replaced: %(error)s") % {"error": error}
                ) from error
            swapped = True
            # With the documents in place, so that they are judged too.
            problems = invalid_rows()
            if problems:
                raise Refused(
                    _("The backup holds rows this site would refuse: %(rows)s")
                    % {"rows": " | ".join(problems)}
                )
            restart_content_version()
    except BaseException:
        if swapped:
            media.rename(backup.documents)
        if previous.exists():
            previous.rename(media)
        raise
    finally:
        # Emptying the database re-creates the content types under new ids, committed or
        # rolled back; this process must not keep the ones it cached meanwhile.
        ContentType.objects.clear_cache()
    shutil.rmtree(previous, ignore_errors=True)
    return len(backup.rows)
