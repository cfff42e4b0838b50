"""What operators see of the talent pool in /admin/: read-only (every change goes through the
services, which check and audit it)."""

from django.contrib import admin

from forward.core.admin import ReadOnlyAdmin

from .models import MatchResult, MatchRound, Opening

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
