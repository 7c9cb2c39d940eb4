"""Reading a concept note: its agenda table (pasted as HTML or tab-separated text, or in a .docx), sections.

A concept note's agenda is a table of three columns: Horario (GMT-6) | Actividad |
Participantes. Rows with a time slot are topics and the bulleted rows under them
their sub-items, but Word's merged cells move things about: a topic's title may
sit one row above its time ("· TEMA 1…" then "9:15 – 10:00" with an empty
activity), or its time one row above its title. `read_rows` follows the rows as a
reader does and says which cells it could not read; nothing here touches the database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, time
from html.parser import HTMLParser
from typing import IO

TOPIC = "topic"
SUB_ITEM = "sub"
DAY = "day"

BULLETS = "·•◦▪‣∙-–—*o"
# Words a concept note's table heading uses, in the three languages.
HEADINGS = {
    "horario": "es",
    "hora": "es",
    "actividad": "es",
    "participantes": "es",
    "time": "en",
    "schedule": "en",
    "activity": "en",
    "participants": "en",
    "speakers": "en",
    "horário": "pt",
    "atividade": "pt",
}
# A bulleted row that opens a topic rather than listing under one: "· TEMA 1. …", "TOPIC 2 …".
TOPIC_HEADING = re.compile(r"^(tema|topic|tópico|item|punto|ponto)\s+\d+\b|^\d+\s*[.)]\s", re.IGNORECASE)

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("enero", "january", "janeiro", "jan"),
            ("febrero", "february", "fevereiro", "feb", "fev"),
            ("marzo", "march", "março", "mar"),
            ("abril", "april", "apr", "abr"),
            ("mayo", "may", "maio", "mai"),
            ("junio", "june", "junho", "jun"),
            ("julio", "july", "julho", "jul"),
            ("agosto", "august", "aug", "ago"),
            ("septiembre", "setiembre", "september", "setembro", "sep", "set"),
            ("octubre", "october", "outubro", "oct", "out"),
            ("noviembre", "november", "novembro", "nov"),
            ("diciembre", "december", "dezembro", "dec", "dic", "dez"),
        ],
        start=1,
    )
    for name in names
}
DATE_PATTERNS = [
    # "31 de mayo de 2022", "31 May 2022", "Martes 31 de mayo", "31 de maio de 2022"
    re.compile(
        r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:de\s+)?(?P<month>[^\W\d_]+)\.?(?:,?\s+(?:de\s+)?(?P<year>\d{4}))?"
    ),
    # "May 31, 2022"
    re.compile(r"(?P<month>[^\W\d_]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?"),
]

_CLOCK = r"(\d{1,2})(?:\s*[:.hH]\s*(\d{2}))?\s*(?:(a\.?\s?m\.?|p\.?\s?m\.?)|(h(?:rs?)?\b))?"
TIME_SPAN = re.compile(
    rf"^\s*{_CLOCK}\s*(?:–|—|-|‑|a|al|to|até|hasta)\s*{_CLOCK}\s*(?:\(?\s*(?:GMT|UTC)[^)]*\)?)?\s*$",
    re.IGNORECASE,
)
ONE_TIME = re.compile(rf"^\s*{_CLOCK}\s*$", re.IGNORECASE)
STATED_OFFSET = re.compile(r"\(?\s*((?:GMT|UTC)\s*[+-−]\s*\d{1,2}(?::\d{2})?)\s*\)?", re.IGNORECASE)

# The concept note's six sections, by the headings secretariats write in each language.
SECTION_HEADINGS = {
    "background": ("antecedentes", "background", "contexto"),
    "justification": ("justificación", "justificacion", "justification", "rationale", "justificativa"),
    "general_objective": ("objetivo general", "general objective", "overall objective", "objetivo geral"),
    "specific_objectives": ("objetivos específicos", "objetivos especificos", "specific objectives"),
    "participant_profile": (
        "perfil de participantes",
        "perfil de los participantes",
        "participant profile",
        "participants profile",
        "profile of participants",
        "perfil dos participantes",
    ),
    "methodology": ("metodología", "metodologia", "methodology"),
}
AGENDA_HEADINGS = ("agenda", "programa", "programme", "program", "pauta")


def clock(hours: str, minutes: str | None, meridiem: str | None) -> time | None:
    hour, minute = int(hours), int(minutes or 0)
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem.lower().startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def read_time_span(text: str) -> tuple[time, time | None] | None:
    """ "9:00 – 9:15", "9.00-9.15", "09h00 a 09h15", "9:00 am - 10:30 am": the start and end, or None.

    A start alone ("09h00", "9:00") reads with no end: it ends when the next topic starts.
    """
    text = clean(text)
    single = ONE_TIME.match(text)
    if single and (single.group(2) or single.group(3) or single.group(4)):
        start = clock(single.group(1), single.group(2), single.group(3))
        return (start, None) if start else None
    match = TIME_SPAN.match(text)
    if not match:
        return None
    start_hours, start_minutes, start_meridiem, _, end_hours, end_minutes, end_meridiem, _ = match.groups()
    start = clock(start_hours, start_minutes, start_meridiem or end_meridiem)
    end = clock(end_hours, end_minutes, end_meridiem)
    return (start, end) if start and end else None


def write_time_span(start: time, end: time | None) -> str:
    return f"{start:%H:%M} – {end:%H:%M}" if end else f"{start:%H:%M}"


def read_date(text: str, *, default_year: int | None = None) -> date | None:
    """ "31 de mayo de 2022", "Tuesday, 31 May 2022", "May 31, 2022": the date, or None."""
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(clean(text).lower()):
            month = MONTHS.get(match["month"])
            year = int(match["year"]) if match["year"] else default_year
            if month and year:
                try:
                    return date(year, month, int(match["day"]))
                except ValueError:
                    return None
    return None


# What a day's heading may hold beside its date: "Martes", "Día 1 –", "Day 2:", "Segundo dia".
DAY_HEADING_WORDS = re.compile(
    r"\b(lunes|martes|miércoles|jueves|viernes|sábado|domingo|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|segunda|terça|quarta|quinta|sexta|feira|día|dia|day|jornada|primer|primera|"
    r"segundo|segunda|first|second|third|tercer|tercera|\d{1,2})\b",
    re.IGNORECASE,
)


def read_day_heading(text: str, *, default_year: int | None = None) -> date | None:
    """The date of a row or paragraph that only says which day follows ("Martes 31 de mayo de 2022")."""
    found = read_date(text, default_year=default_year)
    if found is None:
        return None
    rest = text.lower()
    for pattern in DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    rest = DAY_HEADING_WORDS.sub(" ", rest)
    return found if not re.sub(r"[\W_]+", "", rest) else None


def clean(text: str) -> str:
    """One line of a cell as a reader sees it: no Word bookmarks, non-breaking spaces or runs of spaces."""
    text = re.sub(r"\[bookmark: [^\]]*\]", "", text or "")
    text = unicodedata.normalize("NFC", text).replace("\xa0", " ").replace("\u200b", "")
    return re.sub(r"\s+", " ", text).strip()


def unbulleted(text: str) -> tuple[str, bool]:
    """The text without its leading bullet, and whether it had one."""
    text = clean(text)
    if len(text) > 1 and text[0] in BULLETS and text[1] == " ":
        return text[2:].strip(), True
    if text[:1] in "·•◦▪‣∙":
        return text[1:].strip(), True
    return text, False


@dataclass
class Paragraph:
    """One paragraph of a cell, with whether Word shows it as a list item."""

    text: str
    is_bulleted: bool = False


@dataclass
class ReadRow:
    """A row of the agenda as read: a topic, a sub-item, or the day the rows below it are on."""

    kind: str
    time: str = ""
    title: str = ""
    participants: str = ""
    day: date | None = None
    # The cells that could not be read, for the editor to mark: "time", "title".
    unread: set[str] = field(default_factory=set)


@dataclass
class ReadNote:
    """What a concept note says: its agenda, and, from a .docx, the meeting's title, date and sections."""

    rows: list[ReadRow]
    title: str = ""
    day: date | None = None
    sections: dict[str, str] = field(default_factory=dict)
    language: str = ""
    # The offset the table's heading states, "GMT-6", for the editor to compare with the meeting's.
    stated_offset: str = ""


Row = list[list[Paragraph]]


def read_rows(table: Iterable[Row], *, default_year: int | None = None) -> ReadNote:
    """Follow a table's rows (cells of paragraphs) as a reader does, into topics and sub-items."""
    note = ReadNote(rows=[])
    rows: list[ReadRow] = []
    # A topic whose title came before its time, waiting for it; and one whose time came first.
    waiting_for_time: ReadRow | None = None
    waiting_for_title: ReadRow | None = None
    topic: ReadRow | None = None
    for cells in logical_rows(table):
        time_text, title, is_bulleted, who = cells
        if is_heading(time_text, title, who, note):
            continue
        day = read_day_heading(" ".join((time_text, title)), default_year=default_year) if not who else None
        if day and not read_time_span(time_text):
            rows.append(ReadRow(DAY, day=day))
            waiting_for_time = waiting_for_title = topic = None
            continue
        span = read_time_span(time_text) if time_text else None
        written_time = write_time_span(*span) if span else time_text
        unread = {"time"} if time_text and not span else set()
        if not (time_text or title or who):
            continue
        if time_text:
            if waiting_for_time is not None:
                waiting_for_time.time, waiting_for_time.unread = written_time, unread
                if not title:
                    waiting_for_time.participants = join(waiting_for_time.participants, who)
                    waiting_for_time = None
                    continue
                waiting_for_time = None
                if is_bulleted and not is_topic_heading(title):
                    rows.append(ReadRow(SUB_ITEM, title=title, participants=who))
                    continue
            topic = ReadRow(TOPIC, time=written_time, title=title, participants=who, unread=unread)
            rows.append(topic)
            waiting_for_title = topic if not title else None
            continue
        if not title:
            if rows:
                rows[-1].participants = join(rows[-1].participants, who)
            continue
        if waiting_for_title is not None and not is_bulleted:
            waiting_for_title.title = title
            waiting_for_title.participants = join(waiting_for_title.participants, who)
            waiting_for_title = None
            continue
        if is_bulleted and topic is not None and not is_topic_heading(title):
            rows.append(ReadRow(SUB_ITEM, title=title, participants=who))
            continue
        # A topic's title before its time: the time comes in a row below.
        topic = waiting_for_time = ReadRow(TOPIC, title=title, participants=who)
        waiting_for_title = None
        rows.append(topic)
    for row in rows:
        if row.kind == TOPIC and not row.time:
            row.unread.add("time")
        if row.kind != DAY and not row.title:
            row.unread.add("title")
    note.rows = rows
    return note


def join(first: str, second: str) -> str:
    return "; ".join(part for part in (first, second) if part)


def is_topic_heading(title: str) -> bool:
    return bool(TOPIC_HEADING.match(title))


def is_heading(time_text: str, title: str, who: str, note: ReadNote) -> bool:
    """The table's heading rows ("Horario | Actividad | Participantes", "(GMT-6)"), noting what they say."""
    words = [text.lower().strip("() :") for text in (time_text, title, who) if text]
    offset = STATED_OFFSET.fullmatch(time_text) if time_text and not read_time_span(time_text) else None
    if offset:
        note.stated_offset = (
            re.sub(r"\s+", "", offset.group(1)).upper().replace("UTC", "GMT").replace("−", "-")
        )
        return not title and not who
    heading = [word for word in words if STATED_OFFSET.sub("", word).strip("() ") in HEADINGS]
    if words and len(heading) == len(words) and len(words) >= 2:
        note.language = note.language or HEADINGS[STATED_OFFSET.sub("", heading[-1]).strip("() ")]
        stated = STATED_OFFSET.search(time_text)
        if stated:
            note.stated_offset = re.sub(r"\s+", "", stated.group(1)).upper().replace("UTC", "GMT")
        return True
    return False


def logical_rows(table: Iterable[Row]) -> Iterator[tuple[str, str, bool, str]]:
    """(time, activity, bulleted, participants) per line of the table.

    A cell of several paragraphs ("TEMA 1" and its bulleted sub-items in one
    Word cell) is read as that many rows, the participants' paragraphs beside
    them when they are as many, else all on the first.
    """
    for cells in table:
        cells = [*cells, [], [], []][:3] if len(cells) < 3 else cells[-3:] if len(cells) > 3 else cells
        time_cell, activity, who = ([p for p in cell if clean(p.text)] for cell in cells)
        time_text = " ".join(clean(p.text) for p in time_cell)
        people = [clean(p.text) for p in who]
        lines = [(*unbulleted(p.text), p.is_bulleted) for p in activity] or [("", False, False)]
        for index, (title, bullet_written, bullet_shown) in enumerate(lines):
            beside = people[index] if len(lines) == len(people) else ""
            if len(lines) != len(people) and index == 0:
                beside = "; ".join(people)
            yield (time_text if index == 0 else "", title, bullet_written or bullet_shown, beside)


def table_from_text(text: str) -> list[Row]:
    """Rows from tab-separated text: one row a line, or, as text extracted from a .docx writes
    a table, one cell a line (each after a tab) and rows apart by an empty line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    one_cell_a_line = sum(line.startswith("\t") and line.count("\t") == 1 for line in lines) > sum(
        line.count("\t") >= 2 for line in lines
    )
    if not one_cell_a_line:
        return [[[Paragraph(cell)] for cell in line.split("\t")] for line in lines if line.strip()]
    rows, row = [], []
    for line in [*lines, ""]:
        if line == "":
            if any(clean(cell[0].text) for cell in row):
                rows.append(row)
            row = []
        else:
            row.append([Paragraph(line[1:] if line.startswith("\t") else line)])
    return rows


class _TableParser(HTMLParser):
    """The first table of clipboard HTML (Word, LibreOffice, Google Docs): cells of paragraphs.

    Merged cells (rowspan) are left empty in the rows they span, as Word's text shows them.
    """

    BREAKS = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[Row]] = []
        self.depth = 0
        self.row: Row | None = None
        self.cell: list[Paragraph] | None = None
        self.text: list[str] = []
        self.in_list_item = 0
        self.bullet_class = False
        # Columns still covered by a cell merged down from a row above: column -> rows left.
        self.spans: dict[int, int] = {}
        self.span = 1

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self.tables.append([])
        elif self.depth != 1:
            return
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.skip_spanned()
            self.cell = []
            self.text = []
            rowspan = attrs.get("rowspan") or "1"
            self.span = int(rowspan) if rowspan.isdigit() else 1
        elif tag in self.BREAKS and self.cell is not None:
            self.flush()
            if tag == "li":
                self.in_list_item += 1
            # Word marks a bulleted paragraph by its class, its bullet a Symbol-font "·".
            self.bullet_class = tag == "p" and "MsoList" in (attrs.get("class") or "")

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth -= 1
        elif self.depth != 1:
            return
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.flush()
            if self.span > 1:
                self.spans[len(self.row)] = self.span - 1
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.skip_spanned(to_end=True)
            self.tables[-1].append(self.row)
            self.row = None
        elif tag in self.BREAKS and self.cell is not None:
            self.flush()
            if tag == "li":
                self.in_list_item -= 1

    def skip_spanned(self, *, to_end: bool = False) -> None:
        """Put an empty cell where a cell from above reaches down into this row."""
        while self.spans.get(len(self.row)) or (to_end and any(col >= len(self.row) for col in self.spans)):
            column = len(self.row)
            if self.spans.get(column):
                self.spans[column] -= 1
                if not self.spans[column]:
                    del self.spans[column]
            self.row.append([])
            if to_end and not any(col >= len(self.row) for col in self.spans):
                break

    def handle_data(self, data):
        if self.cell is not None and self.depth == 1:
            self.text.append(data)

    def flush(self):
        text = clean("".join(self.text))
        if text:
            self.cell.append(Paragraph(text, bool(self.in_list_item) or self.bullet_class))
        self.text = []


def table_from_html(html: str) -> list[Row]:
    """The rows of the table in clipboard HTML that looks like an agenda (the largest one)."""
    parser = _TableParser()
    parser.feed(html)
    parser.close()
    return max(parser.tables, key=len, default=[])


def has_table(html: str) -> bool:
    return "<table" in (html or "").lower()


# python-docx is imported where a .docx is read: pages that never read one don't pay for it.
def read_docx(upload: IO[bytes]) -> ReadNote:
    """A concept note written in Word: its title, date, six sections and agenda table(s).

    Raises ValueError when the file is not a Word document.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(upload)
    except (PackageNotFoundError, KeyError, ValueError) as error:
        raise ValueError(str(error)) from error
    except Exception as error:  # a zip that is not a document: BadZipFile, lxml's errors
        raise ValueError(str(error)) from error

    title_lines: list[str] = []
    day: date | None = None
    sections: dict[str, list[str]] = {}
    current: str | None = None
    in_agenda = False
    table_rows: list[Row] = []
    for block in document.iter_inner_content():
        if isinstance(block, DocxParagraph):
            text = clean(block.text)
            if not text:
                continue
            heading = section_of(text)
            if heading:
                current, in_agenda = heading, False
                sections.setdefault(current, [])
                continue
            if text.lower().rstrip(":") in AGENDA_HEADINGS:
                current, in_agenda = None, True
                continue
            if in_agenda:
                # A date between tables starts a day of a meeting that spans days.
                found = read_day_heading(text)
                if found:
                    day = day or found
                    table_rows.append([[Paragraph(text)], [], []])
                continue
            if current is None:
                found = read_date(text)
                if found and day is None and not sections:
                    day = found
                elif not sections and text.lower() not in ("nota conceptual", "concept note"):
                    title_lines.append(text)
                continue
            line = text
            if docx_bulleted(block):
                line = f"- {unbulleted(text)[0]}"
            sections[current].append(line)
        elif isinstance(block, Table) and (in_agenda or not table_rows):
            table_rows.extend(docx_table_rows(block))
    note = read_rows(table_rows, default_year=day.year if day else None)
    note.title = " ".join(title_lines)
    note.day = day or next((row.day for row in note.rows if row.kind == DAY), None)
    note.sections = {name: join_paragraphs(lines) for name, lines in sections.items() if lines}
    if not note.language:
        note.language = "en" if "background" in sections and "justification" not in sections else "es"
    return note


def join_paragraphs(lines: list[str]) -> str:
    """Paragraphs apart by a blank line; the items of a list on consecutive lines (CommonMark)."""
    out = ""
    for previous, line in zip([None, *lines], lines, strict=False):
        if previous is None:
            out = line
        elif previous.startswith("- ") and line.startswith("- "):
            out += "\n" + line
        else:
            out += "\n\n" + line
    return out


def section_of(text: str) -> str | None:
    words = text.lower().rstrip(": ").strip()
    for name, headings in SECTION_HEADINGS.items():
        if any(words == heading or words.startswith(heading + " ") for heading in headings):
            return name
    return None


def docx_bulleted(paragraph) -> bool:
    """Word shows it as a list item: a list style, numbering of its own, or a bullet typed in."""
    properties = paragraph._p.pPr
    style = (paragraph.style.name or "") if paragraph.style is not None else ""
    return (
        style.lower().startswith("list")
        or (properties is not None and properties.numPr is not None)
        or unbulleted(paragraph.text)[1]
    )


def docx_table_rows(table) -> list[Row]:
    """A Word table's rows as cells of paragraphs; a merged cell counts once, where it starts."""
    rows: list[Row] = []
    above: list = []
    for row in table.rows:
        cells: Row = []
        seen = []
        for column, cell in enumerate(row.cells):
            merged_down = column < len(above) and above[column] is cell._tc
            merged_across = any(cell._tc is other for other in seen)
            seen.append(cell._tc)
            if merged_across:
                continue
            if merged_down:
                cells.append([])
                continue
            cells.append(
                [Paragraph(clean(p.text), docx_bulleted(p)) for p in cell.paragraphs if clean(p.text)]
            )
        above = [cell._tc for cell in row.cells]
        rows.append(cells)
    return rows
