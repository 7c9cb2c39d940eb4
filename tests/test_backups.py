"""Backups that restore: a meeting exported and imported whole, the whole site dumped, wiped and restored."""

import io
import json
import re
import tarfile

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from agenda import backups
from agenda.models import (
    AgendaItem,
    AgendaParticipant,
    Meeting,
    MeetingDocument,
    Organisation,
    Person,
    SpeakersList,
)

from .test_validation import snapshot

SLUG = "iii-reunion-plenaria-crm-csm"


def feed_bodies(client, meeting: Meeting) -> dict[str, bytes]:
    urls = [
        reverse("agenda:series-ical"),
        reverse("agenda:meeting-ical", args=[meeting.slug]),
        reverse("agenda:meeting-agenda-ical", args=[meeting.slug]),
        reverse("agenda:api-meeting-detail", args=[meeting.slug]),
        *(
            reverse("agenda:item-ical", args=[meeting.slug, item.uuid])
            for item in meeting.agenda_items.filter(parent=None)
        ),
    ]
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.content
    return bodies


def events(body: bytes) -> set[tuple[str, int]]:
    calendar = icalendar.Calendar.from_ical(body)
    return {(str(event["UID"]), int(event["SEQUENCE"])) for event in calendar.walk("VEVENT")}


def everything() -> tuple:
    return (snapshot(), Organisation.objects.count(), Person.objects.count())


def test_a_meeting_exported_and_imported_keeps_its_agenda_uids_and_sequences(
    client, seed_meeting, django_capture_on_commit_callbacks
):
    tema_2 = AgendaItem.objects.get(title__startswith="TEMA 2")
    tema_2.starts_at = tema_2.starts_at.replace(minute=5)
    tema_2.save()  # SEQUENCE 1 now, which the import must keep
    SpeakersList.objects.create(item=tema_2, minutes_per_intervention=4, open_to_civil_society=False)
    exported = backups.export_meeting(seed_meeting)
    agenda_feed = reverse("agenda:meeting-agenda-ical", args=[SLUG])
    before = events(client.get(agenda_feed).content)
    with django_capture_on_commit_callbacks(execute=True):
        seed_meeting.delete()
    assert client.get(agenda_feed).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        imported = backups.import_meeting(json.dumps(exported).encode())

    assert backups.export_meeting(imported) == exported
    assert SpeakersList.objects.get(item__meeting=imported).minutes_per_intervention == 4
    assert events(client.get(agenda_feed).content) == before
    assert any(sequence > 0 for _, sequence in before)


def meeting_with(document: dict, **fields) -> bytes:
    return json.dumps({**document, "meeting": {**document["meeting"], **fields}}).encode()


def item_with(document: dict, index: int = 0, **fields) -> bytes:
    agenda = [dict(item) for item in document["agenda"]]
    agenda[index].update(fields)
    return json.dumps({**document, "agenda": agenda}).encode()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda doc: b"\xff\xfe not json", "no es JSON"),
        (lambda doc: b"[" * 100_000 + b"]" * 100_000, "no es JSON"),
        (lambda doc: json.dumps({**doc, "format": "pretalx"}).encode(), "no es un archivo de reunión"),
        (lambda doc: json.dumps({**doc, "agenda": {}}).encode(), "agenda"),
        (lambda doc: item_with(doc, 0, speakers_list={"minutes_per_intervention": 90}), "lista de oradores"),
        (
            lambda doc: json.dumps({**doc, "meeting": {**doc["meeting"], "is_superuser": True}}).encode(),
            "is_superuser",
        ),
        (
            lambda doc: json.dumps({**doc, "meeting": {**doc["meeting"], "title_es": {"$gt": ""}}}).encode(),
            "title_es",
        ),
        (
            lambda doc: json.dumps(
                {**doc, "meeting": {**doc["meeting"], "time_zone": "Mars/Olympus"}}
            ).encode(),
            "zona horaria",
        ),
        (
            lambda doc: json.dumps({**doc, "meeting": {**doc["meeting"], "conferences": ["XYZ"]}}).encode(),
            "XYZ",
        ),
        (
            lambda doc: json.dumps({**doc, "meeting": {**doc["meeting"], "slug": "../../etc"}}).encode(),
            "slug",
        ),
        (
            lambda doc: json.dumps({**doc, "meeting": {**doc["meeting"], "title_es": "x" * 5000}}).encode(),
            "title_es",
        ),
        (
            lambda doc: json.dumps(
                {
                    **doc,
                    "agenda": [
                        {**doc["agenda"][1], "starts_at": doc["agenda"][0]["starts_at"]},
                        *doc["agenda"],
                    ],
                }
            ).encode(),
            "punto de agenda 2",
        ),
        (
            lambda doc: json.dumps({**doc, "agenda": [{**doc["agenda"][0], "parent": "0000"}]}).encode(),
            "punto de agenda 1",
        ),
        # Numbers and dates at and past the edges: each one refused, none a traceback.
        (lambda doc: meeting_with(doc, sequence=2**63 - 1), "menor o igual a 2147483647"),
        (lambda doc: meeting_with(doc, sequence=1.5), "reunión, sequence: se esperaba int"),
        (lambda doc: item_with(doc, sequence=2**31), "menor o igual a 2147483647"),
        (lambda doc: item_with(doc, position=2**40), "menor o igual a 2147483647"),
        (
            lambda doc: meeting_with(
                doc, starts_at="9999-12-31T20:00:00+00:00", ends_at="9999-12-31T23:00:00+00:00"
            ),
            "entre los años 1990 y 2100",
        ),
        (lambda doc: meeting_with(doc, starts_at="0001-01-01T00:00:00+00:00"), "entre los años 1990 y 2100"),
        (lambda doc: meeting_with(doc, starts_at="2022-05-31T15:00:00"), "con su diferencia con UTC"),
        (lambda doc: meeting_with(doc, starts_at="mañana"), "con su diferencia con UTC"),
        (lambda doc: meeting_with(doc, starts_at=5), "reunión, starts_at: se esperaba str"),
        (lambda doc: meeting_with(doc, uuid="nope"), "se esperaba un UUID"),
        (lambda doc: meeting_with(doc, slug=5), "reunión, slug: se esperaba str"),
        (lambda doc: item_with(doc, index=1, parent=["x"]), "punto de agenda 2, parent: se esperaba str"),
        (lambda doc: item_with(doc, starts_at="2022-13-40T15:00:00+00:00"), "con su diferencia con UTC"),
        (
            lambda doc: json.dumps(
                {
                    **doc,
                    "agenda": [{**doc["agenda"][0], "participants": [{"role": "dictator", "position": 0}]}],
                }
            ).encode(),
            "participante 1",
        ),
    ],
)
def test_a_malformed_or_hostile_meeting_file_is_refused_whole(seed_meeting, make, message):
    document = backups.export_meeting(seed_meeting)
    # Another meeting than the seed's, so that only what each case breaks is wrong.
    document["meeting"]["uuid"] = "6f1c1b1e-7d1a-4c1e-9b1e-1c1e1b1e1c1e"
    document["meeting"]["slug"] = "otra-reunion"
    for item in document["agenda"]:
        item["uuid"] = item["uuid"][:-4] + "abcd"
        if item["parent"]:
            item["parent"] = item["parent"][:-4] + "abcd"
    before = everything()
    with pytest.raises(backups.Refused) as refused:
        backups.import_meeting(make(document))
    assert message.lower() in " ".join(refused.value.messages).lower()
    assert everything() == before


def test_importing_a_meeting_the_site_already_has_is_refused(seed_meeting, tmp_path):
    path = tmp_path / "reunion.json"
    call_command("export_meeting", SLUG, "--output", str(path), stderr=io.StringIO())
    before = everything()
    with pytest.raises(CommandError, match="ya está en este sitio"):
        call_command("import_meeting", str(path))
    assert everything() == before


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_full_backup_restores_every_row_and_every_feed_byte_for_byte(client, seed_meeting, media, tmp_path):
    from django.core.cache import cache

    MeetingDocument.objects.create(
        meeting=seed_meeting,
        title="Nota conceptual",
        audience="public",
        file=SimpleUploadedFile("nota.pdf", b"%PDF-1"),
    )
    tema_2 = AgendaItem.objects.get(title__startswith="TEMA 2")
    tema_2.title_es = "TEMA 2. Agenda Regional Migratoria CRM-CSM (revisada)"
    tema_2.save()
    rows_before = backups.dump_data()
    feeds_before = feed_bodies(client, seed_meeting)
    archive = tmp_path / "copia.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    backups.empty_database()
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    assert not Meeting.objects.exists() and not AgendaParticipant.objects.exists()
    cache.clear()

    call_command("restore", str(archive), "--noinput", stdout=io.StringIO())

    assert backups.dump_data() == rows_before
    assert feed_bodies(client, Meeting.objects.get(slug=SLUG)) == feeds_before
    document = MeetingDocument.objects.get()
    assert document.file.read() == b"%PDF-1"
    assert AgendaItem.history.filter(title_es__endswith="(revisada)").exists()


def tar_with(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a tar at all", "No es una copia de seguridad"),
        (tar_with({"other.json": b"[]"}), "no tiene data.json"),
        (tar_with({"data.json": b"[]", "../../etc/cron.d/evil": b"* * * * * root sh"}), "inesperado"),
        (tar_with({"data.json": b"{not json"}), "no se pueden leer"),
        (tar_with({"data.json": b'[{"fields": {}}]'}), "no son un volcado"),
        (
            tar_with(
                {
                    "data.json": json.dumps(
                        [{"model": "agenda.agendaitem", "pk": 1, "fields": {"meeting": 999}}]
                    ).encode()
                }
            ),
            "no se pueden cargar",
        ),
    ],
)
def test_a_bad_backup_is_refused_and_the_site_stays_as_it_was(
    seed_meeting, media, tmp_path, content, message
):
    path = tmp_path / "copia.tar.gz"
    path.write_bytes(content)
    before = backups.dump_data()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), "--noinput")
    assert message.lower() in str(refused.value).lower()
    assert backups.dump_data() == before


def documents_in(media) -> dict[str, bytes]:
    return {str(path.relative_to(media)): path.read_bytes() for path in media.rglob("*") if path.is_file()}


@pytest.fixture
def site_with_a_document(seed_meeting, media):
    MeetingDocument.objects.create(
        meeting=seed_meeting,
        title="Nota conceptual",
        audience="public",
        file=SimpleUploadedFile("nota.pdf", b"%PDF-1"),
    )
    return seed_meeting


def backup_of_this_site(tmp_path, change=None) -> bytes:
    """This site's backup, with its data rows passed through `change` if given."""
    path = tmp_path / "original.tar.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    members = {}
    with tarfile.open(path) as archive:
        for member in archive.getmembers():
            if member.isfile():
                members[member.name] = archive.extractfile(member).read()
    if change:
        members[backups.DATA_NAME] = json.dumps(change(json.loads(members[backups.DATA_NAME]))).encode()
    return tar_with(members)


def with_meeting_fields(**fields):
    def change(rows):
        for row in rows:
            if row["model"] == "agenda.meeting":
                row["fields"].update(fields)
        return rows

    return change


def restore_refused(tmp_path, content: bytes) -> str:
    path = tmp_path / "copia.tar.gz"
    path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), "--noinput", stdout=io.StringIO())
    return str(refused.value)


@pytest.mark.parametrize(
    "change, message",
    [
        (with_meeting_fields(time_zone="Mars/Olympus"), "Mars/Olympus"),
        (
            with_meeting_fields(starts_at="9999-12-31T20:00:00Z", ends_at="9999-12-31T23:00:00Z"),
            "1990 y 2100",
        ),
        # PostgreSQL's integer column refuses it as it loads; SQLite's holds it and the rule refuses it.
        (with_meeting_fields(sequence=2**63 - 1), "2147483647|integer out of range"),
        (with_meeting_fields(video_call_url="javascript:alert(1)"), "URL"),
    ],
)
def test_a_backup_with_rows_the_site_would_refuse_is_refused_whole(
    site_with_a_document, media, tmp_path, change, message
):
    content = backup_of_this_site(tmp_path, change)
    MeetingDocument.objects.create(
        meeting=site_with_a_document,
        title="Añadido después",
        audience="public",
        file=SimpleUploadedFile("b.pdf", b"%PDF-2"),
    )
    before, documents = backups.dump_data(), documents_in(media)
    assert re.search(message, restore_refused(tmp_path, content))
    assert backups.dump_data() == before
    assert documents_in(media) == documents
    # What the site served before, it still serves.
    assert Client().get("/meetings.ics").status_code == 200


def test_a_backup_member_larger_than_any_document_is_refused_before_it_is_unpacked(
    seed_meeting, media, tmp_path
):
    from agenda.models.registrations import MAX_DOCUMENT_BYTES

    huge = tar_with({"data.json": b"[]", "media/documents/huge.pdf": bytes(MAX_DOCUMENT_BYTES + 1)})
    assert len(huge) < MAX_DOCUMENT_BYTES // 100, "a small archive"
    before = backups.dump_data()
    assert "huge.pdf" in restore_refused(tmp_path, huge)
    assert backups.dump_data() == before
    assert not any(path.name.startswith(".media-restoring") for path in media.parent.iterdir())


def tar_with_link(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        data = tarfile.TarInfo("data.json")
        data.size = 2
        archive.addfile(data, io.BytesIO(b"[]"))
        link = tarfile.TarInfo(name)
        link.type, link.linkname = kind, target
        archive.addfile(link)
        # Written through the link, if it were followed.
        through = tarfile.TarInfo(f"{name}/cron")
        through.size = 4
        archive.addfile(through, io.BytesIO(b"evil"))
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["parent path", "absolute link", "link out", "hard link out"])
def test_a_backup_whose_files_would_land_outside_its_folder_is_refused(seed_meeting, media, tmp_path, kind):
    # Where each crafted member points: a folder of this test's, outside the documents.
    target = tmp_path / "outside"
    target.mkdir()
    content = {
        "parent path": lambda: tar_with({"data.json": b"[]", "media/../../outside/cron": b"evil"}),
        "absolute link": lambda: tar_with_link("media/documents", str(target)),
        "link out": lambda: tar_with_link("media/documents", "../../outside"),
        "hard link out": lambda: tar_with_link("media/documents", str(target / "cron"), tarfile.LNKTYPE),
    }[kind]()
    before = backups.dump_data()
    restore_refused(tmp_path, content)
    assert backups.dump_data() == before
    assert list(target.iterdir()) == []


def test_a_backup_cut_short_is_refused_and_the_site_keeps_its_documents(
    site_with_a_document, media, tmp_path
):
    content = backup_of_this_site(tmp_path)
    before, documents = backups.dump_data(), documents_in(media)
    assert "no se puede desempaquetar" in restore_refused(tmp_path, content[: len(content) // 2])
    assert (backups.dump_data(), documents_in(media)) == (before, documents)


def test_when_the_documents_cant_be_swapped_in_the_database_is_rolled_back_too(
    site_with_a_document, media, tmp_path, monkeypatch
):
    content = backup_of_this_site(tmp_path, with_meeting_fields(title_es="Título de la copia"))
    Meeting.objects.filter(slug=SLUG).update(title_es="Título actual")
    before, documents = backups.dump_data(), documents_in(media)
    real_rename = type(media).rename

    def rename(self, target):
        # The backup's folder can't take the documents folder's place: a full disk, another mount.
        if self.name == backups.MEDIA_DIR and ".media-restoring" in str(self.parent):
            raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(type(media), "rename", rename)
    assert "No space left on device" in restore_refused(tmp_path, content)
    assert (backups.dump_data(), documents_in(media)) == (before, documents)
    assert Meeting.objects.get(slug=SLUG).title_es == "Título actual"


def test_restore_says_what_it_brings_in_and_names_every_admin_account(
    seed_meeting, media, tmp_path, django_user_model
):
    django_user_model.objects.create_superuser("intrusa", password="x-Pl3nary-test")
    django_user_model.objects.create_user("secretaria-st", password="x-Pl3nary-test", is_staff=True)
    path = tmp_path / "copia.tar.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    django_user_model.objects.filter(username="intrusa").delete()

    output = io.StringIO()
    call_command("restore", str(path), "--noinput", stdout=output)
    said = output.getvalue()
    assert f"Reuniones: 1. Puntos de agenda: {AgendaItem.objects.count()}." in said
    assert "Superusuario «intrusa»: NUEVO en este sitio, con todos los permisos." in said
    assert "Cuenta del personal «secretaria-st»: ya está en este sitio;" in said
    assert django_user_model.objects.filter(username="intrusa", is_superuser=True).exists()


def test_an_unconfirmed_restore_changes_nothing(seed_meeting, media, tmp_path, monkeypatch):
    path = tmp_path / "copia.tar.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    Meeting.objects.filter(slug=SLUG).update(title_es="Cambiado después de la copia")
    before = backups.dump_data()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", str(path), stdout=io.StringIO())
    assert backups.dump_data() == before


def test_a_backup_keeps_times_to_the_microsecond(seed_meeting):
    """Django's JSON cuts times to the millisecond: 14:12:15.000456 would restore as 14:12:15."""
    from datetime import UTC, datetime

    from django.core import serializers

    moment = datetime(2022, 5, 20, 14, 12, 15, 456, tzinfo=UTC)
    Meeting.objects.filter(pk=seed_meeting.pk).update(updated_at=moment)
    data = backups.dump_data()
    assert '"updated_at": "2022-05-20T14:12:15.000456Z"' in data
    restored = next(
        each.object
        for each in serializers.deserialize("json", data)
        if isinstance(each.object, Meeting) and each.object.slug == seed_meeting.slug
    )
    assert restored.updated_at == moment
