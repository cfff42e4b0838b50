"""Talent pages: matching rounds. The round's managers (operators, its career office) create it,
add openings, announce it and run the match; candidates and employers rank and see results."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import permissions
from . import rounds as svc
from .forms_rounds import AddOpeningForm, NextRoundForm, RoundForm
from .models import MatchRound, Opening, OpeningStatus, RoundJob, RoundOpening, RoundPhase


def _round(request, round_id: int) -> MatchRound:
    """The round, or 404 for whoever may not see it (the same answer as a missing id)."""
    match_round = get_object_or_404(MatchRound.objects.select_related("organization", "previous"), pk=round_id)
    if not svc.can_view_round(request.user, match_round):
        raise Http404
    return match_round


def _managed(request, round_id: int) -> MatchRound:
    match_round = get_object_or_404(MatchRound.objects.select_related("organization"), pk=round_id)
    if not permissions.can_manage_round(request.user, match_round):
        raise Http404
    return match_round


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def round_list(request):
    page = Paginator(svc.rounds_for(user=request.user), 20).get_page(request.GET.get("page"))
    now = timezone.now()
    for match_round in page:
        match_round.phase_label = RoundPhase(svc.phase_of(match_round, now)).label
    return render(request, "talent/rounds/list.html", {
        "page": page, "can_create": permissions.can_create_round(request.user)})


def _timeline(form) -> dict:
    return {k: form.cleaned_data[k] for k in ("applications_close", "interviews_close", "ranking_close",
                                              "acceptance_close")}


@login_required
def round_create(request):
    if not permissions.can_create_round(request.user):
        raise PermissionDenied
    operator = permissions.is_operator(request.user)
    offices = permissions.career_offices(request.user).order_by("name")
    form = RoundForm(request.POST or None, offices=offices, operator=operator)
    if request.method == "POST" and form.is_valid():
        try:
            match_round = svc.round_create(actor=request.user, name=form.cleaned_data["name"],
                                           organization=form.cleaned_data["organization"], **_timeline(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Round created. Add its openings, then announce it."))
            return redirect("talent:round_detail", round_id=match_round.pk)
    return render(request, "talent/rounds/create.html", {"form": form, "heading": _("New matching round")})


@login_required
def round_next(request, round_id: int):
    """A second round: the openings with seats left, for the candidates left unmatched."""
    previous = _managed(request, round_id)
    form = NextRoundForm(request.POST or None, initial={"name": _("%(name)s: second round") % {"name": previous.name}})
    if request.method == "POST" and form.is_valid():
        try:
            match_round = svc.round_create_next(actor=request.user, previous=previous, name=form.cleaned_data["name"],
                                                **_timeline(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Second round created with the openings that have seats left."))
            return redirect("talent:round_detail", round_id=match_round.pk)
    return render(request, "talent/rounds/create.html", {
        "form": form, "heading": _("Second round after %(name)s") % {"name": previous.name}, "previous": previous})


def _addable_openings(match_round: MatchRound):
    return (Opening.objects.filter(status=OpeningStatus.OPEN, organization__kind="employer",
                                   organization__verified_at__isnull=False)
            .exclude(round_entries__round=match_round).select_related("organization").order_by("title", "pk")[:500])


@login_required
def round_detail(request, round_id: int):
    match_round = _round(request, round_id)
    if request.headers.get("HX-Request"):
        response = render(request, "talent/rounds/_job.html", {
            "round": match_round, "manages": permissions.can_manage_round(request.user, match_round)})
        if match_round.job in (RoundJob.DONE, RoundJob.FAILED):
            response["HX-Refresh"] = "true"  # the whole page changes: results, stats, buttons
        return response
    manages = permissions.can_manage_round(request.user, match_round)
    current = svc.phase_of(match_round)
    context = {"round": match_round, "phase": current, "phase_label": RoundPhase(current).label, "manages": manages,
               "phases": _phase_steps(match_round)}
    if manages:
        entries = RoundOpening.objects.filter(round=match_round).select_related("opening__organization").order_by(
            "opening__organization__name", "opening__title", "pk")
        context.update({
            "entries": Paginator(entries, 50).get_page(request.GET.get("page")),
            "counts": svc.ranking_counts(match_round),
            "answers": svc.answer_counts(match_round),
            "add_form": AddOpeningForm(openings=_addable_openings(match_round)) if not match_round.published else None,
            "can_run": not match_round.results_published_at and match_round.published
            and timezone.now() >= match_round.ranking_close,
        })
    context["is_candidate"] = svc.is_candidate(match_round=match_round, user=request.user)
    context["employer_entries"] = svc.employer_round_openings(match_round=match_round, user=request.user)
    return render(request, "talent/rounds/detail.html", context)


def _phase_steps(match_round: MatchRound) -> list[dict]:
    current = svc.phase_of(match_round)
    order: list[str] = [RoundPhase.APPLICATIONS, RoundPhase.INTERVIEWS, RoundPhase.RANKING, RoundPhase.MATCHING,
             RoundPhase.RESULTS, RoundPhase.CLOSED]
    ends: dict[str, datetime | None] = {RoundPhase.APPLICATIONS: match_round.applications_close, RoundPhase.INTERVIEWS: match_round.interviews_close,
            RoundPhase.RANKING: match_round.ranking_close, RoundPhase.RESULTS: match_round.acceptance_close}
    index = order.index(current) if current in order else -1
    return [{"label": RoundPhase(p).label, "ends": ends.get(p), "current": p == current, "past": i < index}
            for i, p in enumerate(order)]


@require_POST
@login_required
def round_add_opening(request, round_id: int):
    match_round = _managed(request, round_id)
    form = AddOpeningForm(request.POST, openings=_addable_openings(match_round))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("talent:round_detail", round_id=match_round.pk)
    try:
        svc.round_add_opening(actor=request.user, match_round=match_round, opening=form.cleaned_data["opening"],
                              seats=form.cleaned_data["seats"])
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Opening added."))
    return redirect("talent:round_detail", round_id=match_round.pk)


@require_POST
@login_required
def round_announce(request, round_id: int):
    match_round = _managed(request, round_id)
    try:
        svc.round_announce(actor=request.user, match_round=match_round)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Round announced: candidates and employers see it now."))
    return redirect("talent:round_detail", round_id=match_round.pk)


@require_POST
@login_required
def round_run(request, round_id: int):
    match_round = _managed(request, round_id)
    try:
        svc.match_start(actor=request.user, match_round=match_round)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("talent:round_detail", round_id=match_round.pk)


def _positions(request, keys: list[str], what: str) -> list[str]:
    """Rows' chosen positions (a select per row; empty: not ranked) → the keys, best first."""
    chosen: dict[int, str] = {}
    n = len(keys)
    for key in keys:
        raw = request.POST.get(f"position_{key}", "").strip()
        if not raw:
            continue
        if not raw.isdigit() or not 1 <= int(raw) <= n:
            raise ValidationError(_("Positions go from 1 to %(n)d.") % {"n": n})
        if int(raw) in chosen:
            raise ValidationError(_("Two %(what)s have position %(p)s; give each a different position.")
                                  % {"what": what, "p": raw})
        chosen[int(raw)] = key
    return [chosen[p] for p in sorted(chosen)]


@login_required
def candidate_rank(request, round_id: int):
    match_round = _round(request, round_id)
    if not svc.is_candidate(match_round=match_round, user=request.user):
        raise Http404
    openings = svc.candidate_openings(match_round=match_round, user=request.user)
    if request.method == "POST":
        try:
            ordered = _positions(request, [str(o.uuid) for o in openings], _("openings"))
            svc.candidate_rank_set(user=request.user, match_round=match_round, openings=ordered)
        except ValidationError as exc:
            _errors(request, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Your ranking is saved. You can change it until ranking closes."))
            return redirect("talent:round_rank", round_id=match_round.pk)
    ranked = {pk: i for i, pk in enumerate(svc.candidate_ranking(match_round=match_round, user=request.user), 1)}
    rows = [{"opening": o, "position": ranked.get(o.pk)}
            for o in sorted(openings, key=lambda o: (ranked.get(o.pk) or len(openings) + 1, o.title))]
    return render(request, "talent/rounds/rank.html", {
        "round": match_round, "rows": rows, "positions": range(1, len(openings) + 1),
        "open": svc.phase_of(match_round) == RoundPhase.RANKING})


@login_required
def candidate_result(request, round_id: int):
    match_round = _round(request, round_id)
    if not (svc.is_candidate(match_round=match_round, user=request.user)
            or svc.has_result(match_round=match_round, user=request.user)):
        raise Http404
    result = svc.published_result(match_round=match_round, user=request.user)
    explained = None
    if result is not None:
        explained = svc.explain(result, svc.explanation_titles([result]))
    return render(request, "talent/rounds/result.html", {
        "round": match_round, "result": result, "explained": explained,
        "answer": svc.answer_of(result) if result is not None else "",
        "can_answer": result is not None and bool(result.opening_id) and svc.acceptance_open(match_round),
        "seats_left": svc.seats_left(match_round) if result is not None and not result.opening_id else []})


def _answer(request, round_id: int, service, done: str):
    match_round = _round(request, round_id)
    try:
        service(user=request.user, match_round=match_round)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, done)
    return redirect("talent:round_result", round_id=match_round.pk)


@require_POST
@login_required
def candidate_accept(request, round_id: int):
    return _answer(request, round_id, svc.result_accept, _("You accepted your match."))


@require_POST
@login_required
def candidate_decline(request, round_id: int):
    return _answer(request, round_id, svc.result_decline,
                   _("You declined your match; its seat goes back to the round."))


@login_required
def employer_rank(request, round_id: int, opening_uuid):
    match_round = _round(request, round_id)
    entry = get_object_or_404(RoundOpening.objects.select_related("opening__organization"), round=match_round,
                              opening__uuid=opening_uuid)
    if not permissions.can_rank_for_opening(request.user, entry.opening):
        raise Http404
    opening = entry.opening
    candidates = svc.opening_candidates(match_round=match_round, opening=opening)
    if request.method == "POST":
        try:
            ordered = _positions(request, [str(c.pk) for c in candidates], _("candidates"))
            raw_seats = request.POST.get("seats", "").strip()
            if raw_seats and not raw_seats.isdigit():
                raise ValidationError(_("Seats must be a whole number from 1 to 10,000."))
            svc.employer_rank_set(actor=request.user, match_round=match_round, opening=opening,
                                  candidates=[int(c) for c in ordered], seats=int(raw_seats) if raw_seats else None)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Your ranking is saved. You can change it until ranking closes."))
            return redirect("talent:round_employer_rank", round_id=match_round.pk, opening_uuid=opening.uuid)
        entry.refresh_from_db()
    ranked = {pk: i for i, pk in enumerate(svc.employer_ranking(match_round=match_round, opening=opening), 1)}
    rows = [{"candidate": c, "position": ranked.get(c.pk)}
            for c in sorted(candidates, key=lambda c: (ranked.get(c.pk) or len(candidates) + 1, c.name))]
    results = svc.opening_results(match_round=match_round, opening=opening)
    for r in results:
        r.answer = svc.answer_of(r)
    return render(request, "talent/rounds/employer_rank.html", {
        "round": match_round, "entry": entry, "opening": opening, "rows": rows,
        "positions": range(1, len(candidates) + 1), "open": svc.phase_of(match_round) == RoundPhase.RANKING,
        "published": bool(match_round.results_published_at), "results": results,
        "filled": sum(1 for r in results if not r.declined_at)})


urlpatterns = [
    path("rounds/", round_list, name="round_list"),
    path("rounds/new/", round_create, name="round_create"),
    path("rounds/<int:round_id>/", round_detail, name="round_detail"),
    path("rounds/<int:round_id>/openings/", round_add_opening, name="round_add_opening"),
    path("rounds/<int:round_id>/announce/", round_announce, name="round_announce"),
    path("rounds/<int:round_id>/run/", round_run, name="round_run"),
    path("rounds/<int:round_id>/next/", round_next, name="round_next"),
    path("rounds/<int:round_id>/rank/", candidate_rank, name="round_rank"),
    path("rounds/<int:round_id>/result/", candidate_result, name="round_result"),
    path("rounds/<int:round_id>/result/accept/", candidate_accept, name="round_accept"),
    path("rounds/<int:round_id>/result/decline/", candidate_decline, name="round_decline"),
    path("rounds/<int:round_id>/openings/<uuid:opening_uuid>/rank/", employer_rank, name="round_employer_rank"),
]
