"""Template filters for the public pages."""

import zoneinfo
from datetime import UTC
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext
from markdown_it import MarkdownIt

from .. import zones

register = template.Library()

# CommonMark with raw HTML off: whatever the secretariat types is escaped, and
# javascript: links are refused by markdown-it's link validation.
concept_note_renderer = MarkdownIt("commonmark", {"html": False})

# A section sits under the page's h1, the "Concept note" h2 and its own h3.
SECTION_HEADING_LEVEL = 3


@register.filter
def concept_note(text: str) -> SafeString:
    """Render a concept-note section: paragraphs, lists and sub-headings, never raw HTML.

    "# CRM" in a section becomes an h4, so the page's outline stays whole.
    """
    tokens = concept_note_renderer.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1]) + SECTION_HEADING_LEVEL
            token.tag = f"h{min(level, 6)}"
    html = concept_note_renderer.renderer.render(tokens, concept_note_renderer.options, {})
    return mark_safe(html)  # noqa: S308 - escaped by markdown-it


def own_path(request) -> str:
    """The request's path as a link on this site: "//other.example/x" would lead to another one."""
    return "/" + request.path.lstrip("/")


@register.simple_tag(takes_context=True)
def path_with(context, parameter: str, value: str) -> str:
    """The current address with one query parameter set: a link that keeps the reader's other choices."""
    request = context["request"]
    query = request.GET.copy()
    query[parameter] = value
    return f"{own_path(request)}?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def path_without(context, parameter: str) -> str:
    """The current address without one query parameter: where to return after a choice."""
    request = context["request"]
    query = request.GET.copy()
    query.pop(parameter, None)
    return f"{own_path(request)}?{query.urlencode()}" if query else own_path(request)


@register.simple_tag(takes_context=True)
def shown_in_fallback(context, obj, field: str) -> bool:
    """Whether `field` of `obj` is shown in Spanish because the active language lacks it."""
    language = context.get("LANGUAGE_CODE") or "es"
    if language == "es":
        return False
    return not getattr(obj, f"{field}_{language}", None)


@register.simple_tag(takes_context=True)
def untranslated_parts(context, meeting, agenda) -> int:
    """How many of the page's texts (title, agenda items, concept note sections) show in Spanish.

    The page says so once, above the agenda, instead of a badge on every row.
    """
    language = context.get("LANGUAGE_CODE") or "es"
    if language == "es":
        return 0
    items = [entry for item in agenda for entry in (item, *getattr(item, "children", ()))]
    texts = [(meeting, "title"), *((item, "title") for item in items)]
    texts += [(meeting, field) for field, _heading, _text in meeting.concept_note()]
    return sum(not getattr(obj, f"{field}_{language}", None) for obj, field in texts)


@register.simple_tag
def moment_in(moment, zone: str) -> str:
    """ "31 de mayo de 2022, 08:00 GMT-6": a date and time read in `zone`."""
    return zones.moment_text(moment, zone) if moment else ""


@register.simple_tag
def time_in(moment, zone: str, reference_day) -> str:
    """ "11:00" in `zone`, or "00:30 (+1)" where the zone's date is not the meeting's."""
    if moment is None:
        return ""
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    return f"{local:%H:%M}" + day_shift_text((local.date() - reference_day).days)


@register.filter
def day_shift_text(shift: int) -> str:
    """ " (+1 day)" for a time that falls on the next day, "" on the same day."""
    if not shift:
        return ""
    return " (" + ngettext("%(shift)+d day", "%(shift)+d days", abs(shift)) % {"shift": shift} + ")"


GOOGLE_CALENDAR_URL = "https://calendar.google.com/calendar/render"
OUTLOOK_CALENDAR_URL = "https://outlook.live.com/calendar/0/deeplink/compose"


def webcal(url: str) -> str:
    """The same feed as a webcal:// address, which opens the calendar app to subscribe."""
    return "webcal://" + url.split("://", 1)[1]


@register.simple_tag(takes_context=True)
def series_feed_links(context) -> dict[str, str]:
    feed = reverse("agenda:series-ical")
    return {"download": feed, "subscribe": webcal(context["request"].build_absolute_uri(feed))}


@register.simple_tag(takes_context=True)
def calendar_links(context, meeting) -> dict[str, str]:
    """Return the addresses that put `meeting` in a calendar: file, subscription, Google, Outlook."""
    request = context["request"]
    page = request.build_absolute_uri(meeting.get_absolute_url())
    agenda_feed = request.build_absolute_uri(reverse("agenda:meeting-agenda-ical", args=[meeting.slug]))
    details = f"{meeting.title}\n{page}"
    utc = "%Y%m%dT%H%M%SZ"
    return {
        "download": reverse("agenda:meeting-ical", args=[meeting.slug]),
        "agenda_feed": agenda_feed,
        "subscribe": webcal(agenda_feed),
        "google": GOOGLE_CALENDAR_URL
        + "?"
        + urlencode(
            {
                "action": "TEMPLATE",
                "text": meeting.title,
                "dates": f"{meeting.starts_at.astimezone(UTC):{utc}}/{meeting.ends_at.astimezone(UTC):{utc}}",
                "details": details,
                "location": meeting.venue or meeting.video_call_platform,
                "ctz": meeting.time_zone,
            }
        ),
        "outlook": OUTLOOK_CALENDAR_URL
        + "?"
        + urlencode(
            {
                "path": "/calendar/action/compose",
                "rru": "addevent",
                "subject": meeting.title,
                "startdt": meeting.starts_at.astimezone(UTC).isoformat(),
                "enddt": meeting.ends_at.astimezone(UTC).isoformat(),
                "body": details,
                "location": meeting.venue or meeting.video_call_platform,
            }
        ),
    }


@register.filter
def duration_text(value) -> str:
    """A timedelta as a countdown: "12:05", "1:02:05", or "−2:10" once overrun."""
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    sign = "−" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{sign}{minutes:02d}:{seconds:02d}"


@register.filter
def projection_for(live, item):
    """The live clock's row for a topic, if the clock runs it."""
    return live.by_item_id.get(item.pk) if live is not None else None


@register.filter
def tagged(messages, tag: str) -> list:
    """The messages a part of the page says (`extra_tags`): each section shows its own, where they belong."""
    return [message for message in messages if tag in message.extra_tags.split()]
