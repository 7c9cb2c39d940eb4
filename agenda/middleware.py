"""`?lang=en` on any address: a shareable link, and how feeds and the API are asked for a language."""

from django.conf import settings
from django.utils import translation


class QueryLanguageMiddleware:
    """Let a `lang` parameter override the language the LocaleMiddleware chose.

    An unknown code is ignored: the page stays in the language it would have had.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.GET.get("lang", "")
        if language in self.languages:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
