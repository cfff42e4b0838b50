"""Innovation centre pages: the front page, the readiness assessment, service requests and the
staff queue. Thin: parse, check permission, call services_centre, render. What is not yours is a
404, the same answer as a missing id. (Office hours and credits: views_centre_hours.)"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from forward.core.types import AuthedRequest

from . import grants, permissions, readiness
from . import services_centre as service
from . import views_centre_catalogue as catalogue_pages
from . import views_centre_hours as hours
from .forms_centre import (
    AssessmentForm,
    AssignForm,
    MoveForm,
    QueueFilterForm,
    RequestForm,
    ShareForm,
)
from .models import Assessment, CentreService, RequestStatus, ServiceRequest
from .views_centre_common import PAGE_SIZE, _errors, _obj, attempt, centre_for, staff_centre

# --- the front page --------------------------------------------------------------------------------

def centre(request: HttpRequest) -> HttpResponse:
    user = request.user
    here = centre_for(request)
    context: dict[str, Any] = {"centre": here, "centres": list(permissions.centres().order_by("name")[:20])}
    if here is not None:
        services = service.catalogue(centre=here)
        context.update(services=services, slots=list(service.upcoming_slots(centre=here).filter(
            booked_by_org__isnull=True)[:6]))
    if user.is_authenticated:
        organizations = list(permissions.assessment_organizations(user).order_by("name")[:20])
        latest: dict[int, Assessment] = {}
        for a in Assessment.objects.filter(organization__in=organizations).order_by("organization_id", "-created_at",
                                                                                     "-pk"):
            latest.setdefault(a.organization_id, a)
        context.update(
            organizations=[(org, latest.get(org.pk)) for org in organizations],
            my_requests=list(service.requests_mine(user=user)[:5]),
            my_bookings=list(service.my_bookings(user=user)[:5]),
            can_request=any(org.is_verified for org in organizations))
        if here is not None and permissions.can_run_programme(user, here):
            now = timezone.now()
            context.update(
                is_staff=True,
                open_count=service.queue(centre=here, status="open").count(),
                overdue_count=service.queue(centre=here, overdue=True, now=now).count(),
                budgets=list(grants.budgets_run_by(user=user)[:5]))
    return render(request, "ventures/centre/home.html", context)


# --- readiness -------------------------------------------------------------------------------------

@login_required
def assessment_take(request: AuthedRequest) -> HttpResponse:
    organizations = permissions.assessment_organizations(request.user).order_by("name")
    if not organizations.exists():
        return render(request, "ventures/centre/assessment_none.html", status=200)
    initial = {"organization": request.GET.get("org")} if request.GET.get("org", "").isdigit() else {}
    form = AssessmentForm(request.POST or None, organizations=organizations, centres=permissions.centres(),
                          initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = service.assessment_submit(user=request.user, organization=form.cleaned_data["organization"],
                                                   answers=form.answers(), share_with=form.cleaned_data["share_with"])
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            return redirect("ventures:assessment", pk=assessment.pk)
    return render(request, "ventures/centre/assessment_take.html", {"form": form})


@login_required
def assessment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = _obj(Assessment, pk, related=("organization", "shared_with", "taken_by"))
    if not permissions.can_see_assessment(request.user, assessment):
        raise Http404
    previous = service.previous_assessment(assessment)
    levels = assessment.levels
    member = permissions.can_take_assessment(request.user, assessment.organization)
    return render(request, "ventures/centre/assessment.html", {
        "assessment": assessment, "previous": previous,
        "rows": readiness.rows(levels, assessment.scores, previous.levels if previous else None),
        "radar": readiness.radar_svg(levels, previous.levels if previous else None),
        "level_name": readiness.LEVELS[assessment.overall],
        "courses": [(readiness.AREA_LABELS[a], c) for a, c in service.recommended_courses(levels=levels).items()],
        "services": service.recommended_services(centre=assessment.shared_with or centre_for(request), levels=levels),
        "history": list(service.assessments_of(organization=assessment.organization)[:10]) if member else [],
        "share_form": ShareForm(centres=permissions.centres(), initial={"centre": assessment.shared_with_id})
        if member else None,
    })


@login_required
@require_POST
def assessment_share(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = _obj(Assessment, pk, related=("organization",))
    if not permissions.can_take_assessment(request.user, assessment.organization):
        raise Http404
    form = ShareForm(request.POST, centres=permissions.centres())
    if form.is_valid():
        service.assessment_share(user=request.user, assessment=assessment, centre=form.cleaned_data["centre"])
        messages.success(request, _("Sharing updated."))
    return redirect("ventures:assessment", pk=pk)


@login_required
def assessments_shared(request: AuthedRequest) -> HttpResponse:
    here = staff_centre(request)
    page = Paginator(service.assessments_shared_with(centre=here), PAGE_SIZE).get_page(request.GET.get("page"))
    for a in page.object_list:
        a.level_name = readiness.LEVELS[a.overall]
    return render(request, "ventures/centre/shared.html", {"centre": here, "page": page})


# --- service requests ------------------------------------------------------------------------------

@login_required
def request_create(request: AuthedRequest, pk: int) -> HttpResponse:
    offered = _obj(CentreService, pk, related=("centre",))
    if not offered.active or not offered.centre.is_verified or offered.centre.kind != "innovation_centre":
        raise Http404
    organizations = permissions.client_organizations(request.user).order_by("name")
    form = RequestForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            row = service.request_create(user=request.user, service=offered,
                                         organization=form.cleaned_data["organization"], note=form.cleaned_data["note"])
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            n = offered.assign_within_days
            messages.success(request, ngettext("Requested. The centre assigns an expert within %(n)d working day.",
                                               "Requested. The centre assigns an expert within %(n)d working days.",
                                               n) % {"n": n})
            return redirect("ventures:request", pk=row.pk)
    return render(request, "ventures/centre/request_create.html", {
        "service": offered, "form": form, "allowed": organizations.exists()})


@login_required
def requests_mine(request: AuthedRequest) -> HttpResponse:
    page = Paginator(service.requests_mine(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for row in page.object_list:
        row.overdue = service.is_overdue(row, now)
    return render(request, "ventures/centre/requests_mine.html", {"page": page})


def _visible_request(request: HttpRequest, pk: int) -> ServiceRequest:
    row = _obj(ServiceRequest, pk, related=("service__centre", "organization", "expert", "requested_by"))
    if not permissions.can_see_request(request.user, row):
        raise Http404
    return row


@login_required
def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    row = _visible_request(request, pk)
    centre = row.service.centre
    staff = permissions.can_run_programme(request.user, centre)
    events = service.history(row)
    return render(request, "ventures/centre/request.html", {
        "row": row, "history": events, "overdue": service.is_overdue(row), "staff": staff,
        "assign_form": AssignForm(experts=service.experts(centre=centre), initial={"expert": row.expert_id})
        if staff and row.status in service.OPEN_STATUSES else None,
        "moves": [(s, RequestStatus(s).label) for s in service.STAFF_MOVES.get(row.status, ())] if staff else [],
        "can_cancel": permissions.can_take_assessment(request.user, row.organization)
        and row.status in service.REQUESTER_CANCELS,
    })


def _request_action(request: HttpRequest, pk: int, action) -> HttpResponse:
    row = _visible_request(request, pk)
    attempt(request, lambda: action(row), _("Saved."))
    return redirect("ventures:request", pk=pk)


@login_required
@require_POST
def request_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    def act(row):
        form = AssignForm(request.POST, experts=service.experts(centre=row.service.centre))
        if not form.is_valid():
            raise ValidationError(_("Choose an expert of the centre."))
        service.request_assign(actor=request.user, service_request=row, expert=form.cleaned_data["expert"],
                               note=form.cleaned_data["note"])
    return _request_action(request, pk, act)


@login_required
@require_POST
def request_move(request: AuthedRequest, pk: int) -> HttpResponse:
    def act(row):
        form = MoveForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose a status."))
        service.request_move(actor=request.user, service_request=row, to_status=form.cleaned_data["status"],
                             note=form.cleaned_data["note"])
    return _request_action(request, pk, act)


@login_required
@require_POST
def request_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    return _request_action(request, pk, lambda row: service.request_cancel(user=request.user, service_request=row))


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    here = staff_centre(request)
    experts = service.experts(centre=here)
    services = CentreService.objects.filter(centre=here).order_by("order", "pk")
    form = QueueFilterForm(request.GET or None, experts=experts, services=services)
    filters = form.cleaned_data if form.is_valid() else {}
    status = filters.get("status") or ("open" if not request.GET else "")
    now = timezone.now()
    page = Paginator(service.queue(centre=here, status=status, expert=filters.get("expert"),
                                   service=filters.get("service"), overdue=bool(filters.get("overdue")), now=now),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.overdue = service.is_overdue(row, now)
    return render(request, "ventures/centre/queue.html", {"centre": here, "form": form, "page": page})


urlpatterns: list = [
    path("centre/", centre, name="centre"),
    path("centre/assessment/", assessment_take, name="assessment_take"),
    path("centre/assessment/<int:pk>/", assessment_detail, name="assessment"),
    path("centre/assessment/<int:pk>/share/", assessment_share, name="assessment_share"),
    path("centre/shared/", assessments_shared, name="assessments_shared"),
    path("centre/services/<int:pk>/request/", request_create, name="request_create"),
    path("centre/requests/", requests_mine, name="requests_mine"),
    path("centre/requests/<int:pk>/", request_detail, name="request"),
    path("centre/requests/<int:pk>/assign/", request_assign, name="request_assign"),
    path("centre/requests/<int:pk>/move/", request_move, name="request_move"),
    path("centre/requests/<int:pk>/cancel/", request_cancel, name="request_cancel"),
    path("centre/queue/", queue, name="queue"),
    *hours.urlpatterns,
    *catalogue_pages.urlpatterns,
]
