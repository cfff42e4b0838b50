"""What operators see of the academy in /admin/. Enrolments and vouchers are read-only: enrolling
checks eligibility and prerequisites, and vouchers are issued against quotas and redeemed into
sittings, all in services. Publishing a course and releasing a run's grades happen in the site. A
run whose learners hold credentials for it is not deleted (nor its course, which would take it)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from forward.core.admin import ReadOnlyAdmin

from .models import Certification, Course, CourseRun, Enrolment, Voucher


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "owner", "status", "level", "language", "published_at"]
    list_filter = ["status", "level", "language"]
    search_fields = ["title", "slug", "owner__name"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner", "authors", "prerequisites"]
    readonly_fields = ["status", "published_at", "created_at"]  # publishing checks what is missing first

    def has_add_permission(self, request):
        return False  # courses are built in the studio


@admin.register(CourseRun)
class CourseRunAdmin(admin.ModelAdmin):
    list_display = ["cohort", "course", "university", "starts_at", "ends_at", "grades_released_at"]
    list_filter = ["starts_at", "grades_released_at"]
    search_fields = ["cohort", "course__title", "course__slug", "university__name"]
    list_select_related = ["course", "university"]
    raw_id_fields = ["course", "university", "instructors"]
    readonly_fields = ["grades_released_at", "grades_released_by"]  # released in the grade book, with certificates
    date_hierarchy = "starts_at"

    def has_add_permission(self, request):
        return False  # offered by a university's admins or the course team in the site

    def has_delete_permission(self, request, obj=None):
        """Not a run whose learners hold credentials for it (deleting its course neither)."""
        from forward.credentials import selectors as credential_selectors

        from .awards import run_source

        return super().has_delete_permission(request, obj) and (
            obj is None or not credential_selectors.by_source(run_source(obj)).exists())


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "run", "created_at", "last_activity_at", "completed_lessons"]
    list_filter = ["created_at", "last_activity_at"]
    search_fields = ["user__email", "user__name", "run__cohort", "run__course__title"]
    list_select_related = ["user", "run__course"]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["title", "track", "level", "owner", "status", "validity_days"]
    list_filter = ["level", "status", "track"]
    search_fields = ["title", "slug", "track", "owner__name"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner", "exam", "skills", "prerequisites"]


@admin.register(Voucher)
class VoucherAdmin(ReadOnlyAdmin):
    list_display = ["code_hint", "certification", "organization", "issued_at", "expires_at", "redeemed_by",
                    "redeemed_at"]
    list_filter = ["issued_at", "redeemed_at", "certification"]
    search_fields = ["=code", "organization__name", "redeemed_by__email"]  # a code only exactly
    list_select_related = ["certification", "organization", "redeemed_by"]
    exclude = ["code"]  # a code is a bearer token: shown to its organization's admins only

    @admin.display(description=_("code"))
    def code_hint(self, voucher):
        return f"…{voucher.code[-4:]}"
