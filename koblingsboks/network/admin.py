"""Django admin for platform staff: the shared facts only.

Organisation-private models (memberships, invitations, the audit log) are not registered:
their managers fail closed outside an organisation scope, and changes to them must go
through the audited services. Staff add an organisation's first administrator with
``manage.py create_organisation``.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from koblingsboks.core.audit import log_action, snapshot
from koblingsboks.network.models import (
    CooperationArea,
    Municipality,
    Network,
    NetworkParty,
    Organisation,
    User,
)
from koblingsboks.network.services import ORGANISATION_AUDITED_FIELDS


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["number", "name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Staff changes are audited like an administrator's, with the municipalities included."""

    list_display = ["name", "kind", "org_number", "postal_place"]
    list_filter = ["kind"]
    search_fields = ["name", "org_number"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["municipalities"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            before = snapshot(Organisation.objects.get(pk=obj.pk), ORGANISATION_AUDITED_FIELDS)
        request.organisation_audit_before = before
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Many-to-many values are saved here, after save_model; the entry must include them.
        super().save_related(request, form, formsets, change)
        organisation = form.instance
        before = getattr(request, "organisation_audit_before", None)
        after = snapshot(organisation, ORGANISATION_AUDITED_FIELDS)
        if before != after:
            log_action(
                organisation=organisation,
                actor=request.user,
                action="network.organisation.updated" if change else "network.organisation.created",
                obj=organisation,
                before=before,
                after=after,
            )


class NetworkPartyInline(admin.TabularInline):
    model = NetworkParty
    extra = 0
    autocomplete_fields = ["organisation"]


class CooperationAreaInline(admin.StackedInline):
    model = CooperationArea
    extra = 0


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "agreement_signed_on"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NetworkPartyInline, CooperationAreaInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "title", "phone", "bio", "language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    filter_horizontal = []
    list_filter = ["is_active", "is_staff"]
