"""Judging: panels, conflicts, scores locked after submission, others' scores hidden until then,
and the ranking normalised per judge, for every role."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forward.matching import rubric
from forward.ventures import cohorts as svc
from forward.ventures import judging, permissions
from forward.ventures.models import Score
from tests.conftest import client_for, make_user
from tests.ventures import cohorts_world
from tests.ventures.cohorts_world import JUDGE_ROLES
from tests.ventures.conftest import ROLES

pytestmark = pytest.mark.django_db
cw = cohorts_world.cw
STAFF = {"centre_admin", "centre_staff", "operator"}


def marks(w, team, market):
    return {str(w.team.pk): team, str(w.market.pk): market}


@pytest.mark.parametrize("role", ROLES + JUDGE_ROLES)
def test_who_scores_padi_sense(cw, role):
    user = cw.actor(role)
    if role == "judge":
        score = judging.score_submit(actor=user, application=cw.application, marks=marks(cw, 4, 3), comment="Strong")
        assert score.is_submitted
    else:  # staff run the call but do not judge unless seated; the conflicted judge and panel B's never see it
        with pytest.raises(PermissionDenied):
            judging.score_save(actor=user, application=cw.application, marks=marks(cw, 4, 3))


@pytest.mark.parametrize("role", ROLES + JUDGE_ROLES)
def test_each_judges_queue(cw, role):
    queue = set(judging.judge_queue(user=cw.actor(role)).values_list("pk", flat=True))
    expected = {"judge": {cw.application.pk, cw.other_application.pk}, "judge_b": {cw.other_application.pk},
                "conflicted_judge": {cw.other_application.pk}}.get(role, set())
    assert queue == expected


@pytest.mark.parametrize("role", ROLES + JUDGE_ROLES)
def test_who_forms_panels_and_seats_judges(cw, role):
    user = cw.actor(role)
    if role in STAFF:
        panel = judging.panel_create(actor=user, call=cw.call, name=f"Panel {role}")
        seat = judging.judge_seat(actor=user, panel=panel, email=cw.investor.email)
        assert seat.user == cw.investor
    else:
        with pytest.raises(PermissionDenied):
            judging.panel_create(actor=user, call=cw.call, name="Mine")
        with pytest.raises(PermissionDenied):
            judging.judge_seat(actor=user, panel=cw.panel_a, email=user.email if user.is_authenticated else "x@y.z")


def test_seating_someone_who_has_not_signed_up_says_so(cw):
    with pytest.raises(ValidationError, match=r"No one has signed up with nobody@example\.com"):
        judging.judge_seat(actor=cw.centre_admin, panel=cw.panel_a, email="nobody@example.com")


def test_a_conflict_hides_the_application_for_good(cw):
    assert permissions.is_seated_judge(cw.conflicted_judge, cw.application)
    assert not permissions.can_judge(cw.conflicted_judge, cw.application)
    assert client_for(cw.conflicted_judge).get(f"/ventures/judging/{cw.application.pk}/").status_code == 404
    assert client_for(cw.conflicted_judge).get(f"/ventures/applications/{cw.application.pk}/").status_code == 404
    # Declaring on the other drops the draft score too.
    judging.score_save(actor=cw.conflicted_judge, application=cw.other_application, marks=marks(cw, 2, None))
    judging.conflict_declare(actor=cw.conflicted_judge, application=cw.other_application, reason="Former employer")
    assert not Score.objects.filter(judge=cw.conflicted_judge).exists()
    assert list(judging.judge_queue(user=cw.conflicted_judge)) == []


def test_only_a_seated_judge_declares_a_conflict(cw):
    with pytest.raises(PermissionDenied):
        judging.conflict_declare(actor=cw.judge_b, application=cw.application, reason="Curious")
    with pytest.raises(ValidationError, match="why you are conflicted"):
        judging.conflict_declare(actor=cw.judge, application=cw.application, reason=" ")


def test_a_score_is_a_draft_then_locked(cw):
    judging.score_save(actor=cw.judge, application=cw.application, marks=marks(cw, 4, None), comment="Draft")
    with pytest.raises(ValidationError, match="Mark every criterion before submitting: Market"):
        judging.score_submit(actor=cw.judge, application=cw.application)
    judging.score_submit(actor=cw.judge, application=cw.application, marks=marks(cw, 4, 2), comment="Done")
    with pytest.raises(ValidationError, match="locked"):
        judging.score_save(actor=cw.judge, application=cw.application, marks=marks(cw, 1, 1))
    again = judging.score_submit(actor=cw.judge, application=cw.application, marks=marks(cw, 1, 1))
    assert again.marks == marks(cw, 4, 2) and again.comment == "Done"


@pytest.mark.parametrize("bad", [{"team": 3}, "six", 6, 0, 2.5])
def test_bad_marks_are_refused(cw, bad):
    given = bad if isinstance(bad, dict) else {str(cw.team.pk): bad}
    with pytest.raises(ValidationError):
        judging.score_save(actor=cw.judge, application=cw.application, marks=given)


def test_others_scores_only_after_submitting_your_own(cw):
    judging.score_submit(actor=cw.judge_b, application=cw.other_application, marks=marks(cw, 2, 2), comment="Meh: thin traction")
    assert judging.other_scores(user=cw.judge, application=cw.other_application) is None
    page = client_for(cw.judge).get(f"/ventures/judging/{cw.other_application.pk}/")
    assert b"thin traction" not in page.content and b'data-testid="others-hidden"' in page.content
    judging.score_save(actor=cw.judge, application=cw.other_application, marks=marks(cw, 5, 5))
    assert judging.other_scores(user=cw.judge, application=cw.other_application) is None  # a draft is not enough
    judging.score_submit(actor=cw.judge, application=cw.other_application)
    assert [s.comment for s in judging.other_scores(user=cw.judge, application=cw.other_application)] == ["Meh: thin traction"]
    assert b"Meh: thin traction" in client_for(cw.judge).get(f"/ventures/judging/{cw.other_application.pk}/").content


def test_the_rubric_locks_once_a_score_is_submitted(cw):
    judging.score_submit(actor=cw.judge, application=cw.application, marks=marks(cw, 3, 3))
    with pytest.raises(ValidationError, match="rubric can no longer change"):
        judging.criterion_add(actor=cw.centre_admin, call=cw.call, name="Traction", weight=2)


def test_the_ranking_normalises_per_judge_and_shows_the_spread(cw):
    # The judge is lenient, judge_b harsh; the conflicted judge scores only the other application.
    judging.score_submit(actor=cw.judge, application=cw.application, marks=marks(cw, 5, 5))
    judging.score_submit(actor=cw.judge, application=cw.other_application, marks=marks(cw, 4, 4))
    judging.score_submit(actor=cw.judge_b, application=cw.other_application, marks=marks(cw, 2, 1))
    judging.score_save(actor=cw.conflicted_judge, application=cw.other_application, marks=marks(cw, 1, 1))  # draft
    rows = judging.ranking(call=cw.call)
    by = {r.application.pk: r for r in rows}
    expected = rubric.rank([(cw.judge.pk, cw.application.pk, 5.0), (cw.judge.pk, cw.other_application.pk, 4.0),
                            (cw.judge_b.pk, cw.other_application.pk, 1.75)])
    assert [r.application.pk for r in rows[:2]] == [e.application for e in expected]
    assert by[cw.application.pk].judges == 1 and by[cw.other_application.pk].judges == 2  # drafts do not count
    assert by[cw.other_application.pk].raw_mean == pytest.approx((4 + 1.75) / 2)
    assert by[cw.application.pk].normalised_mean == pytest.approx(1.0)
    assert by[cw.other_application.pk].normalised_mean == pytest.approx(-0.5)  # judge: -1, judge_b (one app): 0
    assert by[cw.other_application.pk].z_min == pytest.approx(-1) and by[cw.other_application.pk].z_max == 0
    assert by[cw.other_application.pk].z_sd == pytest.approx(0.5)
    assert judging.ranking(call=cw.call, sort="judges")[0].application.pk == cw.other_application.pk


def test_the_csv_neutralises_formulas(cw):
    cw.startup_org.name = '=HYPERLINK("http://evil.example","x")'
    cw.startup_org.save()
    judging.score_submit(actor=cw.judge, application=cw.application, marks=marks(cw, 5, 5))
    response = client_for(cw.centre_staff).get(f"/ventures/calls/{cw.call.pk}/ranking.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][1] == "Startup"
    assert any(row[1].startswith("'=HYPERLINK") for row in rows[1:])
    assert any(row[7] == "0.0" for row in rows[1:])  # numbers stay numbers (a z of 0)


def test_a_panel_assignment_takes_only_submitted_applications_of_the_call(cw):
    with pytest.raises(ValidationError, match="not submitted applications"):
        judging.panel_assign(actor=cw.centre_admin, panel=cw.panel_a, application_ids=[cw.draft.pk])
    judging.panel_assign(actor=cw.centre_admin, panel=cw.panel_b, application_ids=[])  # all of them
    assert permissions.can_judge(cw.judge_b, cw.application)


def test_scoring_ends_when_the_call_is_decided(cw):
    svc.call_close(actor=cw.centre_admin, call=cw.call)
    svc.applications_decide(actor=cw.centre_admin, call=cw.call,
                            application_ids=[cw.application.pk, cw.other_application.pk], decision="accepted")
    svc.call_mark_decided(actor=cw.centre_admin, call=cw.call)
    with pytest.raises(ValidationError, match="scoring is over"):
        judging.score_save(actor=cw.judge, application=cw.application, marks=marks(cw, 3, 3))
    assert list(judging.judge_queue(user=cw.judge)) == []


def test_a_judge_seated_on_two_panels_scores_once(cw):
    judging.judge_seat(actor=cw.centre_admin, panel=cw.panel_b, email=cw.judge.email)
    assert judging.judge_queue(user=cw.judge).count() == 2
    judging.score_save(actor=cw.judge, application=cw.other_application, marks=marks(cw, 3, None))
    judging.score_save(actor=cw.judge, application=cw.other_application, marks=marks(cw, 3, 4))
    assert Score.objects.filter(judge=cw.judge, application=cw.other_application).count() == 1


def test_a_new_person_is_no_judge(cw):
    stranger = make_user("stranger@ventures.test", "S")
    assert not permissions.can_judge(stranger, cw.application)
