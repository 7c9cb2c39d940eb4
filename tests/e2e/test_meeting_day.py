"""The meeting day in a real browser: the console, a rehearsal, the floor's keys, every time
with its zone, paper, the admin's publish and shift pages, and the agenda framed on another site."""

import base64
import http.server
import io
import threading

import pytest
from django.utils import timezone
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions

from agenda import live
from agenda.models import AgendaItem, LiveEvent, Meeting, Registration, SpeakersList, Statement

from ..factories import secretariat_user
from .conftest import serious_accessibility_violations, sign_in, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SEED = "/meetings/iii-reunion-plenaria-crm-csm/"
PASSWORD = "una-clave-de-prueba-larga"
# West and east of the meeting's GMT-6, on any day of the year.
WEST, EAST = "America/Los_Angeles", "America/Sao_Paulo"


def signed_in(open_browser, server, next_path: str, **browser_options):
    secretariat_user(password=PASSWORD)
    return sign_in(open_browser(**browser_options), server, next_path, PASSWORD)


def text(browser, selector: str) -> str:
    """The element's text once the page holds it, whatever page was loading before."""
    return wait_for(browser, lambda page: [page.find_element(By.CSS_SELECTOR, selector).text])[0]


def button(browser, label: str):
    return browser.find_element(By.XPATH, f"//button[normalize-space()='{label}']")


def test_a_speakers_list_added_at_its_defaults_is_created_and_says_so(open_browser, live_seed):
    tema_2 = AgendaItem.objects.get(title__startswith="TEMA 2")
    browser = signed_in(open_browser, live_seed, f"/admin/agenda/agendaitem/{tema_2.pk}/change/")
    add = browser.find_element(By.CSS_SELECTOR, "#speakers_list-group .add-row a")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", add)
    add.click()
    # Nothing changed from its defaults (3 min, every role): saved as it stands.
    browser.find_element(By.NAME, "_continue").click()
    assert "Lista de oradores creada: 3 min por intervención" in text(browser, ".messagelist")
    assert SpeakersList.objects.get(item=tema_2).minutes_per_intervention == 3


def test_ending_the_meeting_asks_first_and_can_be_undone(open_browser, live_seed_today, screenshot):
    console = signed_in(open_browser, live_seed_today, SEED + "timekeeper/")
    assert "· 09:00–11:00 (GMT-6)" in text(console, ".meeting-when")
    button(console, "Iniciar la reunión").click()
    wait_for(console, lambda page: "Apertura" in text(page, '#live [data-live="now-title"]'))
    console.find_element(By.CSS_SELECTOR, ".end-meeting > summary").click()
    # One press only opens the question: the meeting still runs.
    assert live.load_replay(Meeting.objects.get()).status == "running"
    assert "Puede deshacerlo durante 30 minutos" in text(console, ".end-meeting-confirm")
    screenshot("console-end-confirmation")
    button(console, "Sí, terminar la reunión").click()
    ended = wait_for(console, lambda page: page.find_element(By.CSS_SELECTOR, ".meeting-ended"))
    assert ended.text.startswith("La reunión terminó a las ") and ended.text.endswith("(GMT-6).")
    console.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Deshacer el fin')]").click()
    wait_for(console, lambda page: button(page, "Pausa"))
    assert "Apertura" in text(console, '#live [data-live="now-title"]')
    kinds = list(LiveEvent.objects.values_list("kind", flat=True))
    assert kinds == ["start_meeting", "end_meeting", "undo_end"]


def test_on_another_day_the_console_refuses_to_start_and_a_rehearsal_runs_apart(
    open_browser, live_seed, screenshot
):
    console = signed_in(open_browser, live_seed, SEED + "timekeeper/")
    assert "martes, 31 de mayo de 2022" in text(console, ".meeting-when")
    assert "Hoy no es el día de la reunión (31 de mayo de 2022)" in text(console, ".not-the-day")
    button(console, "Iniciar la reunión").click()
    assert "Para probar la consola, abra el ensayo." in text(console, ".alert-danger")
    assert not LiveEvent.objects.exists()

    console.find_element(By.LINK_TEXT, "Ensayar en su lugar").click()
    assert text(console, ".rehearsal-badge") == "Ensayo"
    button(console, "Iniciar la reunión").click()
    wait_for(console, lambda page: "Apertura" in text(page, '#live [data-live="now-title"]'))
    console.find_element(By.TAG_NAME, "body").send_keys("n")
    wait_for(console, lambda page: "TEMA 1" in text(page, '#live [data-live="now-title"]'))
    screenshot("console-rehearsal")

    # The public page and the report know nothing of it.
    participant = open_browser(time_zone=EAST)
    participant.get(live_seed.url + SEED)
    assert participant.find_elements(By.CSS_SELECTOR, "#live") == []
    assert live.load_replay(Meeting.objects.get()).status == "not_started"

    button(console, "Descartar el ensayo").click()
    assert "Ensayo descartado (2 acciones)." in text(console, ".alert-info")
    assert not LiveEvent.objects.exists()


def running_floor(meeting: Meeting) -> AgendaItem:
    """TEMA 1 running with a speakers' list and two delegations waiting."""
    tema_1 = AgendaItem.objects.get(title__startswith="TEMA 1")
    SpeakersList.objects.create(item=tema_1)
    now = timezone.now()
    live.start_meeting(meeting, by=None, at=now)
    live.next_item(meeting, AgendaItem.objects.get(title="Apertura"), by=None, at=now)
    for name, country in (("Paula", "Chile"), ("Ana", "México")):
        registration = Registration.objects.create(
            meeting=meeting, name=name, email=f"{name}@example.org", affiliation=country
        )
        live.ask(registration, tema_1, at=now)
    return tema_1


def test_the_floors_actions_have_keys_a_visible_legend_and_no_empty_line(open_browser, live_seed_today):
    running_floor(Meeting.objects.get())
    console = signed_in(open_browser, live_seed_today, SEED + "timekeeper/")
    legend = text(console, ".key-legend")
    for key in ("N siguiente punto", "P pausar o reanudar", "G dar la palabra al siguiente de la lista"):
        assert key in legend
    assert (
        float(
            console.execute_script(
                "return parseFloat(getComputedStyle(document.querySelector('.key-legend')).fontSize)"
            )
        )
        >= 16
    )
    # Nobody speaks yet: the banner has no "Has the floor: — ·" line.
    assert not console.find_element(By.CSS_SELECTOR, '#live [data-live="floor-now"]').is_displayed()
    console.find_element(By.TAG_NAME, "body").send_keys("g")
    wait_for(console, lambda page: "Tiene la palabra: Chile" in text(page, ".floor-speaking"))
    console.find_element(By.TAG_NAME, "body").send_keys("m")
    wait_for(console, lambda page: LiveEvent.objects.filter(kind="extend").exists())
    console.find_element(By.TAG_NAME, "body").send_keys("e")
    wait_for(console, lambda page: not page.find_elements(By.CSS_SELECTOR, ".floor-speaking"))
    kinds = list(LiveEvent.objects.filter(kind__in=live.FLOOR_KINDS).values_list("kind", flat=True))
    assert kinds == ["ask_floor", "ask_floor", "give_floor", "extend", "end_intervention"]


YOUR_TIME = {"es": "Su hora", "en": "Your time", "pt": "Seu horário"}
CITY = {("es", WEST): "Los Ángeles", ("en", WEST): "Los Angeles", ("pt", WEST): "Los Angeles"}


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["es", "en", "pt"])
@pytest.mark.parametrize("zone", [WEST, EAST])
def test_every_time_on_the_public_page_names_its_zone(open_browser, live_seed_today, width, language, zone):
    meeting = Meeting.objects.get()
    running_floor(meeting)
    browser = open_browser(language=language, time_zone=zone)
    browser.set_window_size(width, 900)
    browser.get(live_seed_today.url + SEED)
    wait_for(browser, lambda page: page.find_elements(By.CSS_SELECTOR, "th.agenda-viewer-time"))
    city = CITY.get((language, zone), "São Paulo")
    label = text(browser, "th.agenda-viewer-time") if width > 360 else ""
    # The banner's times are the reader's, each saying so.
    wait_for(browser, lambda page: city in text(page, '#live [data-live="next-title"]'))
    assert text(browser, '#live [data-live="next-title"]').endswith(")")
    assert city in text(browser, '#live [data-live="list-end"]')
    if width == 360:
        # On a phone the headings are hidden: each row labels its reader's range itself.
        row = browser.find_element(By.CSS_SELECTOR, "tr.agenda-topic td.agenda-viewer-time").text
        assert row.startswith(f"{YOUR_TIME[language]} ({city} · GMT-")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
    else:
        assert label.startswith(f"{YOUR_TIME[language]} ({city} · GMT-")
    notices = browser.find_elements(By.CSS_SELECTOR, ".translation-notice")
    assert len(notices) == (0 if language == "es" else 1)
    assert browser.find_elements(By.CSS_SELECTOR, ".fallback-marker") == []


@pytest.mark.parametrize("language", ["es", "en", "pt"])
def test_printing_the_page_puts_the_whole_agenda_on_one_a4_page(open_browser, live_seed, language):
    browser = open_browser(language=language, time_zone=WEST)
    browser.get(live_seed.url + SEED)
    wait_for(browser, lambda page: page.find_elements(By.CSS_SELECTOR, "th.agenda-viewer-time"))
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    pages = PdfReader(io.BytesIO(base64.b64decode(browser.print_page(options)))).pages
    first = " ".join(pages[0].extract_text().split())
    topics = AgendaItem.objects.filter(parent=None).order_by("starts_at")
    for topic in topics:
        title = getattr(topic, f"title_{language}") or topic.title_es
        assert " ".join(title.split()[:3]) in first, title
    assert "09:00 – 09:15" in first and "10:45 – 11:00" in first  # the official times, beside the reader's


def test_axe_reports_no_serious_violation_on_the_live_pages(open_browser, live_seed_today):
    meeting = Meeting.objects.get()
    tema_1 = running_floor(meeting)
    chile = Registration.objects.get(affiliation="Chile")
    live.send_statement(chile, tema_1, Statement(text="Chile agradece."), at=timezone.now())
    private = chile.get_private_url()
    interpreters = Registration.objects.create(
        meeting=meeting, name="João", email="joao@example.org", affiliation="Intérpretes", role="interpreter"
    ).get_private_url()
    console = signed_in(open_browser, live_seed_today, SEED + "timekeeper/")
    found = {}
    for width in (360, 1280):
        console.set_window_size(width, 900)
        for name, path in [
            ("public page", SEED),
            ("private page", private),
            ("interpreters' page", interpreters),
            ("console", SEED + "timekeeper/"),
            ("speaker view", SEED + "speaker/"),
            ("embed", SEED + "embed/"),
        ]:
            console.get(live_seed_today.url + path)
            wait_for(console, lambda page: page.execute_script("return document.readyState") == "complete")
            found[f"{name} at {width} px"] = serious_accessibility_violations(console)
    assert not any(found.values()), found


class HostSite(http.server.BaseHTTPRequestHandler):
    """A conference's own website: one page framing the agenda."""

    page = b""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args):
        pass


@pytest.fixture
def host_site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HostSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def framed_text(browser, host_site, src: str) -> str:
    HostSite.page = (
        f'<!doctype html><title>CRM</title><iframe src="{src}" width="900" height="700"></iframe>'.encode()
    )
    browser.get(f"http://127.0.0.1:{host_site.server_port}/")
    frame = browser.find_element(By.TAG_NAME, "iframe")
    browser.switch_to.frame(frame)
    try:
        tables = browser.find_elements(By.CSS_SELECTOR, "table.agenda-table")
        return tables[0].text if tables else ""
    finally:
        browser.switch_to.default_content()


def test_the_agenda_embeds_only_on_the_sites_the_setting_names(open_browser, live_seed, host_site, settings):
    settings.PLENARY_EMBED_FRAME_ANCESTORS = [f"http://127.0.0.1:{host_site.server_port}"]
    browser = open_browser(language="en", time_zone=EAST)
    embed = live_seed.url + SEED + "embed/"
    wait_for(browser, lambda page: "Your time (São Paulo · GMT-3)" in framed_text(page, host_site, embed), 10)
    shown = framed_text(browser, host_site, embed)
    assert "09:00 – 09:15" in shown and "12:00 – 12:15" in shown and "Opening" in shown
    # The meeting's own page may not be framed; nor the embed by a site not named.
    assert framed_text(browser, host_site, live_seed.url + SEED) == ""
    settings.PLENARY_EMBED_FRAME_ANCESTORS = ["https://www.crmsv.org"]
    assert framed_text(browser, host_site, embed + "?lang=es") == ""

    browser.get(live_seed.url + SEED)
    snippet = browser.find_element(By.ID, "embed-code").get_attribute("value")
    assert snippet.startswith(f'<iframe src="{embed}"') and "</iframe>" in snippet


def test_the_secretary_publishes_from_the_meetings_page_after_seeing_what_participants_will(
    open_browser, live_seed
):
    meeting = Meeting.objects.get()
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.DRAFT)
    browser = signed_in(open_browser, live_seed, f"/admin/agenda/meeting/{meeting.pk}/change/")
    browser.find_element(By.CSS_SELECTOR, "a.publish-link").click()
    preview = text(browser, ".action-preview")
    assert "Lo que verán los participantes:" in preview
    assert "31 de mayo de 2022 · 09:00–11:00 GMT-6" in preview and "09:15–10:00 · TEMA 1." in preview
    browser.find_element(By.CSS_SELECTOR, "input.default").click()
    assert "Publicada: los participantes ya la ven" in text(browser, ".messagelist")
    assert Meeting.objects.get().status == Meeting.Status.PUBLISHED


def test_the_shift_form_previews_the_moved_items_and_the_new_end(open_browser, live_seed):
    tema_2 = AgendaItem.objects.get(title__startswith="TEMA 2")
    browser = signed_in(open_browser, live_seed, f"/admin/agenda/agendaitem/{tema_2.pk}/shift/")
    browser.find_element(By.NAME, "minutes").send_keys("5")
    browser.find_element(By.NAME, "_preview").click()
    preview = text(browser, ".action-preview")
    assert "10:05–10:50 GMT-6 · TEMA 2. Agenda Regional Migratoria CRM-CSM - Chile" in preview
    assert "10:50–11:05 GMT-6 · Cierre y Conclusiones" in preview
    assert "La reunión termina entonces a las 11:05 GMT-6." in preview
    assert AgendaItem.objects.get(pk=tema_2.pk).starts_at == tema_2.starts_at  # nothing moved yet
    browser.find_element(By.CSS_SELECTOR, "input.default").click()
    assert "Se movieron" in text(browser, ".messagelist")
