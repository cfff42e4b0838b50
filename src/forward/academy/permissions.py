"""Who may see what in the academy. The one place these rules live."""

from __future__ import annotations

from forward.core.models import Membership, Role, User

from .models import CourseRun


def can_view_cohort(user: User, run: CourseRun) -> bool:
    """A run's instructors, and the admins of the run's university, see its students' progress and
    grades. Nobody sees another university's students (an open run has no university: only its
    instructors and site staff see it)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if run.instructors.filter(pk=user.pk).exists():
        return True
    return bool(run.university_id) and Membership.objects.filter(
        user=user, organization_id=run.university_id, role=Role.ADMIN).exists()


def visible_runs(user: User):
    """The runs whose cohorts this person may see."""
    from django.db.models import Q

    if not user.is_authenticated:
        return CourseRun.objects.none()
    if user.is_superuser:
        return CourseRun.objects.all()
    admin_of = Membership.objects.filter(user=user, role=Role.ADMIN).values("organization_id")
    return CourseRun.objects.filter(Q(instructors=user) | Q(university_id__in=admin_of)).distinct()
