"""Certification pages: the public ladder of tracks and levels, one certification with its exam,
and the voucher desk of an organization's admins."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from forward.core.models import Organization
from forward.core.spreadsheet import SafeWriter
from forward.core.types import AuthedRequest

from . import certifications, permissions
from .forms import model_choice_field
from .models import Certification, CertificationHolding, CourseStatus, Voucher


def _published() -> QuerySet[Certification]:
    return Certification.objects.filter(status=CourseStatus.PUBLISHED)


def certification_list(request: HttpRequest) -> HttpResponse:
    return render(request, "academy/certifications.html", {
        "tracks": certifications.certifications_by_track(user=request.user),
        "can_issue": _admin_orgs(request).exists()})


def certification_detail(request: HttpRequest, slug: str) -> HttpResponse:
    from .views import _assessment_context

    certification = get_object_or_404(_published().select_related("exam", "owner"), slug=slug)
    exam = certification.exam
    # An attempt whose deadline passed while the candidate was away shows as marked, and a pass in
    # the status below; the periodic job (or their next POST) stores both and issues the credential.
    context = _assessment_context(request, exam)
    prerequisites = list(certification.prerequisites.all())
    status = certifications.statuses(user=request.user, certifications=[certification, *prerequisites])
    sitting = retake_from = None
    if request.user.is_authenticated:
        sitting = certifications.open_sitting(user=request.user, certification=certification)
        retake_from = certifications.retake_from(user=request.user, certification=certification)
    pool = exam.questions.count()
    history = (CertificationHolding.objects.filter(user=request.user, certification=certification)
               if request.user.is_authenticated else CertificationHolding.objects.none())
    return render(request, "academy/certification.html", {
        **context, "certification": certification, "status": status[certification.pk], "sitting": sitting,
        "prerequisites": [(p, status[p.pk]) for p in prerequisites], "history": history,
        "action_url": reverse("academy:certification_attempt", args=[certification.slug]),
        "skills": certification.skills.all(), "question_count": pool, "retake_from": retake_from,
        "validity": certifications.validity_text(certification.validity_days),
        "drawn": min(exam.questions_per_attempt, pool) if exam.questions_per_attempt else pool,
    })


@login_required
@require_POST
def certification_redeem(request: AuthedRequest, slug: str) -> HttpResponse:
    certification = get_object_or_404(_published(), slug=slug)
    try:
        certifications.voucher_redeem(user=request.user, code=request.POST.get("code", "")[:40],
                                      certification=certification)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Voucher accepted. Start the exam when you are ready: the clock starts then."))
    return redirect("academy:certification", slug=certification.slug)


@login_required
@require_POST
def certification_attempt(request: AuthedRequest, slug: str) -> HttpResponse:
    from .views import assessment_post

    certification = get_object_or_404(_published().select_related("exam"), slug=slug)
    assessment_post(request, certification.exam)
    return redirect("academy:certification", slug=certification.slug)


# --- The voucher desk ---------------------------------------------------------------------------

def _admin_orgs(request: HttpRequest) -> QuerySet[Organization]:
    return permissions.voucher_organizations(request.user)


class _CertificationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Certification) -> str:
        return obj.display_title


class VoucherForm(forms.Form):
    certification = _CertificationField(label=gettext_lazy("Certification"), queryset=None, empty_label=None)
    count = forms.IntegerField(label=gettext_lazy("Number of vouchers"), min_value=1,
                               max_value=certifications.MAX_VOUCHERS, initial=10)
    expires_at = forms.DateTimeField(label=gettext_lazy("Valid until (optional)"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                format="%Y-%m-%dT%H:%M"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "certification").queryset = _published().order_by("track", "title")


@login_required
def vouchers(request: AuthedRequest) -> HttpResponse:
    orgs = list(_admin_orgs(request).order_by("name"))
    if not orgs:
        raise Http404  # only organizations' admins hold vouchers
    chosen = request.GET.get("org") or request.POST.get("org") or orgs[0].slug
    org = next((o for o in orgs if o.slug == chosen), None)
    if org is None:
        raise Http404  # another organization's vouchers do not exist for this viewer
    form = VoucherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = certifications.vouchers_issue(actor=request.user, certification=data["certification"],
                                                   organization=org, count=data["count"],
                                                   expires_at=data["expires_at"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("%(n)d vouchers issued for %(title)s.")
                             % {"n": len(issued), "title": data["certification"].display_title})
            return redirect(f"{reverse('academy:vouchers')}?org={org.slug}")
    rows = (Voucher.objects.filter(organization=org).select_related("certification", "redeemed_by")
            .order_by("-issued_at", "pk"))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "academy/vouchers.html", {
        "orgs": orgs, "org": org, "form": form, "page": page,
        "left": certifications.vouchers_left(organization=org) if org.is_verified else 0})


@login_required
def vouchers_csv(request: AuthedRequest) -> HttpResponse:
    org = _admin_orgs(request).filter(slug=request.GET.get("org", "")).first()
    if org is None:
        raise Http404  # another organization's codes do not exist for this viewer
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{org.slug}-vouchers.csv"'
    writer = SafeWriter(response)
    writer.writerow(["code", "certification", "issued", "valid_until"])
    for voucher in (Voucher.objects.usable(timezone.now()).filter(organization=org)
                    .select_related("certification").order_by("certification__title", "issued_at", "pk")):
        writer.writerow([voucher.code, voucher.certification.title, voucher.issued_at.date().isoformat(),
                         voucher.expires_at.date().isoformat() if voucher.expires_at else ""])
    return response
