"""Two people pressing at once, for real: app processes, threads and the database CI runs.

On SQLite (CI's first pass) the app runs on a database file; on PostgreSQL (the second
pass) on the test database. Each race is run several times: a refusal is the promise,
never a lost change, a double step or "database is locked".
"""

import os
import re
import threading
import uuid
from contextlib import contextmanager
from html import unescape
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import sql

from .test_cache_coherence import manage, seeded_sqlite_site
from .test_faults import Secretary
from .test_production import PUBLIC_HOST, SEED, free_port, start_gunicorn

# The app gets a database of its own, migrated and seeded (a SQLite file, or a new
# PostgreSQL database on the server CI's second pass uses); this process reads none.
ON_POSTGRESQL = connection.vendor == "postgresql"
ROUNDS = 5
PASSWORD = "x-Pl3nary-test"
SEED_ADMIN = "/admin/agenda/meeting/{}/change/"
TIMEKEEPER = SEED + "timekeeper/"
# The secretaries' sessions ask for the app by its address.
APP_HOSTS = f"127.0.0.1,{PUBLIC_HOST}"


class App:
    """gunicorn with several workers and threads on this test's database; scripts run beside it."""

    def __init__(self, env: dict):
        self.env = env
        self.port = free_port()

    def run(self, code: str) -> str:
        return manage(self.env, "shell", "--no-imports", "-c", code).strip()

    def secretaries(self, count: int) -> list[Secretary]:
        found = []
        for number in range(count):
            username = f"secretaria{number}"
            self.run(f"from tests.factories import secretariat_user; secretariat_user({username!r})")
            secretary = Secretary(self.port)
            secretary.open("/admin/login/")
            status, _ = secretary.open(
                "/admin/login/", {"username": username, "password": PASSWORD, "next": "/admin/"}
            )
            assert status == 302
            found.append(secretary)
        return found


@pytest.fixture
def app(tmp_path: Path):
    with database_of_its_own(tmp_path) as env:
        running = App(env)
        server = start_gunicorn_threads(env, running.port)
        try:
            yield running
        finally:
            server.terminate()
            server.wait(timeout=30)


@contextmanager
def database_of_its_own(tmp_path: Path):
    if not ON_POSTGRESQL:
        yield seeded_sqlite_site(tmp_path, DJANGO_ALLOWED_HOSTS=APP_HOSTS)
        return
    database = settings.DATABASES["default"]
    server = {
        "user": database["USER"],
        "password": database["PASSWORD"],
        "host": database["HOST"] or "127.0.0.1",
        "port": database["PORT"] or 5432,
    }
    name = f"plenary_races_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "",
            "DJANGO_ALLOWED_HOSTS": APP_HOSTS,
            "DATABASE_URL": f"postgres://{server['user']}:{server['password']}@{server['host']}:{server['port']}/{name}",
        }
        manage(env, "migrate", "--noinput")
        manage(env, "load_seed")
        yield env
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def start_gunicorn_threads(env: dict, port: int):
    # Two workers of four threads: both the processes and the threads of one process race.
    return start_gunicorn({**env, "GUNICORN_CMD_ARGS": "--threads 4"}, port, workers=2)


def at_once(actions: list) -> list:
    """Run each action in its own thread, released together; return their results in order."""
    gate = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index: int) -> None:
        gate.wait()
        results[index] = actions[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def one_save_and_one_refusal(
    app, page: str, form_for, refusal: str, stored: str, titles: tuple[str, str]
) -> None:
    """Two secretaries post `page` at once, ROUNDS times: one saves, the other is refused with `refusal`.

    `form_for(html, title)` is the page's form with `title` typed in; `stored` is the code that
    prints the title the app holds afterwards, which must be the saved one.
    """
    secretaries = app.secretaries(2)
    for round_number in range(ROUNDS):
        forms = []
        for secretary, title in zip(secretaries, titles, strict=True):
            status, html = secretary.open(page)
            assert status == 200
            forms.append((secretary, f"{title} {round_number}", form_for(html, f"{title} {round_number}")))
        results = at_once(
            [
                lambda secretary=secretary, data=data: secretary.open(page, data)
                for secretary, _, data in forms
            ]
        )
        statuses = sorted(status for status, _ in results)
        assert statuses == [200, 302], (round_number, statuses, [body[:300] for _, body in results])
        refused = next(body for status, body in results if status == 200)
        assert refusal in unescape(refused)
        saved = next(
            title for (status, _), (_, title, _) in zip(results, forms, strict=True) if status == 302
        )
        assert app.run(stored) == saved


SEED_MEETING_ID = (
    "from agenda.models import Meeting; print(Meeting.objects.get(slug='iii-reunion-plenaria-crm-csm').pk)"
)


def test_two_secretaries_saving_the_meeting_at_once_get_one_save_and_one_refusal(app):
    one_save_and_one_refusal(
        app,
        SEED_ADMIN.format(app.run(SEED_MEETING_ID)),
        lambda html, title: form_data(html, title_es=title),
        "Nada de lo suyo se guardó",
        "from agenda.models import Meeting;"
        " print(Meeting.objects.get(slug='iii-reunion-plenaria-crm-csm').title_es)",
        ("Plenaria CRM", "Plenaria CSM"),
    )


# The clock starts on the meeting's day only (a rehearsal on any other).
SEED_HELD_TODAY = (
    "from agenda.models import Meeting; from tests.factories import held_today;"
    " held_today(Meeting.objects.get(slug='iii-reunion-plenaria-crm-csm'))"
)


def test_two_timekeepers_pressing_next_at_once_move_the_clock_one_item(app):
    first, second = app.secretaries(2)
    app.run(SEED_HELD_TODAY)
    assert first.open(TIMEKEEPER + "action/", {"action": "start_meeting"})[0] == 302
    items = app.run(
        "from agenda.models import Meeting; from agenda.live import load_replay;"
        " state = load_replay(Meeting.objects.get(slug='iii-reunion-plenaria-crm-csm'));"
        " print(' '.join(str(clock.item.uuid) for clock in state.items))"
    ).split()
    assert first.open(TIMEKEEPER + "action/", {"action": "start_item", "item": items[0]})[0] == 302
    for running in items[: min(ROUNDS, len(items) - 1)]:
        press = {"action": "next", "item": running}
        results = at_once(
            [
                lambda keeper=keeper, press=press: keeper.open(TIMEKEEPER + "action/", press)
                for keeper in (first, second)
            ]
        )
        assert [status for status, _ in results] == [302, 302], results
        current = app.run(
            "from agenda.models import Meeting; from agenda.live import load_replay;"
            " print(load_replay(Meeting.objects.get(slug='iii-reunion-plenaria-crm-csm')).current.item.uuid)"
        )
        assert current == items[items.index(running) + 1], "one step, not two"
        # One of the two consoles says why its press did nothing.
        pages = [unescape(keeper.open(TIMEKEEPER)[1]) for keeper in (first, second)]
        assert sum("ya no está en curso" in page for page in pages) == 1
    nexts = app.run(
        "from agenda.models import LiveEvent; print(LiveEvent.objects.filter(kind='next').count())"
    )
    assert int(nexts) == min(ROUNDS, len(items) - 1)


def form_data(html: str, **changes) -> dict:
    """The admin form's fields as the browser would post them, with `changes`."""
    data = {}
    form = html[html.index('id="meeting_form"') :]
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) == "csrfmiddlewaretoken":
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        kind = kind.group(1) if kind else ""
        if kind in ("checkbox", "radio") and "checked" not in tag:
            continue
        if tag.startswith("<select"):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = unescape(value.group(1)) if value else ("on" if kind == "checkbox" else "")
    for name, body in re.findall(r'<textarea\b[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = unescape(body.lstrip("\n"))
    for attributes, body in re.findall(r"<select\b([^>]*)>(.*?)</select>", form, re.S):
        name = re.search(r'name="([^"]+)"', attributes).group(1)
        selected = [unescape(value) for value in re.findall(r'<option value="([^"]*)"[^>]*selected', body)]
        if "multiple" in attributes:
            data[name] = selected
        elif selected:
            data[name] = selected[0]
    data.update(changes)
    data["_save"] = "Guardar"
    return data


FLOOR_SETUP = (
    "from agenda.models import AgendaItem, Meeting, Registration, SpeakersList;"
    " meeting = Meeting.objects.get(slug='iii-reunion-plenaria-crm-csm');"
    " item = AgendaItem.objects.get(meeting=meeting, title_es__startswith='TEMA 1');"
    " SpeakersList.objects.create(item=item);"
)


def floor_events(app, kind: str) -> int:
    return int(
        app.run(
            f"from agenda.models import LiveEvent; print(LiveEvent.objects.filter(kind={kind!r}).count())"
        )
    )


def one_delegations_people(app, delegation: str, asked: str = "") -> tuple[str, list[tuple[Secretary, str]]]:
    """TEMA 1's uuid, and two people of `delegation` on their private pages (after `asked` ran)."""
    tokens = app.run(
        FLOOR_SETUP + " from django.utils import timezone; from agenda import live;"
        " people = [Registration.objects.create(meeting=meeting, name=n, email=n + '@example.org',"
        f" affiliation={delegation!r}) for n in ('ana', 'luis')];"
        f" {asked or 'None'};"
        " print(item.uuid, *(person.token for person in people))"
    ).split()
    people = []
    for token in tokens[1:]:
        person = Secretary(app.port)
        assert person.open(f"/p/{token}/")[0] == 200  # the page sets the CSRF cookie
        people.append((person, f"/p/{token}/"))
    return tokens[0], people


def test_two_people_of_one_delegation_asking_at_once_make_one_request(app):
    item, people = one_delegations_people(app, "México")
    for round_number in range(ROUNDS):
        results = at_once(
            [
                lambda person=person, page=page: person.open(page + "floor/", {"action": "ask", "item": item})
                for person, page in people
            ]
        )
        assert [status for status, _ in results] == [302, 302], results
        assert floor_events(app, "ask_floor") == round_number + 1, "one request, not two"
        pages = [unescape(person.open(page)[1]) for person, page in people]
        assert sum("México ha pedido ya la palabra" in page for page in pages) == 1
        person, page = people[round_number % 2]
        assert person.open(page + "floor/", {"action": "withdraw", "item": item})[0] == 302


def test_two_consoles_giving_the_floor_at_once_move_the_list_by_one(app):
    first, second = app.secretaries(2)
    app.run(SEED_HELD_TODAY)
    item = app.run(
        FLOOR_SETUP + " from django.utils import timezone; from agenda import live;"
        " [live.ask(Registration.objects.create(meeting=meeting, name=n, email=n + '@example.org',"
        " affiliation=n), item, at=timezone.now()) for n in ('Chile', 'México', 'Brasil', 'Perú', 'Colombia', 'OIM')];"
        " print(item.uuid)"
    )
    assert first.open(TIMEKEEPER + "action/", {"action": "start_item", "item": item})[0] == 302

    def waiting() -> list[str]:
        return app.run(
            "from agenda.models import Meeting; from agenda.live import load_replay;"
            " meeting = Meeting.objects.get(slug='iii-reunion-plenaria-crm-csm');"
            " floor = next(iter(load_replay(meeting).floors.values()));"
            " print(' '.join(f'{r.id}:{r.delegation}' for r in floor.waiting))"
        ).split()

    for round_number in range(ROUNDS):
        head = waiting()[0]
        press = {"action": "give_floor", "item": item, "request": head.split(":")[0]}
        results = at_once(
            [
                lambda keeper=keeper, press=press: keeper.open(TIMEKEEPER + "floor/", press)
                for keeper in (first, second)
            ]
        )
        assert [status for status, _ in results] == [302, 302], results
        assert floor_events(app, "give_floor") == round_number + 1, "one speaker, not two"
        assert head not in waiting() and len(waiting()) == 6 - round_number - 1
        pages = [unescape(keeper.open(TIMEKEEPER)[1]) for keeper in (first, second)]
        assert sum("ya no está en espera: la lista ha avanzado" in page for page in pages) == 1
        assert all(f"Tiene la palabra: {head.split(':')[1]}" in page for page in pages)


def test_two_secretaries_saving_the_agenda_editor_at_once_get_one_save_and_one_refusal(app):
    from .agenda_shapes import form_fields

    def with_opening_titled(html: str, title: str) -> dict[str, str]:
        fields = form_fields(html)
        opening = next(
            name for name, value in fields.items() if name.endswith("-title") and value.startswith("Apertura")
        )
        return {**fields, opening: title, "action": "save"}

    one_save_and_one_refusal(
        app,
        f"/admin/agenda/meeting/{app.run(SEED_MEETING_ID)}/agenda/",
        with_opening_titled,
        "Alguien guardó esta agenda después de que usted la abrió",
        "from agenda.models import AgendaItem;"
        " print(AgendaItem.objects.get(parent=None, position=1, meeting__slug='iii-reunion-plenaria-crm-csm').title_es)",
        ("Apertura CRM", "Apertura CSM"),
    )


def test_two_people_of_one_delegation_sending_its_statement_at_once_leave_one_statement(app):
    item, people = one_delegations_people(app, "Chile", asked="live.ask(people[0], item, at=timezone.now())")
    for round_number in range(ROUNDS):
        texts = [f"Versión {round_number} de {name}" for name in ("Ana", "Luis")]
        results = at_once(
            [
                lambda person=person, page=page, text=text: person.open(
                    page + "floor/", {"action": "statement", "item": item, "statement_text": text}
                )
                for (person, page), text in zip(people, texts, strict=True)
            ]
        )
        assert [status for status, _ in results] == [302, 302], results
        assert floor_events(app, "send_statement") == 2 * (round_number + 1), "each press is an event"
        kept = app.run(
            "from agenda.models import Statement; print(Statement.objects.count(), Statement.objects.get().text)"
        )
        count, text = kept.split(" ", 1)
        assert count == "1" and text in texts, "one statement, the later of the two"


CIRCULATED = (
    "from datetime import timedelta; from agenda import silence; from agenda.models import Conclusions;"
    " Conclusions.objects.create(item=item, text_es='Se acordó seguir las recomendaciones del FEMI.');"
    " silence.circulate(meeting, (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0), by=None)"
)


def test_two_people_of_one_delegation_answering_a_silence_procedure_at_once_give_one_answer(app):
    _item, people = one_delegations_people(app, "Chile", asked=CIRCULATED)
    for round_number in range(ROUNDS):
        answers = [
            {"answer": "agree", "reservation": f"Reserva {round_number}"},
            {"answer": "ad_referendum", "confirm_by": "2099-01-31"},
        ]
        results = at_once(
            [
                lambda person=person, page=page, answer=answer: person.open(page + "silence/", answer)
                for (person, page), answer in zip(people, answers, strict=True)
            ]
        )
        assert [status for status, _ in results] == [302, 302], results
        kept = app.run(
            "from agenda.models import SilenceAnswer; print(SilenceAnswer.objects.count(), SilenceAnswer.objects.get().kind)"
        )
        assert kept in ("1 agree", "1 ad_referendum"), kept
        # Back to silence, for the next round to start from no answer.
        person, page = people[round_number % 2]
        assert person.open(page + "silence/", {"answer": "silence"})[0] == 302
