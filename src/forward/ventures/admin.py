"""What operators see of the ventures app in /admin/: read-only (every change goes through the
services, which check and audit it). One block per area."""

from django.contrib import admin

from forward.core.admin import ReadOnlyAdmin

from .models import Call, CohortApplication, Conflict, Event, Meeting, Panel, Registrant, Score

# --- events ----------------------------------------------------------------------------------------


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["pk", "title", "organizer", "status", "marking_deadline", "job", "value", "bound"]
    list_filter = ["status", "job"]
    search_fields = ["title", "organizer__name"]
    list_select_related = ["organizer"]


@admin.register(Registrant)
class RegistrantAdmin(ReadOnlyAdmin):
    list_display = ["pk", "event", "user", "side", "organization", "max_meetings", "late", "fitted"]
    list_filter = ["side", "late"]
    search_fields = ["user__email", "organization__name", "event__title"]
    list_select_related = ["event", "user", "organization"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["pk", "event", "slot", "table", "investor", "startup", "late"]
    list_select_related = ["event", "slot", "investor__user", "investor__organization", "startup__user",
                           "startup__organization"]


# --- cohorts ---------------------------------------------------------------------------------------


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ["title", "organizer", "status", "deadline", "published_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["title", "organizer__name"]
    list_select_related = ["organizer"]


@admin.register(CohortApplication)
class CohortApplicationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "call", "startup", "status", "submitted_at", "decided_at", "notified_status"]
    list_filter = ["status"]
    search_fields = ["call__title", "startup__organization__name"]
    list_select_related = ["call", "startup__organization"]


@admin.register(Panel)
class PanelAdmin(ReadOnlyAdmin):
    list_display = ["name", "call"]
    search_fields = ["name", "call__title"]
    list_select_related = ["call"]


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyAdmin):
    list_display = ["judge", "application", "reason", "declared_at"]
    list_select_related = ["judge", "application__call", "application__startup__organization"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["judge", "application", "submitted_at", "updated_at"]
    list_select_related = ["judge", "application__call", "application__startup__organization"]
