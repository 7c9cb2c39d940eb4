"""Make sure a local secretariat login exists, for trying the admin on a laptop."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from agenda.access import SECRETARIAT_GROUP
from agenda.models import Conference, StaffProfile


class Command(BaseCommand):
    help = "Create the local user 'secretaria' in the Secretaría group, printing its password once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="secretaria")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Secretariat login: {username} (exists; set a new password with "
                f"`.venv/bin/python manage.py changepassword {username}`)."
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
        # The local login works for both secretariats, on every meeting here.
        StaffProfile.objects.create(user=user).conferences.set(Conference.objects.all())
        self.stdout.write(self.style.SUCCESS(f"Secretariat login created: {username} / {password}"))
        self.stdout.write("This password is shown only now. It is for this machine only.")
