"""Create a meeting from a file written by export_meeting; the whole file or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agenda.backups import Refused, import_meeting


class Command(BaseCommand):
    help = "Import a meeting exported by export_meeting, keeping its calendar UIDs and revisions."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Can't read {file}: {error.strerror}.") from error
        try:
            meeting = import_meeting(data)
        except Refused as refusal:
            raise CommandError("Nothing was imported. " + " ".join(refusal.messages)) from refusal
        self.stdout.write(
            self.style.SUCCESS(f"Imported {meeting.slug} with {meeting.agenda_items.count()} items.")
        )
