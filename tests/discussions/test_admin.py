"""Operators find threads, replies, reports and digests in /admin/; counters are not edited there."""

from __future__ import annotations

import pytest

from forward.core.models import User
from forward.discussions import services
from tests.conftest import client_for


@pytest.fixture
def root(db):
    return User.objects.create_superuser(email="root@forward.test", password="correct horse battery")


@pytest.mark.parametrize("model", ["board", "thread", "reply", "report", "digest"])
def test_operators_list_the_discussion_rows(world, root, model):
    thread = services.thread_create(actor=world.learner, ref=world.course_ref, title="Q", body="?")
    reply = services.reply_create(actor=world.learner2, thread=thread, body="A")
    services.report_create(actor=world.student, thread=thread, reply=reply, reason="Spam")
    response = client_for(root).get(f"/admin/discussions/{model}/")
    assert response.status_code == 200
    assert client_for(world.admin).get(f"/admin/discussions/{model}/").status_code == 302  # not staff: sign in


def test_the_counters_are_read_only_in_the_admin(world, root):
    thread = services.thread_create(actor=world.learner, ref=world.course_ref, title="Q", body="?")
    html = client_for(root).get(f"/admin/discussions/thread/{thread.pk}/change/").content.decode()
    assert 'name="reply_count"' not in html and 'name="score"' not in html and 'name="title"' in html
