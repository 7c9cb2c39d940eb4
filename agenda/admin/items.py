"""Agenda items (with their sub-items and participants) and shifting the agenda."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import access, scheduling
from ..forms import AgendaItemForm, ShiftForm
from ..history import local_time
from ..models import AgendaItem, AgendaParticipant, Meeting, SpeakersList
from .common import (
    FIELD_WIDGETS,
    ConferenceScopedMixin,
    HistoryMixin,
    MeetingBoundAdmin,
    MeetingListFilter,
    action_page,
    label_times,
    local_span,
    meeting_label,
    zone_for_editing,
)
from .inlines import ParticipantInline, SpeakersListInline, SubItemInline
from .outcomes import CommitmentInline, ConclusionsInline


def agenda_order(item: AgendaItem) -> tuple:
    return (item.starts_at, item.parent_id is not None, item.position)


@admin.register(AgendaItem)
class AgendaItemAdmin(MeetingBoundAdmin):
    form = AgendaItemForm
    list_display = ["title", "meeting_name", "time_span", "parent", "is_parallel"]
    # Related-only: the filter lists the meetings this user sees, not every draft's title.
    list_filter = [
        ("meeting", MeetingListFilter),
        ("parent", admin.EmptyFieldListFilter),
        "is_parallel",
    ]
    list_select_related = ["meeting", "parent"]
    search_fields = ["title_es", "title_en", "title_pt", "description_es", "meeting__title_es"]
    # The meeting from a list naming each with its date and status (a secretariat has a few dozen).
    autocomplete_fields = ["reviews"]
    formfield_overrides = FIELD_WIDGETS
    readonly_fields = ["uuid", "sequence", "created_at", "updated_at"]
    actions = ["shift"]
    row_action = "shift"
    fields = [
        "edit_version",
        "meeting",
        "parent",
        "position",
        "starts_at",
        "ends_at",
        "duration_minutes",
        "title",
        "description",
        "is_parallel",
        "is_cancelled",
        "reviews",
        "minor_change",
        "uuid",
        "sequence",
        "created_at",
        "updated_at",
    ]

    # Every item page has the sub-items' formset: it is what judges the whole agenda on save
    # (on a sub-item's page or a new item's, it has no rows and shows nothing).
    inlines = [SubItemInline, ParticipantInline, SpeakersListInline, ConclusionsInline, CommitmentInline]

    def has_delete_permission(self, request, obj=None):
        # A published meeting's topics are events in calendars: cancel one instead.
        if obj is not None and obj.parent_id is None and obj.meeting.status != Meeting.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # New items only in the user's own meetings, even by a hand-made POST.
        if db_field.name == "meeting":
            kwargs["queryset"] = access.their_meetings(request.user)
        if db_field.name == "parent":
            kwargs["queryset"] = AgendaItem.objects.filter(
                meeting__in=access.their_meetings(request.user), parent__isnull=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def editing_time_zone(self, request, obj):
        # The meeting the item is posted to, or the one it belongs to, or the one a link names.
        meeting_id = request.POST.get("meeting") or request.GET.get("meeting")
        meeting = obj.meeting if obj is not None else None
        if str(meeting_id).isdigit() and (obj is None or request.method == "POST"):
            meeting = Meeting.objects.filter(pk=meeting_id).only("time_zone").first() or meeting
        return zone_for_editing(request, meeting)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        label_times(form, self.editing_time_zone(request, obj), obj.meeting.starts_at if obj else None)
        if obj is not None and "parent" in form.base_fields:
            form.base_fields["parent"].queryset = AgendaItem.objects.filter(
                meeting_id=obj.meeting_id, parent__isnull=True
            ).exclude(pk=obj.pk)
        return form

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for created in formset.new_objects:
            if isinstance(created, SpeakersList):
                message = gettext("Speakers' list created: %(rules)s") % {"rules": created.rules_text()}
                self.message_user(request, message, messages.SUCCESS)

    @admin.display(description=_("meeting"), ordering="meeting__starts_at")
    def meeting_name(self, item: AgendaItem) -> str:
        return meeting_label(item.meeting)

    def response_change(self, request, obj, post_url_continue=None):
        # A sub-item is edited from its topic's page: saving it goes back there, not to every item's list.
        if obj.parent_id and "_continue" not in request.POST and "_addanother" not in request.POST:
            self.message_user(request, gettext("“%(item)s” was saved.") % {"item": obj}, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:agenda_agendaitem_change", args=[obj.parent_id]))
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if obj.parent_id and "_continue" not in request.POST and "_addanother" not in request.POST:
            self.message_user(request, gettext("“%(item)s” was added.") % {"item": obj}, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:agenda_agendaitem_change", args=[obj.parent_id]))
        return super().response_add(request, obj, post_url_continue)

    @admin.display(description=_("time"), ordering="starts_at")
    def time_span(self, item: AgendaItem) -> str:
        return local_span(item, item.meeting.time_zone)

    @admin.action(description=_("Shift this item and all later ones…"), permissions=["change"])
    def shift(self, request, queryset):
        return self.open_row_action(
            request, queryset, gettext("Choose exactly one item: it and all later items move.")
        )

    def shift_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        form = ShiftForm(request.POST or None)

        def perform() -> tuple[str, str]:
            minutes = form.cleaned_data["minutes"]
            moved = scheduling.shift_items(item, minutes)
            summary = gettext("Moved %(count)d items by %(minutes)+d minutes, from “%(item)s”.") % {
                "count": len(moved),
                "minutes": minutes,
                "item": item.title,
            }
            self.log_change(request, item.meeting, summary)
            return summary, reverse("admin:agenda_meeting_change", args=[item.meeting_id])

        def preview() -> list[str]:
            moved, end = scheduling.preview_shift(item, form.cleaned_data["minutes"])
            zone = item.meeting.time_zone
            lines = [f"{local_span(each, zone)} · {each.title}" for each in sorted(moved, key=agenda_order)]
            lines.append(
                gettext("The meeting then ends at %(end)s.") % {"end": local_time(end, item.meeting)}
            )
            return lines

        return action_page(
            self,
            request,
            form,
            perform,
            preview=preview,
            preview_heading=gettext("These items will move (new times):"),
            about=item,
            title=gettext("Shift “%(item)s” and every item after it") % {"item": item.title},
            intro=gettext("Now %(span)s. Sub-items move with their topic.")
            % {"span": local_span(item, item.meeting.time_zone)},
            submit_label=gettext("Shift"),
        )


@admin.register(AgendaParticipant)
class AgendaParticipantAdmin(ConferenceScopedMixin, HistoryMixin, admin.ModelAdmin):
    list_display = ["item", "role", "person", "organisation", "presidency_of"]
    list_filter = ["role", ("item__meeting", MeetingListFilter)]
    list_select_related = ["item", "person", "organisation", "presidency_of"]
    search_fields = ["item__title", "person__name", "organisation__name", "organisation__short_name"]
    autocomplete_fields = ["item", "person", "organisation"]

    meeting_path = "item__meeting"

    def meeting_of(self, obj: AgendaParticipant) -> Meeting:
        return obj.item.meeting

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "item":
            kwargs["queryset"] = AgendaItem.objects.filter(meeting__in=access.their_meetings(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
