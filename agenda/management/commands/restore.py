"""Replace the whole site with a backup written by the `backup` command."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agenda.backups import Refused, opened_backup, restore_backup


class Command(BaseCommand):
    help = (
        "Replace everything on this site with a backup. The backup is checked first and what it "
        "brings in is shown (accounts with admin rights named); all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, file, interactive, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No backup at {file}.")
        try:
            with opened_backup(path) as backup:
                self.stdout.write(f"{file} holds:")
                for line in backup.summary():
                    self.stdout.write(f"  {line}")
                if interactive:
                    answer = input("Replace everything on this site with it? Type 'yes' to go on: ")
                    if answer != "yes":
                        raise CommandError("Nothing was changed.")
                rows = restore_backup(backup)
        except Refused as refusal:
            raise CommandError("Nothing was changed. " + " ".join(refusal.messages)) from refusal
        self.stdout.write(self.style.SUCCESS(f"Restored {rows} rows from {file}."))
