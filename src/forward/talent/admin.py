"""What operators see of the talent pool in /admin/: read-only (every change goes through the
services, which check and audit it)."""

from django.contrib import admin

from forward.core.admin import ReadOnlyAdmin

from .models import (
    Application,
    InterviewSlot,
    MatchResult,
    MatchRound,
    Opening,
    Profile,
    StageChange,
)

# --- openings: read-only here; employers write them in the site (talent.openings checks and audits
# every change), operators feature them from the opening's page.


@admin.register(Opening)
class OpeningAdmin(ReadOnlyAdmin):
    list_display = ["title", "organization", "kind", "status", "country", "remote", "deadline", "featured_at",
                    "published_at"]
    list_filter = ["status", "kind", "remote", "country"]
    search_fields = ["title", "organization__name", "uuid"]
    list_select_related = ["organization"]
    date_hierarchy = "created_at"


# --- rounds ----------------------------------------------------------------------------------------


@admin.register(MatchRound)
class MatchRoundAdmin(ReadOnlyAdmin):
    list_display = ["pk", "name", "organization", "published", "ranking_close", "job", "progress",
                    "results_published_at"]
    list_filter = ["job", "published"]
    search_fields = ["name", "organization__name"]
    list_select_related = ["organization"]


@admin.register(MatchResult)
class MatchResultAdmin(ReadOnlyAdmin):
    list_display = ["pk", "round", "candidate", "opening", "choice"]
    search_fields = ["candidate__email", "opening__title"]
    list_select_related = ["round", "candidate", "opening"]

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

# --- profiles --------------------------------------------------------------------------------------


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    """Read-only: visibility is the person's consent, and the verified index is kept by refresh."""

    list_display = ["user", "visibility", "consent_at", "verified_count", "best_level", "best_percentile",
                    "refreshed_at"]
    list_filter = ["visibility", "best_level"]
    search_fields = ["user__email", "user__name", "headline"]
    list_select_related = ["user"]
    exclude = ["public_token", "cv"]  # the shareable link and the CV stay the person's to give
