"""Talent pages: recommendations, explained. Thin: check permission, ask talent.recommend, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, path, reverse

from . import permissions, recommend
from .models import Opening


def link(name: str, arg, fallback: str) -> str:
    """A page another area serves (the opening's page, a person's profile page), by its URL name;
    its documented path while that area is not in this tree."""
    try:
        return reverse(name, args=[arg])
    except NoReverseMatch:
        return fallback


def opening_url(opening: Opening) -> str:
    return link("talent:opening_detail", opening.uuid, f"/talent/openings/{opening.uuid}/")


def person_url(profile_id: int) -> str:
    return link("talent:person", profile_id, f"/talent/people/{profile_id}/")


@login_required
def recommended(request: HttpRequest) -> HttpResponse:
    page = recommend.openings_for(user=request.user, page=request.GET.get("page"))
    for item in page.object_list:
        item.url = opening_url(item.opening)
    return render(request, "talent/recommendations/openings.html", {"page": page})


@login_required
def candidates(request: HttpRequest, uuid) -> HttpResponse:
    opening = get_object_or_404(Opening.objects.select_related("organization"), uuid=uuid)
    if not permissions.can_see_candidates(request.user, opening):
        raise Http404  # another employer's opening, or an employer not yet verified: nothing to see here
    page = recommend.candidates_for(opening=opening, page=request.GET.get("page"))
    for item in page.object_list:
        item.url = person_url(item.profile.pk)
    return render(request, "talent/recommendations/candidates.html",
                  {"page": page, "opening": opening, "opening_url": opening_url(opening)})


urlpatterns = [
    path("recommended/", recommended, name="recommended"),
    path("openings/<uuid:uuid>/candidates/", candidates, name="opening_candidates"),
]
