"""The app's models, one module per subject; import them from here."""

from .content import ContentVersion
from .floor import SpeakersList
from .interpretation import InterpretationChannel, Statement
from .live import LiveEvent
from .meetings import (
    AgendaItem,
    AgendaParticipant,
    AgendaProblem,
    CalendarVersioned,
    Meeting,
    MeetingQuerySet,
    agenda_problems,
    check_agenda,
    find_agenda_problems,
    load_agendas,
    to_roman,
)
from .notifications import ChangeBatch, Notification
from .outcomes import Commitment, CommitmentNote, CommitmentQuerySet, CommitmentReport, Conclusions
from .people import Conference, Country, Organisation, Person, Presidency, PresidencyQuerySet, StaffProfile
from .registrations import MeetingDocument, Registration
from .silence import SilenceAnswer, SilenceProcedure

__all__ = [
    "AgendaItem",
    "AgendaParticipant",
    "AgendaProblem",
    "CalendarVersioned",
    "ChangeBatch",
    "Commitment",
    "CommitmentNote",
    "CommitmentQuerySet",
    "CommitmentReport",
    "Conclusions",
    "Conference",
    "ContentVersion",
    "Country",
    "InterpretationChannel",
    "LiveEvent",
    "Meeting",
    "MeetingDocument",
    "MeetingQuerySet",
    "Notification",
    "Organisation",
    "Person",
    "Presidency",
    "PresidencyQuerySet",
    "Registration",
    "SilenceAnswer",
    "SilenceProcedure",
    "SpeakersList",
    "StaffProfile",
    "Statement",
    "agenda_problems",
    "check_agenda",
    "find_agenda_problems",
    "load_agendas",
    "to_roman",
]
