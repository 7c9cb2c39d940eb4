"""Small factories: each test builds only the rows it talks about."""

from datetime import UTC, date, datetime, timedelta

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from agenda.cache import bump_content_version
from agenda.models import (
    AgendaItem,
    AgendaParticipant,
    Conference,
    Country,
    Meeting,
    Organisation,
    Presidency,
    StaffProfile,
)
from agenda.scheduling import move_to_date

# 09:00 GMT-6 (America/Costa_Rica) on a Tuesday far enough ahead to stay "upcoming".
# Always five years ahead, so the factories' meetings stay upcoming whenever the suite runs.
MEETING_YEAR = date.today().year + 5
MEETING_START = datetime(MEETING_YEAR, 6, 10, 15, 0, tzinfo=UTC)


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = "SV"
    name = "El Salvador"


CONFERENCE_NAMES = {
    "CRM": "Conferencia Regional sobre Migración",
    "CSM": "Conferencia Suramericana sobre Migraciones",
}


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference
        django_get_or_create = ["acronym"]

    acronym = "CRM"
    name = "Conferencia Regional sobre Migración"


class PresidencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Presidency

    conference = factory.SubFactory(ConferenceFactory)
    country = factory.SubFactory(CountryFactory)
    starts_on = date(MEETING_YEAR, 1, 1)
    ends_on = date(MEETING_YEAR, 12, 31)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organización {n}")
    short_name = factory.Sequence(lambda n: f"ORG{n}")
    kind = Organisation.Kind.OBSERVER


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Reunión {n}")
    slug = factory.Sequence(lambda n: f"reunion-{n}")
    starts_at = MEETING_START
    ends_at = factory.LazyAttribute(lambda meeting: meeting.starts_at + timedelta(hours=2))
    time_zone = "America/Costa_Rica"
    modality = Meeting.Modality.VIRTUAL
    video_call_platform = "Zoom"
    status = Meeting.Status.PUBLISHED

    @factory.post_generation
    def conferences(meeting, create, acronyms, **kwargs):
        """A CRM meeting unless told otherwise: `MeetingFactory(conferences=["CSM"])`."""
        for acronym in acronyms if acronyms is not None else ["CRM"]:
            meeting.conferences.add(ConferenceFactory(acronym=acronym, name=CONFERENCE_NAMES[acronym]))


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Punto {n}")
    starts_at = factory.LazyAttribute(lambda item: item.meeting.starts_at)
    ends_at = factory.LazyAttribute(
        lambda item: item.starts_at + timedelta(minutes=15) if item.starts_at else None
    )


class AgendaParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaParticipant

    item = factory.SubFactory(AgendaItemFactory)
    role = AgendaParticipant.Role.PRESENTER
    organisation = factory.SubFactory(OrganisationFactory)


def at(minutes: int, start: datetime = MEETING_START) -> datetime:
    """Return the moment `minutes` after the factories' meeting start (09:00 GMT-6)."""
    return start + timedelta(minutes=minutes)


def meeting_with_topics(count: int, minutes: int = 15, **fields) -> Meeting:
    """Return a published meeting whose `count` topics follow each other from its start."""
    meeting = MeetingFactory(ends_at=at(count * minutes), **fields)
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            title=f"Tema {n + 1}",
            position=n,
            starts_at=at(n * minutes),
            ends_at=at((n + 1) * minutes),
        )
        for n in range(count)
    )
    return meeting


def staff_user(
    username: str = "secretaria",
    *,
    group: str = "Secretaría",
    conferences: tuple[str, ...] = ("CRM", "CSM"),
    password: str = "x-Pl3nary-test",
) -> User:
    """A member of staff in `group`, working on the meetings of `conferences`."""
    user = User.objects.create_user(username=username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    profile = StaffProfile.objects.create(user=user)
    profile.conferences.set(
        ConferenceFactory(acronym=acronym, name=CONFERENCE_NAMES[acronym]) for acronym in conferences
    )
    return user


def secretariat_user(username: str = "secretaria", password: str = "x-Pl3nary-test") -> User:
    """A secretariat member of both conferences, who may edit every meeting here."""
    return staff_user(username, password=password)


def held_today(meeting: Meeting) -> Meeting:
    """Move `meeting` and its agenda to today, at the same wall-clock times: its clock starts only then."""
    return held_in(meeting, days=0)


def held_in(meeting: Meeting, *, days: int) -> Meeting:
    """Move `meeting` and its agenda to `days` from today (in its zone), at the same wall-clock times."""
    days += (timezone.now().astimezone(meeting.zone).date() - meeting.local_date).days
    for item in meeting.agenda_items.all():
        AgendaItem.objects.filter(pk=item.pk).update(
            starts_at=move_to_date(item.starts_at, days, meeting),
            ends_at=move_to_date(item.ends_at, days, meeting),
        )
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=move_to_date(meeting.starts_at, days, meeting),
        ends_at=move_to_date(meeting.ends_at, days, meeting),
    )
    bump_content_version()
    meeting.refresh_from_db()
    return meeting
