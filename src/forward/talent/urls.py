"""Talent pages, one list per area (each views module ends with its own patterns)."""

from . import (
    views_applications,
    views_openings,
    views_profiles,
    views_recommendations,
    views_rounds,
)

app_name = "talent"

urlpatterns = [
    *views_profiles.urlpatterns,
    *views_openings.urlpatterns,
    *views_applications.urlpatterns,
    *views_recommendations.urlpatterns,
    *views_rounds.urlpatterns,
]
