import pytest
from selenium.webdriver.common.by import By
from agenda import live, floor
from agenda.models import Meeting, AgendaItem, Registration, SpeakersList
from django.utils import timezone
from .conftest import serious_accessibility_violations
from ..factories import secretariat_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_probe(open_browser, live_seed_today):
    secretariat_user(password="una-clave-de-prueba-larga")
    meeting = Meeting.objects.get()
    tema = AgendaItem.objects.get(title__startswith="TEMA 1")
    SpeakersList.objects.create(item=tema)
    reg = Registration.objects.create(
        meeting=meeting, name="Paula", email="p@x.cl", affiliation="Chile", role="delegate"
    )
    reg2 = Registration.objects.create(
        meeting=meeting, name="Ana", email="a@x.mx", affiliation="México", role="delegate"
    )
    now = timezone.now()
    live.start_meeting(meeting, by=None, at=now)
    live.next_item(meeting, AgendaItem.objects.get(title="Apertura"), by=None, at=now)
    floor.ask(reg, tema, at=now)
    floor.ask(reg2, tema, at=now)
    b = open_browser()
    b.get(live_seed_today.url + "/admin/login/?next=/meetings/iii-reunion-plenaria-crm-csm/timekeeper/")
    b.find_element(By.NAME, "username").send_keys("secretaria")
    b.find_element(By.NAME, "password").send_keys("una-clave-de-prueba-larga")
    b.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    out = {}
    for name, url in [
        ("console", "/meetings/iii-reunion-plenaria-crm-csm/timekeeper/"),
        ("public", "/meetings/iii-reunion-plenaria-crm-csm/"),
        ("speaker", "/meetings/iii-reunion-plenaria-crm-csm/speaker/"),
        ("private", reg.get_private_url()),
    ]:
        b.get(live_seed_today.url + url)
        import time

        time.sleep(1)
        out[name] = serious_accessibility_violations(b)
        b.save_screenshot(f"/tmp/scratch/{name}.png")
    print(out)
    assert not any(out.values()), "\n".join(f"{k}: {v}" for k, vs in out.items() for v in vs)
