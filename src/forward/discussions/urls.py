from django.urls import path, register_converter

from . import views


class BoardPrefix:
    """The app and thing a board belongs to ("academy.course"): never clashes with the fixed paths."""

    regex = r"[a-z_]+\.[a-z_]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(BoardPrefix, "board")

app_name = "discussions"

urlpatterns = [
    path("moderation/", views.moderation_all, name="moderation_all"),
    path("threads/<int:thread_id>/", views.thread_detail, name="thread"),
    path("threads/<int:thread_id>/reply/", views.reply_create, name="reply"),
    path("threads/<int:thread_id>/edit/", views.thread_edit, name="thread_edit"),
    path("threads/<int:thread_id>/report/", views.thread_report, name="thread_report"),
    path("threads/<int:thread_id>/<slug:action>/", views.thread_action, name="thread_action"),
    path("replies/<int:reply_id>/edit/", views.reply_edit, name="reply_edit"),
    path("replies/<int:reply_id>/report/", views.reply_report, name="reply_report"),
    path("replies/<int:reply_id>/<slug:action>/", views.reply_action, name="reply_action"),
    path("reports/<int:report_id>/<slug:action>/", views.report_action, name="report_action"),
    path("<board:prefix>/<int:key>/", views.board, name="board"),
    path("<board:prefix>/<int:key>/new/", views.thread_new, name="thread_new"),
    path("<board:prefix>/<int:key>/moderation/", views.moderation, name="moderation"),
]
