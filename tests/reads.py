"""Reads never write: `no_writes()` captures the queries of a block (a GET, a selector) and fails
if any of them inserts, updates or deletes rows of a table other than the session table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

# INSERT INTO "t", UPDATE "t", DELETE FROM "t" (quoted on both SQLite and PostgreSQL), and the
# upserts and bulk forms that start the same way.
_WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?([\w.]+)"?',
                    re.IGNORECASE)
ALLOWED = frozenset({"django_session"})


def writes(queries: list[dict], *, allowed: frozenset[str] = ALLOWED) -> list[str]:
    """The SQL of the captured queries that change a table not in `allowed`."""
    found = []
    for query in queries:
        match = _WRITE.match(query["sql"])
        if match and match.group(1) not in allowed:
            found.append(query["sql"])
    return found


@contextmanager
def no_writes(*, allowed: frozenset[str] = ALLOWED) -> Iterator[CaptureQueriesContext]:
    """Fail if the block writes to the database (sessions aside)."""
    with CaptureQueriesContext(connection) as captured:
        yield captured
    changed = writes(captured.captured_queries, allowed=allowed)
    assert not changed, "a read wrote to the database:\n" + "\n".join(sql[:300] for sql in changed)
