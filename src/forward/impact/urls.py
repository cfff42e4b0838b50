from django.urls import path

from . import exports, views, views_targets

app_name = "impact"

urlpatterns = [
    path("", views.public, name="public"),
    path("measures/<slug:slug>/", views.measure, name="measure"),
    path("measures/<slug:slug>/rows/", views.rows, name="rows"),  # drill-down: who was counted
    path("export.csv", exports.csv_export, name="export_csv"),
    path("export.parquet", exports.parquet_export, name="export_parquet"),
    path("targets/", views_targets.target_list, name="targets"),
    path("targets/new/", views_targets.target_create, name="target_create"),
    path("targets/<int:pk>/", views_targets.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", views_targets.target_delete, name="target_delete"),
]
