"""Conclusions and commitments: recorded, published, carried into the next meeting, listed per conference."""

import csv
import io
import json
from datetime import date
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agenda import outcomes, scheduling
from agenda.models import (
    AgendaItem,
    Commitment,
    CommitmentNote,
    Conclusions,
    Conference,
    Country,
    Meeting,
    Organisation,
    Presidency,
)

from .admin_posts import item_post

SLUG = "iii-reunion-plenaria-crm-csm"


def tema(number: int) -> AgendaItem:
    return AgendaItem.objects.filter(meeting__slug=SLUG).get(title__startswith=f"TEMA {number}")


def commit(item: AgendaItem, what: str, *, status=Commitment.Status.PENDING, due_on=None, **responsible):
    if not responsible:
        responsible = {"responsible_country": Country.objects.get(code="SV")}
    return Commitment.objects.create(
        item=item, what=what, what_es=what, status=status, due_on=due_on, **responsible
    )


@pytest.fixture
def concluded(seed_meeting):
    """The III Plenaria with conclusions on TEMA 1 and three commitments, two of them still open."""
    Conclusions.objects.create(item=tema(1), text_es="Se acordó **seguir** las recomendaciones del FEMI.")
    csm = Conference.objects.get(acronym="CSM")
    oim = Organisation.objects.create(
        name="Organización Internacional para las Migraciones", short_name="OIM"
    )
    commit(tema(1), "Informe sobre las recomendaciones del FEMI", due_on=date(2022, 11, 30))
    commit(
        tema(2), "Propuesta de agenda común", status=Commitment.Status.IN_PROGRESS, responsible_presidency=csm
    )
    done = commit(tema(2), "Mapa de programas", status=Commitment.Status.DONE, responsible_organisation=oim)
    CommitmentNote.objects.create(commitment=done, on=date(2022, 9, 1), text="Publicado en la web de la CRM.")
    return seed_meeting


def test_a_commitment_needs_one_responsible_and_a_due_date_not_before_the_meeting(seed_meeting):
    item = tema(1)
    cases = [
        ({}, "Indique exactamente un responsable"),
        (
            {
                "responsible_country": Country.objects.get(code="SV"),
                "responsible_presidency": Conference.objects.first(),
            },
            "Indique exactamente un responsable",
        ),
        (
            {"responsible_country": Country.objects.get(code="SV"), "due_on": date(2022, 5, 30)},
            "La fecha límite es anterior a la reunión (2022-05-31).",
        ),
    ]
    for fields, message in cases:
        with pytest.raises(ValidationError) as refused:
            Commitment(item=item, what_es="Algo", what="Algo", **fields).full_clean()
        assert any(message in text for text in refused.value.messages), refused.value.messages


def test_the_admin_refuses_a_commitment_without_responsible_and_saves_nothing(
    secretariat_client, seed_meeting
):
    item = tema(1)
    data = item_post(item)
    data.update(
        {
            "commitments-TOTAL_FORMS": "1",
            "commitments-INITIAL_FORMS": "0",
            "commitments-MIN_NUM_FORMS": "0",
            "commitments-MAX_NUM_FORMS": "1000",
            "commitments-0-what_es": "Informe",
            "commitments-0-status": "pending",
            "commitments-0-position": "0",
            "commitments-0-due_on": "2022-05-01",
        }
    )
    response = secretariat_client.post(reverse("admin:agenda_agendaitem_change", args=[item.pk]), data)
    page = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Indique exactamente un responsable" in page and "La fecha límite es anterior a la reunión" in page
    assert not Commitment.objects.exists()
    data["commitments-0-responsible_country"] = "SV"
    data["commitments-0-due_on"] = "2022-11-30"
    saved = secretariat_client.post(reverse("admin:agenda_agendaitem_change", args=[item.pk]), data)
    assert saved.status_code == 302
    assert Commitment.objects.get().responsible == "El Salvador"


def test_conclusions_are_public_only_once_published(client, concluded):
    page = lambda: unescape(client.get(concluded.get_absolute_url()).content.decode())  # noqa: E731
    assert "Se acordó" not in page() and 'id="conclusions"' not in page()
    outcomes.publish_conclusions(concluded)
    shown = page()
    assert "Se acordó <strong>seguir</strong> las recomendaciones del FEMI." in shown
    assert "Informe sobre las recomendaciones del FEMI" in shown and "PPT CSM" in shown
    assert '<strong class="commitment-responsible">OIM</strong>' in shown
    outcomes.publish_conclusions(concluded, publish=False)
    assert "Se acordó" not in page()


@pytest.mark.parametrize("case", ["draft", "empty"])
def test_publishing_conclusions_of_a_draft_or_of_nothing_is_refused(seed_meeting, case):
    if case == "draft":
        Conclusions.objects.create(item=tema(1), text_es="Algo")
        scheduling.set_status(seed_meeting, Meeting.Status.DRAFT)
        message = "Publique primero la reunión"
    else:
        message = "Todavía no hay conclusiones ni compromisos que publicar."
    with pytest.raises(ValidationError) as refused:
        outcomes.publish_conclusions(seed_meeting)
    assert message in refused.value.messages[0]
    assert Meeting.objects.get(pk=seed_meeting.pk).conclusions_published_at is None


def next_plenaria(meeting: Meeting) -> Meeting:
    """The IV Plenaria, made as the secretariats make it: duplicated, then published."""
    for acronym, code in [("CRM", "SV"), ("CSM", "CL")]:
        Presidency.objects.get_or_create(
            conference=Conference.objects.get(acronym=acronym),
            country=Country.objects.get(code=code),
            starts_on=date(2023, 1, 1),
        )
    copy = scheduling.duplicate_meeting(meeting, on=date(2023, 5, 30), title="IV Reunión Plenaria CRM–CSM")
    return scheduling.set_status(copy, Meeting.Status.PUBLISHED)


def test_the_next_meeting_of_the_series_shows_the_commitments_left_open(client, concluded):
    outcomes.publish_conclusions(concluded)
    fourth = next_plenaria(concluded)
    assert not Commitment.objects.filter(item__meeting=fourth).exists(), "commitments stay with their meeting"
    carried = [commitment.what for commitment in outcomes.carried_over(fourth)]
    assert carried == ["Informe sobre las recomendaciones del FEMI", "Propuesta de agenda común"]

    review = fourth.agenda_items.get(title__startswith="TEMA 1")
    review.reviews.add(Commitment.objects.get(what="Informe sobre las recomendaciones del FEMI"))
    page = unescape(client.get(fourth.get_absolute_url()).content.decode())
    assert "Compromisos pendientes de reuniones anteriores" in page
    assert "Mapa de programas" not in page, "a commitment done is not carried"
    assert f"Revisado en: {review.title}" in page
    # A meeting of another series (the CRM alone) carries nothing of the joint one.
    crm_only = next_plenaria(concluded)
    crm_only.conferences.set([Conference.objects.get(acronym="CRM")])
    assert outcomes.carried_over(crm_only) == []


def test_unpublished_conclusions_carry_nothing(concluded):
    assert outcomes.carried_over(next_plenaria(concluded)) == []


def test_the_conference_page_lists_commitments_by_status_and_responsible_with_json_and_csv(client, concluded):
    url = reverse("agenda:conference-commitments", args=["CSM"])
    assert "Propuesta de agenda común" not in unescape(client.get(url).content.decode())
    outcomes.publish_conclusions(concluded)
    page = unescape(client.get(url).content.decode())
    order = [page.index(heading) for heading in ("Pendiente", "En curso", "Cumplido", "Abandonado")]
    assert order == sorted(order)
    assert (
        page.index("Informe sobre las recomendaciones")
        < page.index("En curso")
        < page.index("Propuesta de agenda")
    )
    assert "Publicado en la web de la CRM." in page
    assert client.get(reverse("agenda:conference-commitments", args=["xyz"])).status_code == 404

    data = json.loads(client.get(reverse("agenda:api-conference-commitments", args=["csm"])).content)
    assert data["conference"] == "CSM"
    assert [(c["commitment"], c["responsible"], c["status"]) for c in data["commitments"]] == [
        ("Informe sobre las recomendaciones del FEMI", "El Salvador", "pending"),
        ("Propuesta de agenda común", "PPT CSM", "in_progress"),
        ("Mapa de programas", "OIM", "done"),
    ]
    assert data["commitments"][0]["due_on"] == "2022-11-30"

    download = client.get(reverse("agenda:conference-commitments-csv", args=["CSM"]))
    assert download["Content-Disposition"] == 'attachment; filename="CSM-commitments.csv"'
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert [(row["responsible"], row["latest_note"]) for row in rows][2] == (
        "OIM",
        "2022-09-01: Publicado en la web de la CRM.",
    )


def test_a_commitment_typed_as_a_formula_stays_text_in_the_csv(client, concluded):
    commit(tema(1), '=HYPERLINK("http://evil")')
    outcomes.publish_conclusions(concluded)
    download = client.get(reverse("agenda:conference-commitments-csv", args=["CRM"]))
    assert "'=HYPERLINK" in download.content.decode()


def test_editing_a_commitment_shows_at_once_on_the_cached_pages(client, concluded):
    outcomes.publish_conclusions(concluded)
    url = reverse("agenda:conference-commitments", args=["CRM"])
    assert "Propuesta de agenda común" in unescape(client.get(url).content.decode())
    commitment = Commitment.objects.get(what="Propuesta de agenda común")
    commitment.status = Commitment.Status.DONE
    commitment.save()
    page = unescape(client.get(url).content.decode())
    assert page.index("Cumplido") < page.index("Propuesta de agenda común")
