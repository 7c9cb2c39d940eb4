"""Load the seed meeting once, checked by the same rules as the admin."""

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from agenda.models import AgendaItem, AgendaParticipant, Meeting

SEED_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "iii_plenaria_crm_csm.json"


class Command(BaseCommand):
    help = (
        "Load the III Plenary CRM–CSM from fixtures/ unless it is already there, "
        "so that running it again keeps the secretariat's edits."
    )

    def handle(self, *args, **options):
        objects = list(serializers.deserialize("json", SEED_FIXTURE.read_text(encoding="utf-8")))
        meeting = next(obj.object for obj in objects if isinstance(obj.object, Meeting))
        if Meeting.objects.filter(uuid=meeting.uuid).exists():
            self.stdout.write(f"The seed meeting is already loaded: {meeting.slug}. Nothing changed.")
            return
        with transaction.atomic():
            for obj in objects:
                obj.save()
            # Rows came with their ids: move PostgreSQL's sequences past them, as loaddata does.
            models = {type(obj.object) for obj in objects}
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)
            # loaddata skips model validation; check every row now, and keep none if one fails.
            for obj in objects:
                instance = type(obj.object).objects.get(pk=obj.object.pk)
                try:
                    instance.full_clean()
                except ValidationError as error:
                    raise CommandError(
                        f"{instance._meta.verbose_name} «{instance}»: {error.messages}"
                    ) from error
            record_in_history(objects)
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(objects)} rows: {meeting.get_absolute_url()}"))


def record_in_history(objects) -> None:
    """Start the history of the loaded rows, which raw fixture saves leave out.

    The changelog counts from the meeting's first published version, so the
    seed's own rows must be in the history for later edits to show.
    """
    # One moment for all: the changelog announces what happened after publication.
    loaded_at = timezone.now()
    for model in (Meeting, AgendaItem, AgendaParticipant):
        rows = [obj.object for obj in objects if type(obj.object) is model]
        model.history.bulk_history_create(rows, default_change_reason="seed", default_date=loaded_at)
