"""Request-wide behaviour: the `?lang=` parameter, and the query count the benchmarks read."""

from django.conf import settings
from django.db import connection
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


class QueryCountHeaderMiddleware:
    """Report in `X-DB-Queries` how many SQL queries a request made (for `make bench` only).

    Enabled by the setting `QUERY_COUNT_HEADER`; it counts with a wrapper on the
    connection, so it works with DEBUG off, as the benchmark runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counting(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            response = self.get_response(request)
        response["X-DB-Queries"] = str(count)
        return response
