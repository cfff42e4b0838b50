"""A learner's lab: open the lab lesson, download the data, submit predictions (or type answers),
see the score and the lesson done — on a wide screen and on a phone, with no script the
Content-Security-Policy blocks."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from forward.academy import labs, services
from forward.academy.models import Course, CourseRun, CourseStatus, Lesson, LessonKind, Module
from forward.core.models import OrganizationKind, User
from tests.browser.conftest import shot
from tests.browser.test_academy_journey import sign_in
from tests.conftest import make_organization, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IDS = range(1, 31)


def _csv(header, rows) -> str:
    return header + "\n" + "\n".join(",".join(map(str, row)) for row in rows) + "\n"


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_learner_downloads_the_data_submits_and_sees_the_score_and_the_lesson_done(new_page, tmp_path, phone):
    admin = make_user("admin@ntu.test", "Uni Admin")
    make_user("student@example.test", "Stu Dent")
    ntu = make_organization(creator=admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    course = Course.objects.create(slug="ml-101", title="Machine Learning", owner=ntu, status=CourseStatus.PUBLISHED)
    module = Module.objects.create(course=course, title="Regression")
    lesson = Lesson.objects.create(module=module, course=course, slug="fares-lab", kind=LessonKind.LAB,
                                   title="Lab: predict taxi fares", body="Predict the fare of each trip.", minutes=30)
    fares = {i: round(3 + 1.2 * i, 2) for i in IDS}
    labs.lab_setup(actor=admin, lesson=lesson, metric="rmse", pass_threshold=1.0,
                   key=ContentFile(_csv("trip_id,fare", fares.items()).encode(), name="key.csv"),
                   train=ContentFile(_csv("trip_id,km,fare", [(i, i, f) for i, f in fares.items()]).encode(),
                                     name="train.csv"),
                   test=ContentFile(_csv("trip_id,km", [(i, i) for i in IDS]).encode(), name="test.csv"))
    now = timezone.now()
    run = CourseRun.objects.create(course=course, cohort="Open", enrolment_ends=now + timedelta(days=5),
                                   starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30))
    services.enrol(user=User.objects.get(email="student@example.test"), run=run)

    page = new_page(phone=phone)
    sign_in(page, "student@example.test")
    page.goto("/academy/ml-101/fares-lab/")
    lab = page.get_by_test_id("lab")
    expect(lab.get_by_text("rmse")).to_be_visible()
    expect(lab.get_by_text("No submissions yet.")).to_be_visible()
    _shots(page, f"lab-before-{'phone' if phone else 'desktop'}")

    with page.expect_download() as download:
        lab.get_by_role("link", name="Download the test data").click()
    test_file = Path(download.value.path()).read_text()
    assert test_file.startswith("trip_id,km")

    # A first try with a wrong column: a message that says what to fix.
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(_csv("trip_id,prediction", [(i, 0) for i in IDS]))
    lab.get_by_label("Your predictions").set_input_files(str(wrong))
    lab.get_by_role("button", name="Submit predictions").click()
    expect(page.get_by_test_id("lab-error").first.get_by_role("alert")).to_contain_text("fare")

    # The learner's notebook: km → fare from the training data, written for each test row.
    rows = [line.split(",") for line in test_file.strip().splitlines()[1:]]
    good = tmp_path / "predictions.csv"
    good.write_text(_csv("trip_id,fare", [(r[0], round(3 + 1.2 * float(r[1]), 2)) for r in rows]))
    page.get_by_test_id("lab").get_by_label("Your predictions").set_input_files(str(good))
    page.get_by_test_id("lab").get_by_role("button", name="Submit predictions").click()
    expect(page.get_by_test_id("lab-passed")).to_be_visible()
    expect(page.get_by_test_id("lab-submission").first).to_contain_text("0.0000")
    expect(page.get_by_test_id("lab-done")).to_be_visible()
    _shots(page, f"lab-after-{'phone' if phone else 'desktop'}")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_learner_types_the_answers_of_an_answers_lab_and_passes(new_page, phone):
    admin = make_user("admin@ntu.test", "Uni Admin")
    student = make_user("student@example.test", "Stu Dent")
    ntu = make_organization(creator=admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    course = Course.objects.create(slug="cloud-101", title="Cloud Computing Fundamentals", owner=ntu,
                                   status=CourseStatus.PUBLISHED)
    module = Module.objects.create(course=course, title="Running your first service")
    lesson = Lesson.objects.create(module=module, course=course, slug="bill-lab", kind=LessonKind.LAB,
                                   title="Lab: estimate the month's bill", minutes=30,
                                   body="Work out the month's bill from the usage and the price sheet.")
    usage = _csv("resource_id,sku,hours", [("vm-01", "ecs.g7.large", 744), ("vm-02", "ecs.t6.medium", 300)])
    prices = _csv("sku,usd_per_hour", [("ecs.g7.large", 0.126), ("ecs.t6.medium", 0.034)])
    labs.lab_setup(actor=admin, lesson=lesson, metric="answers", pass_threshold=1.0,
                   key=ContentFile(_csv("question_id,answer", [("vm_01_cost", "93.74"), ("vm_02_cost", "10.20"),
                                                               ("costliest", "ecs.g7.large")]).encode(), name="k.csv"),
                   questions=[{"id": "vm_01_cost", "text": "What did vm-01 cost this month, in USD?"},
                              {"id": "vm_02_cost", "text": "What did vm-02 cost this month, in USD?"},
                              {"id": "costliest", "text": "Which instance type cost the most?"}],
                   train=ContentFile(usage.encode(), name="usage.csv"), test=ContentFile(prices.encode(), name="p.csv"))
    now = timezone.now()
    run = CourseRun.objects.create(course=course, cohort="Open", enrolment_ends=now + timedelta(days=5),
                                   starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30))
    services.enrol(user=student, run=run)

    page = new_page(phone=phone)
    sign_in(page, "student@example.test")
    page.goto("/academy/cloud-101/bill-lab/")
    lab = page.get_by_test_id("lab")
    expect(lab.get_by_text("Answer 100% of the questions right to pass.")).to_be_visible()
    with page.expect_download() as download:
        lab.get_by_role("link", name="Download the reference table").click()
    assert Path(download.value.path()).read_text().startswith("sku,usd_per_hour")
    _shots(page, f"answers-lab-before-{'phone' if phone else 'desktop'}")

    # A first try with a unit in a number: the row says which answer and what to write.
    lab.get_by_label("What did vm-01 cost this month, in USD?").fill("93.74 USD")
    lab.get_by_label("What did vm-02 cost this month, in USD?").fill("10.2")
    lab.get_by_label("Which instance type cost the most?").fill("ecs.g7.large")
    lab.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_test_id("lab-error").first.get_by_role("alert")).to_contain_text(
        "the answer to vm_01_cost is '93.74 USD'; this question needs a number")

    lab = page.get_by_test_id("lab")
    lab.get_by_label("What did vm-01 cost this month, in USD?").fill("93.744")
    lab.get_by_label("What did vm-02 cost this month, in USD?").fill("10.2")
    lab.get_by_label("Which instance type cost the most?").fill("ECS.G7.large")
    lab.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_test_id("lab-passed")).to_be_visible()
    expect(page.get_by_test_id("lab-submission").first).to_contain_text("100% right")
    expect(page.get_by_test_id("lab-done")).to_be_visible()
    _shots(page, f"answers-lab-after-{'phone' if phone else 'desktop'}")


def _shots(page, name: str) -> None:
    shot(page, name)
    out = Path("/work/shots/labs2")
    if out.parent.exists():
        out.mkdir(exist_ok=True)
        page.screenshot(path=str(out / f"{name}.png"), full_page=True, animations="disabled")
