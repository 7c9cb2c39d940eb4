"""The agenda editor in Chromium: typing, pasting and uploading the III Plenaria's agenda, mistakes, two editors."""

import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from agenda.models import Meeting

from .. import concept_note_docx
from ..agenda_shapes import agenda_shape
from ..factories import MeetingFactory, secretariat_user, staff_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "una-clave-de-prueba-larga"
SEED_SLUG = "iii-reunion-plenaria-crm-csm"


class PageLoads:
    """Counts the pages the browser loads: a mark left in the page is gone after each load."""

    def __init__(self, browser):
        self.browser = browser
        self.count = 0

    def open(self, url: str) -> None:
        self.browser.get(url)
        self.seen()

    def seen(self) -> None:
        """Call after each step: counts a load if the page was replaced since the last call."""
        if not self.browser.execute_script("return window.__plenaryMark === true"):
            self.count += 1
        self.browser.execute_script("window.__plenaryMark = true")


def sign_in(browser, server, username="secretaria"):
    browser.get(server.url + "/admin/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda page: page.find_element(By.ID, "user-tools"))
    return browser


@pytest.fixture
def secretary(browser, live_seed):
    secretariat_user(password=PASSWORD)
    return sign_in(browser, live_seed)


def seed_rows() -> list[tuple[str, str, str, str]]:
    """(kind, time, activity, participants) of the seed's table, as its concept note writes them."""
    rows = []
    for time, activity, participants, sub_items in concept_note_docx.SEED_AGENDA:
        rows.append(("topic", time, re.sub(r"\s+", " ", activity.removeprefix("· ")), participants))
        rows.extend(("sub", "", title, who) for title, who in sub_items)
    return rows


def wait_for_page(browser, marker_gone=True):
    WebDriverWait(browser, 10).until(
        lambda page: (
            page.execute_script("return document.readyState") == "complete"
            and page.execute_script("return window.__plenaryMark !== true")
        )
    )


def submit(browser, loads, selector):
    browser.find_element(By.CSS_SELECTOR, selector).click()
    wait_for_page(browser)
    loads.seen()


def typed(browser, text: str):
    ActionChains(browser).send_keys(text).perform()


def test_secretary_types_the_seed_agenda_into_a_new_meeting_and_publishes_it_in_three_page_loads(
    secretary, live_seed, screenshot
):
    browser, loads = secretary, PageLoads(secretary)
    loads.open(live_seed.url + "/admin/agenda/meeting/add/")
    browser.find_element(By.NAME, "title_es").send_keys("III Reunión Plenaria CRM–CSM (ensayo)")
    # The slug is left empty: a short one is made.
    for box in browser.find_elements(By.NAME, "conferences"):
        box.click()
    for name, value in [
        ("starts_at_0", "31/05/2022"),
        ("starts_at_1", "09:00"),
        ("ends_at_0", "31/05/2022"),
        ("ends_at_1", "11:00"),
    ]:
        field = browser.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    browser.find_element(By.NAME, "video_call_platform").send_keys("Zoom")
    submit(browser, loads, "input[name=_save]")
    assert "Editar la agenda" in browser.title

    rows = seed_rows()
    first = browser.find_element(By.NAME, "row-0-time")
    first.click()
    for number, (kind, time, activity, participants) in enumerate(rows):
        if number:
            # From the row above's activity: Ctrl+Enter adds a sub-item, Ctrl+Shift+Enter a topic.
            ActionChains(browser).key_down(Keys.CONTROL).perform()
            if kind == "topic":
                ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
            else:
                ActionChains(browser).send_keys(Keys.ENTER).perform()
            ActionChains(browser).key_up(Keys.CONTROL).perform()
        if kind == "topic":
            typed(browser, time)
            typed(browser, Keys.TAB)
        typed(browser, activity)
        if participants:
            typed(browser, Keys.TAB)
            typed(browser, participants)
            typed(browser, Keys.SHIFT + Keys.TAB)
        loads.seen()
    screenshot("agenda-editor-typed")
    assert loads.count == 2  # adding and typing rows loaded no page
    submit(browser, loads, "#editor-publish")
    assert (
        "Se guardó la agenda y se publicó la reunión."
        in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    )
    browser.set_window_size(1280, 2000)
    screenshot("agenda-editor")
    assert loads.count == 3
    meeting = Meeting.objects.get(slug="iii-plenaria-crm-csm-ensayo-2022")
    assert meeting.time_zone == "America/Costa_Rica"  # the conferences' usual zone, not the list's first
    assert meeting.status == Meeting.Status.PUBLISHED
    assert agenda_shape(meeting) == agenda_shape(Meeting.objects.get(slug=SEED_SLUG))


def new_draft_like_the_seed() -> Meeting:
    seed = Meeting.objects.get(slug=SEED_SLUG)
    meeting = MeetingFactory(
        title="Copia",
        slug="copia",
        starts_at=seed.starts_at,
        ends_at=seed.ends_at,
        status=Meeting.Status.DRAFT,
    )
    meeting.conferences.set(seed.conferences.all())
    return meeting


def wait_for_rows(browser, count):
    """Wait until the table shows `count` rows with an activity (the page's script replaced it)."""
    WebDriverWait(browser, 10).until(
        lambda page: (
            page.execute_script(
                "return [...document.querySelectorAll('.cell-title')].filter(cell => cell.value).length"
            )
            >= count
        )
    )


def test_secretary_pastes_the_seed_table_and_publishes_it(secretary, live_seed, screenshot):
    browser, loads = secretary, PageLoads(secretary)
    meeting = new_draft_like_the_seed()
    loads.open(f"{live_seed.url}/admin/agenda/meeting/{meeting.pk}/agenda/")
    text = concept_note_docx.SEED_NOTE.read_text()
    table = text[text.index("\tHorario") :]
    box = browser.find_element(By.NAME, "pasted")
    # What the clipboard holds after copying the table's text: Chromium fires the paste as a person's would.
    browser.execute_script(
        """
        const [box, text] = arguments;
        const data = new DataTransfer();
        data.setData("text/plain", text);
        box.value = text;
        box.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
        """,
        box,
        table,
    )
    wait_for_rows(browser, 12)
    loads.seen()
    screenshot("agenda-editor-pasted")
    submit(browser, loads, "#editor-publish")
    assert loads.count == 2
    assert agenda_shape(meeting) == agenda_shape(Meeting.objects.get(slug=SEED_SLUG))


def test_secretary_uploads_the_seed_concept_note_and_saves_it(secretary, live_seed, tmp_path):
    browser, loads = secretary, PageLoads(secretary)
    meeting = new_draft_like_the_seed()
    loads.open(f"{live_seed.url}/admin/agenda/meeting/{meeting.pk}/agenda/")
    note = concept_note_docx.FOLDER / "iii_plenaria_crm_csm.docx"
    browser.find_element(By.NAME, "concept_note").send_keys(str(note))
    wait_for_rows(browser, 12)
    loads.seen()
    assert browser.find_element(By.NAME, "title").get_attribute("value").startswith("III REUNIÓN PLENARIA")
    submit(browser, loads, "#editor-publish")
    assert loads.count == 2
    seed = Meeting.objects.get(slug=SEED_SLUG)
    assert agenda_shape(meeting) == agenda_shape(seed)
    meeting.refresh_from_db()
    assert meeting.general_objective_es == seed.general_objective_es


def cell(browser, title_start: str, column: str):
    row = browser.find_element(
        By.XPATH,
        f"//tr[contains(@class,'editor-row')][.//input[@class='cell-title' and starts-with(@value, '{title_start}')]]",
    )
    return row, row.find_element(By.CSS_SELECTOR, f".cell-{column}")


def retype(element, text):
    element.clear()
    element.send_keys(text)


def test_secretary_sees_each_mistake_at_its_row_and_in_the_summary_and_nothing_is_saved(
    secretary, live_seed, screenshot
):
    from agenda.models import Presidency

    browser = secretary
    seed = Meeting.objects.get(slug=SEED_SLUG)
    before = agenda_shape(seed)
    Presidency.objects.filter(conference__acronym="CSM").delete()
    browser.get(f"{live_seed.url}/admin/agenda/meeting/{seed.pk}/agenda/")
    mistakes = {
        ("Cierre", "time"): "09:45 – 11:00",  # overlaps TEMA 1
        ("Comentarios", "time"): "10:00 – 10:15",  # outside its topic
        ("TEMA 2", "time"): "",  # a topic without its time
        ("Intercambio", "participants"): "Modera: PPT CSM",  # nobody holds it on the day
    }
    for (title, column), value in mistakes.items():
        retype(cell(browser, title, column)[1], value)
    browser.find_element(By.ID, "editor-save").click()
    summary = WebDriverWait(browser, 10).until(lambda page: page.find_element(By.ID, "editor-summary"))
    screenshot("agenda-editor-mistakes")
    text = summary.text
    assert "se superpone con «TEMA 1." in text.replace("“", "«").replace("”", "»")
    assert "«Comentarios países CRM-CSM»: Termina después de su tema" in text
    assert "«TEMA 2. Agenda Regional Migratoria CRM-CSM - Chile»: Un tema necesita su horario" in text
    assert "«Intercambio entre países»: Nadie ejerce la PPT CSM" in text
    for (title, column), value in mistakes.items():
        row, field = cell(browser, title, column)
        assert field.get_attribute("value") == value
        message = browser.find_element(
            By.CSS_SELECTOR, f"tr.editor-problems[data-for='{row.get_attribute('id')}']"
        )
        assert message.text
    # A summary link leads to its row.
    summary.find_element(By.PARTIAL_LINK_TEXT, "Intercambio").click()
    assert browser.execute_script("return location.hash") == "#" + cell(browser, "Intercambio", "title")[
        0
    ].get_attribute("id")
    assert agenda_shape(seed) == before


def test_two_secretaries_editing_one_agenda_the_second_save_is_refused_with_what_changed(
    open_browser, live_seed
):
    secretariat_user(password=PASSWORD)
    staff_user("ana", password=PASSWORD)
    seed = Meeting.objects.get(slug=SEED_SLUG)
    url = f"{live_seed.url}/admin/agenda/meeting/{seed.pk}/agenda/"
    first, second = sign_in(open_browser(), live_seed), sign_in(open_browser(), live_seed, "ana")
    first.get(url)
    second.get(url)
    retype(cell(first, "Apertura", "title")[1], "Apertura oficial")
    first.find_element(By.ID, "editor-save").click()
    WebDriverWait(first, 10).until(
        lambda page: "Se guardó la agenda." in page.find_element(By.CSS_SELECTOR, ".messagelist").text
    )
    retype(cell(second, "Cierre", "title")[1], "Clausura")
    second.find_element(By.ID, "editor-save").click()
    summary = WebDriverWait(second, 10).until(lambda page: page.find_element(By.ID, "editor-summary")).text
    assert "Alguien guardó esta agenda después de que usted la abrió" in summary
    assert "«Apertura oficial» fue modificado por secretaria" in summary
    assert "“Apertura” → “Apertura oficial”" in summary
    assert cell(second, "Clausura", "title")[1].get_attribute("value") == "Clausura"
    assert not seed.agenda_items.filter(title_es="Clausura").exists()


def test_the_participants_cell_suggests_the_next_name_after_those_typed(secretary, live_seed):
    browser = secretary
    seed = Meeting.objects.get(slug=SEED_SLUG)
    browser.get(f"{live_seed.url}/admin/agenda/meeting/{seed.pk}/agenda/")
    field = cell(browser, "Bienvenida", "participants")[1]
    field.send_keys("SE CRM y S")
    offered = browser.execute_script(
        "return [...document.querySelectorAll('#agenda-names option')].map(o => o.value)"
    )
    assert "SE CRM y ST CSM" in offered and "SE CRM y PPT CRM" in offered
    assert "Oficinas Regionales OIM" not in offered


def test_enter_in_the_meetings_title_saves_and_in_a_cell_goes_down_the_column(secretary, live_seed):
    browser = secretary
    seed = Meeting.objects.get(slug=SEED_SLUG)
    browser.get(f"{live_seed.url}/admin/agenda/meeting/{seed.pk}/agenda/")
    _, first = cell(browser, "Introducción", "title")
    first.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element == cell(browser, "Bienvenida", "title")[1]
    title = browser.find_element(By.NAME, "title")
    title.send_keys(" (corregido)", Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda page: page.find_elements(By.CSS_SELECTOR, ".messagelist"))
    assert "Se guardó la agenda." in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    assert Meeting.objects.get(pk=seed.pk).title_es.endswith("(corregido)")
