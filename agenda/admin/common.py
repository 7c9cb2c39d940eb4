"""What the admin's pages share: times in the meeting's zone, history kept, conference scoping."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .. import access, history, zones
from ..models import (
    AgendaItem,
    Meeting,
)
from ..zones import gmt_label_at, is_time_zone, time_span


def meeting_label(meeting: Meeting) -> str:
    return meeting.dated_title()


class MeetingListFilter(admin.RelatedOnlyFieldListFilter):
    """Filter by meeting, each named with its date and status."""

    def field_choices(self, field, request, model_admin):
        choices = dict(super().field_choices(field, request, model_admin))
        meetings = Meeting.objects.filter(pk__in=choices).order_by("-starts_at")
        return [(meeting.pk, meeting_label(meeting)) for meeting in meetings]


class MinuteSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes, the time as the concept notes write it: 09:00, not 09:00:00."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[1].format = "%H:%M"


def local_span(item: AgendaItem | Meeting, time_zone: str) -> str:
    return time_span(item.starts_at, item.ends_at, time_zone) if item.starts_at else "—"


# A link typed without its scheme ("zoom.us/j/…") is taken as https, as Django 6 will;
# times show to the minute.
FIELD_WIDGETS = {
    models.URLField: {"assume_scheme": "https"},
    models.DateTimeField: {"widget": MinuteSplitDateTime},
}


def label_times(form_class, zone_name: str, moment=None) -> None:
    """Label the start and end fields with the zone's offset at `moment`: "Start (GMT-6)"."""
    moment = moment or timezone.now()
    label = gmt_label_at(moment, zone_name)
    for name, text in (("starts_at", gettext("Start")), ("ends_at", gettext("End"))):
        if name in form_class.base_fields:
            form_class.base_fields[name].label = f"{text} ({label})"
            form_class.base_fields[name].help_text = gettext("In %(zone)s time.") % {"zone": zone_name}


def zone_for_editing(request: HttpRequest, meeting: Meeting | None) -> str:
    """The zone a form about `meeting` shows and reads its times in: the one a post chooses
    (the meeting's own form), else the meeting's, else the default for a new meeting."""
    posted = request.POST.get("time_zone", "") if request.method == "POST" else ""
    if is_time_zone(posted):
        return posted
    return meeting.time_zone if meeting is not None else Meeting._meta.get_field("time_zone").default


class MeetingTimeZoneMixin:
    """Show and read the change form's times in the meeting's own zone.

    The form is rendered inside the override: Django converts datetimes to
    the current zone when a widget renders, not when the view returns.
    """

    def editing_time_zone(self, request: HttpRequest, obj) -> str:
        raise NotImplementedError

    def rendered_in_meeting_zone(self, request, object_id, view) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        with timezone.override(zones.zone(self.editing_time_zone(request, obj))):
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


class ReadOnlyInline:
    """Rows others wrote (a delegation's answers, an owner's reports): the secretariat reads them here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.related_model is Meeting and formfield is not None:
            formfield.label_from_instance = meeting_label
        return formfield

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or access.works_on(request.user, self.meeting_of(obj))
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or access.works_on(request.user, self.meeting_of(obj))
        )


class MeetingBoundAdmin(ConferenceScopedMixin, MeetingTimeZoneMixin, HistoryMixin, TranslationAdmin):
    """The admin of a meeting or an agenda item: the user's conferences, the meeting's zone, history.

    `row_action` names the list action that works on one row through a page of
    its own, `<pk>/<row_action>/`, served by the method `<row_action>_view`.
    """

    row_action: str | None = None

    @property
    def row_action_url_name(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{self.row_action}"

    def get_urls(self):
        if self.row_action is None:
            return super().get_urls()
        view = getattr(self, f"{self.row_action}_view")
        route = f"<int:pk>/{self.row_action}/"
        return [action_url(self, route, view, self.row_action_url_name), *super().get_urls()]

    def open_row_action(self, request: HttpRequest, queryset, refusal: str):
        """Open the row action's page for the one row chosen; `refusal` says why not for more or none."""
        if queryset.count() != 1:
            self.message_user(request, refusal, messages.WARNING)
            return None
        return HttpResponseRedirect(reverse(f"admin:{self.row_action_url_name}", args=[queryset.get().pk]))


def action_url(model_admin, route: str, view: Callable, name: str) -> URLPattern:
    """An admin page an action opens, behind the admin's login and its permission checks."""
    return path(route, model_admin.admin_site.admin_view(view), name=name)


def action_page(
    model_admin,
    request: HttpRequest,
    form,
    perform: Callable[[], tuple[str, str]],
    *,
    about,
    title: str,
    submit_label: str,
    intro: str = "",
    preview: Callable[[], list[str]] | None = None,
    preview_heading: str = "",
    preview_at_once: bool = False,
) -> HttpResponse:
    """The page of an admin action that asks for one form (shift, duplicate, import).

    A valid post runs `perform()`, which does the work through the domain and returns the
    message to show and where to go; a refusal it raises comes back on the form, with
    nothing saved. `about` is the row (or the words) the page is about. With `preview`, a
    "Preview" press lists what the action would do, and does nothing; a form that asks
    nothing (publishing), or one whose preview does not depend on its answers
    (`preview_at_once`), shows its preview at once.
    """
    shown: list[str] = []
    if preview is not None and request.method == "GET" and (preview_at_once or not form.fields):
        shown = preview_lines(preview, form)
    if request.method == "POST" and "_preview" in request.POST and preview is not None:
        if form.is_valid():
            shown = preview_lines(preview, form)
    elif request.method == "POST" and form.is_valid():
        try:
            message, next_url = perform()
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            model_admin.message_user(request, message, messages.SUCCESS)
            return HttpResponseRedirect(next_url)
    return TemplateResponse(
        request,
        "admin/agenda/action_form.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "object": about,
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": submit_label,
            "previews": preview is not None and form.fields,
            "preview": shown,
            "preview_heading": preview_heading,
        },
    )


def preview_lines(preview: Callable[[], list[str]], form) -> list[str]:
    try:
        return preview()
    except ValidationError as error:
        for text in error.messages:
            form.add_error(None, text)
        return []
