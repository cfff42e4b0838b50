"""The `no_writes` check itself: it catches an insert, an update and a delete of any table, and
lets sessions through (a signed-in GET may save its session)."""

import pytest
from django.contrib.sessions.backends.db import SessionStore

from forward.core.models import User
from tests.conftest import make_user
from tests.reads import no_writes


@pytest.mark.parametrize("write", ["insert", "update", "delete"])
def test_a_write_in_the_block_fails_it(db, write):
    user = make_user("someone@example.test", "Some One")
    with pytest.raises(AssertionError, match="a read wrote to the database"), no_writes():
        if write == "insert":
            make_user("other@example.test", "Other")
        elif write == "update":
            User.objects.filter(pk=user.pk).update(name="Changed")
        else:
            User.objects.filter(pk=user.pk).delete()


def test_reads_and_sessions_pass(db):
    make_user("someone@example.test", "Some One")
    with no_writes() as captured:
        assert User.objects.count() == 1
        session = SessionStore()
        session["seen"] = True
        session.save()
    assert len(captured.captured_queries) >= 2
