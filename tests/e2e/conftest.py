"""Headless Chromium from Debian's packages, driven by Selenium against the live server."""

import io
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from agenda.models import Meeting

from ..factories import held_today

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
# The seed meeting's zone, in which a browser sees no second column of times.
MEETING_ZONE = "America/Costa_Rica"
# Screenshots land here for a person to look at; the folder is git-ignored.
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Without the background-networking flags Chromium calls out to Google at start,
# which this sandbox (and CI) refuses.
LAUNCH_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def open_browser(tmp_path):
    """Start Chromium asking for `language`, its clock in `time_zone` (Chromium's emulation)."""
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.fail(
            f"Install Debian's chromium and chromium-driver ({CHROMIUM}, {CHROMEDRIVER}): see .ci/run"
        )
    drivers = []

    def start(language: str = "es", time_zone: str = MEETING_ZONE):
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        profile = tmp_path / f"profile-{len(drivers)}"
        for flag in [
            *LAUNCH_FLAGS,
            "--window-size=1280,900",
            f"--lang={language}",
            f"--user-data-dir={profile}",
        ]:
            options.add_argument(flag)
        options.add_experimental_option("prefs", {"intl.accept_languages": language})
        # TZ as well as the emulation: the emulation reaches the top page only, not a frame
        # from another site (the embedded agenda), which runs in a process of its own.
        service = Service(CHROMEDRIVER, env={**os.environ, "TZ": time_zone})
        driver = webdriver.Chrome(options=options, service=service)
        drivers.append(driver)
        driver.implicitly_wait(5)
        driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": time_zone})
        return driver

    start.drivers = drivers
    yield start
    for driver in drivers:
        driver.quit()


@pytest.fixture
def browser(open_browser):
    """A Spanish-speaking browser in the seed meeting's own zone: it sees one column of times."""
    return open_browser()


@pytest.fixture
def screenshot(open_browser):
    """Save what the browser started last shows, as test-artifacts/<name>.png."""

    def take(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        open_browser.drivers[-1].save_screenshot(str(path))
        return path

    return take


@pytest.fixture
def live_seed(transactional_db, live_server):
    call_command("load_seed", stdout=io.StringIO())
    return live_server


@pytest.fixture
def live_seed_today(live_seed):
    """The seed meeting moved to today (same wall-clock times), so that its clock may start."""
    held_today(Meeting.objects.get(slug="iii-reunion-plenaria-crm-csm"))
    return live_seed


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def serious_accessibility_violations(driver) -> list[str]:
    """What axe-core (Deque's checker, from npm) finds serious or critical on the page shown."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(done, (error) => done({error: String(error)}));"
    )
    assert "error" not in result, result
    return [
        f"{violation['id']}: {node['target']} {node.get('failureSummary', '')[:200]}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"]
    ]


def wait_for(browser, condition, seconds: float = 6):
    """Wait for `condition`, reading the page afresh each time.

    A press or a poll reloads the page under the test: an element read while the next page
    replaces it is stale, missing, or "does not belong to the document" (Chromium's words).
    """
    return WebDriverWait(browser, seconds, ignored_exceptions=(WebDriverException,)).until(condition)


def sign_in(browser, server, next_path: str, password: str):
    """Sign the secretariat's user in through the admin's login page, landing on `next_path`."""
    browser.get(f"{server.url}/admin/login/?next={next_path}")
    browser.find_element(By.NAME, "username").send_keys("secretaria")
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    return browser
