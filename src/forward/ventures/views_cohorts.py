"""Ventures pages: cohort calls, applications and judging.

Public: the list of published calls, a published call, a decided call's cohort. Startups' admins
and staff: their applications (draft, answer, submit). Staff of the call's organizer: the call, its
questions and rubric, panels, the applications, the ranking (and its CSV) and the decisions.
Judges: their queue across panels and the scoring page. Whoever may not see a call or an
application gets 404, the same answer as a missing id."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forward.core.spreadsheet import SafeWriter
from forward.core.storage import download_response
from forward.matching.rubric import SORT_KEYS

from . import cohorts as svc
from . import judging, permissions
from .forms_cohorts import (
    AnswersForm,
    CallForm,
    ConflictForm,
    CriterionForm,
    DecisionForm,
    PanelForm,
    QuestionForm,
    ScoreForm,
    SeatForm,
)
from .models import (
    DECISIONS,
    ApplicationStatus,
    Call,
    CallStatus,
    CohortApplication,
    Criterion,
    Panel,
    PanelJudge,
    Question,
    Stage,
)

PAGE = 20


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _call(request, call_id: int) -> Call:
    call = get_object_or_404(Call.objects.select_related("organizer"), pk=call_id)
    if not permissions.can_view_call(request.user, call):
        raise Http404
    return call


def _staff_call(request, call_id: int) -> Call:
    call = get_object_or_404(Call.objects.select_related("organizer"), pk=call_id)
    if not permissions.can_run_call(request.user, call):
        raise Http404
    return call


def _application(request, application_id: int, check=permissions.can_view_application) -> CohortApplication:
    application = get_object_or_404(CohortApplication.objects.select_related(
        "call__organizer", "startup__organization"), pk=application_id)
    if not check(request.user, application):
        raise Http404
    return application


def _back(request, prefix: str, name: str, **kwargs):
    """Back to the page the form was on (a page of this call), else to ``name``."""
    back = request.POST.get("next", "")
    if back.startswith(prefix) and "//" not in back:
        return redirect(back)
    return redirect(name, **kwargs)


def _stage_labels(codes):
    return [Stage(c).label for c in codes if c in Stage.values]


# --- calls -----------------------------------------------------------------------------------------

def call_list(request):
    page = Paginator(svc.calls_for(user=request.user), PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    accepting = {call.pk for call in page if svc.is_open_for_applications(call, now)}
    mine = []
    if request.user.is_authenticated and not permissions.is_operator(request.user):
        mine = list(svc.applications_for_startups(user=request.user)[:PAGE])
    return render(request, "ventures/cohorts/call_list.html", {
        "page": page, "accepting": accepting, "mine": mine, "can_create": permissions.can_create_call(request.user)})


@login_required
def call_create(request):
    if not permissions.can_create_call(request.user):
        raise PermissionDenied
    organizers = permissions.programme_organizers(request.user).order_by("name")
    form = CallForm(request.POST or None, organizers=organizers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = svc.call_create(actor=request.user, organizer=data["organizer"], title=data["title"],
                                   description=data["description"], deadline=data["deadline"],
                                   countries=data["countries"], stages=data["stages"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Call created as a draft. Add its questions and rubric, then publish it."))
            return redirect("ventures:call_detail", call_id=call.pk)
    return render(request, "ventures/cohorts/call_form.html", {"form": form, "heading": _("New cohort call")})


@login_required
def call_edit(request, call_id: int):
    call = _staff_call(request, call_id)
    initial = {"title": call.title, "description": call.description,
               "deadline": timezone.localtime(call.deadline), "countries": call.countries, "stages": call.stages}
    form = CallForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            svc.call_update(actor=request.user, call=call, title=data["title"], description=data["description"],
                            deadline=data["deadline"], countries=data["countries"], stages=data["stages"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Call saved."))
            return redirect("ventures:call_detail", call_id=call.pk)
    return render(request, "ventures/cohorts/call_form.html", {"form": form, "heading": call.title, "call": call})


def call_detail(request, call_id: int):
    call = _call(request, call_id)
    runs = permissions.can_run_call(request.user, call)
    startups, existing = [], {}
    if request.user.is_authenticated and not permissions.is_operator(request.user):  # operators: every startup
        startups = list(permissions.startup_organizations(request.user).filter(startup__isnull=False)
                        .order_by("name")[:50])
        existing = {a.startup.organization_id: a for a in CohortApplication.objects.filter(
            call=call, startup__organization__in=startups).select_related("startup")}
    context = {
        "call": call, "runs": runs, "questions": list(call.questions.all()),
        "criteria": list(call.criteria.all()), "stage_labels": _stage_labels(call.stages),
        "accepting": svc.is_open_for_applications(call),
        "startups": [(org, existing.get(org.pk)) for org in startups],
        "cohort_visible": permissions.can_view_cohort(request.user, call),
    }
    if runs:
        context.update({
            "question_form": QuestionForm(), "criterion_form": CriterionForm(),
            "counts": CohortApplication.objects.filter(call=call).aggregate(
                drafts=Count("pk", filter=Q(status=ApplicationStatus.DRAFT)),
                submitted=Count("pk", filter=Q(status=ApplicationStatus.SUBMITTED)),
                decided=Count("pk", filter=Q(status__in=DECISIONS))),
            "rubric_locked": judging._rubric_locked(call),
        })
    return render(request, "ventures/cohorts/call_detail.html", context)


@login_required
@require_POST
def call_transition(request, call_id: int, action: str):
    call = _staff_call(request, call_id)
    service = {"publish": svc.call_publish, "close": svc.call_close, "decided": svc.call_mark_decided}.get(action)
    if service is None:
        raise Http404
    try:
        service(actor=request.user, call=call)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, {"publish": _("The call is open: it is listed and startups may apply."),
                                   "close": _("The call is closed for review."),
                                   "decided": _("The call is decided: its cohort is public.")}[action])
    return redirect("ventures:call_detail", call_id=call.pk)


@login_required
@require_POST
def question_add(request, call_id: int):
    call = _staff_call(request, call_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            svc.question_add(actor=request.user, call=call, **form.service_kwargs())
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Question added."))
    else:
        for field, errs in form.errors.items():
            for e in errs:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {e}")
    return redirect("ventures:call_detail", call_id=call.pk)


def _remove_from_call(request, model, pk: int, service, keyword: str):
    """Remove a question or a criterion of a call its staff run (404 for anyone else)."""
    item = get_object_or_404(model.objects.select_related("call__organizer"), pk=pk)
    if not permissions.can_run_call(request.user, item.call):
        raise Http404
    try:
        service(actor=request.user, **{keyword: item})
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("ventures:call_detail", call_id=item.call_id)


@login_required
@require_POST
def question_remove(request, question_id: int):
    return _remove_from_call(request, Question, question_id, svc.question_remove, "question")


@login_required
@require_POST
def criterion_add(request, call_id: int):
    call = _staff_call(request, call_id)
    form = CriterionForm(request.POST)
    if form.is_valid():
        try:
            judging.criterion_add(actor=request.user, call=call, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Criterion added to the rubric."))
    else:
        messages.error(request, _("Name the criterion and give it a weight from 1 to 100."))
    return redirect("ventures:call_detail", call_id=call.pk)


@login_required
@require_POST
def criterion_remove(request, criterion_id: int):
    return _remove_from_call(request, Criterion, criterion_id, judging.criterion_remove, "criterion")


def cohort_page(request, call_id: int):
    call = _call(request, call_id)
    if not permissions.can_view_cohort(request.user, call):
        raise Http404
    page = Paginator(svc.cohort(call=call), PAGE).get_page(request.GET.get("page"))
    return render(request, "ventures/cohorts/cohort.html", {"call": call, "page": page})


# --- applications ----------------------------------------------------------------------------------

@login_required
@require_POST
def application_create(request, call_id: int):
    call = _call(request, call_id)
    organization = permissions.startup_organizations(request.user).filter(pk=request.POST.get("organization")
                                                                          if str(request.POST.get("organization", "")).isdigit() else 0).first()
    if organization is None:
        raise Http404
    try:
        application = svc.application_create(actor=request.user, call=call, organization=organization)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("ventures:call_detail", call_id=call.pk)
    return redirect("ventures:application_detail", application_id=application.pk)


@login_required
def application_detail(request, application_id: int):
    application = _application(request, application_id)
    user = request.user
    prepares = permissions.can_apply(user, application.startup.organization)
    runs = permissions.can_run_call(user, application.call)
    if not prepares and not runs:  # a judge: the scoring page shows the answers
        return redirect("ventures:judge_application", application_id=application.pk)
    editable = prepares and application.status == ApplicationStatus.DRAFT and application.call.status == CallStatus.OPEN
    answers = {a.question_id: a for a in application.answers.all()}
    questions = list(application.call.questions.all())
    form = AnswersForm(request.POST or None, request.FILES or None, questions=questions, answers=answers,
                       disabled=not editable)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("This application was submitted; its answers are frozen."))
            return redirect("ventures:application_detail", application_id=application.pk)
        if form.is_valid():
            try:
                svc.answers_save(actor=user, application=application, answers=form.values())
                for question, upload in form.files_given():
                    svc.answer_file_save(actor=user, application=application, question=question, upload=upload)
                if "submit" in request.POST:
                    svc.application_submit(actor=user, application=application)
                    messages.success(request, _("Application submitted. You will hear from the programme staff "
                                                "by email."))
                else:
                    messages.success(request, _("Answers saved; submit before the deadline."))
            except ValidationError as exc:
                _errors(request, exc)
            return redirect("ventures:application_detail", application_id=application.pk)
    context = {"application": application, "call": application.call, "form": form, "editable": editable,
               "qa": [(q, answers.get(q.pk)) for q in questions],
               "runs": runs, "prepares": prepares,
               "problems": svc.eligibility_problems(application.call, application.startup) if editable else [],
               "missing": svc.missing_answers(application) if editable else []}
    if runs:
        context["scores"] = judging.score_table(judging.other_scores(user=user, application=application) or [],
                                                list(application.call.criteria.all()))
        context["decision_form"] = DecisionForm(initial={"decision": application.status
                                                         if application.status in DECISIONS else None})
    return render(request, "ventures/cohorts/application.html", context)


@login_required
def answer_file(request, application_id: int, question_id: int):
    """A PDF answer: only for the startup, the call's staff and judges who may see the application."""
    application = _application(request, application_id)
    answer = application.answers.filter(question_id=question_id).exclude(file="").first()
    if answer is None:
        raise Http404
    return download_response(request, answer.file.name, content_type="application/pdf",
                             filename=answer.file_name or "answer.pdf")


@login_required
def call_applications(request, call_id: int):
    call = _staff_call(request, call_id)
    status = request.GET.get("status", "")
    queryset = svc.applications_of_call(call=call)
    if status in ApplicationStatus.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, PAGE).get_page(request.GET.get("page"))
    return render(request, "ventures/cohorts/applications.html", {
        "call": call, "page": page, "status": status, "statuses": ApplicationStatus.choices,
        "decision_form": DecisionForm()})


@login_required
@require_POST
def application_decide(request, application_id: int):
    application = _application(request, application_id, lambda u, a: permissions.can_run_call(u, a.call))
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            svc.application_decide(actor=request.user, application=application,
                                   decision=form.cleaned_data["decision"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Decision saved; the startup's admins are told by email."))
    return _back(request, f"/ventures/calls/{application.call_id}/", "ventures:application_detail",
                 application_id=application.pk)


@login_required
@require_POST
def applications_decide(request, call_id: int):
    call = _staff_call(request, call_id)
    form = DecisionForm(request.POST)
    ids = [int(v) for v in request.POST.getlist("application") if v.isdigit()][:1000]
    if form.is_valid():
        try:
            n = svc.applications_decide(actor=request.user, call=call, application_ids=ids,
                                        decision=form.cleaned_data["decision"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("%(n)d decisions changed; the startups' admins are told by email.") % {"n": n})
    return _back(request, f"/ventures/calls/{call.pk}/", "ventures:call_applications", call_id=call.pk)


# --- panels ----------------------------------------------------------------------------------------

@login_required
def panels(request, call_id: int):
    call = _staff_call(request, call_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create":
                form = PanelForm(request.POST)
                if form.is_valid():
                    judging.panel_create(actor=request.user, call=call, name=form.cleaned_data["name"])
                    messages.success(request, _("Panel created; seat its judges."))
            else:
                panel = get_object_or_404(Panel, pk=request.POST.get("panel") or 0, call=call)
                if action == "seat":
                    seat_form = SeatForm(request.POST)
                    if seat_form.is_valid():
                        seat = judging.judge_seat(actor=request.user, panel=panel, email=seat_form.cleaned_data["email"])
                        messages.success(request, _("%(name)s is a judge on %(panel)s.")
                                         % {"name": seat.user.display_name, "panel": panel.name})
                    else:
                        messages.error(request, _("Enter the judge's email address."))
                elif action == "unseat":
                    seat = get_object_or_404(PanelJudge, pk=request.POST.get("seat") or 0, panel=panel)
                    judging.judge_unseat(actor=request.user, seat=seat)
                elif action == "assign":
                    ids = [int(v) for v in request.POST.getlist("application") if v.isdigit()]
                    n = judging.panel_assign(actor=request.user, panel=panel, application_ids=ids)
                    messages.success(request, _("%(panel)s scores %(n)d assigned applications.")
                                     % {"panel": panel.name, "n": n} if n else
                                     _("%(panel)s scores every submitted application.") % {"panel": panel.name})
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("ventures:call_panels", call_id=call.pk)
    panel_list = list(call.panels.prefetch_related("seats__user", "applications__startup__organization"))
    submitted = list(svc.applications_of_call(call=call)[:200])
    return render(request, "ventures/cohorts/panels.html", {
        "call": call, "panels": panel_list, "submitted": submitted, "panel_form": PanelForm(), "seat_form": SeatForm()})


# --- ranking ---------------------------------------------------------------------------------------

def _ranking(request, call: Call):
    sort = request.GET.get("sort", "normalised")
    sort = sort if sort in SORT_KEYS else "normalised"
    descending = request.GET.get("dir", "desc") != "asc"
    return judging.ranking(call=call, sort=sort, descending=descending), sort, descending


@login_required
def ranking(request, call_id: int):
    call = _staff_call(request, call_id)
    rows, sort, descending = _ranking(request, call)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "ventures/cohorts/ranking.html", {
        "call": call, "page": page, "sort": sort, "descending": descending, "decision_form": DecisionForm(),
        "columns": [("judges", _("Judges")), ("raw", _("Raw mean")), ("normalised", _("Normalised")),
                    ("spread", _("Spread"))]})


@login_required
def ranking_csv(request, call_id: int):
    call = _staff_call(request, call_id)
    rows, _sort, _descending = _ranking(request, call)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="call-{call.pk}-ranking.csv"'
    SafeWriter(response).writerows(judging.ranking_csv_rows(rows))
    return response


# --- judging ---------------------------------------------------------------------------------------

@login_required
def judging_queue(request):
    page = Paginator(judging.judge_queue(user=request.user), PAGE).get_page(request.GET.get("page"))
    return render(request, "ventures/cohorts/judging.html", {"page": page})


@login_required
def judge_application(request, application_id: int):
    application = _application(request, application_id, permissions.can_judge)
    user = request.user
    score = judging.score_of(user=user, application=application)
    criteria = list(application.call.criteria.all())
    locked = bool(score and score.is_submitted) or application.call.status == CallStatus.DECIDED
    form = ScoreForm(request.POST or None, criteria=criteria, score=score, disabled=locked)
    if request.method == "POST":
        if form.is_valid() and not locked:
            try:
                if "submit" in request.POST:
                    judging.score_submit(actor=user, application=application, marks=form.marks(),
                                         comment=form.cleaned_data["comment"])
                    messages.success(request, _("Score submitted. You can now see the other judges' scores."))
                else:
                    judging.score_save(actor=user, application=application, marks=form.marks(),
                                       comment=form.cleaned_data["comment"])
                    messages.success(request, _("Draft saved; submit it when you are done."))
            except ValidationError as exc:
                _errors(request, exc)
        elif locked:
            messages.error(request, _("You submitted this score; it is locked."))
        return redirect("ventures:judge_application", application_id=application.pk)
    answers = {a.question_id: a for a in application.answers.all()}
    others = judging.other_scores(user=user, application=application)
    return render(request, "ventures/cohorts/judge.html", {
        "application": application, "call": application.call, "form": form, "score": score, "locked": locked,
        "qa": [(q, answers.get(q.pk)) for q in application.call.questions.all()],
        "others": None if others is None else judging.score_table(others, criteria), "criteria": criteria,
        "conflict_form": ConflictForm()})


@login_required
@require_POST
def conflict_declare(request, application_id: int):
    application = _application(request, application_id, permissions.can_judge)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say briefly why you are conflicted."))
        return redirect("ventures:judge_application", application_id=application.pk)
    judging.conflict_declare(actor=request.user, application=application, reason=form.cleaned_data["reason"])
    messages.success(request, _("Conflict declared: this application has left your queue."))
    return redirect("ventures:judging")


urlpatterns: list = [
    path("calls/", call_list, name="call_list"),
    path("calls/new/", call_create, name="call_create"),
    path("calls/<int:call_id>/", call_detail, name="call_detail"),
    path("calls/<int:call_id>/edit/", call_edit, name="call_edit"),
    path("calls/<int:call_id>/publish/", call_transition, {"action": "publish"}, name="call_publish"),
    path("calls/<int:call_id>/close/", call_transition, {"action": "close"}, name="call_close"),
    path("calls/<int:call_id>/decided/", call_transition, {"action": "decided"}, name="call_decided"),
    path("calls/<int:call_id>/questions/", question_add, name="question_add"),
    path("questions/<int:question_id>/remove/", question_remove, name="question_remove"),
    path("calls/<int:call_id>/criteria/", criterion_add, name="criterion_add"),
    path("criteria/<int:criterion_id>/remove/", criterion_remove, name="criterion_remove"),
    path("calls/<int:call_id>/cohort/", cohort_page, name="call_cohort"),
    path("calls/<int:call_id>/apply/", application_create, name="application_create"),
    path("calls/<int:call_id>/applications/", call_applications, name="call_applications"),
    path("calls/<int:call_id>/applications/decide/", applications_decide, name="applications_decide"),
    path("calls/<int:call_id>/panels/", panels, name="call_panels"),
    path("calls/<int:call_id>/ranking/", ranking, name="call_ranking"),
    path("calls/<int:call_id>/ranking.csv", ranking_csv, name="call_ranking_csv"),
    path("applications/<int:application_id>/", application_detail, name="application_detail"),
    path("applications/<int:application_id>/files/<int:question_id>/", answer_file, name="answer_file"),
    path("applications/<int:application_id>/decide/", application_decide, name="application_decide"),
    path("judging/", judging_queue, name="judging"),
    path("judging/<int:application_id>/", judge_application, name="judge_application"),
    path("judging/<int:application_id>/conflict/", conflict_declare, name="conflict_declare"),
]
