"""What operators see of the talent pool in /admin/: read-only. Each area adds its models below."""

from django.contrib import admin

from forward.core.admin import ReadOnlyAdmin

from .models import Application, InterviewSlot, StageChange

# --- applications: written only through talent.applications (stage changes are audited and mailed;
# the employer's private notes are not listed here) ---------------------------------------------------


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "applicant", "opening", "stage", "created_at", "updated_at"]
    list_filter = ["stage", "created_at"]
    search_fields = ["=pk", "applicant__email", "applicant__name", "opening__title", "opening__organization__name"]
    list_select_related = ["applicant", "opening"]
    exclude = ["snapshot"]


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyAdmin):
    list_display = ["application", "from_stage", "to_stage", "actor", "at"]
    list_filter = ["to_stage", "at"]
    search_fields = ["=application__pk", "actor__email"]
    list_select_related = ["application", "actor"]


@admin.register(InterviewSlot)
class InterviewSlotAdmin(ReadOnlyAdmin):
    list_display = ["opening", "starts_at", "ends_at", "booked_by", "created_by"]
    list_filter = ["starts_at"]
    search_fields = ["opening__title", "opening__organization__name"]
    list_select_related = ["opening", "booked_by", "created_by"]
