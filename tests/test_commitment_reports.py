"""Commitments reported by their owners: the delegation that answers for one reports, the secretariat confirms."""

from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda import notifications, outcomes
from agenda.models import (
    Commitment,
    CommitmentNote,
    CommitmentReport,
    Conference,
    Country,
    Notification,
    Presidency,
    Registration,
)

from .test_outcomes import concluded as concluded  # the fixture: the III Plenaria with its commitments
from .test_outcomes import next_plenaria

FEMI = "Informe sobre las recomendaciones del FEMI"  # El Salvador's, due 30 November 2022
AGENDA = "Propuesta de agenda común"  # the PPT CSM's, in progress


@pytest.fixture
def published(concluded):
    outcomes.publish_conclusions(concluded)
    # Chile holds the CSM's pro-tempore presidency now: the PPT CSM's commitment is Chile's to report.
    Presidency.objects.create(
        conference=Conference.objects.get(acronym="CSM"),
        country=Country.objects.get(code="CL"),
        starts_on=date(2020, 1, 1),
    )
    return concluded


def delegate(meeting, delegation: str, code: str, email: str) -> Registration:
    return Registration.objects.create(
        meeting=meeting,
        name=email.split("@")[0],
        email=email,
        affiliation=delegation,
        country=Country.objects.get(code=code),
    )


def meeting_today(meeting):
    """Today where the meeting is (GMT-6): the date a delegation's report may bear at most."""
    return timezone.now().astimezone(meeting.zone).date()


def report(client, registration, commitment, **fields):
    today = meeting_today(registration.meeting).isoformat()
    data = {"commitment": commitment.pk, "status": "in_progress", "on": today}
    return client.post(
        reverse("agenda:private-commitments", args=[registration.token]), {**data, **fields}, follow=True
    )


def said(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_each_delegation_sees_the_commitments_it_answers_for_a_presidencys_by_who_holds_it(client, published):
    salvador = delegate(published, "El Salvador", "SV", "ana@rree.gob.sv")
    chile = delegate(published, "Chile", "CL", "paula@minrel.cl")
    peru = delegate(published, "Perú", "PE", "rosa@rree.gob.pe")
    today = meeting_today(published)
    assert [c.what for c in outcomes.owned_commitments(salvador, today)] == [FEMI]
    assert [c.what for c in outcomes.owned_commitments(chile, today)] == [AGENDA]
    assert outcomes.owned_commitments(peru, today) == []
    page = unescape(client.get(chile.get_private_url()).content.decode())
    assert "Sus compromisos" in page and AGENDA in page and "Enviar el informe" in page
    assert "Sus compromisos" not in unescape(client.get(peru.get_private_url()).content.decode())


def test_an_owners_report_shows_as_its_own_until_the_secretariat_confirms_it_amended(
    client, secretariat_client, published
):
    salvador = delegate(published, "El Salvador", "SV", "ana@rree.gob.sv")
    femi = Commitment.objects.get(what=FEMI)
    response = report(client, salvador, femi, note="Borrador del informe circulado a los países.")
    assert "Su informe está enviado" in said(response)
    femi.refresh_from_db()
    assert femi.status == Commitment.Status.PENDING, "the secretariat's word is the status"
    public = unescape(client.get(published.get_absolute_url()).content.decode())
    assert (
        "El Salvador informa: En curso" in public
        and "a la espera de la confirmación de la secretaría" in public
    )

    (sent,) = CommitmentReport.objects.all()
    listing = unescape(
        secretariat_client.get(
            reverse("admin:agenda_commitmentreport_changelist") + "?confirmed=no"
        ).content.decode()
    )
    confirm = reverse("admin:agenda_commitmentreport_confirm", args=[sent.pk])
    assert confirm in listing
    page = unescape(secretariat_client.get(confirm).content.decode())
    assert "Borrador del informe circulado a los países." in page, "the owner's words, to keep or amend"
    done = secretariat_client.post(
        confirm, {"status": "in_progress", "note": "Borrador del informe circulado (El Salvador)."}
    )
    assert done.status_code == 302
    femi.refresh_from_db()
    assert femi.status == Commitment.Status.IN_PROGRESS
    assert (
        CommitmentNote.objects.filter(commitment=femi).latest("id").text
        == "Borrador del informe circulado (El Salvador)."
    )
    sent.refresh_from_db()
    assert sent.is_confirmed and sent.note == "Borrador del informe circulado a los países.", "both kept"
    public = unescape(client.get(published.get_absolute_url()).content.decode())
    assert (
        "Borrador del informe circulado (El Salvador)." in public
        and "a la espera de la confirmación" not in public
    )
    assert "confirmado ya" in " ".join(
        str(m)
        for m in secretariat_client.post(confirm, {"status": "done", "note": "x"}, follow=True)
        .context["form"]
        .non_field_errors()
    )


def test_a_report_from_a_delegation_that_does_not_answer_for_it_is_refused_and_nothing_saved(
    client, published
):
    peru = delegate(published, "Perú", "PE", "rosa@rree.gob.pe")
    salvador = delegate(published, "El Salvador", "SV", "ana@rree.gob.sv")
    femi = Commitment.objects.get(what=FEMI)
    assert "Perú no responde de este compromiso." in said(report(client, peru, femi, note="Hecho."))
    future = (meeting_today(published) + timedelta(days=2)).isoformat()
    assert "La fecha de la nota es futura." in said(report(client, salvador, femi, note="Hecho.", on=future))
    assert "Este campo es obligatorio." in said(report(client, salvador, femi))
    salvador.revoke()
    response = client.post(
        reverse("agenda:private-commitments", args=[salvador.token]),
        {
            "commitment": femi.pk,
            "status": "done",
            "on": meeting_today(published).isoformat(),
            "note": "Hecho.",
        },
        follow=True,
    )
    assert "Este enlace privado ha sido revocado" in said(response)
    assert not CommitmentReport.objects.exists()


def test_owners_are_reminded_a_week_before_the_due_date_and_once_overdue(published):
    salvador = delegate(published, "El Salvador", "SV", "ana@rree.gob.sv")
    delegate(published, "El Salvador", "SV", "luis@rree.gob.sv")
    fourth = next_plenaria(published)
    # Ana registered for the IV Plenaria too: one mail to her address, from her latest meeting.
    delegate(fourth, "El Salvador", "SV", "ana@rree.gob.sv")
    delegate(published, "Chile", "CL", "paula@minrel.cl")
    femi = Commitment.objects.get(what=FEMI)
    now = timezone.now()
    Commitment.objects.filter(pk=femi.pk).update(due_on=now.date() + timedelta(days=10))
    notifications.create_commitment_reminders(now)
    assert not Notification.objects.filter(commitment=femi).exists(), "not yet"
    Commitment.objects.filter(pk=femi.pk).update(due_on=now.date() + timedelta(days=5))
    notifications.create_commitment_reminders(now)
    notifications.create_commitment_reminders(now + timedelta(hours=1))
    due = Notification.objects.filter(kind=Notification.Kind.COMMITMENT_DUE, commitment=femi)
    assert sorted((n.registration.email, n.registration.meeting_id) for n in due) == [
        ("ana@rree.gob.sv", fourth.pk),
        ("luis@rree.gob.sv", published.pk),
    ]
    mail = notifications.message(due.get(registration__email="luis@rree.gob.sv"), notifications.SharedParts())
    assert mail.subject.startswith("Un compromiso vence el")
    assert f"“{FEMI}” (El Salvador)" in mail.body and "Sus compromisos" in mail.body
    notifications.create_commitment_reminders(now + timedelta(days=7))  # past due, in any zone
    overdue = Notification.objects.filter(kind=Notification.Kind.COMMITMENT_OVERDUE, commitment=femi)
    assert overdue.count() == 2
    outcomes.report(salvador, femi, status="done", note="Publicado.", on=meeting_today(published), now=now)
    assert overdue.count() == 2, "once each"


def test_the_next_meetings_review_lists_each_owners_latest_report(client, published):
    salvador = delegate(published, "El Salvador", "SV", "ana@rree.gob.sv")
    femi = Commitment.objects.get(what=FEMI)
    now = timezone.now()
    outcomes.report(
        salvador, femi, status="in_progress", note="Primer borrador.", on=meeting_today(published), now=now
    )
    outcomes.report(
        salvador,
        femi,
        status="in_progress",
        note="Segundo borrador, en consulta.",
        on=meeting_today(published),
        now=now,
    )
    fourth = next_plenaria(published)
    page = unescape(client.get(fourth.get_absolute_url()).content.decode())
    carried = page[page.index('id="open-commitments"') :]
    assert "El Salvador informa: En curso" in carried and "Segundo borrador, en consulta." in carried
    assert "Primer borrador." not in carried
