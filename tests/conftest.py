import io

import pytest
from django.core.cache import cache
from django.core.management import call_command

from agenda.models import Meeting

from .factories import secretariat_user


@pytest.fixture
def seed_meeting(db) -> Meeting:
    call_command("load_seed", stdout=io.StringIO())
    return Meeting.objects.get(slug="iii-reunion-plenaria-crm-csm")


@pytest.fixture
def secretariat_client(client, db):
    client.force_login(secretariat_user())
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached feed or document."""
    cache.clear()
    yield
    cache.clear()
