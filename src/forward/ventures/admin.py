"""What operators see of the ventures app in /admin/: read-only (every change goes through the
services, which check and audit it). One block per area."""

from django.contrib import admin

from forward.core.admin import ReadOnlyAdmin

from .models import Event, Meeting, Registrant

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
