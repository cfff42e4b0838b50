"""The studio: a course team builds courses in the browser (modules, lessons, questions, their order),
previews them as a learner, and publishes. Every page checks `permissions.can_author`; to anyone
else a course's studio does not exist (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forward.core.types import AuthedRequest

from . import authoring, permissions
from .forms import AssessmentForm, AuthorForm, CourseForm, LessonForm, ModuleForm, QuestionForm
from .models import Assessment, Course, Lesson, LessonKind, Module, Question, QuestionKind


def _authored(request: AuthedRequest, slug: str) -> Course:
    course = get_object_or_404(Course.objects.select_related("owner"), slug=slug)
    if not permissions.can_author(request.user, course):
        raise Http404  # do not confirm that a draft exists
    return course


def _errors(request: AuthedRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _studio(course: Course) -> HttpResponse:
    return redirect("academy:studio_course", slug=course.slug)


@login_required
def studio_home(request: AuthedRequest) -> HttpResponse:
    courses = (permissions.authored_courses(request.user).select_related("owner")
               .order_by("status", "title"))
    owners = permissions.course_owners(request.user).order_by("name")
    return render(request, "academy/studio_home.html", {
        "courses": courses, "can_create": owners.exists(), "owners": owners})


@login_required
def course_new(request: AuthedRequest) -> HttpResponse:
    owners = permissions.course_owners(request.user).order_by("name")
    if not owners.exists():
        messages.error(request, _("Courses are created for an organization you administer or work for as "
                                  "teaching staff. Ask your organization's admin to add you to a course team."))
        return redirect("academy:studio")
    form = CourseForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            course = authoring.course_create(actor=request.user, owner=form.cleaned_data["owner"],
                                             **form.service_fields())
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Draft created. Add modules and lessons, preview it, then publish."))
            return _studio(course)
    return render(request, "academy/studio_form.html", {"form": form, "title": _("New course"), "multipart": False})


@login_required
def studio_course(request: AuthedRequest, slug: str) -> HttpResponse:
    course = _authored(request, slug)
    modules = list(course.modules.prefetch_related("lessons__assessment__questions").order_by("order", "pk"))
    return render(request, "academy/studio_course.html", {
        "course": course, "modules": modules, "module_form": ModuleForm(), "author_form": AuthorForm(),
        "authors": course.authors.order_by("name", "email"),
        "problems": authoring.publish_problems(course=course), "lesson_kinds": LessonKind.choices,
        "runs": course.runs.select_related("university").order_by("-starts_at"),
    })


@login_required
def course_edit(request: AuthedRequest, slug: str) -> HttpResponse:
    course = _authored(request, slug)
    form = CourseForm(request.POST or None, course=course, initial=CourseForm.initial_for(course))
    if request.method == "POST" and form.is_valid():
        try:
            authoring.course_update(actor=request.user, course=course, **form.service_fields())
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Course details saved."))
            return _studio(course)
    return render(request, "academy/studio_form.html", {
        "form": form, "course": course, "title": _("Course details"), "multipart": False,
        "picture_action": reverse("academy:studio_thumbnail", kwargs={"slug": course.slug})})


@login_required
@require_POST
def course_publish(request: AuthedRequest, slug: str) -> HttpResponse:
    course = _authored(request, slug)
    try:
        if request.POST.get("action") == "unpublish":
            authoring.course_unpublish(actor=request.user, course=course)
            messages.success(request, _("The course is a draft again: only its team sees it."))
        else:
            authoring.course_publish(actor=request.user, course=course)
            messages.success(request, _("Published. Anyone can now find the course in the catalogue."))
    except ValidationError as exc:
        _errors(request, exc)
    return _studio(course)


@login_required
@require_POST
def module_add(request: AuthedRequest, slug: str) -> HttpResponse:
    course = _authored(request, slug)
    form = ModuleForm(request.POST)
    if form.is_valid():
        authoring.module_create(actor=request.user, course=course, title=form.cleaned_data["title"])
    else:
        messages.error(request, _("Give the module a title."))
    return _studio(course)


@login_required
@require_POST
def module_action(request: AuthedRequest, slug: str, module_id: int) -> HttpResponse:
    course = _authored(request, slug)
    module = get_object_or_404(Module, pk=module_id, course=course)
    action = request.POST.get("action")
    try:
        if action in ("up", "down"):
            authoring.module_move(actor=request.user, module=module, direction=action)
        elif action == "delete":
            authoring.module_delete(actor=request.user, module=module)
            messages.success(request, _("Module deleted."))
        elif action == "rename":
            form = ModuleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give the module a title."))
            authoring.module_update(actor=request.user, module=module, title=form.cleaned_data["title"])
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as exc:
        _errors(request, exc)
    return _studio(course)


# Which lesson fields matter for which kind (the page hides the others when JavaScript runs).
FIELD_KINDS = {"video_url": "video", "video": "video", "remove_video": "video", "captions_vtt": "video",
               "transcript": "video", "body": "reading lab quiz", "lab_url": "lab"}


@login_required
def lesson_edit(request: AuthedRequest, slug: str, module_id: int | None = None,
                lesson_id: int | None = None) -> HttpResponse:
    course = _authored(request, slug)
    lesson = get_object_or_404(Lesson.objects.select_related("module"), pk=lesson_id, course=course) \
        if lesson_id else None
    module = lesson.module if lesson else get_object_or_404(Module, pk=module_id, course=course)
    form = LessonForm(request.POST or None, request.FILES or None, instance=lesson,
                      initial=None if lesson else {"kind": request.GET.get("kind", LessonKind.VIDEO)})
    if request.method == "POST" and form.is_valid():
        try:
            saved = authoring.lesson_save(actor=request.user, module=module, lesson=lesson, **form.service_fields())
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("video" if request.FILES else None, exc.messages)
        else:
            messages.success(request, _("Lesson saved."))
            if saved.kind == LessonKind.QUIZ and lesson is None:
                return redirect("academy:studio_lesson", slug=course.slug, lesson_id=saved.pk)
            return _studio(course)
    assessment = getattr(lesson, "assessment", None) if lesson else None
    return render(request, "academy/studio_lesson.html", {
        "course": course, "module": module, "lesson": lesson, "form": form, "assessment": assessment,
        "assessment_form": AssessmentForm(instance=assessment, prefix="exam") if assessment else None,
        "questions": list(assessment.questions.order_by("order", "pk")) if assessment else [],
        "question_kinds": QuestionKind.choices, "field_kinds": FIELD_KINDS,
    })


@login_required
@require_POST
def lesson_action(request: AuthedRequest, slug: str, lesson_id: int) -> HttpResponse:
    course = _authored(request, slug)
    lesson = get_object_or_404(Lesson, pk=lesson_id, course=course)
    action = request.POST.get("action")
    try:
        if action in ("up", "down"):
            authoring.lesson_move(actor=request.user, lesson=lesson, direction=action)
        elif action == "delete":
            authoring.lesson_delete(actor=request.user, lesson=lesson)
            messages.success(request, _("Lesson deleted."))
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as exc:
        _errors(request, exc)
    return _studio(course)


@login_required
@require_POST
def assessment_edit(request: AuthedRequest, slug: str, lesson_id: int) -> HttpResponse:
    course = _authored(request, slug)
    lesson = get_object_or_404(Lesson, pk=lesson_id, course=course)
    assessment = getattr(lesson, "assessment", None)
    if assessment is None:
        raise Http404
    form = AssessmentForm(request.POST, instance=assessment, prefix="exam")
    if form.is_valid():
        authoring.assessment_update(actor=request.user, assessment=assessment, **form.cleaned_data)
        messages.success(request, _("Settings saved."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect("academy:studio_lesson", slug=course.slug, lesson_id=lesson.pk)


@login_required
def question_edit(request: AuthedRequest, slug: str, lesson_id: int | None = None,
                  question_id: int | None = None) -> HttpResponse:
    course = _authored(request, slug)
    assessment: Assessment | None
    if question_id:
        question = get_object_or_404(Question.objects.select_related("assessment__lesson"), pk=question_id,
                                     assessment__course=course)
        assessment = question.assessment
    else:
        question = None
        lesson = get_object_or_404(Lesson, pk=lesson_id, course=course)
        assessment = getattr(lesson, "assessment", None)
        if assessment is None:
            raise Http404
    initial = QuestionForm.initial_for(question) if question else {"kind": request.GET.get("kind", "single")}
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        authoring.question_save(actor=request.user, assessment=assessment, question=question, **form.service_fields())
        messages.success(request, _("Question saved."))
        if request.POST.get("next") == "another":
            return redirect("academy:studio_question_new", slug=course.slug, lesson_id=assessment.lesson_id)
        return redirect("academy:studio_lesson", slug=course.slug, lesson_id=assessment.lesson_id)
    return render(request, "academy/studio_question.html", {
        "course": course, "form": form, "question": question, "assessment": assessment})


@login_required
@require_POST
def question_action(request: AuthedRequest, slug: str, question_id: int) -> HttpResponse:
    course = _authored(request, slug)
    question = get_object_or_404(Question.objects.select_related("assessment"), pk=question_id,
                                 assessment__course=course)
    action = request.POST.get("action")
    if action in ("up", "down"):
        authoring.question_move(actor=request.user, question=question, direction=action)
    elif action == "delete":
        authoring.question_delete(actor=request.user, question=question)
        messages.success(request, _("Question deleted."))
    return redirect("academy:studio_lesson", slug=course.slug, lesson_id=question.assessment.lesson_id)


@login_required
@require_POST
def team(request: AuthedRequest, slug: str) -> HttpResponse:
    course = _authored(request, slug)
    try:
        if request.POST.get("action") == "remove":
            user_id = request.POST.get("user", "")
            if not user_id.isdigit():
                raise ValidationError(_("Choose a member of the team to remove."))
            authoring.author_remove(actor=request.user, course=course, user_id=int(user_id))
            if not permissions.can_author(request.user, course):
                messages.success(request, _("You left the course team."))
                return redirect("academy:studio")
        else:
            form = AuthorForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give the email address of a Forward user."))
            user = authoring.author_add(actor=request.user, course=course, email=form.cleaned_data["email"])
            messages.success(request, _("%(name)s joined the course team.") % {"name": user.name or user.email})
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied:
        raise Http404 from None
    return _studio(course)


@login_required
def run_edit(request: AuthedRequest, slug: str | None = None, run_id: int | None = None) -> HttpResponse:
    """Offer a course as a run, or change a run: dates, cohort, instructors."""
    from .forms import RunForm
    from .models import CourseRun

    if run_id is not None:
        run = get_object_or_404(CourseRun.objects.select_related("course", "university"), pk=run_id)
        if not permissions.can_manage_run(request.user, run):
            raise Http404
        course = run.course
        initial = {"university": run.university, "cohort": run.cohort, "enrolment_ends": run.enrolment_ends,
                   "starts_at": run.starts_at, "ends_at": run.ends_at,
                   "instructors": "\n".join(run.instructors.order_by("email").values_list("email", flat=True))}
    else:
        run, initial = None, {}
        course = get_object_or_404(Course.objects.select_related("owner"), slug=slug)
        if not permissions.can_view_course(request.user, course):
            raise Http404
    universities = permissions.run_universities(request.user).order_by("name")
    allow_open = permissions.can_author(request.user, course)
    if run is not None:  # a run stays where it is offered
        universities = universities.filter(pk=run.university_id) if run.university_id else universities.none()
        allow_open = run.university_id is None
    if not allow_open and not universities.exists():
        raise Http404
    form = RunForm(request.POST or None, initial=initial, universities=universities, allow_open=allow_open)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = authoring.run_save(
                actor=request.user, course=course, run=run, university=data["university"], cohort=data["cohort"],
                enrolment_ends=data["enrolment_ends"], starts_at=data["starts_at"], ends_at=data["ends_at"],
                instructor_emails=form.instructor_emails())
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Run saved. Learners can enrol until %(date)s.")
                             % {"date": data["enrolment_ends"].date()})
            return redirect("academy:cohort", run_id=run.pk)
    title = _("Edit run") if run else _("Offer “%(course)s”") % {"course": course.title}
    return render(request, "academy/studio_form.html", {"form": form, "title": title, "multipart": False})


@login_required
def studio_export(request: AuthedRequest, slug: str) -> HttpResponse:
    from . import bundle

    course = _authored(request, slug)
    try:
        data = bundle.export_zip(course=course)
    except ValidationError as exc:  # e.g. an uploaded video missing from storage
        _errors(request, exc)
        return _studio(course)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{course.slug}.zip"'
    return response


@login_required
@require_POST
def studio_import(request: AuthedRequest) -> HttpResponse:
    """Create or update a course from a zip of Markdown + YAML (as `studio_export` writes it). The
    upload is read from where Django put it (a temporary file when it is large), never all at once."""
    from . import bundle
    from .bundle_input import check_upload_size

    owner = permissions.course_owners(request.user).filter(pk=request.POST.get("owner") or 0).first()
    upload = request.FILES.get("bundle")
    try:
        if owner is None:
            raise ValidationError(_("Choose the organization the course belongs to."))
        if upload is None:
            raise ValidationError(_("Choose a .zip file exported from Forward or kept in git."))
        check_upload_size(upload.size or 0)
        course = bundle.import_zip(source=upload, owner=owner, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("academy:studio")
    except PermissionDenied:
        messages.error(request, _("A course with that slug exists and you are not on its team."))
        return redirect("academy:studio")
    messages.success(request, _("Imported “%(title)s” with the short name “%(slug)s”.")
                     % {"title": course.title, "slug": course.slug})
    return _studio(course)
