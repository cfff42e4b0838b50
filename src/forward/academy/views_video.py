"""An uploaded lesson video, streamed with HTTP Range support so the player can seek."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from .models import Course, CourseStatus, Lesson, LessonKind
from .permissions import can_view_course
from .video import video_response


@require_safe
def lesson_video(request: HttpRequest, slug: str, lesson: str) -> HttpResponseBase:
    """Public like the lesson page: anyone may watch a published course's videos, with no account;
    a draft's videos only its team (who preview it). The file is the lesson's own upload: its
    storage name comes from the database, never from the URL."""
    course = get_object_or_404(Course.objects.only("pk", "status", "owner_id"), slug=slug)
    published = course.status == CourseStatus.PUBLISHED
    if not can_view_course(request.user, course):
        raise Http404
    item = get_object_or_404(Lesson.objects.only("pk", "video_file"), course=course, slug=lesson,
                             kind=LessonKind.VIDEO)
    if not item.video_file:
        raise Http404
    return video_response(request, storage_name=item.video_file, private=not published)
