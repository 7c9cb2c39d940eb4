import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from agenda.models import AgendaItem, Meeting, SpeakersList

from .factories import secretariat_user


@pytest.fixture
def seed_meeting(db) -> Meeting:
    call_command("load_seed", stdout=io.StringIO())
    return Meeting.objects.get(slug="iii-reunion-plenaria-crm-csm")


@pytest.fixture
def tema_1(seed_meeting) -> AgendaItem:
    """The seed's TEMA 1, with a speakers' list of 3 minutes per intervention.

    Its first moderated segment, "Comentarios países CRM-CSM", sits under it."""
    item = AgendaItem.objects.get(title__startswith="TEMA 1")
    SpeakersList.objects.create(item=item, minutes_per_intervention=3)
    return item


@pytest.fixture
def secretariat_client(client, db):
    client.force_login(secretariat_user())
    return client


@pytest.fixture(autouse=True, scope="session")
def mail_worker_in_memory():
    """The worker's queue in this process's memory: tests drive `notifications` with their own clock."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield


@pytest.fixture(autouse=True)
def spanish_outside_requests():
    """Code run outside a request speaks the default language, as a management command does.

    A request in English leaves English active in its thread; the next test must not inherit it.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached feed or document."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test passwords cheaply: the real hasher's slowness guards stored passwords, not tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
