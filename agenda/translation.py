"""Content the secretariat writes in Spanish, English and Portuguese (django-modeltranslation).

Each field below gains `_es`, `_en` and `_pt` columns; reading the plain name
gives the active language's text, or the Spanish one where it is missing.
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, Commitment, Conclusions, Meeting, Organisation, Person
from .models.fields import SaveMarked


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("title", *Meeting.CONCEPT_NOTE_SECTIONS)
    required_languages = ("es",)


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"es": ("title",), "default": ()}


@register(Conclusions)
class ConclusionsTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ("es",)


@register(Commitment)
class CommitmentTranslation(TranslationOptions):
    fields = ("what",)
    required_languages = ("es",)


# Who changed what and when (the public changelog is read from it: changelog.py). Registered
# here, after the translations, so the history keeps the `_es`, `_en` and `_pt` columns too.
simple_history.register(Meeting, app="agenda", excluded_fields=["updated_at"], bases=[SaveMarked])
simple_history.register(AgendaItem, app="agenda", excluded_fields=["updated_at"], bases=[SaveMarked])
# Shared by the meetings that name them: a rename shows on each page, so it is kept too.
simple_history.register(Organisation, app="agenda")
simple_history.register(Person, app="agenda")
