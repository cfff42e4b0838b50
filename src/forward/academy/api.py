"""The /api/v1 endpoints of the academy."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from . import services

router = Router(tags=["academy"])


class ProgressEventIn(Schema):
    lesson: int
    position: float = Field(0, ge=0, description="seconds into the video")
    completed: bool = False
    at: datetime = Field(description="when the player saw it (the newest position wins)")


class ProgressBatchIn(Schema):
    events: list[ProgressEventIn]


class ProgressBatchOut(Schema):
    applied: int
    ignored: list[str]


@router.post("/academy/progress", response=ProgressBatchOut,
             summary="Video positions and completions, batched by the player every few seconds")
def progress(request, batch: ProgressBatchIn):
    try:
        result = services.progress_apply(user=request.auth, events=[
            services.ProgressEvent(lesson_id=e.lesson, position=e.position, completed=e.completed, at=e.at)
            for e in batch.events])
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None
    return ProgressBatchOut(applied=result.applied, ignored=result.ignored)
