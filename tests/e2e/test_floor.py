"""The floor in six browsers: three delegations ask, the moderator gives the floor, the room follows."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from agenda import live
from agenda.models import AgendaItem, LiveEvent, Meeting, Presidency, Registration, SpeakersList

from ..factories import held_in, secretariat_user
from .test_live import PASSWORD, SEED, open_console, wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
Kind = LiveEvent.Kind


def text_of(browser, selector: str) -> str:
    """What an element shows now, or "" while a form post or a poll replaces it."""
    try:
        return browser.find_element(By.CSS_SELECTOR, selector).text
    except Exception:  # stale or not yet there: read again on the next try
        return ""


def last(open_browser, browser) -> None:
    """Make `browser` the one `screenshot` takes."""
    open_browser.drivers.append(open_browser.drivers.pop(open_browser.drivers.index(browser)))


def test_three_delegations_ask_and_the_room_follows_the_floor_without_a_reload(
    open_browser, live_seed_today, screenshot
):
    meeting = Meeting.objects.get(slug="iii-reunion-plenaria-crm-csm")
    tema_1 = AgendaItem.objects.get(title__startswith="TEMA 1")
    SpeakersList.objects.create(item=tema_1, minutes_per_intervention=3)
    links = {}
    for delegation, email, role in [
        ("OIM", "olga@iom.int", Registration.Role.OBSERVER),
        ("Chile", "paula@minrel.cl", Registration.Role.DELEGATE),
        ("México", "ana@sre.gob.mx", Registration.Role.DELEGATE),
    ]:
        registration = Registration.objects.create(
            meeting=meeting, name=email.split("@")[0], email=email, affiliation=delegation, role=role
        )
        links[delegation] = live_seed_today.url + registration.get_private_url()
    now = timezone.now()
    live.start_meeting(meeting, by=None, at=now)
    live.next_item(meeting, AgendaItem.objects.get(title="Apertura"), by=None, at=now)

    # The observer asks first; the member states still go before it.
    participants = {}
    for delegation in ("OIM", "Chile", "México"):
        browser = participants[delegation] = open_browser()
        browser.get(links[delegation])
        browser.find_element(By.CSS_SELECTOR, "#floor input[value='Pedir la palabra']").click()
        wait_until(browser, lambda b: "Ha pedido la palabra" in text_of(b, "#floor"))
    for delegation, place in [("Chile", 1), ("México", 2), ("OIM", 3)]:
        browser = participants[delegation]
        browser.refresh()
        assert f"lugar {place} en la lista" in text_of(browser, "#floor"), delegation

    room = open_browser(time_zone="America/Santiago")
    room.get(live_seed_today.url + SEED)
    speaker_view = open_browser()
    speaker_view.set_window_size(1280, 720)
    speaker_view.get(live_seed_today.url + SEED + "speaker/")
    for browser in (room, speaker_view):
        wait_until(browser, lambda b: text_of(b, '[data-live="queue"]') == "Chile, México, OIM")
        browser.execute_script("window.samePage = true")  # gone if the page reloads

    secretariat_user(password=PASSWORD)
    console = open_console(open_browser, live_seed_today)
    wait_until(console, lambda b: b.find_elements(By.ID, "floor-console"))

    for speaker, following in [("Chile", "México, OIM"), ("México", "OIM"), ("OIM", "—")]:
        first = console.find_element(By.CSS_SELECTOR, ".floor-queue li:first-child")
        assert speaker in first.text
        first.find_element(By.XPATH, ".//button[normalize-space()='Dar la palabra']").click()
        wait_until(console, lambda b, s=speaker: s in text_of(b, ".floor-speaking"))
        for browser in (room, speaker_view):
            wait_until(browser, lambda b, s=speaker: text_of(b, '[data-live="speaker"]') == s)
            wait_until(browser, lambda b, f=following: text_of(b, '[data-live="queue"]') == f)
        if speaker == "Chile":
            assert (
                "tiene la palabra: chile · tiempo restante del orador 0"
                in text_of(room, ".live-floor").lower()
            )
            remaining = speaker_view.find_element(By.CSS_SELECTOR, ".floor-remaining")
            first_reading = remaining.text
            wait_until(speaker_view, lambda b, r=remaining, f=first_reading: r.text != f)
            assert remaining.text.startswith(("02:", "03:"))
            size = float(remaining.value_of_css_property("font-size").removesuffix("px"))
            assert size >= 150, "the speaker's own countdown, readable across a room"
            last(open_browser, speaker_view)
            screenshot("floor-speaker-view")
    participants["OIM"].refresh()
    assert "OIM tiene la palabra." in text_of(participants["OIM"], "#floor")
    for browser in (room, speaker_view):
        assert browser.execute_script("return window.samePage") is True
    last(open_browser, room)
    screenshot("floor-public-page")


def body_classes(browser) -> str:
    return browser.find_element(By.TAG_NAME, "body").get_attribute("class")


def test_the_speaker_view_turns_red_on_overrun_and_amber_at_thirty_seconds(open_browser, live_seed_today):
    meeting = Meeting.objects.get(slug="iii-reunion-plenaria-crm-csm")
    tema_1 = AgendaItem.objects.get(title__startswith="TEMA 1")
    SpeakersList.objects.create(item=tema_1, minutes_per_intervention=1)
    now = timezone.now()
    # The clock's actions are replayed in the order of their times: these come before the floor's.
    started = now - timedelta(minutes=5)
    for delegation in ("Chile", "México"):
        registration = Registration.objects.create(
            meeting=meeting, name=delegation, email=f"{delegation[:2]}@example.org", affiliation=delegation
        )
        live.ask(registration, tema_1, at=started)
    live.start_meeting(meeting, by=None, at=started)
    live.next_item(meeting, AgendaItem.objects.get(title="Apertura"), by=None, at=started)
    chile, mexico = live.load_replay(meeting).floors[tema_1.pk].waiting
    # Chile was given its minute 70 seconds ago: 10 seconds over.
    live.act(meeting, Kind.GIVE_FLOOR, tema_1, by=None, at=now - timedelta(seconds=70), request_id=chile.id)
    speaker_view = open_browser()
    speaker_view.get(live_seed_today.url + SEED + "speaker/")
    wait_until(speaker_view, lambda b: "floor-overrun" in body_classes(b))
    remaining = speaker_view.find_element(By.CSS_SELECTOR, ".floor-remaining")
    assert remaining.text.startswith("−00:1"), remaining.text
    assert remaining.value_of_css_property("color") == "rgba(255, 107, 107, 1)", "red"
    speaker_view.execute_script("window.samePage = true")
    # México was given the floor 45 seconds ago: 15 of its 60 are left.
    live.act(meeting, Kind.GIVE_FLOOR, tema_1, by=None, at=now - timedelta(seconds=45), request_id=mexico.id)
    wait_until(speaker_view, lambda b: "floor-warning" in body_classes(b))
    assert "floor-overrun" not in body_classes(speaker_view)
    remaining = speaker_view.find_element(By.CSS_SELECTOR, ".floor-remaining")
    assert remaining.value_of_css_property("color") == "rgba(240, 180, 41, 1)", "amber"
    assert speaker_view.find_element(By.CSS_SELECTOR, '[data-live="speaker"]').text == "México"
    assert speaker_view.execute_script("return window.samePage") is True


def test_a_point_of_order_from_a_private_link_jumps_the_queue_of_a_closed_list(open_browser, live_seed_today):
    meeting = Meeting.objects.get(slug="iii-reunion-plenaria-crm-csm")
    tema_1 = AgendaItem.objects.get(title__startswith="TEMA 1")
    SpeakersList.objects.create(item=tema_1, minutes_per_intervention=3)
    started = timezone.now() - timedelta(minutes=2)
    registrations = {
        delegation: Registration.objects.create(
            meeting=meeting, name=delegation, email=f"{delegation[:2]}@example.org", affiliation=delegation
        )
        for delegation in ("Chile", "México", "Perú")
    }
    for delegation in ("Chile", "México"):
        live.ask(registrations[delegation], tema_1, at=started)
    live.start_meeting(meeting, by=None, at=started)
    live.next_item(meeting, AgendaItem.objects.get(title="Apertura"), by=None, at=started)
    live.act(meeting, Kind.CLOSE_LIST, tema_1, by=secretariat_user(password=PASSWORD), at=started)

    peru = open_browser()
    peru.get(live_seed_today.url + registrations["Perú"].get_private_url())
    assert "La lista de oradores está cerrada." in text_of(peru, "#floor")
    assert not peru.find_elements(By.CSS_SELECTOR, "#floor input[value='Pedir la palabra']")
    peru.find_element(By.CSS_SELECTOR, "#floor input[value='Plantear una cuestión de orden']").click()
    wait_until(
        peru, lambda b: "Su cuestión de orden se escucha a continuación: lugar 1" in text_of(b, "#floor")
    )

    room = open_browser()
    room.get(live_seed_today.url + SEED)
    wait_until(room, lambda b: text_of(b, '[data-live="queue"]') == "Perú (cuestión de orden), Chile, México")
    console = open_console(open_browser, live_seed_today)
    first = console.find_element(By.CSS_SELECTOR, ".floor-queue li:first-child")
    assert "Perú" in first.text and "cuestión de orden" in first.text
    first.find_element(By.XPATH, ".//button[normalize-space()='Dar la palabra']").click()
    wait_until(console, lambda b: "Perú" in text_of(b, ".floor-speaking"))
    assert "cuestión de orden" in text_of(console, ".floor-speaking")
    wait_until(room, lambda b: text_of(b, '[data-live="speaker"]') == "Perú (cuestión de orden)")


def test_a_delegation_inscribes_inside_the_window_and_the_next_is_refused_once_it_closed(
    open_browser, live_seed_today
):
    # The day before the meeting: delegations put their names down.
    meeting = held_in(Meeting.objects.get(slug="iii-reunion-plenaria-crm-csm"), days=1)
    tema_1 = AgendaItem.objects.get(title__startswith="TEMA 1")
    opens = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=30)
    closes = opens + timedelta(hours=2)
    SpeakersList.objects.create(
        item=tema_1, inscription_opens_at=opens, inscription_closes_at=closes, inscribed_shown_to_public=True
    )
    links = {
        delegation: live_seed_today.url
        + Registration.objects.create(
            meeting=meeting, name=delegation, email=f"{delegation[:2]}@example.org", affiliation=delegation
        ).get_private_url()
        for delegation in ("Chile", "Perú")
    }
    chile = open_browser()
    chile.get(links["Chile"] + "?tz=America/Santiago")
    santiago = ZoneInfo("America/Santiago")
    assert f"{closes.astimezone(santiago):%H:%M} GMT-" in text_of(chile, ".floor-inscription"), (
        "the reader's zone"
    )
    chile.find_element(By.CSS_SELECTOR, "#floor input[value='Pedir la palabra']").click()
    wait_until(chile, lambda b: "lugar 1 en la lista" in text_of(b, "#floor"))
    assert "Oradores inscritos: Chile" in text_of(chile, "#floor")
    room = open_browser()
    room.get(live_seed_today.url + SEED)
    assert "Oradores inscritos" in text_of(room, "#inscribed-speakers")
    assert text_of(room, "#inscribed-speakers .inscribed-list") == "Chile", (
        "the secretariat made this list public"
    )

    # The secretariat closes the inscription early; Perú's page was opened before.
    peru = open_browser()
    peru.get(links["Perú"])
    SpeakersList.objects.filter(item=tema_1).update(inscription_closes_at=opens + timedelta(minutes=20))
    peru.find_element(By.CSS_SELECTOR, "#floor input[value='Pedir la palabra']").click()
    wait_until(peru, lambda b: "cerró el" in text_of(b, "#floor"))
    assert "La inscripción en “TEMA 1" in text_of(peru, "#floor .alert-danger")
    assert live.load_replay(meeting).floors[tema_1.pk].waiting[0].delegation == "Chile"
    assert len(live.load_replay(meeting).floors[tema_1.pk].waiting) == 1, "nothing saved for Perú"


def test_a_delegations_speaking_time_runs_out_and_the_console_shows_it(open_browser, live_seed_today):
    meeting = Meeting.objects.get(slug="iii-reunion-plenaria-crm-csm")
    tema_1 = AgendaItem.objects.get(title__startswith="TEMA 1")
    SpeakersList.objects.create(item=tema_1, minutes_per_delegation=2)
    now = timezone.now()
    keeper = secretariat_user(password=PASSWORD)
    chile, mexico = (
        Registration.objects.create(
            meeting=meeting, name=name, email=f"{name[:2]}@example.org", affiliation=name
        )
        for name in ("Chile", "México")
    )
    started = now - timedelta(minutes=10)
    live.start_meeting(meeting, by=None, at=started)
    live.next_item(meeting, AgendaItem.objects.get(title="Apertura"), by=None, at=started)
    for registration in (chile, mexico):
        live.ask(registration, tema_1, at=started)
    first, second = live.load_replay(meeting).floors[tema_1.pk].waiting
    live.act(meeting, Kind.GIVE_FLOOR, tema_1, by=keeper, at=now - timedelta(minutes=6), request_id=first.id)
    live.act(meeting, Kind.GIVE_FLOOR, tema_1, by=keeper, at=now - timedelta(minutes=5), request_id=second.id)
    live.ask(chile, tema_1, at=now - timedelta(minutes=5))  # a minute spoken, a minute left

    console = open_console(open_browser, live_seed_today)
    chile_row = console.find_element(By.CSS_SELECTOR, "#floor-console .floor-queue li:first-child")
    assert "Chile" in chile_row.text and "quedan 01:00" in text_of(console, "#floor-console .floor-budget")

    # Chile speaks again, past its minute, and asks for a right of reply while it speaks.
    again = live.load_replay(meeting).floors[tema_1.pk].waiting[0]
    live.act(meeting, Kind.GIVE_FLOOR, tema_1, by=keeper, at=now - timedelta(minutes=4), request_id=again.id)
    live.add(meeting, tema_1, "Chile", right_of_reply=True, by=keeper, at=now - timedelta(minutes=3))
    live.act(
        meeting, Kind.END_INTERVENTION, tema_1, by=keeper, at=now - timedelta(minutes=2), request_id=again.id
    )
    console.refresh()
    wait_until(console, lambda b: "sin tiempo de palabra" in text_of(b, "#floor-console .floor-queue"))
    console.find_element(
        By.XPATH, "//ol[contains(@class, 'floor-queue')]//button[normalize-space()='Dar la palabra']"
    ).click()
    wait_until(console, lambda b: "Chile ya usó sus 2 minutos" in text_of(b, ".alert-danger"))

    page = open_browser()
    page.get(live_seed_today.url + chile.get_private_url())
    page.find_element(By.CSS_SELECTOR, "#floor input[value='Pedir la palabra']").click()
    wait_until(page, lambda b: "Chile ya usó sus 2 minutos" in text_of(b, "#floor .alert-danger"))


def test_the_ppt_csm_on_behalf_of_the_csm_comes_before_national_statements(open_browser, live_seed_today):
    meeting = held_in(Meeting.objects.get(slug="iii-reunion-plenaria-crm-csm"), days=1)
    Presidency.objects.filter(country="CL").update(ends_on=None)  # Chile still holds the PPT CSM
    tema_1 = AgendaItem.objects.get(title__startswith="TEMA 1")
    SpeakersList.objects.create(item=tema_1, presidency_minutes=5)
    registrations = {
        name: Registration.objects.create(
            meeting=meeting, name=name, email=f"{code}@example.org", affiliation=name, country_id=code
        )
        for name, code in (("Brasil", "BR"), ("México", "MX"), ("Chile", "CL"), ("Argentina", "AR"))
    }
    for name in ("Brasil", "México"):
        live.ask(registrations[name], tema_1, at=timezone.now())

    chile = open_browser()
    chile.get(live_seed_today.url + registrations["Chile"].get_private_url())
    Select(chile.find_element(By.CSS_SELECTOR, "#floor select[name='speaks']")).select_by_visible_text(
        "En nombre de la PPT CSM"
    )
    chile.find_element(By.CSS_SELECTOR, "#floor input[value='Pedir la palabra']").click()
    wait_until(chile, lambda b: "lugar 1 en la lista" in text_of(b, "#floor"))
    assert "Oradores inscritos: Chile, Brasil, México" in text_of(chile, "#floor")

    secretariat_user(password=PASSWORD)
    console = open_console(open_browser, live_seed_today)
    first = console.find_element(By.CSS_SELECTOR, "#floor-console .floor-queue li:first-child")
    assert "Chile" in first.text and "en nombre de la PPT CSM" in first.text
    # Argentina can't claim what it does not hold: its page offers it no presidency.
    argentina = open_browser()
    argentina.get(live_seed_today.url + registrations["Argentina"].get_private_url())
    speaks = argentina.find_element(By.CSS_SELECTOR, "#floor select[name='speaks']")
    options = [option.text for option in Select(speaks).options]
    assert "En nombre de la CSM" in options and not any("PPT" in option for option in options)


def fetched(browser, url: str) -> int:
    """The status of `url` fetched from the page the browser shows, with its cookies."""
    return browser.execute_async_script("fetch(arguments[0]).then((r) => arguments[1](r.status))", url)


def test_an_interpreters_link_reads_a_statement_the_public_and_another_delegation_cannot_before_and_after_delivery(
    open_browser, live_seed_today, settings, tmp_path, screenshot
):
    settings.MEDIA_ROOT = tmp_path / "media"
    meeting = Meeting.objects.get(slug="iii-reunion-plenaria-crm-csm")
    tema_1 = AgendaItem.objects.get(title__startswith="TEMA 1")
    SpeakersList.objects.create(item=tema_1, minutes_per_intervention=3)
    registrations = {
        who: Registration.objects.create(
            meeting=meeting, name=who, email=f"{who[:3].lower()}@example.org", affiliation=who, role=role
        )
        for who, role in [
            ("Chile", Registration.Role.DELEGATE),
            ("México", Registration.Role.DELEGATE),
            ("Intérpretes", Registration.Role.INTERPRETER),
        ]
    }
    link = {
        who: live_seed_today.url + registration.get_private_url()
        for who, registration in registrations.items()
    }
    started = timezone.now() - timedelta(minutes=1)
    live.start_meeting(meeting, by=None, at=started)  # Apertura runs
    says = "Chile propone un grupo de trabajo sobre movilidad laboral."
    statement_pdf = tmp_path / "declaracion-chile.pdf"
    statement_pdf.write_bytes(b"%PDF-1.4\n% Chile\n")

    # Chile inscribes on TEMA 1 while Apertura runs: in English, its statement written and attached.
    chile = open_browser()
    chile.get(link["Chile"])
    row = chile.find_element(By.CSS_SELECTOR, f'#floor li[data-item="{tema_1.uuid}"]')
    chile.execute_script("arguments[0].scrollIntoView()", row)  # from under the live banner, at the foot
    Select(row.find_element(By.NAME, "language")).select_by_value("en")
    row.find_element(By.CSS_SELECTOR, "details.floor-statement summary").click()
    row.find_element(By.NAME, "statement_text").send_keys(says)
    row.find_element(By.NAME, "statement_file").send_keys(str(statement_pdf))
    row.find_element(By.CSS_SELECTOR, "input[value='Pedir la palabra']").click()
    wait_until(chile, lambda b: "Su declaración está con los intérpretes" in text_of(b, "#floor"))
    assert "Su declaración llegó a los intérpretes el" in text_of(chile, "#floor")

    interpreter = open_browser()
    interpreter.get(link["Intérpretes"])
    listed = interpreter.find_element(By.CSS_SELECTOR, f'.interpreted-list[data-item="{tema_1.uuid}"]')
    assert (
        "Chile · inglés" in listed.text and says in listed.text and "Cotejar con el discurso" in listed.text
    )
    file_link = listed.find_element(By.CSS_SELECTOR, "a.statement-file").get_attribute("href")
    statement_path = file_link.removeprefix(live_seed_today.url).split("/statements/")[1]

    def others_cannot_read() -> None:
        mexico.get(link["México"])
        assert says not in mexico.find_element(By.TAG_NAME, "body").text
        assert fetched(mexico, link["México"] + "statements/" + statement_path) == 404
        mexico.get(live_seed_today.url + SEED)
        assert says not in mexico.find_element(By.TAG_NAME, "body").text

    mexico = open_browser()
    others_cannot_read()

    # TEMA 1 runs and Chile has the floor: the interpreters' page follows the console by itself.
    interpreter.execute_script("window.samePage = true")
    live.next_item(meeting, AgendaItem.objects.get(title="Apertura"), by=None, at=timezone.now())
    request = live.load_replay(meeting).floors[tema_1.pk].waiting[0]
    live.act(meeting, Kind.GIVE_FLOOR, tema_1, by=None, at=timezone.now(), request_id=request.id)
    wait_until(interpreter, lambda b: says in text_of(b, ".interpreted-speaking"))
    assert "Chile" in text_of(interpreter, ".interpreted-speaking")
    last(open_browser, interpreter)
    screenshot("floor-interpreters")
    live.act(meeting, Kind.END_INTERVENTION, tema_1, by=None, at=timezone.now(), request_id=request.id)
    wait_until(interpreter, lambda b: "1 intervención pronunciada" in text_of(b, ".interpreted-delivered"))
    interpreter.find_element(By.CSS_SELECTOR, ".interpreted-delivered summary").click()
    assert says in text_of(interpreter, ".interpreted-delivered")
    assert fetched(interpreter, file_link) == 200
    # Delivered, it is filed with the record, and still nobody else's to read.
    others_cannot_read()
