"""The measures count what the platform recorded: each entity once however often it qualifies, in
the right country, programme and university; late records land on their day; revoked credentials
take people out where nothing else qualifies them. A random platform equals a count from scratch."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forward.academy.models import (
    CertificationHolding,
    CourseRun,
    Enrolment,
    ProgrammeCourse,
    ProgrammeKind,
)
from forward.competitions.models import Team
from forward.core.models import Membership, OrganizationKind, Role
from forward.credentials.models import Credential, CredentialKind
from forward.impact import measures, rollup, selectors, sources
from forward.impact.selectors import Filters
from forward.talent.models import Application
from forward.ventures.models import (
    CohortApplication,
    Introduction,
    Investment,
    InvestmentStatus,
    LedgerEntry,
)
from tests.impact.worlds import World, at

pytestmark = pytest.mark.django_db

SLUGS = ["talents", "developers", "startups", "certified", "universities_teaching", "universities_covered", "teams",
         "placements", "funding", "credits", "learners", "completers", "applicants"]


def total(slug, **filters):
    return selectors.total(slug, filters=Filters(**filters)).entities


def by(slug, dimension, unit=""):
    return {key: amount.entities for key, amount in selectors.breakdown(slug, by=dimension, unit=unit)}


def test_the_thirteen_measures_are_registered_with_names_and_definitions():
    registered = {m.slug: m for m in measures.all_measures()}
    assert set(SLUGS) <= set(registered)
    assert str(registered["talents"].definition).startswith("People who completed a course or hold a credential")
    assert registered["funding"].money and registered["credits"].money and not registered["talents"].money


def test_talents_count_each_person_once_by_programme_and_university():
    w = World()
    sg, cn, _id = w.universities
    ada = w.person("SG")
    run_a = w.run(w.courses[1], sg, released=at(2025, 5, 1))
    run_b = w.run(w.courses[2], sg, released=at(2025, 6, 1))
    w.complete(ada, run_a)
    w.complete(ada, run_a, kind=CredentialKind.COURSE_ACHIEVEMENT)  # the same course, twice
    w.complete(ada, run_b)
    w.hold(ada, w.certifications[1], at(2025, 7, 1))
    bo = w.person("", university=cn)
    w.credential(bo, kind=CredentialKind.COMPETITION, key="placing:1", source="competitions.competition:1",
                 valid_from=at(2025, 8, 1), issuer=w.provider)  # a credential with no academy record
    carl = w.person("ID")
    w.enrol(carl, run_a, at(2025, 2, 1))  # enrolled, nothing completed: not a talent
    rollup.refresh()

    assert total("talents") == 2
    assert selectors.monthly("talents")[0][0] == date(2025, 5, 1)  # Ada's first completion
    assert by("talents", "country") == {"SG": 2}  # Bo has no country: the issuer's
    assert by("talents", "programme") == {w.devs.pk: 1, w.upskill.pk: 1, 0: 2}
    assert by("talents", "university") == {sg.pk: 1, cn.pk: 1, 0: 1}  # Ada's certification: no university
    assert total("talents", university=sg.pk) == 1


def test_a_late_credential_lands_on_its_day_and_a_revoked_one_removes_the_person():
    w = World()
    sg = w.universities[0]
    ada, bo = w.person("SG"), w.person("MY")
    run = w.run(w.courses[2], sg, released=at(2025, 3, 10))
    rollup.refresh()
    assert total("completers") == 0

    late = w.complete(ada, run)  # issued today, for grades released in March 2025
    w.hold(bo, w.certifications[1], at(2025, 4, 2))
    w.complete(bo, run)
    rollup.refresh()
    assert [(month, a.entities) for month, a in selectors.monthly("completers")] == [(date(2025, 3, 1), 2)]
    assert total("talents") == 2 and total("certified") == 1

    w.revoke(late)
    bo_certificate = Credential.objects.get(recipient=bo, kind=CredentialKind.CERTIFICATION)
    w.revoke(bo_certificate)
    rollup.refresh()
    assert total("completers") == 1  # Bo still completed the course
    assert total("certified") == 0  # Bo's certification's credential was revoked
    assert total("talents") == 1 and by("talents", "country") == {"MY": 1}  # Ada: nothing else qualifies her
    assert rollup.refresh() and all(r["changes"] == 0 for r in rollup.refresh())


def test_developers_are_completers_of_developer_programmes_and_holders_of_developer_certifications():
    w = World()
    sg = w.universities[0]
    dev_course, other = w.person("SG"), w.person("SG")
    dev_programme, upskill_programme = w.person("CN"), w.person("CN")
    dev_cert, other_cert = w.person("ID"), w.person("ID")
    w.complete(dev_course, w.run(w.courses[0], sg, released=at(2025, 5, 1)))
    w.complete(other, w.run(w.courses[2], sg, released=at(2025, 5, 1)))
    w.programme_certificate(dev_programme, w.devs, at(2025, 6, 1))
    w.programme_certificate(upskill_programme, w.upskill, at(2025, 6, 1))
    w.hold(dev_cert, w.certifications[0], at(2025, 7, 1))
    w.hold(other_cert, w.certifications[1], at(2025, 7, 1))
    rollup.refresh()

    assert total("developers") == 3
    assert by("developers", "programme") == {w.devs.pk: 2, 0: 1}
    assert by("developers", "country") == {"SG": 1, "CN": 1, "ID": 1}
    assert total("talents") == 6


def test_learners_count_students_not_instructors_at_verified_universities():
    w = World()
    sg, cn, _ = w.universities
    run_cn = w.run(w.courses[1], cn)
    run_unverified = w.run(w.courses[2], w.unverified)
    nobody = w.person("")  # no country: the run's university's
    w.enrol(nobody, run_cn, at(2025, 2, 3))
    w.enrol(nobody, w.run(w.courses[1], sg), at(2025, 1, 5))  # enrolled twice: counted once
    lone = w.person("")
    w.enrol(lone, run_unverified, at(2025, 2, 3))  # an unverified university: none, and no country
    teacher = w.person("SG")
    run_cn.instructors.add(teacher)
    w.enrol(teacher, run_cn, at(2025, 2, 3))
    rollup.refresh()

    assert total("learners") == 2
    assert by("learners", "university") == {sg.pk: 1, cn.pk: 1, 0: 1}
    # No country of their own: each run's university's, so counted once in each country's slice
    assert by("learners", "country") == {"SG": 1, "CN": 1, "": 1}
    assert selectors.monthly("learners", filters=Filters(country="SG"))[0][0] == date(2025, 1, 1)
    assert by("learners", "programme") == {w.devs.pk: 1, w.upskill.pk: 1, 0: 1}


def test_universities_teaching_and_covered():
    w = World()
    sg, cn, id_ = w.universities
    w.enrol(w.person("SG"), w.run(w.courses[0], sg, starts=at(2025, 3, 1)), at(2025, 2, 20))
    w.run(w.courses[1], cn, starts=at(2025, 4, 1))  # teaching, nobody enrolled
    w.run(w.courses[2], id_, starts=at(2099, 1, 1))  # not started yet
    w.enrol(w.person("MY"), w.run(w.courses[0], w.unverified), at(2025, 2, 20))  # not verified
    rollup.refresh()

    assert total("universities_teaching") == 2
    assert by("universities_teaching", "country") == {"SG": 1, "CN": 1}
    assert selectors.monthly("universities_teaching")[0][0] == date(2025, 3, 1)
    assert total("universities_covered") == 1
    assert selectors.monthly("universities_covered")[0][0] == date(2025, 2, 1)
    assert sources.describe_organizations([sg.pk])[sg.pk] == (sg.name, f"/organizations/{sg.slug}/")


def test_teams_placements_and_applicants():
    w = World()
    w.team("Alpha", at(2025, 3, 1))
    w.team("Beta", at(2025, 4, 1))
    Team.objects.create(competition=w.competition, name="Baseline", invite_code="base", is_baseline=True)
    sg = w.universities[0]
    ada = w.person("SG", university=sg)
    bo = w.person("")
    w.apply(ada, at(2025, 3, 1))
    w.apply(ada, at(2025, 3, 5), accepted=at(2025, 4, 20))
    w.apply(ada, at(2025, 3, 6), accepted=at(2025, 5, 20))  # a second offer accepted: still one person
    w.apply(bo, at(2025, 6, 1))
    rollup.refresh()

    assert total("teams") == 2 and by("teams", "country") == {"SG": 2}
    assert total("applicants") == 2 and by("applicants", "country") == {"SG": 1, "MY": 1}  # Bo: the opening's
    assert total("placements") == 1 and by("placements", "university") == {sg.pk: 1}
    assert selectors.monthly("placements") [0][0] == date(2025, 4, 1)
    labels = sources.describe_people([ada.pk])
    assert labels == {ada.pk: (ada.name, "")}


def test_startups_funding_and_credits():
    w = World()
    one, two, three, four = (w.startup(n, c) for n, c in (("One", "SG"), ("Two", "ID"), ("Three", "CN"),
                                                          ("Four", "MY")))
    w.accept(one, at(2025, 3, 1))
    w.grant(one, "1000.50", at(2025, 4, 1))  # accepted, then granted: counted once
    w.grant(two, "2000", at(2025, 5, 1), budget=w.budget_cny)
    w.introduce(three, at(2025, 6, 1))
    w.accept(four, at(2025, 6, 1), status="rejected")
    w.introduce(four, at(2025, 6, 1), status="declined")
    w.invest(one, "50000", "USD", date(2025, 7, 1))
    w.invest(two, "100000", "CNY", date(2025, 8, 1))
    w.invest(three, "70000", "USD", date(2025, 8, 1), status=InvestmentStatus.PENDING)
    rollup.refresh()

    assert total("startups") == 3
    assert by("startups", "country") == {"SG": 1, "ID": 1, "CN": 1}
    assert selectors.units("funding") == ["CNY", "USD"]
    assert selectors.total("funding", unit="USD").value == 50000
    assert selectors.total("funding", unit="CNY").value == 100000
    assert selectors.total("credits", unit="USD").value == 1001 and selectors.total("credits", unit="CNY").value == 2000
    investment = Investment.objects.get(startup=one)
    assert sources.describe_investments([investment.pk])[investment.pk][0] == f"{one.name} · 50,000 USD"

    pending = Investment.objects.get(startup=three)  # the startup confirms: it arrives now, lands on its day
    pending.status = InvestmentStatus.CONFIRMED
    from django.utils import timezone

    pending.answered_at = timezone.now()
    pending.save()
    rollup.refresh()
    assert selectors.total("funding", unit="USD").value == 120000


# --- a random platform against a count from scratch ----------------------------------------------------

def random_platform(w: World, rng: random.Random, people: int):
    """People enrolled in runs at three universities (and one unverified), completing, certified,
    applying and placed; teams; startups with decisions, grants, introductions and investments."""
    runs = [w.run(course, university, starts=at(2025, rng.randint(1, 6), 1), released=at(2025, rng.randint(7, 12), 1))
            for course in w.courses for university in [*w.universities, w.unverified]]
    for _ in range(people):
        university = rng.choice([*w.universities, None])
        user = w.person(rng.choice(["SG", "CN", "ID", ""]), university=university)
        for run in rng.sample(runs, rng.randint(0, 3)):
            w.enrol(user, run, at(2025, rng.randint(1, 6), rng.randint(1, 28)))
            if rng.random() < 0.5:
                w.complete(user, run)
        if rng.random() < 0.3:
            w.hold(user, rng.choice(w.certifications), at(2025, rng.randint(1, 12), 3), credential=rng.random() < 0.8)
        if rng.random() < 0.15:
            w.programme_certificate(user, rng.choice([w.devs, w.upskill]), at(2025, rng.randint(1, 12), 9))
        if rng.random() < 0.4:
            accepted = at(2025, rng.randint(7, 12), 2) if rng.random() < 0.5 else None
            w.apply(user, at(2025, rng.randint(1, 6), 4), accepted=accepted, opening=w.opening)
    for k in range(people // 6):
        w.team(f"Team {k}", at(2025, rng.randint(1, 12), 5))
    for _k in range(people // 6):
        startup = w.startup(f"S{rng.random()}", rng.choice(["SG", "CN", "ID"]))
        event = rng.randint(0, 4)
        if event == 0:
            w.accept(startup, at(2025, rng.randint(1, 12), 6), status=rng.choice(["accepted", "rejected"]))
        elif event == 1:
            w.grant(startup, str(rng.randint(1, 9) * 1000), at(2025, rng.randint(1, 12), 7),
                    budget=rng.choice([w.budget, w.budget_cny]))
        elif event == 2:
            w.introduce(startup, at(2025, rng.randint(1, 12), 8), status=rng.choice(["accepted", "declined"]))
        if rng.random() < 0.5:
            w.invest(startup, str(rng.randint(1, 90) * 1000), rng.choice(["USD", "CNY"]),
                     date(2025, rng.randint(1, 12), 10), status=rng.choice(["confirmed", "pending"]))


def more_records(w: World, rng: random.Random):
    """Late arrivals (credentials for grades released long ago, an investment made months before it
    was recorded), new enrolments, teams and grants (their creation is their arrival), revocations."""
    from django.utils import timezone

    from forward.core.models import User

    now = timezone.now()
    users = list(Enrolment.objects.values_list("user_id", flat=True).distinct())
    runs = list(CourseRun.objects.filter(course__in=w.courses))
    for user in User.objects.filter(pk__in=rng.sample(users, min(6, len(users)))):
        w.complete(user, rng.choice(runs))  # already held: nothing new
        free = [run for run in runs if not Enrolment.objects.filter(user=user, run=run).exists()]
        if free:
            w.enrol(user, rng.choice(free), now)
    for credential in rng.sample(list(Credential.objects.filter(revoked_at__isnull=True)), 5):
        w.revoke(credential)
    w.programme_certificate(w.person("ID", university=w.universities[2]), w.devs, at(2025, 2, 2))
    w.team("New team", now)
    w.grant(w.startup("New", "SG"), "500", now)
    w.accept(w.startup("Accepted", "ID"), now)
    w.invest(w.startup("Funded", "CN"), "12345", "USD", date(2025, 1, 15))


def expected(w: World) -> dict[str, dict]:
    """Each measure from scratch over the ORM: entity → set of (country, programme, university) it counts in,
    and for money: entity → (unit, amount)."""
    verified_universities = {u.pk for u in w.universities}
    programmes_of = defaultdict(list)
    developer_programmes = defaultdict(list)
    for link in ProgrammeCourse.objects.select_related("programme"):
        programmes_of[link.course_id].append(link.programme_id)
        if link.programme.kind == ProgrammeKind.DEVELOPERS:
            developer_programmes[link.course_id].append(link.programme_id)
    members = defaultdict(list)
    for m in Membership.objects.filter(role=Role.MEMBER, organization__kind=OrganizationKind.UNIVERSITY,
                                       organization__verified_at__isnull=False):
        members[m.user_id].append(m.organization_id)
    runs = {r.pk: r for r in CourseRun.objects.select_related("university")}
    cells = {slug: defaultdict(set) for slug in SLUGS}

    def run_cells(run, user_country, programmes=None, fallback=""):
        university = run.university_id if run.university_id in verified_universities else 0
        country = user_country or (run.university.country.code if university else "") or fallback
        return {(country, p, university) for p in (programmes if programmes is not None
                                                  else programmes_of.get(run.course_id) or [0])}

    def person_cells(user, country, programme=0):
        return {(country, programme, u) for u in members.get(user.pk) or [0]}

    revoked_holdings = set()
    for c in Credential.objects.select_related("recipient", "issuer"):
        country = c.recipient.country.code or ""
        prefix, key = c.source.rsplit(":", 1)
        if prefix == "academy.holding":
            if c.revoked_at:
                revoked_holdings.add(int(key))
            continue
        if c.revoked_at:
            continue
        if prefix == "academy.run":
            run = runs[int(key)]
            found = run_cells(run, country, fallback=c.issuer.country.code)
            cells["talents"][c.recipient_id] |= found
            cells["completers"][c.recipient_id] |= found
            if developer_programmes.get(run.course_id):
                cells["developers"][c.recipient_id] |= run_cells(run, country, developer_programmes[run.course_id],
                                                                 fallback=c.issuer.country.code)
        else:
            found = person_cells(c.recipient, country or c.issuer.country.code, int(key))
            cells["talents"][c.recipient_id] |= found
            if int(key) == w.devs.pk:
                cells["developers"][c.recipient_id] |= found
    for h in CertificationHolding.objects.select_related("user", "certification"):
        if h.pk in revoked_holdings:
            continue
        found = person_cells(h.user, h.user.country.code or "")
        cells["talents"][h.user_id] |= found
        cells["certified"][h.user_id] |= found
        if h.certification.developer:
            cells["developers"][h.user_id] |= found
    for e in Enrolment.objects.select_related("user", "run__university"):
        if not e.run.instructors.filter(pk=e.user_id).exists():
            cells["learners"][e.user_id] |= run_cells(e.run, e.user.country.code or "")
    for r in runs.values():
        if r.university_id in verified_universities:
            key = (r.university.country.code, 0, r.university_id)
            for p in programmes_of.get(r.course_id) or [0]:
                cells["universities_teaching"][r.university_id].add((key[0], p, key[2]))
                if r.enrolments.exists():
                    cells["universities_covered"][r.university_id].add((key[0], p, key[2]))
    for a in Application.objects.select_related("applicant", "opening"):
        found = person_cells(a.applicant, a.applicant.country.code or a.opening.country.code)
        cells["applicants"][a.applicant_id] |= found
        if a.offer_accepted_at:
            cells["placements"][a.applicant_id] |= found
    for t in Team.objects.filter(is_baseline=False):
        cells["teams"][t.pk].add((w.provider.country.code, 0, 0))
    for c in CohortApplication.objects.filter(status="accepted").select_related("startup__organization"):
        cells["startups"][c.startup.organization_id].add((c.startup.organization.country.code, 0, 0))
    for e in LedgerEntry.objects.filter(kind="grant").select_related("grant__startup", "budget"):
        cells["startups"][e.grant.startup_id].add((e.grant.startup.country.code, 0, 0))
        cells["credits"][e.pk] = (e.budget.currency, round(e.amount), e.grant.startup.country.code)
    for i in Introduction.objects.filter(status="accepted").select_related("asker"):
        cells["startups"][i.asker_id].add((i.asker.country.code, 0, 0))
    for i in Investment.objects.filter(status="confirmed").select_related("startup"):
        cells["funding"][i.pk] = (i.currency, round(i.amount), i.startup.country.code)
    return cells


def assert_equal_to_scratch(w: World):
    cells = expected(w)
    for slug in SLUGS:
        found = cells[slug]
        if slug in ("funding", "credits"):
            for unit in ("USD", "CNY"):
                mine = {k: v for k, v in found.items() if v[0] == unit}
                assert selectors.total(slug, unit=unit).value == sum(v[1] for v in mine.values()), slug
                assert selectors.total(slug, unit=unit).entities == len(mine), slug
            continue
        assert total(slug) == len(found), slug
        for position, dimension in enumerate(("country", "programme", "university")):
            wanted = defaultdict(set)
            for entity, entity_cells in found.items():
                for cell in entity_cells:
                    wanted[cell[position]].add(entity)
            assert by(slug, dimension) == {k: len(v) for k, v in wanted.items()}, (slug, dimension)


def test_a_random_platform_equals_a_count_from_scratch_after_late_records_and_revocations():
    rng = random.Random(15)
    w = World()
    random_platform(w, rng, people=36)
    rollup.refresh()
    assert_equal_to_scratch(w)

    more_records(w, rng)
    rollup.refresh()
    assert_equal_to_scratch(w)
    assert all(r["changes"] == 0 for r in rollup.refresh())


def test_rows_take_the_same_number_of_queries_for_three_times_the_records():
    def queries(people):
        w = World()
        random_platform(w, random.Random(people), people=people)
        counts = {}
        for measure in measures.all_measures():
            with CaptureQueriesContext(connection) as captured:
                list(measure.rows(None))
            counts[measure.slug] = len(captured)
        return counts

    small = queries(8)
    assert queries(24) == small
    assert max(small.values()) <= 6


def test_changed_sees_arrivals_and_revocations():
    w = World()
    ada = w.person("SG")
    since = at(2000, 1, 1)
    from django.utils import timezone

    credential = w.complete(ada, w.run(w.courses[0], w.universities[0], released=at(2025, 1, 1)))
    now = timezone.now() + timedelta(seconds=1)
    assert ada.pk in measures.get("talents").changed(since, now)
    assert ada.pk not in measures.get("talents").changed(now, now + timedelta(hours=1))
    before = timezone.now()
    w.revoke(credential)
    assert ada.pk in measures.get("completers").changed(before, timezone.now() + timedelta(seconds=1))
