"""What pages, feeds and the API keep in the cache, and the one way its keys are made.

A cached thing is kept by what it shows: `shown_key(*shown)` is a digest of the
values and rows it is built from, where a row stands for all its stored fields
and the rows loaded with it (`select_related`, `prefetch_related`, or set on it by
a loader), never for a hand-picked few, so a field a template starts showing is in
the key already (`tests/test_cache_keys.py` changes each one to see).

Whole answers (`cached_answer`, `cached_view`) show everything public about
their subject, so what stands for it in their key is the content version, a
number stored in the database (`ContentVersion`) and raised in the same
transaction as any change the public can see (signals.py, and the bulk writes in
scheduling.py, live/events.py and backups.py). After a commit every app server
reads the new number, so it looks up keys no stale copy was ever stored under,
whatever the cache holds: a cache that is down, emptied or brought back with old
data costs speed, never correctness. The price is one primary-key read per
request (`make bench`). Parts reused across answers (a topic's event text, a
page's concept note or zone chooser) are kept by their own `shown_key` instead,
so an edit rebuilds only the parts it changed.
"""

import hashlib
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache as cache_of_functions
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from .models import ContentVersion

T = TypeVar("T")
# Long enough that polls rarely rebuild; a change makes the entry unreachable at once.
ANSWER_CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class CachedAnswer:
    body: bytes
    etag: str
    # When what it shows last changed, as far as its builder knows; else when it was built.
    modified_at: datetime
    holds_until: datetime | None = None


# Every request runs it: plain SQL, a fifteenth of the ORM's cost here (0.04 ms against 0.5 ms).
CONTENT_VERSION_SQL = f"SELECT number FROM {ContentVersion._meta.db_table} WHERE id = 1"  # noqa: S608


def content_version() -> int:
    """The current content version: one primary-key read."""
    with connection.cursor() as cursor:
        cursor.execute(CONTENT_VERSION_SQL)
        row = cursor.fetchone()
    number = row[0] if row else None
    if number is None:
        # Only after the table was emptied (a test's flush, a wipe before a restore).
        number = ContentVersion.objects.get_or_create(pk=1, defaults={"number": time.time_ns()})[0].number
    return number


def bump_content_version() -> None:
    """Raise the content version inside the caller's transaction, so it commits with the change.

    On PostgreSQL the row stays locked until that commit: two writers take
    turns here, and no reader sees the new number before the new data.
    """
    if not ContentVersion.objects.filter(pk=1).update(number=F("number") + 1):
        ContentVersion.objects.get_or_create(pk=1, defaults={"number": time.time_ns()})


def restart_content_version() -> None:
    """After the whole database was replaced: a number that no earlier state was cached under."""
    ContentVersion.objects.exclude(pk=1).delete()
    ContentVersion.objects.update_or_create(pk=1, defaults={"number": time.time_ns()})


@dataclass(frozen=True)
class Built:
    """A view's bytes and until when they hold with no edit: the clock's projections move with time."""

    body: bytes
    holds_until: datetime | None = None


def as_built(value: bytes | Built | None) -> Built | None:
    return Built(value) if isinstance(value, bytes) else value


def cached_answer(
    name: str,
    build: Callable[[], bytes | Built | None],
    modified: Callable[[bytes], datetime | None] | None = None,
) -> CachedAnswer | None:
    """Return the answer `name`, building it with `build` when the cache lacks it.

    `build` returns None for what does not exist (a draft, an unknown slug);
    that answer is not cached, so publishing shows at once. `modified(body)`
    says when the content last changed, if it can tell. The version is
    read before building: a copy built while a change commits is stored under
    the older number, never a newer one.
    """
    key = f"agenda:answer:{shown_key(content_version(), name)}"
    answer = cache.get(key)
    # Checked here too: a cache keeps an entry for whole seconds, or longer than asked.
    if answer is None or (answer.holds_until is not None and timezone.now() >= answer.holds_until):
        built = as_built(build())
        if built is None:
            return None
        digest = hashlib.sha256(built.body).hexdigest()[:32]
        answer = CachedAnswer(
            body=built.body,
            etag=f'"{digest}"',
            modified_at=(modified and modified(built.body)) or timezone.now(),
            holds_until=built.holds_until,
        )
        seconds = ANSWER_CACHE_SECONDS
        if built.holds_until is not None:
            seconds = min(seconds, math.ceil((built.holds_until - timezone.now()).total_seconds()))
        if seconds > 0:
            cache.set(key, answer, seconds)
    return answer


def shown_key(*shown, memo: dict | None = None) -> str:
    """A key for what is built from `shown`: equal values give equal keys, any change another.

    Rows count with every stored field and the rows loaded with them; lists,
    tuples and dicts with their members; anything else by its `repr`. Hashed:
    values run to any length, and some caches cap keys at 250 characters.
    `memo` keeps rows already read within one batch of keys (a feed's topics
    all show their meeting).
    """
    digest = hashlib.sha256()
    seen = memo if memo is not None else {}
    for value in shown:
        digest.update(canonical(value, seen).encode())
        digest.update(b"\x1f")
    return digest.hexdigest()


def canonical(value, seen: dict) -> str:
    if isinstance(value, models.Model):
        return canonical_row(value, seen)
    if isinstance(value, list | tuple):
        return "[" + ",".join(canonical(member, seen) for member in value) + "]"
    if isinstance(value, dict):
        members = (f"{key!r}:{canonical(member, seen)}" for key, member in sorted(value.items()))
        return "{" + ",".join(members) + "}"
    return repr(value)


def canonical_row(row: models.Model, seen: dict) -> str:
    """The digest of a row's stored fields and of the rows loaded with it or attached to it, each once."""
    marker = id(row)
    if marker in seen:
        # Read already (or being read: a row that leads back to itself).
        return seen[marker] or f"<{row._meta.label}:{row.pk}>"
    seen[marker] = ""
    # The values as loaded or set, not through descriptors (modeltranslation's cost 10 times more).
    values = row.__dict__
    names = stored_names(type(row))
    text = f"<{row._meta.label}:{[values.get(name, NOT_LOADED) for name in names]!r}"
    attached = {**row._state.fields_cache, **values.get("_prefetched_objects_cache", {})}
    # And what a loader set on it: `AgendaItem.children`, a presidency's `resolved_country`.
    for name in values.keys() - names:
        value = values[name]
        if isinstance(value, models.Model) or (
            isinstance(value, list) and value and isinstance(value[0], models.Model)
        ):
            attached[name] = value
    for name in sorted(attached):
        related = attached[name]
        if related is not None:
            related = related if isinstance(related, models.Model) else list(related)
            text += f"|{name}={canonical(related, seen)}"
    # Its digest stands for it in what holds it: a meeting's long concept note is hashed once.
    seen[marker] = hashlib.sha256(text.encode()).hexdigest()
    return seen[marker]


# A field deferred by its query, so not in the row's values (reading it would query).
NOT_LOADED = "<not loaded>"


@cache_of_functions
def stored_names(model: type[models.Model]) -> dict[str, None]:
    """The model's stored fields, in order (a dict: ordered, and a set for `keys() - names`)."""
    return dict.fromkeys(field.attname for field in model._meta.concrete_fields)


def cached_texts(rows: Sequence[T], shows: Callable[[T], tuple], build: Callable[[T], bytes]) -> list[bytes]:
    """`build(row)` for each row, kept by `shown_key(*shows(row))`: all that the text is built from.

    Not under the content version: an edit rebuilds only the texts whose inputs it
    changed (one event of a 1,000-item feed). Read and written in one call each.
    """
    memo: dict = {}
    keys = [f"agenda:text:{shown_key(*shows(row), memo=memo)}" for row in rows]
    found = cache.get_many(keys)
    missing = {key: build(row) for key, row in zip(keys, rows, strict=True) if key not in found}
    if missing:
        cache.set_many(missing, ANSWER_CACHE_SECONDS)
    return [found[key] if key in found else missing[key] for key in keys]


# Polling clients and proxies may reuse a feed for this long before asking again;
# a changed feed is visible to the next request after that.
FEED_MAX_AGE_SECONDS = 5 * 60


def cached_view(
    *,
    content_type: str,
    max_age: int | None = FEED_MAX_AGE_SECONDS,
    filename: str | None = None,
    varies_with: Callable[[HttpRequest], object] | None = None,
    modified: Callable[[bytes], datetime | None] | None = None,
    built_apart_for_signed_in: bool = False,
):
    """Serve a view that returns its bytes (or `Built`, or None for 404) from the cache.

    The answer is kept by the view, its arguments, the host, the language and
    whatever `varies_with(request)` names (the reader's zone), under the
    content version, with an ETag and Last-Modified; a client's current copy
    gets 304. `max_age=None` is for what is polled every few seconds: always
    revalidate. `filename` (formatted with the view's arguments) makes it a
    download. With `built_apart_for_signed_in`, a signed-in reader (perhaps
    the secretariat previewing a draft) gets a copy built for them alone.
    """

    def decorate(view: Callable[..., bytes | Built | None]) -> Callable[..., HttpResponse]:
        view_name = f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if built_apart_for_signed_in and signed_in(request):
                built = as_built(view(request, *args, **kwargs))
                if built is None:
                    raise Http404
                return HttpResponse(built.body, content_type=content_type)
            # The page's address and language are part of what was built.
            reader = (
                request.get_host(),
                translation.get_language(),
                args,
                sorted(kwargs.items()),
                varies_with(request) if varies_with else None,
            )
            answer = cached_answer(f"{view_name}:{reader}", lambda: view(request, *args, **kwargs), modified)
            if answer is None:
                raise Http404
            response = HttpResponse(answer.body, content_type=content_type)
            response["ETag"] = answer.etag
            response["Last-Modified"] = http_date(answer.modified_at.timestamp())
            if max_age is None:
                patch_cache_control(response, no_cache=True, public=True)
            else:
                patch_cache_control(response, public=True, max_age=max_age)
            if filename:
                response["Content-Disposition"] = f'attachment; filename="{filename.format(*args, **kwargs)}"'
            # The language comes from `?lang=`, its cookie or Accept-Language: caches keep each apart.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            modified_at = int(answer.modified_at.timestamp())
            return get_conditional_response(
                request, etag=answer.etag, last_modified=modified_at, response=response
            )

        return wrapper

    return decorate


def signed_in(request: HttpRequest) -> bool:
    # Only a signed-in reader's session counts; a made-up cookie costs one lookup.
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated
