"""Competition pages: thin — parse, check permission, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forward.core.permissions import acting_organizations
from forward.core.spreadsheet import SafeWriter
from forward.core.storage import download_response
from forward.core.types import AuthedRequest

from . import permissions, selectors, services, submissions
from .forms import (
    AdvanceForm,
    CompetitionEditForm,
    CompetitionForm,
    FileForm,
    PhaseForm,
    SubmissionForm,
    TeamCodeForm,
    TeamCreateForm,
)
from .models import Competition, DataFile, Phase, Submission, SubmissionStatus, next_utc_midnight


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _competition(request: HttpRequest, slug: str) -> Competition:
    competition = get_object_or_404(Competition.objects.select_related("host"), slug=slug)
    if not permissions.can_view(request.user, competition):
        raise Http404  # a draft's URL gives nothing away
    return competition


def _phase(request: HttpRequest, competition: Competition) -> Phase:
    phases = list(competition.phases.all())
    if not phases:
        raise Http404
    number = request.GET.get("phase") or request.POST.get("phase")
    if number:
        for phase in phases:
            if str(phase.number) == number:
                return phase
        raise Http404
    current = selectors.current_phase(competition)
    if current is None:  # not with phases to choose from
        raise Http404
    return current


def _base_context(request: HttpRequest, competition: Competition, tab: str) -> dict[str, Any]:
    phase = selectors.current_phase(competition)
    return {
        "competition": competition, "tab": tab, "phase": phase, "phases": list(competition.phases.all()),
        "state": selectors.competition_state(competition),
        "is_host": permissions.is_host(request.user, competition),
        "can_view_leaderboard": permissions.can_view_leaderboard(request.user, competition),
        "reset_at": next_utc_midnight(),
        **selectors.participant_context(user=request.user, competition=competition, phase=phase),
    }


def competition_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.competition_list(user=request.user), 20).get_page(request.GET.get("page"))
    cards = [{"competition": c, "state": selectors.competition_state(c), "phase": selectors.current_phase(c)}
             for c in page.object_list]
    return render(request, "competitions/list.html", {"page": page, "cards": cards})


@login_required
def competition_create(request: AuthedRequest) -> HttpResponse:
    hosts = acting_organizations(request.user).order_by("name")
    if not hosts.exists():
        messages.error(request, _("Competitions are hosted by an organization: create one, or ask an organization's "
                                  "admin to make you its staff."))
        return redirect("core:organization_list")
    form = CompetitionForm(request.POST or None, hosts=hosts)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            competition = services.competition_create(actor=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Draft created. Upload the solution and data, then publish."))
            return redirect("competitions:host", slug=competition.slug)
    return render(request, "competitions/create.html", {"form": form})


def competition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    competition = _competition(request, slug)
    context = _base_context(request, competition, "overview")
    if context["state"] == "ended" and context["can_view_leaderboard"]:
        context["winners"] = selectors.competition_winners(competition=competition)
    return render(request, "competitions/detail.html", context)


def competition_rules(request: HttpRequest, slug: str) -> HttpResponse:
    competition = _competition(request, slug)
    context = _base_context(request, competition, "rules")
    context["eligible"] = request.user.is_authenticated and permissions.is_eligible(request.user, competition)
    return render(request, "competitions/rules.html", context)


@login_required
@require_POST
def competition_register(request: AuthedRequest, slug: str) -> HttpResponse:
    competition = _competition(request, slug)
    if request.POST.get("accept") != "yes":
        messages.error(request, _("Tick the box to accept the rules."))
        return redirect("competitions:rules", slug=slug)
    try:
        services.register(user=request.user, competition=competition)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("competitions:rules", slug=slug)
    messages.success(request, _("You accepted the rules. Download the data, then create or join a team."))
    return redirect("competitions:team", slug=slug)


def competition_data(request: HttpRequest, slug: str) -> HttpResponse:
    competition = _competition(request, slug)
    context = _base_context(request, competition, "data")
    context["can_download"] = permissions.can_download_data(request.user, competition)
    context["files"] = DataFile.objects.filter(phase__competition=competition).select_related("phase").order_by(
        "phase__number", "name")
    return render(request, "competitions/data.html", context)


def datafile_download(request: HttpRequest, slug: str, file_id: int) -> HttpResponseBase:
    competition = _competition(request, slug)
    datafile = get_object_or_404(DataFile, pk=file_id, phase__competition=competition)
    if not permissions.can_download_data(request.user, competition):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return download_response(request, datafile.file, filename=datafile.name)


def competition_leaderboard(request: HttpRequest, slug: str) -> HttpResponse:
    competition = _competition(request, slug)
    if not permissions.can_view_leaderboard(request.user, competition):
        raise Http404
    phase = _phase(request, competition)
    private_ready = selectors.private_available(phase)
    private = request.GET.get("view") == "private" and private_ready
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    board = selectors.leaderboard(phase=phase, page=page, private=private)
    context = _base_context(request, competition, "leaderboard")
    context.update({"board": board, "shown_phase": phase, "private_ready": private_ready, "private": private,
                    "finalizing": not private_ready and phase.has_ended(),
                    "chart": selectors.leaderboard_chart(phase=phase, private=private)})
    return render(request, "competitions/leaderboard.html", context)


def leaderboard_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    competition = _competition(request, slug)
    if not permissions.can_view_leaderboard(request.user, competition):
        raise Http404
    phase = _phase(request, competition)
    private = request.GET.get("view") == "private" and selectors.private_available(phase)

    def rows():
        writer = SafeWriter()
        yield writer.writerow(["rank", "team", "score", "entries", "last_submission", "improvement_pct"]
                              + (["move"] if private else []))
        page, pages = 1, 1
        while page <= pages:
            board = selectors.leaderboard(phase=phase, page=page, private=private, page_size=1000)
            pages = board.pages
            for r in board.rows:
                yield writer.writerow([r.rank, r.team, r.score, r.entries,
                                       r.last_submission.isoformat() if r.last_submission else "",
                                       "" if r.improvement is None else round(r.improvement, 4)]
                                      + ([r.move] if private else []))
            page += 1

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    kind = "private" if private else "public"
    response["Content-Disposition"] = f'attachment; filename="{competition.slug}-{phase.number}-{kind}.csv"'
    return response


@login_required
def competition_team(request: AuthedRequest, slug: str) -> HttpResponse:
    competition = _competition(request, slug)
    context = _base_context(request, competition, "team")
    if context["team"] is not None:
        context["members"] = selectors.team_members(team=context["team"])
    context.update({"create_form": TeamCreateForm(), "join_form": TeamCodeForm(), "merge_form": TeamCodeForm(),
                    "merge_open": not competition.merger_deadline or timezone.now() <= competition.merger_deadline})
    return render(request, "competitions/team.html", context)


@login_required
@require_POST
def team_action(request: AuthedRequest, slug: str, action: str) -> HttpResponse:
    competition = _competition(request, slug)
    try:
        if action == "create":
            create_form = TeamCreateForm(request.POST)
            if not create_form.is_valid():
                raise ValidationError(_("Give your team a name (up to 80 characters)."))
            team = services.team_create(user=request.user, competition=competition,
                                        name=create_form.cleaned_data["name"])
            messages.success(request, _("Team %(team)s created. Share its invite code with your teammates.")
                             % {"team": team.name})
        elif action in ("join", "merge"):
            form = TeamCodeForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Enter the invite code."))
            code = form.cleaned_data["code"]
            if action == "join":
                team = services.team_join(user=request.user, competition=competition, invite_code=code)
                messages.success(request, _("You joined %(team)s.") % {"team": team.name})
            else:
                team = services.team_merge(user=request.user, competition=competition, invite_code=code)
                messages.success(request, _("The teams were merged into %(team)s.") % {"team": team.name})
        elif action == "leave":
            services.team_leave(user=request.user, competition=competition)
            messages.success(request, _("You left the team."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("competitions:team", slug=slug)


@login_required
def competition_submissions(request: AuthedRequest, slug: str) -> HttpResponse:
    competition = _competition(request, slug)
    context = _base_context(request, competition, "submissions")
    phase = context["phase"]
    form = SubmissionForm()
    status = 200
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES)
        phase = _phase(request, competition)
        if form.is_valid():
            try:
                submission = submissions.submission_create(
                    user=request.user, phase=phase, upload=form.cleaned_data["file"],
                    description=form.cleaned_data["description"])
            except ValidationError as exc:
                form.add_error("file", _errors(exc))
            else:
                messages.success(request, _("Submission #%(id)d received; it is being scored.") % {"id": submission.pk})
                return redirect("competitions:submissions", slug=slug)
        status = 400
    context["form"] = form
    context.update(_submission_list_context(request, competition, phase))
    return render(request, "competitions/submissions.html", context, status=status)


def _submission_list_context(request: HttpRequest, competition: Competition, phase: Phase | None) -> dict[str, Any]:
    team = permissions.team_of(request.user, competition)
    if team is None or phase is None:
        return {"submission_page": None, "pending": False}
    page = Paginator(selectors.team_submissions(team=team, phase=phase), 20).get_page(request.GET.get("page"))
    pending = any(s.status in (SubmissionStatus.QUEUED, SubmissionStatus.RUNNING) for s in page.object_list)
    return {"submission_page": page, "pending": pending, "list_phase": phase,
            "selected_count": sum(1 for s in page.object_list if s.selected)}


@login_required
def submission_rows(request: AuthedRequest, slug: str) -> HttpResponse:
    """The "my submissions" table alone, polled by htmx while something is being scored."""
    competition = _competition(request, slug)
    phase = _phase(request, competition)
    context = {"competition": competition, **_submission_list_context(request, competition, phase),
               "phase": phase, **selectors.participant_context(user=request.user, competition=competition,
                                                                phase=phase)}
    return render(request, "competitions/_submission_rows.html", context)


@login_required
@require_POST
def submission_select(request: AuthedRequest, slug: str, submission_id: int) -> HttpResponse:
    competition = _competition(request, slug)
    submission = get_object_or_404(Submission.objects.select_related("phase"), pk=submission_id,
                                   phase__competition=competition)
    team = permissions.team_of(request.user, competition)
    if team is None or team.pk != submission.team_id:
        raise Http404
    try:
        submissions.submission_select(user=request.user, submission=submission,
                                      selected=request.POST.get("selected") == "1")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("competitions:submissions", slug=slug)


# --- Hosting ------------------------------------------------------------------------------------


def _host_competition(request: HttpRequest, slug: str) -> Competition:
    competition = _competition(request, slug)
    if not permissions.is_host(request.user, competition):
        raise Http404 if competition.status != "published" else PermissionDenied
    return competition


@login_required
def competition_host(request: AuthedRequest, slug: str) -> HttpResponse:
    competition = _host_competition(request, slug)
    context = _base_context(request, competition, "host")
    context.update({
        "can_console": permissions.can_run_console(request.user, competition), "console_tab": "",
        "edit_form": CompetitionEditForm(initial={f: getattr(competition, f) for f in CompetitionEditForm.base_fields}),
        "phase_form": PhaseForm(), "file_form": FileForm(), "advance_form": AdvanceForm(),
        "files": DataFile.objects.filter(phase__competition=competition).select_related("phase"),
        "baselines": Submission.objects.filter(phase__competition=competition, team__is_baseline=True)
        .select_related("phase").order_by("-created_at")[:10],
    })
    return render(request, "competitions/host.html", context)


@login_required
@require_POST
def host_action(request: AuthedRequest, slug: str, action: str) -> HttpResponse:
    competition = _host_competition(request, slug)
    user = request.user
    try:
        if action == "edit":
            edit_form = CompetitionEditForm(request.POST)
            if not edit_form.is_valid():
                raise ValidationError([f"{edit_form.fields[k].label}: {' '.join(str(e) for e in v)}"
                                       for k, v in edit_form.errors.items()])
            services.competition_update(actor=user, competition=competition, **edit_form.cleaned_data)
            messages.success(request, _("Saved."))
        elif action == "publish":
            services.competition_publish(actor=user, competition=competition)
            messages.success(request, _("Published. Participants can now register."))
        elif action == "phase":
            phase_form = PhaseForm(request.POST)
            if not phase_form.is_valid():
                raise ValidationError([f"{phase_form.fields[k].label}: {' '.join(str(e) for e in v)}"
                                       for k, v in phase_form.errors.items()])
            phase = services.phase_add(actor=user, competition=competition, **phase_form.cleaned_data)
            messages.success(request, _("%(phase)s added.") % {"phase": phase.name})
        elif action in ("solution", "datafile", "baseline"):
            file_form = FileForm(request.POST, request.FILES)
            if not file_form.is_valid():
                raise ValidationError(_("Choose a file to upload."))
            phase = _phase(request, competition)
            upload = file_form.cleaned_data["file"]
            if action == "solution":
                phase = services.solution_upload(actor=user, phase=phase, upload=upload)
                messages.success(request, _("Solution accepted: %(rows)d rows, %(public)d public.")
                                 % {"rows": phase.solution_rows, "public": phase.solution_public_rows})
            elif action == "datafile":
                services.datafile_upload(actor=user, phase=phase, upload=upload,
                                         description=file_form.cleaned_data["description"])
                messages.success(request, _("%(name)s uploaded.") % {"name": upload.name})
            else:
                submissions.baseline_submit(actor=user, phase=phase, upload=upload)
                messages.success(request, _("Baseline uploaded; it is being scored."))
        elif action == "advance":
            advance_form = AdvanceForm(request.POST)
            if not advance_form.is_valid():
                raise ValidationError(" ".join(" ".join(str(e) for e in v) for v in advance_form.errors.values()))
            phase = _phase(request, competition)
            n = services.phase_advance(actor=user, phase=phase, top_n=advance_form.cleaned_data["top_n"],
                                       team_ids=advance_form.cleaned_data["team_ids"])
            messages.success(request, _("%(n)d teams may now submit to %(phase)s.") % {"n": n, "phase": phase.name})
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("competitions:host", slug=slug)


def solution_download(request: HttpRequest, slug: str, number: int) -> HttpResponseBase:
    """The hidden solution, for the host's members only; 404 for everyone else."""
    competition = _competition(request, slug)
    if not permissions.is_host(request.user, competition):
        raise Http404
    phase = get_object_or_404(Phase, competition=competition, number=number)
    if not phase.solution_file:
        raise Http404
    # Only the host's members get here, so only they are ever given a presigned URL for the solution.
    return download_response(request, phase.solution_file, content_type="text/csv",
                             filename=f"{competition.slug}-round{phase.number}-solution.csv")
