"""The version of everything the public sees, kept in the database beside the data itself."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """One row whose number goes up in the same transaction as any change the public can see.

    Every cached page, feed and API answer is keyed by this number (cache.py).
    Kept here rather than in the cache, a committed change and its new version
    are one fact: every app server reads the new number after the commit, and a
    cache that was down, emptied or restored from old data can only miss, never
    answer with what was there before.
    """

    number = models.BigIntegerField(_("content version"))

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self) -> str:
        return str(self.number)
