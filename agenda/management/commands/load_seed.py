"""Load the seed meeting once, checked by the same rules as the admin."""

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone

from agenda.models import AgendaItem, AgendaParticipant, Meeting, Organisation
from agenda.models.people import Conference, Country, Presidency

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
            saved = add_rows(objects)
            # loaddata skips model validation; check every row now, and keep none if one fails.
            for instance in saved:
                instance = type(instance).objects.get(pk=instance.pk)
                try:
                    instance.full_clean()
                except ValidationError as error:
                    raise CommandError(
                        f"{instance._meta.verbose_name} «{instance}»: {error.messages}"
                    ) from error
            record_in_history(objects)
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(objects)} rows: {meeting.get_absolute_url()}"))


# Reference data the site may already hold, found by what identifies it; kept as the site has it.
NATURAL_KEYS = {
    Country: ("code",),
    Conference: ("acronym",),
    Organisation: ("name",),
    Presidency: ("conference", "starts_on"),
}


def add_rows(objects) -> list:
    """Save the fixture's rows as new rows, never over the site's own.

    The fixture's ids are only references between its rows: each row gets a
    new id and the references follow it. Countries, conferences,
    organisations and presidencies the site already has are used as they are.
    """
    new_ids: dict[tuple[type, object], object] = {}
    saved = []
    for obj in objects:
        instance, model = obj.object, type(obj.object)
        for field in model._meta.concrete_fields:
            if field.many_to_one or field.one_to_one:
                old = getattr(instance, field.attname)
                if old is not None:
                    setattr(instance, field.attname, new_ids.get((field.related_model, old), old))
        old_id = instance.pk
        natural = NATURAL_KEYS.get(model)
        existing = (
            model.objects.filter(**{name: getattr(instance, name) for name in natural}).first()
            if natural
            else None
        )
        if existing is not None:
            new_ids[(model, old_id)] = existing.pk
            continue
        if model is not Country:  # a country's id is its ISO code
            instance.pk = None
        # raw: keeps the fixture's values as loaddata does (creation times, UIDs, revisions).
        models.Model.save_base(instance, raw=True)
        new_ids[(model, old_id)] = instance.pk
        for name, related_ids in obj.m2m_data.items():
            related = model._meta.get_field(name).related_model
            getattr(instance, name).set([new_ids.get((related, value), value) for value in related_ids])
        saved.append(instance)
    return saved


def record_in_history(objects) -> None:
    """Start the history of the loaded rows, which raw fixture saves leave out.

    The changelog counts from the meeting's first published version, so the
    seed's own rows must be in the history for later edits to show.
    """
    # One moment for all: the changelog announces what happened after publication.
    loaded_at = timezone.now()
    for model in (Meeting, AgendaItem, AgendaParticipant):
        rows = [obj.object for obj in objects if type(obj.object) is model and obj.object.pk]
        model.history.bulk_history_create(rows, default_change_reason="seed", default_date=loaded_at)
