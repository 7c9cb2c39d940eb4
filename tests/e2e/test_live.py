"""The timekeeper's console and a participant's page, in two browsers at once."""

import pytest
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from ..factories import secretariat_user
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SEED = "/meetings/iii-reunion-plenaria-crm-csm/"
PASSWORD = "una-clave-de-prueba-larga"
# What the issue promises participants: the new item within five seconds, no reload.
FOLLOW_SECONDS = 5


def now_title(browser) -> str:
    try:
        return browser.find_element(By.CSS_SELECTOR, '#live [data-live="now-title"]').text
    except WebDriverException as error:
        # Chromium's word for an element whose page a form post is replacing: read it again.
        if "does not belong to the document" not in str(error):
            raise
        return ""


def wait_until(browser, condition) -> None:
    """Wait for `condition`, across the page loads a form post or a console reload causes."""
    WebDriverWait(browser, FOLLOW_SECONDS, ignored_exceptions=(StaleElementReferenceException,)).until(
        condition
    )


def open_console(open_browser, live_seed_today):
    """A browser signed in as the secretariat, on the seed meeting's timekeeper console."""
    return sign_in(open_browser(), live_seed_today, SEED + "timekeeper/", PASSWORD)


def test_participant_page_follows_the_timekeeper_without_a_reload(open_browser, live_seed_today, screenshot):
    secretariat_user(password=PASSWORD)
    keeper = open_console(open_browser, live_seed_today)
    keeper.find_element(By.XPATH, "//button[normalize-space()='Iniciar la reunión']").click()
    wait_until(keeper, lambda browser: "Apertura" in now_title(browser))

    participant = open_browser(time_zone="America/Santiago")
    participant.get(live_seed_today.url + SEED)
    wait_until(participant, lambda browser: now_title(browser) == "Apertura")
    participant.execute_script("window.samePage = true")  # gone if the page reloads

    # The timekeeper presses N, the keyboard shortcut for "next".
    keeper.find_element(By.TAG_NAME, "body").send_keys("n")
    wait_until(keeper, lambda browser: "TEMA 1" in now_title(browser))
    wait_until(participant, lambda browser: now_title(browser).startswith("TEMA 1."))
    assert participant.execute_script("return window.samePage") is True
    row = participant.find_element(By.CSS_SELECTOR, "tr.live-now")
    assert "TEMA 1." in row.text
    screenshot("live-participant-after-next")
    open_browser.drivers.append(open_browser.drivers.pop(0))  # screenshot the console too
    screenshot("live-timekeeper-after-next")


def test_speaker_view_counts_down_in_large_digits(open_browser, live_seed_today, screenshot):
    from agenda import live
    from agenda.models import Meeting

    meeting = Meeting.objects.get(slug="iii-reunion-plenaria-crm-csm")
    from django.utils import timezone

    live.start_meeting(meeting, by=None, at=timezone.now())
    speaker = open_browser()
    speaker.set_window_size(1280, 720)
    speaker.get(live_seed_today.url + SEED + "speaker/")
    remaining = speaker.find_element(By.CSS_SELECTOR, ".live-remaining")
    first = remaining.text
    WebDriverWait(speaker, 4).until(lambda browser: remaining.text != first)
    assert remaining.text.startswith("14:") or remaining.text.startswith("15:")
    font_size = float(remaining.value_of_css_property("font-size").removesuffix("px"))
    assert font_size >= 150, "readable from across a room"
    screenshot("live-speaker-view")


def test_a_second_timekeepers_press_updates_the_first_console(open_browser, live_seed_today):
    secretariat_user(password=PASSWORD)
    first, second = (open_console(open_browser, live_seed_today) for _ in range(2))
    second.find_element(By.XPATH, "//button[normalize-space()='Iniciar la reunión']").click()
    wait_until(
        first,
        lambda browser: browser.find_elements(By.XPATH, "//button[normalize-space()='Siguiente punto']"),
    )
