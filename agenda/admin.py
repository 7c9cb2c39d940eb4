"""The secretariat's admin: meetings with their agenda inline, times in the meeting's zone."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import access, history, registrations, scheduling
from .forms import (
    AgendaItemForm,
    AgendaRowsFormSet,
    DuplicateMeetingForm,
    MeetingForm,
    RegistrationImportForm,
    ShiftForm,
    TopicForm,
)
from .models import (
    AgendaItem,
    AgendaParticipant,
    Conference,
    Country,
    Meeting,
    MeetingDocument,
    Organisation,
    Person,
    Presidency,
    Registration,
    StaffProfile,
)
from .zones import gmt_label, is_time_zone, time_zone_choices

admin.site.site_header = _("Plenary: secretariat")
admin.site.site_title = _("Plenary")
admin.site.index_title = _("Meetings and agendas")


def local_span(item: AgendaItem | Meeting, zone: zoneinfo.ZoneInfo) -> str:
    if not item.starts_at:
        return "—"
    start, end = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
    return f"{start:%H:%M}–{end:%H:%M} {gmt_label(start.utcoffset())}"


# A link typed without its scheme ("zoom.us/j/…") is taken as https, as Django 6 will.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


def label_times(form_class, zone_name: str, moment=None) -> None:
    """Label the start and end fields with the zone's offset at `moment`: "Start (GMT-6)"."""
    moment = moment or timezone.now()
    label = gmt_label(moment.astimezone(zoneinfo.ZoneInfo(zone_name)).utcoffset())
    for name, text in (("starts_at", gettext("Start")), ("ends_at", gettext("End"))):
        if name in form_class.base_fields:
            form_class.base_fields[name].label = f"{text} ({label})"
            form_class.base_fields[name].help_text = gettext("In %(zone)s time.") % {"zone": zone_name}


class MeetingTimeZoneMixin:
    """Show and read the change form's times in the meeting's own zone.

    The form is rendered inside the override: Django converts datetimes to
    the current zone when a widget renders, not when the view returns.
    """

    def editing_time_zone(self, request: HttpRequest, obj) -> str:
        raise NotImplementedError

    def rendered_in_meeting_zone(self, request, object_id, view) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        with timezone.override(zoneinfo.ZoneInfo(self.editing_time_zone(request, obj))):
            response = view()
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self.rendered_in_meeting_zone(
            request,
            object_id,
            lambda: super(MeetingTimeZoneMixin, self).changeform_view(
                request, object_id, form_url, extra_context
            ),
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Restoring an earlier version shows its times in the meeting's zone too.
        return self.rendered_in_meeting_zone(
            request,
            object_id,
            lambda: super(MeetingTimeZoneMixin, self).history_form_view(
                request, object_id, version_id, extra_context
            ),
        )


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    """Keep who changed what; only who may change a row may restore an earlier version."""

    def revert_disabled(self, request, obj=None):
        return not self.has_change_permission(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history lets anyone who may view the history post the restore form.
        if request.method == "POST" and not self.has_change_permission(
            request, self.get_object(request, unquote(object_id))
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class HistoryMixin(GuardedHistoryAdmin):
    """Keep who changed what (the "History" button restores an earlier version).

    A save marked "minor correction" is recorded like any other, with a reason
    that keeps it out of the public changelog.
    """

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        match = request.resolver_match
        # Restoring an earlier version is saving on top of the current one, knowingly.
        form.restoring = bool(match and match.url_name.endswith("_simple_history"))
        form.editor = request.user
        return form

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("minor_change"):
            obj._change_reason = history.MINOR
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if form.cleaned_data.get("minor_change"):
            for row in formset.forms:
                row.instance._change_reason = history.MINOR
        super().save_formset(request, form, formset, change)


class ParticipantInline(admin.TabularInline):
    model = AgendaParticipant
    extra = 1
    fields = ["role", "person", "organisation", "presidency_of", "position"]
    autocomplete_fields = ["person", "organisation"]


class AgendaRowInline(admin.TabularInline):
    model = AgendaItem
    form = AgendaItemForm
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
        if obj is not None:
            label_times(formset.form, obj.time_zone, obj.starts_at)
        else:
            label_times(formset.form, self.request_zone(request))
        return formset

    def request_zone(self, request):
        name = request.POST.get("time_zone", "")
        return name if is_time_zone(name) else Meeting._meta.get_field("time_zone").default


class SubItemInline(AgendaRowInline):
    """The sub-items of a topic, on the topic's page."""

    fk_name = "parent"
    verbose_name = _("sub-item")
    verbose_name_plural = _("sub-items")
    exclude = ["meeting"]
    fields = [f for f in AgendaRowInline.fields if f not in ("sub_item_summary", "shift_link")]
    readonly_fields = ["participant_summary"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            label_times(formset.form, obj.meeting.time_zone, obj.meeting.starts_at)
        return formset


class ConferenceScopedMixin:
    """Listed, read, changed and deleted only by staff of the meeting's conferences (access.py).

    Another conference's drafts, join links and reports are not theirs to read; its
    published meetings they read on the public site, as anyone does.
    """

    # The path from a row to its meeting, for the list's query.
    meeting_path = "meeting"

    def meeting_of(self, obj) -> Meeting:
        return obj.meeting

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(**{f"{self.meeting_path}__in": access.their_meetings(request.user)})

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or access.works_on(request.user, self.meeting_of(obj))
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or access.works_on(request.user, self.meeting_of(obj))
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or access.works_on(request.user, self.meeting_of(obj))
        )


class DocumentInline(admin.TabularInline):
    model = MeetingDocument
    extra = 1
    fields = ["title", "file", "audience", "position"]
    verbose_name_plural = _("documents (public, or for registered participants only)")


@admin.register(Meeting)
class MeetingAdmin(ConferenceScopedMixin, MeetingTimeZoneMixin, HistoryMixin, TranslationAdmin):
    form = MeetingForm
    list_display = ["title", "local_date", "local_time", "modality", "status", "topic_count", "view_link"]
    list_filter = ["status", "modality", "conferences", "starts_at"]
    search_fields = ["title_es", "title_en", "title_pt", "slug", "venue"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = HTTPS_URLS
    filter_horizontal = ["organisers"]
    readonly_fields = ["uuid", "sequence", "created_at", "updated_at"]
    inlines = [TopicRowInline, DocumentInline]
    actions = ["publish", "unpublish", "cancel", "duplicate"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "edit_version",
                    "title",
                    "slug",
                    "series_number",
                    "status",
                    "conferences",
                    "organisers",
                    "minor_change",
                ]
            },
        ),
        (_("When"), {"fields": ["time_zone", "starts_at", "ends_at"]}),
        (
            _("Where"),
            {
                "fields": [
                    "modality",
                    "video_call_platform",
                    "video_call_url",
                    "join_link_visibility",
                    "venue",
                ]
            },
        ),
        (
            _("Concept note"),
            {
                "fields": list(Meeting.CONCEPT_NOTE_SECTIONS),
                # Folded, so the agenda below is one scroll away.
                "classes": ["collapse"],
                "description": _(
                    "Blank lines separate paragraphs; lines starting with “- ” or “1) ” make lists; "
                    "“# ” starts a sub-heading. Text is shown as typed, never as HTML."
                ),
            },
        ),
        (_("Record"), {"fields": ["uuid", "sequence", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(topics=Count("agenda_items", distinct=True))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "time_zone":
            return forms.ChoiceField(
                label=db_field.verbose_name, help_text=db_field.help_text, choices=time_zone_choices()
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    meeting_path = "pk"

    def meeting_of(self, obj: Meeting) -> Meeting:
        return obj

    def has_delete_permission(self, request, obj=None):
        # Subscribed calendars hold a meeting once published: cancel it, so they learn of it.
        return super().has_delete_permission(request, obj) and (
            obj is None or (obj.status == Meeting.Status.DRAFT and not obj.is_withdrawn)
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "conferences":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def editing_time_zone(self, request, obj):
        name = request.POST.get("time_zone", "")
        if request.method == "POST" and is_time_zone(name):
            return name
        return obj.time_zone if obj else Meeting._meta.get_field("time_zone").default

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        label_times(form, self.editing_time_zone(request, obj), obj.starts_at if obj else None)
        return form

    @admin.display(description=_("date"), ordering="starts_at")
    def local_date(self, meeting: Meeting):
        return meeting.local_starts_at.date()

    @admin.display(description=_("time"))
    def local_time(self, meeting: Meeting) -> str:
        return local_span(meeting, meeting.zone)

    @admin.display(description=_("items"), ordering="topics")
    def topic_count(self, meeting: Meeting) -> int:
        return meeting.topics

    @admin.display(description=_("public page"))
    def view_link(self, meeting: Meeting) -> str:
        return format_html('<a href="{}">{}</a>', meeting.get_absolute_url(), gettext("view on site"))

    def change_status(self, request, queryset, status: str, done: str) -> None:
        for meeting in queryset.prefetch_related("conferences"):
            if not self.has_change_permission(request, meeting):
                self.message_user(
                    request,
                    gettext("%(meeting)s: not a meeting of your conference; left as it was.")
                    % {"meeting": meeting},
                    messages.ERROR,
                )
                continue
            try:
                scheduling.set_status(meeting, status)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, f"{meeting}: {message}", messages.ERROR)
            else:
                self.log_change(request, meeting, done)
                self.message_user(request, f"{meeting}: {done}", messages.SUCCESS)

    @admin.action(description=_("Publish the selected meetings"), permissions=["change"])
    def publish(self, request, queryset):
        self.change_status(request, queryset, Meeting.Status.PUBLISHED, gettext("published."))

    @admin.action(description=_("Unpublish (back to draft)"), permissions=["change"])
    def unpublish(self, request, queryset):
        self.change_status(request, queryset, Meeting.Status.DRAFT, gettext("back to draft."))

    @admin.action(description=_("Cancel the selected meetings"), permissions=["change"])
    def cancel(self, request, queryset):
        self.change_status(request, queryset, Meeting.Status.CANCELLED, gettext("cancelled."))

    @admin.action(description=_("Duplicate as the draft for the next meeting"), permissions=["add"])
    def duplicate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("Choose exactly one meeting to duplicate."), messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:agenda_meeting_duplicate", args=[queryset.get().pk]))

    def get_urls(self):
        return [
            path(
                "<int:pk>/duplicate/",
                self.admin_site.admin_view(self.duplicate_view),
                name="agenda_meeting_duplicate",
            ),
            *super().get_urls(),
        ]

    def duplicate_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = get_object_or_404(Meeting, pk=pk)
        if not self.has_add_permission(request) or not self.has_change_permission(request, meeting):
            raise PermissionDenied
        form = DuplicateMeetingForm(request.POST or None, initial={"title": meeting.title})
        if request.method == "POST" and form.is_valid():
            try:
                copy = scheduling.duplicate_meeting(
                    meeting, on=form.cleaned_data["on"], title=form.cleaned_data["title"] or None
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.log_addition(
                    request, copy, gettext("Duplicated from %(meeting)s.") % {"meeting": meeting}
                )
                self.message_user(request, gettext("Draft created: check its title, slug and agenda."))
                return HttpResponseRedirect(reverse("admin:agenda_meeting_change", args=[copy.pk]))
        return TemplateResponse(
            request,
            "admin/agenda/action_form.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "object": meeting,
                "form": form,
                "title": gettext("Duplicate “%(meeting)s”") % {"meeting": meeting},
                "submit_label": gettext("Create the draft"),
            },
        )


@admin.register(AgendaItem)
class AgendaItemAdmin(ConferenceScopedMixin, MeetingTimeZoneMixin, HistoryMixin, TranslationAdmin):
    form = AgendaItemForm
    list_display = ["title", "meeting", "time_span", "parent", "is_parallel"]
    # Related-only: the filter lists the meetings this user sees, not every draft's title.
    list_filter = [
        ("meeting", admin.RelatedOnlyFieldListFilter),
        ("parent", admin.EmptyFieldListFilter),
        "is_parallel",
    ]
    list_select_related = ["meeting", "parent"]
    search_fields = ["title_es", "title_en", "title_pt", "description_es", "meeting__title_es"]
    autocomplete_fields = ["meeting"]
    readonly_fields = ["uuid", "sequence", "created_at", "updated_at"]
    actions = ["shift"]
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
        "minor_change",
        "uuid",
        "sequence",
        "created_at",
        "updated_at",
    ]

    def get_inlines(self, request, obj):
        if obj is not None and obj.parent_id is None:
            return [SubItemInline, ParticipantInline]
        return [ParticipantInline]

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
        meeting_id = request.POST.get("meeting") or request.GET.get("meeting")
        if obj is not None and not (request.method == "POST" and meeting_id):
            return obj.meeting.time_zone
        if meeting_id and str(meeting_id).isdigit():
            meeting = Meeting.objects.filter(pk=meeting_id).only("time_zone").first()
            if meeting:
                return meeting.time_zone
        return Meeting._meta.get_field("time_zone").default

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and obj.parent_id is None:
            kwargs["form"] = TopicForm
        form = super().get_form(request, obj, change=change, **kwargs)
        label_times(form, self.editing_time_zone(request, obj), obj.meeting.starts_at if obj else None)
        if obj is not None and "parent" in form.base_fields:
            form.base_fields["parent"].queryset = AgendaItem.objects.filter(
                meeting_id=obj.meeting_id, parent__isnull=True
            ).exclude(pk=obj.pk)
        return form

    @admin.display(description=_("time"), ordering="starts_at")
    def time_span(self, item: AgendaItem) -> str:
        return local_span(item, item.meeting.zone)

    @admin.action(description=_("Shift this item and all later ones…"), permissions=["change"])
    def shift(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, gettext("Choose exactly one item: it and all later items move."), messages.WARNING
            )
            return None
        return HttpResponseRedirect(reverse("admin:agenda_agendaitem_shift", args=[queryset.get().pk]))

    def get_urls(self):
        return [
            path(
                "<int:pk>/shift/", self.admin_site.admin_view(self.shift_view), name="agenda_agendaitem_shift"
            ),
            *super().get_urls(),
        ]

    def shift_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        form = ShiftForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            minutes = form.cleaned_data["minutes"]
            try:
                moved = scheduling.shift_items(item, minutes)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                summary = gettext("Moved %(count)d items by %(minutes)+d minutes, from “%(item)s”.") % {
                    "count": len(moved),
                    "minutes": minutes,
                    "item": item.title,
                }
                self.log_change(request, item.meeting, summary)
                self.message_user(request, summary, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:agenda_meeting_change", args=[item.meeting_id]))
        return TemplateResponse(
            request,
            "admin/agenda/action_form.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "object": item,
                "form": form,
                "title": gettext("Shift “%(item)s” and every item after it") % {"item": item.title},
                "intro": gettext("Now %(span)s. Sub-items move with their topic.")
                % {"span": local_span(item, item.meeting.zone)},
                "submit_label": gettext("Shift"),
            },
        )


@admin.register(AgendaParticipant)
class AgendaParticipantAdmin(ConferenceScopedMixin, HistoryMixin, admin.ModelAdmin):
    list_display = ["item", "role", "person", "organisation", "presidency_of"]
    list_filter = ["role", ("item__meeting", admin.RelatedOnlyFieldListFilter)]
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


class PresidencyInline(admin.TabularInline):
    model = Presidency
    extra = 1


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name", "founded_in", "member_count"]
    search_fields = ["acronym", "name"]
    filter_horizontal = ["members"]
    inlines = [PresidencyInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, conference: Conference) -> int:
        return conference.member_total


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    list_filter = ["conferences"]


@admin.register(Presidency)
class PresidencyAdmin(admin.ModelAdmin):
    list_display = ["conference", "country", "starts_on", "ends_on"]
    list_filter = ["conference"]
    list_select_related = ["conference", "country"]


class SharedRecordMixin:
    """People and organisations: changed only where every meeting showing them is the user's."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or access.may_change_shared(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or access.may_change_shared(request.user, obj)
        )


@admin.register(Organisation)
class OrganisationAdmin(SharedRecordMixin, GuardedHistoryAdmin):
    list_display = ["name", "short_name", "kind", "country", "conference", "email"]
    list_filter = ["kind", "conference", "country"]
    list_select_related = ["country", "conference"]
    search_fields = ["name", "short_name", "email"]
    formfield_overrides = HTTPS_URLS


@admin.register(Person)
class PersonAdmin(SharedRecordMixin, GuardedHistoryAdmin):
    list_display = ["name", "position", "organisation", "email"]
    list_filter = ["organisation__kind", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "position", "email", "organisation__name", "organisation__short_name"]
    autocomplete_fields = ["organisation"]


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}


# Staff accounts with the conferences each works on, beside their groups.
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class StaffUserAdmin(UserAdmin):
    inlines = [StaffProfileInline]


class MeetingScopedAdmin(ConferenceScopedMixin, admin.ModelAdmin):
    """Rows of a meeting, listed and changed only by staff of the meeting's conferences."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "meeting":
            kwargs["queryset"] = access.their_meetings(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PrivateLinkFilter(admin.SimpleListFilter):
    title = _("private link")
    parameter_name = "link"

    def lookups(self, request, model_admin):
        return [("active", _("active")), ("revoked", _("revoked"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(Registration)
class RegistrationAdmin(MeetingScopedAdmin):
    list_display = ["name", "affiliation", "email", "role", "meeting", "link_state"]
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter), "role", PrivateLinkFilter]
    list_select_related = ["meeting"]
    search_fields = ["name", "email", "affiliation"]
    fields = ["meeting", "name", "email", "affiliation", "role", "private_link", "revoked_at", "created_at"]
    readonly_fields = ["private_link", "revoked_at", "created_at"]
    actions = ["revoke_links", "issue_new_links"]

    @admin.display(description=_("private link"))
    def private_link(self, registration: Registration) -> str:
        if registration.pk is None:
            return gettext("Made when the participant is saved.")
        if registration.is_revoked:
            return gettext("Revoked: issue a new link to give access again.")
        return registration.get_absolute_private_url()

    @admin.display(description=_("link"), boolean=True)
    def link_state(self, registration: Registration) -> bool:
        return not registration.is_revoked

    @admin.action(
        description=_("Revoke the private links of the selected participants"), permissions=["change"]
    )
    def revoke_links(self, request, queryset):
        # The queryset holds only the user's own meetings' participants (get_queryset).
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request, gettext("%(count)d links revoked; they stop working now.") % {"count": count}
        )

    @admin.action(
        description=_("Issue new private links (the old ones stop working)"), permissions=["change"]
    )
    def issue_new_links(self, request, queryset):
        count = 0
        for registration in queryset:
            registration.issue_new_link()
            count += 1
        self.message_user(request, gettext("%(count)d new links issued: send them again.") % {"count": count})

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="agenda_registration_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RegistrationImportForm(
            request.POST or None, request.FILES or None, meetings=access.their_meetings(request.user)
        )
        if request.method == "POST" and form.is_valid():
            try:
                result = registrations.import_registrations(
                    form.cleaned_data["meeting"],
                    form.cleaned_data["file"].read(registrations.MAX_FILE_BYTES + 1),
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                self.message_user(
                    request,
                    gettext("%(created)d participants registered, %(updated)d updated.")
                    % {"created": result.created, "updated": result.updated},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:agenda_registration_changelist"))
        return TemplateResponse(
            request,
            "admin/agenda/action_form.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "object": gettext("Import from a spreadsheet"),
                "form": form,
                "title": gettext("Register participants from a spreadsheet"),
                "intro": gettext(
                    "Nothing is saved unless every line is right; each problem is listed by line."
                ),
                "submit_label": gettext("Import"),
            },
        )
