"""Conclusions and commitments: recorded on an agenda item's page, followed up in their own list."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from .. import outcomes
from ..forms import ConfirmReportForm
from ..models import Commitment, CommitmentNote, CommitmentReport, Conclusions
from .common import (
    ConferenceScopedMixin,
    MeetingListFilter,
    ReadOnlyInline,
    action_page,
    action_url,
    meeting_label,
)

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


REPORT_FIELDS = [
    "delegation",
    "status",
    "on",
    "note",
    "reported_at",
    "reported_by",
    "confirmed_at",
    "confirmed_by",
]


class CommitmentReportInline(ReadOnlyInline, admin.TabularInline):
    """The owner's reports as it sent them: beside the notes the secretariat keeps, its history."""

    model = CommitmentReport
    fields = REPORT_FIELDS


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
    inlines = [CommitmentNoteInline, CommitmentReportInline]

    def meeting_of(self, obj: Commitment):
        return obj.item.meeting

    @admin.display(description=_("meeting"), ordering="item__meeting__starts_at")
    def meeting(self, commitment: Commitment) -> str:
        return meeting_label(commitment.item.meeting)


class AwaitingFilter(admin.SimpleListFilter):
    title = _("confirmation")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("no", _("awaiting the secretariat")), ("yes", _("confirmed"))]

    def queryset(self, request, queryset):
        if self.value() in ("no", "yes"):
            return queryset.filter(confirmed_at__isnull=self.value() == "no")
        return queryset


@admin.register(CommitmentReport)
class CommitmentReportAdmin(ConferenceScopedMixin, admin.ModelAdmin):
    """The owners' reports to confirm: each opens a page with its status and note, to amend or keep."""

    meeting_path = "commitment__item__meeting"
    list_display = ["commitment", "delegation", "status", "on", "note", "confirm_link"]
    list_filter = [AwaitingFilter, "status", ("commitment__item__meeting", MeetingListFilter)]
    list_select_related = ["commitment__item__meeting"]
    fields = ["commitment", *REPORT_FIELDS]
    readonly_fields = fields

    def meeting_of(self, obj: CommitmentReport):
        return obj.commitment.item.meeting

    def has_add_permission(self, request):
        return False  # sent by the owner from its private link

    def get_urls(self):
        return [
            action_url(self, "<int:pk>/confirm/", self.confirm_view, "agenda_commitmentreport_confirm"),
            *super().get_urls(),
        ]

    @admin.display(description=_("confirmation"))
    def confirm_link(self, report: CommitmentReport) -> str:
        if report.is_confirmed:
            return gettext("confirmed")
        url = reverse("admin:agenda_commitmentreport_confirm", args=[report.pk])
        return format_html('<a class="confirm-report" href="{}">{}</a>', url, gettext("Confirm…"))

    def confirm_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The owner's report, to confirm as it stands or amended: it sets the status and files the note."""
        report = get_object_or_404(
            CommitmentReport.objects.select_related("commitment__item__meeting"), pk=pk
        )
        if not self.has_change_permission(request, report):
            raise PermissionDenied
        form = ConfirmReportForm(request.POST or None, initial={"status": report.status, "note": report.note})

        def perform() -> tuple[str, str]:
            data = form.cleaned_data
            outcomes.confirm_report(
                report, status=data["status"], note=data["note"], by=request.user, now=timezone.now()
            )
            return (
                gettext("Confirmed: the commitment shows the status and the note now."),
                reverse("admin:agenda_commitmentreport_changelist") + "?confirmed=no",
            )

        return action_page(
            self,
            request,
            form,
            perform,
            about=report.commitment,
            title=gettext("Confirm %(delegation)s's report") % {"delegation": report.delegation},
            intro=gettext(
                "As %(delegation)s sent it on %(day)s. Amend the status or the note if need be: its own "
                "words stay in the commitment's history."
            )
            % {"delegation": report.delegation, "day": report.reported_at.date().isoformat()},
            submit_label=gettext("Confirm"),
        )
