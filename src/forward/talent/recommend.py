"""Recommendations, explained: openings ranked for a learner, candidates ranked for an opening.

Selectors only: they gather plain data (credentials through forward.credentials.selectors, the
verified index of profiles, openings) and let the pure `forward.matching.fit` score it.

- A learner's own fit is built from their unrevoked, unexpired credentials as they stand now, and
  from what they declared on their profile (countries, availability), if they have one.
- Candidates come from the verified index (Profile, ProfileSkill), among profiles visible to partners
  or public, never hidden ones. SQL first keeps the profiles that share at least one of the opening's
  skills, the CANDIDATE_POOL of them that share the most (required skills first); those are scored.
  An opening that asks for no skill scores the CANDIDATE_POOL best-placed visible profiles.
  Only the page shown reads the credentials behind each matched skill.

Every function does a constant number of queries, whatever the page or the number of rows.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Model, Q, QuerySet, Value
from django.utils import timezone

from forward.core.models import Organization, OrganizationKind, Role, Skill, User
from forward.core.permissions import organizations_where
from forward.credentials import selectors as credentials
from forward.matching import fit as fitlib

from .models import (
    Application,
    Opening,
    OpeningStatus,
    Profile,
    ProfileSkill,
    Visibility,
    WhoMayApply,
)

PAGE_SIZE = 20
CANDIDATE_POOL = 5000  # profiles scored per opening, those sharing the most of its skills
CERTIFICATION = "certification"
COMPETITION = "competition"
VISIBLE = (Visibility.PARTNERS, Visibility.PUBLIC)  # never Visibility.HIDDEN


@dataclass
class OpeningRecommendation:
    opening: Opening
    fit: fitlib.Fit


@dataclass
class CandidateRecommendation:
    profile: Profile
    fit: fitlib.Fit
    application_stage: str = ""  # their application to this opening, if any


# --- plain data ----------------------------------------------------------------------------------

def _countries(text: str) -> frozenset[str]:
    return frozenset(c for c in (text or "").split(",") if c)


def _number(facts: dict[str, Any], key: str) -> float | None:
    value = facts.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _slugs(facts: dict[str, Any]) -> list[str]:
    skills = facts.get("skills")
    if not isinstance(skills, list):
        return []
    return list(dict.fromkeys(s["slug"] for s in skills if isinstance(s, dict) and isinstance(s.get("slug"), str)))


def _certification_level(kind: str, facts: dict[str, Any]) -> int:
    if kind != CERTIFICATION:
        return 0
    return int(min(max(_number(facts, "level") or 0, 0), fitlib.MAX_LEVEL))


def _declared(profile: Profile | None) -> dict[str, Any]:
    if profile is None:
        return {}
    available_for = profile.available_for if isinstance(profile.available_for, list) else []
    return {"countries": _countries(profile.countries),
            "available_for": frozenset(a for a in available_for if isinstance(a, str)),
            "available_from": profile.available_from}


# (recipient id, uuid, kind, name, facts): a row of credentials.current_holdings
HoldingRow = tuple[int, str, str, str, dict[str, Any]]


def candidate_from_holdings(holdings: Iterable[HoldingRow], *, profile: Profile | None = None,
                            key: object = 0) -> fitlib.Candidate:
    """A person's fit data from their current credentials (credentials.current_holdings rows) and
    what their profile declares."""
    skill_levels: dict[str, int] = {}  # slug -> best certification level backing it (0: none)
    skill_refs: dict[str, list[fitlib.CredentialRef]] = defaultdict(list)
    held: list[fitlib.HeldCredential] = []
    grades: list[float] = []
    percentiles: list[float] = []
    levels: list[int] = []
    for _, uuid, kind, name, facts in holdings:
        level = _certification_level(kind, facts)
        held.append(fitlib.HeldCredential(kind=kind, level=level, uuid=uuid, name=name))
        if kind == CERTIFICATION and level:
            levels.append(level)
        if kind == COMPETITION and (p := _number(facts, "percentile")) is not None:
            percentiles.append(p)
        if kind.startswith("course") and (g := _number(facts, "grade")) is not None:
            grades.append(g)
        for slug in _slugs(facts):
            skill_levels[slug] = max(skill_levels.get(slug, 0), level)
            skill_refs[slug].append(fitlib.CredentialRef(uuid=uuid, name=name))
    return fitlib.Candidate(
        skills={slug: fitlib.SkillEvidence(level=lv, credentials=tuple(skill_refs[slug]))
                for slug, lv in skill_levels.items()},
        held=tuple(held), best_grade=max(grades) if grades else None, best_level=max(levels) if levels else 0,
        best_percentile=max(percentiles) if percentiles else None, key=key, **_declared(profile))


def _required_credentials(value: object) -> tuple[fitlib.RequiredCredential, ...]:
    if not isinstance(value, list):
        return ()
    out = []
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("kind"), str):
            level = item.get("level")
            out.append(fitlib.RequiredCredential(kind=item["kind"],
                                                 level=level if isinstance(level, int) and level > 0 else 0))
    return tuple(out)


def _skill_table() -> dict[int, tuple[str, str]]:
    return {pk: (slug, name) for pk, slug, name in Skill.objects.values_list("pk", "slug", "name")}


def _opening_skills(openings: Iterable[int] | QuerySet[Opening], skills: dict[int, tuple[str, str]]
                    ) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """opening id -> required slugs, preferred slugs (two queries; `openings` may be a queryset)."""
    required: dict[int, list[str]] = defaultdict(list)
    preferred: dict[int, list[str]] = defaultdict(list)
    for target, through in ((required, Opening.required_skills.through), (preferred, Opening.preferred_skills.through)):
        for opening_id, skill_id in through.objects.filter(opening_id__in=openings).values_list("opening_id",
                                                                                             "skill_id"):
            target[opening_id].append(skills[skill_id][0])
    return required, preferred


def _fit_opening(*, pk: int, kind: str, countries_eligible: str, start_date: date | None, required_credentials: object,
                 required: Iterable[str], preferred: Iterable[str], skills_by_slug: dict[str, str],
                 key: object) -> fitlib.Opening:
    return fitlib.Opening(
        required_skills=tuple(sorted(required, key=lambda s: skills_by_slug.get(s, s))),
        preferred_skills=tuple(sorted(preferred, key=lambda s: skills_by_slug.get(s, s))),
        required_credentials=_required_credentials(required_credentials), kind=kind,
        countries_eligible=_countries(countries_eligible), start_date=start_date,
        skill_names=skills_by_slug, key=key)


# The pages hold ranked rows, then their explained recommendations (object_list is replaced): Page[Any].
def _paginate(ranked: list[Any], page: int | str | None) -> Page[Any]:
    return Paginator(ranked, PAGE_SIZE, allow_empty_first_page=True).get_page(page)


# --- openings for a learner ----------------------------------------------------------------------

def recommendable_openings(*, user: User) -> QuerySet[Opening]:
    """Open openings of verified employers, before their deadline, that this person may apply to
    (everyone, or students of a university they belong to) and has not applied to yet."""
    now = timezone.now()
    qs = Opening.objects.filter(
        status=OpeningStatus.OPEN, organization__kind=OrganizationKind.EMPLOYER,
        organization__verified_at__isnull=False).filter(Q(deadline__isnull=True) | Q(deadline__gt=now))
    universities = Organization.objects.verified().filter(
        kind=OrganizationKind.UNIVERSITY,
        pk__in=organizations_where(user, roles=[Role.MEMBER]))
    qs = qs.filter(Q(who_may_apply=WhoMayApply.EVERYONE)
                   | Q(pk__in=Opening.universities.through.objects.filter(
                       organization_id__in=universities).values("opening_id")))
    return qs.exclude(pk__in=Application.objects.filter(applicant=user).values("opening_id"))


def learner_candidate(*, user: User) -> fitlib.Candidate:
    profile = Profile.objects.filter(user=user).first()
    return candidate_from_holdings(credentials.current_holdings(user_ids=[user.pk]), profile=profile, key=user.pk)


def _raw(qs: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a values_list query as the database driver returns them, without Django's
    per-value converters: for reading tens of thousands of small rows, where those converters cost
    more than the query (dates may come back as ISO text and JSON as text; the caller reads both)."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()  # the DB-API cursor is untyped
        return rows


_DATES: dict[str, date] = {}


def _date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    found = _DATES.get(value)
    if found is None:
        found = date.fromisoformat(value)
        if len(_DATES) < 100_000:
            _DATES[value] = found
    return found


def _json_list(value: object) -> list[Any]:
    if isinstance(value, str):
        if value == "[]":
            return []
        value = json.loads(value)
    return value if isinstance(value, list) else []


def _counts(through: type[Model], *, skill_ids: list[int] | None = None) -> dict[int, int]:
    """opening id -> how many skills (of `skill_ids`, if given) it lists in this through table:
    one grouped query over the table's (opening, skill) index."""
    rows = through._default_manager  # the auto-created through model's only manager, `objects`
    qs = rows.all() if skill_ids is None else rows.filter(skill_id__in=skill_ids)
    return dict(_raw(qs.values("opening_id").annotate(n=Count("pk")).values_list("opening_id", "n").order_by()))


def openings_for(*, user: User, page: int | str | None = 1) -> Page[Any]:
    """Openings ranked by fit for this learner, each with its explanation (OpeningRecommendation);
    ties: featured first, then the most recently published, then the newest. Eleven queries:
    the openings are ranked from counts made in the database (how many of each opening's skills the
    learner proved), and only the page shown is explained skill by skill."""
    candidate = learner_candidate(user=user)
    skills = _skill_table()
    mine = [pk for pk, (slug, _) in skills.items() if slug in candidate.skills]
    rows = recommendable_openings(user=user).order_by(
        F("featured_at").desc(nulls_last=True), F("published_at").desc(nulls_last=True), "-pk").values_list(
        "pk", "kind", "countries_eligible", "start_date", "required_credentials")
    required, preferred = Opening.required_skills.through, Opening.preferred_skills.through
    required_n, preferred_n = _counts(required), _counts(preferred)
    required_met = _counts(required, skill_ids=mine) if mine else {}
    preferred_met = _counts(preferred, skill_ids=mine) if mine else {}
    countries: dict[str, frozenset[str]] = {}
    summaries = []
    for position, (pk, kind, eligible, start, creds) in enumerate(_raw(rows)):
        creds = _json_list(creds)
        if eligible not in countries:
            countries[eligible] = _countries(eligible)
        summaries.append(fitlib.OpeningSummary(
            required=required_n.get(pk, 0), required_met=required_met.get(pk, 0), preferred=preferred_n.get(pk, 0),
            preferred_met=preferred_met.get(pk, 0), required_credentials=_required_credentials(creds) if creds else (),
            kind=kind, countries_eligible=countries[eligible], start_date=_date(start), key=(position, pk)))
    shown = _paginate(fitlib.rank_summaries(candidate, summaries), page)
    ids = [o.key[1] for _, o in shown.object_list]
    by_pk = Opening.objects.select_related("organization").in_bulk(ids)
    names = {slug: name for slug, name in skills.values()}
    required_of, preferred_of = _opening_skills(ids, skills)
    shown.object_list = [OpeningRecommendation(opening=by_pk[pk], fit=fitlib.fit(candidate, _fit_opening(
        pk=pk, kind=by_pk[pk].kind, countries_eligible=by_pk[pk].countries_eligible, start_date=by_pk[pk].start_date,
        required_credentials=by_pk[pk].required_credentials, required=required_of.get(pk, ()),
        preferred=preferred_of.get(pk, ()), skills_by_slug=names, key=pk))) for pk in ids]
    return shown


# --- candidates for an opening -------------------------------------------------------------------

def _opening_facts(opening: Opening, skills: dict[int, tuple[str, str]]) -> fitlib.Opening:
    required, preferred = _opening_skills([opening.pk], skills)
    return _fit_opening(pk=opening.pk, kind=opening.kind, countries_eligible=opening.countries_eligible,
                        start_date=opening.start_date, required_credentials=opening.required_credentials,
                        required=required.get(opening.pk, ()), preferred=preferred.get(opening.pk, ()),
                        skills_by_slug={slug: name for slug, name in skills.values()}, key=opening.pk)


def candidate_pool(*, opening_facts: fitlib.Opening, skill_ids: dict[str, int]) -> list[int]:
    """Ids of the visible profiles worth scoring for this opening (at most CANDIDATE_POOL): those that
    share the most of its skills, required ones first; the best-placed if it asks for none."""
    visible = Q(visibility__in=VISIBLE)
    wanted = [skill_ids[s] for s in (*opening_facts.required_skills, *opening_facts.preferred_skills)
              if s in skill_ids]
    if not wanted:
        return list(Profile.objects.filter(visible).order_by(F("best_percentile").desc(nulls_last=True), "pk").values_list(
            "pk", flat=True)[:CANDIDATE_POOL])
    required = [skill_ids[s] for s in opening_facts.required_skills if s in skill_ids]
    rows = (ProfileSkill.objects.filter(skill_id__in=wanted, profile__visibility__in=VISIBLE)
            .values("profile_id")
            .annotate(required=Count("pk", filter=Q(skill_id__in=required)) if required else Value(0),
                      shared=Count("pk"))
            .order_by("-required", "-shared", "profile_id")
            .values_list("profile_id", flat=True))
    return list(rows[:CANDIDATE_POOL])


def candidates_for(*, opening: Opening, page: int | str | None = 1) -> Page[Any]:
    """Visible profiles ranked by fit for this opening (CandidateRecommendation), ties by profile id.
    The caller checks who may see them (permissions.can_see_candidates). A constant number of
    queries (nine at most)."""
    skills = _skill_table()
    skill_ids = {slug: pk for pk, (slug, _) in skills.items()}
    wanted = _opening_facts(opening, skills)
    pool = candidate_pool(opening_facts=wanted, skill_ids=skill_ids)
    asked = {skill_ids[s] for s in (*wanted.required_skills, *wanted.preferred_skills) if s in skill_ids}
    evidence: dict[int, dict[str, fitlib.SkillEvidence]] = defaultdict(dict)
    if asked and pool:
        for profile_id, skill_id, level in ProfileSkill.objects.filter(
                profile_id__in=pool, skill_id__in=asked).values_list("profile_id", "skill_id", "level"):
            evidence[profile_id][skills[skill_id][0]] = fitlib.SkillEvidence(level=level)
    rows = list(Profile.objects.filter(pk__in=pool, visibility__in=VISIBLE).values_list(
        "pk", "user_id", "best_grade", "best_level", "best_percentile", "countries", "available_for",
        "available_from"))
    held: dict[int, list[fitlib.HeldCredential]] = defaultdict(list)
    if wanted.required_credentials and rows:
        for user_id, uuid, kind, name, facts in credentials.current_holdings(
                user_ids=Profile.objects.filter(pk__in=pool).values("user_id")):
            held[user_id].append(fitlib.HeldCredential(kind=kind, level=_certification_level(kind, facts),
                                                       uuid=uuid, name=name))
    people = [fitlib.Candidate(
        skills=evidence.get(pk, {}), held=tuple(held.get(user_id, ())), best_grade=grade, best_level=level or 0,
        best_percentile=percentile, countries=_countries(countries),
        available_for=frozenset(a for a in (available_for if isinstance(available_for, list) else [])
                                if isinstance(a, str)),
        available_from=available_from, key=pk)
        for pk, user_id, grade, level, percentile, countries, available_for, available_from in rows]
    shown = _paginate(fitlib.rank_candidates(people, wanted), page)
    return _explain_candidates(shown, opening=opening, wanted=wanted)


def _explain_candidates(shown: Page[Any], *, opening: Opening, wanted: fitlib.Opening) -> Page[Any]:
    """The page's candidates with the credentials behind each matched skill (read now: a credential
    revoked since the index was built is not shown), and their application's stage, if any."""
    people = [c for _, c in shown.object_list]
    profiles = Profile.objects.select_related("user").in_bulk([c.key for c in people])
    user_ids = [p.user_id for p in profiles.values()]
    refs: dict[int, dict[str, list[fitlib.CredentialRef]]] = defaultdict(lambda: defaultdict(list))
    for user_id, uuid, _kind, name, facts in (credentials.current_holdings(user_ids=user_ids) if user_ids else ()):
        for slug in _slugs(facts):
            refs[user_id][slug].append(fitlib.CredentialRef(uuid=uuid, name=name))
    stages = dict(Application.objects.filter(opening=opening, applicant_id__in=user_ids).values_list(
        "applicant_id", "stage")) if user_ids else {}
    items = []
    for c in people:
        profile = profiles[c.key]
        backed = refs.get(profile.user_id, {})
        explained = replace(c, skills={slug: fitlib.SkillEvidence(level=e.level, credentials=tuple(backed.get(slug, ())))
                                       for slug, e in c.skills.items()})
        items.append(CandidateRecommendation(profile=profile, fit=fitlib.fit(explained, wanted),
                                             application_stage=stages.get(profile.user_id, "")))
    shown.object_list = items
    return shown

