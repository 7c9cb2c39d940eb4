"""Silence procedures: the delegations' answers to a circulated draft, and taking it back."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import silence, zones
from ..models import SilenceAnswer, SilenceProcedure
from .common import ConferenceScopedMixin, MeetingListFilter, ReadOnlyInline, meeting_label

ANSWER_FIELDS = [
    "delegation",
    "kind",
    "answered_at",
    "answered_by",
    "reservation",
    "confirm_by",
    "confirmed_at",
    "item",
    "objection",
    "proposed_wording",
]


class SilenceAnswerInline(ReadOnlyInline, admin.StackedInline):
    """The answers as the delegations gave them: the secretariat reads them, never writes them."""

    model = SilenceAnswer
    fields = ANSWER_FIELDS


@admin.register(SilenceProcedure)
class SilenceProcedureAdmin(ConferenceScopedMixin, admin.ModelAdmin):
    list_display = ["meeting_name", "deadline_in_meetings_zone", "status", "objections"]
    list_filter = ["status", ("meeting", MeetingListFilter)]
    list_select_related = ["meeting"]
    fields = ["meeting", "deadline_in_meetings_zone", "status", "circulated_at", "circulated_by", "closed_at"]
    readonly_fields = fields
    inlines = [SilenceAnswerInline]
    actions = ["withdraw"]

    def has_add_permission(self, request):
        return False  # circulated from the meeting's page ("Circulate the draft conclusions…")

    @admin.display(description=_("meeting"), ordering="meeting__starts_at")
    def meeting_name(self, procedure: SilenceProcedure) -> str:
        return meeting_label(procedure.meeting)

    @admin.display(description=_("deadline"), ordering="deadline")
    def deadline_in_meetings_zone(self, procedure: SilenceProcedure) -> str:
        return zones.moment_text(procedure.deadline, procedure.meeting.time_zone)

    def get_queryset(self, request):
        objecting = Count("answers", filter=Q(answers__kind=SilenceAnswer.Kind.OBJECT))
        return super().get_queryset(request).annotate(objection_count=objecting)

    @admin.display(description=_("objections"), ordering="objection_count")
    def objections(self, procedure: SilenceProcedure) -> int:
        return procedure.objection_count

    @admin.action(description=_("Withdraw the draft (before its deadline)"), permissions=["change"])
    def withdraw(self, request, queryset):
        for procedure in queryset:
            try:
                silence.withdraw(procedure, now=timezone.now())
            except ValidationError as refusal:
                self.message_user(request, f"{procedure}: {' '.join(refusal.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{procedure}: {gettext('withdrawn.')}", messages.SUCCESS)
