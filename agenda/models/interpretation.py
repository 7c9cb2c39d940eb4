"""Interpretation: the channels a meeting is interpreted on, for its registered participants."""

from __future__ import annotations

from babel import Locale
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .meetings import Meeting

# The languages of the conferences' members: Spanish, English, Portuguese, and Canada's and Haiti's French.
INTERPRETATION_LANGUAGES = ["es", "en", "pt", "fr"]


class InterpretationChannel(models.Model):
    """One language a meeting is heard in, and where: "English: canal 2 (Zoom)"."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="interpretation_channels", verbose_name=_("meeting")
    )
    language = models.CharField(
        _("language"), max_length=2, choices=[(code, code) for code in INTERPRETATION_LANGUAGES]
    )
    channel = models.CharField(
        _("channel"), max_length=200, help_text=_("As participants find it: “Canal 2 (Zoom)”, “Floor”.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("interpretation channel")
        verbose_name_plural = _("interpretation channels")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "language"], name="one_channel_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.language_name}: {self.channel}"

    @property
    def language_name(self) -> str:
        """The language named in the reader's: "inglés", "English", "inglês"."""
        reader = Locale.parse(translation.get_language() or "es", sep="-")
        return reader.languages.get(self.language, self.language)
