"""Academy pages: the catalogue and every lesson are public; progress needs an enrolment."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forward.core.types import AuthedRequest

from . import permissions, selectors, services
from .models import Assessment, Course, CourseRun, CourseStatus, Lesson, Level, Programme


def _course(request: HttpRequest, slug: str, *, preview: bool = False) -> Course:
    """A published course; with `preview`, also a draft shown to its team (anyone else: 404), which
    its pages mark as a preview (`_preview`)."""
    course = get_object_or_404(Course.objects.select_related("owner"), slug=slug)
    if course.status == CourseStatus.PUBLISHED:
        return course
    if preview and permissions.can_view_course(request.user, course):
        return course
    raise Http404


def _preview(course: Course) -> bool:
    """A draft shown to its team (`_course` gives nobody else a draft)."""
    return course.status != CourseStatus.PUBLISHED


def catalogue(request: HttpRequest) -> HttpResponse:
    filters = {name: request.GET.get(name, "").strip()[:100]
               for name in ("q", "programme", "level", "language", "country", "university")}
    courses = selectors.catalogue(query=filters["q"], programme=filters["programme"], level=filters["level"],
                                  language=filters["language"], country=filters["country"].upper(),
                                  university=filters["university"])
    page = Paginator(courses, 24).get_page(request.GET.get("page"))
    lengths = selectors.course_minutes(course_ids=[c.pk for c in page.object_list])
    for course in page.object_list:
        course.lesson_count, course.minutes = lengths.get(course.pk, (0, 0))
    return render(request, "academy/catalogue.html", {
        "page": page, "filters": filters, "levels": Level.choices, "languages": settings.LANGUAGES,
        **selectors.catalogue_filters(),
    })


def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    from . import grading

    course = _course(request, slug, preview=True)
    enrolment = selectors.enrolment_for(user=request.user, course=course)
    outline = selectors.outline_for(course=course, enrolment=enrolment)
    user = request.user
    grade = (selectors.grades(course=course, user_ids=[user.pk])[user.pk]
             if enrolment is not None and user.is_authenticated else None)
    certificates = selectors.course_certificates(user=request.user, course=course)
    # Passed: a certificate, or a released grade at the pass mark (its certificate may still be on its way).
    passed = bool(certificates) or bool(enrolment and enrolment.run.grades_released_at and grade
                                        and grade["designation"])
    completion, achievement = grading.certificate_rules(course.grading_policy)
    cutoffs = (course.grading_policy or grading.DEFAULT_POLICY).get("cutoffs") or {}
    return render(request, "academy/course.html", {
        "course": course, "preview": _preview(course), "outline": outline, "enrolment": enrolment,
        "skills": list(course.skills.all()),
        "runs": selectors.open_runs(course=course, user=request.user),
        "universities": selectors.teaching_universities(course=course),
        "percent": outline.percent, "done": outline.done, "total": outline.total,
        "can_edit": permissions.can_author(request.user, course),
        "prerequisites": _prerequisites(request, course),
        "can_offer": permissions.run_universities(request.user).exists(),
        "grade": grade, "passed": passed, "certificates": certificates,
        "pass_cutoff": _percent(cutoffs.get("pass")), "awards_completion": completion,
        "achievement": achievement, "achievement_cutoff": _percent(cutoffs.get(achievement)) if achievement else None,
    })


def _percent(fraction) -> int | None:
    """A grading policy's cutoff (0.5) as a whole percentage (50)."""
    try:
        return round(100 * float(fraction))
    except (TypeError, ValueError):
        return None


def _prerequisites(request: HttpRequest, course: Course) -> list[tuple[Course, bool]]:
    required = list(course.prerequisites.filter(status=CourseStatus.PUBLISHED).order_by("title"))
    passed = selectors.passed_courses(user=request.user, courses=required)
    return [(c, c.pk in passed) for c in required]


def lesson_detail(request: HttpRequest, slug: str, lesson: str) -> HttpResponse:
    course = _course(request, slug, preview=True)
    item = get_object_or_404(Lesson.objects.select_related("module"), course=course, slug=lesson)
    enrolment = selectors.enrolment_for(user=request.user, course=course)
    progress = selectors.progress_by_lesson(enrolment=enrolment)
    outline = selectors.outline_for(course=course, enrolment=enrolment, progress=progress, current=item)
    previous, following = outline.neighbours(item)
    assessment = getattr(item, "assessment", None) if item.kind == "quiz" else None
    extra = _assessment_context(request, assessment) if assessment else {}
    if assessment:
        extra["action_url"] = reverse("academy:assessment", args=[course.slug, item.slug])
    if item.kind == "lab":
        from .views_labs import lab_context

        extra.update(lab_context(request, getattr(item, "lab_task", None), enrolment))
    return render(request, "academy/lesson.html", {
        **extra,
        "course": course, "preview": _preview(course), "lesson": item, "outline": outline, "enrolment": enrolment,
        "progress": progress, "position": progress[item.pk].position_seconds if item.pk in progress else 0,
        "previous": previous, "next": following,
    })


@login_required
@require_POST
def enrol(request: AuthedRequest, slug: str, run_id: int) -> HttpResponse:
    course = _course(request, slug)
    run = get_object_or_404(CourseRun.objects.select_related("university"), pk=run_id, course=course)
    try:
        services.enrol(user=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You are enrolled in %(cohort)s. Your progress is saved from now on.")
                         % {"cohort": run.cohort})
    return redirect("academy:course", slug=course.slug)


@login_required
@require_POST
def lesson_complete(request: AuthedRequest, slug: str, lesson: str) -> HttpResponse:
    """Mark a reading or lab as done (videos report themselves from the player)."""
    from django.utils import timezone

    course = _course(request, slug)
    item = get_object_or_404(Lesson, course=course, slug=lesson)
    result = services.progress_apply(user=request.user, events=[
        services.ProgressEvent(lesson_id=item.pk, position=0, completed=True, at=timezone.now())])
    if result.ignored:
        messages.error(request, _("Enrol in the course to keep your progress."))
    return redirect("academy:lesson", slug=course.slug, lesson=item.slug)


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.learner_enrolments(user=request.user), 24).get_page(request.GET.get("page"))
    if not page.object_list:
        messages.info(request, _("You have no courses yet. Every course is free to watch; enrol to keep your "
                                 "progress."))
        return redirect("academy:catalogue")
    return render(request, "academy/dashboard.html", {
        "page": page, "rows": selectors.learner_dashboard(user=request.user, enrolments=list(page.object_list)),
        "deadlines": selectors.learner_deadlines(user=request.user) if page.number == 1 else []})




def captions(request: HttpRequest, slug: str, lesson: str) -> HttpResponse:
    item = get_object_or_404(Lesson, course=_course(request, slug, preview=True), slug=lesson)
    if not item.captions_vtt:
        from django.http import Http404

        raise Http404
    return HttpResponse(item.captions_vtt, content_type="text/vtt; charset=utf-8")


def _assessment_context(request: HttpRequest, assessment: Assessment) -> dict:
    from . import assessments

    return assessments.attempt_page(user=request.user, assessment=assessment)


def assessment_post(request: AuthedRequest, assessment: Assessment) -> None:
    """Start, save or submit an attempt from a posted form; messages say what happened."""
    from django.core.exceptions import PermissionDenied

    from . import assessments

    action = request.POST.get("action")
    try:
        if action == "start":
            assessments.attempt_start(user=request.user, assessment=assessment)
        else:
            given = {int(key[1:]): request.POST.getlist(key) for key in request.POST
                     if key[:1] == "q" and key[1:].isascii() and key[1:].isdigit() and len(key) < 12}
            done = assessments.answers_record(user=request.user, assessment=assessment, given=given,
                                              submit=action == "submit")
            if action != "submit":
                messages.success(request, _("Answers saved."))
            elif assessments.results_visible(done):
                passed = done.percent is not None and done.percent >= assessment.pass_mark
                # Only a pass is announced as a success; anything else is a plain notice.
                (messages.success if passed else messages.warning)(
                    request, _("Submitted: %(score)g of %(max)g points.") % {"score": done.score, "max": done.max_score})
            else:
                messages.success(request, _("Submitted. Results are shown when the exam closes."))
    except PermissionDenied:
        if assessment.course_id is None:
            messages.error(request, _("Redeem an exam voucher to sit this exam."))
        else:
            messages.error(request, _("Enrol in the course to take its quizzes and exams."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))


@login_required
@require_POST
def assessment_action(request: AuthedRequest, slug: str, lesson: str) -> HttpResponse:
    course = _course(request, slug)
    item = get_object_or_404(Lesson, course=course, slug=lesson)
    assessment = getattr(item, "assessment", None)
    if assessment is None:
        raise Http404
    assessment_post(request, assessment)
    return redirect("academy:lesson", slug=course.slug, lesson=item.slug)


@login_required
def teaching(request: AuthedRequest) -> HttpResponse:
    """Runs whose cohorts this person teaches or administers."""
    runs = permissions.visible_runs(request.user).select_related("course", "university").annotate(
        students=selectors.student_counts()).order_by("-starts_at")
    return render(request, "academy/teaching.html", {"runs": runs})


COHORT_PAGE_SIZE = 50


@login_required
def cohort(request: AuthedRequest, run_id: int) -> HttpResponse:
    from django.http import Http404

    run = get_object_or_404(CourseRun.objects.select_related("course", "university"), pk=run_id)
    if not permissions.can_view_cohort(request.user, run):
        raise Http404  # do not confirm which runs exist at other universities
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.run_students(run=run, query=query), COHORT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows, assessments = selectors.cohort(run=run, enrolments=list(page.object_list))
    from forward.credentials import selectors as credential_selectors

    from .awards import run_source

    return render(request, "academy/cohort.html", {
        "run": run, "rows": rows, "assessments": assessments, "page": page, "query": query,
        "students": selectors.run_students(run=run).count() if query else page.paginator.count,
        "can_manage": permissions.can_manage_run(request.user, run),
        "batch": credential_selectors.latest_batch(run_source(run)) if run.grades_released_at else None,
        "certified": credential_selectors.count_for_source(run_source(run)) if run.grades_released_at else 0})


@require_POST
@login_required
def certify_run(request: AuthedRequest, run_id: int) -> HttpResponse:
    """Issue certificates for the cohort again (after release): picks up anyone missed."""
    run = get_object_or_404(CourseRun.objects.select_related("course", "university"), pk=run_id)
    if not permissions.can_view_cohort(request.user, run):
        raise Http404  # no hint that the run exists
    try:
        batch = services.run_certify(actor=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("academy:cohort", run_id=run.pk)
    return redirect("credentials:batch", batch_id=batch.pk)


@login_required
def gradebook_csv(request: AuthedRequest, run_id: int) -> HttpResponse:
    from django.http import Http404

    from forward.core.spreadsheet import SafeWriter

    run = get_object_or_404(CourseRun.objects.select_related("course", "university"), pk=run_id)
    if not permissions.can_view_cohort(request.user, run):
        raise Http404
    rows, assessments = selectors.cohort(run=run)  # every student, not one page
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{run.course.slug}-{run.pk}-grades.csv"'
    writer = SafeWriter(response)
    writer.writerow(["name", "email", "progress_pct", *[a.title for a in assessments], "grade_pct", "designation",
                     "released"])
    for row in rows:
        writer.writerow([row["user"].name, row["user"].email, row["percent"],
                         *["" if s["score"] is None else round(s["score"], 1) for s in row["scores"]],
                         round(100 * row["grade"]["grade"], 1), row["grade"]["designation"],
                         "yes" if run.grades_released_at else "no"])
    return response


@login_required
@require_POST
def grades_release(request: AuthedRequest, run_id: int) -> HttpResponse:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    run = get_object_or_404(CourseRun, pk=run_id)
    try:
        services.grades_release(actor=request.user, run=run)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Grades released. Learners now see their final grade."))
    return redirect("academy:cohort", run_id=run.pk)


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.prefetch_related("partners"), slug=slug)
    return render(request, "academy/programme.html", {
        "programme": programme, "progress": selectors.programme_standing(programme=programme, user=request.user),
    })
