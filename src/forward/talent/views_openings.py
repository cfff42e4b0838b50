"""Talent pages: openings. Thin: parse, check permission (talent.permissions), call talent.openings, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from forward.core import permissions as core_permissions
from forward.core.markdown import render_markdown
from forward.core.models import Organization, OrganizationKind
from forward.core.types import AuthedRequest
from forward.credentials.models import CredentialKind

from . import openings, permissions
from .forms_openings import OpeningForm, SearchForm
from .models import Opening, OpeningStatus, Remote


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _amount(value) -> str:
    return formats.number_format(value, decimal_pos=0 if value == value.to_integral() else 2, force_grouping=True)


def pay_label(opening: Opening) -> str:
    low, high = opening.pay_min, opening.pay_max
    if low is None and high is None:
        return ""
    if low is not None and high is not None and low != high:
        amount = f"{_amount(low)}–{_amount(high)}"
    elif low is not None and high is None:
        amount = _("from %(amount)s") % {"amount": _amount(low)}
    elif low is None:
        amount = _("up to %(amount)s") % {"amount": _amount(high)}
    else:
        amount = _amount(low)
    return f"{opening.currency} {amount} {opening.get_pay_period_display()}".strip()


def location_label(opening: Opening) -> str:
    country = opening.country.name if opening.country else ""
    place = ", ".join(p for p in (opening.city, country if country != opening.city else "") if p)
    if opening.remote == Remote.REMOTE:
        return _("Remote") + (f" · {place}" if place else "")
    if opening.remote == Remote.HYBRID:
        return f"{place} · {_('hybrid')}" if place else _("Hybrid")
    return place


def _decorate(opening: Opening) -> Opening:
    opening.pay_label = pay_label(opening)
    opening.location_label = location_label(opening)
    return opening


def _credential_labels(opening: Opening) -> list[str]:
    names = dict(CredentialKind.choices)
    levels = {1: _("associate"), 2: _("professional"), 3: _("expert")}
    labels = []
    for entry in opening.required_credentials or []:
        label = str(names.get(entry.get("kind"), entry.get("kind")))
        if entry.get("level"):
            label = _("%(kind)s, level %(level)s (%(name)s) or above") % {
                "kind": label, "level": entry["level"], "name": levels.get(entry["level"], "")}
        labels.append(label)
    return labels


# --- public ----------------------------------------------------------------------------------------


def opening_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    filters = form.filters() if request.GET else openings.SearchFilters()
    page = openings.search_page(filters, page=request.GET.get("page"))
    for opening in page.object_list:
        _decorate(opening)
    return render(request, "talent/openings/list.html", {
        "form": form, "page": page, "filters": filters, "query_items": filters.querystring_items(),
        "filtered": bool(filters.querystring_items()),
        "more_filters": any(request.GET.get(n) for n in ("remote", "min_pay", "currency", "pay_period", "employer")),
    })


def opening_detail(request: HttpRequest, uuid) -> HttpResponse:
    opening = openings.opening_visible(user=request.user, uuid=uuid)
    if opening is None:
        raise Http404
    _decorate(opening)
    can_edit = permissions.can_edit_opening(request.user, opening)
    accepting = openings.is_accepting(opening)
    return render(request, "talent/openings/detail.html", {
        "opening": opening, "description_html": render_markdown(opening.description),
        "can_edit": can_edit, "accepting": accepting,
        "can_publish": can_edit and permissions.can_act_for_employer(request.user, opening.organization),
        "can_feature": permissions.can_feature_opening(request.user),
        "credential_labels": _credential_labels(opening),
        "eligible_countries": [countries.name(c) for c in openings.eligible_country_codes(opening)],
        "apply_url": reverse("talent:opening_detail", args=[opening.uuid]) + "apply/",
        "deadline_passed": opening.deadline is not None and not accepting and opening.status == OpeningStatus.OPEN,
        "history": [_history_row(e) for e in openings.opening_history(opening=opening)] if can_edit else [],
    })


def _history_row(event) -> dict:
    labels = {"opening.create": _("created the draft"), "opening.edit": _("edited"), "opening.publish": _("published"),
              "opening.close": _("closed"), "opening.reopen": _("reopened"), "opening.feature": _("featured"),
              "opening.unfeature": _("stopped featuring")}
    fields = sorted((event.data or {}).get("changed", {})) if event.action == "opening.edit" else []
    return {"at": event.created_at, "who": event.actor.display_name if event.actor else _("someone"),
            "what": labels.get(event.action, event.action), "fields": [f.replace("_", " ") for f in fields]}


# --- employers -------------------------------------------------------------------------------------


def _employer(request: AuthedRequest, slug: str) -> Organization:
    organization = get_object_or_404(Organization, slug=slug, kind=OrganizationKind.EMPLOYER)
    if not permissions.can_prepare_openings(request.user, organization):
        raise Http404  # another organization's openings page gives nothing away
    return organization


def _editable(request: AuthedRequest, uuid) -> Opening:
    opening = openings.opening_editable(user=request.user, uuid=uuid)
    if opening is None:
        raise Http404
    return opening


@login_required
def employer_home(request: AuthedRequest) -> HttpResponse:
    """"Our openings": the employers this person prepares openings for (straight there if one)."""
    employers = list(core_permissions.acting_organizations(request.user).filter(kind=OrganizationKind.EMPLOYER)
                     .order_by("name"))
    if len(employers) == 1:
        return redirect("talent:employer_openings", slug=employers[0].slug)
    return render(request, "talent/openings/employers.html", {"employers": employers})


@login_required
def employer_openings(request: AuthedRequest, slug: str) -> HttpResponse:
    organization = _employer(request, slug)
    page = Paginator(openings.employer_openings(organization=organization), openings.PAGE_SIZE).get_page(
        request.GET.get("page"))
    for opening in page.object_list:
        _decorate(opening)
    return render(request, "talent/openings/employer.html", {
        "organization": organization, "page": page,
        "can_publish": permissions.can_act_for_employer(request.user, organization),
    })


@login_required
def opening_create(request: AuthedRequest, slug: str) -> HttpResponse:
    organization = _employer(request, slug)
    form = OpeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opening = openings.opening_create(actor=request.user, organization=organization, **form.service_fields())
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Draft saved. Check it, then publish it when it is ready."))
            return redirect("talent:opening_detail", uuid=opening.uuid)
    return render(request, "talent/openings/form.html", {"form": form, "organization": organization, "opening": None})


@login_required
def opening_edit(request: AuthedRequest, uuid) -> HttpResponse:
    opening = _editable(request, uuid)
    form = OpeningForm(request.POST or None, initial=OpeningForm.initial_for(opening))
    if request.method == "POST" and form.is_valid():
        try:
            openings.opening_update(actor=request.user, opening=opening, **form.service_fields())
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("talent:opening_detail", uuid=opening.uuid)
    return render(request, "talent/openings/form.html", {
        "form": form, "organization": opening.organization, "opening": opening})


def _action(request: AuthedRequest, uuid, service, success: str, **kwargs) -> HttpResponse:
    opening = openings.opening_visible(user=request.user, uuid=uuid)
    if opening is None:
        raise Http404
    try:
        service(actor=request.user, opening=opening, **kwargs)
    except PermissionDenied as exc:
        if not permissions.can_edit_opening(request.user, opening) and service is not openings.opening_feature:
            raise Http404 from None  # what is not theirs does not exist for them
        messages.error(request, str(exc) or _("You may not do that."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, success)
    return redirect("talent:opening_detail", uuid=opening.uuid)


@login_required
@require_POST
def opening_publish(request: AuthedRequest, uuid) -> HttpResponse:
    return _action(request, uuid, openings.opening_publish, _("The opening is open: people can find it and apply."))


@login_required
@require_POST
def opening_close(request: AuthedRequest, uuid) -> HttpResponse:
    return _action(request, uuid, openings.opening_close, _("The opening is closed: it takes no more applications."))


@login_required
@require_POST
def opening_feature(request: AuthedRequest, uuid) -> HttpResponse:
    if not permissions.can_feature_opening(request.user):
        raise Http404
    featured = request.POST.get("featured", "yes") != "no"
    return _action(request, uuid, openings.opening_feature,
                   _("Featured: it comes first in search.") if featured else _("No longer featured."),
                   featured=featured)


urlpatterns = [
    path("openings/", opening_list, name="opening_list"),
    path("openings/<uuid:uuid>/", opening_detail, name="opening_detail"),
    path("openings/<uuid:uuid>/edit/", opening_edit, name="opening_edit"),
    path("openings/<uuid:uuid>/publish/", opening_publish, name="opening_publish"),
    path("openings/<uuid:uuid>/close/", opening_close, name="opening_close"),
    path("openings/<uuid:uuid>/feature/", opening_feature, name="opening_feature"),
    path("employers/", employer_home, name="employer_home"),
    path("employers/<slug:slug>/openings/", employer_openings, name="employer_openings"),
    path("employers/<slug:slug>/openings/new/", opening_create, name="opening_create"),
]
