"""The course thumbnail upload (course studio): the course team and the owner's admins."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from forward.core.types import AuthedRequest
from forward.core.views_faces import picture_post

from .views_authoring import _authored


@login_required
@require_POST
def course_thumbnail(request: AuthedRequest, slug: str) -> HttpResponse:
    course = _authored(request, slug)  # 404 to anyone outside the course team
    return picture_post(request, target=course, organization=course.owner,
                        fallback=reverse("academy:studio_edit", kwargs={"slug": course.slug}))
