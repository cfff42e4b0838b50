"""The host's console pages: activity, teams and participants, failed submissions, disqualifying,
rescoring, messaging the winners. Thin: parse, check `permissions.can_run_console`, call a selector
or a `console` service, render."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forward.core.spreadsheet import SafeWriter
from forward.core.types import AuthedRequest

from . import charts, console, permissions, selectors
from .forms import DisqualifyForm, RescoreForm, WinnersMessageForm
from .models import Competition, CompetitionStatus, RescoreJob, Team
from .views import _base_context, _competition, _errors, _phase

PAGE_SIZE = 25
CSV_CHUNK = 500


def _console_competition(request: AuthedRequest, slug: str) -> Competition:
    competition = _competition(request, slug)
    if not permissions.can_run_console(request.user, competition):
        raise Http404 if competition.status != CompetitionStatus.PUBLISHED else PermissionDenied
    return competition


def _context(request: AuthedRequest, competition: Competition, console_tab: str) -> dict[str, Any]:
    context = _base_context(request, competition, "host")
    context.update({"console_tab": console_tab, "can_console": True})
    return context


@login_required
def overview(request: AuthedRequest, slug: str) -> HttpResponse:
    competition = _console_competition(request, slug)
    context = _context(request, competition, "overview")
    context.update({"counts": selectors.console_overview(competition=competition),
                    "activity_chart": charts.activity_svg(selectors.submission_activity(competition=competition,
                                                                                        days=14)),
                    "winners": selectors.competition_winners(competition=competition),
                    "rescores": selectors.rescore_jobs(competition=competition)[:3]})
    return render(request, "competitions/console/overview.html", context)


@login_required
def teams(request: AuthedRequest, slug: str) -> HttpResponse:
    competition = _console_competition(request, slug)
    query = request.GET.get("q", "")[:200]
    page = Paginator(selectors.console_teams(competition=competition, query=query), PAGE_SIZE).get_page(
        request.GET.get("page"))
    context = _context(request, competition, "teams")
    context.update({"page": page, "query": query, "disqualify_form": DisqualifyForm(),
                    "query_items": [("q", query)] if query else []})
    return render(request, "competitions/console/teams.html", context)


@login_required
def teams_csv(request: AuthedRequest, slug: str) -> StreamingHttpResponse:
    competition = _console_competition(request, slug)
    teams = selectors.console_teams(competition=competition, query=request.GET.get("q", "")[:200])

    def rows() -> Iterator[str]:
        writer = SafeWriter()
        yield writer.writerow(["team_id", "team", "created", "submissions", "disqualified", "reason", "member",
                               "email", "universities", "joined"])
        pages = Paginator(teams, CSV_CHUNK)
        for number in pages.page_range:
            for team in pages.page(number).object_list:
                for member in team.members.all() or [None]:
                    person = [member.user.display_name, member.user.email,
                              "; ".join(m.organization.name for m in member.user.universities),
                              member.joined_at.isoformat()] if member else ["", "", "", ""]
                    yield writer.writerow([team.pk, team.name, team.created_at.isoformat(), team.submission_count,
                                           "yes" if team.is_disqualified else "no", team.disqualified_reason,
                                           *person])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{competition.slug}-teams.csv"'
    return response


def _team(competition: Competition, team_id: int) -> Team:
    return get_object_or_404(Team, pk=team_id, competition=competition, is_baseline=False)


@login_required
@require_POST
def team_disqualify(request: AuthedRequest, slug: str, team_id: int) -> HttpResponse:
    competition = _console_competition(request, slug)
    team = _team(competition, team_id)
    form = DisqualifyForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for the disqualification (up to 2,000 characters)."))
        team = console.team_disqualify(actor=request.user, team=team, reason=form.cleaned_data["reason"])
        messages.success(request, _("%(team)s is disqualified and off the leaderboards.") % {"team": team.name})
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect(_back(request, competition))


@login_required
@require_POST
def team_reinstate(request: AuthedRequest, slug: str, team_id: int) -> HttpResponse:
    competition = _console_competition(request, slug)
    team = console.team_reinstate(actor=request.user, team=_team(competition, team_id))
    messages.success(request, _("%(team)s is reinstated and back on the leaderboards.") % {"team": team.name})
    return redirect(_back(request, competition))


def _back(request: AuthedRequest, competition: Competition) -> str:
    """Back to the teams page the host was on (its search and page), never anywhere else."""
    from django.urls import reverse
    from django.utils.http import urlencode

    url = reverse("competitions:console_teams", args=[competition.slug])
    keep = {k: request.POST[k][:200] for k in ("q", "page") if request.POST.get(k)}
    return f"{url}?{urlencode(keep)}" if keep else url


@login_required
def activity(request: AuthedRequest, slug: str) -> HttpResponse:
    competition = _console_competition(request, slug)
    days = selectors.submission_activity(competition=competition, days=30)
    context = _context(request, competition, "activity")
    context.update({"chart": charts.activity_svg(days), "days": [d for d in reversed(days)
                                                                 if d["scored"] or d["failed"] or d["waiting"]]})
    return render(request, "competitions/console/activity.html", context)


@login_required
def failed(request: AuthedRequest, slug: str) -> HttpResponse:
    competition = _console_competition(request, slug)
    page = Paginator(selectors.failed_submissions(competition=competition), PAGE_SIZE).get_page(
        request.GET.get("page"))
    context = _context(request, competition, "failed")
    context["page"] = page
    return render(request, "competitions/console/failed.html", context)


@login_required
def rescore(request: AuthedRequest, slug: str) -> HttpResponse:
    competition = _console_competition(request, slug)
    form = RescoreForm()
    status = 200
    if request.method == "POST":
        form = RescoreForm(request.POST, request.FILES)
        phase = _phase(request, competition)
        if form.is_valid():
            try:
                console.rescore_start(actor=request.user, phase=phase, upload=form.cleaned_data["file"])
            except ValidationError as exc:
                form.add_error("file", _errors(exc))
            else:
                messages.success(request, _("Solution replaced; every scored submission of %(phase)s is being "
                                            "rescored.") % {"phase": phase.display_name})
                return redirect("competitions:console_rescore", slug=slug)
        status = 400
    context = _context(request, competition, "rescore")
    page = Paginator(selectors.rescore_jobs(competition=competition), PAGE_SIZE).get_page(request.GET.get("page"))
    context.update({"form": form, "page": page})
    return render(request, "competitions/console/rescore.html", context, status=status)


@login_required
def rescore_progress(request: AuthedRequest, slug: str, job_id: int) -> HttpResponse:
    """One job's progress row, polled by htmx while it runs."""
    competition = _console_competition(request, slug)
    job = get_object_or_404(RescoreJob.objects.select_related("phase", "created_by"), pk=job_id,
                            phase__competition=competition)
    return render(request, "competitions/console/_rescore_row.html", {"competition": competition, "job": job})


@login_required
def winners(request: AuthedRequest, slug: str) -> HttpResponse:
    competition = _console_competition(request, slug)
    form = WinnersMessageForm()
    status = 200
    if request.method == "POST":
        form = WinnersMessageForm(request.POST)
        if form.is_valid():
            try:
                message = console.winners_message_send(actor=request.user, competition=competition,
                                                       **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("Your message is being sent to %(n)d people in %(teams)d teams.")
                                 % {"n": len(message.recipients), "teams": len(message.teams)})
                return redirect("competitions:console_winners", slug=slug)
        status = 400
    context = _context(request, competition, "winners")
    page = Paginator(selectors.winners_messages(competition=competition), PAGE_SIZE).get_page(request.GET.get("page"))
    context.update({"form": form, "page": page, "winners": selectors.competition_winners(competition=competition,
                                                                                       places=10)})
    return render(request, "competitions/console/winners.html", context, status=status)
