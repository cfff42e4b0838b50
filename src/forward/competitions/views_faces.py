"""The competition banner upload (host settings): the host's admins and staff."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST

from forward.core.views_faces import picture_post

from . import permissions
from .models import Competition


@login_required
@require_POST
def competition_banner(request: HttpRequest, slug: str) -> HttpResponse:
    competition = get_object_or_404(Competition.objects.select_related("host"), slug=slug)
    if not permissions.can_view(request.user, competition):
        raise Http404
    if not permissions.is_host(request.user, competition):
        raise PermissionDenied
    return picture_post(request, target=competition, organization=competition.host,
                        fallback=reverse("competitions:host", kwargs={"slug": competition.slug}))
