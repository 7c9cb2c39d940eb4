"""Template filters for the public pages."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

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


@register.filter
def participants_by_role(participants) -> list[tuple[str, list]]:
    """Group an item's participants by role, in the order they were entered."""
    groups: dict[str, list] = {}
    for participant in participants:
        groups.setdefault(participant.role, []).append(participant)
    return list(groups.items())
