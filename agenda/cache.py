"""What the feeds and the API keep in the cache, and how any change makes it stale.

Every cached document's key carries one content version. Any change to the
agenda's data bumps the version (signals.py, and the bulk writes in
scheduling.py), so a poll costs two cache reads and no query until then.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

CONTENT_VERSION_KEY = "agenda:content-version"
# Long enough that polls rarely rebuild; a change makes the entry unreachable at once.
DOCUMENT_CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class CachedDocument:
    body: bytes
    etag: str
    built_at: datetime


def content_version() -> int:
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        # Start from the clock, not 1, so an evicted counter never revives old entries.
        cache.add(CONTENT_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(CONTENT_VERSION_KEY)
    return version


def bump_content_version() -> None:
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        cache.add(CONTENT_VERSION_KEY, time.time_ns(), timeout=None)


def cached_document(name: str, build: Callable[[], bytes | None]) -> CachedDocument | None:
    """Return the document `name`, building it with `build` when the cache lacks it.

    `build` returns None for what does not exist (a draft, an unknown slug);
    that answer is not cached, so publishing shows at once.
    """
    # Hashed: names carry addresses and slugs of any length, and some caches cap keys at 250.
    key = f"agenda:document:{content_version()}:{hashlib.sha256(name.encode()).hexdigest()}"
    document = cache.get(key)
    if document is None:
        body = build()
        if body is None:
            return None
        digest = hashlib.sha256(body).hexdigest()[:32]
        document = CachedDocument(body=body, etag=f'"{digest}"', built_at=timezone.now())
        cache.set(key, document, DOCUMENT_CACHE_SECONDS)
    return document
