"""/admin/ has what operators need: enrolments, credentials, submissions, competitions, courses,
with search and filters; its changelists make the same number of queries with 2 rows as with 10;
rows written only through services are read-only there."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forward.academy.models import (
    Assessment,
    AssessmentKind,
    Attempt,
    Certification,
    CertificationHolding,
    CertificationSitting,
    Course,
    CourseRun,
    Enrolment,
    Programme,
    ProgrammeCourse,
    Voucher,
)
from forward.competitions.models import (
    Competition,
    LeaderboardEntry,
    Phase,
    PhaseResult,
    Submission,
    Team,
    TeamMember,
)
from forward.core.models import Organization, OrganizationKind, User
from forward.credentials.models import Credential, IssuanceBatch, SigningKey, StatusList
from tests.conftest import client_for, make_organization, make_user

MODELS = [Course, CourseRun, Enrolment, Programme, Assessment, Attempt, Certification, Voucher, CertificationSitting,
          CertificationHolding, Competition, Phase, Team, Submission, LeaderboardEntry, PhaseResult, Credential,
          IssuanceBatch, SigningKey, StatusList]
READ_ONLY = [Enrolment, Assessment, Attempt, Voucher, CertificationSitting, CertificationHolding, Phase, Team,
             Submission, LeaderboardEntry, PhaseResult, Credential, IssuanceBatch, SigningKey, StatusList]


@pytest.fixture
def operator(db):
    return User.objects.create_superuser(email="root@forward.test", password="correct horse battery")


@pytest.fixture
def org(operator):
    return make_organization(creator=make_user("admin@ntu.test"), name="NTU", kind=OrganizationKind.UNIVERSITY,
                             country="SG")


def _rows(org, n: int, *, start: int = 0) -> None:
    """`n` rows of each model, each linked to its own user, course, run, competition and team."""
    now = timezone.now()
    span = range(start, start + n)
    users = User.objects.bulk_create([User(email=f"u{i}@ntu.test", name=f"User {i}") for i in span])
    courses = Course.objects.bulk_create([Course(slug=f"c{i}", title=f"Course {i}", owner=org) for i in span])
    runs = CourseRun.objects.bulk_create([
        CourseRun(course=c, university=org, cohort=f"S{i}", enrolment_ends=now, starts_at=now,
                  ends_at=now + timedelta(days=30)) for i, c in zip(span, courses, strict=True)])
    CourseRun.instructors.through.objects.bulk_create([
        CourseRun.instructors.through(courserun_id=r.pk, user_id=u.pk) for r, u in zip(runs, users, strict=True)])
    Enrolment.objects.bulk_create([Enrolment(run=r, user=u) for r, u in zip(runs, users, strict=True)])
    exams = Assessment.objects.bulk_create([Assessment(kind=AssessmentKind.EXAM, title=f"Exam {i}") for i in span])
    certifications = Certification.objects.bulk_create([
        Certification(slug=f"cert{i}", title=f"Cert {i}", track="Cloud", level="associate", exam=e, owner=org)
        for i, e in zip(span, exams, strict=True)])
    vouchers = Voucher.objects.bulk_create([
        Voucher(code=f"CODE{i:08d}", certification=c, organization=org, redeemed_by=u, redeemed_at=now)
        for i, c, u in zip(span, certifications, users, strict=True)])
    attempts = Attempt.objects.bulk_create([
        Attempt(assessment=e, user=u, submitted_at=now, score=9, max_score=10, question_ids=[i],
                answers={"secret-answer": "SECRETANSWER"}) for i, e, u in zip(span, exams, users, strict=True)])
    CertificationSitting.objects.bulk_create([
        CertificationSitting(user=u, certification=c, voucher=v, attempt=a)
        for u, c, v, a in zip(users, certifications, vouchers, attempts, strict=True)])
    CertificationHolding.objects.bulk_create([
        CertificationHolding(user=u, certification=c, attempt=a, earned_at=now, expires_at=now + timedelta(days=700))
        for u, c, a in zip(users, certifications, attempts, strict=True)])
    programmes = Programme.objects.bulk_create([Programme(slug=f"p{i}", title=f"Programme {i}", kind="major")
                                                for i in span])
    ProgrammeCourse.objects.bulk_create([ProgrammeCourse(programme=p, course=c)
                                         for p, c in zip(programmes, courses, strict=True)])
    Programme.partners.through.objects.bulk_create([Programme.partners.through(programme_id=p.pk,
                                                                               organization_id=org.pk)
                                                    for p in programmes])
    competitions = Competition.objects.bulk_create([
        Competition(slug=f"k{i}", title=f"Competition {i}", host=org, metric="accuracy") for i in span])
    phases = Phase.objects.bulk_create([Phase(competition=c, starts_at=now, ends_at=now + timedelta(days=9),
                                              solution_file=f"hidden/SOLUTIONPATH{i}.csv")
                                        for i, c in zip(span, competitions, strict=True)])
    PhaseResult.objects.bulk_create([PhaseResult(phase=p) for p in phases])
    teams = Team.objects.bulk_create([Team(competition=c, name=f"Team {i}", invite_code=f"INV{i:08d}")
                                      for i, c in zip(span, competitions, strict=True)])
    TeamMember.objects.bulk_create([TeamMember(team=t, user=u, competition_id=t.competition_id)
                                    for t, u in zip(teams, users, strict=True)])
    submissions = Submission.objects.bulk_create([
        Submission(phase=p, team=t, submitted_by=u, file=f"s/{i}.csv", original_name=f"{i}.csv")
        for i, p, t, u in zip(span, phases, teams, users, strict=True)])
    LeaderboardEntry.objects.bulk_create([
        LeaderboardEntry(phase=p, team=t, best_public=0.5, sort_key=-0.5, best_submission=s, best_at=now,
                         last_submission_at=now) for p, t, s in zip(phases, teams, submissions, strict=True)])
    issuers = Organization.objects.bulk_create([Organization(name=f"Issuer {i}", slug=f"issuer-{i}", kind=org.kind)
                                                for i in span])  # one active key and list per issuer
    keys = SigningKey.objects.bulk_create([
        SigningKey(organization=o, token=f"tok{i}", rsa_public_pem="-", ed25519_public=b"0" * 32,
                   private_encrypted=b"PRIVATEKEYMATERIAL") for i, o in zip(span, issuers, strict=True)])
    StatusList.objects.bulk_create([StatusList(organization=o, number=1) for o in issuers])
    key = keys[0]
    status_list, _ = StatusList.objects.get_or_create(organization=org, number=1)
    Credential.objects.bulk_create([
        Credential(recipient=u, issuer=org, kind="course_completion", achievement_key=f"run:{r.pk}",
                   name=f"Course {i}", source=f"academy.run:{r.pk}", valid_from=now, key=key,
                   status_list=status_list, status_index=i, document="{}", jwt="x")
        for i, u, r in zip(span, users, runs, strict=True)])
    IssuanceBatch.objects.bulk_create([IssuanceBatch(source=f"academy.run:{r.pk}", title=f"Run {r.pk}", requested_by=u)
                                       for r, u in zip(runs, users, strict=True)])
    IssuanceBatch.objects.bulk_create([IssuanceBatch(source=f"competitions.competition:{c.pk}", title=c.title)
                                       for c in competitions])


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _count(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries.captured_queries), response.content.decode()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_changelist_makes_the_same_queries_with_more_rows(operator, org, model):
    client = client_for(operator)
    url = _url(model, "changelist")
    _rows(org, 2)
    few, _ = _count(client, url)
    _rows(org, 8, start=2)
    many, html = _count(client, url)
    assert many == few
    table = html.split('id="result_list"')[1].split("</table>")[0]
    assert table.count("<tr") - 1 == model.objects.count() >= 10  # every row, under the header
    assert _count(client, url + "?q=1")[0] <= few + 1  # search fields resolve
    obj = model.objects.order_by("pk").first()
    assert client.get(_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m.__name__)
def test_rows_written_through_services_are_read_only(operator, org, model):
    _rows(org, 1)
    client = client_for(operator)
    obj = model.objects.order_by("pk").first()
    assert client.get(_url(model, "add")).status_code == 403
    page = client.get(_url(model, "change", obj.pk))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(_url(model, "change", obj.pk), {}).status_code == 403
    assert client.get(_url(model, "delete", obj.pk)).status_code == 403


def test_secrets_are_not_shown(operator, org):
    _rows(org, 1)
    client = client_for(operator)
    voucher, team = Voucher.objects.get(), Team.objects.get()
    for url in (_url(Voucher, "changelist"), _url(Voucher, "change", voucher.pk)):
        assert voucher.code not in client.get(url).content.decode()
    assert team.invite_code not in client.get(_url(Team, "change", team.pk)).content.decode()
    found = client.get(_url(Voucher, "changelist") + f"?q={voucher.code}").content.decode()
    assert f"…{voucher.code[-4:]}" in found


def test_hidden_material_is_not_shown(operator, org):
    """An exam candidate's draw and answers, a round's solution path and a signing key's private half
    stay out of /admin/ even for operators."""
    _rows(org, 1)
    client = client_for(operator)
    pages = [client.get(_url(model, view, *args)).content.decode() for model, view, args in [
        (Attempt, "changelist", ()), (Attempt, "change", (Attempt.objects.get().pk,)),
        (Phase, "changelist", ()), (Phase, "change", (Phase.objects.get().pk,)),
        (SigningKey, "changelist", ()), (SigningKey, "change", (SigningKey.objects.get().pk,))]]
    for html in pages:
        for secret in ("SECRETANSWER", "SOLUTIONPATH", "PRIVATEKEYMATERIAL"):
            assert secret not in html


def test_operators_make_programmes_here(operator, org):
    client = client_for(operator)
    course = Course.objects.create(slug="cloud-101", title="Cloud 101", owner=org)
    response = client.post(_url(Programme, "add"), {
        "slug": "cloud-major", "title": "Cloud major", "kind": "major", "summary": "",
        "completion_rule": "courses", "electives_required": 0, "credits_required": "0",
        "minimum_grade_average": "0", "partners": str(org.pk), "countries": "[]",
        "programmecourse_set-TOTAL_FORMS": "1", "programmecourse_set-INITIAL_FORMS": "0",
        "programmecourse_set-0-course": str(course.pk), "programmecourse_set-0-required": "on",
        "programmecourse_set-0-order": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    programme = Programme.objects.get(slug="cloud-major")
    assert list(programme.courses.all()) == [course] and list(programme.partners.all()) == [org]


def test_what_credentials_were_earned_for_is_not_deleted(operator, org):
    """A run or a competition whose people hold credentials for it stays (credentials name it as
    their source); its course neither, which would take the run with it. Without credentials, it goes."""
    _rows(org, 2)  # run 0 and 1 each have a credential; competition credentials below for one of two
    client = client_for(operator)
    run, bare_run = CourseRun.objects.order_by("pk")[:2]
    Credential.objects.filter(source=f"academy.run:{bare_run.pk}").update(source="")
    competition, bare_competition = Competition.objects.order_by("pk")[:2]
    Credential.objects.filter(source="").update(source=f"competitions.competition:{competition.pk}")
    assert client.get(_url(CourseRun, "delete", run.pk)).status_code == 403
    assert client.post(_url(Course, "delete", run.course_id), {"post": "yes"}).status_code == 403
    assert client.get(_url(Competition, "delete", competition.pk)).status_code == 403
    assert CourseRun.objects.filter(pk=run.pk).exists() and Competition.objects.filter(pk=competition.pk).exists()
    assert client.get(_url(CourseRun, "delete", bare_run.pk)).status_code == 200
    assert client.get(_url(Competition, "delete", bare_competition.pk)).status_code == 200
