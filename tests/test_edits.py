"""No lost edits: two secretaries on the same meeting, and changes that are all or nothing."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from agenda import live, scheduling
from agenda.live import events
from agenda.models import AgendaItem, LiveEvent, Meeting

from .admin_posts import item_post, meeting_post
from .factories import secretariat_user
from .test_validation import snapshot


def two_secretaries() -> tuple[Client, Client]:
    crm, csm = Client(), Client()
    crm.force_login(secretariat_user("se_crm"))
    csm.force_login(secretariat_user("st_csm"))
    return crm, csm


def change_url(obj) -> str:
    return reverse(f"admin:agenda_{obj._meta.model_name}_change", args=[obj.pk])


def posted_version(html: str, prefix: str = "") -> str:
    return re.search(rf'name="{prefix}edit_version" value="(\d+)"', html).group(1)


def test_the_second_save_of_a_meeting_is_refused_with_what_changed_and_can_be_reapplied(seed_meeting):
    crm, csm = two_secretaries()
    # Both open the meeting's page; the form each holds carries the version it was opened at.
    opened = Meeting.objects.get(pk=seed_meeting.pk)
    assert posted_version(crm.get(change_url(opened)).content.decode()) == str(opened.version)
    first = meeting_post(opened, title_es="III Reunión Plenaria CRM-CSM (virtual)")
    second = meeting_post(opened, venue="Sede de la SE, San José")

    assert crm.post(change_url(opened), first).status_code == 302
    before_refusal = snapshot()
    refused = csm.post(change_url(opened), second)

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "fue modificado por se_crm" in page
    assert "Nada de lo suyo se guardó" in page
    assert f"Título [es]: “{opened.title_es}” → “III Reunión Plenaria CRM-CSM (virtual)”" in page
    assert snapshot() == before_refusal
    # The refused form keeps what the second secretary typed, now on top of the current version.
    assert 'value="Sede de la SE, San José"' in page
    current = Meeting.objects.get(pk=seed_meeting.pk)
    assert posted_version(page) == str(current.version)

    second["edit_version"] = posted_version(page)
    second["title_es"] = current.title_es
    assert csm.post(change_url(opened), second).status_code == 302
    saved = Meeting.objects.get(pk=seed_meeting.pk)
    assert (saved.title_es, saved.venue) == (
        "III Reunión Plenaria CRM-CSM (virtual)",
        "Sede de la SE, San José",
    )


def test_an_agenda_row_changed_meanwhile_refuses_the_whole_meeting_save(seed_meeting):
    crm, csm = two_secretaries()
    tema_2 = AgendaItem.objects.get(title__startswith="TEMA 2")
    stale_rows = meeting_post(seed_meeting)
    assert (
        crm.post(change_url(tema_2), item_post(tema_2, start="10:05:00", end="10:45:00")).status_code == 302
    )

    before = snapshot()
    rows = [k for k, v in stale_rows.items() if k.endswith("-title_es") and v.startswith("TEMA 2")]
    stale_rows[rows[0]] = "TEMA 2. Agenda Regional Migratoria (nuevo título)"
    refused = csm.post(change_url(seed_meeting), stale_rows)

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "fue modificado por se_crm" in page
    assert "“10:00 GMT-6” → “10:05 GMT-6”" in page
    assert snapshot() == before


def test_a_direct_save_of_the_same_version_twice_keeps_the_first(seed_meeting):
    crm, csm = two_secretaries()
    closing = AgendaItem.objects.get(title__startswith="Cierre")
    post = item_post(closing)
    assert crm.post(change_url(closing), {**post, "title_es": "Cierre. Primera versión"}).status_code == 302
    assert csm.post(change_url(closing), {**post, "title_es": "Cierre. Segunda versión"}).status_code == 200
    assert AgendaItem.objects.get(pk=closing.pk).title_es == "Cierre. Primera versión"


@pytest.mark.django_db(transaction=True)
def test_a_shift_that_fails_half_way_moves_nothing(seed_meeting, monkeypatch):
    before = snapshot()
    tema_1 = AgendaItem.objects.get(title__startswith="TEMA 1")

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away while saving the meeting's new end")

    # The items are written first, the meeting's end last: fail on the last step.
    monkeypatch.setattr(Meeting, "save", fail)
    with pytest.raises(RuntimeError):
        scheduling.shift_items(tema_1, 10)
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_a_live_action_that_fails_half_way_records_nothing(seed_meeting, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("failed after the event was written")

    monkeypatch.setattr(events, "apply", fail)
    with pytest.raises(RuntimeError):
        live.start_meeting(seed_meeting, by=None, at=seed_meeting.starts_at)
    assert not LiveEvent.objects.exists()


def test_a_save_that_does_not_say_which_version_it_opened_is_refused(seed_meeting):
    first, second = two_secretaries()
    url = change_url(seed_meeting)
    assert first.post(url, meeting_post(seed_meeting, venue="Sala A")).status_code == 302
    seed_meeting.refresh_from_db()
    stale = meeting_post(seed_meeting, title_es="Título sobrescrito")
    del stale["edit_version"]
    response = second.post(url, stale)
    assert response.status_code == 200
    assert "no indica qué versión abrió" in response.content.decode()
    seed_meeting.refresh_from_db()
    assert (seed_meeting.venue, seed_meeting.title_es.startswith("III Reunión")) == ("Sala A", True)
