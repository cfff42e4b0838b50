"""Lab pages: download the public data, submit predictions or answers, see the scores; set a lab up in the
studio."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from forward import scoring
from forward.core import storage
from forward.core.models import User
from forward.core.types import AuthedRequest

from . import labs, permissions
from .models import LabSubmission, LabSubmissionStatus, LabTask, Lesson, LessonKind

PAGE_SIZE = 10


def _lab(request: HttpRequest, slug: str, lesson: str) -> LabTask:
    lab = get_object_or_404(LabTask.objects.select_related("lesson__course"), lesson__course__slug=slug,
                            lesson__slug=lesson)
    if not permissions.can_open_lab(request.user, lab):
        raise Http404  # a draft's lab is not confirmed to exist
    return lab


def lab_context(request: HttpRequest, lab: LabTask | None, enrolment) -> dict:
    """What the lesson page shows of its lab: the learner's latest submissions (one page)."""
    if lab is None:
        return {}
    context = {"lab": lab, "lab_metric_description": scoring.get_metric(lab.metric).description,
               "lab_threshold_percent": round(100 * lab.pass_threshold)}
    user = request.user
    if enrolment is not None and user.is_authenticated:  # an enrolment is a signed-in learner's
        context.update(_rows(request, lab, user))
        if lab.is_answers:  # the form shows the learner's last answers again, to correct rather than retype
            last = labs.last_answers(lab=lab, user=user)
            context["lab_questions"] = [{**q, "last": last.get(q["id"], "")} for q in lab.questions]
    return context


def _rows(request: HttpRequest, lab: LabTask, user: User) -> dict:
    page = Paginator(LabSubmission.objects.filter(lab=lab, user=user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    pending = any(s.status in (LabSubmissionStatus.QUEUED, LabSubmissionStatus.RUNNING) for s in page.object_list)
    return {"lab_page": page, "lab_pending": pending,
            "lab_left": max(0, lab.max_daily_submissions - labs.submissions_used_today(lab=lab, user=user))}


def lab_data(request: HttpRequest, slug: str, lesson: str, which: str) -> HttpResponseBase:
    """The lab's public train or test file (never its answer key)."""
    lab = _lab(request, slug, lesson)
    name = {"train": lab.train_file, "test": lab.test_file}.get(which)
    if not name:
        raise Http404
    label = {"train": "data", "test": "reference"}[which] if lab.is_answers else which
    filename = f"{lab.lesson.slug}-{label}{storage.suffix_of(name)}"
    return storage.download_response(request, name, filename=filename)


@login_required
@require_POST
def lab_submit(request: AuthedRequest, slug: str, lesson: str) -> HttpResponse:
    lab = _lab(request, slug, lesson)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a CSV file of answers to submit.") if lab.is_answers
                       else _("Choose a CSV file of predictions to submit."))
    else:
        _submit(request, lab, upload, _("Submitted. Your file is being scored; the result appears below."))
    return redirect("academy:lesson", slug=slug, lesson=lesson)


@login_required
@require_POST
def lab_answer(request: AuthedRequest, slug: str, lesson: str) -> HttpResponse:
    """Answers typed into the lab page: turned into the CSV a learner could upload, scored the same way."""
    lab = _lab(request, slug, lesson)
    if not lab.is_answers:
        raise Http404
    answers = {q["id"]: request.POST.get(f"answer-{q['id']}", "") for q in lab.questions}
    try:
        upload = labs.lab_answers_file(lab=lab, answers=answers)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        _submit(request, lab, upload, _("Submitted. Your answers are being scored; the result appears below."))
    return redirect("academy:lesson", slug=slug, lesson=lesson)


def _submit(request: AuthedRequest, lab: LabTask, upload, success: str) -> None:
    try:
        labs.lab_submission_create(user=request.user, lab=lab, upload=upload)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        messages.error(request, _("You may not submit to this lab."))
    else:
        messages.success(request, success)


@login_required
def lab_rows(request: AuthedRequest, slug: str, lesson: str) -> HttpResponse:
    """The learner's submissions, polled by htmx while one is being scored."""
    lab = _lab(request, slug, lesson)
    return render(request, "academy/_lab_rows.html", {"lab": lab, "course": lab.lesson.course,
                                                        "lesson": lab.lesson, **_rows(request, lab, request.user)})


class LabSetupForm(forms.Form):
    metric = forms.ChoiceField(label=gettext_lazy("Metric"),
                               choices=[(m.name, f"{m.name} — {m.description}") for m in scoring.METRICS.values()],
                               help_text=gettext_lazy("Choose “answers” for a lab whose learners answer questions "
                                                      "about the data instead of predicting a test set."))
    pass_threshold = forms.FloatField(label=gettext_lazy("Score needed to pass"),
                                      help_text=gettext_lazy("At least this for metrics where higher is better "
                                                             "(auc, accuracy; answers: the share of questions right, "
                                                             "such as 0.8); at most this for errors (rmse, mae)."))
    max_daily_submissions = forms.IntegerField(label=gettext_lazy("Submissions per learner per day"), min_value=1,
                                               max_value=100, initial=10)
    questions = forms.CharField(
        label=gettext_lazy("Questions (answers labs only)"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("One a line: the question id, a vertical bar, then the question, e.g. "
                               "“vm_cost | What did the virtual machines cost in the month, in USD?”. The answer "
                               "key has one row for each id. Left empty, the stored questions stay."))
    train = forms.FileField(label=gettext_lazy("Training data, or an answers lab's data (public CSV)"),
                            required=False)
    test = forms.FileField(label=gettext_lazy("Test data without the target, or an answers lab's reference table "
                                              "(public CSV)"), required=False)
    key = forms.FileField(label=gettext_lazy("Answer key (hidden CSV: id column and target column; for an answers "
                                             "lab, question id and answer)"), required=False)

    def clean_questions(self) -> list[dict] | None:
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()]
        if not lines:
            return None
        parsed = []
        for number, line in enumerate(lines, start=1):
            qid, bar, text = line.partition("|")
            if not bar:
                raise forms.ValidationError(_("Line %(n)d has no vertical bar: write the question id, | and the "
                                              "question.") % {"n": number})
            parsed.append({"id": qid.strip(), "text": text.strip()})
        return parsed


@login_required
def studio_lab(request: AuthedRequest, slug: str, lesson_id: int) -> HttpResponse:
    item = get_object_or_404(Lesson.objects.select_related("course"), pk=lesson_id, course__slug=slug,
                             kind=LessonKind.LAB)
    if not permissions.can_author(request.user, item.course):
        raise Http404
    current = LabTask.objects.filter(lesson=item).first()
    initial = {"metric": current.metric, "pass_threshold": current.pass_threshold,
               "max_daily_submissions": current.max_daily_submissions,
               "questions": "\n".join(f"{q['id']} | {q['text']}" for q in current.questions)} if current else {}
    form = LabSetupForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            labs.lab_setup(actor=request.user, lesson=item, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("The lab is set up. Learners can download its data and submit."))
            return redirect("academy:studio_course", slug=item.course.slug)
    return render(request, "academy/studio_form.html", {
        "form": form, "course": item.course, "title": _("Graded lab: %(title)s") % {"title": item.title},
        "multipart": True})
