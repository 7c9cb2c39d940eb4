"""The agenda editor: a meeting's whole agenda as the concept note's table, judged and saved at once.

Each row of the table is an `EditorRow` (a topic, a sub-item, or the day the rows
below it are on), with its cells as the secretariat types them: the time as
"09:15 – 10:00", the participants as "SE y ST CRM CSM; Modera: PPT CSM". The
participants are read against a `Directory` of the people, organisations and
presidencies the app knows. `save_agenda` judges the proposed agenda with
`find_agenda_problems` (the rules every write path shares) and writes it in one
transaction, or raises `AgendaRefused` with each problem at its row.
"""

from ..concept_notes import DAY, SUB_ITEM, TOPIC
from .names import (
    NEW_ORGANISATION_KINDS,
    ROLE_PREFIX,
    Directory,
    Named,
    read_participants,
    usual_role_in,
    write_participants,
)
from .rows import EditorRow, agenda_state, rows_after_refusal, rows_from_post, rows_of, rows_read
from .saving import AgendaRefused, Header, save_agenda

__all__ = [
    "DAY",
    "NEW_ORGANISATION_KINDS",
    "ROLE_PREFIX",
    "SUB_ITEM",
    "TOPIC",
    "AgendaRefused",
    "Directory",
    "EditorRow",
    "Header",
    "Named",
    "agenda_state",
    "read_participants",
    "rows_after_refusal",
    "rows_from_post",
    "rows_of",
    "rows_read",
    "save_agenda",
    "usual_role_in",
    "write_participants",
]
