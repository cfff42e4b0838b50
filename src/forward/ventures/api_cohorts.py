"""Ventures API: cohort calls, applications, judging and decisions (/api/v1/ventures/…).

Whoever may not see a call, an application or a judge's work gets 404, the same answer as a missing
id: a draft call for anyone but its staff, an application for anyone but the startup's admins and
staff, the call's staff and its judges who are not conflicted on it. File answers are uploaded on
the application's page (the API answers text, choice and number questions and lists the files)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from forward.api_auth import PUBLIC
from forward.api_common import MAX_PAGE, PUBLIC_SECURITY, Text, errors
from forward.core.models import MAX_ID

from . import cohorts as svc
from . import judging, permissions
from .models import Call, CohortApplication, QuestionKind

router = Router(tags=["ventures"])
PAGE_SIZE = 20
NOT_FOUND = "Not found."


class QuestionOut(Schema):
    id: int
    kind: str = Field(description="text, choice, number or file")
    prompt: str
    help_text: str
    required: bool
    max_length: int | None = Field(description="Text: the most characters an answer may have")
    options: list[str] = Field(description="Choice: the options, one of which is the answer")
    min_value: Decimal | None
    max_value: Decimal | None


class CriterionOut(Schema):
    id: int
    name: str
    description: str
    weight: int


class CallOut(Schema):
    id: int
    title: str
    organizer: str
    status: str = Field(description="draft, open, closed or decided")
    deadline: datetime = Field(description="UTC; submissions after it are refused")
    accepting: bool = Field(description="Open and before its deadline now")
    countries: list[str] = Field(description="Eligible countries (ISO codes); empty: any")
    stages: list[str] = Field(description="Eligible stages; empty: any")
    url: str


class CallDetailOut(CallOut):
    description: str
    questions: list[QuestionOut]
    criteria: list[CriterionOut]


class CallPage(Schema):
    count: int
    page: int
    pages: int
    results: list[CallOut]


class AnswerOut(Schema):
    question: int
    value: str | Decimal | None = Field(description="Text or chosen option, a number, or null")
    file_url: str | None = Field(description="File questions: where the uploaded PDF is")


class ApplicationOut(Schema):
    id: int
    call: int
    startup: str
    startup_organization: int
    status: str = Field(description="draft, submitted, accepted, waitlisted or rejected")
    submitted_at: datetime | None
    decided_at: datetime | None
    answers: list[AnswerOut]
    missing: list[int] = Field(description="Required questions not answered yet (drafts)")
    url: str


class ApplicationIn(Schema):
    startup: int = Field(ge=1, le=MAX_ID, description="The id of the startup organization applying")


class AnswerIn(Schema):
    question: int = Field(ge=1, le=MAX_ID)
    value: Text | float | None = Field(None, description="Text, an option, a number; null clears the answer")


class AnswersIn(Schema):
    answers: list[AnswerIn] = Field(max_length=100)


class QueueItemOut(Schema):
    application: int
    call: int
    call_title: str
    startup: str
    score: str = Field(description="none, draft or submitted: your score of it")


class QueuePage(Schema):
    count: int
    page: int
    pages: int
    results: list[QueueItemOut]


class ScoreIn(Schema):
    marks: dict[str, int] = Field(max_length=50, description="{criterion id: mark 1–5}; a draft may be partial")
    comment: Text = Field("", max_length=4000)


class OtherScoreOut(Schema):
    judge: str
    marks: dict[str, int]
    comment: str


class ScoreOut(Schema):
    application: int
    marks: dict[str, int]
    comment: str
    submitted_at: datetime | None
    others: list[OtherScoreOut] | None = Field(description="The other judges' submitted scores; null until you "
                                                           "submit yours")


class ConflictIn(Schema):
    reason: Text = Field(min_length=1, max_length=300)


class ConflictOut(Schema):
    application: int
    reason: str
    declared_at: datetime


class RankingRowOut(Schema):
    position: int | None = Field(description="null for applications nobody has scored yet")
    application: int
    startup: str
    status: str
    judges: int
    raw_mean: float | None = Field(description="Mean of the judges' weighted totals, 1–5")
    normalised_mean: float | None = Field(description="Mean of the judges' z-scores")
    z_min: float | None
    z_max: float | None
    z_sd: float | None = Field(description="Spread: standard deviation of the judges' z-scores")


class RankingPage(Schema):
    count: int
    page: int
    pages: int
    results: list[RankingRowOut]


class DecisionsIn(Schema):
    applications: list[int] = Field(min_length=1, max_length=1000)
    decision: Literal["accepted", "waitlisted", "rejected"]


class DecisionsOut(Schema):
    changed: int = Field(description="How many applications changed (deciding the same again changes none)")


def _run(service, **kwargs):
    """Call a service: PermissionDenied answers 404 (as a missing id), ValidationError 400 with its
    messages."""
    try:
        return service(**kwargs)
    except PermissionDenied:
        raise HttpError(404, NOT_FOUND) from None
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None


def _pages(count: int, page: int, size: int = PAGE_SIZE) -> int:
    pages = max(1, -(-count // size))
    if page > pages:
        raise HttpError(404, f"page {page} does not exist; there are {pages}")
    return pages


def _call_out(call: Call, now) -> dict:
    return {"id": call.pk, "title": call.title, "organizer": call.organizer.name, "status": call.status,
            "deadline": call.deadline, "accepting": svc.is_open_for_applications(call, now),
            "countries": call.countries, "stages": call.stages, "url": f"/ventures/calls/{call.pk}/"}


def _visible_call(request, call_id: int) -> Call:
    call = Call.objects.select_related("organizer").filter(pk=call_id).first()
    if call is None or not permissions.can_view_call(request.auth, call):
        raise HttpError(404, NOT_FOUND)
    return call


def _staff_call(request, call_id: int) -> Call:
    call = Call.objects.select_related("organizer").filter(pk=call_id).first()
    if call is None or not permissions.can_run_call(request.auth, call):
        raise HttpError(404, NOT_FOUND)
    return call


def _application(request, application_id: int, check=permissions.can_view_application) -> CohortApplication:
    application = (CohortApplication.objects.select_related("call__organizer", "startup__organization")
                   .filter(pk=application_id).first())
    if application is None or not check(request.auth, application):
        raise HttpError(404, NOT_FOUND)
    return application


def _application_out(application: CohortApplication) -> ApplicationOut:
    answers = []
    for question, answer in svc.answers_by_question(application):
        if answer is None or answer.is_empty:
            continue
        file_url = (f"/ventures/applications/{application.pk}/files/{question.pk}/"
                    if question.kind == QuestionKind.FILE else None)
        value = answer.number if question.kind == QuestionKind.NUMBER else (answer.text or None)
        answers.append(AnswerOut(question=question.pk, value=value, file_url=file_url))
    missing = [q.pk for q in svc.missing_answers(application)] if application.status == "draft" else []
    return ApplicationOut(id=application.pk, call=application.call_id, startup=application.startup.organization.name,
                          startup_organization=application.startup.organization_id, status=application.status,
                          submitted_at=application.submitted_at, decided_at=application.decided_at, answers=answers,
                          missing=missing, url=f"/ventures/applications/{application.pk}/")


# --- calls -----------------------------------------------------------------------------------------

@router.get("/calls", response={200: CallPage, **errors(401, 404, 422)}, auth=PUBLIC, openapi_extra=PUBLIC_SECURITY,
            summary="Cohort calls: published ones, and the drafts of the programmes you run")
def call_list(request, page: int = Query(1, ge=1, le=MAX_PAGE)):
    queryset = svc.calls_for(user=request.auth)
    count = queryset.count()
    pages = _pages(count, page)
    now = timezone.now()
    rows = queryset[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return CallPage(count=count, page=page, pages=pages, results=[CallOut(**_call_out(c, now)) for c in rows])


@router.get("/calls/{call_id}", response={200: CallDetailOut, **errors(401, 404, 422)}, auth=PUBLIC,
            openapi_extra=PUBLIC_SECURITY, summary="One call with its questions and rubric")
def call_detail(request, call_id: int = Path(..., ge=1, le=MAX_ID)):
    call = _visible_call(request, call_id)
    return CallDetailOut(
        **_call_out(call, timezone.now()), description=call.description,
        questions=[QuestionOut(id=q.pk, kind=q.kind, prompt=q.prompt, help_text=q.help_text, required=q.required,
                               max_length=q.max_length, options=q.options, min_value=q.min_value,
                               max_value=q.max_value) for q in call.questions.all()],
        criteria=[CriterionOut(id=c.pk, name=c.name, description=c.description, weight=c.weight)
                  for c in call.criteria.all()])


# --- applications ----------------------------------------------------------------------------------

@router.post("/calls/{call_id}/applications", response={200: ApplicationOut, **errors(400, 401, 404, 422)},
             summary="Start your startup's application to an open call (the existing one if there is one)")
def application_create(request, body: ApplicationIn, call_id: int = Path(..., ge=1, le=MAX_ID)):
    call = _visible_call(request, call_id)
    organization = permissions.startup_organizations(request.auth).filter(pk=body.startup).first()
    if organization is None:
        raise HttpError(404, NOT_FOUND)
    return _application_out(_run(svc.application_create, actor=request.auth, call=call, organization=organization))


@router.get("/applications/{application_id}", response={200: ApplicationOut, **errors(401, 404, 422)},
            summary="An application: its status and answers")
def application_detail(request, application_id: int = Path(..., ge=1, le=MAX_ID)):
    return _application_out(_application(request, application_id))


def _preparing(request, application_id: int) -> CohortApplication:
    return _application(request, application_id, lambda u, a: permissions.can_apply(u, a.startup.organization))


@router.put("/applications/{application_id}/answers", response={200: ApplicationOut, **errors(400, 401, 404, 422)},
            summary="Save answers of a draft (text, choice and number questions)")
def answers_save(request, body: AnswersIn, application_id: int = Path(..., ge=1, le=MAX_ID)):
    """400 when an answer breaks its question's rule (length, option, bounds), names a question of
    another call, or the application was submitted (answers are frozen); nothing is saved then."""
    application = _preparing(request, application_id)
    _run(svc.answers_save, actor=request.auth, application=application,
         answers={a.question: a.value for a in body.answers})
    return _application_out(application)


@router.post("/applications/{application_id}/submit", response={200: ApplicationOut, **errors(400, 401, 404, 422)},
             summary="Submit a draft: eligibility, required answers and the deadline are checked now")
def application_submit(request, application_id: int = Path(..., ge=1, le=MAX_ID)):
    application = _preparing(request, application_id)
    return _application_out(_run(svc.application_submit, actor=request.auth, application=application))


# --- judging ---------------------------------------------------------------------------------------

@router.get("/judging/queue", response={200: QueuePage, **errors(401, 404, 422)},
            summary="The applications you judge across your panels (conflicts left out)")
def judge_queue(request, page: int = Query(1, ge=1, le=MAX_PAGE)):
    queryset = judging.judge_queue(user=request.auth)
    count = queryset.count()
    pages = _pages(count, page)
    rows = queryset[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return QueuePage(count=count, page=page, pages=pages, results=[QueueItemOut(
        application=a.pk, call=a.call_id, call_title=a.call.title, startup=a.startup.organization.name,
        score="submitted" if a.my_submitted_at else "draft" if a.my_score_id else "none") for a in rows])


def _score_out(request, application: CohortApplication) -> ScoreOut:
    score = judging.score_of(user=request.auth, application=application)
    others = judging.other_scores(user=request.auth, application=application)
    return ScoreOut(application=application.pk, marks=score.marks if score else {},
                    comment=score.comment if score else "", submitted_at=score.submitted_at if score else None,
                    others=None if others is None else [
                        OtherScoreOut(judge=s.judge.display_name, marks=s.marks, comment=s.comment) for s in others])


def _judged(request, application_id: int) -> CohortApplication:
    return _application(request, application_id, permissions.can_judge)


@router.get("/judging/{application_id}/score", response={200: ScoreOut, **errors(401, 404, 422)},
            summary="Your score of an application you judge (and the others' once yours is submitted)")
def score_detail(request, application_id: int = Path(..., ge=1, le=MAX_ID)):
    return _score_out(request, _judged(request, application_id))


def _scoring(request, application_id: int, service, **kwargs) -> ScoreOut:
    application = _judged(request, application_id)
    _run(service, actor=request.auth, application=application, **kwargs)
    return _score_out(request, application)


@router.put("/judging/{application_id}/score", response={200: ScoreOut, **errors(400, 401, 404, 422)},
            summary="Save your draft score (400 once submitted: it is locked)")
def score_save(request, body: ScoreIn, application_id: int = Path(..., ge=1, le=MAX_ID)):
    return _scoring(request, application_id, judging.score_save, marks=body.marks, comment=body.comment)


@router.post("/judging/{application_id}/score/submit", response={200: ScoreOut, **errors(400, 401, 404, 422)},
             summary="Submit your saved score: every criterion marked; locked after (twice changes nothing)")
def score_submit(request, application_id: int = Path(..., ge=1, le=MAX_ID)):
    return _scoring(request, application_id, judging.score_submit)


@router.post("/judging/{application_id}/conflict", response={200: ConflictOut, **errors(400, 401, 404, 422)},
             summary="Declare a conflict of interest: the application leaves your queue for good")
def conflict_declare(request, body: ConflictIn, application_id: int = Path(..., ge=1, le=MAX_ID)):
    application = _judged(request, application_id)
    conflict = _run(judging.conflict_declare, actor=request.auth, application=application, reason=body.reason)
    return ConflictOut(application=application.pk, reason=conflict.reason, declared_at=conflict.declared_at)


# --- staff -----------------------------------------------------------------------------------------

@router.get("/calls/{call_id}/ranking", response={200: RankingPage, **errors(401, 404, 422)},
            summary="The ranking of a call's applications (its programme staff)")
def call_ranking(request, call_id: int = Path(..., ge=1, le=MAX_ID), page: int = Query(1, ge=1, le=MAX_PAGE),
                 sort: Literal["normalised", "raw", "judges", "spread"] = "normalised",
                 direction: Literal["desc", "asc"] = "desc"):
    call = _staff_call(request, call_id)
    rows = judging.ranking(call=call, sort=sort, descending=direction == "desc")
    size = 50
    pages = _pages(len(rows), page, size)
    return RankingPage(count=len(rows), page=page, pages=pages, results=[RankingRowOut(
        position=r.position, application=r.application.pk, startup=r.application.startup.organization.name,
        status=r.application.status, judges=r.judges, raw_mean=r.raw_mean, normalised_mean=r.normalised_mean,
        z_min=r.z_min, z_max=r.z_max, z_sd=r.z_sd) for r in rows[(page - 1) * size: page * size]])


@router.post("/calls/{call_id}/decisions", response={200: DecisionsOut, **errors(400, 401, 404, 422)},
             summary="Accept, waitlist or reject applications (the call closed for review); each change is mailed")
def call_decide(request, body: DecisionsIn, call_id: int = Path(..., ge=1, le=MAX_ID)):
    call = _staff_call(request, call_id)
    return DecisionsOut(changed=_run(svc.applications_decide, actor=request.auth, call=call,
                                     application_ids=body.applications, decision=body.decision))
