"""The /api/v1 endpoints of the academy."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from forward.api_common import errors
from forward.core.models import MAX_ID

from . import services

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
