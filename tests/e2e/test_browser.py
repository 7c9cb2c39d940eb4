"""A participant and a secretary, in a real browser."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from agenda.models import AgendaItem

from ..factories import secretariat_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "una-clave-de-prueba-larga"


def agenda_rows(browser) -> list[list[str]]:
    """The rows' text as shown, without the "+ calendar" links beside the times.

    A detached copy has no style, so what the page hides (the phone-only labels on a wide
    screen) is taken out of it by the original's computed style.
    """
    return browser.execute_script(
        """
        return [...document.querySelectorAll("table.agenda-table tbody tr")].map(row =>
          [...row.querySelectorAll("td, th")].map(cell => {
            const copy = cell.cloneNode(true);
            const hidden = [...cell.querySelectorAll("*")].map(el => getComputedStyle(el).display === "none");
            [...copy.querySelectorAll("*")].forEach((el, i) => { if (hidden[i]) el.remove(); });
            copy.querySelectorAll(".agenda-add").forEach(link => link.remove());
            return copy.innerText.trim();
          }));
        """
    )


def test_participant_goes_from_the_home_page_to_the_seed_agenda(browser, live_seed, screenshot):
    browser.get(live_seed.url + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    browser.find_element(By.PARTIAL_LINK_TEXT, "III Reunión Plenaria").click()
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith(
        "III Reunión Plenaria entre la Conferencia"
    )
    rows = agenda_rows(browser)
    assert len(rows) == 12
    assert rows[0] == ["09:00 – 09:15", "Apertura", ""]
    assert rows[7] == ["", "Comentarios países CRM-CSM", "Modera: PPT CRM (El Salvador)"]
    assert rows[11] == ["10:45 – 11:00", "Cierre y Conclusiones", "SE CRM y ST CSM"]
    header = browser.find_element(By.CSS_SELECTOR, "table.agenda-table thead").text
    assert header == "Horario (GMT-6) Actividad Participantes"
    screenshot("seed-meeting-desktop")


def test_agenda_fits_a_360px_phone_without_sideways_scrolling(browser, live_seed, screenshot):
    browser.set_window_size(360, 800)
    browser.get(live_seed.url + "/meetings/iii-reunion-plenaria-crm-csm/")
    width = browser.execute_script("return document.documentElement.clientWidth")
    scroll_width = browser.execute_script("return document.documentElement.scrollWidth")
    assert scroll_width <= width, f"the page is {scroll_width}px wide in a {width}px viewport"
    assert agenda_rows(browser)[0][:2] == ["09:00 – 09:15", "Apertura"]
    screenshot("seed-meeting-phone-360")


@pytest.fixture
def secretary(browser, live_seed):
    """The browser, signed in to the admin as a member of the Secretaría group."""
    secretariat_user(password=PASSWORD)
    browser.get(live_seed.url + "/admin/")
    browser.find_element(By.NAME, "username").send_keys("secretaria")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    # Signed in once the admin's index shows who is: a page asked for sooner would get the login form.
    WebDriverWait(browser, 10).until(lambda page: page.find_element(By.ID, "user-tools"))
    return browser


def test_secretary_shifts_tema_2_by_five_minutes_and_the_public_page_follows(
    secretary, live_seed, screenshot
):
    browser = secretary
    browser.find_element(By.LINK_TEXT, "Reuniones").click()
    browser.find_element(By.PARTIAL_LINK_TEXT, "III Reunión Plenaria").click()
    tema_2 = AgendaItem.objects.get(title__startswith="TEMA 2")
    shift_link = browser.find_element(By.CSS_SELECTOR, f'a[href$="/agendaitem/{tema_2.pk}/shift/"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", shift_link)
    screenshot("admin-meeting-agenda")
    shift_link.click()
    browser.find_element(By.NAME, "minutes").send_keys("5")
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    assert "Se movieron 2 puntos +5 minutos" in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    screenshot("admin-after-shift")

    browser.get(live_seed.url + "/meetings/iii-reunion-plenaria-crm-csm/")
    rows = agenda_rows(browser)
    assert rows[8][:2] == ["10:05 – 10:50", "TEMA 2. Agenda Regional Migratoria CRM-CSM - Chile"]
    assert rows[11][:2] == ["10:50 – 11:05", "Cierre y Conclusiones"]
    # The shift is announced to participants, in plain words.
    changes = browser.find_element(By.ID, "changes")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", changes)
    assert (
        "«TEMA 2. Agenda Regional Migratoria CRM-CSM - Chile» pasó de las 10:00 a las 10:05 GMT-6."
        in changes.text
    )
    browser.save_screenshot(str(screenshot("public-changelog-after-shift")))


def test_secretary_sees_why_an_overlapping_item_is_refused(secretary, live_seed, screenshot):
    browser = secretary
    cierre = AgendaItem.objects.get(title="Cierre y Conclusiones")
    browser.get(f"{live_seed.url}/admin/agenda/agendaitem/{cierre.pk}/change/")
    start = browser.find_element(By.NAME, "starts_at_1")
    start.clear()
    start.send_keys("10:30")
    browser.find_element(By.NAME, "_save").click()
    # The agenda's verdict sits with the rows' formset, further down the page that comes back.
    errors = (
        WebDriverWait(browser, 10).until(lambda page: page.find_element(By.CSS_SELECTOR, ".errorlist")).text
    )
    assert "«Cierre y Conclusiones» (10:30–11:00 GMT-6) se superpone con «TEMA 2." in errors
    screenshot("admin-overlap-refused")
    assert AgendaItem.objects.get(pk=cierre.pk).starts_at == cierre.starts_at
