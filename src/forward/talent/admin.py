"""What operators see of the talent pool in /admin/: read-only (every change goes through the
services, which check and audit it)."""

from django.contrib import admin

from forward.core.admin import ReadOnlyAdmin

from .models import MatchResult, MatchRound

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
