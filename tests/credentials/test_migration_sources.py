"""Existing databases keep what they had: credentials 0002-0004 turn the old foreign keys into
sources (and a run credential's university into `shared_with`), and batches into source, title,
way back and organization; migrating back restores the foreign keys."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("credentials", "0001_initial")]
AFTER = [("credentials", "0004_drop_app_references")]


def _migrate(targets):
    """Migrate credentials to `targets`; the models as the database then has them (the other apps
    as they are now)."""
    MigrationExecutor(connection).migrate(targets)
    graph = MigrationExecutor(connection).loader
    others = [node for node in graph.graph.leaf_nodes() if node[0] != "credentials"]
    return graph.project_state(others + targets).apps


def _old_rows(apps) -> dict:
    """Rows as the old schema held them: a credential per kind of reference, a batch per target."""
    Organization = apps.get_model("core", "Organization")
    User = apps.get_model("core", "User")
    Course = apps.get_model("academy", "Course")
    CourseRun = apps.get_model("academy", "CourseRun")
    Programme = apps.get_model("academy", "Programme")
    Competition = apps.get_model("competitions", "Competition")
    SigningKey = apps.get_model("credentials", "SigningKey")
    StatusList = apps.get_model("credentials", "StatusList")
    Credential = apps.get_model("credentials", "Credential")
    IssuanceBatch = apps.get_model("credentials", "IssuanceBatch")

    now = timezone.now()
    university = Organization.objects.create(name="NTU", slug="ntu", kind="university")
    owner = Organization.objects.create(name="Cloud Academy", slug="cloud-academy", kind="employer")
    learner = User.objects.create(email="pass@ntu.test")
    course = Course.objects.create(slug="cloud", title="Cloud Computing", owner=owner)
    run = CourseRun.objects.create(course=course, university=university, cohort="NTU S1", enrolment_ends=now,
                                   starts_at=now, ends_at=now + timedelta(days=90))
    open_run = CourseRun.objects.create(course=course, cohort="Open", enrolment_ends=now, starts_at=now,
                                        ends_at=now + timedelta(days=90))
    programme = Programme.objects.create(slug="cloud-major", title="Cloud Major", kind="major")
    competition = Competition.objects.create(slug="retail", title="Retail Demand", host=owner, metric="rmse")
    key = SigningKey.objects.create(organization=owner, token="tok", rsa_public_pem="-", ed25519_public=b"0" * 32,
                                    private_encrypted=b"-")
    status_list = StatusList.objects.create(organization=owner, number=1)
    refs = {"run": {"run": run, "course": course}, "open": {"run": open_run, "course": course},
            "programme": {"programme": programme}, "competition": {"competition": competition}, "none": {}}
    credentials = {}
    for index, (name, fields) in enumerate(refs.items()):
        credentials[name] = Credential.objects.create(
            recipient=learner, issuer=owner, kind="course_completion", achievement_key=f"k:{name}", name=name,
            valid_from=now, key=key, status_list=status_list, status_index=index, document="{}", jwt="x", **fields).pk
    batches = {"run": IssuanceBatch.objects.create(run=run, status="done").pk,
               "competition": IssuanceBatch.objects.create(competition=competition, status="queued").pk}
    return {"credentials": credentials, "batches": batches, "run": run.pk, "open_run": open_run.pk,
            "programme": programme.pk, "competition": competition.pk, "university": university.pk,
            "owner": owner.pk}


@pytest.mark.django_db(transaction=True)
def test_old_rows_are_converted_to_sources_and_back():
    try:
        ids = _old_rows(_migrate(BEFORE))
        apps = _migrate(AFTER)
        Credential = apps.get_model("credentials", "Credential")
        IssuanceBatch = apps.get_model("credentials", "IssuanceBatch")
        got = {name: Credential.objects.get(pk=pk) for name, pk in ids["credentials"].items()}
        assert got["run"].source == f"academy.run:{ids['run']}"
        assert got["open"].source == f"academy.run:{ids['open_run']}"
        assert got["programme"].source == f"academy.programme:{ids['programme']}"
        assert got["competition"].source == f"competitions.competition:{ids['competition']}"
        assert got["none"].source == ""
        # Only the university's run is its business: the open run and the rest are shared with nobody.
        assert [list(c.shared_with.values_list("pk", flat=True)) for c in got.values()] == [
            [ids["university"]], [], [], [], []]
        run_batch = IssuanceBatch.objects.get(pk=ids["batches"]["run"])
        assert (run_batch.source, run_batch.title, run_batch.back_url, run_batch.organization_id) == (
            f"academy.run:{ids['run']}", "Cloud Computing · NTU S1", f"/academy/runs/{ids['run']}/", ids["university"])
        competition_batch = IssuanceBatch.objects.get(pk=ids["batches"]["competition"])
        assert (competition_batch.source, competition_batch.title, competition_batch.back_url,
                competition_batch.organization_id) == (f"competitions.competition:{ids['competition']}",
                                                        "Retail Demand", "/competitions/retail/", ids["owner"])

        apps = _migrate(BEFORE)
        Credential = apps.get_model("credentials", "Credential")
        IssuanceBatch = apps.get_model("credentials", "IssuanceBatch")
        back = {name: Credential.objects.get(pk=pk) for name, pk in ids["credentials"].items()}
        assert (back["run"].run_id, back["run"].course_id) == (ids["run"], back["open"].course_id)
        assert back["programme"].programme_id == ids["programme"]
        assert back["competition"].competition_id == ids["competition"]
        assert IssuanceBatch.objects.get(pk=ids["batches"]["run"]).run_id == ids["run"]
        assert IssuanceBatch.objects.get(pk=ids["batches"]["competition"]).competition_id == ids["competition"]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
