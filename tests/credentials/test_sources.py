"""Credentials knows academy and competitions only as sources they registered: a batch certifies
"academy.run:42" by asking academy who earned what and who may certify it; the pages around a
batch read back through credentials' selectors; a credential is found by its source."""

import logging

import pytest
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from forward.academy import awards
from forward.academy import services as academy_services
from forward.core.models import User
from forward.credentials import selectors, services, sources
from forward.credentials.models import BatchStatus, Credential, CredentialKind, IssuanceBatch
from tests.conftest import client_for

from .conftest import committed, release
from .test_awards import ended_competition  # noqa: F401 - the finished competition


def test_the_apps_that_award_register_their_sources():
    assert sources.get("academy.run:1").prefix == "academy.run"
    assert sources.get("competitions.competition:1").prefix == "competitions.competition"
    assert sources.get("academy.nothing:1") is None and sources.get("no source") is None
    assert sources.split("academy.run:42") == ("academy.run", "42") and sources.key_of("academy.run:42",
                                                                                       "academy.run") == 42
    assert sources.key_of("academy.run:x", "academy.run") is None
    assert sources.key_of("competitions.competition:42", "academy.run") is None


def test_a_credential_is_found_by_what_it_was_earned_for(cohort):
    release(cohort)
    run = awards.run_source(cohort.uni_run)
    assert selectors.count_for_source(run) == 5 == selectors.by_source(run).count()
    assert set(selectors.for_sources([run, "academy.run:0"]).values_list("recipient__email", flat=True)) == {
        "student@ntu.test", "merit@ntu.test", "pass@ntu.test"}
    assert selectors.latest_batch(run).status == BatchStatus.DONE
    assert selectors.latest_batch("academy.run:0") is None


def test_at_most_one_batch_per_source_is_open(cohort):
    source = awards.run_source(cohort.uni_run)
    IssuanceBatch.objects.create(source=source, title="One")
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuanceBatch.objects.create(source=source, title="Two", status=BatchStatus.RUNNING)
    IssuanceBatch.objects.create(source=source, title="Finished before", status=BatchStatus.DONE)
    IssuanceBatch.objects.create(source=source, title="Failed before", status=BatchStatus.FAILED)


def test_a_click_that_loses_the_race_gets_the_winners_batch(cohort, monkeypatch, django_capture_on_commit_callbacks):
    """Two clicks at once both find no open batch; the constraint lets one create it, and the other
    returns that one."""
    cohort.uni_run.grades_released_at = timezone.now()
    cohort.uni_run.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = academy_services.run_certify(actor=cohort.admin, run=cohort.uni_run)
        real_first = QuerySet.first
        blinded = []

        def first_without_seeing_the_other_click(self):
            if self.model is IssuanceBatch and not blinded:
                blinded.append(self)
                return None
            return real_first(self)

        monkeypatch.setattr(QuerySet, "first", first_without_seeing_the_other_click)
        second = academy_services.run_certify(actor=cohort.admin, run=cohort.uni_run)
    assert blinded and second == first and len(callbacks) == 1
    assert IssuanceBatch.objects.count() == 1


def test_a_batch_of_an_unknown_source_fails_with_a_message(cohort, caplog):
    batch = IssuanceBatch.objects.create(source="retired.app:1", title="Gone")
    with pytest.raises(ValueError, match="no app awards credentials"), caplog.at_level(logging.ERROR):
        services.batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and "retired.app:1" in batch.error
    assert batch.created_at <= batch.started_at <= batch.finished_at <= timezone.now()  # the admin list's times
    # the operators' log names the batch, with the traceback
    logged = [r for r in caplog.records if r.name == "forward.credentials.services"]
    assert [(r.levelname, r.getMessage()) for r in logged] == [("ERROR", f"issuance batch {batch.pk} failed")]
    assert isinstance(logged[0].exc_info[1], ValueError)
    with pytest.raises(ValueError, match="no app awards credentials"):
        services.batch_start(actor=None, source="retired.app:1", title="Gone")
    assert client_for(cohort.operator).get(f"/credentials/batches/{batch.pk}/").status_code == 404


def test_a_batch_goes_back_only_to_a_page_of_this_site(cohort):
    cohort.uni_run.grades_released_at = timezone.now()
    cohort.uni_run.save()
    for elsewhere in ("https://evil.test/", "//evil.test/", "javascript:alert(1)"):
        with pytest.raises(ValueError, match="a path on this site"):
            services.batch_start(actor=None, source=awards.run_source(cohort.uni_run), title="x", back_url=elsewhere)


def test_the_platform_may_start_a_batch_with_no_way_back(cohort):
    cohort.uni_run.grades_released_at = timezone.now()
    cohort.uni_run.save()
    with committed():
        batch = services.batch_start(actor=None, source=awards.run_source(cohort.uni_run), title="NTU S1")
    batch.refresh_from_db()
    assert (batch.back_url, batch.status, batch.issued) == ("", BatchStatus.DONE, 5)
    page = client_for(cohort.admin).get(f"/credentials/batches/{batch.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Finished: 5 new certificates issued." in page and "Back to the cohort" not in page


def test_another_sources_open_batch_does_not_stand_in_for_this_one(cohort):
    elsewhere = IssuanceBatch.objects.create(source="academy.run:900001", title="Another cohort")
    cohort.uni_run.grades_released_at = timezone.now()
    cohort.uni_run.save()
    with committed():
        batch = academy_services.run_certify(actor=cohort.admin, run=cohort.uni_run)
    batch.refresh_from_db()
    assert batch != elsewhere and (batch.source, batch.title) == (awards.run_source(cohort.uni_run),
                                                                  "Cloud Computing Fundamentals · NTU S1")
    assert (batch.status, batch.issued) == (BatchStatus.DONE, 5)
    elsewhere.refresh_from_db()
    assert (elsewhere.status, elsewhere.issued) == (BatchStatus.QUEUED, 0)


def test_a_long_title_and_way_back_are_cut_to_what_the_batch_holds(cohort):
    """300 characters each (PostgreSQL refuses one more; the page shows what is stored)."""
    cohort.uni_run.grades_released_at = timezone.now()
    cohort.uni_run.save()
    title, back_url = "T" * 299 + "ab", "/academy/" + "r" * 290 + "/cohort/"
    with committed():
        batch = services.batch_start(actor=None, source=awards.run_source(cohort.uni_run), title=title,
                                     back_url=back_url)
    batch.refresh_from_db()
    assert (batch.title, batch.back_url) == (title[:300], back_url[:300])
    assert batch.title.endswith("Ta") and len(batch.back_url) == 300 and batch.status == BatchStatus.DONE


def test_the_cohort_page_shows_the_certificates_and_the_latest_batch(cohort):
    release(cohort)
    batch = selectors.latest_batch(awards.run_source(cohort.uni_run))
    page = client_for(cohort.admin).get(f"/academy/runs/{cohort.uni_run.pk}/").content.decode()
    assert "5 certificates issued for this run." in page
    assert f'href="/credentials/batches/{batch.pk}/"' in page and f'action="/academy/runs/{cohort.uni_run.pk}/certify/"' in page


def test_the_run_batch_page_names_the_cohort_and_goes_back_to_it(cohort):
    release(cohort)
    batch = selectors.latest_batch(awards.run_source(cohort.uni_run))
    assert batch.title == "Cloud Computing Fundamentals · NTU S1" and batch.organization == cohort.university
    page = client_for(cohort.admin).get(f"/credentials/batches/{batch.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "<h1>Certificates for Cloud Computing Fundamentals · NTU S1</h1>" in html
    assert f'<a href="/academy/runs/{cohort.uni_run.pk}/">Back to the cohort</a>' in html
    chinese = client_for(cohort.admin).get(f"/credentials/batches/{batch.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "的证书" in chinese.content.decode() and "返回班级" in chinese.content.decode()


def test_certifying_a_run_again_is_for_its_staff_after_release(cohort):
    with pytest.raises(Exception, match="Release the grades first"):
        academy_services.run_certify(actor=cohort.admin, run=cohort.uni_run)
    response = client_for(cohort.admin).post(f"/academy/runs/{cohort.uni_run.pk}/certify/", follow=True)
    assert "Release the grades first" in response.content.decode()
    release(cohort)
    from django.core.exceptions import PermissionDenied

    for outsider in (cohort.other_admin, cohort.plain_member, cohort.top):
        with pytest.raises(PermissionDenied):
            academy_services.run_certify(actor=outsider, run=cohort.uni_run)
        with pytest.raises(PermissionDenied):
            services.batch_start(actor=outsider, **awards.batch_details(cohort.uni_run))
    with committed():
        batch = academy_services.run_certify(actor=cohort.operator, run=cohort.uni_run)
    batch.refresh_from_db()
    assert batch.requested_by == cohort.operator and batch.status == BatchStatus.DONE and batch.issued == 0
    assert batch in selectors.batches(user=cohort.operator)


@pytest.mark.parametrize("who,sees", [("host_admin", True), ("operator", True), ("member", False),
                                      ("outsider", False)])
def test_a_competitions_batch_is_for_its_hosts(ended_competition, who, sees):  # noqa: F811
    from forward.competitions import submissions
    from forward.core.models import Membership, Role
    from tests.conftest import make_user

    competition, phase, _teams = ended_competition
    with committed():
        assert submissions.phase_finalize(phase_id=phase.pk)
    batch = IssuanceBatch.objects.get()
    assert (batch.source, batch.title, batch.back_url, batch.organization) == (
        f"competitions.competition:{competition.pk}", "Retail Demand", "/competitions/retail/", competition.host)
    assert batch.status == BatchStatus.DONE and batch.issued == 5
    assert selectors.count_for_source(batch.source) == 5
    people = {"host_admin": User.objects.get(email="host@lab.test"),
              "operator": make_user("ops@forward.test", is_staff=True),
              "member": make_user("member@lab.test"), "outsider": make_user("someone@else.test")}
    Membership.objects.create(user=people["member"], organization=competition.host, role=Role.MEMBER)
    response = client_for(people[who]).get(f"/credentials/batches/{batch.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == (200 if sees else 404)
    if sees:
        html = response.content.decode()
        assert "<h1>Awards for Retail Demand</h1>" in html
        assert '<a href="/competitions/retail/">Back to the competition</a>' in html
    assert Credential.objects.filter(kind=CredentialKind.COMPETITION, source=batch.source).count() == 5
