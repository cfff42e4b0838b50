"""The /api/v1 endpoints of the academy."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import File, Path, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import Field

from forward.api_common import errors
from forward.core.models import MAX_ID

from . import labs, permissions, services
from .models import LabSubmission, LabTask

router = Router(tags=["academy"])


class ProgressEventIn(Schema):
    lesson: int = Field(ge=1, le=MAX_ID, description="the lesson's id")
    position: float = Field(0, ge=0, le=services.MAX_POSITION_SECONDS, allow_inf_nan=False,
                            description="seconds into the video (finite, at most a day)")
    completed: bool = False
    at: datetime = Field(description="when the player saw it (the newest position wins); not in the future "
                                     "(5 minutes of clock skew allowed) and not more than a year ago")


class ProgressBatchIn(Schema):
    events: list[ProgressEventIn] = Field(max_length=services.MAX_EVENTS)


class ProgressBatchOut(Schema):
    applied: int
    ignored: list[str]


@router.post("/academy/progress", response={200: ProgressBatchOut, **errors(400, 401, 403, 413, 422)},
             summary="Video positions and completions, batched by the player every few seconds",
             description="Events for lessons that do not exist, or of courses you are not enrolled in, are "
                         "ignored and listed. A batch with an event in the future or more than a year old is "
                         "refused whole (400), and nothing is stored.")
def progress(request, batch: ProgressBatchIn):
    try:
        result = services.progress_apply(user=request.auth, events=[
            services.ProgressEvent(lesson_id=e.lesson, position=e.position, completed=e.completed, at=e.at)
            for e in batch.events])
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None
    return ProgressBatchOut(applied=result.applied, ignored=result.ignored)


class LabSubmissionOut(Schema):
    id: int
    lab: int
    status: str
    score: float | None
    passed: bool
    error: str
    created_at: datetime
    scored_at: datetime | None
    left_today: int | None = None


def _lab_submission_out(submission: LabSubmission, left_today: int | None = None) -> LabSubmissionOut:
    return LabSubmissionOut(id=submission.pk, lab=submission.lab_id, status=submission.status, score=submission.score,
                            passed=submission.passed, error=submission.error, created_at=submission.created_at,
                            scored_at=submission.scored_at, left_today=left_today)


def _visible_lab(request, lab_id: int) -> LabTask:
    lab = LabTask.objects.select_related("lesson__course").filter(pk=lab_id).first()
    if lab is None or not permissions.can_open_lab(request.auth, lab):
        raise HttpError(404, "Not found.")
    return lab


@router.post("/academy/labs/{lab_id}/submissions",
             response={201: LabSubmissionOut, **errors(400, 401, 403, 404, 413, 422)},
             summary="Submit a lab's predictions (multipart: file); scored by a worker, poll the status")
def lab_submission_create(request, lab_id: int = Path(..., ge=1, le=MAX_ID),
                          file: UploadedFile = File(...)):  # noqa: B008
    lab = _visible_lab(request, lab_id)
    try:
        submission = labs.lab_submission_create(user=request.auth, lab=lab, upload=file)
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None
    except PermissionDenied:
        raise HttpError(403, "You may not submit to this lab.") from None
    submission.refresh_from_db()
    left = max(0, lab.max_daily_submissions - labs.submissions_used_today(lab=lab, user=request.auth))
    return Status(201, _lab_submission_out(submission, left))


@router.get("/academy/labs/{lab_id}/submissions/{submission_id}",
            response={200: LabSubmissionOut, **errors(401, 404, 422)},
            summary="A lab submission: its status, score and the error to fix")
def lab_submission_detail(request, lab_id: int = Path(..., ge=1, le=MAX_ID),
                          submission_id: int = Path(..., ge=1, le=MAX_ID)):
    submission = (LabSubmission.objects.select_related("lab__lesson__course", "enrolment__run")
                  .filter(pk=submission_id, lab_id=lab_id).first())
    if submission is None or not permissions.can_view_lab_submission(request.auth, submission):
        raise HttpError(404, "Not found.")  # the same answer as a missing id
    return _lab_submission_out(submission)
