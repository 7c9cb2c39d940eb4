"""A cached part is kept by all it shows: change any field it shows, and its key changes.

Each field of each row a cached part is built from is changed in memory, one at a
time; where the part's text changes, its key must change too, or a stale copy
would be served. Unsaved, so that `updated_at` and `version`, which move on every
save, can't hide a field left out of the key.
"""

import uuid
from datetime import timedelta
from functools import cached_property

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import models
from django.test import RequestFactory
from django.utils import translation

from agenda import ical
from agenda.cache import shown_key
from agenda.models import load_agendas
from agenda.views import pages


def other_value(field: models.Field, value):
    """A different value of the field's kind; None for what the test leaves alone (keys, links)."""
    if field.primary_key or field.is_relation:
        return None
    if field.name == "time_zone":
        return "America/Santiago" if value != "America/Santiago" else "America/Mexico_City"
    if field.choices:
        return next((choice for choice, _label in field.flatchoices if choice != value), None)
    if isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, models.DateTimeField | models.DateField):
        return (value + timedelta(days=1, hours=1)) if value else None
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.IntegerField):
        return (value or 0) + 1
    if isinstance(field, models.SlugField):
        return f"{value}-2"
    if isinstance(field, models.CharField | models.TextField):
        return f"{value or ''} cambiado"
    return None


def set_field(row, field: models.Field, value) -> None:
    """Set a field in memory, and forget what the row derived from it (`cached_property`)."""
    setattr(row, field.attname, value)
    for name in dir(type(row)):
        if isinstance(getattr(type(row), name, None), cached_property):
            row.__dict__.pop(name, None)


def fields_that_show(row, build, key) -> tuple[list[str], list[str]]:
    """Each field whose change changes `build()`, and those of them that leave `key()` as it was."""
    shown, left_out = [], []
    for field in row._meta.concrete_fields:
        before = field.value_from_object(row)
        changed = other_value(field, before)
        if changed is None:
            continue
        text, old_key = build(), key()
        set_field(row, field, changed)
        try:
            if build() != text:
                shown.append(field.name)
                if key() == old_key:
                    left_out.append(field.name)
        finally:
            set_field(row, field, before)
    return shown, left_out


@pytest.fixture
def spanish():
    with translation.override("es"):
        yield


def test_every_field_a_topics_event_shows_is_in_its_key(seed_meeting, spanish):
    meeting = seed_meeting
    meeting.organisers.first().__class__.objects.filter(pk__in=meeting.organisers.all()).update(
        email="se@crmsv.org"
    )
    meeting = type(meeting).objects.prefetch_related("organisers").get(pk=meeting.pk)
    agenda = load_agendas([meeting])[meeting.pk]
    entry = ical.MeetingEntry(meeting, agenda, "https://plenary.example/meetings/x/")
    topic = next(
        item for item in agenda if item.children and any(c.participants.all() for c in item.children)
    )
    child = next(c for c in topic.children if c.participants.all())
    participant = child.participants.all()[0]
    rows = [topic, child, participant, meeting, meeting.organisers.all()[0]]
    if participant.person_id:
        rows += [participant.person, participant.person.organisation]
    elif participant.organisation_id:
        rows.append(participant.organisation)

    def build():
        return ical.item_event_text(topic, entry)

    def key():
        return shown_key(*ical.item_event_shows(topic, entry))

    shown_by = []
    for row in rows:
        shown, left_out = fields_that_show(row, build, key)
        assert not left_out, f"{row._meta.label} shows {left_out} in the event, but its key leaves them out"
        shown_by.append(set(shown))
    # Not vacuous: the event is built from these, as a reader sees them.
    topic_fields, child_fields, participant_fields, meeting_fields, organiser_fields = shown_by[:5]
    assert {"title_es", "starts_at", "ends_at", "sequence", "updated_at"} <= topic_fields
    assert {"title_es", "updated_at"} <= child_fields
    assert {"role"} <= participant_fields
    assert {"title_es", "time_zone", "modality", "venue"} <= meeting_fields
    assert {"email"} <= organiser_fields


def test_every_field_the_meetings_own_fragments_show_is_in_their_key(seed_meeting, spanish, monkeypatch):
    """The concept note, the zone chooser and the delegations' table, kept by `MeetingPage.meeting_key`."""
    # The fragments kept by the content version are rebuilt on every page here: left are the others.
    versions = iter(range(10**6))
    monkeypatch.setattr(pages, "content_version", lambda: next(versions))
    request = RequestFactory().get(seed_meeting.get_absolute_url())
    request.user = AnonymousUser()

    def page(*, fresh: bool) -> bytes:
        if fresh:
            cache.clear()
        return pages.meeting_page(request, seed_meeting)

    shown = []
    for field in seed_meeting._meta.concrete_fields:
        before = field.value_from_object(seed_meeting)
        changed = other_value(field, before)
        if changed is None:
            continue
        original = page(fresh=True)  # its fragments now in the cache
        set_field(seed_meeting, field, changed)
        try:
            served = page(fresh=False)  # what a reader would get after the change
            built = page(fresh=True)
        finally:
            set_field(seed_meeting, field, before)
        if built != original:
            shown.append(field.name)
            assert served == built, f"the page shows Meeting.{field.name} from a stale fragment"
    # Not vacuous: the concept note, the zone chooser and the delegations' times show these.
    assert {"background_es", "general_objective_es", "starts_at", "time_zone"} <= set(shown)
