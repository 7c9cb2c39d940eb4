"""Meetings: their agenda inline, documents, status actions, duplicating for the next meeting."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import access, outcomes, scheduling, silence, zones
from ..forms import CirculateDraftForm, DuplicateMeetingForm, MeetingForm
from ..models import Country, InterpretationChannel, Meeting, MeetingDocument
from ..models.interpretation import INTERPRETATION_LANGUAGES
from ..zones import grouped_zone_choices, time_zone_choices
from .agenda_editor import agenda_editor_view
from .common import (
    FIELD_WIDGETS,
    MeetingBoundAdmin,
    action_page,
    action_url,
    label_times,
    local_span,
    zone_for_editing,
)
from .inlines import TopicRowInline


def usual_time_zone(user) -> str:
    """The zone the user's conferences hold their meetings in most, else the site's default."""
    return access.their_meetings(user).usual_time_zone() or Meeting._meta.get_field("time_zone").default


class InterpretationChannelInline(admin.TabularInline):
    model = InterpretationChannel
    extra = 0
    fields = ["language", "channel", "position"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "language":
            # Each language named in the secretary's own: "inglés", not "en".
            kwargs["choices"] = [("", "---------")] + [
                (code, InterpretationChannel(language=code).language_name)
                for code in INTERPRETATION_LANGUAGES
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class DocumentInline(admin.TabularInline):
    model = MeetingDocument
    extra = 1
    fields = ["title", "file", "audience", "position"]
    verbose_name_plural = _("documents (public, or for registered participants only)")


@admin.register(Meeting)
class MeetingAdmin(MeetingBoundAdmin):
    form = MeetingForm
    list_display = [
        "title",
        "local_date",
        "local_time",
        "modality",
        "status",
        "topic_count",
        "agenda_link",
        "view_link",
    ]
    list_filter = ["status", "modality", "conferences", "starts_at"]
    search_fields = ["title_es", "title_en", "title_pt", "slug", "venue"]
    date_hierarchy = "starts_at"
    formfield_overrides = FIELD_WIDGETS
    filter_horizontal = ["organisers"]
    readonly_fields = ["uuid", "sequence", "created_at", "updated_at"]
    inlines = [TopicRowInline, DocumentInline, InterpretationChannelInline]
    actions = ["publish", "unpublish", "cancel", "duplicate", "publish_conclusions", "withdraw_conclusions"]
    row_action = "duplicate"
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

    def get_urls(self):
        def editor(request, pk):
            return agenda_editor_view(self, request, pk)

        return [
            action_url(self, "<int:pk>/agenda/", editor, "agenda_meeting_agenda"),
            action_url(self, "<int:pk>/publish/", self.publish_view, "agenda_meeting_publish"),
            action_url(self, "<int:pk>/circulate/", self.circulate_view, "agenda_meeting_circulate"),
            *super().get_urls(),
        ]

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """One button on the meeting's page: what participants will see, then "Publish"."""
        meeting = get_object_or_404(Meeting, pk=pk)
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        form = forms.Form(request.POST or None)

        def perform() -> tuple[str, str]:
            scheduling.set_status(meeting, Meeting.Status.PUBLISHED)
            self.log_change(request, meeting, gettext("published."))
            return (
                gettext("Published: participants see it now, and calendars get it at their next poll."),
                reverse("admin:agenda_meeting_change", args=[meeting.pk]),
            )

        def preview() -> list[str]:
            return scheduling.publication_preview(meeting)

        return action_page(
            self,
            request,
            form,
            perform,
            preview=preview,
            preview_heading=gettext("What participants will see:"),
            about=meeting,
            title=gettext("Publish “%(meeting)s”") % {"meeting": meeting},
            intro=gettext(
                "Publishing shows the meeting on its public page, in the feeds calendars subscribe to, "
                "and in the API. It can be taken back to draft."
            ),
            submit_label=gettext("Publish"),
        )

    def circulate_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Send the draft conclusions and commitments to the delegations, adopted at a deadline by silence."""
        meeting = get_object_or_404(Meeting, pk=pk)
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        # The deadline is typed and shown in the meeting's zone, as every time on its pages.
        with timezone.override(meeting.zone):
            form = CirculateDraftForm(request.POST or None)

            def perform() -> tuple[str, str]:
                procedure = silence.circulate(meeting, form.cleaned_data["deadline"], by=request.user)
                self.log_change(request, meeting, gettext("draft circulated under silence procedure."))
                return (
                    gettext("Circulated to the delegations: adopted on %(when)s unless one objects.")
                    % {"when": zones.moment_text(procedure.deadline, meeting.time_zone)},
                    reverse("admin:agenda_silenceprocedure_change", args=[procedure.pk]),
                )

            def preview() -> list[str]:
                return silence.circulation_preview(meeting)

            response = action_page(
                self,
                request,
                form,
                perform,
                preview=preview,
                preview_heading=gettext("What the delegations will receive:"),
                preview_at_once=True,
                about=meeting,
                title=gettext("Circulate the draft conclusions of “%(meeting)s”") % {"meeting": meeting},
                intro=gettext(
                    "Each registered delegation of a member state gets the draft conclusions and "
                    "commitments by mail and on its personal page, and answers there until the deadline: "
                    "it agrees, agrees ad referendum, or breaks silence with an objection. Without an "
                    "objection the draft is adopted and published at the deadline; with one it comes back "
                    "to you."
                ),
                submit_label=gettext("Circulate"),
            )
            if hasattr(response, "render"):
                response.render()
            return response

    def response_add(self, request, obj, post_url_continue=None):
        # A new meeting's next step is its agenda: "Save" opens the agenda editor.
        if "_continue" in request.POST or "_addanother" in request.POST or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(
            request, gettext("The meeting was created: now enter its agenda."), messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:agenda_meeting_agenda", args=[obj.pk]))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "time_zone":
            # The member countries' zones first, each labelled with its offset today.
            countries = tuple(
                Country.objects.filter(conferences__in=access.conference_ids(request.user))
                .distinct()
                .order_by("name")
                .values_list("code", "name")
            )
            return forms.ChoiceField(
                label=db_field.verbose_name,
                help_text=db_field.help_text,
                choices=grouped_zone_choices(
                    countries, timezone.now().replace(minute=0, second=0, microsecond=0)
                )
                if countries
                else time_zone_choices(),
                initial=usual_time_zone(request.user),
            )
        if db_field.name == "slug":
            kwargs["required"] = False
            kwargs["help_text"] = _(
                "Part of the page address. Left empty, a short one is made from the title and year."
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        return {"time_zone": usual_time_zone(request.user), **super().get_changeform_initial_data(request)}

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
        return zone_for_editing(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        label_times(form, self.editing_time_zone(request, obj), obj.starts_at if obj else None)
        return form

    @admin.display(description=_("date"), ordering="starts_at")
    def local_date(self, meeting: Meeting):
        return meeting.local_starts_at.date()

    @admin.display(description=_("time"))
    def local_time(self, meeting: Meeting) -> str:
        return local_span(meeting, meeting.time_zone)

    @admin.display(description=_("items"), ordering="topics")
    def topic_count(self, meeting: Meeting) -> int:
        return meeting.topics

    @admin.display(description=_("agenda"))
    def agenda_link(self, meeting: Meeting) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:agenda_meeting_agenda", args=[meeting.pk]),
            gettext("Edit the agenda"),
        )

    @admin.display(description=_("public page"))
    def view_link(self, meeting: Meeting) -> str:
        return format_html('<a href="{}">{}</a>', meeting.get_absolute_url(), gettext("view on site"))

    def change_status(self, request, queryset, status: str, done: str) -> None:
        self.for_each_meeting(request, queryset, lambda meeting: scheduling.set_status(meeting, status), done)

    def for_each_meeting(self, request, queryset, change, done: str) -> None:
        """Apply `change` to each selected meeting the user works on; say, for each, what happened."""
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
                change(meeting)
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

    @admin.action(description=_("Publish the conclusions and commitments"), permissions=["change"])
    def publish_conclusions(self, request, queryset):
        done = gettext("conclusions and commitments published.")
        self.for_each_meeting(request, queryset, outcomes.publish_conclusions, done)

    @admin.action(description=_("Take the conclusions back to draft"), permissions=["change"])
    def withdraw_conclusions(self, request, queryset):
        def withdraw(meeting: Meeting) -> None:
            outcomes.publish_conclusions(meeting, publish=False)

        self.for_each_meeting(request, queryset, withdraw, gettext("conclusions back to draft."))

    @admin.action(description=_("Duplicate as the draft for the next meeting"), permissions=["add"])
    def duplicate(self, request, queryset):
        return self.open_row_action(request, queryset, gettext("Choose exactly one meeting to duplicate."))

    def duplicate_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = get_object_or_404(Meeting, pk=pk)
        if not self.has_add_permission(request) or not self.has_change_permission(request, meeting):
            raise PermissionDenied
        form = DuplicateMeetingForm(request.POST or None, initial={"title": meeting.title})

        def perform() -> tuple[str, str]:
            copy = scheduling.duplicate_meeting(
                meeting, on=form.cleaned_data["on"], title=form.cleaned_data["title"] or None
            )
            self.log_addition(request, copy, gettext("Duplicated from %(meeting)s.") % {"meeting": meeting})
            return (
                gettext("Draft created: check its title, slug and agenda."),
                reverse("admin:agenda_meeting_change", args=[copy.pk]),
            )

        return action_page(
            self,
            request,
            form,
            perform,
            about=meeting,
            title=gettext("Duplicate “%(meeting)s”") % {"meeting": meeting},
            submit_label=gettext("Create the draft"),
        )
