"""Talent pages: profiles (your own, its edit form, the shareable link, a person's page for partner
employers) and a career office's students with their placement."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_countries.fields import Country

from forward.core.models import MAX_ID, Organization
from forward.core.storage import download_response

from . import permissions, profiles
from .models import Availability, Profile, Visibility

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

STUDENTS_PER_PAGE = 50

VISIBILITY_HELP: dict[str, _StrPromise] = {
    Visibility.HIDDEN: gettext_lazy("Only you see your profile. It appears in no search, recommendation or "
                                    "API answer. Your university still sees whether you have applied or been "
                                    "placed, never your profile."),
    Visibility.PARTNERS: gettext_lazy("The people who act for verified partner employers (and the programme's "
                                      "operators) can find your profile, see it ranked for their openings and "
                                      "invite you to apply."),
    Visibility.PUBLIC: gettext_lazy("As for partners, and anyone with your shareable link can see it, without "
                                    "signing in. You can replace the link at any time."),
}


class ProfileForm(forms.Form):
    headline = forms.CharField(label=gettext_lazy("Headline"), max_length=140, required=False,
                               help_text=gettext_lazy("One line, e.g. “Data engineering student, NTU, 2027”."))
    about = forms.CharField(label=gettext_lazy("About you"), max_length=4000, required=False,
                            widget=forms.Textarea(attrs={"rows": 6}))
    links = forms.CharField(label=gettext_lazy("Links"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=gettext_lazy("One per line, at most 5, each starting with https:// — "
                                                   "optionally “label https://…”."))
    languages = forms.CharField(label=gettext_lazy("Languages you speak"), required=False, max_length=200,
                                help_text=gettext_lazy("Language codes separated by commas, e.g. en, zh-hans, ms."))
    available_for = forms.MultipleChoiceField(label=gettext_lazy("Available for"), choices=Availability.choices,
                                              required=False, widget=forms.CheckboxSelectMultiple)
    available_from = forms.DateField(label=gettext_lazy("Available from"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    countries = forms.CharField(label=gettext_lazy("Countries you can work in"), required=False, max_length=400,
                                help_text=gettext_lazy("Two-letter codes separated by commas, e.g. SG, MY, ID."))
    cv = forms.FileField(label=gettext_lazy("CV (PDF, at most 2 MB)"), required=False,
                         widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))
    remove_cv = forms.BooleanField(label=gettext_lazy("Remove my CV"), required=False)

    @staticmethod
    def initial_for(profile: Profile) -> dict:
        return {
            "headline": profile.headline, "about": profile.about,
            "links": "\n".join(f"{link['label']} {link['url']}" for link in profile.links),
            "languages": ", ".join(profile.languages), "available_for": profile.available_for,
            "available_from": profile.available_from, "countries": ", ".join(profile.country_list),
        }

    def changes(self) -> dict:
        data = self.cleaned_data
        links = []
        for line in data["links"].splitlines():
            words = line.split()
            if words:
                links.append({"label": " ".join(words[:-1]), "url": words[-1]})
        split = lambda text: [x for x in text.replace(";", ",").replace(" ", ",").split(",") if x]  # noqa: E731
        return {"headline": data["headline"], "about": data["about"], "links": links,
                "languages": split(data["languages"]), "available_for": data["available_for"],
                "available_from": data["available_from"], "countries": split(data["countries"])}


def _person_context(request, profile: Profile, *, via_link: bool = False) -> dict:
    labels = dict(Availability.choices)
    cv_url = ""
    if profile.cv.name:
        cv_url = (reverse("talent:public_cv", args=[profile.public_token]) if via_link
                  else reverse("talent:person_cv", args=[profile.pk]))
    return {"profile": profile, "person": profile.user, "section": profiles.verified_section(profile.user),
            "via_link": via_link, "availability": [labels[a] for a in profile.available_for if a in labels],
            "countries": [Country(code) for code in profile.country_list],
            "languages": profiles.language_names(profile.languages), "cv_url": cv_url}


@login_required
def profile_own(request):
    profile = profiles.profile_read(request.user)
    return render(request, "talent/profiles/own.html", {
        **_person_context(request, profile), "own": True,
        "visibility_choices": [(value, label, VISIBILITY_HELP[value]) for value, label in Visibility.choices],
        "public_url": profiles.public_url(profile) if profile.visibility == Visibility.PUBLIC else "",
    })


@login_required
def profile_edit(request):
    profile = profiles.profile_read(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                if form.cleaned_data["cv"]:
                    profiles.check_cv(form.cleaned_data["cv"])  # before anything is stored
                profiles.profile_update(user=request.user, **form.changes())
                if form.cleaned_data["cv"]:
                    profiles.cv_upload(user=request.user, upload=form.cleaned_data["cv"])
                elif form.cleaned_data["remove_cv"]:
                    profiles.cv_remove(user=request.user)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, errors in exc.message_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Saved. This is what you declare; it is shown apart from your "
                                            "verified achievements."))
                return redirect("talent:profile")
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(profile))
    return render(request, "talent/profiles/edit.html", {"form": form, "profile": profile})


@require_POST
@login_required
def profile_visibility(request):
    try:
        profile = profiles.set_visibility(user=request.user, visibility=request.POST.get("visibility", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved: %(choice)s.") % {"choice": profile.get_visibility_display()})
    return redirect("talent:profile")


@require_POST
@login_required
def profile_link(request):
    profiles.new_public_link(user=request.user)
    messages.success(request, _("Your profile has a new shareable link; the old one no longer works."))
    return redirect("talent:profile")


@login_required
def profile_resume(request):
    document = profiles.json_resume(request.user)
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="resume.json"'
    return response


def _cv_response(request, profile: Profile):
    if not profile.cv.name:
        raise Http404
    return download_response(request, profile.cv.name, content_type="application/pdf",
                             filename=f"cv-{profile.user.display_name or profile.pk}.pdf")


def public_profile(request, token: str):
    """Anyone, while the profile is public; the same 404 as an unknown link otherwise."""
    profile = profiles.public_profile(token)
    if profile is None:
        raise Http404
    return render(request, "talent/profiles/person.html", _person_context(request, profile, via_link=True))


def public_cv(request, token: str):
    profile = profiles.public_profile(token)
    if profile is None:
        raise Http404
    return _cv_response(request, profile)


def _viewable(request, profile_id: int) -> Profile:
    if profile_id > MAX_ID:
        raise Http404
    profile = get_object_or_404(Profile.objects.select_related("user"), pk=profile_id)
    if not permissions.can_view_person(request.user, profile):
        raise Http404  # the same answer as an id that does not exist
    return profile


def person(request, profile_id: int):
    profile = _viewable(request, profile_id)
    return render(request, "talent/profiles/person.html", _person_context(request, profile))


def person_cv(request, profile_id: int):
    return _cv_response(request, _viewable(request, profile_id))


def students(request, slug: str):
    """A career office's students with their placement (never employers' notes)."""
    university = get_object_or_404(Organization, slug=slug)
    if not permissions.can_see_students(request.user, university):
        raise Http404
    page = Paginator(profiles.students(university=university), STUDENTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"membership": m, "user": m.user, "placement": profiles.placement_of(m.best),
             "label": profiles.Placement.LABELS[profiles.placement_of(m.best)]} for m in page.object_list]
    counts = profiles.placement_counts(university=university)
    return render(request, "talent/profiles/students.html", {
        "university": university, "page": page, "rows": rows,
        "counts": [(key, profiles.Placement.LABELS[key], counts[key]) for key in profiles.PLACEMENT_ORDER],
    })


urlpatterns = [
    path("profile/", profile_own, name="profile"),
    path("profile/edit/", profile_edit, name="profile_edit"),
    path("profile/visibility/", profile_visibility, name="profile_visibility"),
    path("profile/link/", profile_link, name="profile_link"),
    path("profile/resume.json", profile_resume, name="profile_resume"),
    path("p/<str:token>/", public_profile, name="public_profile"),
    path("p/<str:token>/cv.pdf", public_cv, name="public_cv"),
    path("people/<int:profile_id>/", person, name="person"),
    path("people/<int:profile_id>/cv.pdf", person_cv, name="person_cv"),
    path("universities/<slug:slug>/students/", students, name="students"),
]
