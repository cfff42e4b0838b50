"""Judging a call's applications: the rubric, panels and their judges, conflicts of interest,
scores and the ranking. Every write is one transaction.

- Staff of the call's organizer write the rubric (criteria with weights) until the first score is
  submitted, form named panels, seat judges by email (any signed-up person they choose) and may
  assign a panel a subset of the applications (none assigned: the panel scores them all).
- A judge sees the applications of their panels that they have not declared a conflict on; a
  conflict hides the application from them for good (and drops any score of theirs).
- A score is marks 1–5 per criterion and a comment, saved as a draft and then submitted (locked).
  A judge sees the others' scores of an application only after submitting their own.
- The ranking normalises each judge's weighted totals into z-scores (``forward.matching.rubric``)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from forward.core.models import User
from forward.core.types import AnyUser
from forward.matching import rubric

from . import permissions
from .models import (
    ApplicationStatus,
    Call,
    CallStatus,
    CohortApplication,
    Conflict,
    Criterion,
    Panel,
    PanelJudge,
    Score,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class QueueAnnotations(TypedDict):
    my_score_id: int | None
    my_submitted_at: datetime | None


MAX_CRITERIA = 12
MAX_PANELS = 20
MAX_COMMENT = 4000


def _run(actor: User, call: Call) -> None:
    if not permissions.can_run_call(actor, call):
        raise PermissionDenied


# --- rubric ----------------------------------------------------------------------------------------

def _rubric_locked(call: Call) -> bool:
    return Score.objects.filter(application__call=call, submitted_at__isnull=False).exists()


def criterion_add(*, actor: User, call: Call, name: str, weight: int = 1, description: str = "") -> Criterion:
    _run(actor, call)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Name the criterion."))
    if not 1 <= int(weight) <= 100:
        raise ValidationError(_("A weight is a whole number from 1 to 100."))
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if _rubric_locked(call):
            raise ValidationError(_("Judges have submitted scores; the rubric can no longer change."))
        count = call.criteria.count()
        if count >= MAX_CRITERIA:
            raise ValidationError(_("A rubric has at most %(n)d criteria.") % {"n": MAX_CRITERIA})
        return Criterion.objects.create(call=call, name=name[:120], description=(description or "").strip()[:400],
                                        weight=int(weight), order=count + 1)


def criterion_remove(*, actor: User, criterion: Criterion) -> None:
    _run(actor, criterion.call)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=criterion.call_id)
        if _rubric_locked(call):
            raise ValidationError(_("Judges have submitted scores; the rubric can no longer change."))
        criterion.delete()


# --- panels ----------------------------------------------------------------------------------------

def panel_create(*, actor: User, call: Call, name: str) -> Panel:
    _run(actor, call)
    name = (name or "").strip()[:120]
    if not name:
        raise ValidationError(_("Name the panel."))
    if call.status == CallStatus.DECIDED:
        raise ValidationError(_("This call is decided; judging is over."))
    if call.panels.count() >= MAX_PANELS:
        raise ValidationError(_("A call has at most %(n)d panels.") % {"n": MAX_PANELS})
    try:
        with transaction.atomic():
            return Panel.objects.create(call=call, name=name)
    except IntegrityError:
        raise ValidationError(_("There is already a panel named %(name)s.") % {"name": name}) from None


def judge_seat(*, actor: User, panel: Panel, email: str) -> PanelJudge:
    """Seat the person who signed up with this email on the panel (seating twice changes nothing)."""
    _run(actor, panel.call)
    email = (email or "").strip()
    user = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if user is None:
        raise ValidationError(_("No one has signed up with %(email)s; ask them to create an account first.")
                              % {"email": email or "—"})
    with transaction.atomic():
        seat, _created = PanelJudge.objects.get_or_create(panel=panel, user=user, defaults={"seated_by": actor})
    return seat


def judge_unseat(*, actor: User, seat: PanelJudge) -> None:
    """Unseat a judge; their submitted scores stay in the ranking."""
    _run(actor, seat.panel.call)
    with transaction.atomic():
        seat.delete()


def panel_assign(*, actor: User, panel: Panel, application_ids: list[int]) -> int:
    """The applications this panel scores (replacing its list; an empty list: all of them)."""
    _run(actor, panel.call)
    ids = set(application_ids)
    with transaction.atomic():
        found = list(CohortApplication.objects.filter(call_id=panel.call_id, pk__in=ids)
                     .exclude(status=ApplicationStatus.DRAFT).values_list("pk", flat=True))
        if len(found) != len(ids):
            raise ValidationError(_("Some of the applications chosen are not submitted applications of this call."))
        panel.applications.set(found)
    return len(found)


# --- judges' reads ---------------------------------------------------------------------------------

def judge_queue(*, user: AnyUser) -> QuerySet[WithAnnotations[CohortApplication, QueueAnnotations]]:
    """The submitted applications this person judges, across panels: not conflicted, call not
    decided; each with ``my_score_id`` and ``my_submitted_at``. Pending first, then by deadline."""
    if not user.is_authenticated:
        # No rows, so none lacks the annotations.
        return cast("QuerySet[WithAnnotations[CohortApplication, QueueAnnotations]]", CohortApplication.objects.none())
    seats = PanelJudge.objects.filter(user=user).values("panel_id")
    covering = Panel.objects.filter(pk__in=seats, call_id=OuterRef("call_id")).filter(
        Q(applications=None) | Q(applications=OuterRef("pk")))
    own = Score.objects.filter(judge=user, application=OuterRef("pk"))
    return (CohortApplication.objects.filter(Exists(covering))
            .exclude(status=ApplicationStatus.DRAFT).exclude(call__status=CallStatus.DECIDED)
            .exclude(Exists(Conflict.objects.filter(judge=user, application=OuterRef("pk"))))
            .annotate(my_score_id=Subquery(own.values("pk")[:1]),
                      my_submitted_at=Subquery(own.values("submitted_at")[:1]))
            .select_related("call__organizer", "startup__organization")
            .order_by(F("my_submitted_at").asc(nulls_first=True), "call__deadline", "submitted_at", "pk"))


def score_of(*, user: User, application: CohortApplication) -> Score | None:
    return Score.objects.filter(judge=user, application=application).first()


def other_scores(*, user: User, application: CohortApplication) -> list[Score] | None:
    """The other judges' submitted scores, or None while this judge has not submitted their own
    (staff of the call see all of them)."""
    mine = score_of(user=user, application=application)
    if not (mine and mine.is_submitted) and not permissions.can_run_call(user, application.call):
        return None
    return list(Score.objects.filter(application=application, submitted_at__isnull=False)
                .exclude(judge=user).select_related("judge").order_by("submitted_at", "pk"))


class ScoreRow(TypedDict):
    judge: str
    marks: list[tuple[str, Any]]  # (criterion, its mark or "–"); marks come from a JSON column
    comment: str
    submitted_at: datetime | None


def score_table(scores: list[Score], criteria: list[Criterion]) -> list[ScoreRow]:
    """Scores as rows a page shows: the judge, each criterion's mark in rubric order, the comment."""
    return [{"judge": s.judge.display_name, "marks": [(c.name, s.marks.get(str(c.pk), "–")) for c in criteria],
             "comment": s.comment, "submitted_at": s.submitted_at} for s in scores]


# --- judges' writes --------------------------------------------------------------------------------

def conflict_declare(*, actor: User, application: CohortApplication, reason: str) -> Conflict:
    """Declare a conflict of interest: the application leaves this judge's queue for good and any
    score of theirs is dropped. Declaring twice changes nothing."""
    if not permissions.is_seated_judge(actor, application):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say briefly why you are conflicted (for example: I advise this startup)."))
    with transaction.atomic():
        conflict, _created = Conflict.objects.get_or_create(judge=actor, application=application,
                                                            defaults={"reason": reason[:300]})
        Score.objects.filter(judge=actor, application=application).delete()
    return conflict


def _clean_marks(call: Call, marks: Mapping[str, Any] | None) -> dict[str, int]:
    criteria = {str(c.pk) for c in call.criteria.all()}
    cleaned: dict[str, int] = {}
    for key, value in (marks or {}).items():
        if str(key) not in criteria:
            raise ValidationError(_("Criterion %(id)s is not in this call's rubric.") % {"id": key})
        if value in (None, ""):
            continue
        try:
            mark = int(value)
        except (TypeError, ValueError):
            raise ValidationError(_("Marks are whole numbers from 1 to 5.")) from None
        if (isinstance(value, float) and value != mark) or not rubric.MIN_MARK <= mark <= rubric.MAX_MARK:
            raise ValidationError(_("Marks are whole numbers from 1 to 5."))
        cleaned[str(key)] = mark
    return cleaned


def _judged(actor: User, application: CohortApplication) -> CohortApplication:
    if not permissions.can_judge(actor, application):
        raise PermissionDenied
    application = CohortApplication.objects.select_related("call").get(pk=application.pk)
    if application.call.status == CallStatus.DECIDED:
        raise ValidationError(_("This call is decided; scoring is over."))
    return application


def score_save(*, actor: User, application: CohortApplication, marks: Mapping[str, Any],
               comment: str = "") -> Score:
    """Save a draft score (marks may be partial). A submitted score is locked."""
    application = _judged(actor, application)
    cleaned = _clean_marks(application.call, marks)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError(_("A comment has at most %(n)d characters.") % {"n": MAX_COMMENT})
    with transaction.atomic():
        try:
            with transaction.atomic():
                score, _created = Score.objects.get_or_create(judge=actor, application=application)
        except IntegrityError:  # a double click made it first
            pass
        score = Score.objects.select_for_update().get(judge=actor, application=application)
        if score.is_submitted:
            raise ValidationError(_("You submitted this score; it is locked."))
        score.marks, score.comment, score.updated_at = cleaned, comment, timezone.now()
        score.save(update_fields=["marks", "comment", "updated_at"])
    return score


def score_submit(*, actor: User, application: CohortApplication, marks: Mapping[str, Any] | None = None,
                 comment: str | None = None) -> Score:
    """Submit the score (saving these marks first if given): every criterion marked; locked after.
    Submitting twice changes nothing."""
    existing = score_of(user=actor, application=application)
    if existing and existing.is_submitted:
        if not permissions.can_judge(actor, application):
            raise PermissionDenied
        return existing
    if marks is not None or existing is None:
        score_save(actor=actor, application=application, marks=marks or {},
                   comment=comment if comment is not None else (existing.comment if existing else ""))
    application = _judged(actor, application)
    with transaction.atomic():
        score = Score.objects.select_for_update().get(judge=actor, application=application)
        if score.is_submitted:
            return score
        criteria = list(application.call.criteria.all())
        if not criteria:
            raise ValidationError(_("This call has no rubric yet; ask its staff to add criteria."))
        missing = [c.name for c in criteria if str(c.pk) not in score.marks]
        if missing:
            raise ValidationError(_("Mark every criterion before submitting: %(list)s.")
                                  % {"list": ", ".join(missing)})
        score.submitted_at = timezone.now()
        score.save(update_fields=["submitted_at"])
    return score


# --- ranking ---------------------------------------------------------------------------------------

@dataclass
class RankingRow:
    application: CohortApplication
    judges: int
    raw_mean: float | None
    normalised_mean: float | None
    z_min: float | None
    z_max: float | None
    z_sd: float | None
    position: int | None


def ranking(*, call: Call, sort: str = "normalised", descending: bool = True) -> list[RankingRow]:
    """Every submitted or decided application of the call with its judges' submitted scores,
    normalised per judge across this call; unscored applications last. Three queries."""
    weights: dict[Hashable, float] = {str(c.pk): c.weight for c in Criterion.objects.filter(call=call)}
    totals: list[tuple[Hashable, Hashable, float]] = []
    for judge_id, application_id, marks in (Score.objects.filter(application__call=call,
                                                                 submitted_at__isnull=False)
                                            .values_list("judge_id", "application_id", "marks")):
        try:
            totals.append((judge_id, application_id, rubric.weighted_total(
                {k: v for k, v in marks.items()}, weights)))
        except ValueError:
            continue  # marked before a criterion was added (the rubric locks once scores are submitted)
    applications: dict[Hashable, CohortApplication] = {a.pk: a for a in CohortApplication.objects.filter(call=call).exclude(
        status=ApplicationStatus.DRAFT).select_related("startup__organization")}
    totals = [t for t in totals if t[1] in applications]
    ranked = rubric.rank(totals, sort=sort, descending=descending)
    rows = [RankingRow(applications[r.application], r.judges, r.raw_mean, r.normalised_mean, r.z_min, r.z_max,
                       r.z_sd, n + 1) for n, r in enumerate(ranked)]
    seen = {r.application for r in ranked}
    rows.extend(RankingRow(a, 0, None, None, None, None, None, None)
                for a in sorted(applications.values(), key=lambda a: a.startup.organization.name)
                if a.pk not in seen)
    return rows


def ranking_csv_rows(rows: list[RankingRow]) -> list[Sequence[object]]:
    """The ranking as spreadsheet rows (the caller writes them with forward.core.spreadsheet)."""
    def num(value: float | None) -> float | str:
        return "" if value is None else round(value, 3)

    header = [_("Position"), _("Startup"), _("Country"), _("Stage"), _("Status"), _("Judges"),
              _("Raw weighted mean (1–5)"), _("Normalised mean (z)"), _("Lowest z"), _("Highest z"),
              _("Spread (standard deviation of z)")]
    body = [[r.position or "", r.application.startup.organization.name, str(r.application.startup.organization.country
                                                                          or ""),
             r.application.startup.get_stage_display(), r.application.get_status_display(), r.judges,
             num(r.raw_mean), num(r.normalised_mean), num(r.z_min), num(r.z_max), num(r.z_sd)] for r in rows]
    return [header, *body]
