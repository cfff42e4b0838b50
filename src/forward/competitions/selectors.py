"""Reads shared by competition pages and the API. Leaderboards do a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Count, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from forward import scoring
from forward.core.models import Membership, Organization, OrganizationKind, User
from forward.core.permissions import acting_organizations, is_operator
from forward.core.types import AnyUser

from . import permissions
from .models import (
    Competition,
    CompetitionStatus,
    LeaderboardEntry,
    LeaderboardEntryQuerySet,
    Phase,
    PhaseResult,
    Registration,
    RescoreJob,
    Submission,
    SubmissionStatus,
    Team,
    TeamMember,
    WinnersMessage,
    utc_day_start,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

PAGE_SIZE = 50


class DayActivity(TypedDict):
    """One UTC day of submission_activity."""

    day: date
    scored: int
    failed: int
    waiting: int


class ParticipantContext(TypedDict):
    registered: bool
    team: Team | None
    left_today: int | None  # None: no round to submit to


class HomeEntry(TypedDict):
    competition: Competition
    team: Team
    phase: Phase | None
    rank: int | None  # None: no scored submission yet, or disqualified
    ranked: int


class HostedCounts(TypedDict):
    """What home_hosted annotates each competition with."""

    home_teams: int
    home_recent: int
    home_failed: int


def competition_list(*, user: AnyUser) -> QuerySet[Competition]:
    visible = Q(status=CompetitionStatus.PUBLISHED)
    if user.is_authenticated:
        if is_operator(user):
            visible = Q()
        else:  # drafts: to the host's admins and staff (see permissions.is_host)
            visible |= Q(host__in=acting_organizations(user))
    return (Competition.objects.filter(visible).distinct().select_related("host")
            .annotate(team_count=Count("teams", filter=Q(teams__is_baseline=False), distinct=True))
            .prefetch_related("phases").order_by("-created_at"))


def current_phase(competition: Competition, now: datetime | None = None) -> Phase | None:
    """The round that is open now, else the next one, else the last one."""
    now = now or timezone.now()
    phases = list(competition.phases.all())
    if not phases:
        return None
    for phase in phases:
        if phase.starts_at <= now < phase.ends_at:
            return phase
    upcoming = [p for p in phases if p.starts_at > now]
    return upcoming[0] if upcoming else phases[-1]


def competition_state(competition: Competition, now: datetime | None = None) -> str:
    """draft, upcoming, running or ended."""
    if competition.status == CompetitionStatus.DRAFT:
        return "draft"
    now = now or timezone.now()
    phases = list(competition.phases.all())
    if not phases or now < phases[0].starts_at:
        return "upcoming"
    if now >= phases[-1].ends_at:
        return "ended"
    return "running"


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int
    team_id: int
    team: str
    score: float | None
    entries: int
    last_submission: datetime | None
    improvement: float | None  # % over the baseline, positive = better
    move: int | None = None  # private leaderboard: places gained since the public leaderboard


@dataclass(frozen=True)
class Leaderboard:
    higher_is_better: bool
    rows: list[LeaderboardRow]
    baseline: float | None
    page: int
    pages: int
    count: int


def improvement(score: float | None, baseline: float | None, higher_is_better: bool) -> float | None:
    if score is None or baseline is None or baseline == 0:
        return None
    change = (score - baseline) / abs(baseline) * 100.0
    return change if higher_is_better else -change


def private_available(phase: Phase) -> bool:
    """Private scores exist for the world only once the round has ended and been finalized.

    A read, like every selector: the periodic job (tasks.reap) finalizes an ended round within a
    reap interval; until then the pages say the private board is being finalized.
    """
    return phase.has_ended() and PhaseResult.objects.filter(phase=phase).exists()


def leaderboard(*, phase: Phase, page: int = 1, private: bool = False, page_size: int = PAGE_SIZE) -> Leaderboard:
    """One page of a round's leaderboard (public, or private after the end): four queries."""
    higher = scoring.get_metric(phase.competition.metric).higher_is_better
    entries = ranked_entries(phase=phase).in_order(private=private)
    count = entries.count()
    pages = max(1, -(-count // page_size))
    page = min(max(1, page), pages)
    offset = (page - 1) * page_size
    baseline_entry = LeaderboardEntry.objects.filter(phase=phase, team__is_baseline=True).first()
    baseline = None
    if baseline_entry is not None:
        baseline = baseline_entry.private_score if private else baseline_entry.best_public
    rows = []
    for i, entry in enumerate(entries.select_related("team")[offset: offset + page_size]):
        score = entry.private_score if private else entry.best_public
        rank = offset + i + 1
        rows.append(LeaderboardRow(
            rank=rank, team_id=entry.team_id, team=entry.team.name, score=score, entries=entry.entries,
            last_submission=entry.last_submission_at, improvement=improvement(score, baseline, higher),
            move=(entry.public_rank - rank) if private and entry.public_rank else None,
        ))
    return Leaderboard(higher_is_better=higher, rows=rows, baseline=baseline,
                       page=page, pages=pages, count=count)


def ranked_entries(*, phase: Phase) -> LeaderboardEntryQuerySet:
    """The entries that take a place on a leaderboard: not the host's baseline, not a disqualified team."""
    return LeaderboardEntry.objects.filter(phase=phase, team__is_baseline=False, team__disqualified_at__isnull=True)


def leaderboard_team_ids(*, phase: Phase, limit: int, private: bool = False) -> list[int]:
    entries = ranked_entries(phase=phase).in_order(private=private)
    return list(entries.values_list("team_id", flat=True)[:limit])


def leaderboard_chart(*, phase: Phase, teams: int = 8, private: bool = False) -> dict[str, Any]:
    """Best score over time for the top teams and the baseline: three queries. Public scores, or,
    on the private leaderboard, private scores for the teams at the top of it."""
    higher = scoring.get_metric(phase.competition.metric).higher_is_better
    columns = ("team_id", "team__name", "team__is_baseline")
    ranked = ranked_entries(phase=phase).in_order(private=private)
    top = list(ranked.values_list(*columns)[:teams])
    top += list(LeaderboardEntry.objects.filter(phase=phase, team__is_baseline=True).values_list(*columns))
    ids = [t[0] for t in top]
    series: dict[int, list[list[Any]]] = {t: [] for t in ids}  # [ISO time, score] pairs
    best: dict[int, float] = {}
    field = "private_score" if private else "public_score"
    for team_id, score, created in (Submission.objects.filter(phase=phase, team_id__in=ids,
                                                              status=SubmissionStatus.SCORED,
                                                              **{f"{field}__isnull": False})
                                    .order_by("created_at", "pk").values_list("team_id", field, "created_at")):
        current = best.get(team_id)
        if current is None or (score > current if higher else score < current):
            best[team_id] = score
            series[team_id].append([created.isoformat(), score])
    return {
        "higher_is_better": higher,
        "metric": phase.competition.metric,
        "private": private,
        "series": [{"team": name, "baseline": is_baseline, "points": series[team_id]}
                   for team_id, name, is_baseline in top if series[team_id]],
    }


def team_submissions(*, team: Team, phase: Phase) -> QuerySet[Submission]:
    return Submission.objects.filter(team=team, phase=phase).select_related("submitted_by").order_by("-created_at", "-pk")


def team_members(*, team: Team) -> QuerySet[TeamMember]:
    return team.members.select_related("user").order_by("joined_at")


def participant_context(*, user: AnyUser, competition: Competition, phase: Phase | None) -> ParticipantContext:
    """What a participant sees about themselves: registration, team, submissions left today."""
    from .submissions import submissions_used_today

    context: ParticipantContext = {"registered": permissions.is_registered(user, competition), "team": None,
                                   "left_today": None}
    team = permissions.team_of(user, competition)
    if team is not None:
        context["team"] = team
        if phase is not None and phase.is_open():  # no count for a round not started or ended
            context["left_today"] = max(0, phase.daily_limit - submissions_used_today(team=team, phase=phase))
    return context


# --- impact: plain rows for the impact app's rollups ------------------------------------------------

def impact_teams(*, teams: Iterable[int] | None = None) -> Iterator[tuple[Any, ...]]:
    """(team id, created at, the host's country) of every team entered in a competition (not the
    host's baseline row), or of these. Streamed."""
    rows = Team.objects.filter(is_baseline=False).order_by()
    if teams is not None:
        rows = rows.filter(pk__in=list(teams))
    return rows.values_list("pk", "created_at", "competition__host__country").iterator(chunk_size=5000)


def impact_new_teams(*, since: datetime, until: datetime) -> set[int]:
    return set(Team.objects.filter(created_at__gte=since, created_at__lt=until).values_list("pk", flat=True))


def impact_team_labels(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """team id → ("Team name · Competition", link to the competition). One query."""
    from django.urls import reverse

    return {pk: (f"{name} · {title}", reverse("competitions:detail", args=[slug]))
            for pk, name, title, slug in Team.objects.filter(pk__in=list(ids)).values_list(
                "pk", "name", "competition__title", "competition__slug")}


# --- the host's console ---------------------------------------------------------------------------

def competition_winners(*, competition: Competition, places: int = 3) -> list[LeaderboardRow]:
    """An ended competition's winners: the top of the final round's private leaderboard (none before
    it is computed)."""
    phases = list(competition.phases.all())
    if not phases or not private_available(phases[-1]):
        return []
    return leaderboard(phase=phases[-1], private=True, page_size=places).rows


def console_teams(*, competition: Competition, query: str = "") -> QuerySet[Team]:
    """The competition's teams for the host, with members and their universities (four queries a page
    whatever its size); ``query`` matches a team name, a member's name or email, or a member's
    university."""
    teams = Team.objects.filter(competition=competition, is_baseline=False)
    query = query.strip()
    if query:
        matching = Team.objects.filter(
            Q(name__icontains=query) | Q(members__user__name__icontains=query)
            | Q(members__user__email__icontains=query)
            | Q(members__user__memberships__organization__name__icontains=query,
                members__user__memberships__organization__kind=OrganizationKind.UNIVERSITY),
            competition=competition)
        teams = teams.filter(pk__in=matching.values("pk"))
    universities = Membership.objects.filter(organization__kind=OrganizationKind.UNIVERSITY).select_related(
        "organization").order_by("organization__name")
    members = TeamMember.objects.select_related("user").order_by("joined_at", "pk").prefetch_related(
        Prefetch("user__memberships", queryset=universities, to_attr="universities"))
    return (teams.annotate(submission_count=Count("submissions", distinct=True))
            .prefetch_related(Prefetch("members", queryset=members)).order_by("name", "pk"))


def console_overview(*, competition: Competition) -> dict[str, dict[str, int]]:
    """Counts for the console's overview: three queries."""
    day_ago = timezone.now() - timedelta(days=1)
    submissions = Submission.objects.filter(phase__competition=competition, team__is_baseline=False).aggregate(
        total=Count("pk"), scored=Count("pk", filter=Q(status=SubmissionStatus.SCORED)),
        failed=Count("pk", filter=Q(status=SubmissionStatus.FAILED)),
        waiting=Count("pk", filter=Q(status__in=[SubmissionStatus.QUEUED, SubmissionStatus.RUNNING])),
        last_day=Count("pk", filter=Q(created_at__gte=day_ago)))
    teams = Team.objects.filter(competition=competition, is_baseline=False).aggregate(
        total=Count("pk"), disqualified=Count("pk", filter=Q(disqualified_at__isnull=False)))
    people = {
        "registered": Registration.objects.filter(competition=competition).count(),
        "in_teams": TeamMember.objects.filter(competition=competition).count(),
    }
    return {"submissions": submissions, "teams": teams, "people": people}


def submission_activity(*, competition: Competition, days: int = 30,
                        now: datetime | None = None) -> list[DayActivity]:
    """Submissions per UTC day over the last ``days`` days (every day, zeros included): scored, failed
    and still waiting. One query."""
    first = utc_day_start(now) - timedelta(days=days - 1)
    counts = {row["day"]: row for row in (
        Submission.objects.filter(phase__competition=competition, team__is_baseline=False, created_at__gte=first)
        .annotate(day=TruncDate("created_at", tzinfo=UTC)).values("day").order_by("day")
        .annotate(scored=Count("pk", filter=Q(status=SubmissionStatus.SCORED)),
                  failed=Count("pk", filter=Q(status=SubmissionStatus.FAILED)),
                  total=Count("pk")))}
    rows: list[DayActivity] = []
    for i in range(days):
        day = (first + timedelta(days=i)).date()
        row = counts.get(day, {})
        scored, failed = row.get("scored", 0), row.get("failed", 0)
        rows.append({"day": day, "scored": scored, "failed": failed, "waiting": row.get("total", 0) - scored - failed})
    return rows


def failed_submissions(*, competition: Competition) -> QuerySet[Submission]:
    return (Submission.objects.filter(phase__competition=competition, status=SubmissionStatus.FAILED)
            .select_related("team", "phase", "submitted_by").order_by("-created_at", "-pk"))


def rescore_jobs(*, competition: Competition) -> QuerySet[RescoreJob]:
    return RescoreJob.objects.filter(phase__competition=competition).select_related("phase", "created_by")


def winners_messages(*, competition: Competition) -> QuerySet[WinnersMessage]:
    return WinnersMessage.objects.filter(competition=competition).select_related("sent_by")
# --- the home page (competitions/home.py): constant queries -----------------------------------------

def home_entries(*, user: User, now: datetime | None = None, limit: int = 5) -> list[HomeEntry]:
    """The published competitions this person has a team in, newest first: each with its current
    round, and the team's rank on that round's public leaderboard out of how many teams are ranked
    (rank None: no scored submission yet). Three queries, however many teams and submissions."""
    from django.db.models import IntegerField, OuterRef, Subquery

    from .models import TeamMember

    now = now or timezone.now()
    members = list(TeamMember.objects.filter(user=user, team__is_baseline=False,
                                             competition__status=CompetitionStatus.PUBLISHED)
                   .select_related("team", "competition").prefetch_related("competition__phases")
                   .order_by("-competition__created_at", "-pk")[:limit])
    if not members:
        return []
    # The rounds come with the members (one query for all): current_phase reads them, no query each.
    current = {m.pk: current_phase(m.competition, now) for m in members}
    ranked = LeaderboardEntry.objects.filter(phase_id=OuterRef("phase_id"), team__is_baseline=False,
                                             team__disqualified_at__isnull=True)
    ahead = ranked.ahead_of_outer()

    def count(qs: QuerySet[LeaderboardEntry]) -> Subquery:
        return Subquery(qs.order_by().values("phase_id").annotate(n=Count("pk")).values("n"),
                        output_field=IntegerField())

    wanted = []
    for m in members:
        chosen = current[m.pk]
        if chosen is not None:
            wanted.append((m.team_id, chosen.pk))
    entries: dict[tuple[int, int], tuple[int, int]] = {}
    if wanted:
        condition = Q()
        for team_id, phase_id in wanted:
            condition |= Q(team_id=team_id, phase_id=phase_id)
        for team_id, phase_id, before, total in (LeaderboardEntry.objects.filter(condition)
                                                 .annotate(before=count(ahead), total=count(ranked))
                                                 .values_list("team_id", "phase_id", "before", "total")):
            entries[(team_id, phase_id)] = ((before or 0) + 1, total or 0)
    rows: list[HomeEntry] = []
    for m in members:
        shown = current[m.pk]
        rank: int | None
        rank, total = entries.get((m.team_id, shown.pk), (None, 0)) if shown else (None, 0)
        if m.team.is_disqualified:  # off every leaderboard: no rank to show
            rank = None
        rows.append({"competition": m.competition, "team": m.team, "phase": shown, "rank": rank, "ranked": total})
    return rows


def home_open_competitions(*, now: datetime | None = None, limit: int = 3) -> list[Competition]:
    """Published competitions with a round open now, the newest first. One query."""
    from django.db.models import Exists, OuterRef

    now = now or timezone.now()
    open_rounds = Phase.objects.filter(competition_id=OuterRef("pk"), starts_at__lte=now, ends_at__gt=now)
    return list(Competition.objects.published().filter(Exists(open_rounds)).select_related("host")
                .order_by("-created_at", "pk")[:limit])


def home_hosted(*, hosts: Iterable[Organization], since: datetime,
                limit: int) -> list[WithAnnotations[Competition, HostedCounts]]:
    """The first `limit` competitions of these host organizations, most recently active first, each with
    `home_teams`, `home_recent` (submissions since `since`) and `home_failed` (of those, failed).
    One query."""
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    def counted(qs: QuerySet[Any], by: str) -> Coalesce:
        return Coalesce(Subquery(qs.order_by().values(by).annotate(n=Count("pk")).values("n"),
                                 output_field=IntegerField()), 0)

    recent = Submission.objects.filter(phase__competition_id=OuterRef("pk"), created_at__gte=since,
                                       team__is_baseline=False)
    teams = Team.objects.filter(competition_id=OuterRef("pk"), is_baseline=False)
    found = list(Competition.objects.filter(host__in=hosts)
                 .annotate(home_teams=counted(teams, "competition_id"),
                           home_recent=counted(recent, "phase__competition_id"),
                           home_failed=counted(recent.filter(status=SubmissionStatus.FAILED), "phase__competition_id"))
                 .order_by("-home_recent", "-created_at", "pk")[:limit])
    # The stubs' plugin loses .annotate()'s attributes through a custom QuerySet's iterator.
    return cast("list[WithAnnotations[Competition, HostedCounts]]", found)
