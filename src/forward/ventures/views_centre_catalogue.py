"""Innovation centre pages for its programme staff: the services catalogue (every service, retired
ones included), adding and editing a service, retiring and reactivating it. Thin: parse, check
permission, call services_catalogue, render. Not staff of the centre: 404, like a missing id."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forward.core.types import AuthedRequest

from . import permissions, readiness
from . import services_catalogue as catalogue
from .forms_centre import ServiceForm
from .models import CentreService
from .views_centre_common import PAGE_SIZE, _obj, attempt, staff_centre


def _managed(request: HttpRequest, pk: int) -> CentreService:
    row = _obj(CentreService, pk, related=("centre",))
    if not permissions.can_manage_catalogue(request.user, row.centre):
        raise Http404
    return row


def _back(centre) -> str:
    return reverse("ventures:catalogue") + f"?centre={centre.slug}"


@login_required
def catalogue_page(request: AuthedRequest) -> HttpResponse:
    here = staff_centre(request)
    if not permissions.can_manage_catalogue(request.user, here):
        raise Http404
    page = Paginator(catalogue.catalogue_for_staff(centre=here), PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.area_labels = [readiness.AREA_LABELS[a] for a in row.areas or [] if a in readiness.AREA_LABELS]
    return render(request, "ventures/centre/catalogue.html", {"centre": here, "page": page})


def _save(request: HttpRequest, form: ServiceForm, write) -> CentreService | None:
    """Validate the form and call the service; its field errors land on the form's fields."""
    if request.method != "POST" or not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return write(name=data["name"], description=data["description"], areas=data["areas"],
                     assign_within_days=data["assign_within_days"], done_within_days=data["done_within_days"],
                     order=data["order"])
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        form.add_error(None, exc)
    return None


@login_required
def service_add(request: AuthedRequest) -> HttpResponse:
    here = staff_centre(request)
    if not permissions.can_manage_catalogue(request.user, here):
        raise Http404
    form = ServiceForm(request.POST or None)
    row = _save(request, form, lambda **fields: catalogue.service_create(actor=request.user, centre=here, **fields))
    if row is not None:
        messages.success(request, _("“%(name)s” is in the catalogue.") % {"name": row.name})
        return redirect(_back(here))
    return render(request, "ventures/centre/service_form.html", {"centre": here, "form": form, "service": None})


@login_required
def service_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    row = _managed(request, pk)
    form = ServiceForm(request.POST or None, initial={
        "name": row.name, "description": row.description, "areas": row.areas, "order": row.order,
        "assign_within_days": row.assign_within_days, "done_within_days": row.done_within_days})
    saved = _save(request, form, lambda **fields: catalogue.service_update(actor=request.user, service=row, **fields))
    if saved is not None:
        messages.success(request, _("Saved. New targets apply to new requests."))
        return redirect(_back(row.centre))
    return render(request, "ventures/centre/service_form.html", {"centre": row.centre, "form": form, "service": row})


@login_required
@require_POST
def service_active(request: AuthedRequest, pk: int) -> HttpResponse:
    row = _managed(request, pk)
    active = request.POST.get("active") == "1"
    attempt(request, lambda: catalogue.service_set_active(actor=request.user, service=row, active=active),
            _("“%(name)s” is offered again.") % {"name": row.name} if active
            else _("“%(name)s” is retired: it takes no new requests; open ones carry on.") % {"name": row.name})
    return redirect(_back(row.centre))


urlpatterns: list = [
    path("centre/catalogue/", catalogue_page, name="catalogue"),
    path("centre/catalogue/new/", service_add, name="service_add"),
    path("centre/catalogue/<int:pk>/", service_edit, name="service_edit"),
    path("centre/catalogue/<int:pk>/active/", service_active, name="service_active"),
]
