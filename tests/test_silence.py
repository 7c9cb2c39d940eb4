"""Silence procedure: the draft circulated, one answer per delegation, the deadline, the outcome told."""

import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from agenda import notifications, outcomes, record, silence
from agenda.models import Conclusions, Meeting, Notification, Registration, SilenceAnswer, SilenceProcedure
from agenda.states import AdReferendum

from .factories import secretariat_user
from .test_floor_pages import register
from .test_outcomes import concluded as concluded  # the fixture: the III Plenaria with its draft outcomes
from .test_outcomes import tema

Kind = SilenceAnswer.Kind
SLUG = "iii-reunion-plenaria-crm-csm"
# A week after the III Plenaria: the draft is sent on 1 June at 12:00 GMT-6, adopted on the 8th at 17:00.
SENT = datetime(2022, 6, 1, 18, 0, tzinfo=UTC)
DEADLINE = datetime(2022, 6, 8, 23, 0, tzinfo=UTC)


@pytest.fixture
def delegations(concluded):
    return {
        "Chile": register(concluded, "Chile", "paula@minrel.cl"),
        "Chile 2": register(concluded, "Chile", "jorge@minrel.cl"),
        "Perú": register(concluded, "Perú", "rosa@rree.gob.pe"),
        "Brasil": register(concluded, "Brasil", "joao@itamaraty.gov.br"),
        "OIM": register(concluded, "OIM", "olga@iom.int", Registration.Role.OBSERVER),
    }


def circulated(meeting, deadline=DEADLINE, now=SENT) -> SilenceProcedure:
    secretary = User.objects.filter(username="secretaria").first() or secretariat_user()
    return silence.circulate(meeting, deadline, by=secretary, now=now)


def refusal(action) -> str:
    answers, procedures = SilenceAnswer.objects.count(), SilenceProcedure.objects.count()
    with pytest.raises(ValidationError) as refused:
        action()
    assert (SilenceAnswer.objects.count(), SilenceProcedure.objects.count()) == (answers, procedures), (
        "nothing saved"
    )
    return " ".join(refused.value.messages)


def test_circulating_mails_each_member_states_delegate_and_blocks_changes_to_the_draft(
    concluded, delegations
):
    procedure = circulated(concluded)
    mailed = Notification.objects.filter(kind=Notification.Kind.SILENCE, procedure=procedure)
    assert sorted(mailed.values_list("registration__email", flat=True)) == sorted(
        r.email for name, r in delegations.items() if name != "OIM"
    ), "observers and civil society do not answer"
    assert not Meeting.objects.get(pk=concluded.pk).conclusions_published_at
    conclusions = Conclusions.objects.get(item=tema(1))
    with pytest.raises(ValidationError) as refused:
        conclusions.full_clean()
    assert "circula por procedimiento de silencio hasta el 8 de junio de 2022, 17:00 GMT-6" in str(
        refused.value
    )
    with pytest.raises(ValidationError) as refused:
        outcomes.publish_conclusions(concluded)
    assert "se publica cuando se adopta" in str(refused.value)
    assert "ya circula" in refusal(lambda: circulated(concluded))


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"deadline": SENT - timedelta(minutes=1)}, "El plazo debe ser futuro."),
        ({"publish": True}, "ya están publicadas"),
        ({"draft": True}, "Publique primero la reunión"),
        ({"empty": True}, "No hay conclusiones ni compromisos que circular"),
    ],
)
def test_circulating_what_cant_be_answered_is_refused(concluded, delegations, change, reason):
    if change.get("publish"):
        outcomes.publish_conclusions(concluded)
    if change.get("draft"):
        Meeting.objects.filter(pk=concluded.pk).update(status=Meeting.Status.DRAFT)
    if change.get("empty"):
        Conclusions.objects.all().delete()
        concluded.agenda_items.get(title__startswith="TEMA 1").commitments.all().delete()
        tema(2).commitments.all().delete()
    meeting = Meeting.objects.get(pk=concluded.pk)
    assert reason in refusal(lambda: circulated(meeting, deadline=change.get("deadline", DEADLINE)))


def test_one_answer_per_delegation_whoever_answers_and_the_last_one_counts(concluded, delegations):
    procedure = circulated(concluded)
    chile, colleague = delegations["Chile"], delegations["Chile 2"]
    silence.answer(
        chile, procedure, Kind.AGREE, now=SENT + timedelta(hours=1), reservation="Sin perjuicio de…"
    )
    silence.answer(
        colleague, procedure, Kind.AD_REFERENDUM, now=SENT + timedelta(hours=2), confirm_by=date(2022, 6, 20)
    )
    (given,) = SilenceAnswer.objects.all()
    assert (given.delegation, given.kind, given.answered_by, given.reservation) == (
        "Chile",
        Kind.AD_REFERENDUM,
        colleague,
        "",
    )
    silence.answer(chile, procedure, None, now=SENT + timedelta(hours=3))
    assert not SilenceAnswer.objects.exists(), "back to silence"


def test_answers_that_dont_fit_are_refused_with_the_reason(concluded, delegations):
    procedure = circulated(concluded)
    chile, oim = delegations["Chile"], delegations["OIM"]
    later = SENT + timedelta(hours=1)
    assert "Solo las delegaciones de los Estados miembros" in refusal(
        lambda: silence.answer(oim, procedure, Kind.AGREE, now=later)
    )
    assert "Indique para cuándo se confirmará" in refusal(
        lambda: silence.answer(chile, procedure, Kind.AD_REFERENDUM, now=later)
    )
    assert "Indique el punto" in refusal(lambda: silence.answer(chile, procedure, Kind.OBJECT, now=later))
    assert "Diga en qué consiste la objeción" in refusal(
        lambda: silence.answer(chile, procedure, Kind.OBJECT, now=later, item=tema(1))
    )
    chile.revoke()
    assert "revocado" in refusal(lambda: silence.answer(chile, procedure, Kind.AGREE, now=later))
    assert "El plazo venció el 8 de junio de 2022, 17:00 GMT-6" in refusal(
        lambda: silence.answer(delegations["Perú"], procedure, Kind.AGREE, now=DEADLINE)
    )


def test_at_the_deadline_silence_adopts_and_publishes_once_and_tells_the_delegations(concluded, delegations):
    procedure = circulated(concluded)
    silence.answer(
        delegations["Perú"], procedure, Kind.AGREE, now=SENT, reservation="Perú interpreta el punto 2 …"
    )
    assert silence.close_due(DEADLINE - timedelta(minutes=1)) == 0, "not before its deadline"
    assert silence.close_due(DEADLINE + timedelta(seconds=30)) == 1
    assert silence.close_due(DEADLINE + timedelta(minutes=1)) == 0, "once"
    procedure.refresh_from_db()
    assert procedure.is_adopted and procedure.closed_at == DEADLINE + timedelta(seconds=30)
    assert Meeting.objects.get(pk=concluded.pk).conclusions_published_at == DEADLINE
    told = Notification.objects.filter(kind=Notification.Kind.SILENCE_OUTCOME)
    assert told.count() == 4
    mail = notifications.message(
        told.filter(registration=delegations["Perú"]).get(), notifications.SharedParts()
    )
    assert mail.subject.startswith("Conclusiones adoptadas por procedimiento de silencio")
    assert "fueron adoptados por procedimiento de silencio el 8 de junio de 2022" in mail.body


def test_an_objection_breaks_silence_and_the_draft_goes_back_unpublished(concluded, delegations):
    procedure = circulated(concluded)
    silence.answer(
        delegations["Perú"],
        procedure,
        Kind.OBJECT,
        now=SENT,
        item=tema(1),
        objection="El párrafo 2 no refleja lo acordado.",
        proposed_wording="Se acordó examinar las recomendaciones del FEMI.",
    )
    silence.close_due(DEADLINE)
    procedure.refresh_from_db()
    assert procedure.is_broken and not Meeting.objects.get(pk=concluded.pk).conclusions_published_at
    Conclusions.objects.get(item=tema(1)).full_clean()  # the secretariat may change it again
    blocks = record.build_record(Meeting.objects.get(pk=concluded.pk), "https://plenary.example/x/").blocks
    said_in_record = [
        "".join(run.text for run in line)
        for block in blocks
        if getattr(block, "role", "") == "procedure"
        for line in block.items
    ]
    assert said_in_record == [
        "Perú: objeta sobre “TEMA 1. Recomendaciones y Compromisos emanados del Foro de Examen de la Migración"
        " Internacional (FEMI) - El Salvador”: El párrafo 2 no refleja lo acordado."
        " Redacción propuesta: Se acordó examinar las recomendaciones del FEMI."
    ]
    assert any(
        "Se rompió el silencio: el proyecto volvió a la secretaría." in getattr(b, "text", "") for b in blocks
    )
    mail = notifications.message(
        Notification.objects.get(kind=Notification.Kind.SILENCE_OUTCOME, registration=delegations["Chile"]),
        notifications.SharedParts(),
    )
    assert "Se rompió el silencio" in mail.subject


def test_an_agreement_ad_referendum_is_confirmed_until_its_date_and_lapses_after(concluded, delegations):
    procedure = circulated(concluded)
    for delegation in ("Chile", "Brasil"):
        silence.answer(
            delegations[delegation], procedure, Kind.AD_REFERENDUM, now=SENT, confirm_by=date(2022, 6, 15)
        )
    silence.close_due(DEADLINE)
    # Confirmed after the adoption, before its date; Brasil's lapses.
    silence.confirm(delegations["Chile 2"], procedure, now=datetime(2022, 6, 15, 20, 0, tzinfo=UTC))
    assert "caducó" in refusal(
        lambda: silence.confirm(
            delegations["Brasil"], procedure, now=datetime(2022, 6, 16, 12, 0, tzinfo=UTC)
        )
    )
    told = silence.last_procedure(Meeting.objects.get(pk=concluded.pk), date(2022, 6, 16))
    assert [(given.delegation, state) for given, state in told.ad_referendum] == [
        ("Brasil", AdReferendum.LAPSED),
        ("Chile", AdReferendum.CONFIRMED),
    ]
    blocks = record.build_record(Meeting.objects.get(pk=concluded.pk), "https://plenary.example/x/").blocks
    texts = [getattr(block, "text", "") for block in blocks]
    lines = [
        "".join(run.text for run in line)
        for block in blocks
        if getattr(block, "role", "") == "procedure"
        for line in block.items
    ]
    assert any(
        text
        == "Circulado por procedimiento de silencio el 1 de junio de 2022, 12:00 GMT-6, hasta el 8 de junio de 2022, 17:00 GMT-6."
        " Adoptado por procedimiento de silencio el 8 de junio de 2022, 17:00 GMT-6."
        for text in texts
    )
    assert lines == [
        "Brasil: aceptado ad referéndum, caducado: no se confirmó antes del 15 de junio de 2022",
        "Chile: aceptado ad referéndum, confirmado el 15 de junio de 2022, 14:00 GMT-6",
    ]
    built = record.build_record(Meeting.objects.get(pk=concluded.pk), "https://plenary.example/x/")
    word = zipfile.ZipFile(io.BytesIO(record.render_record_docx(built))).read("word/document.xml").decode()
    pdf = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(record.render_record_pdf(built))).pages
    )
    for text in ("Adoptado por procedimiento de silencio el 8 de junio de 2022", "caducado: no se confirmó"):
        assert text in word and text in " ".join(pdf.split())


def test_a_delegation_answers_from_its_private_page_and_the_public_page_says_adopted(
    client, concluded, delegations
):
    deadline = timezone.now().replace(second=0, microsecond=0) + timedelta(days=2)
    procedure = circulated(concluded, deadline=deadline, now=timezone.now())
    chile = delegations["Chile"]
    page = unescape(client.get(chile.get_private_url()).content.decode())
    assert "Procedimiento de silencio sobre el proyecto de conclusiones" in page
    assert "Su delegación no ha respondido: guarda silencio." in page
    assert "Se acordó <strong>seguir</strong> las recomendaciones del FEMI." in page, "the draft, to read"
    url = reverse("agenda:private-silence", args=[chile.token])
    answered = client.post(
        url, {"answer": "object", "item": str(tema(1).pk), "objection": "No."}, follow=True
    )
    assert "Respuesta de Chile: rompe el silencio." in unescape(answered.content.decode())
    assert SilenceAnswer.objects.get().objection == "No."
    refused = client.post(url, {"answer": "object", "item": "999999"}, follow=True)
    assert "Ese punto no está en la agenda de esta reunión." in unescape(refused.content.decode())
    assert SilenceAnswer.objects.get().objection == "No.", "nothing changed"
    client.post(url, {"answer": "agree"})
    # Another delegation's page does not show Chile's answer; the public page shows no draft.
    assert "rompe el silencio" not in unescape(
        client.get(delegations["Perú"].get_private_url()).content.decode()
    )
    assert "recomendaciones del FEMI" not in unescape(
        client.get(concluded.get_absolute_url()).content.decode()
    )
    silence.answer(
        delegations["Brasil"], procedure, Kind.AD_REFERENDUM, now=timezone.now(), confirm_by=date(2099, 1, 31)
    )
    silence.close_due(procedure.deadline)
    public = unescape(client.get(concluded.get_absolute_url()).content.decode())
    assert "Adoptado por procedimiento de silencio el" in public and "recomendaciones del FEMI" in public
    assert (
        "<strong>Brasil</strong>: aceptado ad referéndum, a confirmar a más tardar el 31 de enero de 2099"
        in public
    )


def test_the_secretariat_circulates_from_the_meetings_page_in_its_zone_and_a_past_deadline_is_refused(
    secretariat_client, concluded, delegations
):
    url = reverse("admin:agenda_meeting_circulate", args=[concluded.pk])
    change = unescape(
        secretariat_client.get(reverse("admin:agenda_meeting_change", args=[concluded.pk])).content.decode()
    )
    assert f'href="{url}"' in change
    page = unescape(secretariat_client.get(url).content.decode())
    assert "Delegaciones (3): Brasil, Chile, Perú" in page, "who will answer, before circulating"
    refused = secretariat_client.post(url, {"deadline": "2022-05-30T17:00"})
    assert "El plazo debe ser futuro." in unescape(refused.content.decode())
    assert not SilenceProcedure.objects.exists()
    later = (timezone.now() + timedelta(days=7)).astimezone(concluded.zone).strftime("%Y-%m-%dT17:00")
    done = secretariat_client.post(url, {"deadline": later})
    procedure = SilenceProcedure.objects.get()
    assert done["Location"] == reverse("admin:agenda_silenceprocedure_change", args=[procedure.pk])
    assert procedure.deadline.astimezone(concluded.zone).strftime("%Y-%m-%dT%H:%M") == later, "read in GMT-6"
    listing = unescape(
        secretariat_client.get(reverse("admin:agenda_silenceprocedure_changelist")).content.decode()
    )
    assert "En circulación" in listing and "17:00 GMT-6" in listing
