from django.contrib import admin

from .models import RollupState, Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("title", "measure", "value", "unit", "starts_on", "deadline", "country", "programme", "university")
    list_filter = ("measure", "country")
    raw_id_fields = ("programme", "university", "created_by")


@admin.register(RollupState)
class RollupStateAdmin(admin.ModelAdmin):
    list_display = ("measure", "watermark", "computed_at", "entities", "seconds")
    readonly_fields = ("measure", "watermark", "computed_at", "entities", "seconds")
