"""The board and thread pages as people use them: hostile Markdown shown harmless, search and the
unanswered filter, votes by double click, replies landing on their page, hidden posts, and the same
number of queries however many threads, replies or reports there are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forward.discussions import services
from forward.discussions.models import Board, Reply, Report, Thread
from forward.discussions.selectors import REPLIES_PER_PAGE
from tests.conftest import client_for

HOSTILE = """Look at this:

<script>alert("x")</script>
<img src=x onerror="alert(1)">
[click](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)
<iframe src="https://evil.example"></iframe>
<a href="https://ok.example" onclick="alert(2)">fine link</a>

```python
if a < b and "<script>" in html:
    print("</code></pre><script>alert(3)</script>")
```
"""


def board_path(ref: str, suffix: str = "") -> str:
    return f"/discussions/{ref.replace(':', '/')}/{suffix}"


def test_hostile_markdown_is_shown_harmless_and_code_blocks_keep_their_text(world):
    thread = services.thread_create(actor=world.learner, ref=world.course_ref, title="<b>Bold</b> title", body=HOSTILE)
    services.reply_create(actor=world.learner2, thread=thread, body=HOSTILE)
    html = client_for(world.outsider).get(f"/discussions/threads/{thread.pk}/").content.decode()
    main = html[html.index('<main'):]
    assert "<script>alert" not in main and "onerror" not in main and "onclick" not in main
    assert "javascript:" not in main and "data:text/html" not in main and "<iframe" not in main
    assert '<a href="https://ok.example" rel="nofollow">fine link</a>' in main
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in main  # the title is text
    assert main.count("if a &lt; b and &quot;&lt;script&gt;&quot; in html:") == 2  # question and reply, as typed
    assert '<pre tabindex="0"><code' in main
    listing = client_for(None).get(board_path(world.course_ref)).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in listing and "<b>Bold</b>" not in listing


def test_search_finds_titles_texts_and_replies_and_the_filter_keeps_unanswered_questions(world):
    ref = world.course_ref
    services.thread_create(actor=world.learner, ref=ref, title="Mounting a volume", body="How?")
    quota = services.thread_create(actor=world.learner, ref=ref, title="Quota", body="My VOLUME quota is full")
    other = services.thread_create(actor=world.learner, ref=ref, title="Pricing", body="What does it cost?")
    reply = services.reply_create(actor=world.learner2, thread=other, body="Volumes cost extra.")
    hidden = services.reply_create(actor=world.learner2, thread=quota, body="secret sauce")
    services.post_hide(actor=world.admin, thread=quota, reply=hidden)
    services.thread_create(actor=world.learner, ref=ref, title="Study group", body="Friday?", is_question=False)
    services.answer_mark(actor=world.learner, thread=other, reply=reply)
    client = client_for(world.outsider)

    def titles(**params) -> list[str]:
        return [t.title for t in client.get(board_path(ref), params).context["page"].object_list]

    assert titles(q="volume") == ["Quota", "Pricing", "Mounting a volume"]  # the latest reply was in Quota
    assert titles(q="secret sauce") == []  # hidden replies are not searched
    assert titles(filter="unanswered") == ["Quota", "Mounting a volume"]
    assert titles(q="volume", filter="unanswered") == ["Quota", "Mounting a volume"]
    page = client.get(board_path(ref), {"q": "volume"}).content.decode()
    assert "3 threads match." in page


def test_pinned_threads_come_first_then_the_most_recently_active(world):
    ref = world.course_ref
    first = services.thread_create(actor=world.learner, ref=ref, title="First", body="a")
    services.thread_create(actor=world.learner, ref=ref, title="Second", body="b")
    rules = services.thread_create(actor=world.admin, ref=ref, title="Board rules", body="Be kind.")
    services.thread_set(actor=world.admin, thread=rules, pinned=True)
    services.reply_create(actor=world.learner2, thread=first, body="bump")
    titles = [t.title for t in client_for(None).get(board_path(ref)).context["page"].object_list]
    assert titles == ["Board rules", "First", "Second"]


def test_a_double_click_on_upvote_counts_once(world):
    thread = services.thread_create(actor=world.learner, ref=world.course_ref, title="Q", body="?")
    reply = services.reply_create(actor=world.learner2, thread=thread, body="A")
    client = client_for(world.student)
    for _ in range(2):
        response = client.post(f"/discussions/replies/{reply.pk}/vote/")
        assert response.status_code == 302 and response["Location"].endswith(f"#reply-{reply.pk}")
    assert Reply.objects.get(pk=reply.pk).score == 1
    html = client.get(f"/discussions/threads/{thread.pk}/").content.decode()
    assert 'aria-pressed="true"' in html and "Upvoted · 1" in html
    client.post(f"/discussions/replies/{reply.pk}/unvote/")
    client.post(f"/discussions/replies/{reply.pk}/unvote/")
    assert Reply.objects.get(pk=reply.pk).score == 0


def test_a_reply_lands_on_the_page_it_is_on(world):
    thread = services.thread_create(actor=world.learner, ref=world.course_ref, title="Long one", body="?")
    now = timezone.now()
    Reply.objects.bulk_create([Reply(thread=thread, author=world.learner2, body=f"r{i}",
                                     created_at=now - timedelta(minutes=100 - i)) for i in range(REPLIES_PER_PAGE)])
    response = client_for(world.student).post(f"/discussions/threads/{thread.pk}/reply/", {"body": "The answer."})
    reply = Reply.objects.get(body="The answer.")
    assert response["Location"] == f"/discussions/threads/{thread.pk}/?page=2#reply-{reply.pk}"
    assert "The answer." in client_for(world.student).get(response["Location"]).content.decode()


def test_an_empty_reply_is_refused_with_a_reason(world):
    thread = services.thread_create(actor=world.learner, ref=world.course_ref, title="Q", body="?")
    client = client_for(world.student)
    response = client.post(f"/discussions/threads/{thread.pk}/reply/", {"body": "   "})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not Reply.objects.exists()


def test_a_reply_over_the_rate_limit_keeps_its_text_and_says_when_to_come_back(world, settings):
    settings.FORWARD_DISCUSSION_NEW_ACCOUNT_POSTS_PER_HOUR = 1
    from tests.conftest import make_user

    newcomer = make_user("new@example.test", "Nia Newcomer")
    thread = services.thread_create(actor=newcomer, ref=world.course_ref, title="Q", body="?")
    response = client_for(newcomer).post(f"/discussions/threads/{thread.pk}/reply/", {"body": "My long thoughts"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "New accounts may post once an hour. You can post again at" in html
    assert "My long thoughts</textarea>" in html
    assert not Reply.objects.exists()


def test_the_new_thread_form_says_what_is_wrong(world):
    client = client_for(world.student)
    response = client.post(board_path(world.course_ref, "new/"), {"title": "x" * 201, "body": "ok"})
    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters (it has 201)." in response.content.decode()
    response = client.post(board_path(world.course_ref, "new/"), {"title": "Hello", "body": "World",
                                                                  "is_question": "on"})
    thread = Thread.objects.get()
    assert response["Location"] == f"/discussions/threads/{thread.pk}/" and thread.is_question


def test_a_hidden_reply_keeps_its_place_and_a_hidden_thread_is_gone_for_all_but_moderators(world):
    thread = services.thread_create(actor=world.learner, ref=world.course_ref, title="Q", body="?")
    reply = services.reply_create(actor=world.learner2, thread=thread, body="Rude words here")
    services.post_hide(actor=world.staff, thread=thread, reply=reply)
    html = client_for(world.student).get(f"/discussions/threads/{thread.pk}/").content.decode()
    assert "This reply was hidden by the moderators." in html and "Rude words" not in html
    assert "Rude words" in client_for(world.staff).get(f"/discussions/threads/{thread.pk}/").content.decode()
    services.post_hide(actor=world.staff, thread=thread)
    assert client_for(world.student).get(f"/discussions/threads/{thread.pk}/").status_code == 404
    assert client_for(world.staff).get(f"/discussions/threads/{thread.pk}/").status_code == 200
    assert "Q" not in [t.title for t in client_for(world.student).get(board_path(world.course_ref)).context["page"]]


def test_the_moderation_queue_shows_reports_and_resolves_them(world):
    thread = services.thread_create(actor=world.learner, ref=world.course_ref, title="Q", body="?")
    reply = services.reply_create(actor=world.learner2, thread=thread, body="Spam spam spam")
    services.report_create(actor=world.student, thread=thread, reply=reply, reason="It is an advert")
    client = client_for(world.staff)
    board_html = client.get(board_path(world.course_ref)).content.decode()
    assert "1 open report" in board_html
    queue = client.get(board_path(world.course_ref, "moderation/")).content.decode()
    assert "It is an advert" in queue and "Spam spam spam" in queue
    report = Report.objects.get()
    response = client.post(f"/discussions/reports/{report.pk}/hide/")
    assert response["Location"] == board_path(world.course_ref, "moderation/")
    assert Reply.objects.get(pk=reply.pk).hidden
    assert "No open reports." in client.get(board_path(world.course_ref, "moderation/")).content.decode()
    assert client_for(world.student).post(f"/discussions/reports/{report.pk}/dismiss/").status_code == 404


def test_a_report_names_its_post_in_one_sentence_with_the_thread_title_escaped(world):
    thread = services.thread_create(actor=world.learner, ref=world.course_ref, title="<b>Bold</b> & co", body="?")
    reply = services.reply_create(actor=world.learner2, thread=thread, body="Buy now")
    services.report_create(actor=world.student, thread=thread, reply=reply, reason="An advert")
    services.report_create(actor=world.learner2, thread=thread, reason="Off topic")
    queue = client_for(world.staff).get(board_path(world.course_ref, "moderation/")).content.decode()
    link = f'<a href="/discussions/threads/{thread.pk}/'
    assert f'A reply in the thread {link}#reply-{reply.pk}">&lt;b&gt;Bold&lt;/b&gt; &amp; co</a>' in queue
    assert f'The thread {link}">&lt;b&gt;Bold&lt;/b&gt; &amp; co</a>' in queue
    assert "<b>Bold</b>" not in queue


def test_the_course_cohort_and_competition_pages_link_to_their_boards(world):
    course = client_for(world.learner).get(f"/academy/{world.course.slug}/").content.decode()
    assert f'href="/discussions/academy.course/{world.course.pk}/"' in course
    assert f'href="/discussions/academy.run/{world.run.pk}/"' in course  # the learner's cohort
    cohort = client_for(world.instructor).get(f"/academy/runs/{world.run.pk}/").content.decode()
    assert f'href="/discussions/academy.run/{world.run.pk}/"' in cohort
    rules = client_for(None).get(f"/competitions/{world.competition.slug}/rules/").content.decode()
    assert rules.count(f'href="/discussions/competitions.competition/{world.competition.pk}/"') == 2  # tab, rules


# --- a constant number of queries -----------------------------------------------------------------

def _count(client, url: str, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return len(queries.captured_queries)


def _threads(w, ref: str, n: int, start: int = 0) -> list[Thread]:
    board, _ = Board.objects.get_or_create(ref=ref)
    now = timezone.now()
    authors = [w.learner, w.learner2, w.student, None]
    return Thread.objects.bulk_create([
        Thread(board=board, author=authors[i % 4], title=f"Thread {i} about volumes", body="text", pinned=i % 7 == 0,
               last_activity_at=now - timedelta(minutes=i), reply_count=i, score=i % 3) for i in range(start, start + n)])


@pytest.mark.parametrize("params", [{}, {"q": "volumes"}, {"filter": "unanswered"}, {"page": "2"}])
@pytest.mark.parametrize("role", ["anonymous", "learner", "staff", "operator"])
def test_the_board_makes_the_same_queries_with_more_threads(world, params, role):
    client = client_for(None if role == "anonymous" else getattr(world, role))
    url = board_path(world.course_ref)
    _threads(world, world.course_ref, 3)
    few = _count(client, url, params)
    _threads(world, world.course_ref, 57, start=3)
    assert _count(client, url, params) == few


def _replies(w, thread: Thread, n: int) -> None:
    now = timezone.now()
    authors = [w.learner, w.learner2, w.student, None]
    replies = Reply.objects.bulk_create([
        Reply(thread=thread, author=authors[i % 4], body=f"Reply **{i}**\n\n```\ncode {i}\n```", hidden=i % 5 == 4,
              created_at=now + timedelta(seconds=i)) for i in range(n)])
    Thread.objects.filter(pk=thread.pk).update(answer=replies[0], reply_count=n)


@pytest.mark.parametrize("role", ["anonymous", "learner", "learner2", "admin", "operator"])
def test_the_thread_page_makes_the_same_queries_with_more_replies(world, role):
    client = client_for(None if role == "anonymous" else getattr(world, role))
    small = services.thread_create(actor=world.learner, ref=world.course_ref, title="Small", body="?")
    large = services.thread_create(actor=world.learner, ref=world.course_ref, title="Large", body="?")
    _replies(world, small, 3)
    _replies(world, large, 45)
    few = _count(client, f"/discussions/threads/{small.pk}/")
    assert _count(client, f"/discussions/threads/{large.pk}/") == few
    assert _count(client, f"/discussions/threads/{large.pk}/", {"page": "3"}) == few


def test_the_moderation_queue_makes_the_same_queries_with_more_reports(world):
    client = client_for(world.admin)
    threads = _threads(world, world.course_ref, 40)
    url = board_path(world.course_ref, "moderation/")

    def report(items):
        Report.objects.bulk_create([Report(user=world.student if i % 2 else world.learner2, thread=t, reason=f"r{i}")
                                    for i, t in enumerate(items)])

    report(threads[:2])
    few = _count(client, url)
    report(threads[2:])
    assert _count(client, url) == few
    assert _count(client_for(world.operator), "/discussions/moderation/") == _count(
        client_for(world.operator), "/discussions/moderation/", {"page": "2"})


def test_an_operators_home_leads_to_the_reports_waiting_in_every_board(world):
    operator_home = client_for(world.operator).get("/dashboard/").content.decode()
    assert "Reported posts" in operator_home and "No report is waiting." in operator_home
    thread = services.thread_create(actor=world.learner, ref=world.course_ref, title="Q", body="?")
    reply = services.reply_create(actor=world.learner2, thread=thread, body="Spam spam spam")
    services.report_create(actor=world.student, thread=thread, reply=reply, reason="It is an advert")
    operator_home = client_for(world.operator).get("/dashboard/").content.decode()
    assert "1 report waits for a moderator" in operator_home
    assert 'href="/discussions/moderation/"' in operator_home
    assert "Reported posts" not in client_for(world.staff).get("/dashboard/").content.decode()  # operators only
