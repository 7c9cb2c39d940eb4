"""Silence procedure: circulating a meeting's draft conclusions, the delegations' answers, the deadline.

`circulate` sends the draft (one mail per registered member of a member state's
delegation, through the mail queue) with a deadline. Until then each delegation
gives one answer from its private link (`answer`): agree, agree ad referendum
(then `confirm` by a date), break silence with an objection on an item, or go
back to silence. At the deadline the worker's sweep (`close_due`) adopts the text
unless silence was broken, and publishes it as `outcomes.publish_conclusions`
does, or returns it to the secretariat with the objections. Closing is one
transaction on the procedure's locked row that also stores the outcome's mails:
a worker killed and started again closes it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import notifications, outcomes, zones
from .models import (
    AgendaItem,
    Commitment,
    Conclusions,
    Meeting,
    Notification,
    Registration,
    SilenceAnswer,
    SilenceProcedure,
)
from .states import AdReferendum

Kind = SilenceAnswer.Kind


def refuse(message: str) -> None:
    raise ValidationError(message, code="refused")


def answering_delegations(meeting: Meeting):
    """Who answers: the registered delegations of member states (observers and civil society do not)."""
    return meeting.registrations.filter(role=Registration.Role.DELEGATE, revoked_at__isnull=True)


@transaction.atomic
def circulate(meeting: Meeting, deadline: datetime, *, by, now: datetime | None = None) -> SilenceProcedure:
    """Circulate the meeting's draft conclusions and commitments until `deadline`; mail each delegation."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_public:
        refuse(_("Publish the meeting first: its delegations can't answer a draft's procedure."))
    if meeting.conclusions_published_at:
        refuse(_("The conclusions are published already: withdraw them to circulate a new draft."))
    if meeting.silence_procedures.circulating().exists():
        refuse(_("A draft of this meeting is circulating already."))
    drafted = Conclusions.objects.filter(item__meeting=meeting).exists()
    if not drafted and not Commitment.objects.filter(item__meeting=meeting).exists():
        refuse(_("There are no conclusions or commitments to circulate yet."))
    if deadline <= now:
        refuse(_("The deadline must be in the future."))
    delegations = answering_delegations(meeting)
    if not delegations.exists():
        refuse(_("No member state's delegation is registered for this meeting: nobody could answer."))
    procedure = SilenceProcedure(meeting=meeting, deadline=deadline, circulated_at=now, circulated_by=by)
    procedure.full_clean()
    procedure.save()
    for registration in delegations:
        if registration.gets_mail:
            notifications.store(
                registration, Notification.Kind.SILENCE, f"silence:{procedure.pk}", now, procedure=procedure
            )
    transaction.on_commit(lambda: notifications.wake_worker_at(now))
    transaction.on_commit(lambda: notifications.wake_worker_at(deadline))
    return procedure


def refuse_answer(registration: Registration, procedure: SilenceProcedure, now: datetime) -> None:
    if registration.is_revoked:
        refuse(registration.link_refusal())
    if registration.role != Registration.Role.DELEGATE:
        refuse(_("Only the delegations of member states answer a silence procedure."))
    if not procedure.is_circulating or now >= procedure.deadline:
        refuse(
            _("The deadline passed on %(when)s: the procedure is closed.")
            % {"when": zones.moment_text(procedure.deadline, procedure.meeting.time_zone)}
        )


@transaction.atomic
def answer(
    registration: Registration,
    procedure: SilenceProcedure,
    kind: str | None,
    *,
    now: datetime,
    **details,
) -> SilenceAnswer | None:
    """The delegation's one answer (`kind` None: back to silence), replacing what it answered before.

    `details`: `reservation`, `confirm_by`, `item`, `objection`, `proposed_wording`, as `kind` needs.
    The procedure's row is locked: two people of one delegation answering at once give one answer.
    """
    procedure = SilenceProcedure.objects.select_for_update().select_related("meeting").get(pk=procedure.pk)
    refuse_answer(registration, procedure, now)
    existing = procedure.answers.filter(delegation_key=registration.delegation_key).first()
    if kind is None:
        if existing is not None:
            existing.delete()
        return None
    given = existing or SilenceAnswer(procedure=procedure, delegation_key=registration.delegation_key)
    given.delegation, given.kind, given.answered_by, given.answered_at = (
        registration.affiliation,
        kind,
        registration,
        now,
    )
    given.confirmed_at = given.confirmed_by = None
    for name in ("reservation", "confirm_by", "item", "objection", "proposed_wording"):
        setattr(given, name, details.get(name) or SilenceAnswer._meta.get_field(name).get_default())
    given.full_clean(exclude=["answered_by", "confirmed_by"])
    given.save()
    return given


@transaction.atomic
def confirm(registration: Registration, procedure: SilenceProcedure, *, now: datetime) -> SilenceAnswer:
    """The delegation's capital confirms its agreement ad referendum, until the date it gave."""
    procedure = SilenceProcedure.objects.select_for_update().select_related("meeting").get(pk=procedure.pk)
    if registration.is_revoked:
        refuse(registration.link_refusal())
    given = procedure.answers.filter(delegation_key=registration.delegation_key).first()
    if given is None or not given.is_ad_referendum:
        refuse(_("Your delegation has no agreement ad referendum to confirm."))
    state = given.ad_referendum(now.astimezone(procedure.meeting.zone).date())
    if state == AdReferendum.CONFIRMED:
        refuse(_("Your delegation's agreement was confirmed already."))
    if state == AdReferendum.LAPSED:
        refuse(
            _("The agreement ad referendum lapsed: it was to be confirmed by %(day)s.")
            % {"day": formats.date_format(given.confirm_by, "DATE_FORMAT")}
        )
    given.confirmed_at, given.confirmed_by = now, registration
    given.save(update_fields=["confirmed_at", "confirmed_by"])
    return given


@transaction.atomic
def withdraw(procedure: SilenceProcedure, *, now: datetime) -> None:
    """The secretariat takes the draft back before the deadline (to change it, or to meet instead)."""
    procedure = SilenceProcedure.objects.select_for_update().get(pk=procedure.pk)
    if not procedure.is_circulating:
        refuse(_("The procedure is closed already."))
    procedure.status, procedure.closed_at = SilenceProcedure.Status.WITHDRAWN, now
    procedure.save(update_fields=["status", "closed_at"])


def close_due(now: datetime | None = None) -> int:
    """Close every procedure whose deadline has come; return how many. Run by the worker's sweep."""
    now = now or timezone.now()
    due = SilenceProcedure.objects.circulating().filter(deadline__lte=now)
    return sum(close(procedure_id, now) for procedure_id in due.values_list("pk", flat=True))


@transaction.atomic
def close(procedure_id: int, now: datetime) -> bool:
    """Adopt the draft unless silence was broken, or return it: once, whoever runs it, with its mails."""
    procedure = (
        SilenceProcedure.objects.circulating()
        .select_for_update(skip_locked=True)
        .filter(pk=procedure_id, deadline__lte=now)
        .select_related("meeting")
        .first()
    )
    if procedure is None:
        return False  # closed by another run, or being closed by it now
    broken = procedure.answers.filter(kind=Kind.OBJECT).exists()
    procedure.status = SilenceProcedure.Status.BROKEN if broken else SilenceProcedure.Status.ADOPTED
    if not procedure.meeting.is_public:
        # The secretariat took the meeting back to draft meanwhile: it took the procedure back too.
        procedure.status = SilenceProcedure.Status.WITHDRAWN
    procedure.closed_at = now
    procedure.save(update_fields=["status", "closed_at"])
    if procedure.is_adopted:
        outcomes.publish_conclusions(procedure.meeting, at=procedure.deadline)
    if not (procedure.is_adopted or procedure.is_broken):
        return True
    for registration in answering_delegations(procedure.meeting):
        if registration.gets_mail:
            notifications.store(
                registration,
                Notification.Kind.SILENCE_OUTCOME,
                f"silence-outcome:{procedure.pk}",
                now,
                procedure=procedure,
            )
    return True


@dataclass
class ProcedureRecord:
    """A procedure as the record and the pages tell it: agreements, ad referendum, objections."""

    procedure: SilenceProcedure
    answers: list[SilenceAnswer]
    today: date  # in the meeting's zone: whether an agreement ad referendum has lapsed

    @property
    def agreed(self) -> list[SilenceAnswer]:
        return [given for given in self.answers if given.is_agreement]

    @property
    def ad_referendum(self) -> list[tuple[SilenceAnswer, AdReferendum]]:
        return [(given, given.ad_referendum(self.today)) for given in self.answers if given.is_ad_referendum]

    @property
    def objections(self) -> list[SilenceAnswer]:
        return [given for given in self.answers if given.is_objection]

    @property
    def reservations(self) -> list[SilenceAnswer]:
        return [given for given in self.answers if given.reservation and not given.is_objection]

    @property
    def answer_lines(self) -> list[tuple[str, str]]:
        """What the record and the public page say of the answers: (delegation, what it said), in the
        order ad referendum, reservations, objections."""
        zone = self.procedure.meeting.time_zone
        lines = [
            (given.delegation, ad_referendum_text(given, state, zone)) for given, state in self.ad_referendum
        ]
        lines += [
            (given.delegation, "{} {}".format(_("reservation:"), given.reservation))
            for given in self.reservations
        ]
        for given in self.objections:
            text = _("objects on “%(item)s”: %(objection)s") % {
                "item": given.item.title if given.item else "—",
                "objection": given.objection,
            }
            if given.proposed_wording:
                text += " " + _("Proposed wording: %(wording)s") % {"wording": given.proposed_wording}
            lines.append((given.delegation, text))
        return lines

    def answer_of(self, key: str) -> SilenceAnswer | None:
        return next((given for given in self.answers if given.delegation_key == key), None)


def last_procedure(meeting: Meeting, today: date | None = None) -> ProcedureRecord | None:
    """The meeting's latest procedure not withdrawn, with its answers, or None."""
    procedure = (
        meeting.silence_procedures.exclude(status=SilenceProcedure.Status.WITHDRAWN)
        .order_by("-circulated_at")
        .first()
    )
    if procedure is None:
        return None
    today = today or timezone.now().astimezone(meeting.zone).date()
    return ProcedureRecord(procedure, list(procedure.answers.select_related("item")), today)


def items_to_object_to(meeting: Meeting) -> list[AgendaItem]:
    """The items with a draft: those an objection may name."""
    return [item for item, _conclusions, _commitments in outcomes.item_outcomes(meeting, meeting.agenda())]


def answer_text(given: SilenceAnswer | None, registration: Registration) -> str:
    """What the delegation is told its answer now is."""
    delegation = registration.affiliation
    if given is None:
        return _("%(delegation)s stays silent.") % {"delegation": delegation}
    if given.confirmed_at:
        return _("%(delegation)s has confirmed its agreement.") % {"delegation": delegation}
    return _("%(delegation)s's answer: %(answer)s.") % {
        "delegation": delegation,
        "answer": given.get_kind_display().lower(),
    }


@dataclass
class DelegationPanel:
    """What a delegation's private page shows of the procedure: the draft, its answer, the outcome."""

    record: ProcedureRecord
    answer: SilenceAnswer | None
    draft: list  # (item, conclusions, commitments), while it circulates
    today: date
    form: Any = None  # the answer's form (`forms.SilenceAnswerForm`), while it circulates

    @property
    def ad_referendum(self) -> AdReferendum | None:
        return self.answer.ad_referendum(self.today) if self.answer else None

    @property
    def may_confirm(self) -> bool:
        return self.ad_referendum == AdReferendum.PENDING

    @property
    def is_confirmed(self) -> bool:
        return self.ad_referendum == AdReferendum.CONFIRMED

    @property
    def has_lapsed(self) -> bool:
        return self.ad_referendum == AdReferendum.LAPSED


def delegation_panel(registration: Registration, now: datetime) -> DelegationPanel | None:
    """For a member state's delegation: the meeting's latest procedure, else None."""
    if registration.role != Registration.Role.DELEGATE:
        return None
    meeting = registration.meeting
    today = now.astimezone(meeting.zone).date()
    record = last_procedure(meeting, today)
    if record is None:
        return None
    circulating = record.procedure.is_circulating
    draft = outcomes.item_outcomes(meeting, meeting.agenda()) if circulating else []
    return DelegationPanel(record, record.answer_of(registration.delegation_key), draft, today)


def circulation_preview(meeting: Meeting) -> list[str]:
    """The lines the secretariat checks before circulating: the delegations, and each item's draft."""
    delegations = sorted({registration.affiliation for registration in answering_delegations(meeting)})
    lines = [
        _("Delegations (%(count)d): %(names)s")
        % {"count": len(delegations), "names": ", ".join(delegations) or "—"}
    ]
    for item, conclusions, commitments in outcomes.item_outcomes(meeting, meeting.agenda()):
        parts = [_("conclusions")] if conclusions else []
        if commitments:
            parts.append(_("%(count)d commitments") % {"count": len(commitments)})
        lines.append(f"{item.title}: {', '.join(parts)}")
    return lines


def ad_referendum_text(given: SilenceAnswer, state: AdReferendum, time_zone: str) -> str:
    if state == AdReferendum.CONFIRMED:
        return _("agreed ad referendum, confirmed on %(when)s") % {
            "when": zones.moment_text(given.confirmed_at, time_zone)
        }
    text = {
        AdReferendum.PENDING: _("agreed ad referendum, to be confirmed by %(day)s"),
        AdReferendum.LAPSED: _("agreed ad referendum, lapsed: not confirmed by %(day)s"),
    }[state]
    return text % {"day": formats.date_format(given.confirm_by, "DATE_FORMAT")}
