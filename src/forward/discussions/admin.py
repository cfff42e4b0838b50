from django.contrib import admin

from .models import Board, Digest, Reply, Report, Thread


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ("ref", "created_at")
    search_fields = ("ref",)


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("title", "board", "author", "pinned", "locked", "hidden", "reply_count", "score", "last_activity_at")
    list_filter = ("pinned", "locked", "hidden", "is_question")
    search_fields = ("title", "board__ref", "author__email")
    raw_id_fields = ("board", "author", "answer")
    list_select_related = ("board", "author")
    readonly_fields = ("reply_count", "score")


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ("pk", "thread", "author", "hidden", "score", "created_at")
    list_filter = ("hidden",)
    search_fields = ("thread__title", "author__email")
    raw_id_fields = ("thread", "author")
    list_select_related = ("thread", "author")
    readonly_fields = ("score",)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("pk", "thread", "reply", "user", "created_at", "resolved_at", "resolution")
    list_filter = ("resolution",)
    raw_id_fields = ("thread", "reply", "user", "resolved_by")
    list_select_related = ("thread", "reply", "user")


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ("pk", "user", "created_at", "sent_at")
    raw_id_fields = ("user",)
    list_select_related = ("user",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # written by the digest task only
