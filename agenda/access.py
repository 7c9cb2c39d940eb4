"""Who may work on which meeting: staff act only on their own conferences' meetings.

The groups say what a user may do (Secretaría edits, Cronometraje keeps
time, Observación reads); the user's staff profile says on which meetings:
those of their conferences, joint meetings included. The admin and the
timekeeper's views ask here before acting, for the page and for a direct POST.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from .models import Conference, Meeting

SECRETARIAT_GROUP = "Secretaría"
TIMEKEEPER_GROUP = "Cronometraje"
OBSERVER_GROUP = "Observación"


def conference_ids(user) -> frozenset[int]:
    """The conferences `user` works for (kept on the user for the rest of the request)."""
    if not hasattr(user, "_conference_ids"):
        ids = frozenset()
        if user.is_authenticated:
            ids = frozenset(Conference.objects.filter(staff__user=user).values_list("pk", flat=True))
        user._conference_ids = ids
    return user._conference_ids


def works_on(user, meeting: Meeting) -> bool:
    """Whether `meeting` belongs to one of `user`'s conferences (a joint meeting to both)."""
    if user.is_superuser:
        return True
    if meeting.pk is None:
        return True
    return bool(conference_ids(user) & {conference.pk for conference in meeting.conferences.all()})


def may_edit(user, meeting: Meeting) -> bool:
    return user.has_perm("agenda.change_meeting") and works_on(user, meeting)


def may_keep_time(user, meeting: Meeting) -> bool:
    return user.has_perm("agenda.keep_time") and works_on(user, meeting)


def their_meetings(user) -> QuerySet[Meeting]:
    if user.is_superuser:
        return Meeting.objects.all()
    return Meeting.objects.filter(conferences__in=conference_ids(user)).distinct()


def may_change_shared(user, record) -> bool:
    """Whether `user` may change a person or organisation that meetings share.

    Only if every meeting that shows it is theirs: a rename shows on each of those
    pages, and another conference's pages are not theirs to change. One that no
    meeting shows yet is anyone's with the permission.
    """
    if user.is_superuser or record.pk is None:
        return True
    if getattr(record, "conference_id", None) and record.conference_id not in conference_ids(user):
        return False  # another conference's secretariat
    return not record.meetings().exclude(pk__in=their_meetings(user)).exists()


def covers(user, conferences) -> bool:
    """Whether a meeting of `conferences` would be `user`'s: one of them must be theirs."""
    return user.is_superuser or bool(conference_ids(user) & {conference.pk for conference in conferences})


def client_address(request) -> str | None:
    """The address failed sign-ins are counted by (django-axes): the reader's, not our proxy's.

    Behind a proxy in `TRUSTED_PROXIES` every request comes from the proxy; it
    appends the address it saw to X-Forwarded-For, so the right-most entry is
    the one part of that header a client cannot type. From anywhere else the
    header is the client's own word and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR")
    if remote in settings.TRUSTED_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return remote
