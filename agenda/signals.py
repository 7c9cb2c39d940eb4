"""Cache invalidation: any change to what pages, feeds or the API show makes them stale.

And calendar revisions: a change that shows in an event's DESCRIPTION without a row of
the event's own changing (a sub-item deleted, a participant or their name changed)
marks the events that show it as modified, so LAST-MODIFIED moves with the text.
"""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

from . import notifications
from .cache import bump_content_version
from .models import (
    AgendaItem,
    AgendaParticipant,
    Commitment,
    CommitmentNote,
    Conclusions,
    InterpretationChannel,
    Meeting,
    Organisation,
    Person,
    Registration,
    SpeakersList,
)
from .models.fields import SaveMarked, current_save
from .models.people import Conference, Country, Presidency

# The agenda, and the records its pages and feeds name.
WATCHED_MODELS = [Meeting, AgendaItem, AgendaParticipant]
WATCHED_MODELS += [Conference, Country, Organisation, Person, Presidency]
# The live state names the speakers' lists and who asked.
WATCHED_MODELS += [SpeakersList, Registration]
# Shown on private pages.
WATCHED_MODELS += [InterpretationChannel]
# What a meeting concluded and committed to, shown on its page and per conference.
WATCHED_MODELS += [Conclusions, Commitment, CommitmentNote]


def content_changed(**kwargs) -> None:
    # In the writer's transaction: the new version commits with the change, or not at all.
    bump_content_version()


def touch_items(condition: Q) -> None:
    """Mark the agenda items matching `condition`, their topics and meetings, as modified now."""
    now = timezone.now()
    items = AgendaItem.objects.filter(condition)
    AgendaItem.objects.filter(Q(pk__in=items.values("pk")) | Q(pk__in=items.values("parent_id"))).update(
        updated_at=now
    )
    Meeting.objects.filter(pk__in=items.values("meeting_id")).update(updated_at=now)


def agenda_item_deleted(instance: AgendaItem, **kwargs) -> None:
    # Its topic's and meeting's events listed it; no row of theirs changed.
    now = timezone.now()
    AgendaItem.objects.filter(pk=instance.parent_id).update(updated_at=now)
    Meeting.objects.filter(pk=instance.meeting_id).update(updated_at=now)


def touching(items_showing):
    """A signal handler that marks as modified the items `items_showing(instance)` selects."""

    def handler(instance, raw: bool = False, **kwargs) -> None:
        if not raw:  # a row loaded as it was saved (a restore) keeps the backup's dates
            touch_items(items_showing(instance))

    return handler


participant_changed = touching(lambda participant: Q(pk=participant.item_id))
person_changed = touching(lambda person: Q(participants__person=person))
organisation_changed = touching(
    lambda organisation: (
        Q(participants__organisation=organisation) | Q(participants__person__organisation=organisation)
    )
)


def meeting_of(instance) -> int | None:
    if isinstance(instance, Meeting):
        return instance.pk
    if isinstance(instance, AgendaItem):
        return instance.meeting_id
    return AgendaItem.objects.filter(pk=instance.item_id).values_list("meeting_id", flat=True).first()


def tell_participants(instance, raw: bool = False, **kwargs) -> None:
    """After the change commits, gather it into the mail to the meeting's participants (notifications.py)."""
    if raw:
        return
    meeting_id = meeting_of(instance)
    if meeting_id is not None:
        transaction.on_commit(lambda: notifications.meeting_changed(meeting_id), robust=True)


def connect() -> None:
    post_delete.connect(agenda_item_deleted, sender=AgendaItem, dispatch_uid="agenda-touch-item-deleted")
    post_save.connect(participant_changed, sender=AgendaParticipant, dispatch_uid="agenda-touch-participant")
    post_delete.connect(
        participant_changed, sender=AgendaParticipant, dispatch_uid="agenda-touch-participant-deleted"
    )
    post_save.connect(person_changed, sender=Person, dispatch_uid="agenda-touch-person")
    post_save.connect(organisation_changed, sender=Organisation, dispatch_uid="agenda-touch-organisation")
    for model in (Meeting, AgendaItem, AgendaParticipant):
        post_save.connect(tell_participants, sender=model, dispatch_uid=f"agenda-tell-{model.__name__}")
        post_delete.connect(
            tell_participants, sender=model, dispatch_uid=f"agenda-tell-deleted-{model.__name__}"
        )
    for model in WATCHED_MODELS:
        post_save.connect(content_changed, sender=model, dispatch_uid=f"agenda-save-{model.__name__}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"agenda-delete-{model.__name__}")
    for through in [
        Meeting.conferences.through,
        Meeting.organisers.through,
        Conference.members.through,
        AgendaItem.reviews.through,
    ]:
        m2m_changed.connect(content_changed, sender=through, dispatch_uid=f"agenda-m2m-{through.__name__}")


@receiver(pre_create_historical_record)
def mark_the_save(sender, history_instance, **kwargs) -> None:
    """Every history row a request writes carries that request's save (history.by_save)."""
    if isinstance(history_instance, SaveMarked) and history_instance.history_save is None:
        history_instance.history_save = current_save()
