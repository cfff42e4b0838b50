"""Double clicks with real overlapping transactions on PostgreSQL (on SQLite, write transactions
queue up, so this checks the outcome): a decision is mailed once, a score row is made once, an
application is submitted once, and a submission racing the call's closing either wins or is refused."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection

from forward.ventures import cohorts as svc
from forward.ventures import judging
from forward.ventures.models import Call, CohortApplication, Score
from tests.ventures import cohorts_world
from tests.ventures.cohorts_world import answer_all

pytestmark = pytest.mark.django_db(transaction=True)
cw = cohorts_world.cw


def together(*functions) -> list[str]:
    barrier, outcomes = threading.Barrier(len(functions)), []

    def run(function):
        barrier.wait()
        try:
            function()
            outcomes.append("ok")
        except Exception as exc:  # the test shows whatever went wrong
            outcomes.append(type(exc).__name__ + ": " + " ".join(getattr(exc, "messages", [str(exc)])))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_two_identical_decisions_at_once_mail_once(cw):
    svc.call_close(actor=cw.centre_admin, call=cw.call)
    mail.outbox.clear()

    def decide():
        svc.application_decide(actor=cw.centre_admin, application=CohortApplication.objects.get(pk=cw.application.pk),
                               decision="accepted")

    assert together(decide, decide) == ["ok", "ok"]
    assert CohortApplication.objects.get(pk=cw.application.pk).status == "accepted"
    assert len(mail.outbox) == 1


def test_two_first_saves_of_a_score_make_one_row(cw):
    def save():
        judging.score_save(actor=cw.judge, application=CohortApplication.objects.get(pk=cw.application.pk),
                           marks={str(cw.team.pk): 3})

    assert together(save, save) == ["ok", "ok"]
    assert Score.objects.filter(judge=cw.judge, application=cw.application).count() == 1


def test_a_double_submit_submits_once(cw):
    answer_all(cw, cw.draft, cw.unverified_founder)

    def submit():
        svc.application_submit(actor=cw.unverified_founder, application=CohortApplication.objects.get(pk=cw.draft.pk))

    outcomes = together(submit, submit)
    assert sorted(outcomes)[-1] == "ok" and sorted(outcomes)[0].startswith("ValidationError: This application was "
                                                                           "submitted")
    assert CohortApplication.objects.get(pk=cw.draft.pk).status == "submitted"


def test_a_submission_racing_the_close_is_either_in_or_refused(cw):
    answer_all(cw, cw.draft, cw.unverified_founder)

    def submit():
        svc.application_submit(actor=cw.unverified_founder, application=CohortApplication.objects.get(pk=cw.draft.pk))

    def close():
        svc.call_close(actor=cw.centre_admin, call=Call.objects.get(pk=cw.call.pk))

    outcomes = together(submit, close)
    draft = CohortApplication.objects.get(pk=cw.draft.pk)
    assert Call.objects.get(pk=cw.call.pk).status == "closed"
    if draft.status == "submitted":
        assert outcomes.count("ok") == 2
        assert draft.submitted_at <= Call.objects.get(pk=cw.call.pk).closed_at
    else:
        assert any("no longer taking applications" in o for o in outcomes)
