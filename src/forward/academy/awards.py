"""What academy awards, described for credentials: course certificates (completion, achievement)
for a released run, programme certificates, certifications for passed exams.

Academy decides who earned what and hands credentials a plain `Award` (credentials imports nothing
from academy). Each award names its source: `academy.run:<id>` for a course certificate (shared,
read-only, with the run's university), `academy.programme:<id>`, `academy.holding:<id>` for a
certification. Achievement keys (`course:<id>:<tier>`, `programme:<id>`, `holding:<id>`) make
issuing idempotent; they never change.

`register` (from `AcademyConfig.ready`) tells credentials how to certify a run in a batch: its
awards, and who may certify it (whoever may see its cohort).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from forward.core.models import Organization, OrganizationKind, Skill, User
from forward.credentials import selectors as credential_selectors
from forward.credentials import services as credential_services
from forward.credentials import sources
from forward.credentials.documents import Award, achievement, alignment
from forward.credentials.models import Credential, CredentialKind

from .models import LEVEL_ORDER, Certification, CertificationHolding, Course, CourseRun, Programme

if TYPE_CHECKING:
    from .selectors import ProgrammeProgress

RUN = "academy.run"
PROGRAMME = "academy.programme"
HOLDING = "academy.holding"


def run_source(run: CourseRun) -> str:
    return sources.source(RUN, run.pk)


def programme_source(programme: Programme) -> str:
    return sources.source(PROGRAMME, programme.pk)


def holding_source(holding: CertificationHolding) -> str:
    return sources.source(HOLDING, holding.pk)


def _url(name: str, *args: object) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _percent(grade: float) -> str:
    return f"{round(grade * 100)}%"


def _alignments(skills: Iterable[Skill]) -> list[dict[str, Any]]:
    """Each skill as a competency, pointing at the catalogue searched for it."""
    catalogue = settings.SITE_URL + reverse("academy:catalogue")
    return [alignment(name=skill.name, url=catalogue + "?" + urlencode({"q": skill.name})) for skill in skills]


def _skill_facts(skills: Iterable[Skill]) -> list[dict[str, str]]:
    """The skills an achievement backs, as the talent pool reads them (the shared list's slugs)."""
    return [{"slug": skill.slug, "name": skill.name} for skill in skills]


def course_achievement_id(course: Course) -> str:
    """A course's achievement id without the fragment that tells its certificates apart."""
    return _url("academy:course", course.slug)


def programme_achievement_id(programme: Programme) -> str:
    return _url("academy:programme", programme.slug)


def certification_achievement_id(certification: Certification) -> str:
    return _url("academy:certification", certification.slug)


# --- course certificates --------------------------------------------------------------------------

def _course_award(*, user: User, run: CourseRun, grade: float, designation: str, kind: str, tier: str, name: str,
                  criteria: str, detail: str) -> Award:
    """A course's certificate of completion or of achievement (`tier`): the same course facts and
    evidence, its own name and criteria."""
    course = run.course
    return Award(
        recipient=user, issuer=course.owner, kind=kind, achievement_key=f"course:{course.pk}:{tier}",
        achievement=achievement(
            id=course_achievement_id(course) + "#" + tier, kind="Course", name=name,
            description=course.summary, alignments=_alignments(course.skills.all()), credits=course.credit_units,
            language=course.language, criteria=criteria),
        name=name, detail=detail,
        evidence=[{"type": ["Evidence"], "name": _("Final grade"),
                   "description": f"{_percent(grade)} ({designation}) · {run.cohort}"}],
        credits_earned=course.credit_units or None, valid_from=run.grades_released_at,
        source=run_source(run), shared_with=[run.university] if run.university is not None else [],
        facts={"skills": _skill_facts(course.skills.all()), "grade": round(float(grade), 4),
               "designation": designation, "credits": float(course.credit_units or 0)},
    )


def award_course_completion(*, user: User, run: CourseRun, grade: float, designation: str, cutoff: float) -> Award:
    return _course_award(
        user=user, run=run, grade=grade, designation=designation, kind=CredentialKind.COURSE_COMPLETION,
        tier="completion", name=run.course.title, detail=_("Grade %(grade)s") % {"grade": _percent(grade)},
        criteria=_("Complete the course and reach a final grade of at least %(cutoff)s.") % {
            "cutoff": _percent(cutoff)})


def award_course_achievement(*, user: User, run: CourseRun, grade: float, designation: str, required: str,
                             cutoff: float) -> Award:
    return _course_award(
        user=user, run=run, grade=grade, designation=designation, kind=CredentialKind.COURSE_ACHIEVEMENT,
        tier="achievement",
        name=_("%(course)s — with %(designation)s") % {"course": run.course.title, "designation": designation},
        detail=f"{designation.capitalize()} · {_percent(grade)}",
        criteria=_("Reach the %(designation)s designation: a final grade of at least %(cutoff)s.") % {
            "designation": required, "cutoff": _percent(cutoff)})


def run_awards(*, run: CourseRun) -> list[Award]:
    """Completion (a pass) and achievement (the course's designation or above) for a released run."""
    from . import grading, selectors

    if run.grades_released_at is None:
        return []
    course = Course.objects.select_related("owner").prefetch_related("skills").get(pk=run.course_id)
    policy = course.grading_policy or grading.DEFAULT_POLICY
    cutoffs = {name: float(v) for name, v in (policy.get("cutoffs") or {}).items()}
    completion, achievement_from = grading.certificate_rules(policy)
    enrolments = list(selectors.run_students(run=run).order_by("pk"))  # its instructors are not students
    results = selectors.grades(course=course, user_ids=[e.user_id for e in enrolments])
    run.course = course
    awards = []
    for enrolment in enrolments:
        result = results[enrolment.user_id]
        designation = result["designation"]
        if not designation:
            continue
        if completion:
            awards.append(award_course_completion(
                user=enrolment.user, run=run, grade=result["grade"], designation=designation,
                cutoff=cutoffs.get("pass", 0)))
        if achievement_from and cutoffs.get(designation, 0) >= cutoffs[achievement_from]:
            awards.append(award_course_achievement(
                user=enrolment.user, run=run, grade=result["grade"], designation=designation,
                required=achievement_from, cutoff=cutoffs[achievement_from]))
    return awards


# --- programmes -----------------------------------------------------------------------------------

def award_programme(*, user: User, programme: Programme, issuer: Organization, progress: ProgrammeProgress,
                    ) -> Award:
    courses = ", ".join(link["link"].course.title for link in progress["links"] if link["passed"])
    if programme.completion_rule == "credits":
        criteria = _("%(credits)s credit units at a grade point average of at least %(average)s.") % {
            "credits": programme.credits_required, "average": programme.minimum_grade_average}
    else:
        criteria = _("Pass every required course and %(n)s elective(s).") % {"n": programme.electives_required}
    return Award(
        recipient=user, issuer=issuer, kind=CredentialKind.PROGRAMME, achievement_key=f"programme:{programme.pk}",
        achievement=achievement(id=programme_achievement_id(programme), kind="LearningProgram",
                                name=programme.title, description=programme.summary, criteria=criteria,
                                credits=progress["credits"] or None),
        name=programme.title,
        detail=_("%(credits)s credit units · GPA %(average)s") % {"credits": progress["credits"],
                                                                  "average": progress["average"]},
        evidence=[{"type": ["Evidence"], "name": _("Courses passed"), "description": courses}],
        credits_earned=progress["credits"] or None, source=programme_source(programme),
        facts={"credits": float(progress["credits"] or 0), "average": float(progress["average"] or 0)},
    )


def _default_operator() -> Organization | None:
    found: Organization | None = (Organization.objects.verified().filter(kind=OrganizationKind.OPERATOR)
                                  .order_by("pk").first())
    return found


def programme_issuer(programme: Programme,
                     default_operator: Callable[[], Organization | None] = _default_operator) -> Organization | None:
    """Programmes are certified by the programme operator among their partners (else the first
    operator organization, else the first partner). `default_operator`: how to find that first
    operator (a list asks once for all its programmes)."""
    partners = [p for p in programme.partners.all() if p.is_verified]
    return next((p for p in partners if p.kind == OrganizationKind.OPERATOR), None) or (
        default_operator() or (partners[0] if partners else None))


def programme_awards(*, users: list[User], courses: Iterable[Course | int]) -> list[Award]:
    """Programmes containing these courses that these learners have now completed."""
    from . import selectors

    awards = []
    for programme in Programme.objects.filter(courses__in=courses).distinct().prefetch_related("partners"):
        issuer = programme_issuer(programme)
        if issuer is None:
            continue
        for user in users:
            progress = selectors.programme_progress(programme=programme, user=user)
            if progress["complete"]:
                awards.append(award_programme(user=user, programme=programme, issuer=issuer, progress=progress))
    return awards


def run_programme_awards(*, run: CourseRun, awards: list[Award]) -> list[Award]:
    """The programmes the learners who passed this run (`awards`: its run_awards) have now completed."""
    passed = list({a.recipient.pk: a.recipient for a in awards}.values())
    return programme_awards(users=passed, courses=[run.course_id])


# --- certifications -------------------------------------------------------------------------------

def award_certification(*, holding: CertificationHolding) -> Award:
    from .certifications import validity_text

    certification = holding.certification
    attempt = holding.attempt
    percent = (f"{round(100 * attempt.score / attempt.max_score)}%"
               if attempt.max_score and attempt.score is not None else "")
    return Award(
        recipient=holding.user, issuer=certification.owner, kind=CredentialKind.CERTIFICATION,
        achievement_key=f"holding:{holding.pk}",
        achievement=achievement(
            id=certification_achievement_id(certification), kind="Certification", name=certification.title,
            description=certification.summary, alignments=_alignments(certification.skills.all()),
            criteria=_("Pass the %(title)s exam; %(validity)s, then renewed by passing again.") % {
                "title": certification.title, "validity": validity_text(certification.validity_days)}),
        name=certification.title, detail=f"{certification.track} · {certification.get_level_display()}",
        evidence=[{"type": ["Evidence"], "name": _("Exam score"), "description": percent}] if percent else [],
        valid_from=holding.earned_at, valid_until=holding.expires_at, source=holding_source(holding),
        facts={"skills": _skill_facts(certification.skills.all()), "level": LEVEL_ORDER[certification.level] + 1,
               "level_name": certification.level, "track": certification.track},
    )


def certification_issue(*, holding_id: int) -> Credential | None:
    """A passed certification exam: one credential per holding, valid as long as the holding."""
    holding = (CertificationHolding.objects.select_related("user", "certification__owner", "attempt")
               .filter(pk=holding_id).first())
    if holding is None:
        return None
    issued = credential_services.issue([award_certification(holding=holding)])
    return issued[0] if issued else credential_selectors.by_source(holding_source(holding)).first()


# --- batches: certifying a run --------------------------------------------------------------------

def _run(source: str) -> CourseRun | None:
    pk = sources.key_of(source, RUN)
    return CourseRun.objects.select_related("course", "university").filter(pk=pk).first() if pk else None


class BatchDetails(TypedDict):
    """What `credentials.services.batch_start` takes besides its actor."""

    source: str
    title: str
    back_url: str
    organization: Organization | None


def batch_details(run: CourseRun) -> BatchDetails:
    """What a batch for this run says of it: its source, title, the way back, the university."""
    return {"source": run_source(run), "title": f"{run.course.title} · {run.cohort}",
            "back_url": reverse("academy:cohort", args=[run.pk]), "organization": run.university}


def _source_awards(source: str) -> list[Award]:
    """A run's certificates, then the programmes its passed learners have now completed."""
    run = _run(source)
    if run is None:
        return []
    awards = run_awards(run=run)
    return awards + run_programme_awards(run=run, awards=awards)


def _can_certify(user: User, source: str) -> bool:
    """Whoever may release a run's grades may certify its cohort (after release)."""
    from .permissions import can_view_cohort

    run = _run(source)
    return run is not None and can_view_cohort(user, run)  # operators included


def _heading(source: str, title: str) -> str:
    run = _run(source)
    if run is None:
        return title
    return _("Certificates for %(course)s · %(cohort)s") % {"course": run.course.title, "cohort": run.cohort}


def _back_label() -> str:
    return _("Back to the cohort")


# --- what an organization issues: its badge art page -----------------------------------------------

def achievements(organization: Organization) -> list[sources.Achievement]:
    """The courses it owns, the programmes it certifies and the certifications it owns (drafts too:
    art can be ready before the first certificate). A constant number of queries."""
    from .models import Certification

    found = [sources.Achievement(id=course_achievement_id(course), kind=CredentialKind.COURSE_COMPLETION,
                                 name=course.title, facts={}, url=reverse("academy:studio_edit", args=[course.slug]))
             for course in Course.objects.filter(owner=organization).order_by("title", "pk")]
    operator = _default_operator()
    for programme in Programme.objects.prefetch_related("partners").order_by("title", "pk"):
        if programme_issuer(programme, default_operator=lambda: operator) == organization:
            found.append(sources.Achievement(id=programme_achievement_id(programme), kind=CredentialKind.PROGRAMME,
                                             name=programme.title, facts={},
                                             url=reverse("academy:programme", args=[programme.slug])))
    for certification in Certification.objects.filter(owner=organization).order_by("title", "pk"):
        found.append(sources.Achievement(
            id=certification_achievement_id(certification), kind=CredentialKind.CERTIFICATION,
            name=certification.title, facts={"level": LEVEL_ORDER[certification.level] + 1},
            url=reverse("academy:certification", args=[certification.slug])))
    return found


def register() -> None:
    sources.register_achievements("academy", achievements)
    sources.register(RUN, awards=_source_awards, can_certify=_can_certify, heading=_heading,
                     back_label=_back_label)
