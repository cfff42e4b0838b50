from django.urls import path

from . import views, views_video
from . import views_authoring as studio

app_name = "academy"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("my/", views.dashboard, name="dashboard"),
    path("teaching/", views.teaching, name="teaching"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme"),
    path("runs/<int:run_id>/", views.cohort, name="cohort"),
    path("runs/new/<slug:slug>/", studio.run_edit, name="run_new"),
    path("runs/<int:run_id>/edit/", studio.run_edit, name="run_edit"),
    path("runs/<int:run_id>/grades.csv", views.gradebook_csv, name="gradebook_csv"),
    path("runs/<int:run_id>/release/", views.grades_release, name="grades_release"),
    path("studio/", studio.studio_home, name="studio"),
    path("studio/new/", studio.course_new, name="studio_new"),
    path("studio/<slug:slug>/", studio.studio_course, name="studio_course"),
    path("studio/<slug:slug>/details/", studio.course_edit, name="studio_edit"),
    path("studio/<slug:slug>/publish/", studio.course_publish, name="studio_publish"),
    path("studio/<slug:slug>/team/", studio.team, name="studio_team"),
    path("studio/<slug:slug>/modules/", studio.module_add, name="studio_module_add"),
    path("studio/<slug:slug>/modules/<int:module_id>/", studio.module_action, name="studio_module"),
    path("studio/<slug:slug>/modules/<int:module_id>/lessons/new/", studio.lesson_edit, name="studio_lesson_new"),
    path("studio/<slug:slug>/lessons/<int:lesson_id>/", studio.lesson_edit, name="studio_lesson"),
    path("studio/<slug:slug>/lessons/<int:lesson_id>/action/", studio.lesson_action, name="studio_lesson_action"),
    path("studio/<slug:slug>/lessons/<int:lesson_id>/assessment/", studio.assessment_edit,
         name="studio_assessment"),
    path("studio/<slug:slug>/lessons/<int:lesson_id>/questions/new/", studio.question_edit,
         name="studio_question_new"),
    path("studio/<slug:slug>/questions/<int:question_id>/", studio.question_edit, name="studio_question"),
    path("studio/<slug:slug>/questions/<int:question_id>/action/", studio.question_action,
         name="studio_question_action"),
    path("<slug:slug>/", views.course_detail, name="course"),
    path("<slug:slug>/runs/<int:run_id>/enrol/", views.enrol, name="enrol"),
    path("<slug:slug>/<slug:lesson>/", views.lesson_detail, name="lesson"),
    path("<slug:slug>/<slug:lesson>/captions.vtt", views.captions, name="captions"),
    path("<slug:slug>/<slug:lesson>/video", views_video.lesson_video, name="video"),
    path("<slug:slug>/<slug:lesson>/done/", views.lesson_complete, name="lesson_complete"),
    path("<slug:slug>/<slug:lesson>/attempt/", views.assessment_action, name="assessment"),
]
