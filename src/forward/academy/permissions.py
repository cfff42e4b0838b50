"""Who may see what in the academy. The one place these rules live.

Organization roles come from core.permissions: operators (site staff) everywhere; an organization's
admins and staff act in its name (its courses), and publishing needs it to be verified; a
university's admins offer its runs once it is verified; its plain members are its students.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from forward.core.models import ACTING_ROLES, Organization, OrganizationKind, Role
from forward.core.permissions import (
    acting_organizations,
    administered_organizations,
    can_manage_organization,
    is_member,
    is_operator,
    organizations_where,
    role_in,
)
from forward.core.types import AnyUser

from .models import (
    Assessment,
    Certification,
    CertificationSitting,
    Course,
    CourseRun,
    CourseStatus,
    Enrolment,
    LabSubmission,
    LabTask,
)


def can_view_cohort(user: AnyUser, run: CourseRun) -> bool:
    """A run's instructors, and the admins of the run's university, see its students' progress and
    grades. Nobody sees another university's students (an open run has no university: only its
    instructors, its course team and operators see it)."""
    if not user.is_authenticated:
        return False
    if is_operator(user):
        return True
    if run.instructors.filter(pk=user.pk).exists():
        return True
    if not run.university_id:
        return can_author(user, run.course)  # an open run's cohort: its course team
    return is_member(user, run.university_id, roles=[Role.ADMIN])


def visible_runs(user: AnyUser) -> QuerySet[CourseRun]:
    """The runs whose cohorts this person may see."""
    if not user.is_authenticated:
        return CourseRun.objects.none()
    if is_operator(user):
        return CourseRun.objects.all()
    admin_of = organizations_where(user, roles=[Role.ADMIN])
    team = Q(university__isnull=True) & (Q(course__authors=user) | Q(course__owner_id__in=admin_of))
    return CourseRun.objects.filter(Q(instructors=user) | Q(university_id__in=admin_of) | team).distinct()


def can_author(user: AnyUser, course: Course) -> bool:
    """The course team (its authors) and the admins of the organization that owns the course may
    edit it, preview it as a draft and publish it (publishing also needs the owner to be verified:
    see authoring.publish_problems). Staff who create a course join its team."""
    if not user.is_authenticated:
        return False
    if is_operator(user):
        return True
    if course.authors.filter(pk=user.pk).exists():
        return True
    return role_in(user, course.owner) == Role.ADMIN


def course_owners(user: AnyUser) -> QuerySet[Organization]:
    """Organizations this person may create courses for: those they administer or are staff of
    (they join the new course's team).
    A plain member of a university is a student there, so creates no course in its name; the
    university's admins add teaching staff to a course's team. An unverified organization's
    courses stay drafts until an operator verifies it."""
    return acting_organizations(user)


def authored_courses(user: AnyUser) -> QuerySet[Course]:
    """The courses this person may edit."""
    if not user.is_authenticated:
        return Course.objects.none()
    if is_operator(user):
        return Course.objects.all()
    admin_of = organizations_where(user, roles=[Role.ADMIN])
    return Course.objects.filter(Q(authors=user) | Q(owner_id__in=admin_of)).distinct()


def run_universities(user: AnyUser) -> QuerySet[Organization]:
    """The verified universities whose admin this person is: they may offer courses there."""
    return administered_organizations(user, verified_only=True).filter(kind=OrganizationKind.UNIVERSITY)


def can_offer_run(user: AnyUser, course: Course, university: Organization | None) -> bool:
    """A verified university's admins offer a course at their university (and choose who teaches
    it); the course team offers it open to everyone."""
    if university is None:
        return can_author(user, course)
    return run_universities(user).filter(pk=university.pk).exists()


def can_manage_run(user: AnyUser, run: CourseRun) -> bool:
    return can_offer_run(user, run.course, run.university)


def can_view_course(user: AnyUser, course: Course) -> bool:
    """A published course (its pages, lessons, videos, labs, board) is open to everyone; a draft
    only to its team, who preview it (anyone else gets 404: a draft's URL gives nothing away)."""
    return course.status == CourseStatus.PUBLISHED or can_author(user, course)


def can_open_lab(user: AnyUser, lab: LabTask) -> bool:
    """A lab's task and public data are open like its lesson: anyone for a published course, the
    course team for a draft. The answer key is open to nobody through any URL."""
    return can_view_course(user, lab.lesson.course)


def can_submit_lab(user: AnyUser, lab: LabTask) -> bool:
    """Signed-in people who may open the lab; the service then asks for an enrolment in the course."""
    return user.is_authenticated and can_open_lab(user, lab)


def can_view_lab_submission(user: AnyUser, submission: LabSubmission) -> bool:
    """A submission is seen by its learner, the course team, and whoever sees the learner's cohort."""
    if not user.is_authenticated:
        return False
    if submission.user_id == user.pk:
        return True
    return can_author(user, submission.lab.lesson.course) or can_view_cohort(user, submission.enrolment.run)


# --- quizzes, exams and certifications -------------------------------------------------------------


def can_take_assessment(user: AnyUser, assessment: Assessment) -> bool:
    """A course's quizzes and exams are for its enrolled learners; a certification exam is for a
    candidate with a sitting (a redeemed voucher) that has no attempt yet, or whose attempt is the
    one in progress: one attempt per voucher."""
    if not user.is_authenticated:
        return False
    if assessment.course_id is None:  # a certification's exam (Certification.exam)
        from .assessments import (
            in_progress,  # an attempt past its deadline is no longer in progress
        )

        return CertificationSitting.objects.filter(user=user, certification__exam=assessment).filter(
            Q(attempt__isnull=True) | in_progress(prefix="attempt__")).exists()
    return Enrolment.objects.filter(user=user, run__course_id=assessment.course_id).exists()


def can_manage_vouchers(user: AnyUser, organization: Organization) -> bool:
    """An organization's vouchers (codes included) are its admins' business, and operators'; issuing
    them also needs the organization verified (see `can_administer`)."""
    return can_manage_organization(user, organization)


def voucher_organizations(user: AnyUser) -> QuerySet[Organization]:
    """The organizations whose vouchers this person manages (every one, for an operator)."""
    return administered_organizations(user)


def is_voucher_quota_exempt(user: AnyUser) -> bool:
    """Operators give vouchers beyond the quota they set; an organization's admins stay within it."""
    return is_operator(user)


def can_publish_certification(user: AnyUser, certification: Certification) -> bool:
    """The admins of the certification's owner, and operators."""
    return can_manage_vouchers(user, certification.owner)


# --- discussion boards -----------------------------------------------------------------------------


def can_moderate_course_board(user: AnyUser, course: Course) -> bool:
    """A course's board is moderated by the admins and staff of the organization that owns it."""
    return role_in(user, course.owner) in ACTING_ROLES


def can_read_run_board(user: AnyUser, run: CourseRun) -> bool:
    """A run's board is for its learners and whoever sees its cohort; they may also post."""
    return user.is_authenticated and (Enrolment.objects.filter(run=run, user=user).exists()
                                      or can_view_cohort(user, run))
