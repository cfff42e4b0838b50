"""The platform's measures and where their rows come from (each app's `impact_*` selectors).

Each measure's `rows(entities)` streams `(entity, day, country, programme, university, amount, unit)`
from a constant number of queries, whatever the data: the maps it needs (course runs → course and
university, courses → programmes, people → universities) are read once into dicts.

What counts, app by app:

- *Course completion* is academy's verdict on a run whose grades staff released: the run's
  certificate of completion or of achievement (source ``academy.run:<id>``), which academy issues
  for everyone who passed when the grades are released (and again on "certify"). Grades themselves
  are computed from attempts under each course's policy and are not stored, so the certificate is
  the record; a revoked one does not count. Day: the release (the certificate's valid_from).
- *Certification* is academy's `CertificationHolding` (earned by passing the exam). It does not
  count if its credential (source ``academy.holding:<id>``) is revoked; a holding whose credential
  is not issued yet counts. Day: earned_at.
- *Talents*: any unrevoked credential (course, programme, certification, competition; a credential
  with no academy record still counts) plus holdings as above.
- *Placements*: talent applications whose offer the applicant accepted (stage "hired",
  `offer_accepted_at`); *applicants*: every application.
- *Startups*: ventures' cohort applications "accepted" (decided_at), grant ledger entries
  (created_at), introductions "accepted" between a startup and an investor (answered_at).

Dimensions: a person's country, else the run's university's (or the issuer's / employer's) country,
else ""; programme: each programme containing the course, else 0; university: the run's university
when it is verified, else the universities the person is a member (student) of, else 0.

`changed(since, until)` reads arrival times: enrolments' created_at, credentials' issued_at and
revoked_at, holdings' earned_at (written when the exam is marked), memberships' created_at,
applications' created_at and offer_accepted_at, cohort decisions' decided_at, ledger entries'
created_at, introductions' answered_at, investments' recorded_at and answered_at, teams' created_at,
runs' starts_at and organizations' verified_at. Changes with no timestamp are not seen by
`refresh` and need `rebuild` (or `backfill` over the days concerned): a person's country edited, a
membership removed, an organization losing its verification, a course added to or removed from a
programme, a course run created with a start already past or deleted, a team or enrolment deleted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils import timezone

from forward.academy import selectors as academy
from forward.competitions import selectors as competitions
from forward.core.models import Membership, OrganizationKind, Role, User
from forward.credentials import selectors as credentials
from forward.credentials.models import CredentialKind
from forward.talent import selectors_impact as talent
from forward.ventures import selectors_impact as ventures

from .measures import Measure, Row, _, register

RUN, PROGRAMME, HOLDING = "academy.run", "academy.programme", "academy.holding"
COURSE_KINDS = (CredentialKind.COURSE_COMPLETION, CredentialKind.COURSE_ACHIEVEMENT)
DEVELOPERS = "developers"  # academy.models.ProgrammeKind.DEVELOPERS: "AI for developers"


def _split(source: str) -> tuple[str, int | None]:
    prefix, _sep, key = (source or "").rpartition(":")
    return prefix, int(key) if key.isdigit() else None


def whole(amount: object) -> int:
    """An amount of money in whole units of its currency (half up). ventures' label selectors give the
    amount as `object` (a DecimalField's value)."""
    if not isinstance(amount, Decimal | int | float | str):
        raise TypeError(f"conversion from {type(amount).__name__} to Decimal is not supported")
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- shared maps (one query each) ---------------------------------------------------------------------

class Academy:
    """Runs (course, verified university, its country) and the programmes of each course."""

    def __init__(self) -> None:
        self.runs = academy.impact_runs()
        self.programmes: dict[int, list[int]] = defaultdict(list)
        self.developer_programmes: dict[int, list[int]] = defaultdict(list)
        self.developer: set[int] = set()
        for programme, course, kind in academy.impact_programme_courses():
            self.programmes[course].append(programme)
            if kind == DEVELOPERS:
                self.developer_programmes[course].append(programme)
                self.developer.add(programme)

    def of_course(self, course: int) -> list[int]:
        return self.programmes.get(course) or [0]


def _universities(users: Iterable[int] | None) -> dict[int, list[int]]:
    """person → the verified universities they are a member (student) of. One query."""
    rows = Membership.objects.filter(role=Role.MEMBER, organization__kind=OrganizationKind.UNIVERSITY,
                                     organization__verified_at__isnull=False).order_by()
    if users is not None:
        rows = rows.filter(user_id__in=list(users))
    found: dict[int, list[int]] = defaultdict(list)
    for user, university in rows.values_list("user_id", "organization_id").iterator(chunk_size=5000):
        found[user].append(university)
    return found


def _members(since: datetime, until: datetime) -> set[int]:
    return set(Membership.objects.filter(created_at__gte=since, created_at__lt=until).values_list("user_id", flat=True))


# --- person measures ----------------------------------------------------------------------------------

def _person_rows(user: int, day: date | datetime, country: str | None, programme: int,
                 universities: Mapping[int, list[int]]) -> Iterator[Row]:
    for university in universities.get(user) or [0]:
        yield (user, day, country or "", programme, university, 1, "")


def _run_rows(maps: Academy, user: int, day: date | datetime, country: str | None, run: int,
             programmes: Iterable[int] | None = None, fallback: str | None = "") -> Iterator[Row]:
    """A person's rows for a course run: one per programme of its course, at the run's university;
    the person's country, else the university's, else `fallback` (the issuer's)."""
    course, university, university_country, _start = maps.runs[run]
    for programme in programmes if programmes is not None else maps.of_course(course):
        yield (user, day, country or university_country or fallback or "", programme, university, 1, "")


def _achievements(entities: Iterable[int] | None, *, kinds: Sequence[CredentialKind] | None = None,
                  holdings: bool = True, developers: bool = False) -> Iterator[Row]:
    """Rows from unrevoked credentials and from certification holdings whose credential is not
    revoked (a holding not yet issued counts). `developers`: only what makes a developer."""
    maps = Academy()
    universities = _universities(entities)
    revoked_holdings: set[int] = set()
    for user, kind, source, day, country, issuer_country, revoked in credentials.impact_credentials(
            users=entities, kinds=kinds):
        prefix, key = _split(source)
        if prefix == HOLDING:  # the holding is the record: counted below unless this is revoked
            if revoked and key is not None:
                revoked_holdings.add(key)
            continue
        if revoked:
            continue
        if prefix == RUN and key in maps.runs and kind in COURSE_KINDS:
            chosen = maps.developer_programmes.get(maps.runs[key][0]) if developers else None
            if chosen or not developers:
                yield from _run_rows(maps, user, day, country, key, chosen, fallback=issuer_country)
            continue
        country = country or issuer_country
        if prefix == PROGRAMME and key is not None and kind == CredentialKind.PROGRAMME:
            if not developers or key in maps.developer:
                yield from _person_rows(user, day, country, key, universities)
        elif not developers:
            yield from _person_rows(user, day, country, 0, universities)
    if not holdings:
        return
    for holding, user, earned_at, country, developer in academy.impact_holdings(users=entities):
        if holding not in revoked_holdings and (developer or not developers):
            yield from _person_rows(user, earned_at, country, 0, universities)


def talents_rows(entities: Iterable[int] | None = None) -> Iterator[Row]:
    return _achievements(entities)


def developers_rows(entities: Iterable[int] | None = None) -> Iterator[Row]:
    return _achievements(entities, developers=True)


def certified_rows(entities: Iterable[int] | None = None) -> Iterator[Row]:
    return _achievements(entities, kinds=[CredentialKind.CERTIFICATION])


def completers_rows(entities: Iterable[int] | None = None) -> Iterator[Row]:
    return _achievements(entities, kinds=COURSE_KINDS, holdings=False)


def achievers_changed(since: datetime, until: datetime) -> set[int]:
    return (credentials.impact_recipients(since=since, until=until) | academy.impact_holders(since=since, until=until)
            | _members(since, until))


def learners_rows(entities: Iterable[int] | None = None) -> Iterator[Row]:
    maps = Academy()
    for user, day, country, run in academy.impact_enrolments(users=entities):
        yield from _run_rows(maps, user, day, country, run)


def learners_changed(since: datetime, until: datetime) -> set[int]:
    return academy.impact_enrolled_users(since=since, until=until)


def _application_rows(entities: Iterable[int] | None, *, accepted: bool) -> Iterator[Row]:
    universities = _universities(entities)
    for user, applied, offer_accepted, country, opening_country, employer_country in talent.impact_applications(
            users=entities, accepted=accepted):
        day = offer_accepted if accepted else applied
        assert day is not None, "impact_applications(accepted=True) reads only accepted offers"
        yield from _person_rows(user, day, country or opening_country or employer_country, 0, universities)


def applicants_rows(entities: Iterable[int] | None = None) -> Iterator[Row]:
    return _application_rows(entities, accepted=False)


def placements_rows(entities: Iterable[int] | None = None) -> Iterator[Row]:
    return _application_rows(entities, accepted=True)


def applicants_changed(since: datetime, until: datetime) -> set[int]:
    return talent.impact_applicants(since=since, until=until) | _members(since, until)


def placements_changed(since: datetime, until: datetime) -> set[int]:
    return talent.impact_applicants(since=since, until=until, accepted=True) | _members(since, until)


def describe_people(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """person → (display name, ""): people have no page an operator's drill-down may link to. One query."""
    return {pk: (name or email.split("@")[0], "") for pk, name, email in
            User.objects.filter(pk__in=list(ids)).values_list("pk", "name", "email")}


# --- universities, teams, startups, money ---------------------------------------------------------------

def _university_rows(entities: Iterable[int] | None, *, teaching: bool) -> Iterator[Row]:
    maps = Academy()
    now = timezone.now()
    for university, country, course, first_enrolment, first_start in academy.impact_university_firsts(
            universities=entities, enrolments=not teaching):
        day = first_start if teaching else first_enrolment
        if day is None or (teaching and day > now):
            continue
        for programme in maps.of_course(course):
            yield (university, day, country, programme, university, 1, "")


def teaching_rows(entities: Iterable[int] | None = None) -> Iterator[Row]:
    return _university_rows(entities, teaching=True)


def covered_rows(entities: Iterable[int] | None = None) -> Iterator[Row]:
    return _university_rows(entities, teaching=False)


def universities_changed(since: datetime, until: datetime) -> set[int]:
    return academy.impact_changed_universities(since=since, until=until)


def _org_url(slug: str) -> str:
    return reverse("core:organization_detail", args=[slug])


def describe_organizations(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    return {pk: (name, _org_url(slug)) for pk, (name, slug) in ventures.impact_organizations(ids).items()}


def teams_rows(entities: Iterable[int] | None = None) -> Iterator[Row]:
    for team, created_at, host_country in competitions.impact_teams(teams=entities):
        yield (team, created_at, host_country or "", 0, 0, 1, "")


def teams_changed(since: datetime, until: datetime) -> set[int]:
    return competitions.impact_new_teams(since=since, until=until)


def startups_rows(entities: Iterable[int] | None = None) -> Iterator[Row]:
    for startup, day, country in ventures.impact_startup_events(startups=entities):
        yield (startup, day, country or "", 0, 0, 1, "")


def startups_changed(since: datetime, until: datetime) -> set[int]:
    return ventures.impact_changed_startups(since=since, until=until)


def funding_rows(entities: Iterable[int] | None = None) -> Iterator[Row]:
    for pk, invested_on, amount, currency, country in ventures.impact_investments(ids=entities):
        yield (pk, invested_on, country or "", 0, 0, whole(amount), currency)


def funding_changed(since: datetime, until: datetime) -> set[int]:
    return ventures.impact_changed_investments(since=since, until=until)


def credits_rows(entities: Iterable[int] | None = None) -> Iterator[Row]:
    for pk, created_at, amount, currency, country in ventures.impact_grant_entries(ids=entities):
        yield (pk, created_at, country or "", 0, 0, whole(amount), currency)


def credits_changed(since: datetime, until: datetime) -> set[int]:
    return ventures.impact_new_grant_entries(since=since, until=until)


def _money_labels(labels: Mapping[int, tuple[str, str, object, str]]) -> dict[int, tuple[str, str]]:
    return {pk: (f"{name} · {whole(amount):,} {currency}", _org_url(slug))
            for pk, (name, slug, amount, currency) in labels.items()}


def describe_investments(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    return _money_labels(ventures.impact_investment_labels(ids))


def describe_grants(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    return _money_labels(ventures.impact_grant_labels(ids))


# --- the measures -----------------------------------------------------------------------------------------

PEOPLE = _("people")

register(Measure(
    slug="talents", name=_("Talents cultivated"), noun=PEOPLE,
    definition=_("People who completed a course or hold a credential from the platform. Revoked credentials do "
                 "not count."),
    rows=talents_rows, changed=achievers_changed, describe=describe_people))
register(Measure(
    slug="developers", name=_("Developers empowered"), noun=PEOPLE,
    definition=_("People who completed a course of an \"AI for developers\" programme, hold such a programme's "
                 "certificate, or hold a developer certification."),
    rows=developers_rows, changed=achievers_changed, describe=describe_people))
register(Measure(
    slug="startups", name=_("Startups powered"), noun=_("startups"),
    definition=_("Startups accepted into a cohort, granted cloud credits or introduced to an investor."),
    rows=startups_rows, changed=startups_changed, describe=describe_organizations))
register(Measure(
    slug="certified", name=_("Professionals certified"), noun=PEOPLE,
    definition=_("People holding a certification (associate, professional or expert) earned by passing its exam. "
                 "Revoked ones do not count."),
    rows=certified_rows, changed=achievers_changed, describe=describe_people))
register(Measure(
    slug="universities_teaching", name=_("Universities teaching"), noun=_("universities"),
    definition=_("Verified universities that run a course of their own on the platform."),
    rows=teaching_rows, changed=universities_changed, describe=describe_organizations))
register(Measure(
    slug="universities_covered", name=_("Universities covered"), noun=_("universities"),
    definition=_("Verified universities with students enrolled in a course run."),
    rows=covered_rows, changed=universities_changed, describe=describe_organizations))
register(Measure(
    slug="teams", name=_("Competition teams"), noun=_("teams"),
    definition=_("Teams entered in a data competition."),
    rows=teams_rows, changed=teams_changed, describe=competitions.impact_team_labels))
register(Measure(
    slug="placements", name=_("Internships and jobs filled"), noun=PEOPLE,
    definition=_("People who accepted an internship or job offer made through the platform."),
    rows=placements_rows, changed=placements_changed, describe=describe_people))
register(Measure(
    slug="funding", name=_("Funding raised"), noun=_("investments"), money=True,
    definition=_("Confirmed investments in programme startups, by currency; never summed across currencies."),
    rows=funding_rows, changed=funding_changed, describe=describe_investments))
register(Measure(
    slug="credits", name=_("Cloud credits granted"), noun=_("grants"), money=True,
    definition=_("Cloud credits granted to programme startups, by currency."),
    rows=credits_rows, changed=credits_changed, describe=describe_grants))
register(Measure(
    slug="learners", name=_("Learners enrolled"), noun=PEOPLE,
    definition=_("People enrolled in at least one course run."),
    rows=learners_rows, changed=learners_changed, describe=describe_people))
register(Measure(
    slug="completers", name=_("Course completers"), noun=PEOPLE,
    definition=_("People who completed at least one course."),
    rows=completers_rows, changed=achievers_changed, describe=describe_people))
register(Measure(
    slug="applicants", name=_("Applicants"), noun=PEOPLE,
    definition=_("People who applied to an internship or job opening."),
    rows=applicants_rows, changed=applicants_changed, describe=describe_people))
