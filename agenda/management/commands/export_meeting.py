"""Write a meeting with its whole agenda to a JSON file (see agenda/backups.py)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agenda.backups import export_meeting
from agenda.models import Meeting


class Command(BaseCommand):
    help = "Export a meeting, its agenda and who takes part, to import on this site or another."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The meeting's address, e.g. iii-reunion-plenaria-crm-csm")
        parser.add_argument("--output", "-o", help="File to write (default: standard output)")

    def handle(self, *args, slug, output, **options):
        meeting = Meeting.objects.filter(slug=slug).first()
        if meeting is None:
            raise CommandError(f"No meeting at “{slug}”.")
        text = json.dumps(export_meeting(meeting), ensure_ascii=False, indent=1)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(self.style.SUCCESS(f"Wrote {meeting.slug} to {output}."))
        else:
            self.stdout.write(text)
