"""Who may see what in the academy. The one place these rules live."""

from __future__ import annotations

from forward.core.models import Membership, Role, User

from .models import CourseRun


def can_view_cohort(user: User, run: CourseRun) -> bool:
    """A run's instructors, and the admins of the run's university, see its students' progress and
    grades. Nobody sees another university's students (an open run has no university: only its
    instructors, its course team and site staff see it)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if run.instructors.filter(pk=user.pk).exists():
        return True
    if not run.university_id:
        return can_author(user, run.course)  # an open run's cohort: its course team
    return Membership.objects.filter(user=user, organization_id=run.university_id, role=Role.ADMIN).exists()


def visible_runs(user: User):
    """The runs whose cohorts this person may see."""
    from django.db.models import Q

    if not user.is_authenticated:
        return CourseRun.objects.none()
    if user.is_superuser:
        return CourseRun.objects.all()
    admin_of = Membership.objects.filter(user=user, role=Role.ADMIN).values("organization_id")
    team = Q(university__isnull=True) & (Q(course__authors=user) | Q(course__owner_id__in=admin_of))
    return CourseRun.objects.filter(Q(instructors=user) | Q(university_id__in=admin_of) | team).distinct()


def can_author(user: User, course) -> bool:
    """The course team (its authors) and the admins of the organization that owns the course may
    edit it, preview it as a draft and publish it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if course.authors.filter(pk=user.pk).exists():
        return True
    return Membership.objects.filter(user=user, organization_id=course.owner_id, role=Role.ADMIN).exists()


AUTHORING_KINDS = ("employer", "operator", "innovation_centre", "host")


def course_owners(user: User):
    """Organizations this person may create courses for: those they administer, and those whose
    staff they are where staff teach (an employer's engineers, the programme operator). A plain
    member of a university is a student there, so creates no course in its name; the university's
    admins add teaching staff to a course's team."""
    from django.db.models import Q

    from forward.core.models import Organization

    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    mine = Membership.objects.filter(user=user).filter(
        Q(role=Role.ADMIN) | Q(organization__kind__in=AUTHORING_KINDS)).values("organization_id")
    return Organization.objects.filter(pk__in=mine)


def authored_courses(user: User):
    """The courses this person may edit."""
    from django.db.models import Q

    from .models import Course

    if not user.is_authenticated:
        return Course.objects.none()
    if user.is_superuser:
        return Course.objects.all()
    admin_of = Membership.objects.filter(user=user, role=Role.ADMIN).values("organization_id")
    return Course.objects.filter(Q(authors=user) | Q(owner_id__in=admin_of)).distinct()


def run_universities(user: User):
    """The universities whose admin this person is: they may offer courses there."""
    from forward.core.models import Organization, OrganizationKind

    if not user.is_authenticated:
        return Organization.objects.none()
    qs = Organization.objects.filter(kind=OrganizationKind.UNIVERSITY)
    if user.is_superuser:
        return qs
    return qs.filter(memberships__user=user, memberships__role=Role.ADMIN)


def can_offer_run(user: User, course, university) -> bool:
    """A university's admins offer a course at their university (and choose who teaches it); the
    course team offers it open to everyone."""
    if university is None:
        return can_author(user, course)
    return run_universities(user).filter(pk=university.pk).exists()


def can_manage_run(user: User, run: CourseRun) -> bool:
    return can_offer_run(user, run.course, run.university)
