"""Content the secretariat writes in Spanish, English and Portuguese (django-modeltranslation).

Each field below gains `_es`, `_en` and `_pt` columns; reading the plain name
gives the active language's text, or the Spanish one where it is missing.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, Meeting


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("title", *Meeting.CONCEPT_NOTE_SECTIONS)
    required_languages = ("es",)


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"es": ("title",), "default": ()}
