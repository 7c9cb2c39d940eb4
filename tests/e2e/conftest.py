"""Headless Chromium from Debian's packages, driven by Selenium against the live server."""

import io
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
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
def browser(tmp_path):
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.fail(
            f"Install Debian's chromium and chromium-driver ({CHROMIUM}, {CHROMEDRIVER}): see .ci/run"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*LAUNCH_FLAGS, "--window-size=1280,900", "--lang=es", f"--user-data-dir={tmp_path}"]:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "es"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


@pytest.fixture
def screenshot(browser):
    def take(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        browser.save_screenshot(str(path))
        return path

    return take


@pytest.fixture
def live_seed(transactional_db, live_server):
    call_command("load_seed", stdout=io.StringIO())
    return live_server
