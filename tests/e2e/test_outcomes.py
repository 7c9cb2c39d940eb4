"""Commitments in a browser: the next meeting shows what the last one left open, and the conference's list."""

import pytest
from selenium.webdriver.common.by import By

from agenda import outcomes
from agenda.models import Meeting

from ..test_outcomes import concluded as concluded  # the fixture: the III Plenaria with its commitments
from ..test_outcomes import next_plenaria

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def seed_meeting(live_seed):
    return Meeting.objects.get(slug="iii-reunion-plenaria-crm-csm")


def test_the_next_plenaria_carries_the_open_commitments_to_the_conference_list(
    browser, live_seed, concluded, screenshot
):
    outcomes.publish_conclusions(concluded)
    fourth = next_plenaria(concluded)
    browser.get(live_seed.url + fourth.get_absolute_url())
    carried = browser.find_element(By.ID, "open-commitments")
    assert "Compromisos pendientes de reuniones anteriores" in carried.text
    listed = [
        row.find_element(By.CLASS_NAME, "commitment-what").text
        for row in carried.find_elements(By.CSS_SELECTOR, "li.commitment")
    ]
    assert listed == ["Informe sobre las recomendaciones del FEMI", "Propuesta de agenda común"]
    assert "III Reunión Plenaria" in carried.text, "each names the meeting that made it"
    screenshot("commitments-carried-into-the-iv-plenaria")

    link = carried.find_element(By.LINK_TEXT, "Todos los compromisos de la CSM")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", link)
    link.click()
    heading = browser.find_element(By.TAG_NAME, "h1")
    assert heading.text == "Compromisos de la CSM"
    groups = {
        group.find_element(By.TAG_NAME, "h2").text.rsplit(" ", 1)[0]: group
        for group in browser.find_elements(By.CSS_SELECTOR, "section.commitments-group")
    }
    assert list(groups) == ["Pendiente", "En curso", "Cumplido", "Abandonado"]
    assert "PPT CSM" in groups["En curso"].text and "Propuesta de agenda común" in groups["En curso"].text
    assert (
        "Mapa de programas" in groups["Cumplido"].text
        and "Publicado en la web de la CRM." in groups["Cumplido"].text
    )
    assert "Ninguno." in groups["Abandonado"].text
    screenshot("commitments-of-the-csm")
