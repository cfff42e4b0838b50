"""Operators set the programme's targets: the list, a new target, editing one, deleting one (after a
confirmation, by POST). Thin: parse, check permission, call ``services``, render. Anyone else signed in
gets 403; anonymous visitors are sent to sign in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from forward.core.types import AuthedRequest

from . import measures, permissions, services
from .forms import TargetForm
from .models import Target

PAGE_SIZE = 50


def _check(request: HttpRequest) -> None:
    if not permissions.can_manage_targets(request.user):
        raise PermissionDenied


def _target(pk: int) -> Target:
    row = Target.objects.select_related("programme", "university").filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def _save(request: HttpRequest, form: TargetForm, write) -> Target | None:
    """Validate the form and call the service; its field errors land on the form's fields."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return write(**form.values())
    except ValidationError as exc:
        form.add_error(None, exc)
    return None


@login_required
def target_list(request: AuthedRequest) -> HttpResponse:
    _check(request)
    page = Paginator(Target.objects.select_related("programme", "university"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    names = {m.slug: m.name for m in measures.all_measures()}
    for row in page.object_list:
        row.measure_name = names.get(row.measure, row.measure)
    return render(request, "impact/targets.html", {"page": page})


@login_required
def target_create(request: AuthedRequest) -> HttpResponse:
    _check(request)
    form = TargetForm(request.POST or None)
    row = _save(request, form, lambda **fields: services.target_create(actor=request.user, **fields))
    if row is not None:
        messages.success(request, _("The target “%(title)s” is set.") % {"title": row})
        return redirect("impact:targets")
    return render(request, "impact/targets_form.html", {"form": form, "target": None})


@login_required
def target_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    _check(request)
    row = _target(pk)
    form = TargetForm(request.POST or None, initial=TargetForm.initial_for(row))
    saved = _save(request, form, lambda **fields: services.target_update(actor=request.user, target=row, **fields))
    if saved is not None:
        messages.success(request, _("The target “%(title)s” is saved.") % {"title": saved})
        return redirect("impact:targets")
    return render(request, "impact/targets_form.html", {"form": form, "target": row})


@login_required
def target_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    _check(request)
    row = _target(pk)
    if request.method == "POST":
        services.target_delete(actor=request.user, target=row)
        messages.success(request, _("The target “%(title)s” is deleted.") % {"title": row})
        return redirect("impact:targets")
    return render(request, "impact/targets_delete.html", {"target": row,
                                                          "measure": measures.get(row.measure)})
