"""Agenda rows edited inline: a meeting's topics, a topic's sub-items, participants and speakers' list."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..forms import AddedOnPurposeForm, AgendaItemForm, AgendaRowsFormSet
from ..models import AgendaItem, AgendaParticipant, Meeting, SpeakersList
from .common import FIELD_WIDGETS, label_times, zone_for_editing


class SpeakersListInline(admin.StackedInline):
    """Whether the topic runs a speakers' list, and its rules; the requests themselves are live events."""

    model = SpeakersList
    form = AddedOnPurposeForm
    max_num = 1
    # No empty form on the page: one appears only when asked for, and is then created as it stands.
    extra = 0
    formfield_overrides = FIELD_WIDGETS
    fields = [
        "minutes_per_intervention",
        "minutes_per_delegation",
        "presidency_minutes",
        "conference_minutes",
        "group_minutes",
        "statements_on_behalf_first",
        "open_to_delegates",
        "open_to_observers",
        "open_to_civil_society",
        "inscription_opens_at",
        "inscription_closes_at",
        "inscribed_shown_to_public",
    ]


class ParticipantInline(admin.TabularInline):
    model = AgendaParticipant
    extra = 1
    fields = ["role", "person", "organisation", "presidency_of", "position"]
    autocomplete_fields = ["person", "organisation"]


class AgendaRowInline(admin.TabularInline):
    model = AgendaItem
    form = AgendaItemForm
    formfield_overrides = FIELD_WIDGETS
    formset = AgendaRowsFormSet
    extra = 1
    show_change_link = True
    fields = [
        "edit_version",
        "position",
        "starts_at",
        "ends_at",
        "duration_minutes",
        # The Spanish title in the row; the English and Portuguese ones on the item's page.
        "title_es",
        "is_parallel",
        "is_cancelled",
        "participant_summary",
        "sub_item_summary",
        "shift_link",
    ]
    readonly_fields = ["participant_summary", "sub_item_summary", "shift_link"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("meeting")
            .prefetch_related(
                "sub_items",
                "participants__person",
                "participants__organisation",
                "participants__presidency_of",
            )
        )

    @admin.display(description=_("participants"))
    def participant_summary(self, item: AgendaItem) -> str:
        if not item.pk:
            return ""
        return (
            format_html_join(
                ", ", "{}: {}", ((p.get_role_display(), p.label) for p in item.participants.all())
            )
            or "—"
        )

    @admin.display(description=_("sub-items"))
    def sub_item_summary(self, item: AgendaItem) -> str:
        if not item.pk:
            return ""
        return (
            format_html_join(mark_safe("<br>"), "· {}", ((child.title,) for child in item.sub_items.all()))
            or "—"
        )

    @admin.display(description=_("shift"))
    def shift_link(self, item: AgendaItem) -> str:
        if not item.pk or not item.starts_at:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:agenda_agendaitem_shift", args=[item.pk]),
            gettext("Shift this and later items…"),
        )


class TopicRowInline(AgendaRowInline):
    """The topics of a meeting, on the meeting's page."""

    fk_name = "meeting"

    def has_delete_permission(self, request, obj=None):
        # Calendars already hold a published meeting's topics: cancel one instead.
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.status == Meeting.Status.DRAFT
        )

    verbose_name = _("topic")
    verbose_name_plural = _("agenda: topics (open one to edit its sub-items and participants)")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(parent__isnull=True)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        label_times(formset.form, zone_for_editing(request, obj), obj.starts_at if obj else None)
        return formset


class SubItemInline(AgendaRowInline):
    """The sub-items of a topic, on the topic's page."""

    fk_name = "parent"
    verbose_name = _("sub-item")
    verbose_name_plural = _("sub-items")
    exclude = ["meeting"]
    fields = [f for f in AgendaRowInline.fields if f not in ("sub_item_summary", "shift_link")]
    readonly_fields = ["participant_summary"]

    # Without rows it renders only its management form (see AgendaRowsFormSet).
    template = "admin/agenda/sub_item_inline.html"

    def get_max_num(self, request, obj=None, **kwargs):
        return super().get_max_num(request, obj, **kwargs) if self.holds_sub_items(obj) else 0

    def get_extra(self, request, obj=None, **kwargs):
        return super().get_extra(request, obj, **kwargs) if self.holds_sub_items(obj) else 0

    @staticmethod
    def holds_sub_items(obj: AgendaItem | None) -> bool:
        return obj is not None and obj.is_topic

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            label_times(formset.form, obj.meeting.time_zone, obj.meeting.starts_at)
        return formset
