"""Reads never write: every GET page of the demo, walked as each of the demo's people, leaves the database as
it found it, apart from sessions and API tokens' last-use times.

The whole demo (`forward demo`'s loader) is loaded once for the module. For each role the test signs in,
takes a snapshot of every table (row count and a checksum of all rows in primary-key order), then walks the
site breadth-first from the home page, the dashboard and every URL pattern that takes no argument, following
same-origin links (<a href>, <link href>, <img src>, <video src>, <source src>, and the site's URLs
in JSON documents, such as a credential's status list) with a bound per URL name and
in total, and takes the snapshot again. Each request's INSERT / UPDATE / DELETE statements are recorded
too, so a failure names the table, the URL and the SQL. Every response must also be below 500.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from forward import demo
from forward.core.models import User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# The demo's people (core/demo.py's NAMED accounts), by the role they play.
ROLES = {
    "anonymous": None,
    "learner": "student@ntu.forward.demo",  # a student (member) of a verified university
    "university_admin": "admin@ntu.forward.demo",  # admin of a verified university
    "other_university_admin": "admin@zju.forward.demo",  # admin of another organization
    "host": "host@tianmu.forward.demo",  # admin of a verified competition host
    "instructor": "professor@cloudwave.forward.demo",  # visiting professor: employer staff, teaches at NTU
    "employer": "hr@straits.forward.demo",
    "investor": "investor@lioncity.forward.demo",
    "founder_unverified_admin": "founder@forward.demo",  # a founder; admin of the unverified organization
    "operator": "operator@forward.demo",  # site staff and superuser
}

# What a GET may change: the session, and when an API token was last used.
IGNORED_TABLES = {"django_session"}
IGNORED_COLUMNS = {("core_apitoken", "last_used_at")}

# Never followed: signing out (the walk would lose its role), and the language switch (a form's target).
SKIPPED_VIEWS = {"account_logout", "admin:logout", "set_language"}
PER_VIEW = 3  # pages visited per resolved URL name (a list, then three of its items, say)
PER_ADMIN_VIEW = 1  # the operator's Django admin has five pages per model; one of each kind is enough
TOTAL = 400  # pages per role at most

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class _Links(HTMLParser):
    ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "video": "src", "source": "src"}

    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        wanted = self.ATTRIBUTES.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.links.append(value)

    handle_startendtag = handle_starttag


def links_of(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.links:
        absolute = urlsplit(urljoin("http://testserver" + base, href))
        if absolute.scheme in ("http", "https") and absolute.netloc == "testserver":
            found.append(absolute.path + (f"?{absolute.query}" if absolute.query else ""))
    return found


def links_in_json(value) -> list[str]:
    """The site's own URLs named in a JSON document (a credential names its status list, for one)."""
    if isinstance(value, dict):
        return [link for item in value.values() for link in links_in_json(item)]
    if isinstance(value, list):
        return [link for item in value for link in links_in_json(item)]
    if isinstance(value, str) and value.startswith("http://testserver/"):
        absolute = urlsplit(value)
        return [absolute.path + (f"?{absolute.query}" if absolute.query else "")]
    return []


def argument_free_urls() -> list[str]:
    """Every URL pattern of the site that takes no argument, as a path."""
    paths = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "<" not in route and "(" not in route and "^" not in route:
                paths.append("/" + route.rstrip("$"))

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))


def view_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def snapshot() -> dict[str, tuple[int, str]]:
    """Each table's row count and a checksum of its rows in primary-key order."""
    result = {}
    with connection.cursor() as cursor:
        tables = sorted(set(connection.introspection.table_names(cursor)) - IGNORED_TABLES)
        for table in tables:
            columns = [column.name for column in connection.introspection.get_table_description(cursor, table)
                       if (table, column.name) not in IGNORED_COLUMNS]
            primary_key = connection.introspection.get_primary_key_column(cursor, table)
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            order = connection.ops.quote_name(primary_key) if primary_key else quoted
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)} ORDER BY {order}")  # noqa: S608
            digest, count = hashlib.sha256(), 0
            while rows := cursor.fetchmany(5000):
                count += len(rows)
                digest.update(repr(rows).encode())
            result[table] = (count, digest.hexdigest())
    return result


def written_tables(sql: str) -> set[str]:
    """The tables an INSERT / UPDATE / DELETE statement names (rough, enough to point at the culprit)."""
    words = sql.replace('"', " ").replace("`", " ").split()
    upper = [w.upper() for w in words]
    tables = set()
    for keyword in ("INTO", "UPDATE", "FROM"):
        for i, word in enumerate(upper[:-1]):
            if word == keyword:
                tables.add(words[i + 1].strip("(,"))
    return tables


def is_allowed_write(sql: str) -> bool:
    tables = written_tables(sql)
    if tables and tables <= IGNORED_TABLES:
        return True
    upper = sql.upper()
    return upper.startswith("UPDATE") and tables == {"core_apitoken"} and "LAST_USED_AT" in upper.split("WHERE")[0] \
        and upper.split("WHERE")[0].count("=") == 1


class Walk:
    def __init__(self, client, role: str):
        self.client, self.role = client, role
        self.visited: list[tuple[str, int]] = []
        self.crashes: list[str] = []
        self.writes: list[tuple[str, str]] = []  # (url, sql)

    def run(self, starts: list[str]) -> None:
        queue, seen, per_view = deque(starts), set(), Counter()
        while queue and len(self.visited) < TOTAL:
            url = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            name = view_name(url)
            if name is None or name in SKIPPED_VIEWS:
                continue
            if per_view[name] >= (PER_ADMIN_VIEW if name.startswith("admin:") else PER_VIEW):
                continue
            per_view[name] += 1
            response = self.get(url)
            if response is None:
                continue
            if response.status_code in (301, 302, 303, 307, 308):
                queue.append(urlsplit(urljoin("http://testserver" + url, response["Location"])).path)
            elif response.status_code == 200 and "html" in response.get("Content-Type", "") \
                    and not response.streaming:
                queue.extend(links_of(url, response.content.decode("utf-8", "replace")))
            elif response.status_code == 200 and "json" in response.get("Content-Type", "") \
                    and not response.streaming:
                with contextlib.suppress(ValueError):  # a JSON content type, but not JSON
                    queue.extend(links_in_json(json.loads(response.content)))

    def get(self, url: str):
        with CaptureQueriesContext(connection) as queries, TestCase.captureOnCommitCallbacks(execute=True):
            try:
                response = self.client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)  # a download's generator may read (or write) too
            except Exception as exc:  # a crash is what this walk looks for; note it and go on
                self.visited.append((url, 500))
                self.crashes.append(f"{url}: {type(exc).__name__}: {exc}")
                response = None
        for query in queries.captured_queries:
            sql = query["sql"].lstrip()
            if sql.upper().startswith(WRITES) and not is_allowed_write(sql):
                self.writes.append((url, sql))
        if response is not None:
            self.visited.append((url, response.status_code))
            if response.status_code >= 500:
                self.crashes.append(f"{url}: status {response.status_code}")
        return response


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """`forward demo`'s data, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        started = time.monotonic()
        with TestCase.captureOnCommitCallbacks(execute=True):  # what `forward demo` runs when its load commits
            assert demo.load()
        print(f"\ndemo loaded in {time.monotonic() - started:.0f}s")
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("role", list(ROLES))
def test_no_get_changes_the_database(demo_site, role):
    email = ROLES[role]
    client = client_for(User.objects.get(email=email) if email else None)  # signing in writes; done before
    before = snapshot()
    walk = Walk(client, role)
    started = time.monotonic()
    walk.run(["/", "/dashboard/", *argument_free_urls()])
    print(f"\n{role}: {len(walk.visited)} pages in {time.monotonic() - started:.0f}s")
    after = snapshot()

    pages = "\n  ".join(f"{status} {url}" for url, status in walk.visited)
    changed = sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))
    culprits = "\n  ".join(f"{url}: {sql[:300]}" for url, sql in walk.writes)
    assert not changed and not walk.writes, (
        f"GET requests as {role} changed {changed or 'no table, but ran writes'}:\n  {culprits}\n"
        f"rows before/after: {[(t, before.get(t, (0,))[0], after.get(t, (0,))[0]) for t in changed]}\n"
        f"pages visited ({len(walk.visited)}):\n  {pages}")
    assert not walk.crashes, f"GET requests as {role} crashed:\n  " + "\n  ".join(walk.crashes) + (
        f"\npages visited ({len(walk.visited)}):\n  {pages}")
    assert len(walk.visited) >= 50  # the walk reached the site, not only a sign-in page
