"""Talent pages: applications and interviews. Thin: parse, check permission, call
talent.applications, render. What is not yours is a 404, the same answer as a missing id."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forward.core.models import MAX_ID, Organization
from forward.core.spreadsheet import SafeWriter
from forward.core.types import AuthedRequest
from forward.credentials import selectors as credential_selectors

from . import applications as service
from .forms_applications import ApplyForm, MoveForm, NoteForm, SlotForm
from .ics import interview_calendar
from .models import Application, InterviewSlot, Opening, OpeningStatus, Stage
from .permissions import can_work_applications

PAGE_SIZE = 25


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _opening_for_applicant(uuid) -> Opening:
    """An opening a learner may see: published by a verified employer (drafts give nothing away)."""
    opening = get_object_or_404(Opening.objects.select_related("organization"), uuid=uuid)
    if opening.status == OpeningStatus.DRAFT or not opening.organization.is_verified:
        raise Http404
    return opening


def _opening_for_employer(request: AuthedRequest, uuid) -> Opening:
    opening = get_object_or_404(Opening.objects.select_related("organization"), uuid=uuid)
    if not can_work_applications(request.user, opening.organization):
        raise Http404
    return opening


def _mine(request: AuthedRequest, pk: int) -> Application:
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(Application.objects.select_related("opening__organization"), pk=pk,
                             applicant_id=request.user.pk)


def _for_employer(request: AuthedRequest, pk: int) -> Application:
    if pk > MAX_ID:
        raise Http404
    application = get_object_or_404(Application.objects.select_related("opening__organization", "applicant"), pk=pk)
    if not can_work_applications(request.user, application.opening.organization):
        raise Http404
    return application


# --- the applicant -----------------------------------------------------------------------------------

@login_required
def apply(request: AuthedRequest, uuid) -> HttpResponse:
    opening = _opening_for_applicant(uuid)
    existing = Application.objects.filter(opening=opening, applicant_id=request.user.pk).first()
    if existing is not None:
        messages.info(request, _("You have already applied to this opening."))
        return redirect("talent:application", pk=existing.pk)
    held = list(credential_selectors.active_for(user=request.user))
    reasons = service.eligibility(request.user, opening, credentials=held)
    form = ApplyForm(request.POST or None, credentials=held)
    if request.method == "POST" and not reasons and form.is_valid():
        try:
            application = service.apply(user=request.user, opening=opening, note=form.cleaned_data["note"],
                                        include=form.cleaned_data["include"])
        except service.AlreadyApplied as exc:
            messages.info(request, _("You have already applied to this opening."))
            return redirect("talent:application", pk=exc.application.pk)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Application sent. You will get an email when the employer moves it."))
            return redirect("talent:application", pk=application.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "talent/applications/apply.html",
                  {"opening": opening, "form": form, "reasons": reasons, "held": held}, status=status)


@login_required
def my_applications(request: AuthedRequest) -> HttpResponse:
    page = Paginator(service.mine(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "talent/applications/mine.html", {"page": page})


@login_required
def application_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _mine(request, pk)
    booked = service.booked_slot(application)
    slots = list(service.open_slots(application.opening)) if application.stage == Stage.INTERVIEW else []
    return render(request, "talent/applications/detail.html", {
        "application": application, "opening": application.opening, "history": service.history(application),
        "booked": booked, "slots": slots, "can_withdraw": service.can_withdraw(application),
        "can_answer": service.can_answer_offer(application), "now": timezone.now(),
        "snapshot": application.snapshot})


@login_required
@require_POST
def application_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    application = _mine(request, pk)
    try:
        if action == "withdraw":
            service.withdraw(user=request.user, application=application)
            messages.success(request, _("You withdrew the application."))
        elif action == "accept":
            service.accept_offer(user=request.user, application=application)
            messages.success(request, _("You accepted the offer. Congratulations!"))
        elif action == "decline":
            service.decline_offer(user=request.user, application=application)
            messages.success(request, _("You declined the offer."))
        elif action == "book":
            try:
                slot_id = int(request.POST.get("slot", ""))
            except ValueError:
                slot_id = 0
            if not 0 < slot_id <= MAX_ID:
                messages.error(request, _("Choose one of the times offered."))
                return redirect("talent:application", pk=pk)
            service.slot_book(user=request.user, application=application, slot_id=slot_id)
            messages.success(request, _("Interview booked. The invitation is in your email and below."))
        elif action == "cancel":
            service.slot_cancel(user=request.user, application=application)
            messages.success(request, _("You gave the interview slot back. Choose another when you can."))
        else:
            raise Http404
    except service.NotFound:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("talent:application", pk=pk)


def _ics_response(slot: InterviewSlot, application: Application) -> HttpResponse:
    response = HttpResponse(interview_calendar(slot=slot, application=application),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{application.pk}.ics"'
    return response


@login_required
def application_ics(request: AuthedRequest, pk: int) -> HttpResponse:
    """The booked interview as .ics: for the applicant, and for the employer's members."""
    if pk > MAX_ID:
        raise Http404
    application = get_object_or_404(
        Application.objects.select_related("opening__organization", "applicant"), pk=pk)
    if application.applicant_id != request.user.pk and not can_work_applications(
            request.user, application.opening.organization):
        raise Http404
    slot = InterviewSlot.objects.select_related("created_by").filter(booked_by=application).first()
    if slot is None:
        raise Http404
    return _ics_response(slot, application)


# --- the employer ------------------------------------------------------------------------------------

@login_required
def employer_home(request: AuthedRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    if not can_work_applications(request.user, organization):
        raise Http404
    page = Paginator(service.employer_openings(organization=organization), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "talent/applications/employer_home.html", {"organization": organization, "page": page})


@login_required
def pipeline(request: AuthedRequest, uuid) -> HttpResponse:
    opening = _opening_for_employer(request, uuid)
    stage = request.GET.get("stage", "")
    if stage and stage not in Stage.values:
        stage = ""
    if request.method == "POST":
        form = MoveForm(request.POST)
        ids = []
        for value in request.POST.getlist("ids"):
            if not value.isdigit() or int(value) > MAX_ID:
                raise Http404
            ids.append(int(value))
        if not form.is_valid():
            messages.error(request, _("Choose a stage to move them to."))
        elif not ids:
            messages.error(request, _("Tick the applications to move first."))
        else:
            to = form.cleaned_data["stage"]
            try:
                moved = service.move(actor=request.user, application_ids=ids, to_stage=to)
            except service.NotFound:
                raise Http404 from None
            except ValidationError as exc:
                messages.error(request, _("Nothing was moved. ") + _errors(exc))
            else:
                messages.success(request, _("Moved %(n)d to %(stage)s; each applicant gets an email.") % {
                    "n": len(moved), "stage": Stage(to).label})
        target = request.get_full_path()
        return redirect(target)
    page = Paginator(service.pipeline(opening=opening, stage=stage), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "talent/applications/pipeline.html", {
        "opening": opening, "page": page, "stage": stage, "counts": service.stage_counts(opening=opening),
        "stages": Stage.choices, "move_form": MoveForm()})


@login_required
def review(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _for_employer(request, pk)
    return render(request, "talent/applications/review.html", {
        "application": application, "opening": application.opening, "snapshot": application.snapshot,
        "notes": application.notes.select_related("author"), "history": service.history(application),
        "moves": [(s, Stage(s).label) for s in service.employer_moves(application)],
        "booked": service.booked_slot(application), "note_form": NoteForm()})


@login_required
@require_POST
def review_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    application = _for_employer(request, pk)
    try:
        if action == "move":
            to = request.POST.get("stage", "")
            service.move(actor=request.user, application_ids=[application.pk], to_stage=to)
            messages.success(request, _("Moved to %(stage)s; the applicant gets an email.") % {
                "stage": service.stage_label(to)})
        elif action == "note":
            form = NoteForm(request.POST)
            if not form.is_valid():
                messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            else:
                service.note_add(actor=request.user, application=application, text=form.cleaned_data["text"])
                messages.success(request, _("Note added."))
        else:
            raise Http404
    except service.NotFound:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("talent:review", pk=pk)


CSV_HEADER = ("application", "name", "email", "stage", "applied_at", "updated_at", "headline", "countries",
              "note", "verified_achievements", "interview_starts_at", "review_url")


@login_required
def applications_csv(request: AuthedRequest, uuid) -> StreamingHttpResponse:
    from django.conf import settings

    opening = _opening_for_employer(request, uuid)
    rows = service.pipeline(opening=opening).order_by("created_at", "pk")

    def lines():
        writer = SafeWriter()
        yield writer.writerow(CSV_HEADER)
        for application in rows.iterator(chunk_size=500):
            snapshot = application.snapshot or {}
            declared = snapshot.get("self_declared") or {}
            slots = list(application.slots.all())
            yield writer.writerow([
                application.pk, application.applicant.display_name, application.applicant.email, application.stage,
                application.created_at.isoformat(), application.updated_at.isoformat(), declared.get("headline", ""),
                " ".join(declared.get("countries") or []), application.note,
                "; ".join(f"{v.get('name', '')} <{v.get('url', '')}>" for v in snapshot.get("verified") or []),
                slots[0].starts_at.isoformat() if slots else "",
                settings.SITE_URL + f"/talent/applications/{application.pk}/review/"])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="applications-{opening.uuid}.csv"'
    return response


@login_required
def slots(request: AuthedRequest, uuid) -> HttpResponse:
    opening = _opening_for_employer(request, uuid)
    form = SlotForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                service.slot_create(actor=request.user, opening=opening, **form.cleaned_data)
            except service.NotFound:
                raise Http404 from None
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("Slot added. Candidates at the interview stage can book it."))
                return redirect("talent:slots", uuid=opening.uuid)
        status = 400
    rows = (InterviewSlot.objects.filter(opening=opening, starts_at__gt=timezone.now() - timedelta(days=7))
            .select_related("booked_by__applicant").order_by("starts_at", "pk")[:200])
    waiting = service.with_booked_slot(service.pipeline(opening=opening, stage=Stage.INTERVIEW)).filter(has_slot=False)
    return render(request, "talent/applications/slots.html", {
        "opening": opening, "form": form, "slots": rows, "waiting": waiting[:50],
        "open_count": service.open_slots(opening).count(), "max_open": service.MAX_OPEN_SLOTS}, status=status)


@login_required
@require_POST
def slot_delete(request: AuthedRequest, uuid, slot_id: int) -> HttpResponse:
    opening = _opening_for_employer(request, uuid)
    if slot_id > MAX_ID:
        raise Http404
    slot = get_object_or_404(InterviewSlot.objects.select_related("opening__organization"), pk=slot_id,
                             opening=opening)
    try:
        service.slot_delete(actor=request.user, slot=slot)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Slot removed."))
    return redirect("talent:slots", uuid=opening.uuid)


urlpatterns = [
    path("openings/<uuid:uuid>/apply/", apply, name="apply"),
    path("applications/", my_applications, name="applications"),
    path("applications/<int:pk>/", application_detail, name="application"),
    path("applications/<int:pk>/interview.ics", application_ics, name="application_ics"),
    path("applications/<int:pk>/review/", review, name="review"),
    path("applications/<int:pk>/review/<str:action>/", review_action, name="review_action"),
    path("applications/<int:pk>/<str:action>/", application_action, name="application_action"),
    path("openings/<uuid:uuid>/applications/", pipeline, name="pipeline"),
    path("openings/<uuid:uuid>/applications.csv", applications_csv, name="applications_csv"),
    path("openings/<uuid:uuid>/slots/", slots, name="slots"),
    path("openings/<uuid:uuid>/slots/<int:slot_id>/delete/", slot_delete, name="slot_delete"),
    path("employers/<slug:slug>/applications/", employer_home, name="employer_applications"),
]
