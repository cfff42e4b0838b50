"""One permission matrix per protected action: who may do it, for every role the trust model knows.

Roles:
- anonymous: not signed in;
- member: a plain member (a student) of the verified university V;
- staff: staff of V (a role V's admin granted);
- admin: V's admin;
- other_admin: the admin of another verified organization O;
- unverified_admin: the admin of an unverified university U, acting for U where the action is
  "in your own organization's name", else trying V's things;
- operator: site staff (a programme operator).

Each action runs through the service (or the page) a person would use and reports whether it
worked; a refusal is PermissionDenied, a ValidationError, a 403 or a 404. Each row of EXPECTED is
the set of roles that succeed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forward.academy import authoring, certifications
from forward.academy import services as academy
from forward.academy.models import (
    Assessment,
    AssessmentKind,
    Certification,
    CertificationLevel,
    CourseStatus,
    LessonKind,
)
from forward.competitions import services as competitions
from forward.competitions.models import Competition, CompetitionStatus, Team
from forward.core import services as core
from forward.core.models import Membership, Organization, OrganizationKind, Role, User
from forward.credentials import documents
from forward.credentials import services as credentials
from forward.credentials.models import CredentialKind, IssuanceBatch
from tests.conftest import client_for, make_organization, make_user

ROLES = ["anonymous", "member", "staff", "admin", "other_admin", "unverified_admin", "operator"]
SOLUTION = b"id,target,Usage\n1,1,Public\n2,0,Public\n3,1,Private\n4,0,Private\n"


class World:
    def actor(self, role: str):
        return getattr(self, role) if role != "anonymous" else AnonymousUser()

    def own(self, role: str) -> Organization:
        """The organization a person in this role acts for: U for the unverified admin, O for the
        other organization's admin, V for everyone else."""
        return {"unverified_admin": self.U, "other_admin": self.O}.get(role, self.V)


@pytest.fixture
def w(db) -> World:
    w = World()
    w.admin = make_user("admin@v.test", "Vera Admin")
    w.staff = make_user("staff@v.test", "Stan Staff")
    w.member = make_user("student@v.test", "Stu Dent")
    w.other_admin = make_user("admin@o.test", "Otto Other")
    w.unverified_admin = make_user("admin@u.test", "Una Verified")
    w.operator = make_user("ops@forward.test", "Olivia Operator", is_staff=True)
    w.V = make_organization(creator=w.admin, name="Verified University", kind=OrganizationKind.UNIVERSITY,
                            country="SG")
    Membership.objects.create(user=w.staff, organization=w.V, role=Role.STAFF)
    Membership.objects.create(user=w.member, organization=w.V, role=Role.MEMBER)
    w.O = make_organization(creator=w.other_admin, name="Other Employer", kind=OrganizationKind.EMPLOYER,
                            country="MY")
    w.U = make_organization(creator=w.unverified_admin, name="Unverified University",
                            kind=OrganizationKind.UNIVERSITY, country="ID", verified=False)
    return w


def attempt(call) -> bool:
    try:
        call()
    except (PermissionDenied, ValidationError):
        return False
    return True


def page_ok(response) -> bool:
    assert response.status_code in (200, 302, 403, 404), response.status_code
    return response.status_code in (200, 302) and "/accounts/login/" not in response.get("Location", "")


# --- the actions ------------------------------------------------------------------------------


def _draft_competition(w: World, host: Organization) -> Competition:
    creator = w.unverified_admin if host == w.U else (w.other_admin if host == w.O else w.admin)
    now = timezone.now()
    competition = competitions.competition_create(
        actor=creator, host=host, title=f"Churn at {host.name}", metric="auc", starts_at=now,
        ends_at=now + timedelta(days=30))
    competitions.solution_upload(actor=creator, phase=competition.phases.get(),
                                 upload=SimpleUploadedFile("solution.csv", SOLUTION))
    return competition


def create_competition_draft(w: World, role: str) -> bool:
    now = timezone.now()
    return attempt(lambda: competitions.competition_create(
        actor=w.actor(role), host=w.own(role), title="Churn", metric="auc", starts_at=now,
        ends_at=now + timedelta(days=7)))


def publish_competition(w: World, role: str) -> bool:
    competition = _draft_competition(w, w.own(role))
    return attempt(lambda: competitions.competition_publish(actor=w.actor(role), competition=competition))


def download_the_hidden_solution(w: World, role: str) -> bool:
    competition = _draft_competition(w, w.V)
    competition = competitions.competition_publish(actor=w.admin, competition=competition)
    return page_ok(client_for(None if role == 'anonymous' else w.actor(role)).get(f"/competitions/{competition.slug}/host/solution/1/download/"))


def enter_the_competition(w: World, role: str) -> bool:
    """The host's own people (students included) may not enter its competition."""
    competition = _draft_competition(w, w.V)
    competition = competitions.competition_publish(actor=w.admin, competition=competition)
    return attempt(lambda: competitions.register(user=w.actor(role), competition=competition))


def _course(w: World, owner: Organization):
    creator = w.unverified_admin if owner == w.U else (w.other_admin if owner == w.O else w.admin)
    course = authoring.course_create(actor=creator, owner=owner, title=f"Cloud basics at {owner.name}")
    module = authoring.module_create(actor=creator, course=course, title="Week 1")
    authoring.lesson_save(actor=creator, module=module, kind=LessonKind.READING, title="Read me",
                          body="Regions and zones.")
    return course


def create_course_draft(w: World, role: str) -> bool:
    return attempt(lambda: authoring.course_create(actor=w.actor(role), owner=w.own(role), title="Serverless"))


def publish_course(w: World, role: str) -> bool:
    course = _course(w, w.own(role))
    return attempt(lambda: authoring.course_publish(actor=w.actor(role), course=course))


def offer_a_run_at_the_university(w: World, role: str) -> bool:
    course = _course(w, w.O)
    authoring.course_publish(actor=w.other_admin, course=course)
    university = w.U if role == "unverified_admin" else w.V
    now = timezone.now()
    return attempt(lambda: authoring.run_save(
        actor=w.actor(role), course=course, university=university, cohort="2027 spring",
        enrolment_ends=now + timedelta(days=10), starts_at=now, ends_at=now + timedelta(days=90),
        instructor_emails=[]))


def set_up_a_lab(w: World, role: str) -> bool:
    """The graded lab of a lesson in V's course: its hidden answer key is set by the course's team."""
    from forward.academy import labs

    course = _course(w, w.V)
    lesson = authoring.lesson_save(actor=w.admin, module=course.modules.get(), kind=LessonKind.LAB,
                                   title="Estimate the bill", body="Work it out.")
    key = SimpleUploadedFile("key.csv", b"question_id,answer\ntotal,93.5\n")
    return attempt(lambda: labs.lab_setup(actor=w.actor(role), lesson=lesson, metric="answers", pass_threshold=1,
                                          key=key, questions=[{"id": "total", "text": "The month's total?"}]))


def _certification(w: World) -> Certification:
    exam = Assessment.objects.create(course=None, kind=AssessmentKind.EXAM, title="Cloud Associate exam",
                                     time_limit_minutes=60)
    return Certification.objects.create(slug="cloud-associate", title="Cloud Associate", track="Cloud",
                                        level=CertificationLevel.ASSOCIATE, exam=exam, owner=w.O,
                                        status=CourseStatus.PUBLISHED)


def issue_vouchers(w: World, role: str) -> bool:
    certification = _certification(w)
    return attempt(lambda: certifications.vouchers_issue(
        actor=w.actor(role), certification=certification, organization=w.own(role), count=5))


def _award(w: World, issuer: Organization) -> documents.Award:
    return documents.Award(
        recipient=w.member, issuer=issuer, kind=CredentialKind.COURSE_COMPLETION,
        achievement_key=f"matrix:{issuer.slug}",
        achievement={"id": f"https://forward.test/achievements/{issuer.slug}", "type": ["Achievement"],
                     "achievementType": "Course", "name": "Cloud basics", "description": "Cloud basics",
                     "criteria": {"narrative": "Pass the course."}},
        name="Cloud basics")


def _credential(w: World):
    [credential] = credentials.issue([_award(w, w.V)])
    return credential


def see_who_holds_the_credentials(w: World, role: str) -> bool:
    credential = _credential(w)
    response = client_for(None if role == 'anonymous' else w.actor(role)).get("/credentials/issued/")
    return response.status_code == 200 and credential.recipient.email in response.content.decode()


def revoke_a_credential(w: World, role: str) -> bool:
    credential = _credential(w)
    return attempt(lambda: credentials.revoke(actor=w.actor(role), credential=credential,
                                              reason="Found to be another person's work."))


def certify_a_released_cohort(w: World, role: str) -> bool:
    """Issue certificates for a run at V (of O's course) after its grades are released, and watch
    the batch: academy's rule (whoever sees the cohort), asked by credentials through the source."""
    course = _course(w, w.O)
    authoring.course_publish(actor=w.other_admin, course=course)
    now = timezone.now()
    run = authoring.run_save(actor=w.admin, course=course, university=w.V, cohort="2026 autumn",
                             enrolment_ends=now, starts_at=now - timedelta(days=90), ends_at=now,
                             instructor_emails=[])
    run.grades_released_at = now
    run.save(update_fields=["grades_released_at"])
    certified = attempt(lambda: academy.run_certify(actor=w.actor(role), run=run))
    batch = IssuanceBatch.objects.get() if certified else academy.run_certify(actor=w.admin, run=run)
    watched = page_ok(client_for(None if role == "anonymous" else w.actor(role)).get(
        f"/credentials/batches/{batch.pk}/"))
    assert watched == certified, "who certifies a cohort watches its batches"
    return certified


def certify_a_finished_competition(w: World, role: str) -> bool:
    """Award a competition V hosts (again) and watch the batch: competitions' rule (its hosts)."""
    from forward.competitions.awards import batch_details

    competition = competitions.competition_publish(actor=w.admin, competition=_draft_competition(w, w.V))
    certified = attempt(lambda: credentials.batch_start(actor=w.actor(role), **batch_details(competition)))
    batch = IssuanceBatch.objects.get() if certified else credentials.batch_start(
        actor=w.admin, **batch_details(competition))
    watched = page_ok(client_for(None if role == "anonymous" else w.actor(role)).get(
        f"/credentials/batches/{batch.pk}/"))
    assert watched == certified, "who certifies a competition watches its batches"
    return certified


def rotate_signing_keys(w: World, role: str) -> bool:
    _credential(w)
    return attempt(lambda: credentials.key_rotate(actor=w.actor(role), organization=w.V))


def verify_an_organization(w: World, role: str) -> bool:
    return attempt(lambda: core.organization_verify(actor=w.actor(role), organization=w.U))


def set_a_voucher_quota(w: World, role: str) -> bool:
    return attempt(lambda: core.organization_set_quota(actor=w.actor(role), organization=w.own(role),
                                                       voucher_quota=10_000, voucher_quota_days=30))


def open_the_verification_queue(w: World, role: str) -> bool:
    response = client_for(None if role == 'anonymous' else w.actor(role)).get("/organizations/verification/")
    return response.status_code == 200 and w.U.name in response.content.decode()


def create_a_programme_operator_organization(w: World, role: str) -> bool:
    return attempt(lambda: core.organization_create(
        creator=w.actor(role), name="Programme Office 2", kind=OrganizationKind.OPERATOR,
        country="SG"))


def make_own_organization_a_programme_operator(w: World, role: str) -> bool:
    return attempt(lambda: core.organization_update(
        actor=w.actor(role), organization=w.own(role), kind=OrganizationKind.OPERATOR))


def invite_to_own_organization(w: World, role: str) -> bool:
    return attempt(lambda: core.invitation_create(actor=w.actor(role), organization=w.own(role),
                                                  email="new@v.test"))


def see_the_member_list(w: World, role: str) -> bool:
    response = client_for(None if role == 'anonymous' else w.actor(role)).get(f"/organizations/{w.V.slug}/")
    return response.status_code == 200 and w.member.email in response.content.decode()


def set_an_impact_target(w: World, role: str) -> bool:
    """A programme target for the university (operators only: the published numbers are theirs)."""
    from datetime import date

    from forward.impact import services as impact

    return attempt(lambda: impact.target_create(actor=w.actor(role), measure="talents", value=1000,
                                                starts_on=date(2026, 1, 1), deadline=date(2028, 12, 31),
                                                university=w.own(role)))


def _impact_rows(w: World, role: str, **params) -> bool:
    """Who was counted in a number (the rows behind it): a page of people's names."""
    from forward.impact.models import Fact

    Fact.objects.get_or_create(measure="talents", entity=w.member.pk, country="SG", programme=0,
                               university=w.V.pk, unit="", defaults={"day": timezone.now().date()})
    response = client_for(None if role == "anonymous" else w.actor(role)).get("/impact/measures/talents/rows/",
                                                                              params)
    return page_ok(response) and w.member.name in response.content.decode()


def see_who_was_counted_at_the_university(w: World, role: str) -> bool:
    return _impact_rows(w, role, university=w.own(role).pk)


def see_who_was_counted_anywhere(w: World, role: str) -> bool:
    return _impact_rows(w, role)


def see_the_universitys_small_groups_exact(w: World, role: str) -> bool:
    """Two students counted at the university: "< 5" for the public, 2 for those who may see it whole."""
    from forward.impact.models import UNIVERSITY, Daily

    Daily.objects.get_or_create(measure="talents", unit="", grouping=UNIVERSITY, country="", programme=0,
                                university=w.V.pk, day=timezone.now().date(), defaults={"value": 2, "entities": 2})
    response = client_for(None if role == "anonymous" else w.actor(role)).get(
        "/api/v1/impact/measures/talents", {"university": w.V.pk})
    assert response.status_code == 200, response.content
    return response.json()["total"] == 2


def _hosted_competition(w: World, role: str) -> Competition:
    """A published competition with one team: V's, or U's for U's admin (U is unverified, so this is
    its admin trying the console of its own organization's competition)."""
    host = w.U if role == "unverified_admin" else w.V
    competition = _draft_competition(w, host)
    Competition.objects.filter(pk=competition.pk).update(status=CompetitionStatus.PUBLISHED)
    Team.objects.create(competition=competition, name="Overfitters", invite_code=f"code-{competition.pk}")
    return Competition.objects.select_related("host").get(pk=competition.pk)


def open_the_host_console(w: World, role: str) -> bool:
    competition = _hosted_competition(w, role)
    return page_ok(client_for(None if role == "anonymous" else w.actor(role)).get(
        f"/competitions/{competition.slug}/console/teams/"))


def disqualify_a_team(w: World, role: str) -> bool:
    from forward.competitions import console

    team = _hosted_competition(w, role).teams.get()
    return attempt(lambda: console.team_disqualify(actor=w.actor(role), team=team, reason="Shared accounts"))


def rescore_a_round(w: World, role: str) -> bool:
    from forward.competitions import console

    phase = _hosted_competition(w, role).phases.get()
    return attempt(lambda: console.rescore_start(actor=w.actor(role), phase=phase,
                                                 upload=SimpleUploadedFile("corrected.csv", SOLUTION)))


def message_the_winners(w: World, role: str) -> bool:
    from forward.competitions import console
    from forward.competitions.models import LeaderboardEntry, PhaseResult, Submission

    competition = _hosted_competition(w, role)
    phase, team = competition.phases.get(), competition.teams.get()
    now = timezone.now()
    phase.starts_at, phase.ends_at = now - timedelta(days=2), now - timedelta(days=1)
    phase.save()
    best = Submission.objects.create(phase=phase, team=team, file="x.csv", original_name="x.csv", status="scored",
                                     public_score=0.9, private_score=0.8)
    LeaderboardEntry.objects.create(phase=phase, team=team, best_public=0.9, sort_key=-0.9, best_submission=best,
                                    best_at=now, last_submission_at=now, private_score=0.8,
                                    private_sort_key=-0.8, private_at=now, public_rank=1)
    PhaseResult.objects.create(phase=phase)
    return attempt(lambda: console.winners_message_send(actor=w.actor(role), competition=competition,
                                                        subject="Well done", body="See you at the ceremony.",
                                                        top_n=3))


def _post_picture(w: World, role: str, url: str, target) -> bool:
    """Upload a picture (core.images) and report whether the thing now has it."""
    import io

    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (320, 200), "teal").save(out, format="PNG")
    picture = SimpleUploadedFile("p.png", out.getvalue(), content_type="image/png")
    ok = page_ok(client_for(None if role == "anonymous" else w.actor(role)).post(url, {"picture": picture}))
    target.refresh_from_db()
    return ok and any(getattr(target, field, "") for field in ("logo", "thumbnail", "banner"))


def change_own_organizations_logo(w: World, role: str) -> bool:
    organization = w.own(role)
    return _post_picture(w, role, f"/organizations/{organization.slug}/logo/", organization)


def change_a_course_thumbnail(w: World, role: str) -> bool:
    course = _course(w, w.V)
    return _post_picture(w, role, f"/academy/studio/{course.slug}/thumbnail/", course)


def change_a_competition_banner(w: World, role: str) -> bool:
    competition = _hosted_competition(w, role)
    return _post_picture(w, role, f"/competitions/{competition.slug}/banner/", competition)


def _badge_art_post(w: World, role: str, data: dict) -> bool:
    """Post to the badge art page of the organization the role acts for (U for U's admin, else V),
    for a course that organization owns; True when the art changed as asked."""
    from forward.academy.awards import course_achievement_id
    from forward.credentials.models import BadgeArt

    owner = w.U if role == "unverified_admin" else w.V
    course = _course(w, owner)
    data = {"achievement": course_achievement_id(course), **data}
    before = BadgeArt.objects.filter(organization=owner).count()
    response = client_for(None if role == "anonymous" else w.actor(role)).post(
        f"/credentials/issuers/{owner.slug}/badges/", data)
    page_ok(response)
    return BadgeArt.objects.filter(organization=owner).count() != before


def _badge_picture() -> SimpleUploadedFile:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (200, 120), "orange").save(out, format="PNG")
    return SimpleUploadedFile("badge.png", out.getvalue(), content_type="image/png")


def upload_badge_art(w: World, role: str) -> bool:
    return _badge_art_post(w, role, {"picture": _badge_picture()})


def remove_badge_art(w: World, role: str) -> bool:
    from forward.academy.awards import course_achievement_id
    from forward.credentials.models import BadgeArt

    owner = w.U if role == "unverified_admin" else w.V
    course = _course(w, owner)
    BadgeArt.objects.create(organization=owner, achievement_id=course_achievement_id(course), digest="0" * 64)
    response = client_for(None if role == "anonymous" else w.actor(role)).post(
        f"/credentials/issuers/{owner.slug}/badges/", {"achievement": course_achievement_id(course), "remove": "1"})
    page_ok(response)
    return not BadgeArt.objects.filter(organization=owner).exists()


EXPECTED = {
    create_competition_draft: {"staff", "admin", "other_admin", "unverified_admin", "operator"},
    publish_competition: {"staff", "admin", "other_admin", "operator"},
    download_the_hidden_solution: {"staff", "admin", "operator"},
    enter_the_competition: {"other_admin", "unverified_admin", "operator"},
    create_course_draft: {"staff", "admin", "other_admin", "unverified_admin", "operator"},
    publish_course: {"admin", "other_admin", "operator"},
    offer_a_run_at_the_university: {"admin", "operator"},
    set_up_a_lab: {"admin", "operator"},
    issue_vouchers: {"admin", "other_admin", "operator"},
    see_who_holds_the_credentials: {"admin", "operator"},
    revoke_a_credential: {"admin", "operator"},
    rotate_signing_keys: {"admin", "operator"},
    upload_badge_art: {"admin", "operator"},
    remove_badge_art: {"admin", "operator"},
    certify_a_released_cohort: {"admin", "operator"},
    certify_a_finished_competition: {"staff", "admin", "operator"},
    verify_an_organization: {"operator"},
    set_a_voucher_quota: {"operator"},
    open_the_verification_queue: {"operator"},
    create_a_programme_operator_organization: {"operator"},
    make_own_organization_a_programme_operator: {"operator"},
    invite_to_own_organization: {"admin", "other_admin", "unverified_admin", "operator"},
    see_the_member_list: {"member", "staff", "admin", "operator"},
    set_an_impact_target: {"operator"},
    see_who_was_counted_at_the_university: {"staff", "admin", "operator"},
    see_who_was_counted_anywhere: {"operator"},
    see_the_universitys_small_groups_exact: {"staff", "admin", "operator"},
    open_the_host_console: {"admin", "operator"},
    disqualify_a_team: {"admin", "operator"},
    rescore_a_round: {"admin", "operator"},
    message_the_winners: {"admin", "operator"},
    change_own_organizations_logo: {"admin", "other_admin", "unverified_admin", "operator"},
    change_a_course_thumbnail: {"admin", "operator"},
    change_a_competition_banner: {"staff", "admin", "unverified_admin", "operator"},
}


# --- discussions (boards keyed by what they discuss; the owning app's rules decide) -----------------


def _run_board(w: World) -> str:
    """The board of a run at V of V's course, with V's student (the member) enrolled."""
    from forward.academy.discussions import run_board

    course = _course(w, w.V)
    authoring.course_publish(actor=w.admin, course=course)
    now = timezone.now()
    run = authoring.run_save(actor=w.admin, course=course, university=w.V, cohort="2027 spring",
                             enrolment_ends=now + timedelta(days=10), starts_at=now, ends_at=now + timedelta(days=90),
                             instructor_emails=[])
    academy.enrol(user=w.member, run=run)
    return run_board(run)


def _course_thread(w: World):
    """A question by V's student on the board of V's published course."""
    from forward.academy.discussions import course_board
    from forward.discussions import services as discussions

    course = _course(w, w.V)
    authoring.course_publish(actor=w.admin, course=course)
    return discussions.thread_create(actor=w.member, ref=course_board(course), title="Which region?", body="?")


def post_on_a_course_runs_board(w: World, role: str) -> bool:
    """The run's learners, instructors and the university's admins take part."""
    from forward.discussions import services as discussions

    ref = _run_board(w)
    return attempt(lambda: discussions.thread_create(actor=w.actor(role), ref=ref, title="Lab 2", body="Stuck."))


def read_a_course_runs_board(w: World, role: str) -> bool:
    ref = _run_board(w)
    return page_ok(client_for(None if role == "anonymous" else w.actor(role)).get(
        "/discussions/" + ref.replace(":", "/") + "/"))


def hide_a_post_on_a_course_board(w: World, role: str) -> bool:
    """Moderators of a course's board: the owning organization's admins and staff."""
    from forward.discussions import services as discussions

    thread = _course_thread(w)
    return attempt(lambda: discussions.post_hide(actor=w.actor(role), thread=thread))


def dismiss_a_report_on_a_course_board(w: World, role: str) -> bool:
    from forward.discussions import services as discussions

    thread = _course_thread(w)
    report = discussions.report_create(actor=w.other_admin, thread=thread, reason="Off topic")
    return attempt(lambda: discussions.report_dismiss(actor=w.actor(role), report=report))


def _competition_board(w: World, host: Organization) -> str:
    from forward.competitions.discussions import competition_board

    creator = w.other_admin if host == w.O else w.admin
    return competition_board(competitions.competition_publish(actor=creator, competition=_draft_competition(w, host)))


def post_on_a_competition_board(w: World, role: str) -> bool:
    """A competition O hosts: participants who accepted its rules (V's student), and its hosts."""
    from forward.discussions import services as discussions

    ref = _competition_board(w, w.O)
    competitions.register(user=w.member, competition=Competition.objects.get())
    return attempt(lambda: discussions.thread_create(actor=w.actor(role), ref=ref, title="Metric?", body="AUC?"))


def pin_a_thread_on_a_competition_board(w: World, role: str) -> bool:
    """A competition V hosts: its admins and staff moderate."""
    from forward.discussions import services as discussions

    thread = discussions.thread_create(actor=w.admin, ref=_competition_board(w, w.V), title="Read first", body="!")
    return attempt(lambda: discussions.thread_set(actor=w.actor(role), thread=thread, pinned=True))


EXPECTED.update({
    post_on_a_course_runs_board: {"member", "admin", "operator"},
    read_a_course_runs_board: {"member", "admin", "operator"},
    hide_a_post_on_a_course_board: {"staff", "admin", "operator"},
    dismiss_a_report_on_a_course_board: {"staff", "admin", "operator"},
    post_on_a_competition_board: {"member", "other_admin", "operator"},
    pin_a_thread_on_a_competition_board: {"staff", "admin", "operator"},
})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(EXPECTED), ids=lambda action: action.__name__)
def test_permission_matrix(w, action, role):
    allowed = action(w, role)
    assert allowed == (role in EXPECTED[action]), (
        f"{action.__name__} by {role}: {'allowed' if allowed else 'refused'}")


def test_an_unverified_organization_acts_once_an_operator_verifies_it(w):
    course = _course(w, w.U)
    with pytest.raises(ValidationError, match="not verified"):
        authoring.course_publish(actor=w.unverified_admin, course=course)
    assert w.U.name in client_for(w.operator).get("/organizations/verification/").content.decode()
    response = client_for(w.operator).post(f"/organizations/{w.U.slug}/verification/", {
        "action": "verify", "voucher_quota": "20", "voucher_quota_days": "30", "next": "queue"})
    assert response.status_code == 302
    w.U.refresh_from_db()
    assert w.U.is_verified and w.U.verified_by == w.operator and w.U.voucher_quota == 20
    assert authoring.course_publish(actor=w.unverified_admin, course=course).status == CourseStatus.PUBLISHED
    assert w.U.name not in client_for(w.operator).get("/organizations/verification/").content.decode()


def test_renaming_or_rekinding_a_verified_organization_asks_for_verification_again(w):
    core.organization_update(actor=w.admin, organization=w.V, city="Singapore", description="Research university")
    assert Organization.objects.get(pk=w.V.pk).is_verified  # details that were not checked
    core.organization_update(actor=w.admin, organization=w.V, name="National Cloud Institute")
    assert not Organization.objects.get(pk=w.V.pk).is_verified
    core.organization_verify(actor=w.operator, organization=w.V)
    core.organization_update(actor=w.operator, organization=w.V, kind=OrganizationKind.EMPLOYER)
    assert Organization.objects.get(pk=w.V.pk).is_verified  # an operator's own change stands


def test_the_edit_form_does_not_offer_the_operator_kind(w):
    html = client_for(w.admin).get(f"/organizations/{w.V.slug}/edit/").content.decode()
    assert 'value="operator"' not in html
    response = client_for(w.admin).post(f"/organizations/{w.V.slug}/edit/", {
        "name": w.V.name, "kind": "operator", "country": "SG"})
    assert response.status_code == 200
    assert Organization.objects.get(pk=w.V.pk).kind == OrganizationKind.UNIVERSITY
    html = client_for(w.admin).get("/organizations/new/").content.decode()
    assert 'value="operator"' not in html
    assert 'value="operator"' in client_for(w.operator).get("/organizations/new/").content.decode()


def test_an_admin_of_an_operator_kind_organization_is_no_operator(w):
    """The attack: a self-made "programme operator" organization granted operator powers."""
    office = Organization.objects.create(name="Programme Office", slug="programme-office",
                                         kind=OrganizationKind.OPERATOR, country="SG", verified_at=timezone.now())
    Membership.objects.create(user=w.other_admin, organization=office, role=Role.ADMIN)
    credential = _credential(w)
    assert w.member.email not in client_for(w.other_admin).get("/credentials/issued/").content.decode()
    with pytest.raises(PermissionDenied):
        credentials.revoke(actor=w.other_admin, credential=credential, reason="Because I can.")
    with pytest.raises(PermissionDenied):
        credentials.key_rotate(actor=w.other_admin, organization=w.V)


def test_voucher_quotas_hold_per_period(w):
    certification = _certification(w)
    core.organization_set_quota(actor=w.operator, organization=w.V, voucher_quota=8, voucher_quota_days=30)
    w.V.refresh_from_db()
    certifications.vouchers_issue(actor=w.admin, certification=certification, organization=w.V, count=5)
    with pytest.raises(ValidationError, match="3 left"):
        certifications.vouchers_issue(actor=w.admin, certification=certification, organization=w.V, count=4)
    certifications.vouchers_issue(actor=w.admin, certification=certification, organization=w.V, count=3)
    assert certifications.vouchers_left(organization=w.V) == 0
    page = client_for(w.admin).get(f"/academy/certifications/vouchers/?org={w.V.slug}").content.decode()
    assert "0 vouchers left of 8 every 30 days." in page
    # Vouchers issued more than a period ago no longer count.
    later = timezone.now() + timedelta(days=31)
    assert certifications.vouchers_left(organization=w.V, now=later) == 8
    # Operators give vouchers beyond the quota they set.
    certifications.vouchers_issue(actor=w.operator, certification=certification, organization=w.V, count=10)


def test_students_of_an_unverified_university_are_not_partner_students(w):
    student = make_user("student@u.test", "Ulla Student")
    Membership.objects.create(user=student, organization=w.U)
    competition = _draft_competition(w, w.O)
    competition.eligibility = "universities"
    competition.save()
    competition = competitions.competition_publish(actor=w.other_admin, competition=competition)
    with pytest.raises(ValidationError, match="partner universities"):
        competitions.register(user=student, competition=competition)
    assert competitions.register(user=w.member, competition=competition)


def test_an_unverified_organization_issues_no_credentials(w):
    assert credentials.issue([_award(w, w.U)]) == []


def test_a_new_organization_waits_for_verification_and_an_operators_does_not(w):
    mine = core.organization_create(creator=w.member, name="Student Robotics Club", kind=OrganizationKind.HOST,
                                    country="SG")
    assert not mine.is_verified
    theirs = core.organization_create(creator=w.operator, name="Partner Lab", kind=OrganizationKind.HOST,
                                      country="SG")
    assert theirs.is_verified and theirs.verified_by == w.operator
    assert Competition.objects.filter(status=CompetitionStatus.PUBLISHED).count() == 0
    assert User.objects.filter(is_staff=True).count() == 1
