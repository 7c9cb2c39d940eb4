"""Field shapes the models repeat."""

from django.db import models


def optional_link(to, verbose_name, *, on_delete=models.PROTECT, **options) -> models.ForeignKey:
    """A link that may be empty: null in the database, blank in forms."""
    return models.ForeignKey(
        to, on_delete=on_delete, null=True, blank=True, verbose_name=verbose_name, **options
    )
