"""Who may do what: each role against each action, on its own conference's meetings and the others'.

Every action is posted directly, as a hand-made request would be, and judged
by what it changed in the database, not by what the page offered.
"""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agenda.models import AgendaItem, AgendaParticipant, LiveEvent, Meeting, Organisation, Person

from .admin_posts import item_post, management_form, meeting_post, split
from .factories import AgendaItemFactory, MeetingFactory, at, held_today, staff_user


def change_url(obj) -> str:
    return reverse(f"admin:agenda_{obj._meta.model_name}_change", args=[obj.pk])


def topic_of(meeting: Meeting) -> AgendaItem:
    return meeting.agenda_items.get(parent=None)


def edit_meeting(client: Client, meeting: Meeting):
    response = client.post(change_url(meeting), meeting_post(meeting, venue="Sala Chapultepec"))
    return response, Meeting.objects.get(pk=meeting.pk).venue == "Sala Chapultepec"


def edit_item(client: Client, meeting: Meeting):
    topic = topic_of(meeting)
    response = client.post(change_url(topic), item_post(topic, title_es="Diálogo entre países"))
    return response, AgendaItem.objects.get(pk=topic.pk).title_es == "Diálogo entre países"


def shift_agenda(client: Client, meeting: Meeting):
    topic = topic_of(meeting)
    response = client.post(reverse("admin:agenda_agendaitem_shift", args=[topic.pk]), {"minutes": "5"})
    return response, AgendaItem.objects.get(pk=topic.pk).starts_at != topic.starts_at


def add_item(client: Client, meeting: Meeting):
    day = meeting.local_starts_at.date().isoformat()
    response = client.post(
        reverse("admin:agenda_agendaitem_add"),
        {
            "meeting": str(meeting.pk),
            "position": "5",
            **split("starts_at", day, "09:30:00"),
            **split("ends_at", day, "09:45:00"),
            "title_es": "Punto añadido",
            **management_form("participants", 0, 0),
            **management_form("sub_items", 0, 0),
            **management_form("speakers_list", 0, 0),
            **management_form("conclusions", 0, 0),
            **management_form("commitments", 0, 0),
        },
    )
    return response, meeting.agenda_items.filter(title_es="Punto añadido").exists()


def cancel_meeting(client: Client, meeting: Meeting):
    response = client.post(
        reverse("admin:agenda_meeting_changelist"),
        {"action": "cancel", "_selected_action": [str(meeting.pk)]},
    )
    return response, Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CANCELLED


def restore_version(client: Client, meeting: Meeting):
    topic = topic_of(meeting)
    original = topic.history.earliest()
    topic.title_es = "Título que hay que deshacer"
    topic.save()
    url = reverse("admin:agenda_agendaitem_simple_history", args=[topic.pk, original.history_id])
    response = client.post(url, item_post(original.instance))
    return response, AgendaItem.objects.get(pk=topic.pk).title_es == original.title_es


def keep_time(client: Client, meeting: Meeting):
    held_today(meeting)
    response = client.post(
        reverse("agenda:timekeeper-action", args=[meeting.slug]), {"action": LiveEvent.Kind.START_MEETING}
    )
    return response, meeting.live_events.exists()


EDITS: dict[str, Callable] = {
    "edit the meeting": edit_meeting,
    "edit an agenda item": edit_item,
    "shift the agenda": shift_agenda,
    "add an agenda item": add_item,
    "cancel the meeting": cancel_meeting,
    "restore an earlier version": restore_version,
}
# role → (group, conferences)
ROLES = {
    "CRM secretariat": ("Secretaría", ("CRM",)),
    "CSM secretariat": ("Secretaría", ("CSM",)),
    "CRM timekeeper": ("Cronometraje", ("CRM",)),
    "observer staff": ("Observación", ("CRM", "CSM")),
}
MEETINGS = {"CRM meeting": ["CRM"], "CSM meeting": ["CSM"], "joint meeting": ["CRM", "CSM"]}


def may_edit(role: str, meeting: str) -> bool:
    group, conferences = ROLES[role]
    return group == "Secretaría" and bool(set(conferences) & set(MEETINGS[meeting]))


def may_keep_time(role: str, meeting: str) -> bool:
    group, conferences = ROLES[role]
    return group in ("Secretaría", "Cronometraje") and bool(set(conferences) & set(MEETINGS[meeting]))


def make_meeting(name: str) -> Meeting:
    meeting = MeetingFactory(conferences=MEETINGS[name], ends_at=at(60))
    AgendaItemFactory(meeting=meeting, title="Intercambio", starts_at=at(0), ends_at=at(30))
    return meeting


@pytest.mark.parametrize("meeting_name", MEETINGS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", [*EDITS, "keep time"])
def test_each_role_may_do_only_its_part_and_only_on_its_conferences_meetings(db, role, meeting_name, action):
    group, conferences = ROLES[role]
    client = Client()
    client.force_login(staff_user("usuario", group=group, conferences=conferences))
    meeting = make_meeting(meeting_name)
    allowed = may_keep_time(role, meeting_name) if action == "keep time" else may_edit(role, meeting_name)

    response, done = (keep_time if action == "keep time" else EDITS[action])(client, meeting)

    assert done == allowed, f"{role} / {action} / {meeting_name}: status {response.status_code}"
    assert response.status_code in ((302,) if allowed else (403, 302, 200))


def may_read(role: str, meeting: str) -> bool:
    return bool(set(ROLES[role][1]) & set(MEETINGS[meeting]))


@pytest.mark.parametrize("meeting_name", MEETINGS)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_its_conferences_meetings_in_the_admin_and_no_others(client, db, role, meeting_name):
    group, conferences = ROLES[role]
    client.force_login(staff_user("usuario", group=group, conferences=conferences))
    meeting = make_meeting(meeting_name)
    Meeting.objects.filter(pk=meeting.pk).update(
        title_es="Borrador reservado",
        status=Meeting.Status.DRAFT,
        video_call_url="https://zoom.us/j/99999999999?pwd=reservado",
    )
    item = topic_of(meeting)
    pages = [
        change_url(meeting),
        change_url(item),
        reverse("admin:agenda_meeting_history", args=[meeting.pk]),
        reverse("agenda:live-report", args=[meeting.slug]),
    ]
    lists = [
        reverse("admin:agenda_meeting_changelist"),
        reverse("admin:agenda_agendaitem_changelist"),
    ]
    readable = may_read(role, meeting_name)
    for page in pages:
        response = client.get(page)
        if readable:
            assert response.status_code == 200, page
        else:
            assert response.status_code in (302, 403, 404), page
            assert "reservado" not in response.content.decode(), page
    for page in lists:
        assert ("Borrador reservado" in client.get(page).content.decode()) == readable, page


def test_a_secretary_cannot_move_a_meeting_out_of_their_own_conference(client, db):
    client.force_login(staff_user("se_crm", conferences=("CRM",)))
    meeting = make_meeting("joint meeting")
    csm = meeting.conferences.get(acronym="CSM")
    response = client.post(change_url(meeting), meeting_post(meeting, conferences=[str(csm.pk)]))
    assert response.status_code == 200
    assert "Incluya su propia conferencia" in response.content.decode()
    assert meeting.conferences.count() == 2


def test_the_timekeeper_console_opens_only_for_the_timekeepers_meetings(client, db):
    client.force_login(staff_user("crono", group="Cronometraje", conferences=("CRM",)))
    mine, theirs = make_meeting("CRM meeting"), make_meeting("CSM meeting")
    assert client.get(reverse("agenda:timekeeper", args=[mine.slug])).status_code == 200
    assert client.get(reverse("agenda:timekeeper", args=[theirs.slug])).status_code == 403


def test_signed_out_visitors_reach_no_admin_page_and_no_clock(client, db):
    meeting = make_meeting("CRM meeting")
    response, done = edit_meeting(client, meeting)
    assert response.status_code == 302 and "/admin/login/" in response["Location"] and not done
    response, done = keep_time(client, meeting)
    assert response.status_code in (302, 403) and not done
    assert not LiveEvent.objects.filter(at__lte=timezone.now()).exists()


def test_the_local_login_that_make_run_creates_may_edit_the_seed_meeting(seed_meeting):
    import io

    from django.contrib.auth.models import User
    from django.core.management import call_command

    from agenda import access

    call_command("ensure_secretariat_user", stdout=io.StringIO())
    user = User.objects.get(username="secretaria")
    assert access.may_edit(user, seed_meeting) and access.may_keep_time(user, seed_meeting)


@pytest.mark.parametrize(
    "shown_on, may_change",
    [
        (["CRM meeting"], False),
        (["joint meeting"], True),
        (["CSM meeting"], True),
        (["CSM meeting", "CRM meeting"], False),
        ([], True),
    ],
)
def test_a_secretary_renames_a_person_only_where_every_page_showing_them_is_theirs(
    client, db, shown_on, may_change
):
    client.force_login(staff_user("st_csm", conferences=("CSM",)))
    person = Person.objects.create(name="Ana Pérez")
    for meeting_name in shown_on:
        AgendaParticipant.objects.create(
            item=topic_of(make_meeting(meeting_name)), role="presenter", person=person
        )
    url = reverse("admin:agenda_person_change", args=[person.pk])
    response = client.post(url, {"name": "Ana Pérez Renombrada", "position": "", "email": ""})
    assert (Person.objects.get(pk=person.pk).name == "Ana Pérez Renombrada") == may_change, (
        response.status_code
    )
    if may_change:
        # And the rename is kept, with who made it.
        assert Person.history.filter(
            id=person.pk, name="Ana Pérez Renombrada", history_user__username="st_csm"
        ).exists()


def test_a_secretary_changes_an_organisation_only_where_every_meeting_showing_it_is_theirs(client, db):
    client.force_login(staff_user("st_csm", conferences=("CSM",)))
    crm_only = make_meeting("CRM meeting")
    organiser = Organisation.objects.create(
        name="Ministerio de Relaciones Exteriores de México", kind="other"
    )
    crm_only.organisers.add(organiser)
    url = reverse("admin:agenda_organisation_change", args=[organiser.pk])
    data = {"name": "Otro nombre", "short_name": "", "kind": "other", "email": "", "website": ""}
    client.post(url, data)
    assert Organisation.objects.get(pk=organiser.pk).name == "Ministerio de Relaciones Exteriores de México"
    crm_only.organisers.clear()
    client.post(url, data)
    assert Organisation.objects.get(pk=organiser.pk).name == "Otro nombre"
