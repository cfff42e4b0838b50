"""A learner asks on her cohort's board, another answers from his phone, the asker marks the answer,
the instructor pins the thread, a spam reply is reported and hidden from the moderation queue, and
the asker's digest brings the replies."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from forward.academy.models import Course, CourseRun, CourseStatus, Enrolment
from forward.core.models import Membership, OrganizationKind, User
from forward.discussions import digests
from forward.discussions.models import Reply, Thread
from tests.browser.conftest import shot
from tests.browser.test_competition_journey import sign_in
from tests.conftest import make_organization, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Mounting fails with:\n\n```\nmount: /data: permission denied.\n```\n\nWhat am I missing? <script>alert(1)</script>"


def test_ask_answer_mark_pin_report_and_moderate(new_page):
    admin = make_user("admin@ntu.test", "Uni Admin")
    university = make_organization(creator=admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    instructor = make_user("prof@cloud.test", "Prof Ingrid")
    lea, leo = make_user("lea@ntu.test", "Lea Tan"), make_user("leo@ntu.test", "Leo Lim")
    User.objects.filter(pk__in=[lea.pk, leo.pk]).update(date_joined=timezone.now() - timedelta(days=30))
    now = timezone.now()
    course = Course.objects.create(slug="cloud-101", title="Cloud Computing Fundamentals", owner=university,
                                   status=CourseStatus.PUBLISHED, published_at=now)
    run = CourseRun.objects.create(course=course, cohort="NTU 2026 spring", university=university,
                                   enrolment_ends=now + timedelta(days=5), starts_at=now - timedelta(days=1),
                                   ends_at=now + timedelta(days=60))
    run.instructors.add(instructor)
    for learner in (lea, leo):
        Membership.objects.create(user=learner, organization=university)
        Enrolment.objects.create(run=run, user=learner)

    # Lea asks on her cohort's board, from the course page.
    asker = new_page()
    sign_in(asker, "lea@ntu.test")
    asker.goto("/academy/cloud-101/")
    asker.get_by_role("link", name="Your cohort's discussion").click()
    expect(asker.get_by_role("heading", level=1)).to_have_text("Discussion")
    expect(asker.get_by_test_id("threads")).to_contain_text("No threads yet")
    asker.get_by_role("link", name="New thread").click()
    asker.get_by_label("Title").fill("Mounting a volume fails")
    asker.get_by_label("Text").fill(QUESTION)
    asker.get_by_role("button", name="Post thread").click()
    expect(asker.get_by_text("Your thread is posted")).to_be_visible()
    question = asker.get_by_test_id("question")
    expect(question.locator("pre code")).to_contain_text("mount: /data: permission denied.")
    assert question.locator("script").count() == 0
    thread = Thread.objects.get()

    # Leo answers from his phone and upvotes the question (twice: a double tap counts once).
    phone = new_page(phone=True)
    sign_in(phone, "leo@ntu.test")
    phone.goto(f"/discussions/academy.run/{run.pk}/")
    phone.get_by_role("link", name="Mounting a volume fails").click()
    phone.get_by_label("Your reply").fill("Run it with `sudo`, or add yourself to the **disk** group.")
    phone.get_by_role("button", name="Post reply").click()
    expect(phone.get_by_test_id("reply").first).to_contain_text("add yourself to the disk group")
    phone.get_by_test_id("question").get_by_test_id("vote").click()
    expect(phone.get_by_test_id("question").get_by_test_id("vote")).to_have_text("▲ Upvoted · 1")
    phone.get_by_label("Your reply").fill("Cheap cloud credits at spam.example!!!")
    phone.get_by_role("button", name="Post reply").click()
    expect(phone.get_by_test_id("reply")).to_have_count(2)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the thread scrolls sideways on a phone ({width}px)"
    shot(phone, "discussion-thread-phone")

    # Lea marks Leo's reply as the answer and reports the spam.
    asker.goto(f"/discussions/threads/{thread.pk}/")
    helpful = asker.get_by_test_id("reply").filter(has_text="disk group")
    helpful.get_by_test_id("mark-answer").click()
    expect(asker.get_by_text("Marked as the answer.")).to_be_visible()
    expect(asker.get_by_test_id("accepted-answer")).to_contain_text("add yourself to the disk group")
    asker.get_by_test_id("reply").filter(has_text="spam.example").get_by_role("link", name="Report").click()
    asker.get_by_label("What is wrong with this post?").fill("An advert, not an answer.")
    asker.get_by_role("button", name="Send report").click()
    expect(asker.get_by_text("The moderators will look at this post.")).to_be_visible()
    assert Thread.objects.get().answer == Reply.objects.get(body__contains="**disk** group")

    # The instructor pins the thread and hides the spam from the moderation queue.
    staff = new_page()
    sign_in(staff, "prof@cloud.test")
    staff.goto(f"/discussions/threads/{thread.pk}/")
    staff.get_by_test_id("moderator-tools").get_by_role("button", name="Pin").click()
    expect(staff.get_by_text("Thread pinned.")).to_be_visible()
    staff.get_by_role("link", name="Discussion").click()
    expect(staff.get_by_test_id("threads").locator("li").first).to_contain_text("Pinned")
    shot(staff, "discussion-board")
    staff.get_by_test_id("reports-link").click()
    expect(staff.get_by_test_id("report")).to_contain_text("An advert, not an answer.")
    shot(staff, "discussion-moderation")
    staff.get_by_role("button", name="Hide the post").click()
    expect(staff.get_by_test_id("no-reports")).to_be_visible()
    phone.goto(f"/discussions/threads/{thread.pk}/")
    expect(phone.get_by_text("This reply was hidden by the moderators.")).to_be_visible()
    expect(phone.get_by_test_id("accepted-answer")).to_be_visible()

    # Lea follows her thread (she asked it): the digest brings Leo's visible reply, once.
    digests.prepare(now=timezone.now() + timedelta(minutes=2))
    [email] = [m for m in mail.outbox if m.to == ["lea@ntu.test"]]
    assert "**disk** group" in email.body and "spam.example" not in email.body
