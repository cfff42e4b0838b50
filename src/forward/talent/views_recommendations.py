"""Talent pages: recommendations, explained. Thin: check permission, ask talent.recommend, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forward.core.types import AuthedRequest
from forward.matching import fit as fitlib

from . import permissions, recommend
from .models import Opening

TERM_LABELS = {
    "requirements": gettext_lazy("Meets every requirement"), "required_skills": gettext_lazy("Required skills"),
    "required_credentials": gettext_lazy("Required credentials"), "preferred_skills": gettext_lazy("Preferred skills"),
    "level": gettext_lazy("Certification level"), "grade": gettext_lazy("Course grade"),
    "percentile": gettext_lazy("Competition placing"), "country": gettext_lazy("Country"),
    "availability": gettext_lazy("Availability"), "start": gettext_lazy("Start date"),
}
LEVELS = {1: gettext_lazy("associate"), 2: gettext_lazy("professional"), 3: gettext_lazy("expert")}
CREDENTIAL_KINDS = {
    "competition": gettext_lazy("a competition award"), "programme": gettext_lazy("a programme certificate"),
    "course_achievement": gettext_lazy("a course certificate of achievement"),
    "course_completion": gettext_lazy("a course certificate of completion"),
}


def credential_phrase(kind: str, level: int) -> str:
    """What a required credential asks for, in words: "a professional certification or higher"."""
    if kind == "certification":
        if level >= 3:
            return _("an expert certification")
        if level == 2:
            return _("a professional certification or higher")
        if level == 1:
            return _("an associate certification or higher")
        return _("a certification")
    return str(CREDENTIAL_KINDS.get(kind, kind))


def _why(t: fitlib.Term) -> str:
    d = t.detail
    if t.code == "requirements":
        return _("all met") if d["met"] else _("not all met: listed below everyone who meets them")
    if t.code in ("required_skills", "required_credentials", "preferred_skills"):
        return _("%(met)d of %(of)d") % d if d["of"] else _("none asked")
    if t.code == "level":
        return str(LEVELS[d["best_level"]]) if d["best_level"] in LEVELS else _("no certification")
    if t.code == "grade":
        return (_("best grade %(grade)s") % {"grade": number_format(d["best_grade"], 2)}
                if d["best_grade"] is not None else _("no graded course"))
    if t.code == "percentile":
        return (_("best placing: percentile %(p)s (100 is first)") % {"p": number_format(d["best_percentile"], 0)}
                if d["best_percentile"] is not None else _("no competition placing"))
    if t.code == "country":
        if not d["eligible"]:
            return _("open to any country")
        if not d["candidate"]:
            return _("countries not declared")
        return _("can work in an eligible country") if d["share"] else _("no eligible country")
    if t.code == "availability":
        if d["share"] == 1:
            return _("available for this kind of work")
        return _("availability not declared") if d["share"] else _("not looking for this kind of work")
    if d["weeks_late"]:
        return _("available %(weeks)s weeks after the start") % {"weeks": number_format(d["weeks_late"], 0)}
    return _("available in time")


def explain(item) -> None:
    """Put the fit into words for the page: each term's label, points and why; each required
    credential as a phrase."""
    fit = item.fit
    item.terms = [{"label": TERM_LABELS[t.code], "points": t.points, "max_points": t.max_points, "why": _why(t)}
                  for t in fit.terms]
    item.credentials_met = [{**c, "phrase": credential_phrase(c["kind"], c["level"])} for c in fit.credentials_met]
    item.credentials_missing = [credential_phrase(c["kind"], c["level"]) for c in fit.credentials_missing]


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
def recommended(request: AuthedRequest) -> HttpResponse:
    page = recommend.openings_for(user=request.user, page=request.GET.get("page"))
    for item in page.object_list:
        item.url = opening_url(item.opening)
        explain(item)
    return render(request, "talent/recommendations/openings.html", {"page": page})


@login_required
def candidates(request: AuthedRequest, uuid) -> HttpResponse:
    opening = get_object_or_404(Opening.objects.select_related("organization"), uuid=uuid)
    if not permissions.can_see_candidates(request.user, opening):
        raise Http404  # another employer's opening, or an employer not yet verified: nothing to see here
    page = recommend.candidates_for(opening=opening, page=request.GET.get("page"))
    for item in page.object_list:
        item.url = person_url(item.profile.pk)
        explain(item)
    return render(request, "talent/recommendations/candidates.html",
                  {"page": page, "opening": opening, "opening_url": opening_url(opening)})


urlpatterns = [
    path("recommended/", recommended, name="recommended"),
    path("openings/<uuid:uuid>/candidates/", candidates, name="opening_candidates"),
]
