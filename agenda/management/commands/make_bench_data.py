"""Build a scaled data set for `make bench`: many meetings, and one with a very long agenda."""

from datetime import UTC, datetime, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction

from agenda.models import AgendaItem, AgendaParticipant, Conference, Meeting, Organisation

SLOT_MINUTES = 5


class Command(BaseCommand):
    help = "Add N published meetings of M topics (each with a sub-item and participants) and one of K topics."

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, default=100)
        parser.add_argument("--topics", type=int, default=40)
        parser.add_argument("--big", type=int, default=1000, help="topics of the one long meeting")

    @transaction.atomic
    def handle(self, *args, meetings, topics, big, **options):
        conferences = list(Conference.objects.all())
        organisation = Organisation.objects.order_by("pk").first()
        start = datetime(2030, 1, 7, 15, 0, tzinfo=UTC)
        for number in range(meetings):
            self.make_meeting(
                f"bench-{number:03d}", start + timedelta(days=7 * number), topics, conferences, organisation
            )
        self.make_meeting("bench-long", start - timedelta(days=30), big, conferences, organisation)
        self.stdout.write(f"{meetings} meetings of {topics} topics, and bench-long with {big}.")

    def make_meeting(self, slug, start, topics, conferences, organisation):
        meeting = Meeting.objects.create(
            title=f"Reunión de prueba {slug}",
            slug=slug,
            starts_at=start,
            ends_at=start + timedelta(minutes=SLOT_MINUTES * topics),
            time_zone="America/Costa_Rica",
            video_call_platform="Zoom",
            status=Meeting.Status.PUBLISHED,
        )
        meeting.conferences.set(conferences)
        items = AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                title=f"Tema {n + 1}: intercambio entre países sobre migración",
                title_es=f"Tema {n + 1}: intercambio entre países sobre migración",
                position=n,
                starts_at=start + timedelta(minutes=SLOT_MINUTES * n),
                ends_at=start + timedelta(minutes=SLOT_MINUTES * (n + 1)),
            )
            for n in range(topics)
        )
        children = AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, parent=item, title="Comentarios", title_es="Comentarios")
            for item in items
        )
        AgendaParticipant.objects.bulk_create(
            [AgendaParticipant(item=item, organisation=organisation, role="moderator") for item in items]
            + [AgendaParticipant(item=child, organisation=organisation, role="speaker") for child in children]
        )
