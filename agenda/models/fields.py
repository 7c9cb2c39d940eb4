"""Field shapes the models repeat."""

import uuid

from django.db import models
from simple_history.models import HistoricalRecords


def optional_link(to, verbose_name, *, on_delete=models.PROTECT, **options) -> models.ForeignKey:
    """A link that may be empty: null in the database, blank in forms."""
    return models.ForeignKey(
        to, on_delete=on_delete, null=True, blank=True, verbose_name=verbose_name, **options
    )


class SaveMarked(models.Model):
    """A base for historical rows: the rows one request wrote share its save, one changelog entry."""

    history_save = models.UUIDField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        abstract = True


def current_save() -> uuid.UUID | None:
    """The save the running request makes (one per request); None outside a request."""
    request = getattr(HistoricalRecords.context, "request", None)
    if request is None:
        return None
    if not hasattr(request, "plenary_save"):
        request.plenary_save = uuid.uuid4()
    return request.plenary_save
