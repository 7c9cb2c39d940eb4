"""After the meeting in browsers: silence procedures (circulated, answered, decided at the deadline) and
commitments reported by their owners and confirmed by the secretariat."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from agenda import outcomes, silence
from agenda.models import (
    Commitment,
    CommitmentReport,
    Conference,
    Country,
    Meeting,
    Presidency,
    Registration,
    SilenceAnswer,
    SilenceProcedure,
)

from ..factories import secretariat_user
from ..test_outcomes import concluded as concluded  # the fixture: the III Plenaria with its draft outcomes
from ..test_outcomes import tema
from .conftest import serious_accessibility_violations, sign_in, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "una-clave-de-prueba-larga"


@pytest.fixture
def seed_meeting(live_seed):
    return Meeting.objects.get(slug="iii-reunion-plenaria-crm-csm")


@pytest.fixture
def links(live_seed, concluded):
    found = {}
    for delegation, email in [
        ("Chile", "paula@minrel.cl"),
        ("Perú", "rosa@rree.gob.pe"),
        ("Brasil", "joao@itamaraty.gov.br"),
    ]:
        registration = Registration.objects.create(
            meeting=concluded, name=email.split("@")[0], email=email, affiliation=delegation
        )
        found[delegation] = live_seed.url + registration.get_private_url()
    return found


def circulated(meeting) -> SilenceProcedure:
    deadline = timezone.now().replace(second=0, microsecond=0) + timedelta(days=2)
    return silence.circulate(meeting, deadline, by=secretariat_user(password=PASSWORD))


def deadline_passes(procedure: SilenceProcedure) -> None:
    """The deadline comes, and the worker's sweep runs (as `tasks.run_due` does each minute)."""
    SilenceProcedure.objects.filter(pk=procedure.pk).update(
        deadline=timezone.now().replace(second=0, microsecond=0)
    )
    assert silence.close_due() == 1


def section(browser) -> str:
    return browser.find_element(By.ID, "silence").text


def answer(browser, link: str, choice: str, **fields) -> None:
    browser.get(link)
    form = browser.find_element(By.CSS_SELECTOR, "#silence form")

    def into_view(element):
        # "instant": the site's smooth scrolling would still be moving when the click lands.
        browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
        return element

    into_view(form.find_element(By.CSS_SELECTOR, f"input[name=answer][value={choice}]")).click()
    for name, value in fields.items():
        field = into_view(form.find_element(By.NAME, name))
        if field.tag_name == "select":
            Select(field).select_by_visible_text(value)
        elif field.get_attribute("type") == "date":
            browser.execute_script("arguments[0].value = arguments[1]", field, value)
        else:
            field.send_keys(value)
    into_view(form.find_element(By.CSS_SELECTOR, "input[type=submit]")).click()


def test_the_secretariat_circulates_the_draft_and_silence_adopts_it(
    open_browser, live_seed, concluded, links, screenshot
):
    secretariat_user(password=PASSWORD)
    secretary = sign_in(open_browser(), live_seed, f"/admin/agenda/meeting/{concluded.pk}/change/", PASSWORD)
    secretary.find_element(By.CSS_SELECTOR, "a.circulate-link").click()
    assert "Delegaciones (3): Brasil, Chile, Perú" in secretary.find_element(By.ID, "content").text
    deadline = (timezone.now().astimezone(concluded.zone) + timedelta(days=3)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )
    field = secretary.find_element(By.NAME, "deadline")
    secretary.execute_script("arguments[0].value = arguments[1]", field, deadline.strftime("%Y-%m-%dT%H:%M"))
    secretary.find_element(By.CSS_SELECTOR, "input[type=submit][value=Circular]").click()
    wait_for(
        secretary,
        lambda b: "Circulado a las delegaciones" in b.find_element(By.CSS_SELECTOR, ".messagelist").text,
    )
    assert "17:00 GMT-6" in secretary.find_element(By.CSS_SELECTOR, ".messagelist").text
    procedure = SilenceProcedure.objects.get()
    assert procedure.deadline == deadline and procedure.is_circulating

    chile = open_browser()
    chile.get(links["Chile"])
    assert "guarda silencio" in section(chile)
    answer(chile, links["Chile"], "agree", reservation="Chile entiende el párrafo 2 como una recomendación.")
    wait_for(chile, lambda b: "Respuesta de Chile: acepta." in section(b))
    screenshot("silence-procedure-private-page")
    assert not serious_accessibility_violations(chile)
    public = open_browser()
    public.get(live_seed.url + concluded.get_absolute_url())
    assert "recomendaciones del FEMI" not in public.find_element(By.TAG_NAME, "body").text, (
        "a draft is not public"
    )

    deadline_passes(procedure)
    public.refresh()
    conclusions = public.find_element(By.ID, "conclusions").text
    assert (
        "Adoptado por procedimiento de silencio el" in conclusions
        and "recomendaciones del FEMI" in conclusions
    )
    chile.refresh()
    assert "Adoptado por procedimiento de silencio el" in section(chile)
    secretary.get(live_seed.url + f"/admin/agenda/silenceprocedure/{procedure.pk}/change/")
    assert "Chile entiende el párrafo 2" in secretary.find_element(By.ID, "content").text


def test_an_objection_breaks_silence_and_the_draft_returns_unpublished(
    open_browser, live_seed, concluded, links
):
    procedure = circulated(concluded)
    peru = open_browser()
    answer(
        peru,
        links["Perú"],
        "object",
        item=tema(1).title,
        objection="El párrafo 2 no refleja lo acordado.",
        proposed_wording="Se acordó examinar las recomendaciones del FEMI.",
    )
    wait_for(peru, lambda b: "Respuesta de Perú: rompe el silencio." in section(b))
    # A second look: the objection is kept in the form, to change or withdraw before the deadline.
    assert (
        peru.find_element(By.NAME, "objection").get_attribute("value")
        == "El párrafo 2 no refleja lo acordado."
    )
    deadline_passes(procedure)
    peru.refresh()
    assert "Se rompió el silencio" in section(peru)
    public = open_browser()
    public.get(live_seed.url + concluded.get_absolute_url())
    assert not public.find_elements(By.ID, "conclusions")
    secretary = sign_in(
        open_browser(), live_seed, f"/admin/agenda/silenceprocedure/{procedure.pk}/change/", PASSWORD
    )
    # The login's redirect may still be on its way: read the procedure's page once it is there.
    wait_for(
        secretary, lambda b: "Silencio roto: vuelve a la secretaría" in b.find_element(By.ID, "content").text
    )
    content = secretary.find_element(By.ID, "content").text
    assert "Se acordó examinar las recomendaciones del FEMI." in content


def test_an_agreement_ad_referendum_is_confirmed_and_another_lapses(
    open_browser, live_seed, concluded, links
):
    procedure = circulated(concluded)
    confirm_by = (timezone.now() + timedelta(days=10)).date().isoformat()
    chile, brasil = open_browser(), open_browser()
    for browser, delegation in ((chile, "Chile"), (brasil, "Brasil")):
        answer(browser, links[delegation], "ad_referendum", confirm_by=confirm_by)
        wait_for(browser, lambda b, d=delegation: f"Respuesta de {d}: acepta ad referéndum." in section(b))
    deadline_passes(procedure)
    chile.refresh()
    assert "se espera su confirmación" in section(chile)
    confirm = chile.find_element(By.CSS_SELECTOR, ".silence-confirm button")
    chile.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", confirm)
    confirm.click()
    wait_for(chile, lambda b: "Chile confirmó su aceptación." in section(b))
    assert "La aceptación ad referéndum de su delegación está confirmada." in section(chile)
    # Brasil's capital never confirms: its date passes.
    SilenceAnswer.objects.filter(delegation="Brasil").update(confirm_by=date.today() - timedelta(days=2))
    brasil.refresh()
    assert "caducó: no se confirmó antes del" in section(brasil)
    assert not brasil.find_elements(By.CSS_SELECTOR, ".silence-confirm")


def test_an_owners_report_is_confirmed_by_the_secretariat_and_one_from_a_delegation_no_longer_owner_is_refused(
    open_browser, live_seed, concluded, screenshot
):
    secretariat_user(password=PASSWORD)
    outcomes.publish_conclusions(concluded)
    csm = Conference.objects.get(acronym="CSM")
    chile_term = Presidency.objects.create(
        conference=csm, country=Country.objects.get(code="CL"), starts_on=date(2020, 1, 1)
    )
    links = {
        delegation: live_seed.url
        + Registration.objects.create(
            meeting=concluded,
            name=email,
            email=email,
            affiliation=delegation,
            country=Country.objects.get(code=code),
        ).get_private_url()
        for delegation, code, email in [
            ("El Salvador", "SV", "ana@rree.gob.sv"),
            ("Chile", "CL", "paula@minrel.cl"),
        ]
    }

    salvador = open_browser()
    salvador.get(links["El Salvador"])
    form = salvador.find_element(By.CSS_SELECTOR, "#commitments form")
    Select(form.find_element(By.NAME, "status")).select_by_visible_text("En curso")
    note = form.find_element(By.NAME, "note")
    salvador.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", note)
    note.send_keys("Borrador del informe circulado a los países.")
    form.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    wait_for(salvador, lambda b: "Su informe está enviado" in b.find_element(By.ID, "commitments").text)
    assert "El Salvador informa: En curso" in salvador.find_element(By.ID, "commitments").text
    assert not serious_accessibility_violations(salvador)
    salvador.execute_script("document.getElementById('commitments').scrollIntoView({behavior: 'instant'})")
    screenshot("commitments-reported-by-their-owner")

    secretary = sign_in(open_browser(), live_seed, "/admin/agenda/commitmentreport/?confirmed=no", PASSWORD)
    secretary.find_element(By.CSS_SELECTOR, "a.confirm-report").click()
    amended = secretary.find_element(By.NAME, "note")
    amended.clear()
    amended.send_keys("Borrador circulado (informe de El Salvador).")
    secretary.find_element(By.CSS_SELECTOR, "input[type=submit][value=Confirmar]").click()
    wait_for(secretary, lambda b: "Confirmado" in b.find_element(By.CSS_SELECTOR, ".messagelist").text)
    public = open_browser()
    public.get(live_seed.url + concluded.get_absolute_url())
    femi = public.find_element(
        By.CSS_SELECTOR, f'[data-commitment="{Commitment.objects.get(what__startswith="Informe").pk}"]'
    ).text
    assert "En curso" in femi and "Borrador circulado (informe de El Salvador)." in femi
    assert "a la espera" not in femi

    # Chile held the PPT CSM when its page opened; the presidency passed to Perú before it sent.
    chile = open_browser()
    chile.get(links["Chile"])
    assert "Propuesta de agenda común" in chile.find_element(By.ID, "commitments").text
    chile_term.ends_on = date.today() - timedelta(days=1)
    chile_term.save()
    Presidency.objects.create(conference=csm, country=Country.objects.get(code="PE"), starts_on=date.today())
    form = chile.find_element(By.CSS_SELECTOR, "#commitments form")
    note = form.find_element(By.NAME, "note")
    chile.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", note)
    note.send_keys("Propuesta enviada.")
    form.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    wait_for(
        chile, lambda b: "Chile no responde de este compromiso." in b.find_element(By.TAG_NAME, "body").text
    )
    assert CommitmentReport.objects.filter(delegation="Chile").count() == 0
