"""Concept notes as Word writes them (python-docx): the seed's, an English one, a two-day one.

The agenda table has Word's merged cells (a topic's time slot merged down over its
sub-items' rows, a day's heading merged across the three columns) and bulleted
sub-items in Word's "List Bullet" style. `python -m tests.concept_note_docx` writes
the three into fixtures/concept_notes/, for a person to open.
"""

import re
from pathlib import Path

import docx

SEED_NOTE = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_76b324cd6c8e24c4.txt"
FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "concept_notes"

# (time, activity, participants, sub-items as (activity, participants)), as the seed's table has them.
SEED_AGENDA = [
    (
        "9:00 – 9:15",
        "Apertura",
        "",
        [
            ("Introducción a la sesión", "SE y ST CRM CSM"),
            ("Bienvenida", ""),
            (
                "Representante de El Salvador, Presidencia Pro-Témpore de la Conferencia Regional sobre "
                "Migraciones (CRM)",
                "PPT CRM",
            ),
            (
                "Representante de Chile, Presidencia Pro-Témpore de la Conferencia Suramericana sobre "
                "Migraciones (CSM)",
                "PPT CSM",
            ),
        ],
    ),
    (
        "9:15 – 10:00",
        "· TEMA 1.     Recomendaciones y Compromisos emanados del Foro de Examen de la Migración "
        "Internacional (FEMI) - El Salvador",
        "",
        [
            (
                "Presentación sobre los principales resultados del FEMI y próximos pasos a seguir",
                "Oficinas Regionales OIM",
            ),
            ("Comentarios países CRM-CSM", "Modera: PPT CRM"),
        ],
    ),
    (
        "10:00 – 10:45",
        "· TEMA 2.      Agenda Regional Migratoria CRM-CSM - Chile",
        "",
        [
            ("Antecedentes de la cooperación entre la CRM-CSM", "SE y ST CRM CSM"),
            ("Intercambio entre países", "Modera: PPT CSM"),
        ],
    ),
    ("10:45 – 11:00", "Cierre y Conclusiones", "SE y ST CRM CSM", []),
]

ENGLISH_AGENDA = [
    ("9.00-9.15", "Opening", "", [("Welcome", "SE CRM and ST CSM"), ("Opening remarks", "PPT CRM")]),
    (
        "09h15 - 10h00",
        "TOPIC 1. Outcomes of the International Migration Review Forum",
        "",
        [("Presentation of the outcomes", "Oficinas Regionales OIM"), ("Comments", "Moderator: PPT CSM")],
    ),
    ("10:00 am - 11:00 am", "Closing and conclusions", "SE y ST CRM CSM", []),
]

TWO_DAYS = {
    "Martes 31 de mayo de 2022": [
        ("9:00 – 9:30", "Apertura", "SE y ST CRM CSM", []),
        ("9:30 – 11:00", "TEMA 1. Flujos migratorios", "", [("Intercambio entre países", "Modera: PPT CRM")]),
    ],
    "Miércoles 1 de junio de 2022": [
        ("9:00 – 10:30", "TEMA 2. Agenda Regional Migratoria", "", [("Presentación", "PPT CSM")]),
        ("10:30 – 11:00", "Cierre y Conclusiones", "SE y ST CRM CSM", []),
    ],
}


def seed_sections() -> list[tuple[str, list[str]]]:
    """The seed note's headings and paragraphs, from ANTECEDENTES to METODOLOGÍA DEL DIÁLOGO."""
    text = SEED_NOTE.read_text()
    body = text[text.index("ANTECEDENTES") : text.index("\nAGENDA\n")]
    sections: list[tuple[str, list[str]]] = []
    headings = (
        "ANTECEDENTES",
        "JUSTIFICACIÓN",
        "OBJETIVO GENERAL",
        "OBJETIVOS ESPECÍFICOS",
        "PERFIL DE PARTICIPANTES",
        "METODOLOGÍA DEL DIÁLOGO",
    )
    for line in body.split("\n"):
        line = re.sub(r"\[bookmark: [^\]]*\]", "", line).strip()
        if not line:
            continue
        if line in headings:
            sections.append((line, []))
        else:
            sections[-1][1].append(line)
    return sections


def agenda_table(document, agenda, heading=("Horario (GMT-6)", "Actividad", "Participantes")):
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, heading, strict=True):
        cell.text = text
    add_topics(table, agenda)
    return table


def add_topics(table, agenda):
    for time, activity, participants, sub_items in agenda:
        first = table.add_row()
        first.cells[0].text = time
        write_activity(first.cells[1], activity)
        first.cells[2].text = participants
        last = first
        for title, who in sub_items:
            last = table.add_row()
            last.cells[1].paragraphs[0].text = title
            last.cells[1].paragraphs[0].style = "List Bullet"
            last.cells[2].text = who
        if last is not first:
            # Word merges a topic's time slot down over its sub-items' rows.
            first.cells[0].merge(last.cells[0])
            first.cells[0].paragraphs[-1].text = first.cells[0].paragraphs[-1].text or ""
            while len(first.cells[0].paragraphs) > 1 and not first.cells[0].paragraphs[-1].text:
                first.cells[0].paragraphs[-1]._p.getparent().remove(first.cells[0].paragraphs[-1]._p)


def write_activity(cell, activity):
    paragraph = cell.paragraphs[0]
    if activity.startswith("· "):
        paragraph.text = activity[2:]
        paragraph.style = "List Bullet"
    else:
        paragraph.text = activity


def concept_note(
    path: Path,
    title: str,
    day: str,
    sections: list[tuple[str, list[str]]],
    write_agenda,
    *,
    kind="NOTA CONCEPTUAL",
) -> Path:
    """A note as secretariats write them: title, date, headed sections ("· " items as Word's
    bullets), then "AGENDA" and what `write_agenda(document)` adds."""
    document = docx.Document()
    document.add_paragraph(title)
    document.add_paragraph(kind)
    document.add_paragraph(day)
    for heading, paragraphs in sections:
        document.add_heading(heading, level=1)
        for text in paragraphs:
            if text.startswith("· "):
                document.add_paragraph(text[2:], style="List Bullet")
            else:
                document.add_paragraph(text)
    document.add_heading("AGENDA", level=1)
    write_agenda(document)
    document.save(path)
    return path


def seed_docx(path: Path) -> Path:
    def agenda(document):
        document.add_paragraph("31 de mayo de 2022")
        agenda_table(document, SEED_AGENDA)

    title = (
        "III REUNIÓN PLENARIA ENTRE LA CONFERENCIA REGIONAL SOBRE MIGRACIÓN (CRM) Y LA CONFERENCIA "
        "SURAMERICANA SOBRE MIGRACIONES (CSM)"
    )
    return concept_note(path, title, "31 de mayo de 2022", seed_sections(), agenda)


def english_docx(path: Path) -> Path:
    sections = [
        ("BACKGROUND", ["Both processes have met in plenary since 2018."]),
        ("GENERAL OBJECTIVE", ["To continue the cooperation between both regional processes."]),
        ("METHODOLOGY", ["A virtual meeting on Zoom."]),
    ]
    return concept_note(
        path,
        "III PLENARY MEETING OF THE CRM AND THE CSM",
        "Tuesday, 31 May 2022",
        sections,
        lambda document: agenda_table(
            document, ENGLISH_AGENDA, heading=("Time (GMT-6)", "Activity", "Participants")
        ),
        kind="CONCEPT NOTE",
    )


def two_day_docx(path: Path) -> Path:
    """Two days in one table: each day's heading a row merged across the three columns."""

    def agenda(document):
        table = agenda_table(document, [])
        for day, topics in TWO_DAYS.items():
            row = table.add_row()
            row.cells[0].merge(row.cells[2])
            row.cells[0].paragraphs[0].text = day
            add_topics(table, topics)

    sections = [("OBJETIVO GENERAL", ["Continuar la colaboración entre ambos procesos."])]
    return concept_note(path, "IV REUNIÓN PLENARIA CRM–CSM", "31 de mayo de 2022", sections, agenda)


if __name__ == "__main__":
    FOLDER.mkdir(exist_ok=True)
    seed_docx(FOLDER / "iii_plenaria_crm_csm.docx")
    english_docx(FOLDER / "iii_plenary_english.docx")
    two_day_docx(FOLDER / "two_day_meeting.docx")
