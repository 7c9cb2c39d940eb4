"""An agenda as plain values, to compare two meetings' agendas field by field."""

from html.parser import HTMLParser

from agenda.models import Meeting

# A moment as the meeting's zone reads it, with its offset: two agendas in different zones differ.
MOMENT = "%Y-%m-%d %H:%M %z"


def agenda_shape(meeting: Meeting) -> list[tuple]:
    """(topic or sub-item, position, title, start, end, [(role, who)]) per row, in order."""
    shape = []
    for topic in Meeting.objects.get(pk=meeting.pk).agenda():
        for item in [topic, *topic.children]:
            shape.append(
                (
                    "topic" if item.is_topic else "sub",
                    item.position,
                    item.title_es,
                    item.local_starts_at.strftime(MOMENT) if item.starts_at else None,
                    item.local_ends_at.strftime(MOMENT) if item.ends_at else None,
                    [(p.role, p.label) for p in item.participants.all()],
                )
            )
    return shape


class _FormFields(HTMLParser):
    """What a browser posts of a page's form: inputs, checked boxes, selected options, textareas."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.in_template = 0
        self.fields: dict[str, str] = {}
        self.select: str | None = None
        self.first_option: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if tag == "template":
            self.in_template += 1
        if not self.inside or self.in_template:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value", "on")
            else:
                self.fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self.select, self.first_option = name, None
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            if self.first_option is None:
                self.first_option = value
                self.fields.setdefault(self.select, value)
            if "selected" in attrs:
                self.fields[self.select] = value
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "template":
            self.in_template -= 1
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea and self.inside:
            self.fields[self.textarea] += data.lstrip("\n") if not self.fields[self.textarea] else data


def form_fields(html: str, form_id: str = "agenda-editor") -> dict[str, str]:
    parser = _FormFields(form_id)
    parser.feed(html)
    return parser.fields
