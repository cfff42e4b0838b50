"""Ventures pages, one list per area (each views module ends with its own patterns)."""

from . import (
    views_centre,
    views_cohorts,
    views_directory,
    views_events,
    views_home,
    views_intros,
    views_pipeline,
)

app_name = "ventures"

urlpatterns = [
    *views_home.urlpatterns,
    *views_directory.urlpatterns,
    *views_intros.urlpatterns,
    *views_pipeline.urlpatterns,
    *views_cohorts.urlpatterns,
    *views_events.urlpatterns,
    *views_centre.urlpatterns,
]
