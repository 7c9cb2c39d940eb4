"""Cache invalidation: any change to what pages, feeds or the API show makes them stale."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .cache import bump_content_version
from .models import (
    AgendaItem,
    AgendaParticipant,
    Conference,
    Country,
    Meeting,
    Organisation,
    Person,
    Presidency,
)

WATCHED_MODELS = [
    AgendaItem,
    AgendaParticipant,
    Conference,
    Country,
    Meeting,
    Organisation,
    Person,
    Presidency,
]


def content_changed(**kwargs) -> None:
    # In the writer's transaction: the new version commits with the change, or not at all.
    bump_content_version()


def connect() -> None:
    for model in WATCHED_MODELS:
        post_save.connect(content_changed, sender=model, dispatch_uid=f"agenda-save-{model.__name__}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"agenda-delete-{model.__name__}")
    for through in [Meeting.conferences.through, Meeting.organisers.through, Conference.members.through]:
        m2m_changed.connect(content_changed, sender=through, dispatch_uid=f"agenda-m2m-{through.__name__}")
