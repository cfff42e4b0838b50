from django.urls import path

from . import views

app_name = "academy"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("my/", views.dashboard, name="dashboard"),
    path("teaching/", views.teaching, name="teaching"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme"),
    path("runs/<int:run_id>/", views.cohort, name="cohort"),
    path("runs/<int:run_id>/grades.csv", views.gradebook_csv, name="gradebook_csv"),
    path("runs/<int:run_id>/release/", views.grades_release, name="grades_release"),
    path("<slug:slug>/", views.course_detail, name="course"),
    path("<slug:slug>/runs/<int:run_id>/enrol/", views.enrol, name="enrol"),
    path("<slug:slug>/<slug:lesson>/", views.lesson_detail, name="lesson"),
    path("<slug:slug>/<slug:lesson>/captions.vtt", views.captions, name="captions"),
    path("<slug:slug>/<slug:lesson>/done/", views.lesson_complete, name="lesson_complete"),
    path("<slug:slug>/<slug:lesson>/attempt/", views.assessment_action, name="assessment"),
]
