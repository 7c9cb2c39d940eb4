"""Request-wide behaviour: `?lang=`, 503 while a backing service is down, the benchmarks' query count."""

import logging

import redis.exceptions
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.admin.views.main import ERROR_FLAG
from django.db import DataError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils import translation

logger = logging.getLogger(__name__)
# What a lost connection to PostgreSQL or Redis raises.
UNAVAILABLE_ERRORS = (
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


class UnaskableQueryMiddleware:
    """Answer the reader's mistake as one, where the database would raise.

    PostgreSQL can't hold a NUL character in text: any query given one raises, so an address
    carrying `%00` gets 400 before a view runs. An admin list filtered by a value its column
    can't hold (an IP address "x", a number past 64 bits) fails only when the database adapter
    meets it: the list comes back unfiltered with Django's own "?e=1", as for any other
    filter it can't apply.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "An address can't contain a NUL character (%00).", content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)

    def process_exception(self, request, exception):
        match = request.resolver_match
        if (
            isinstance(exception, (ValueError, OverflowError, DataError))
            and request.method == "GET"
            and request.GET
            and ERROR_FLAG not in request.GET
            and match is not None
            and match.app_name == "admin"
            and (match.url_name or "").endswith("_changelist")
        ):
            logger.info("Admin list filter refused: %s", exception)
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        return None


class QueryLanguageMiddleware:
    """Let a `lang` parameter override the language the LocaleMiddleware chose, and remember it.

    The language switcher's links carry `?lang=`; the choice is kept in Django's
    language cookie for the next pages. An unknown code is ignored: the page
    stays in the language it would have had.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.GET.get("lang", "")
        if language not in self.languages:
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # Pages remember the choice; feeds and the API don't (a cookie would keep proxies from caching them).
        is_page = response.get("Content-Type", "").startswith("text/html")
        if is_page and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


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


class ServiceUnavailableMiddleware:
    """Answer 503 with a plain message while the database or the cache is unreachable.

    Nothing is half-written: each write runs in a transaction that the failure
    rolls back. Django reconnects on the next request, so the app recovers by
    itself once the service is back.
    """

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, UNAVAILABLE_ERRORS):
            return None
        logger.error("Service unavailable: %s", exception)
        response = HttpResponse(
            "The service is briefly unavailable. Please try again in a minute.\n"
            "El servicio no está disponible por un momento. Inténtelo de nuevo en un minuto.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response


class ConstantCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy built once instead of on every response.

    No page here uses a nonce or a per-view policy, so the header is the same
    for every response; building it took a sixth of a cached feed's time.
    A response or request that does use them goes through django-csp as usual.
    """

    OVERRIDES = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")

    def process_response(self, request, response):
        overridden = any(
            hasattr(response, name) or hasattr(response, f"{name}_ro") for name in self.OVERRIDES
        )
        if (
            overridden
            or getattr(request, "_csp_nonce", None) is not None
            or (settings.DEBUG and response.status_code >= 400)
        ):
            return super().process_response(request, response)
        policy, report_only = self.constant_headers()
        if policy and HEADER not in response:
            response[HEADER] = policy
        if report_only and HEADER_REPORT_ONLY not in response:
            response[HEADER_REPORT_ONLY] = report_only
        return response

    def constant_headers(self) -> tuple[str, str]:
        key = (
            id(getattr(settings, "CONTENT_SECURITY_POLICY", None)),
            id(getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)),
        )
        if getattr(self, "_built_for", None) != key:
            self._headers = (build_policy(), build_policy(report_only=True))
            self._built_for = key
        return self._headers
