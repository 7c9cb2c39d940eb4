"""Registered participants: their private links, and importing the secretariat's list."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import access, registrations
from ..forms import RegistrationImportForm
from ..models import Notification, Registration
from .common import ConferenceScopedMixin, MeetingListFilter, action_page, action_url, meeting_label


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
    list_display = ["name", "affiliation", "email", "role", "meeting_name", "present", "link_state"]
    list_filter = [("meeting", MeetingListFilter), "role", "present", PrivateLinkFilter]
    list_select_related = ["meeting"]

    @admin.display(description=_("meeting"), ordering="meeting__starts_at")
    def meeting_name(self, registration: Registration) -> str:
        return meeting_label(registration.meeting)

    search_fields = ["name", "email", "affiliation"]
    fields = [
        "meeting",
        "name",
        "email",
        "affiliation",
        "role",
        "country",
        "present",
        "private_link",
        "revoked_at",
        "created_at",
    ]
    readonly_fields = ["private_link", "revoked_at", "created_at"]
    actions = ["mark_present", "mark_absent", "revoke_links", "issue_new_links"]

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

    @admin.action(description=_("Mark the selected participants present"), permissions=["change"])
    def mark_present(self, request, queryset):
        count = queryset.update(present=True)
        self.message_user(request, gettext("%(count)d participants marked present.") % {"count": count})

    @admin.action(description=_("Mark the selected participants absent"), permissions=["change"])
    def mark_absent(self, request, queryset):
        count = queryset.update(present=False)
        self.message_user(request, gettext("%(count)d participants marked absent.") % {"count": count})

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
            action_url(self, "import/", self.import_view, "agenda_registration_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RegistrationImportForm(
            request.POST or None, request.FILES or None, meetings=access.their_meetings(request.user)
        )

        def perform() -> tuple[str, str]:
            result = registrations.import_registrations(
                form.cleaned_data["meeting"],
                form.cleaned_data["file"].read(registrations.MAX_FILE_BYTES + 1),
            )
            return (
                gettext("%(created)d participants registered, %(updated)d updated.")
                % {"created": result.created, "updated": result.updated},
                reverse("admin:agenda_registration_changelist"),
            )

        return action_page(
            self,
            request,
            form,
            perform,
            about=gettext("Import from a spreadsheet"),
            title=gettext("Register participants from a spreadsheet"),
            intro=gettext("Nothing is saved unless every line is right; each problem is listed by line."),
            submit_label=gettext("Import"),
        )


@admin.register(Notification)
class NotificationAdmin(ConferenceScopedMixin, admin.ModelAdmin):
    """Mail to participants: what went out, what waits, what failed and why. Never edited by hand."""

    meeting_path = "registration__meeting"
    list_display = ["registration", "kind", "state", "attempts", "next_attempt_at", "sent_at", "last_error"]
    list_filter = ["state", "kind", ("registration__meeting", MeetingListFilter)]
    list_select_related = ["registration"]
    search_fields = ["registration__email", "registration__name"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry_now"]

    def meeting_of(self, obj: Notification):
        return obj.registration.meeting

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Try the selected mails again now"), permissions=["change"])
    def retry_now(self, request, queryset):
        count = queryset.exclude(state=Notification.State.SENT).update(
            state=Notification.State.PENDING, next_attempt_at=timezone.now(), attempts=0
        )
        self.message_user(request, gettext("%(count)d mails will be sent again.") % {"count": count})
