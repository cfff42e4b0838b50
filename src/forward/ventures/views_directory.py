"""Ventures pages: the directory. Startups and investors, discovery by fit, a startup's and an
investor's page, the pitch deck, "My startup" and "My fund". Thin: parse, check permission
(ventures.permissions), call startups / investors / discovery, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forward.core import permissions as core_permissions
from forward.core.models import Membership, Organization, OrganizationKind, User
from forward.core.storage import download_response
from forward.core.types import AuthedRequest

from . import discovery, investors, permissions, startups
from .forms_directory import (
    DeckForm,
    InvestorProfileForm,
    InvestorSearchForm,
    RoundForm,
    ShareForm,
    StartupProfileForm,
    StartupSearchForm,
    TeamForm,
    TractionForm,
)
from .models import Investor, Startup

MAX_SHARE_CHOICES = 300  # the share form's list; any investor's own page also offers "Share our deck"


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _form_problems(form: forms.Form) -> list[str]:
    """Each field's errors on one line, after the field's label."""
    return [f"{form.fields[k].label}: {' '.join(str(e) for e in v)}" if k in form.fields else " ".join(str(e) for e in v)
            for k, v in form.errors.items()]


def _browse_as(request: HttpRequest, choices):
    """The organization chosen with ?as= (404 when not one of `choices`), else the first (not for
    operators, who browse without fit unless they pick one)."""
    operator = permissions.is_operator(request.user)
    organization, ok = discovery.resolve_browse_as(choices, request.GET.get("as"), default_first=not operator)
    if not ok:
        raise Http404
    options = [] if operator else list(choices.order_by("name", "pk")[:50])
    return organization, options


# --- discovery -------------------------------------------------------------------------------------


def startup_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    as_org, options = _browse_as(request, permissions.browse_as_investors(user))
    as_investor = Investor.objects.select_related("organization").filter(organization=as_org).first() if as_org else None
    sees_rounds = permissions.sees_rounds(user)
    form = StartupSearchForm(request.GET or None)
    filters = form.filters()
    page = discovery.page_of(discovery.search_startups(filters, as_investor=as_investor, sees_rounds=sees_rounds),
                             request.GET.get("page"))
    for startup in page.object_list:
        startup.card = discovery.startup_card(startup.organization)
        startup.fit_explained = discovery.explained(discovery.fit_for(startup, as_investor)) if as_investor else None
        startup.round_label = (discovery.short_money(startup.raising_amount, startup.raising_currency)
                               if sees_rounds and startup.is_raising else "")
    query_items = filters.querystring_items() + ([("as", str(as_org.pk))] if as_org else [])
    return render(request, "ventures/directory/startup_list.html", {
        "form": form, "page": page, "query_items": query_items, "filtered": bool(filters.querystring_items()),
        "as_org": as_org, "as_options": options, "sees_rounds": sees_rounds,
    })


def investor_list(request: HttpRequest) -> HttpResponse:
    as_org, options = _browse_as(request, permissions.browse_as_startups(request.user))
    as_startup = Startup.objects.select_related("organization").filter(organization=as_org).first() if as_org else None
    form = InvestorSearchForm(request.GET or None)
    filters = form.filters()
    page = discovery.page_of(discovery.search_investors(filters, as_startup=as_startup), request.GET.get("page"))
    for investor in page.object_list:
        investor.card = discovery.investor_card(investor.organization)
        investor.fit_explained = discovery.explained(discovery.fit_for(as_startup, investor)) if as_startup else None
        investor.ticket_label = _ticket_label(investor)
    query_items = filters.querystring_items() + ([("as", str(as_org.pk))] if as_org else [])
    return render(request, "ventures/directory/investor_list.html", {
        "form": form, "page": page, "query_items": query_items, "filtered": bool(filters.querystring_items()),
        "as_org": as_org, "as_options": options,
    })


def _ticket_label(investor: Investor) -> str:
    return discovery.money_range(investor.ticket_min, investor.ticket_max, investor.ticket_currency)


# --- a startup's page ------------------------------------------------------------------------------


def _chart(rows, attribute: str) -> dict | None:
    """A small bar chart as SVG coordinates (the template draws it; no script, no inline style)."""
    values = [float(getattr(r, attribute)) for r in rows]
    if not values:
        return None
    top = max(values) or 1.0
    width, height, gap = 24, 120, 6
    bars = [{"x": i * (width + gap), "y": height - round(v / top * height, 1), "w": width,
             "h": round(v / top * height, 1), "label": f"{r.month:%Y-%m}: {v:,.0f}"} for i, (r, v) in enumerate(zip(rows, values, strict=False))]
    return {"bars": bars, "width": len(values) * (width + gap), "height": height, "top": top}


def startup_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    user = request.user
    startup = discovery.startup_visible(user=user, organization_id=organization_id)
    if startup is None:
        raise Http404
    organization = startup.organization
    private = permissions.can_see_startup_private(user, organization)
    shared_with = discovery.deck_shared_with_ids(startup) if startup.deck else []
    traction = discovery.traction_months(startup) if private else []
    currencies = {r.currency for r in traction}
    investor_orgs = list(permissions.deck_investor_organizations(user)) if organization.is_verified else []
    as_investor = (Investor.objects.select_related("organization").filter(organization=investor_orgs[0]).first()
                   if investor_orgs else None)
    return render(request, "ventures/directory/startup_detail.html", {
        "startup": startup, "organization": organization, "card": discovery.startup_card(organization),
        "team": discovery.team_with_credentials(startup), "private": private,
        "round_label": discovery.short_money(startup.raising_amount, startup.raising_currency)
        if startup.is_raising else "",
        "traction": traction, "revenue_chart": _chart(traction, "revenue") if len(currencies) == 1 else None,
        "users_chart": _chart(traction, "users"), "traction_currency": next(iter(currencies), ""),
        "can_open_deck": bool(startup.deck) and permissions.can_open_deck(user, organization,
                                                                          shared_with_ids=shared_with),
        "can_edit": permissions.can_prepare_startup(user, organization),
        "investor_orgs": investor_orgs,
        "fit": discovery.explained(discovery.fit_for(startup, as_investor)) if as_investor else None,
        "as_investor": as_investor,
    })


def startup_deck(request: HttpRequest, organization_id: int) -> HttpResponseBase:
    """The deck, only to the startup's own admins and staff and to the investors it was shared with;
    404 to everyone else, as for a startup without a deck."""
    startup = discovery.startup_visible(user=request.user, organization_id=organization_id)
    if startup is None or not startup.deck.name:
        raise Http404
    if not permissions.can_open_deck(request.user, startup.organization,
                                     shared_with_ids=discovery.deck_shared_with_ids(startup)):
        raise Http404
    return download_response(request, startup.deck.name, content_type="application/pdf", as_attachment=False,
                             filename=f"deck-{startup.organization.slug}.pdf")


# --- an investor's page ----------------------------------------------------------------------------


def investor_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    user = request.user
    investor = discovery.investor_visible(user=user, organization_id=organization_id)
    if investor is None:
        raise Http404
    organization = investor.organization
    my_startups = [] if permissions.is_operator(user) or not organization.is_verified else list(
        permissions.startup_organizations(user).order_by("name"))
    acting_startups = [o for o in my_startups if o.is_verified]
    as_startup = (Startup.objects.select_related("organization").filter(organization=my_startups[0]).first()
                  if my_startups else None)
    return render(request, "ventures/directory/investor_detail.html", {
        "investor": investor, "organization": organization, "card": discovery.investor_card(organization),
        "partners": list(investor.partners.select_related("user").order_by("order", "pk")),
        "ticket_label": _ticket_label(investor),
        "can_edit": permissions.can_edit_investor(user, organization),
        "acting_startups": acting_startups,
        "fit": discovery.explained(discovery.fit_for(as_startup, investor)) if as_startup else None,
        "as_startup": as_startup,
    })


# --- My startup ------------------------------------------------------------------------------------


def _chosen(request: HttpRequest, choices, value):
    """The organization `?org=` names among `choices` (404 when it is not one), else the first by
    name; None for operators who named none (they act for every one, so they must say which)."""
    if value:
        try:
            organization = choices.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            organization = None
        if organization is None:
            raise Http404
        return organization
    if permissions.is_operator(request.user):
        return None
    return choices.order_by("name", "pk").first()


def _my_startup(request: HttpRequest, value) -> Startup | None:
    organization = _chosen(request, permissions.startup_organizations(request.user), value)
    return startups.startup_for(organization) if organization else None


@login_required
def my_startup(request: AuthedRequest) -> HttpResponse:
    startup = _my_startup(request, request.GET.get("org"))
    choices = [] if permissions.is_operator(request.user) else list(
        permissions.startup_organizations(request.user).order_by("name"))
    if startup is None:
        return render(request, "ventures/directory/my_startup.html", {"startup": None, "choices": choices})
    organization = startup.organization
    members = [m.user for m in Membership.objects.filter(organization=organization).select_related("user")
               .order_by("user__name", "pk")]
    shares = discovery.deck_shares(startup)
    shared_ids = {s.investor_id for s in shares}
    share_choices = [i for i in discovery.listed_investors().order_by("organization__name")[:MAX_SHARE_CHOICES]
                     if i.pk not in shared_ids]
    traction = discovery.traction_months(startup)
    return render(request, "ventures/directory/my_startup.html", {
        "startup": startup, "organization": organization, "choices": choices,
        "profile_form": StartupProfileForm(initial={
            "one_liner": startup.one_liner, "description": organization.description, "sectors": startup.sectors,
            "stage": startup.stage, "country": str(organization.country or ""), "founded_on": startup.founded_on,
            "video_url": startup.video_url}),
        "round_form": RoundForm(initial={"amount": startup.raising_amount, "currency": startup.raising_currency,
                                         "instrument": startup.raising_instrument}),
        "traction_form": TractionForm(initial={"currency": traction[-1].currency if traction else startup.raising_currency}),
        "traction": list(reversed(traction)),
        "team": discovery.team_with_credentials(startup), "team_form": TeamForm(members=members),
        "deck_form": DeckForm(), "shares": shares, "share_form": ShareForm(investors=share_choices),
    })


ACTIONS = {"profile", "round", "round_clear", "traction", "traction_delete", "team", "team_remove", "deck",
           "deck_remove", "share", "unshare"}


def _investor_by_org(organization_id) -> Investor:
    investor = discovery.listed_investors().filter(organization_id=organization_id).first()
    if investor is None:
        raise ValidationError(_("Choose a verified investor."))
    return investor


def _team_user(startup: Startup, user_id) -> User:
    membership = Membership.objects.filter(organization_id=startup.organization_id, user_id=user_id).select_related(
        "user").first()
    if membership is None:
        raise ValidationError(_("Choose a member of the startup's organization."))
    return membership.user


@login_required
@require_POST
def my_startup_action(request: AuthedRequest, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    startup = _my_startup(request, request.POST.get("org"))
    if startup is None:
        raise Http404
    actor = request.user
    back = f"{reverse('ventures:my_startup')}?org={startup.organization_id}"
    form_class = {"profile": StartupProfileForm, "round": RoundForm, "traction": TractionForm}.get(action)
    try:
        if form_class is not None:
            form = form_class(request.POST)
            if not form.is_valid():
                raise ValidationError(_form_problems(form))
            data = form.cleaned_data
        if action == "profile":
            startups.startup_update_profile(actor=actor, startup=startup, **data)
            messages.success(request, _("The profile is saved."))
        elif action == "round":
            startups.startup_set_round(actor=actor, startup=startup, **data)
            messages.success(request, _("The round is saved."))
        elif action == "round_clear":
            startups.startup_clear_round(actor=actor, startup=startup)
            messages.success(request, _("Marked as not raising now."))
        elif action == "traction":
            startups.traction_set(actor=actor, startup=startup, **data)
            messages.success(request, _("The month's figures are saved."))
        elif action == "traction_delete":
            startups.traction_delete(actor=actor, startup=startup, month=request.POST.get("month", ""))
            messages.success(request, _("The month's figures are deleted."))
        elif action == "team":
            startups.team_member_set(actor=actor, startup=startup, user=_team_user(startup, request.POST.get("user")),
                                     title=request.POST.get("title", ""), order=_int(request.POST.get("order")))
            messages.success(request, _("The team is saved."))
        elif action == "team_remove":
            startups.team_member_remove(actor=actor, startup=startup,
                                        user=_team_user(startup, request.POST.get("user")))
            messages.success(request, _("Removed from the team page."))
        elif action == "deck":
            startups.deck_upload(actor=actor, startup=startup, upload=request.FILES.get("deck"))
            messages.success(request, _("The deck is uploaded. Only your team and the investors you share it with can "
                                        "open it."))
        elif action == "deck_remove":
            startups.deck_remove(actor=actor, startup=startup)
            messages.success(request, _("The deck is deleted."))
        elif action == "share":
            investor = _investor_by_org(request.POST.get("investor"))
            startups.deck_share(actor=actor, startup=startup, investor=investor)
            messages.success(request, _("%(name)s can now open your deck.") % {"name": investor.organization.name})
            if request.POST.get("next") == "investor":
                return redirect("ventures:investor_detail", investor.organization_id)
        elif action == "unshare":
            investor = _investor_by_org(request.POST.get("investor"))
            startups.deck_unshare(actor=actor, startup=startup, investor=investor)
            messages.success(request, _("%(name)s can no longer open your deck.") % {"name": investor.organization.name})
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect(back)


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        raise ValidationError({"order": _("Give the order as a whole number.")}) from None


# --- My fund ---------------------------------------------------------------------------------------


def _fund_choices(user: User):
    """Investors someone edits the profile of, verified or not; every one for operators."""
    if permissions.is_operator(user):
        return Organization.objects.filter(kind=OrganizationKind.INVESTOR)
    return core_permissions.acting_organizations(user).filter(kind=OrganizationKind.INVESTOR)


def _my_fund(request: AuthedRequest, value) -> Investor | None:
    organization = _chosen(request, _fund_choices(request.user), value)
    return investors.investor_for(organization) if organization else None


@login_required
def my_fund(request: AuthedRequest) -> HttpResponse:
    investor = _my_fund(request, request.GET.get("org"))
    choices = [] if permissions.is_operator(request.user) else list(_fund_choices(request.user).order_by("name"))
    if investor is None:
        return render(request, "ventures/directory/my_fund.html", {"investor": None, "choices": choices})
    organization = investor.organization
    members = [m.user for m in Membership.objects.filter(organization=organization).select_related("user")
               .order_by("user__name", "pk")]
    return render(request, "ventures/directory/my_fund.html", {
        "investor": investor, "organization": organization, "choices": choices,
        "profile_form": InvestorProfileForm(initial={
            "investor_type": investor.investor_type, "thesis": investor.thesis, "sectors": investor.sectors,
            "stages": investor.stages, "countries": investor.countries, "ticket_min": investor.ticket_min,
            "ticket_max": investor.ticket_max, "ticket_currency": investor.ticket_currency,
            "lead_style": investor.lead_style}),
        "partners": list(investor.partners.select_related("user").order_by("order", "pk")),
        "partner_form": TeamForm(members=members),
    })


@login_required
@require_POST
def my_fund_action(request: AuthedRequest, action: str) -> HttpResponse:
    if action not in {"profile", "partner", "partner_remove"}:
        raise Http404
    investor = _my_fund(request, request.POST.get("org"))
    if investor is None:
        raise Http404
    back = f"{reverse('ventures:my_fund')}?org={investor.organization_id}"
    try:
        if action == "profile":
            form = InvestorProfileForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_form_problems(form))
            investors.investor_update_profile(actor=request.user, investor=investor, **form.cleaned_data)
            messages.success(request, _("The profile is saved."))
        else:
            membership = Membership.objects.filter(organization_id=investor.organization_id,
                                                   user_id=_int(request.POST.get("user"))).select_related("user").first()
            if membership is None:
                raise ValidationError(_("Choose a member of the organization."))
            if action == "partner":
                investors.partner_set(actor=request.user, investor=investor, user=membership.user,
                                      title=request.POST.get("title", ""), order=_int(request.POST.get("order")))
            else:
                investors.partner_remove(actor=request.user, investor=investor, user=membership.user)
            messages.success(request, _("The partners are saved."))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect(back)


urlpatterns: list = [
    path("startups/", startup_list, name="startup_list"),
    path("startups/<int:organization_id>/", startup_detail, name="startup_detail"),
    path("startups/<int:organization_id>/deck/", startup_deck, name="startup_deck"),
    path("investors/", investor_list, name="investor_list"),
    path("investors/<int:organization_id>/", investor_detail, name="investor_detail"),
    path("my-startup/", my_startup, name="my_startup"),
    path("my-startup/<slug:action>/", my_startup_action, name="my_startup_action"),
    path("my-fund/", my_fund, name="my_fund"),
    path("my-fund/<slug:action>/", my_fund_action, name="my_fund_action"),
]
