"""Conferences, countries, presidencies, and the people and organisations meetings share."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .. import access
from ..models import Conference, Country, Organisation, Person, Presidency, StaffProfile
from .common import FIELD_WIDGETS, GuardedHistoryAdmin


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
    formfield_overrides = FIELD_WIDGETS


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
