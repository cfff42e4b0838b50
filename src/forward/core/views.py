"""Pages for people and organizations: thin — parse, check permission, call a service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_countries import countries

from . import permissions, selectors, services
from .context_processors import CAPABILITIES
from .forms import ApiTokenForm, InvitationForm, OrganizationForm, ProfileForm, VerificationForm
from .models import ApiToken, Membership, Organization, OrganizationKind, Role
from .types import AuthedRequest


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"counts": selectors.platform_counts()})


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    """The home after sign-in: cards from every app for what this person does here (core.home)."""
    from . import home as home_cards

    memberships = list(selectors.user_memberships(user=request.user))
    is_operator = permissions.is_operator(request.user)
    return render(request, "core/dashboard.html", {
        "memberships": memberships,
        "invitations": selectors.user_open_invitations(user=request.user),
        "is_operator": is_operator,
        "groups": home_cards.cards_for(request.user, memberships=memberships, is_operator=is_operator),
    })


CAPABILITY_TEXT = {
    "academy": gettext_lazy(
        "Programmes, courses with free public video lessons, quizzes and timed exams, and course runs "
        "at partner universities taught by visiting professors from industry."),
    "competitions": gettext_lazy(
        "Data competitions for university teams: hidden ground truth, scoring workers, public and "
        "private leaderboards."),
    "credentials": gettext_lazy(
        "Verifiable certificates (Open Badges 3.0) that anyone can check without an account."),
    "talent": gettext_lazy(
        "A talent pool built from verified achievements, matched to partners' internships and jobs."),
    "ventures": gettext_lazy(
        "Startups matched with investors: applications, introductions and networking events."),
    "impact": gettext_lazy("Progress against the programme's targets, by country and programme."),
}


def capability(request: HttpRequest, slug: str) -> HttpResponse:
    labels = dict(CAPABILITIES)
    if slug not in labels:
        raise Http404
    return render(request, "core/capability.html", {
        "title": labels[slug], "text": CAPABILITY_TEXT[slug], "slug": slug,
    })


def organization_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    country = request.GET.get("country", "").upper()
    query = request.GET.get("q", "").strip()[:100]
    if kind not in OrganizationKind.values:
        kind = ""
    if country not in dict(countries):
        country = ""
    page = Paginator(selectors.organization_list(kind=kind, country=country, query=query),
                     settings.FORWARD_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/organization_list.html", {
        "page": page, "kind": kind, "country": country, "query": query,
        "kinds": OrganizationKind.choices, "countries": countries,
        "is_operator": permissions.is_operator(request.user),
    })


@login_required
def organization_create(request: AuthedRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None, kinds=permissions.kinds_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(creator=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("%(org)s was created. You are its admin.") % {"org": organization.name})
            return redirect("core:organization_detail", slug=organization.slug)
    return render(request, "core/organization_form.html", {"form": form})


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.with_member_counts(), slug=slug)
    can_view_members = permissions.can_view_members(request.user, organization)
    can_manage = permissions.can_manage_organization(request.user, organization)
    context = {
        "organization": organization,
        "is_operator": permissions.can_verify_organizations(request.user),
        "role_choices": Role.choices,
        "membership": permissions.membership_of(request.user, organization),
        "can_view_members": can_view_members,
        "can_manage": can_manage,
    }
    if can_view_members:
        context["members"] = Paginator(selectors.organization_members(organization=organization),
                                       100).get_page(request.GET.get("page"))
    if can_manage:
        context["invitations"] = selectors.organization_open_invitations(organization=organization)
        context["invite_form"] = InvitationForm()
    return render(request, "core/organization_detail.html", context)


@login_required
def verification_queue(request: AuthedRequest) -> HttpResponse:
    """Operators: organizations awaiting verification (or, with ?state=verified, those verified)."""
    if not permissions.can_verify_organizations(request.user):
        raise PermissionDenied
    state = "verified" if request.GET.get("state") == "verified" else "awaiting"
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.verification_queue(state=state, query=query),
                     settings.FORWARD_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/verification.html", {
        "page": page, "state": state, "query": query,
        "awaiting": selectors.verification_queue(state="awaiting").count(),
    })


@login_required
@require_POST
def organization_verification(request: AuthedRequest, slug: str) -> HttpResponse:
    """An operator verifies an organization (with its voucher quota), withdraws verification, or
    changes the quota."""
    if not permissions.can_verify_organizations(request.user):
        raise PermissionDenied
    organization = get_object_or_404(Organization, slug=slug)
    action = request.POST.get("action", "")
    try:
        if action == "unverify":
            services.organization_unverify(actor=request.user, organization=organization,
                                           reason=request.POST.get("reason", "")[:500])
            messages.success(request, _("%(org)s is no longer verified.") % {"org": organization.name})
        elif action in ("verify", "quota"):
            form = VerificationForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            if action == "verify":
                services.organization_verify(actor=request.user, organization=organization, **form.cleaned_data)
                messages.success(request, _("%(org)s is verified.") % {"org": organization.name})
            else:
                services.organization_set_quota(actor=request.user, organization=organization, **form.cleaned_data)
                messages.success(request, _("Saved."))
        else:
            raise ValidationError(_("Choose verify, withdraw or save the quota."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    if request.POST.get("next") == "queue":
        return redirect("core:verification_queue")
    return redirect("core:organization_detail", slug=organization.slug)


@login_required
def organization_edit(request: AuthedRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    if not permissions.can_manage_organization(request.user, organization):
        raise PermissionDenied
    kinds = permissions.kinds_for(request.user)
    if organization.kind not in dict(kinds):
        kinds = [*kinds, (organization.kind, organization.get_kind_display())]  # keep what an operator set
    form = OrganizationForm(request.POST or None, instance=organization, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        was_verified = Organization.objects.get(pk=organization.pk).is_verified
        try:
            updated = services.organization_update(actor=request.user, organization=organization,
                                                   **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Saved."))
            if was_verified and not updated.is_verified:
                messages.warning(request, _("The organization now waits for the programme operators to verify it "
                                            "again; until then it acts for nobody but itself."))
            return redirect("core:organization_detail", slug=organization.slug)
    return render(request, "core/organization_form.html", {"form": form, "organization": organization})


@login_required
@require_POST
def organization_invite(request: AuthedRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    if not permissions.can_manage_organization(request.user, organization):
        raise PermissionDenied
    form = InvitationForm(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in field_errors))  # messages (lazy or not)
    else:
        try:
            invitation = services.invitation_create(actor=request.user, organization=organization,
                                                    **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
    return redirect("core:organization_detail", slug=organization.slug)


@login_required
@require_POST
def invitation_cancel(request: AuthedRequest, slug: str, invitation_id: int) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    if not permissions.can_manage_organization(request.user, organization):
        raise PermissionDenied
    if not organization.invitations.filter(pk=invitation_id).exists():
        raise Http404
    services.invitation_cancel(actor=request.user, invitation_id=invitation_id)
    messages.success(request, _("Invitation cancelled."))
    return redirect("core:organization_detail", slug=organization.slug)


@login_required
@require_POST
def membership_remove(request: AuthedRequest, slug: str, membership_id: int) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=membership_id,
                                   organization=organization)
    if not permissions.can_remove_membership(request.user, membership):
        raise PermissionDenied
    leaving = membership.user_id == request.user.pk
    try:
        services.membership_remove(actor=request.user, membership_id=membership.pk)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("core:organization_detail", slug=organization.slug)
    if leaving:
        messages.success(request, _("You left %(org)s.") % {"org": organization.name})
        return redirect("core:dashboard")
    messages.success(request, _("%(name)s was removed.") % {"name": membership.user.display_name})
    return redirect("core:organization_detail", slug=organization.slug)


@login_required
@require_POST
def membership_role(request: AuthedRequest, slug: str, membership_id: int) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    if not permissions.can_manage_organization(request.user, organization):
        raise PermissionDenied
    membership = get_object_or_404(Membership, pk=membership_id, organization=organization)
    try:
        services.membership_set_role(actor=request.user, membership_id=membership.pk,
                                     role=request.POST.get("role", ""))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Role updated."))
    return redirect("core:organization_detail", slug=organization.slug)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = services.invitation_from_token(token)
    if found is None:
        raise Http404
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            membership = services.invitation_accept(user=request.user, token=token)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Welcome to %(org)s.") % {"org": membership.organization.name})
            return redirect("core:organization_detail", slug=membership.organization.slug)
    return render(request, "core/invitation.html", {"invitation": found})


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, initial={
        "name": user.name, "country": user.country.code if user.country else "",
        "preferred_language": user.preferred_language or request.LANGUAGE_CODE, "time_zone": user.time_zone,
    })
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=user, **form.cleaned_data)
        response = redirect("core:profile")
        # Switch the language now; the profile is the default from here on.
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        messages.success(request, _("Your profile was saved."))
        return response
    return render(request, "core/profile.html", {"form": form})


@login_required
def api_tokens(request: AuthedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error("name", _errors(exc))
        else:
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at")[:100]
    return render(request, "core/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def api_token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    try:
        services.api_token_revoke(user=request.user, token_id=token_id)
    except ValidationError:
        raise Http404 from None
    messages.success(request, _("Token revoked. Programs using it can no longer sign in."))
    return redirect("core:api_tokens")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, also saved to the signed-in person's profile."""
    response = django_set_language(request)
    if request.method == "POST":
        services.language_choose(user=request.user, language=request.POST.get("language", ""))
    return response


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "You do not have permission to do this."}, status=403)
    return render(request, "403.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Server error. It has been logged; please try again."}, status=500)
    return render(request, "500.html", status=500)
