"""The batch page says what happened in words, with plurals, not "Done 7 of 7 looked at, 0 new"."""

import pytest
from django.utils import translation

from forward.credentials.models import BatchStatus, IssuanceBatch
from tests.conftest import client_for

from .conftest import release


@pytest.mark.parametrize("status,total,done,issued,says", [
    (BatchStatus.DONE, 7, 7, 0, "Finished: 7 certificates checked; every learner already held theirs."),
    (BatchStatus.DONE, 1, 1, 0, "Finished: 1 certificate checked; its holder already had it."),
    (BatchStatus.DONE, 7, 7, 3, "Finished: 3 new certificates issued. 4 were already held."),
    (BatchStatus.DONE, 2, 2, 1, "Finished: 1 new certificate issued. 1 was already held."),
    (BatchStatus.DONE, 5, 5, 5, "Finished: 5 new certificates issued."),
    (BatchStatus.DONE, 0, 0, 0, "Finished: nobody has earned a certificate here yet, so none was issued."),
    (BatchStatus.RUNNING, 9, 4, 2, "Checked 4 of 9 certificates; 2 new so far."),
    (BatchStatus.QUEUED, 0, 0, 0, "Waiting to start."),
    (BatchStatus.FAILED, 9, 4, 2, "Stopped after checking 4 of 9 certificates; 2 new ones are kept."),
])
def test_the_batch_page_says_what_happened(cohort, status, total, done, issued, says):
    release(cohort)
    batch = IssuanceBatch.objects.create(source=f"academy.run:{cohort.uni_run.pk}", title="Cloud · NTU S1",
                                         requested_by=cohort.admin, status=status, total=total, done=done,
                                         issued=issued)
    page = client_for(cohort.admin).get(f"/credentials/batches/{batch.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    summary = page.content.decode().split('data-testid="batch-summary">', 1)[1].split("</span>", 1)[0]
    assert summary == says
    assert "looked at" not in page.content.decode()


def test_a_real_second_batch_finds_everyone_already_certified(cohort):
    from forward.academy import services

    from .conftest import committed

    release(cohort)  # certifies the cohort: three passed, two of them with an achievement certificate too
    with committed():
        batch = services.run_certify(actor=cohort.admin, run=cohort.uni_run)
    batch.refresh_from_db()
    with translation.override("en"):
        assert batch.status == BatchStatus.DONE and batch.issued == 0
        assert batch.summary == (f"Finished: {batch.total} certificates checked; every learner already held "
                                 "theirs.")
