"""Conclusions and commitments: recorded on an agenda item's page, followed up in their own list."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from ..models import Commitment, CommitmentNote, Conclusions
from .common import ConferenceScopedMixin, MeetingListFilter, meeting_label

RESPONSIBLE = ["responsible_country", "responsible_presidency", "responsible_organisation"]


class ConclusionsInline(TranslationStackedInline):
    model = Conclusions
    max_num = 1
    extra = 0
    fields = ["text"]


class CommitmentInline(TranslationStackedInline):
    """The commitments made on an item; their follow-up notes are on each commitment's page."""

    model = Commitment
    extra = 0
    show_change_link = True
    fields = ["what", *RESPONSIBLE, "due_on", "status", "position"]
    autocomplete_fields = RESPONSIBLE


class CommitmentNoteInline(admin.TabularInline):
    model = CommitmentNote
    extra = 1
    fields = ["on", "text"]


@admin.register(Commitment)
class CommitmentAdmin(ConferenceScopedMixin, TranslationAdmin):
    """Every commitment of the user's conferences' meetings, to follow them up between meetings."""

    meeting_path = "item__meeting"
    list_display = ["what", "responsible", "due_on", "status", "meeting"]
    list_filter = ["status", ("item__meeting", MeetingListFilter), "responsible_presidency"]
    list_select_related = ["item__meeting", *RESPONSIBLE]
    search_fields = [
        "what_es",
        "what_en",
        "what_pt",
        "responsible_country__name",
        "responsible_organisation__name",
    ]
    autocomplete_fields = ["item", *RESPONSIBLE]
    fields = ["item", "what", *RESPONSIBLE, "due_on", "status", "position"]
    inlines = [CommitmentNoteInline]

    def meeting_of(self, obj: Commitment):
        return obj.item.meeting

    @admin.display(description=_("meeting"), ordering="item__meeting__starts_at")
    def meeting(self, commitment: Commitment) -> str:
        return meeting_label(commitment.item.meeting)
