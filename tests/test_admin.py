"""The secretariat's admin: permissions, times in the meeting's zone, and its actions."""

import html
import re
from datetime import UTC, datetime

from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from agenda.models import AgendaItem, Meeting, Organisation, SpeakersList

from .admin_posts import management_form, meeting_post
from .factories import ConferenceFactory, meeting_with_topics
from .test_validation import snapshot

SECRETARIAT_PERMISSIONS = sorted(
    [
        f"{action}_{model}"
        for model in ["meeting", "agendaitem", "agendaparticipant", "person", "organisation"]
        for action in ["add", "change", "delete", "view"]
    ]
    + [
        f"{action}_{model}"
        for model in [
            "registration",
            "meetingdocument",
            "interpretationchannel",
            "speakerslist",
            "conclusions",
            "commitment",
            "commitmentnote",
        ]
        for action in ["add", "change", "delete", "view"]
    ]
    + ["view_conference", "view_country", "view_presidency", "keep_time"]
    + ["view_notification", "change_notification"]
    + ["view_silenceprocedure", "change_silenceprocedure", "view_silenceanswer"]
    + ["view_commitmentreport", "change_commitmentreport"]
)


def seed_item(title_start: str) -> AgendaItem:
    return AgendaItem.objects.get(title__startswith=title_start)


def local_times(title_start: str) -> tuple[str, str]:
    item = seed_item(title_start)
    return item.local_starts_at.strftime("%H:%M"), item.local_ends_at.strftime("%H:%M")


def test_secretariat_group_has_exactly_the_agenda_permissions(db):
    group = Group.objects.get(name="Secretaría")
    assert sorted(group.permissions.values_list("codename", flat=True)) == SECRETARIAT_PERMISSIONS


def test_staff_outside_the_group_cannot_change_anything(client, seed_meeting):
    client.force_login(User.objects.create_user("intruso", password="x-Pl3nary-test", is_staff=True))
    before = snapshot()
    tema_2 = seed_item("TEMA 2")
    change_url = reverse("admin:agenda_meeting_change", args=[seed_meeting.pk])
    assert client.get(change_url).status_code == 403
    assert client.post(change_url, meeting_post(seed_meeting, title_es="Cambiado")).status_code == 403
    shift_url = reverse("admin:agenda_agendaitem_shift", args=[tema_2.pk])
    assert client.post(shift_url, {"minutes": "5"}).status_code == 403
    assert (
        client.post(
            reverse("admin:agenda_meeting_duplicate", args=[seed_meeting.pk]), {"on": "2023-05-30"}
        ).status_code
        == 403
    )
    changelist = client.post(
        reverse("admin:agenda_meeting_changelist"),
        {"action": "unpublish", "_selected_action": [str(seed_meeting.pk)]},
    )
    assert changelist.status_code == 403
    assert snapshot() == before


def test_anonymous_visitor_is_sent_to_the_login_page(client, seed_meeting):
    response = client.get(reverse("admin:agenda_meeting_change", args=[seed_meeting.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_meeting_form_shows_times_in_the_meetings_zone_with_its_offset(secretariat_client, seed_meeting):
    page = secretariat_client.get(
        reverse("admin:agenda_meeting_change", args=[seed_meeting.pk])
    ).content.decode()
    # To the minute, as the concept notes write times.
    assert 'name="starts_at_1" value="09:00"' in page
    assert 'name="ends_at_1" value="11:00"' in page
    assert "Inicio (GMT-6)" in page
    # TEMA 2's row in the inline: 10:00–10:45 GMT-6, stored as 16:00–16:45 UTC.
    assert 'value="10:00"' in page and 'value="10:45"' in page
    assert "Desplazar este punto y los siguientes…" in page


def test_times_typed_in_the_admin_are_read_in_the_meetings_zone(secretariat_client, db):
    meeting = meeting_with_topics(2, time_zone="America/Santiago")
    meeting.conferences.add(ConferenceFactory())
    data = meeting_post(meeting, start="10:00", end="12:00")
    data.update({"agenda_items-0-starts_at_1": "10:00", "agenda_items-0-ends_at_1": "10:15"})
    data.update({"agenda_items-1-starts_at_1": "10:15", "agenda_items-1-ends_at_1": "10:30"})
    response = secretariat_client.post(reverse("admin:agenda_meeting_change", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    # Santiago was UTC-4 in June 2031 (no DST in the southern winter).
    assert meeting.starts_at == datetime(2031, 6, 10, 14, 0, tzinfo=UTC)


def test_shifting_tema_2_moves_it_and_everything_after_it(secretariat_client, seed_meeting):
    url = reverse("admin:agenda_agendaitem_shift", args=[seed_item("TEMA 2").pk])
    form = secretariat_client.get(url)
    assert "Ahora 10:00–10:45 GMT-6" in form.content.decode()
    response = secretariat_client.post(url, {"minutes": "5"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:agenda_meeting_change", args=[seed_meeting.pk])
    assert "Se movieron 2 puntos +5 minutos, desde «TEMA 2." in response.content.decode()
    assert local_times("Apertura") == ("09:00", "09:15")
    assert local_times("TEMA 1") == ("09:15", "10:00")
    assert local_times("TEMA 2") == ("10:05", "10:50")
    assert local_times("Cierre") == ("10:50", "11:05")
    seed_meeting.refresh_from_db()
    assert seed_meeting.local_ends_at.strftime("%H:%M") == "11:05"
    public = secretariat_client.get(seed_meeting.get_absolute_url()).content.decode()
    assert "10:05</time> – <time" in public


def test_shift_action_on_the_item_list_opens_the_shift_form(secretariat_client, seed_meeting):
    tema_2 = seed_item("TEMA 2")
    response = secretariat_client.post(
        reverse("admin:agenda_agendaitem_changelist"),
        {"action": "shift", "_selected_action": [str(tema_2.pk)]},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:agenda_agendaitem_shift", args=[tema_2.pk])


def test_shift_that_would_overlap_is_refused_and_nothing_moves(secretariat_client, seed_meeting):
    before = snapshot()
    url = reverse("admin:agenda_agendaitem_shift", args=[seed_item("Cierre").pk])
    response = secretariat_client.post(url, {"minutes": "-10"})
    assert response.status_code == 200
    assert (
        "«Cierre y Conclusiones» (10:35–10:50 GMT-6) se superpone con «TEMA 2." in response.content.decode()
    )
    assert snapshot() == before


def test_shift_by_a_non_number_is_refused(secretariat_client, seed_meeting):
    before = snapshot()
    url = reverse("admin:agenda_agendaitem_shift", args=[seed_item("TEMA 2").pk])
    response = secretariat_client.post(url, {"minutes": "cinco"})
    assert "Introduzca un número entero." in response.content.decode()
    assert snapshot() == before


def test_duration_sets_the_end_of_an_item(secretariat_client, db):
    meeting = meeting_with_topics(2)
    meeting.conferences.add(ConferenceFactory())
    data = meeting_post(meeting)
    data["agenda_items-1-duration_minutes"] = "10"
    response = secretariat_client.post(reverse("admin:agenda_meeting_change", args=[meeting.pk]), data)
    assert response.status_code == 302
    second = meeting.agenda_items.get(title="Tema 2")
    assert second.duration_minutes == 10
    assert second.local_ends_at.strftime("%H:%M") == "09:25"


def test_duplicate_makes_a_draft_for_the_next_meeting_with_the_whole_agenda(secretariat_client, seed_meeting):
    SpeakersList.objects.create(
        item=seed_meeting.agenda_items.get(title__startswith="TEMA 1"),
        minutes_per_intervention=4,
        open_to_civil_society=False,
    )
    url = reverse("admin:agenda_meeting_duplicate", args=[seed_meeting.pk])
    response = secretariat_client.post(url, {"on": "2023-05-30", "title": "IV Reunión Plenaria CRM–CSM"})
    copy = Meeting.objects.get(title="IV Reunión Plenaria CRM–CSM")
    assert response["Location"] == reverse("admin:agenda_meeting_change", args=[copy.pk])
    assert copy.status == Meeting.Status.DRAFT
    assert copy.series_number == 4
    assert copy.uuid != seed_meeting.uuid
    assert (copy.starts_at, copy.ends_at) == (
        datetime(2023, 5, 30, 15, 0, tzinfo=UTC),
        datetime(2023, 5, 30, 17, 0, tzinfo=UTC),
    )
    original = [
        (i.title, i.parent.title if i.parent else None, i.participants.count())
        for i in seed_meeting.agenda_items.all()
    ]
    copied = [
        (i.title, i.parent.title if i.parent else None, i.participants.count())
        for i in copy.agenda_items.all()
    ]
    assert copied == original
    assert sorted(copy.conferences.values_list("acronym", flat=True)) == ["CRM", "CSM"]
    copied_list = SpeakersList.objects.get(item__meeting=copy)
    assert (
        copied_list.item.title[:6],
        copied_list.minutes_per_intervention,
        copied_list.open_to_civil_society,
    ) == (
        "TEMA 1",
        4,
        False,
    )
    assert seed_meeting.agenda_items.count() == 12, "the original is untouched"
    assert SpeakersList.objects.filter(item__meeting=seed_meeting).count() == 1


def test_unpublish_and_publish_actions(secretariat_client, seed_meeting):
    changelist = reverse("admin:agenda_meeting_changelist")
    secretariat_client.post(changelist, {"action": "unpublish", "_selected_action": [str(seed_meeting.pk)]})
    assert Meeting.objects.get(pk=seed_meeting.pk).status == Meeting.Status.DRAFT
    secretariat_client.logout()
    assert secretariat_client.get(seed_meeting.get_absolute_url()).status_code == 404
    secretariat_client.force_login(User.objects.get(username="secretaria"))
    secretariat_client.post(changelist, {"action": "publish", "_selected_action": [str(seed_meeting.pk)]})
    assert Meeting.objects.get(pk=seed_meeting.pk).status == Meeting.Status.PUBLISHED


def test_view_on_site_leads_to_the_public_page(secretariat_client, seed_meeting):
    page = secretariat_client.get(
        reverse("admin:agenda_meeting_change", args=[seed_meeting.pk])
    ).content.decode()
    assert "Ver en el sitio" in page
    content_type = ContentType.objects.get_for_model(Meeting)
    response = secretariat_client.get(reverse("admin:view_on_site", args=[content_type.pk, seed_meeting.pk]))
    assert response["Location"].endswith(seed_meeting.get_absolute_url())


def test_every_admin_list_opens_for_the_secretariat(secretariat_client, seed_meeting):
    expected = {
        "meeting": "III Reunión Plenaria",
        "agendaitem": "TEMA 2. Agenda Regional Migratoria",
        "agendaparticipant": "Oficinas Regionales OIM",
        "organisation": "Secretaría Técnica de la Conferencia Suramericana",
        "person": "0 personas",
        "conference": "Conferencia Suramericana sobre Migraciones",
        "country": "Surinam",
        "presidency": "El Salvador",
    }
    for model, text in expected.items():
        response = secretariat_client.get(reverse(f"admin:agenda_{model}_changelist"))
        assert response.status_code == 200, model
        assert text in response.content.decode(), model


def test_no_admin_list_answers_500_to_its_own_filters_or_to_values_its_columns_cant_hold(
    client, seed_meeting, django_user_model
):
    # Run on SQLite and, in CI's second pass, on PostgreSQL, whose adapters refuse more.
    client.force_login(django_user_model.objects.create_superuser("raiz", password="x-Pl3nary-test"))
    failures = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        page = client.get(url)
        assert page.status_code == 200, url
        # Every filter, date and sort link the list offers.
        links = {html.unescape(link) for link in re.findall(r'href="(\?[^"]*)"', page.content.decode())}
        requests = [url + link for link in links]
        for field in model._meta.concrete_fields:
            for value in ["x", "99999999999999999999", "2022-13-45"]:
                requests += [f"{url}?{field.name}={value}", f"{url}?{field.name}__in={value},1"]
        for path in requests:
            status = client.get(path).status_code
            if status >= 500:
                failures.append((path, status))
    assert failures == []


def test_a_nul_character_in_an_address_is_refused_plainly(client, seed_meeting, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("raiz", password="x-Pl3nary-test"))
    for url in [reverse("admin:agenda_meeting_changelist"), reverse("admin:agenda_person_changelist"), "/"]:
        for query in [{"q": "Plenaria\x00"}, {"status": "\x00"}, {"title__startswith\x00": "x"}]:
            response = client.get(url, query)
            assert response.status_code == 400, (url, query)
            assert "NUL" in response.content.decode()


def test_an_ip_address_filter_given_something_else_shows_the_list_unfiltered(client, db, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("raiz", password="x-Pl3nary-test"))
    response = client.get(reverse("admin:axes_accessattempt_changelist"), {"ip_address": "x"}, follow=True)
    assert response.status_code == 200


def test_admin_search_finds_items_by_title(secretariat_client, seed_meeting):
    response = secretariat_client.get(reverse("admin:agenda_agendaitem_changelist"), {"q": "Intercambio"})
    page = response.content.decode()
    assert "Intercambio entre países" in page
    assert "Bienvenida" not in page


def new_meeting_post(conference_pk: int, rows: list[tuple[str, str, str]], status: str = "published") -> dict:
    data = {
        "title_es": "IV Reunión Plenaria",
        "slug": "iv-reunion-plenaria",
        "status": status,
        "conferences": [str(conference_pk)],
        "time_zone": "America/Costa_Rica",
        "starts_at_0": "2031-06-10",
        "starts_at_1": "09:00",
        "ends_at_0": "2031-06-10",
        "ends_at_1": "10:00",
        "modality": "virtual",
        "video_call_platform": "Zoom",
        "join_link_visibility": "registered",
        "agenda_items-TOTAL_FORMS": str(len(rows)),
        "agenda_items-INITIAL_FORMS": "0",
        "agenda_items-MIN_NUM_FORMS": "0",
        "agenda_items-MAX_NUM_FORMS": "1000",
        **management_form("documents", 0, 0),
        **management_form("interpretation_channels", 0, 0),
    }
    for index, (start, end, title) in enumerate(rows):
        prefix = f"agenda_items-{index}"
        data.update(
            {
                f"{prefix}-position": str(index),
                f"{prefix}-starts_at_0": "2031-06-10",
                f"{prefix}-starts_at_1": start,
                f"{prefix}-ends_at_0": "2031-06-10",
                f"{prefix}-ends_at_1": end,
                f"{prefix}-title_es": title,
            }
        )
    return data


def test_new_meeting_is_published_with_its_agenda_in_one_save(secretariat_client, db):
    conference = ConferenceFactory()
    rows = [("09:00", "09:30", "Apertura"), ("09:30", "10:00", "Cierre")]
    response = secretariat_client.post(
        reverse("admin:agenda_meeting_add"), new_meeting_post(conference.pk, rows)
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(slug="iv-reunion-plenaria")
    assert meeting.status == Meeting.Status.PUBLISHED
    assert meeting.starts_at == datetime(2031, 6, 10, 15, 0, tzinfo=UTC)
    assert [item.title for item in meeting.agenda_items.all()] == ["Apertura", "Cierre"]


def test_new_meeting_with_overlapping_agenda_is_not_saved(secretariat_client, db):
    conference = ConferenceFactory()
    rows = [("09:00", "09:40", "Apertura"), ("09:30", "10:00", "Cierre")]
    response = secretariat_client.post(
        reverse("admin:agenda_meeting_add"), new_meeting_post(conference.pk, rows)
    )
    assert "«Cierre» (09:30–10:00 GMT-6) se superpone con «Apertura»" in response.content.decode()
    assert not Meeting.objects.exists()
    assert not AgendaItem.objects.exists()


def test_new_meeting_cannot_be_published_without_agenda(secretariat_client, db):
    conference = ConferenceFactory()
    response = secretariat_client.post(
        reverse("admin:agenda_meeting_add"), new_meeting_post(conference.pk, [])
    )
    assert (
        "La agenda debe ser válida antes de publicar la reunión: no tiene ningún punto."
        in response.content.decode()
    )
    assert not Meeting.objects.exists()


def test_a_meeting_of_two_hundred_topics_saves_from_its_page(secretariat_client, db):
    meeting = meeting_with_topics(200, minutes=2)
    response = secretariat_client.post(
        reverse("admin:agenda_meeting_change", args=[meeting.pk]), meeting_post(meeting, title_es="Larga")
    )
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).title_es == "Larga"


def test_saving_a_sub_item_returns_to_its_topic(secretariat_client, seed_meeting):
    from .admin_posts import item_post

    sub_item = AgendaItem.objects.get(title_es="Bienvenida")
    answer = secretariat_client.post(
        reverse("admin:agenda_agendaitem_change", args=[sub_item.pk]),
        item_post(sub_item, title_es="Bienvenida."),
    )
    assert answer.status_code == 302
    assert answer["Location"] == reverse("admin:agenda_agendaitem_change", args=[sub_item.parent_id])


def test_meetings_are_offered_and_listed_with_their_date_and_status(secretariat_client, seed_meeting):
    from agenda.scheduling import duplicate_meeting

    copy = duplicate_meeting(seed_meeting, on=datetime(2023, 5, 30).date())
    copy.title_es = seed_meeting.title_es
    copy.save()
    title = html.escape(seed_meeting.title)
    add_item = secretariat_client.get(reverse("admin:agenda_agendaitem_add")).content.decode()
    assert f">{title} · 31/05/2022 · Publicada</option>" in add_item
    assert f">{title} · 30/05/2023 · Borrador</option>" in add_item
    items = secretariat_client.get(reverse("admin:agenda_agendaitem_changelist")).content.decode()
    assert f"{title} · 30/05/2023 · Borrador" in items
    assert f"{title} · 31/05/2022 · Publicada" in items


def test_a_new_meetings_zone_is_its_conferences_usual_one_with_member_countries_first(
    seed_meeting, secretariat_client
):
    page = secretariat_client.get(reverse("admin:agenda_meeting_add")).content.decode()
    zone_select = page[
        page.index('name="time_zone"') : page.index("</select>", page.index('name="time_zone"'))
    ]
    assert '<option value="America/Costa_Rica" selected>' in zone_select
    groups = re.findall(r'<optgroup label="([^"]+)"', zone_select)
    # The 23 member countries, by name, before every other zone.
    assert groups[:3] == ["Argentina", "Belice", "Bolivia"] and len(groups) == 24
    assert "America/Abidjan" not in zone_select[: zone_select.index('label="…"')]


def test_a_meeting_saved_without_a_slug_gets_a_short_one(secretariat_client, seed_meeting):
    conferences = [str(pk) for pk in seed_meeting.conferences.values_list("pk", flat=True)]
    answer = secretariat_client.post(
        reverse("admin:agenda_meeting_add"),
        {
            "title_es": "IV Reunión Plenaria entre la Conferencia Regional sobre Migración (CRM) y la "
            "Conferencia Suramericana sobre Migraciones (CSM)",
            "slug": "",
            "status": "draft",
            "conferences": conferences,
            "time_zone": "America/Costa_Rica",
            "starts_at_0": "30/05/2023",
            "starts_at_1": "09:00",
            "ends_at_0": "30/05/2023",
            "ends_at_1": "11:00",
            "modality": "virtual",
            "video_call_platform": "Zoom",
            "join_link_visibility": "registered",
            **management_form("agenda_items", 0, 0),
            **management_form("documents", 0, 0),
            **management_form("interpretation_channels", 0, 0),
        },
    )
    assert answer.status_code == 302
    meeting = Meeting.objects.get(title_es__startswith="IV Reunión")
    assert meeting.slug == "iv-plenaria-crm-csm-2023"
    # "Save" on a new meeting opens its agenda editor.
    assert answer["Location"] == reverse("admin:agenda_meeting_agenda", args=[meeting.pk])


def test_the_admins_messages_read_right_for_a_feminine_model_in_spanish(secretariat_client, db):
    response = secretariat_client.post(
        reverse("admin:agenda_organisation_add"),
        {"name": "Sociedad civil de la región", "kind": Organisation.Kind.CIVIL_SOCIETY},
        follow=True,
    )
    saved = [re.sub(r"<[^>]+>", "", str(message)) for message in response.context["messages"]]
    assert saved == ["«Sociedad civil de la región» (organización) se agregó correctamente."]
    organisation = Organisation.objects.get(name="Sociedad civil de la región")
    page = secretariat_client.get(reverse("admin:agenda_organisation_delete", args=[organisation.pk]))
    assert "¿Seguro que quiere eliminar «Sociedad civil de la región» (organización)?" in html.unescape(
        page.content.decode()
    )
