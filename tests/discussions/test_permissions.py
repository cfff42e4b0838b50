"""Who may do what on each kind of board, for every role: anonymous, a learner enrolled in the run,
a student of the university not enrolled, the university's staff and admin, the run's instructor,
another organization's admin, an unverified organization's admin, the competition's host, a
participant who accepted its rules, someone with no ties, and an operator.

Each action runs through the service (or page) a person would use; a refusal is PermissionDenied,
a ValidationError, or a page that is not there for them (404, or the sign-in page)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from forward.academy.models import Enrolment
from forward.competitions.models import Registration
from forward.discussions import services
from forward.discussions.models import Reply, Report, Thread
from tests.conftest import client_for
from tests.test_permission_matrix import attempt

ROLES = ["anonymous", "learner", "student", "staff", "admin", "instructor", "other_admin", "unverified_admin",
         "host", "participant", "outsider", "operator"]
SIGNED_IN = set(ROLES) - {"anonymous"}
READ = {"course": set(ROLES), "run": {"learner", "admin", "instructor", "operator"}, "competition": set(ROLES)}
POST = {"course": SIGNED_IN, "run": {"learner", "admin", "instructor", "operator"},
        "competition": {"participant", "host", "operator"}}
MODERATE = {"course": {"staff", "admin", "operator"}, "run": {"admin", "instructor", "operator"},
            "competition": {"host", "operator"}}
BOARDS = ["course", "run", "competition"]


def allowed_roles(call) -> set[str]:
    """The roles for which `call(role)` works, each tried on the same data (rolled back after)."""
    allowed = set()
    for role in ROLES:
        with transaction.atomic():
            if call(role):
                allowed.add(role)
            transaction.set_rollback(True)
    return allowed


@pytest.fixture
def posted(world):
    """A question by someone who may post on every board (learner2: enrolled, and a participant),
    with a reply, on each board."""
    Registration.objects.create(competition=world.competition, user=world.learner2)
    world.threads = {}
    for name in BOARDS:
        thread = services.thread_create(actor=world.learner2, ref=getattr(world, f"{name}_ref"),
                                        title=f"Question on the {name}", body="Anyone?")
        services.reply_create(actor=world.learner2, thread=thread, body="Self-bump.")
        world.threads[name] = thread.pk
    return world


def _thread(w, board) -> Thread:
    return Thread.objects.select_related("board").get(pk=w.threads[board])


def _reply(w, board) -> Reply:
    return Reply.objects.select_related("thread__board").get(thread_id=w.threads[board])


ACTIONS = {
    "start a thread": (POST, lambda w, a, b: services.thread_create(
        actor=a, ref=getattr(w, f"{b}_ref"), title="Mine", body="Text")),
    "reply": (POST, lambda w, a, b: services.reply_create(actor=a, thread=_thread(w, b), body="Me too")),
    "upvote": (POST, lambda w, a, b: services.vote(actor=a, thread=_thread(w, b), reply=_reply(w, b))),
    "follow": ({b: READ[b] - {"anonymous"} for b in BOARDS},
               lambda w, a, b: services.follow(actor=a, thread=_thread(w, b))),
    "report": ({b: READ[b] - {"anonymous"} for b in BOARDS},
               lambda w, a, b: services.report_create(actor=a, thread=_thread(w, b), reason="Spam")),
    "mark someone else's answer": (MODERATE, lambda w, a, b: services.answer_mark(
        actor=a, thread=_thread(w, b), reply=_reply(w, b))),
    "pin": (MODERATE, lambda w, a, b: services.thread_set(actor=a, thread=_thread(w, b), pinned=True)),
    "lock": (MODERATE, lambda w, a, b: services.thread_set(actor=a, thread=_thread(w, b), locked=True)),
    "hide a reply": (MODERATE, lambda w, a, b: services.post_hide(actor=a, thread=_thread(w, b), reply=_reply(w, b))),
    "restore a thread": (MODERATE, lambda w, a, b: services.post_hide(actor=a, thread=_thread(w, b), hidden=False)),
    "dismiss a report": (MODERATE, lambda w, a, b: services.report_dismiss(actor=a, report=Report.objects.create(
        user=w.outsider, thread=_thread(w, b), reason="Rude"))),
    "edit someone else's post": ({b: set() for b in BOARDS}, lambda w, a, b: services.thread_edit(
        actor=a, thread=_thread(w, b), title="Taken over", body="Mine now")),
}


@pytest.mark.parametrize("board", BOARDS)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_who_may_act_on_a_board(posted, action, board):
    expected, call = ACTIONS[action]
    allowed = allowed_roles(lambda role: attempt(lambda: call(posted, posted.actor(role), board)))
    assert allowed == expected[board], f"{action} on the {board} board"


def _page_ok(response) -> bool:
    assert response.status_code in (200, 302, 403, 404), response.status_code
    return response.status_code == 200


def _client(w, role):
    return client_for(None if role == "anonymous" else w.actor(role))


@pytest.mark.parametrize("board", BOARDS)
def test_who_reads_the_board_and_its_threads(posted, board):
    thread = _thread(posted, board)
    board_path = f"/discussions/{thread.board.ref.replace(':', '/')}/"

    def reads(role) -> bool:
        client = _client(posted, role)
        listed, shown = client.get(board_path), client.get(f"/discussions/threads/{thread.pk}/")
        assert _page_ok(listed) == _page_ok(shown), role
        if _page_ok(listed):
            assert thread.title in listed.content.decode()
        elif role == "anonymous":
            assert listed["Location"].startswith("/accounts/login/")  # sign in first; no hint beyond that
        return _page_ok(listed)

    assert {role for role in ROLES if reads(role)} == READ[board]


@pytest.mark.parametrize("board", BOARDS)
def test_who_opens_the_moderation_queue(posted, board):
    path = f"/discussions/{_thread(posted, board).board.ref.replace(':', '/')}/moderation/"
    assert {role for role in ROLES if _page_ok(_client(posted, role).get(path))} == MODERATE[board]


def test_only_operators_see_every_boards_reports(posted):
    assert {role for role in ROLES if _page_ok(_client(posted, role).get("/discussions/moderation/"))} == {"operator"}


def test_the_asker_marks_the_answer_but_another_learner_does_not(posted):
    thread = _thread(posted, "run")
    reply = services.reply_create(actor=posted.learner, thread=thread, body="Try `sudo`.")
    services.answer_mark(actor=posted.learner2, thread=thread, reply=reply)
    with pytest.raises(PermissionDenied):
        services.answer_mark(actor=posted.learner, thread=thread, reply=None)


def test_a_draft_competitions_board_is_its_hosts(posted):
    posted.competition.status = "draft"
    posted.competition.save()
    assert client_for(posted.host).get(f"/discussions/competitions.competition/{posted.competition.pk}/").status_code == 200
    assert client_for(posted.participant).get(
        f"/discussions/competitions.competition/{posted.competition.pk}/").status_code == 404


def test_a_learner_who_leaves_the_run_no_longer_reads_its_board(posted):
    Enrolment.objects.filter(user=posted.learner, run=posted.run).delete()
    assert client_for(posted.learner).get(f"/discussions/threads/{posted.threads['run']}/").status_code == 404


def test_a_page_action_refused_is_403_and_changes_nothing(posted):
    thread = _thread(posted, "course")
    response = client_for(posted.learner).post(f"/discussions/threads/{thread.pk}/pin/")
    assert response.status_code == 403
    assert not Thread.objects.get(pk=thread.pk).pinned
    assert client_for(posted.learner).post(f"/discussions/threads/{thread.pk}/explode/").status_code == 404
    assert client_for(None).post(f"/discussions/threads/{thread.pk}/pin/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", ["/discussions/academy.course/999999/", "/discussions/nothing.here/1/",
                                  "/discussions/academy.course/99999999999999999999/", "/discussions/threads/999999/"])
def test_boards_of_things_that_do_not_exist_are_not_found(posted, path):
    assert client_for(posted.operator).get(path).status_code == 404
