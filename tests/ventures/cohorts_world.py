"""A cohort call around the ventures world: the innovation centre's accelerator, open, with four
questions (text, choice, number, file), a rubric of two criteria, two panels and three judges.

`cw` (the fixture) is the ventures world plus:
- call: open, deadline in a week, for MY and ID startups at pre-seed or seed;
- q_text (required, ≤ 200 chars), q_choice (required), q_number (optional, 0–1000), q_file (optional PDF);
- team (weight 3) and market (weight 1);
- application (Padi Sense, submitted), other_application (Garuda Learn, submitted),
  draft (Shadow Startup's draft, unverified);
- panel_a (judge, conflicted_judge; every application), panel_b (judge_b; only other_application);
- conflicted_judge declared a conflict on `application`.
JUDGE_ROLES are the three judges; `actor(role)` knows them too.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forward.ventures import cohorts as svc
from forward.ventures import judging
from forward.ventures.models import CallStatus, QuestionKind, Stage
from tests.conftest import make_user

JUDGE_ROLES = ["judge", "judge_b", "conflicted_judge"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="deck.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def answer_all(w, application, actor, *, text="We fly drones over paddies."):
    svc.answers_save(actor=actor, application=application, answers={
        w.q_text.pk: text, w.q_choice.pk: "Cloud", w.q_number.pk: "12"})


def build(w):
    w.call = svc.call_create(actor=w.centre_admin, organizer=w.centre, title="KL Accelerator 2027",
                             description="Twelve weeks at the innovation centre.",
                             deadline=timezone.now() + timedelta(days=7), countries=["MY", "ID"],
                             stages=[Stage.PRE_SEED, Stage.SEED])
    w.q_text = svc.question_add(actor=w.centre_admin, call=w.call, kind=QuestionKind.TEXT, prompt="What do you build?",
                                max_length=200)
    w.q_choice = svc.question_add(actor=w.centre_admin, call=w.call, kind=QuestionKind.CHOICE,
                                  prompt="Which track?", options=["Cloud", "AI", "Commerce"])
    w.q_number = svc.question_add(actor=w.centre_admin, call=w.call, kind=QuestionKind.NUMBER,
                                  prompt="Monthly active users (thousands)", required=False, min_value=0,
                                  max_value=1000)
    w.q_file = svc.question_add(actor=w.centre_admin, call=w.call, kind=QuestionKind.FILE, prompt="Pitch deck",
                                required=False)
    w.team = judging.criterion_add(actor=w.centre_admin, call=w.call, name="Team", weight=3)
    w.market = judging.criterion_add(actor=w.centre_admin, call=w.call, name="Market", weight=1)
    w.call = svc.call_publish(actor=w.centre_admin, call=w.call)
    assert w.call.status == CallStatus.OPEN

    w.application = svc.application_create(actor=w.founder, call=w.call, organization=w.startup_org)
    answer_all(w, w.application, w.founder)
    svc.answer_file_save(actor=w.founder, application=w.application, question=w.q_file, upload=pdf())
    w.application = svc.application_submit(actor=w.founder, application=w.application)
    w.other_application = svc.application_create(actor=w.other_founder, call=w.call,
                                                 organization=w.other_startup.organization)
    answer_all(w, w.other_application, w.other_founder, text="Exam practice.")
    w.other_application = svc.application_submit(actor=w.other_founder, application=w.other_application)
    w.draft = svc.application_create(actor=w.unverified_founder, call=w.call,
                                     organization=w.unverified_startup.organization)

    w.judge = make_user("judge@ventures.test", "Judy Judge", preferred_language="en")
    w.judge_b = make_user("judge-b@ventures.test", "Bo Judge", preferred_language="en")
    w.conflicted_judge = make_user("conflicted@ventures.test", "Cory Conflicted", preferred_language="en")
    w.panel_a = judging.panel_create(actor=w.centre_admin, call=w.call, name="Panel A")
    w.panel_b = judging.panel_create(actor=w.centre_staff, call=w.call, name="Panel B")
    judging.judge_seat(actor=w.centre_admin, panel=w.panel_a, email="JUDGE@ventures.test")
    judging.judge_seat(actor=w.centre_admin, panel=w.panel_a, email="conflicted@ventures.test")
    judging.judge_seat(actor=w.centre_admin, panel=w.panel_b, email="judge-b@ventures.test")
    judging.panel_assign(actor=w.centre_admin, panel=w.panel_b, application_ids=[w.other_application.pk])
    judging.conflict_declare(actor=w.conflicted_judge, application=w.application, reason="I advise Padi Sense.")
    return w


@pytest.fixture
def cw(ventures):
    return build(ventures)
