"""Who changed what, restoring an earlier version, and the public "Changes to the agenda"."""

import icalendar
import pytest
from django.urls import reverse

from agenda.models import AgendaItem, AgendaParticipant, Meeting, Organisation

from .admin_posts import item_post, meeting_post
from .factories import MeetingFactory, secretariat_user
from .test_ical import feed_urls

SHIFTED = "«TEMA 2. Agenda Regional Migratoria CRM-CSM - Chile» pasó de las 10:00 a las 10:05 GMT-6."


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Pages are cached until a change commits: run what waits for the commit as each edit ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def tema_2() -> AgendaItem:
    return AgendaItem.objects.get(title__startswith="TEMA 2")


def change_url(obj) -> str:
    return reverse(f"admin:agenda_{obj._meta.model_name}_change", args=[obj.pk])


def page_changes(client, meeting: Meeting) -> str:
    page = client.get(meeting.get_absolute_url()).content.decode()
    if 'id="changes"' not in page:
        return ""
    return page.split('id="changes"', 1)[1].split("</section>", 1)[0]


def feed_description(client, slug: str) -> str:
    calendar = icalendar.Calendar.from_ical(client.get(feed_urls(slug)["meeting"]).content)
    return str(next(iter(calendar.walk("VEVENT")))["DESCRIPTION"])


def test_each_change_is_kept_with_who_when_and_before_and_after(client, seed_meeting, commit):
    client.force_login(secretariat_user("ana"))
    item = tema_2()
    with commit():
        client.post(change_url(item), item_post(item, start="10:05:00", end="10:45:00"))

    latest = item.history.latest()
    assert (latest.history_user.username, latest.history_type) == ("ana", "~")
    delta = latest.diff_against(latest.prev_record)
    assert {change.field for change in delta.changes} >= {"starts_at"}
    history_page = client.get(reverse("admin:agenda_agendaitem_history", args=[item.pk]))
    assert history_page.status_code == 200
    assert "ana" in history_page.content.decode()


def test_the_seed_page_and_its_feed_show_a_shift_in_plain_words(client, seed_meeting, commit):
    assert page_changes(client, seed_meeting) == ""
    client.force_login(secretariat_user())
    shift = reverse("admin:agenda_agendaitem_shift", args=[tema_2().pk])
    with commit():
        response = client.post(shift, {"minutes": "5"})
    assert response.status_code == 302
    client.logout()

    changes = page_changes(client, seed_meeting)
    assert "Cambios en la agenda" in changes
    assert SHIFTED in changes
    description = feed_description(client, seed_meeting.slug)
    assert "Cambios en la agenda:" in description
    assert SHIFTED in description
    title_en = tema_2().title_en
    english = client.get(seed_meeting.get_absolute_url() + "?lang=en").content.decode()
    assert f"“{title_en}” moved from 10:00 to 10:05 GMT-6." in english


def test_a_change_marked_minor_stays_out_of_the_changelog(client, seed_meeting, commit):
    client.force_login(secretariat_user())
    item = tema_2()
    typo = item_post(item, title_es="TEMA 2. Agenda Regional Migratoria CRM-CSM – Chile", minor_change="on")
    with commit():
        response = client.post(change_url(item), typo)
    assert response.status_code == 302
    assert page_changes(client, seed_meeting) == ""

    item = tema_2()
    renamed = item_post(item, title_es="TEMA 2. Agenda Regional Migratoria 2022-2023")
    with commit():
        response = client.post(change_url(item), renamed)
    assert response.status_code == 302
    assert "ahora es «TEMA 2. Agenda Regional Migratoria 2022-2023»" in page_changes(client, seed_meeting)


def test_a_new_moderator_and_a_new_join_link_are_announced_without_the_link(client, seed_meeting, commit):
    client.force_login(secretariat_user())
    item = tema_2()
    post = item_post(item)
    total = int(post["participants-TOTAL_FORMS"])
    iom = Organisation.objects.create(
        name="Organización Internacional para las Migraciones",
        short_name="OIM",
        kind=Organisation.Kind.OBSERVER,
    )
    post.update(
        {
            "participants-TOTAL_FORMS": str(total + 1),
            f"participants-{total}-item": str(item.pk),
            f"participants-{total}-role": AgendaParticipant.Role.MODERATOR,
            f"participants-{total}-organisation": str(iom.pk),
            f"participants-{total}-position": "9",
        }
    )
    with commit():
        response = client.post(change_url(item), post)
    assert response.status_code == 302
    meeting = Meeting.objects.get(pk=seed_meeting.pk)
    new_link = "https://zoom.us/j/99999999999"
    with commit():
        response = client.post(change_url(meeting), meeting_post(meeting, video_call_url=new_link))
    assert response.status_code == 302

    changes = page_changes(client, seed_meeting)
    assert "OIM moderará «TEMA 2. Agenda Regional Migratoria CRM-CSM - Chile»." in changes
    assert "Cambió el enlace para unirse a la reunión." in changes
    assert new_link not in feed_description(client, seed_meeting.slug)


def test_changes_made_while_a_meeting_is_a_draft_are_not_announced(client, db, commit):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, title_es="Reunión técnica")
    meeting.title_es = "Reunión técnica preparatoria"
    meeting.save()
    meeting.status = Meeting.Status.PUBLISHED
    meeting.save()
    assert page_changes(client, meeting) == ""
    meeting.title_es = "Reunión técnica preparatoria (virtual)"
    with commit():
        meeting.save()
    assert "La reunión ahora se llama «Reunión técnica preparatoria (virtual)»" in page_changes(
        client, meeting
    )


def test_an_earlier_version_can_be_restored_and_calendars_see_a_new_revision(client, seed_meeting, commit):
    client.force_login(secretariat_user())
    item = tema_2()
    original = item.history.latest()
    with commit():
        response = client.post(change_url(item), item_post(item, title_es="TEMA 2. Título equivocado"))
    assert response.status_code == 302
    changed = tema_2()

    restore_url = reverse("admin:agenda_agendaitem_simple_history", args=[item.pk, original.history_id])
    form = client.get(restore_url)
    assert form.status_code == 200
    with commit():
        response = client.post(restore_url, item_post(original.instance))
    assert response.status_code == 302

    restored = tema_2()
    assert restored.title_es == original.title_es
    assert restored.sequence > changed.sequence > original.sequence
    assert restored.version > changed.version


def test_a_participant_role_change_is_kept_and_shown_in_the_admin(client, seed_meeting, commit):
    client.force_login(secretariat_user("ana"))
    participant = AgendaParticipant.objects.filter(role=AgendaParticipant.Role.MODERATOR).first()
    url = reverse("admin:agenda_agendaparticipant_change", args=[participant.pk])
    post = {
        "item": str(participant.item_id),
        "role": AgendaParticipant.Role.SPEAKER,
        "person": "",
        "organisation": str(participant.organisation_id or ""),
        "presidency_of": str(participant.presidency_of_id or ""),
        "position": str(participant.position),
    }
    with commit():
        response = client.post(url, post)
    assert response.status_code == 302
    latest = participant.history.latest()
    assert (latest.role, latest.history_user.username) == (AgendaParticipant.Role.SPEAKER, "ana")
    assert latest.prev_record.role == AgendaParticipant.Role.MODERATOR
    history_page = client.get(reverse("admin:agenda_agendaparticipant_history", args=[participant.pk]))
    assert history_page.status_code == 200 and "ana" in history_page.content.decode()
    assert "ya no moderará" in page_changes(client, seed_meeting)


def test_one_save_is_one_changelog_entry_stamped_with_its_zone(client, seed_meeting, commit):
    client.force_login(secretariat_user())
    with commit():
        # Shifting TEMA 2 moves it, its sub-items and Cierre: one save, four rows.
        client.post(reverse("admin:agenda_agendaitem_shift", args=[tema_2().pk]), {"minutes": "5"})
    seed_meeting.refresh_from_db()
    with commit():
        saved = client.post(change_url(seed_meeting), meeting_post(seed_meeting, venue="Sala A"))
    assert saved.status_code == 302
    client.logout()

    changes = page_changes(client, seed_meeting)
    entries = changes.split('<li class="agenda-change">')[1:]
    assert len(entries) == 2, changes
    # Newest first; each stamped in the meeting's zone, its changes listed under it.
    assert "(GMT-6)</time>" in entries[0] and "Sala A" in entries[0]
    assert "(GMT-6)</time>" in entries[1] and SHIFTED in entries[1]
    assert entries[1].count("<li>") >= 2
