"""What operators see of competitions in /admin/. Rounds, submissions, teams and leaderboards are
read-only: submitting checks limits and queues scoring, teams are formed and merged under the
competition's rules, leaderboards are kept by the scoring service and a round's solution is
uploaded and checked by its host, all in services. Publishing a competition happens in the site."""

from django.contrib import admin

from forward.core.admin import ReadOnlyAdmin

from .models import Competition, LeaderboardEntry, Phase, PhaseResult, Submission, Team


@admin.register(Competition)
class CompetitionAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "host", "status", "metric", "eligibility", "published_at"]
    list_filter = ["status", "eligibility", "metric"]
    search_fields = ["title", "slug", "host__name"]
    list_select_related = ["host"]
    raw_id_fields = ["host", "created_by"]
    readonly_fields = ["status", "published_at", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False  # hosts create competitions in the site

    def has_delete_permission(self, request, obj=None):
        """Not a competition whose placings hold credentials for it."""
        from forward.credentials import selectors as credential_selectors

        from .awards import competition_source

        return super().has_delete_permission(request, obj) and (
            obj is None or not credential_selectors.by_source(competition_source(obj)).exists())


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "competition", "created_at", "is_baseline"]
    list_filter = ["is_baseline", "created_at"]
    search_fields = ["name", "competition__title", "members__user__email"]
    list_select_related = ["competition"]
    exclude = ["invite_code"]  # whoever has it joins the team


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "team", "phase", "submitted_by", "status", "public_score", "private_score", "selected",
                    "created_at"]
    list_filter = ["status", "selected", "created_at"]
    search_fields = ["team__name", "submitted_by__email", "original_name", "phase__competition__title"]
    list_select_related = ["team", "phase__competition", "submitted_by"]
    exclude = ["file"]  # the storage path, not for reading here


@admin.register(Phase)
class PhaseAdmin(ReadOnlyAdmin):
    list_display = ["competition", "number", "name", "starts_at", "ends_at", "solution_rows", "solution_uploaded_at"]
    list_filter = ["starts_at", "ends_at"]
    search_fields = ["competition__title", "competition__slug", "name"]
    list_select_related = ["competition"]
    exclude = ["solution_file"]  # where the hidden solution is stored


@admin.register(LeaderboardEntry)
class LeaderboardEntryAdmin(ReadOnlyAdmin):
    list_display = ["team", "phase", "best_public", "best_at", "entries", "private_score", "public_rank"]
    list_filter = ["best_at"]
    search_fields = ["team__name", "phase__competition__title"]
    list_select_related = ["team", "phase__competition"]
    raw_id_fields = ["best_submission"]


@admin.register(PhaseResult)
class PhaseResultAdmin(ReadOnlyAdmin):
    list_display = ["phase", "finalized_at"]
    list_filter = ["finalized_at"]
    search_fields = ["phase__competition__title"]
    list_select_related = ["phase__competition"]
