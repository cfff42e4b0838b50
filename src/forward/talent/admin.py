"""What operators see of the talent pool in /admin/. One section per area."""

from django.contrib import admin

from forward.core.admin import ReadOnlyAdmin

from .models import Profile

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
