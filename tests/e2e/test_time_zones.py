"""A delegate's browser shows the agenda in their own time, with no choice to make."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from .test_browser import agenda_rows

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SEED = "/meetings/iii-reunion-plenaria-crm-csm/"


def open_seed_meeting(browser, live_seed):
    browser.get(live_seed.url + SEED)
    # The first visit detects the zone and reloads once in it.
    WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "th.agenda-viewer-time"))
    )
    return agenda_rows(browser)


@pytest.mark.parametrize(
    ("time_zone", "label", "first_item"),
    [
        ("America/Santiago", "Santiago de Chile · GMT-4", "11:00 – 11:15"),
        ("America/Toronto", "Toronto · GMT-4", "11:00 – 11:15"),
        ("America/Sao_Paulo", "São Paulo · GMT-3", "12:00 – 12:15"),
    ],
)
def test_browser_zone_is_detected_and_shown_beside_gmt_minus_6(
    open_browser, live_seed, screenshot, time_zone, label, first_item
):
    browser = open_browser(time_zone=time_zone)
    rows = open_seed_meeting(browser, live_seed)
    assert rows[0][:3] == ["09:00 – 09:15", first_item, "Apertura"]
    header = browser.find_element(By.CSS_SELECTOR, "th.agenda-viewer-time").text
    assert header == f"Su hora ({label})"
    screenshot(f"seed-meeting-{time_zone.replace('/', '-')}")


def test_santiago_browser_asking_for_english(open_browser, live_seed, screenshot):
    browser = open_browser(language="en", time_zone="America/Santiago")
    rows = open_seed_meeting(browser, live_seed)
    assert rows[0][:3] == ["09:00 – 09:15", "11:00 – 11:15", "Opening"]
    facts = browser.find_element(By.CSS_SELECTOR, ".meeting-facts").text
    assert "09:00–11:00 (GMT-6) · 11:00–13:00 in Santiago · GMT-4" in facts
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    screenshot("seed-meeting-santiago-english")


def test_without_javascript_the_tz_parameter_still_works(open_browser, live_seed):
    browser = open_browser(time_zone="America/Santiago")
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    browser.get(live_seed.url + SEED)
    cells = [
        cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "tbody tr:first-child td.agenda-time")
    ]
    assert cells[0].startswith("09:00 – 09:15")
    assert not browser.find_elements(By.CSS_SELECTOR, "th.agenda-viewer-time"), "no zone without a choice"
    browser.get(live_seed.url + SEED + "?tz=America/Sao_Paulo")
    cells = [
        cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "tbody tr:first-child td.agenda-time")
    ]
    assert cells[1] == "12:00 – 12:15"
