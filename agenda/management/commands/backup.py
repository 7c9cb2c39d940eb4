"""Back up the whole site, database and uploaded documents, to one .tar.gz."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from agenda.backups import write_backup


class Command(BaseCommand):
    help = "Write the whole site (data and documents) to a .tar.gz that `restore` reads back."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Default: plenary-backup-<date and time>.tar.gz")

    def handle(self, *args, file, **options):
        path = Path(file or f"plenary-backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        rows = write_backup(path)
        self.stdout.write(self.style.SUCCESS(f"Backed up {rows} rows to {path}."))
