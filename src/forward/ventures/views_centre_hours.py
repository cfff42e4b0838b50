"""Innovation centre pages: office hours (staff publish slots, SMEs and startups book them, both
download the .ics) and cloud credits (startups apply, staff keep budgets and decide). Thin: parse,
check permission, call the services, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forward.core.types import AuthedRequest

from . import grants, permissions
from . import services_centre as service
from .forms_centre import (
    ApproveForm,
    BookForm,
    BudgetForm,
    DepositForm,
    GrantApplyForm,
    RejectForm,
    SlotForm,
)
from .ics_centre import office_hours_calendar
from .models import CreditBudget, CreditGrant, GrantStatus, OfficeHourSlot
from .views_centre_common import PAGE_SIZE, _errors, _obj, attempt, centre_for

# --- office hours ------------------------------------------------------------------------------------


def office_hours(request: HttpRequest) -> HttpResponse:
    here = centre_for(request)
    if here is None:
        raise Http404
    user = request.user
    staff = permissions.can_run_programme(user, here)
    experts = service.experts(centre=here)
    form = SlotForm(request.POST or None, experts=experts) if staff else None
    if request.method == "POST":
        if form is None or not user.is_authenticated:  # the form is staff's only
            raise Http404
        if form.is_valid():
            try:
                service.slot_create(actor=user, centre=here, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("Slot published."))
                return redirect(reverse("ventures:office_hours") + f"?centre={here.slug}")
    slots = service.upcoming_slots(centre=here)
    if not staff:
        slots = slots.filter(booked_by_org__isnull=True)
    page = Paginator(slots, PAGE_SIZE).get_page(request.GET.get("page"))
    clients = permissions.client_organizations(user).order_by("name") if user.is_authenticated else None
    return render(request, "ventures/centre/office_hours.html", {
        "centre": here, "page": page, "staff": staff, "form": form,
        "book_form": BookForm(organizations=clients) if clients is not None and clients.exists() else None,
        "bookings": list(service.my_bookings(user=user)[:20]) if user.is_authenticated else [],
    })


def _slot(pk: int) -> OfficeHourSlot:
    return _obj(OfficeHourSlot, pk, related=("centre", "expert", "booked_by_org", "booked_by"))


def _back(slot: OfficeHourSlot) -> HttpResponse:
    return redirect(reverse("ventures:office_hours") + f"?centre={slot.centre.slug}")


@login_required
@require_POST
def slot_book(request: AuthedRequest, pk: int) -> HttpResponse:
    slot = _slot(pk)
    if not slot.centre.is_verified:
        raise Http404
    form = BookForm(request.POST, organizations=permissions.client_organizations(request.user))
    if not form.is_valid():
        raise Http404
    attempt(request, lambda: service.slot_book(user=request.user, slot=slot,
                                               organization=form.cleaned_data["organization"]),
            _("Booked. The invitation is in your email, and here as a calendar file."))
    return _back(slot)


@login_required
@require_POST
def slot_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    slot = _slot(pk)
    if not permissions.can_see_booking(request.user, slot):
        raise Http404
    attempt(request, lambda: service.slot_cancel(user=request.user, slot=slot), _("Booking cancelled."))
    return _back(slot)


@login_required
@require_POST
def slot_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    slot = _slot(pk)
    if not permissions.can_run_programme(request.user, slot.centre):
        raise Http404
    attempt(request, lambda: service.slot_delete(actor=request.user, slot=slot))
    return _back(slot)


@login_required
def slot_ics(request: AuthedRequest, pk: int) -> HttpResponse:
    slot = _slot(pk)
    if slot.booked_by_org is None or not permissions.can_see_booking(request.user, slot):
        raise Http404
    response = HttpResponse(office_hours_calendar(slot=slot), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="office-hours-{slot.pk}.ics"'
    return response


# --- credits -----------------------------------------------------------------------------------------

@login_required
def credits(request: AuthedRequest) -> HttpResponse:
    user = request.user
    startups = permissions.assessment_organizations(user).filter(kind="startup", verified_at__isnull=False)
    open_budgets = []
    for startup in startups.order_by("name")[:10]:
        for budget in grants.budgets_open_to(startup=startup)[:10]:
            open_budgets.append((startup, budget))
    organizers = permissions.programme_organizers(user)
    staff = organizers.exists()
    budget_form = BudgetForm(request.POST or None, organizers=organizers.order_by("name")) if staff else None
    if request.method == "POST":
        if budget_form is None:  # staff's only
            raise Http404
        if budget_form.is_valid():
            try:
                budget = grants.budget_create(actor=user, **budget_form.cleaned_data)
            except ValidationError as exc:
                budget_form.add_error(None, _errors(exc))
            else:
                return redirect("ventures:budget", pk=budget.pk)
    return render(request, "ventures/centre/credits.html", {
        "open_budgets": [(s, b, GrantApplyForm(startups=startups.filter(pk=s.pk), initial={"startup": s.pk}))
                         for s, b in open_budgets],
        "mine": Paginator(grants.grants_mine(user=user), PAGE_SIZE).get_page(request.GET.get("page")),
        "staff": staff, "budgets": list(grants.budgets_run_by(user=user)[:50]) if staff else [],
        "budget_form": budget_form,
    })


@login_required
@require_POST
def grant_apply(request: AuthedRequest, pk: int) -> HttpResponse:
    budget = _obj(CreditBudget, pk, related=("organizer",))
    startups = permissions.assessment_organizations(request.user).filter(kind="startup")
    form = GrantApplyForm(request.POST, startups=startups)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("ventures:credits")
    attempt(request, lambda: grants.grant_apply(user=request.user, budget=budget, **form.cleaned_data),
            _("Applied. Programme staff will decide and email you."))
    return redirect("ventures:credits")


def _run_budget(request: HttpRequest, pk: int) -> CreditBudget:
    budget = _obj(CreditBudget, pk, related=("organizer",))
    if not permissions.can_run_programme(request.user, budget.organizer):
        raise Http404
    return budget


@login_required
def budget_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    budget = _run_budget(request, pk)
    totals = grants.with_totals(CreditBudget.objects.filter(pk=budget.pk)).get()
    status = request.GET.get("status", GrantStatus.PENDING)
    status = status if status in GrantStatus.values or status == "" else GrantStatus.PENDING
    return render(request, "ventures/centre/budget.html", {
        "budget": totals, "status": status, "statuses": GrantStatus.choices,
        "grants": Paginator(grants.grants_of(budget=budget, status=status), PAGE_SIZE).get_page(
            request.GET.get("page")),
        "ledger": Paginator(grants.ledger(budget=budget), PAGE_SIZE).get_page(request.GET.get("lpage")),
        "deposit_form": DepositForm(), "reject_form": RejectForm(),
    })


@login_required
@require_POST
def budget_deposit(request: AuthedRequest, pk: int) -> HttpResponse:
    budget = _run_budget(request, pk)
    form = DepositForm(request.POST)
    if form.is_valid():
        attempt(request, lambda: grants.budget_deposit(actor=request.user, budget=budget, **form.cleaned_data),
                _("Added to the budget."))
    else:
        messages.error(request, _("Give an amount more than zero."))
    return redirect("ventures:budget", pk=pk)


def _grant_action(request: HttpRequest, pk: int, form_class, action) -> HttpResponse:
    grant = _obj(CreditGrant, pk, related=("budget__organizer", "startup"))
    if not permissions.can_run_programme(request.user, grant.budget.organizer):
        raise Http404
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        attempt(request, lambda: action(grant, form.cleaned_data), _("Decision recorded; the startup is told by email."))
    return redirect("ventures:budget", pk=grant.budget_id)


@login_required
@require_POST
def grant_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    return _grant_action(request, pk, ApproveForm, lambda grant, data: grants.grant_approve(
        actor=request.user, grant=grant, amount=data["amount"]))


@login_required
@require_POST
def grant_reject(request: AuthedRequest, pk: int) -> HttpResponse:
    return _grant_action(request, pk, RejectForm, lambda grant, data: grants.grant_reject(
        actor=request.user, grant=grant, note=data["note"]))


urlpatterns: list = [
    path("centre/office-hours/", office_hours, name="office_hours"),
    path("centre/office-hours/<int:pk>/book/", slot_book, name="slot_book"),
    path("centre/office-hours/<int:pk>/cancel/", slot_cancel, name="slot_cancel"),
    path("centre/office-hours/<int:pk>/delete/", slot_delete, name="slot_delete"),
    path("centre/office-hours/<int:pk>/office-hours.ics", slot_ics, name="slot_ics"),
    path("centre/credits/", credits, name="credits"),
    path("centre/credits/budgets/<int:pk>/apply/", grant_apply, name="grant_apply"),
    path("centre/credits/budgets/<int:pk>/", budget_detail, name="budget"),
    path("centre/credits/budgets/<int:pk>/deposit/", budget_deposit, name="budget_deposit"),
    path("centre/credits/grants/<int:pk>/approve/", grant_approve, name="grant_approve"),
    path("centre/credits/grants/<int:pk>/reject/", grant_reject, name="grant_reject"),
]
