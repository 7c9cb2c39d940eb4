"""Read a page's agenda table as rows of cell text, the way a person reads it.

Links marked `agenda-add` ("+ calendar") are actions beside the content, and are left out, as are
the labels only a phone shows (`phone-label`: there the columns' headings are hidden).
"""

from html.parser import HTMLParser


class TableReader(HTMLParser):
    def __init__(self, table_class: str):
        super().__init__()
        self.table_class = table_class
        self.in_table = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.skipping or "agenda-add" in classes or "phone-label" in classes:
            self.skipping += 1
        elif tag == "table" and self.table_class in classes:
            self.in_table = True
        elif self.in_table and tag == "tr":
            self.rows.append([])
        elif self.in_table and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if self.skipping:
            self.skipping -= 1
        elif tag == "table":
            self.in_table = False
        elif self.in_table and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None and not self.skipping:
            self.cell.append(data)


def table_rows(html: str, table_class: str = "agenda-table") -> list[list[str]]:
    reader = TableReader(table_class)
    reader.feed(html)
    return reader.rows
