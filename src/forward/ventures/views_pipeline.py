"""Ventures pages: an investor's private deal pipeline (board and list), each deal, and the
investments a startup confirms. Thin: parse, check permission, call ventures.pipeline, render. A deal
of another organization is a 404, like a missing id."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forward.core.models import MAX_ID, Organization, OrganizationKind
from forward.core.types import AuthedRequest

from . import permissions
from . import pipeline as service
from .forms_pipeline import DisputeForm, FilterForm, InvestForm, MoveForm, NextStepForm, NoteForm
from .models.pipeline import Deal, DealStage

PAGE_SIZE = 25


def _id(value) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number <= MAX_ID else 0


def _investor(request: HttpRequest) -> tuple[Organization | None, list[Organization]]:
    """The investor whose pipeline is shown (?org=, else the first), and all this person keeps."""
    mine = list(permissions.pipeline_organizations(request.user).order_by("name")[:50])
    wanted = _id(request.GET.get("org") or request.POST.get("investor"))
    if wanted:
        chosen = next((o for o in mine if o.pk == wanted), None)
        if chosen is None:
            raise Http404
        return chosen, mine
    return (mine[0] if mine else None), mine


def _deal(request: AuthedRequest, pk: int) -> Deal:
    try:
        return service.visible_deal(user=request.user, deal_id=pk if pk <= MAX_ID else 0)
    except service.NotFound:
        raise Http404 from None


@login_required
def pipeline(request: AuthedRequest) -> HttpResponse:
    investor, mine = _investor(request)
    context: dict[str, Any] = {"investor": investor, "mine": mine, "view": "list" if request.GET.get("view") == "list" else "board"}
    if investor is not None:
        if context["view"] == "board":
            context["columns"] = service.board(investor=investor)
        else:
            form = FilterForm(request.GET)
            filters = form.cleaned_data if form.is_valid() else {}
            qs = service.deals(investor=investor, stage=filters.get("stage") or "", q=filters.get("q") or "",
                               due_only=bool(filters.get("due")))
            context["filters"] = form
            context["page"] = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
            context["base"] = urlencode({k: v for k, v in {"org": investor.pk, "view": "list", **filters}.items()
                                         if v not in ("", None, False)}) + "&"
    return render(request, "ventures/pipeline/board.html", context)


@login_required
@require_POST
def pipeline_add(request: AuthedRequest) -> HttpResponse:
    investor, _mine = _investor(request)
    startup = Organization.objects.filter(pk=_id(request.POST.get("startup")), kind=OrganizationKind.STARTUP).first()
    if investor is None or startup is None or not startup.is_verified:
        raise Http404
    try:
        deal = service.add(user=request.user, investor=investor, startup=startup)
    except service.AlreadyInPipeline as exc:
        messages.info(request, exc.messages[0])
        return redirect("ventures:deal", pk=exc.deal.pk)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("ventures:pipeline")
    messages.success(request, _("%(org)s added to your pipeline at Sourced.") % {"org": startup.name})
    return redirect("ventures:deal", pk=deal.pk)


@login_required
def deal_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    deal = _deal(request, pk)
    investment = getattr(deal, "investment", None) if deal.stage == DealStage.INVESTED else None
    invest_initial = ({"amount": investment.amount, "currency": investment.currency,
                       "instrument": investment.instrument, "invested_on": investment.invested_on} if investment else
                      {"currency": getattr(getattr(deal.startup, "startup", None), "raising_currency", "USD"),
                       "instrument": getattr(getattr(deal.startup, "startup", None), "raising_instrument", "")})
    return render(request, "ventures/pipeline/deal.html", {
        "deal": deal, "investment": investment, "history": service.history(deal),
        "notes": list(deal.notes.select_related("author")[:100]),
        "move_form": MoveForm(initial={"stage": deal.stage}),
        "note_form": NoteForm(), "next_form": NextStepForm(initial={"next_step": deal.next_step,
                                                                   "next_step_on": deal.next_step_on}),
        "invest_form": InvestForm(initial=invest_initial),
    })


@login_required
@require_POST
def deal_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    deal = _deal(request, pk)
    forms = {"move": MoveForm, "note": NoteForm, "next-step": NextStepForm, "invest": InvestForm}
    if action not in forms:
        raise Http404
    form = forms[action](request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("ventures:deal", pk=pk)
    data = form.cleaned_data
    try:
        if action == "move":
            service.move(user=request.user, deal=deal, to_stage=data["stage"])
            done = _("Moved to %(stage)s.") % {"stage": service.stage_label(data["stage"])}
        elif action == "note":
            service.note_add(user=request.user, deal=deal, text=data["text"])
            done = _("Note added.")
        elif action == "next-step":
            service.next_step_set(user=request.user, deal=deal, text=data["next_step"], on=data["next_step_on"])
            done = _("Next step saved.")
        else:
            service.invest(user=request.user, deal=deal, amount=data["amount"], currency=data["currency"],
                           instrument=data["instrument"], invested_on=data["invested_on"])
            done = _("Investment recorded. %(org)s is asked to confirm it.") % {"org": deal.startup.name}
    except service.NotFound:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("ventures:deal", pk=pk)


# --- the startup's side: investments to confirm --------------------------------------------------

@login_required
def investment_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(service.investments_for_startups(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ventures/pipeline/investments.html", {
        "page": page, "acts_for_startup": permissions.investment_organizations(request.user).exists(),
        "dispute_form": DisputeForm()})


@login_required
@require_POST
def investment_answer(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    try:
        investment = service.visible_investment(user=request.user, investment_id=pk if pk <= MAX_ID else 0)
    except service.NotFound:
        raise Http404 from None
    if action not in ("confirm", "dispute"):
        raise Http404
    try:
        if action == "confirm":
            service.confirm(user=request.user, investment=investment)
            messages.success(request, _("Confirmed: it now counts as funding raised."))
        else:
            form = DisputeForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            service.dispute(user=request.user, investment=investment, reason=reason)
            messages.success(request, _("Disputed. %(org)s can correct what it recorded.") % {
                "org": investment.investor.name})
    except service.NotFound:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("ventures:investment_list")


urlpatterns: list = [
    path("pipeline/", pipeline, name="pipeline"),
    path("pipeline/add/", pipeline_add, name="pipeline_add"),  # POST startup=<organization id>
    path("pipeline/<int:pk>/", deal_detail, name="deal"),
    path("pipeline/<int:pk>/<slug:action>/", deal_action, name="deal_action"),
    path("investments/", investment_list, name="investment_list"),
    path("investments/<int:pk>/<slug:action>/", investment_answer, name="investment_answer"),
]
