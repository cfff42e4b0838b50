from django.urls import path

from . import console_views, views, views_faces

app_name = "competitions"

urlpatterns = [
    path("", views.competition_list, name="list"),
    path("new/", views.competition_create, name="create"),
    path("<slug:slug>/", views.competition_detail, name="detail"),
    path("<slug:slug>/rules/", views.competition_rules, name="rules"),
    path("<slug:slug>/register/", views.competition_register, name="register"),
    path("<slug:slug>/data/", views.competition_data, name="data"),
    path("<slug:slug>/data/<int:file_id>/download/", views.datafile_download, name="datafile_download"),
    path("<slug:slug>/leaderboard/", views.competition_leaderboard, name="leaderboard"),
    path("<slug:slug>/leaderboard.csv", views.leaderboard_csv, name="leaderboard_csv"),
    path("<slug:slug>/team/", views.competition_team, name="team"),
    path("<slug:slug>/team/<str:action>/", views.team_action, name="team_action"),
    path("<slug:slug>/submissions/", views.competition_submissions, name="submissions"),
    path("<slug:slug>/submissions/rows/", views.submission_rows, name="submission_rows"),
    path("<slug:slug>/submissions/<int:submission_id>/select/", views.submission_select, name="submission_select"),
    path("<slug:slug>/host/", views.competition_host, name="host"),
    path("<slug:slug>/console/", console_views.overview, name="console"),
    path("<slug:slug>/console/teams/", console_views.teams, name="console_teams"),
    path("<slug:slug>/console/teams.csv", console_views.teams_csv, name="console_teams_csv"),
    path("<slug:slug>/console/teams/<int:team_id>/disqualify/", console_views.team_disqualify,
         name="console_disqualify"),
    path("<slug:slug>/console/teams/<int:team_id>/reinstate/", console_views.team_reinstate,
         name="console_reinstate"),
    path("<slug:slug>/console/activity/", console_views.activity, name="console_activity"),
    path("<slug:slug>/console/failed/", console_views.failed, name="console_failed"),
    path("<slug:slug>/console/rescore/", console_views.rescore, name="console_rescore"),
    path("<slug:slug>/console/rescore/<int:job_id>/", console_views.rescore_progress, name="console_rescore_progress"),
    path("<slug:slug>/console/winners/", console_views.winners, name="console_winners"),
    path("<slug:slug>/banner/", views_faces.competition_banner, name="banner"),
    path("<slug:slug>/host/<str:action>/", views.host_action, name="host_action"),
    path("<slug:slug>/host/solution/<int:number>/download/", views.solution_download, name="solution_download"),
]
