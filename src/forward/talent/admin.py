"""What operators see of the talent pool in /admin/. Each area adds its models' admin classes."""

from django.contrib import admin

from forward.core.admin import ReadOnlyAdmin

from .models import Opening

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
