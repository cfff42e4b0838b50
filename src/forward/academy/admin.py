"""What operators see of the academy in /admin/. Programmes are made here (operators run them).
Enrolments, vouchers, attempts, sittings and holdings are read-only: enrolling checks eligibility
and prerequisites, vouchers are issued against quotas and redeemed into sittings, attempts are
graded and holdings earned, all in services. Publishing a course and releasing a run's grades
happen in the site; assessments are written in the studio. A run whose learners hold credentials
for it is not deleted (nor its course, which would take it)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from forward.core.admin import ReadOnlyAdmin

from .models import (
    Assessment,
    Attempt,
    Certification,
    CertificationHolding,
    CertificationSitting,
    Course,
    CourseRun,
    Enrolment,
    Programme,
    ProgrammeCourse,
    Voucher,
)


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


class ProgrammeCourseInline(admin.TabularInline):
    model = ProgrammeCourse
    raw_id_fields = ["course"]
    extra = 1


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "kind", "completion_rule"]
    list_filter = ["kind", "completion_rule"]
    search_fields = ["title", "slug", "partners__name"]
    raw_id_fields = ["partners"]
    inlines = [ProgrammeCourseInline]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    """Questions and their answers are not shown: an exam's pool stays with its authors."""

    list_display = ["title", "kind", "course", "time_limit_minutes", "attempts_allowed", "pass_mark", "closes_at"]
    list_filter = ["kind", "closes_at"]
    search_fields = ["title", "course__title", "course__slug"]
    list_select_related = ["course"]
    exclude = ["lesson"]


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ["user", "assessment", "number", "started_at", "submitted_at", "score", "max_score"]
    list_filter = ["assessment__kind", "started_at", "submitted_at"]
    search_fields = ["user__email", "user__name", "assessment__title"]
    list_select_related = ["user", "assessment"]
    exclude = ["question_ids", "option_orders", "answers"]  # which questions a candidate drew stays private
    date_hierarchy = "started_at"


@admin.register(CertificationSitting)
class CertificationSittingAdmin(ReadOnlyAdmin):
    list_display = ["user", "certification", "created_at", "attempt"]
    list_filter = ["certification", "created_at"]
    search_fields = ["user__email", "user__name", "certification__title"]
    list_select_related = ["user", "certification", "attempt__assessment"]
    exclude = ["voucher"]  # its code is a bearer token


@admin.register(CertificationHolding)
class CertificationHoldingAdmin(ReadOnlyAdmin):
    list_display = ["user", "certification", "earned_at", "expires_at"]
    list_filter = ["certification", "earned_at", "expires_at"]
    search_fields = ["user__email", "user__name", "certification__title", "certification__track"]
    list_select_related = ["user", "certification"]
    date_hierarchy = "earned_at"
