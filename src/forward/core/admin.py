from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import permissions, services
from .audit import AuditAction
from .models import ApiToken, AuditEvent, Invitation, Membership, Organization, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """Operators look, search and filter; they do not add, change or delete here, because every write
    to these rows goes through a service (which checks, audits, signs or queues)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "country", "is_staff", "date_joined"]
    search_fields = ["email", "name"]
    list_filter = ["is_staff", "is_superuser", "is_active", "country"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name", "country", "preferred_language", "time_zone"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def save_model(self, request, obj, form, change):
        """Granting or withdrawing operator powers here is audited (core.services.operator_change_record)."""
        was_operator = change and permissions.is_operator(User.objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        services.operator_change_record(actor=request.user, user=obj, was_operator=was_operator)


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


class VerifiedFilter(admin.SimpleListFilter):
    title = _("verification")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("yes", _("Verified")), ("no", _("Not verified yet"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.verified()
        if self.value() == "no":
            return queryset.awaiting_verification()
        return queryset


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "city", "verified_at", "voucher_quota"]
    list_filter = [VerifiedFilter, "kind", "country"]
    search_fields = ["name", "slug"]
    readonly_fields = ["verified_at", "verified_by", "created_by", "created_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # as the site's own form
    inlines = [MembershipInline]
    actions = ["verify"]

    def save_formset(self, request, form, formset, change):
        """Memberships added, re-roled or removed here are audited as through the organization's page."""
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        organization = form.instance
        saved = formset.save(commit=False)
        for membership in formset.deleted_objects:
            email = membership.user.email
            membership.delete()
            services.audit(actor=request.user, action=AuditAction.MEMBERSHIP_REMOVE, organization=organization,
                           target=email)
        changed = {obj.pk for obj, fields in formset.changed_objects if "role" in fields}
        for membership in saved:
            new = membership.pk is None
            membership.save()
            if new:
                services.audit(actor=request.user, action=AuditAction.MEMBERSHIP_ADD, organization=organization,
                               target=membership.user.email, role=membership.role)
            elif membership.pk in changed:
                services.audit(actor=request.user, action=AuditAction.MEMBERSHIP_ROLE, organization=organization,
                               target=membership.user.email, role=membership.role)
        formset.save_m2m()
        return None

    @admin.action(description=_("Verify the selected organizations"))
    def verify(self, request, queryset):
        for organization in queryset.awaiting_verification():
            services.organization_verify(actor=request.user, organization=organization)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "role", "created_at", "accepted_at", "cancelled_at"]
    exclude = ["key"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]
    raw_id_fields = ["user"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "organization", "target"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
