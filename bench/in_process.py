"""`make bench`'s measurements made inside Django, with the test client: run by bench/run.py as
`manage.py shell -c "from bench import in_process; in_process.report('<name>')"`.
"""

import json
import time
import uuid

from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from agenda.backups import export_meeting, import_meeting
from agenda.models import AgendaItem, Meeting

SLUG = "iii-reunion-plenaria-crm-csm"
STATIC = "/static/agenda/css/site.css"


def best_ms(get, path: str, *, runs: int = 5, cold: bool = True, **headers) -> float:
    """The fastest of `runs` requests, each after emptying the cache when `cold`."""
    best = float("inf")
    for _ in range(runs):
        if cold:
            cache.clear()
        started = time.perf_counter()
        get(path, **headers)
        best = min(best, time.perf_counter() - started)
    return best * 1000


def after_an_edit_ms(get, path: str, item: AgendaItem, runs: int = 5) -> float:
    """The fastest of `runs` requests, each right after `item` was saved (its title changed)."""
    best = float("inf")
    for run in range(runs):
        get(path)
        item.title_es = f"{item.title_es.split(' ·')[0]} · {run}"
        item.save()
        started = time.perf_counter()
        get(path)
        best = min(best, time.perf_counter() - started)
    return best * 1000


def first_render() -> str:
    """One build after an edit of one item, and one with the cache emptied: the long feed, the seed page."""
    client = Client(HTTP_HOST="127.0.0.1")
    feed, page = "/meetings/bench-long/agenda.ics", f"/meetings/{SLUG}/"
    long_item = AgendaItem.objects.filter(meeting__slug="bench-long", parent=None).last()
    seed_item = AgendaItem.objects.filter(meeting__slug=SLUG, parent=None).last()
    edited_feed, edited_page = (
        after_an_edit_ms(client.get, feed, long_item),
        after_an_edit_ms(client.get, page, seed_item),
    )
    cold_feed, cold_page = best_ms(client.get, feed), best_ms(client.get, page)
    return (
        f"{feed}: {edited_feed:.1f} ms = {edited_feed / 1000:.3f} ms per event "
        f"({cold_feed / 1000:.3f} with the cache emptied); "
        f"{page}: {edited_page:.1f} ms ({cold_page:.1f} ms with the cache emptied)"
    )


def fragments() -> str:
    """The seed page for a signed-in reader (no whole-page cache): fragments cold, then cached."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get_or_create(username="bench-reader")[0])
    page = f"/meetings/{SLUG}/"
    client.get(page)
    cold = best_ms(client.get, page)
    warm = best_ms(client.get, page, cold=False)
    return f"{cold:.1f} ms with every fragment to build, {warm:.1f} ms with them cached"


def stack() -> str:
    """A cached feed's 304 through Django against the static file, no network."""
    client = Client(HTTP_HOST="127.0.0.1")
    feed = f"/meetings/{SLUG}.ics"
    etag = client.get(feed)["ETag"]

    def per_request(path: str, **headers) -> float:
        started = time.perf_counter()
        for _ in range(2000):
            client.get(path, **headers)
        return (time.perf_counter() - started) / 2000 * 1000

    static, cached = per_request(STATIC), per_request(feed, HTTP_IF_NONE_MATCH=etag)
    return (
        f"{cached:.3f} ms a cached 304 against {static:.3f} ms the static file "
        f"({cached - static:.3f} ms of middleware, URL resolution, version read and cache read)"
    )


def import_file() -> str:
    """Import the long meeting's exported file as a new meeting (its agenda judged whole)."""
    document = export_meeting(Meeting.objects.get(slug="bench-long"))
    document["meeting"].update(uuid=str(uuid.uuid4()), slug="bench-long-copy")
    new = {item["uuid"]: str(uuid.uuid4()) for item in document["agenda"]}
    for item in document["agenda"]:
        item.update(uuid=new[item["uuid"]], parent=new.get(item["parent"]))
    started = time.perf_counter()
    import_meeting(json.dumps(document).encode())
    took = time.perf_counter() - started
    count = len(document["agenda"])
    return f"{count} items in {took:.1f} s = {took * 1000 / count:.2f} ms per item"


def report(name: str) -> None:
    print(
        {"first_render": first_render, "fragments": fragments, "stack": stack, "import_file": import_file}[
            name
        ]()
    )
