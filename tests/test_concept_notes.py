"""Reading a concept note's agenda: time slots, dates, days, tables as Word, LibreOffice and Google Docs give them."""

from datetime import date, time

import pytest

from agenda.concept_notes import (
    DAY,
    SUB_ITEM,
    TOPIC,
    read_day_heading,
    read_rows,
    read_time_span,
    table_from_html,
    table_from_text,
)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("9:00 – 9:15", (time(9), time(9, 15))),
        ("9.00-9.15", (time(9), time(9, 15))),
        ("09h00 - 09h15", (time(9), time(9, 15))),
        ("09h00 a 09h15", (time(9), time(9, 15))),
        ("10:45 hasta 11:00", (time(10, 45), time(11))),
        ("9:00 am - 10:30 am", (time(9), time(10, 30))),
        ("2 pm - 3 pm", (time(14), time(15))),
        ("09:00–09:15 (GMT-6)", (time(9), time(9, 15))),
        ("09h00", (time(9), None)),
        ("[bookmark: tyjcwt]10:00 – 10:45", (time(10), time(10, 45))),
        ("casi las diez", None),
        ("25:00 – 26:00", None),
        ("9", None),
    ],
)
def test_time_slots_read_as_concept_notes_write_them(written, read):
    assert read_time_span(written) == read


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Martes 31 de mayo de 2022", date(2022, 5, 31)),
        ("Día 2 – 1 de junio de 2022", date(2022, 6, 1)),
        ("Day 1: Tuesday, 31 May 2022", date(2022, 5, 31)),
        ("Terça-feira, 31 de maio de 2022", date(2022, 5, 31)),
        ("June 1, 2022", date(2022, 6, 1)),
        ("Presentación del informe del 17 de mayo", None),
        ("TEMA 1. Recomendaciones", None),
    ],
)
def test_a_day_heading_is_a_date_alone(written, read):
    assert read_day_heading(written, default_year=2022) == read


def test_google_docs_table_with_lists_and_a_day_row_reads_as_topics_sub_items_and_days():
    html = """<meta charset="utf-8"><b style="font-weight:normal;"><div dir="ltr"><table><tbody>
      <tr><td><p dir="ltr"><span>Time</span></p></td><td><p><span>Activity</span></p></td><td><p><span>Participants</span></p></td></tr>
      <tr><td colspan="3"><p><span>Wednesday, 1 June 2022</span></p></td></tr>
      <tr><td><p><span>09:00 - 09:30</span></p></td><td><p><span>Opening</span></p>
        <ul><li dir="ltr"><p><span>Welcome</span></p></li><li><p><span>Remarks</span></p></li></ul></td>
        <td><p><span>SE CRM</span></p><p><span>PPT CRM</span></p><p><span>PPT CSM</span></p></td></tr>
    </tbody></table></div></b>"""
    note = read_rows(table_from_html(html), default_year=2022)
    assert note.language == "en"
    assert [(row.kind, row.time, row.title, row.participants, row.day) for row in note.rows] == [
        (DAY, "", "", "", date(2022, 6, 1)),
        (TOPIC, "09:00 – 09:30", "Opening", "SE CRM", None),
        (SUB_ITEM, "", "Welcome", "PPT CRM", None),
        (SUB_ITEM, "", "Remarks", "PPT CSM", None),
    ]


def test_tab_separated_lines_from_libreoffice_read_one_row_a_line():
    text = (
        "Horario\tActividad\tParticipantes\n9:00 – 9:15\tApertura\tSE y ST CRM CSM\n\t• Bienvenida\tPPT CRM\n"
    )
    note = read_rows(table_from_text(text))
    assert [(row.kind, row.title, row.participants) for row in note.rows] == [
        (TOPIC, "Apertura", "SE y ST CRM CSM"),
        (SUB_ITEM, "Bienvenida", "PPT CRM"),
    ]
