"""Expired credentials leave the verified index on time: the hourly task `forward.talent.refresh_expired`
refreshes the people whose credentials expired since their index was built, and nobody else."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from forward.core.models import User
from forward.credentials import selectors as credential_selectors
from forward.credentials import services as credentials
from forward.credentials.models import Credential
from forward.talent import profiles, tasks
from forward.talent.models import Profile, ProfileSkill
from tests.talent.conftest import committed, issue_holdings


def index_of(user) -> tuple:
    profile = Profile.objects.get(user=user)
    return (profile.verified_count, profile.best_level, profile.refreshed_at,
            sorted(ProfileSkill.objects.filter(profile=profile).values_list("pk", "skill__slug", "credentials", "level")))


def expire(credential: Credential, *, ago: timedelta, built: timedelta) -> None:
    """The credential expired `ago`; its holder's index was last built `built` ago."""
    now = timezone.now()
    Credential.objects.filter(pk=credential.pk).update(valid_until=now - ago)
    Profile.objects.filter(user_id=credential.recipient_id).update(refreshed_at=now - built)


def test_a_certification_that_expires_leaves_the_index_when_the_task_runs(talent):
    expire(talent.credentials["cert"], ago=timedelta(minutes=20), built=timedelta(hours=3))
    assert ProfileSkill.objects.filter(profile__user=talent.student, skill__slug="cloud-computing").exists()  # stale
    assert tasks.refresh_expired.delay().get() == 1
    profile = Profile.objects.get(user=talent.student)
    assert profile.verified_count == 3 and profile.best_level == 0  # the only valid certification is gone
    assert set(ProfileSkill.objects.filter(profile=profile).values_list("skill__slug", flat=True)) == {
        "python", "sql", "machine-learning"}
    assert profile.refreshed_at > timezone.now() - timedelta(minutes=1)


def test_nothing_else_changes(talent):
    classmate = talent.classmate
    issue_holdings(talent, classmate)  # nothing of theirs expires
    # Someone whose index was built after their credential expired: already right.
    expire(talent.credentials["course"], ago=timedelta(hours=2), built=timedelta(hours=1))
    # Someone without a profile whose credential expired: no index to correct, no profile made for them.
    stranger = User.objects.create_user(email="stranger@example.test", password="x", name="Stranger")
    with committed():
        [credential] = credentials.issue([_certification(talent, stranger)])
    Profile.objects.filter(user=stranger).delete()
    expire(credential, ago=timedelta(minutes=5), built=timedelta(hours=1))
    before = {u.pk: index_of(u) for u in (talent.student, classmate)}
    student_skills = set(ProfileSkill.objects.filter(profile__user=talent.student).values_list("pk", flat=True))

    assert profiles.refresh_expired() == 0
    assert {u.pk: index_of(u) for u in (talent.student, classmate)} == before
    assert set(ProfileSkill.objects.filter(profile__user=talent.student).values_list("pk", flat=True)) == student_skills
    assert not Profile.objects.filter(user=stranger).exists()


def test_running_again_changes_nothing(talent, django_assert_num_queries):
    expire(talent.credentials["cert"], ago=timedelta(minutes=20), built=timedelta(hours=3))
    assert profiles.refresh_expired() == 1
    after = index_of(talent.student)
    with django_assert_num_queries(2):  # the expired, the profiles' refresh times: nothing to refresh
        assert profiles.refresh_expired() == 0
    assert index_of(talent.student) == after


def test_a_revoked_or_long_expired_credential_is_not_the_tasks_business(talent):
    """Revoking refreshes through holdings_changed; what expired before the lookback (a week) was
    dropped by an earlier run, or is dropped by the person's next refresh."""
    expire(talent.credentials["cert"], ago=profiles.EXPIRY_LOOKBACK + timedelta(hours=1), built=timedelta(days=30))
    before = index_of(talent.student)
    assert profiles.refresh_expired() == 0 and index_of(talent.student) == before
    Credential.objects.filter(pk=talent.credentials["cert"].pk).update(
        valid_until=timezone.now() - timedelta(minutes=5), revoked_at=timezone.now(), revocation_reason="Copied.")
    assert credential_selectors.expired_between(start=timezone.now() - timedelta(days=1), end=timezone.now()) == []


def test_many_people_are_read_a_page_at_a_time(talent, monkeypatch):
    issue_holdings(talent, talent.classmate)
    for user in (talent.student, talent.classmate):
        cert = Credential.objects.get(recipient=user, achievement_key=f"cert:{user.pk}")
        expire(cert, ago=timedelta(minutes=10), built=timedelta(hours=2))
    monkeypatch.setattr(profiles, "REFRESH_CHUNK", 1)
    assert profiles.refresh_expired() == 2
    for user in (talent.student, talent.classmate):
        assert not ProfileSkill.objects.filter(profile__user=user, skill__slug="cloud-computing").exists()


def test_the_selector_pages_by_recipient_and_gives_the_latest_expiry(talent):
    now = timezone.now()
    issue_holdings(talent, talent.classmate)
    Credential.objects.filter(recipient=talent.student, achievement_key__startswith="cert:").update(
        valid_until=now - timedelta(minutes=30))
    Credential.objects.filter(recipient=talent.student, achievement_key__startswith="prog:").update(
        valid_until=now - timedelta(minutes=10))
    Credential.objects.filter(recipient=talent.classmate, achievement_key__startswith="cert:").update(
        valid_until=now - timedelta(minutes=50))
    window = {"start": now - timedelta(hours=1), "end": now}
    first, second = sorted([talent.student.pk, talent.classmate.pk])
    found = credential_selectors.expired_between(**window)
    assert [pk for pk, _ in found] == [first, second]
    assert dict(found)[talent.student.pk] == now - timedelta(minutes=10)
    assert credential_selectors.expired_between(**window, limit=1) == found[:1]
    assert credential_selectors.expired_between(**window, after=first) == found[1:]


def test_the_task_runs_hourly_on_the_beat():
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "forward.talent.refresh_expired")
    assert entry["schedule"] == 3600


def _certification(talent, user):
    from tests.talent.conftest import award

    return award(recipient=user, issuer=talent.university, kind="certification", key=f"cert:{user.pk}",
                 name="Cloud Professional", facts={"skills": [{"slug": "cloud-computing", "name": "Cloud computing"}],
                                                   "level": 2}, valid_until=timezone.now() + timedelta(days=700))
