"""Screenshots of the demo for a design review: every role's home and the pages people use most, full
page, at desktop (1280 px) and phone (390 px) width. Not a test; nothing is asserted except that a page
does not scroll sideways on a phone, which is reported.

    FORWARD_DATA_DIR=/tmp/review-data PYTHONPATH=src python -m forward demo --port 8765 &
    FORWARD_DATA_DIR=/tmp/review-data PYTHONPATH=src python tools/screenshots.py \\
        --base http://127.0.0.1:8765 --out /work/shots/review [--only student,host]

The pages are found in the demo's database (the same FORWARD_DATA_DIR), so the script needs no slugs.
Serve the demo on the port it was created with (`forward demo --no-serve --port 8765` first, or set
FORWARD_SITE_URL to the first address): the signing keys' URLs carry the site's address, and on another
one every credential page says "Not verified (unknown key)".
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

CHROMIUM = os.environ.get("FORWARD_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage"]
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
OVERFLOW = """(device) => {
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > device + 0.5 && e.getClientRects().length)
    .filter(e => !e.closest('.tabs, .chart-area, .table-wrap, pre'))
    .map(e => e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : ''));
  return {scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 6)};
}"""


def pages_by_role() -> dict[str, list[tuple[str, str]]]:
    """role → [(name, path)], read from the demo database before the browser starts."""
    import django

    from forward.cli import _demo_environment

    _demo_environment(Path(os.environ.get("FORWARD_DATA_DIR", "forward-data")), "127.0.0.1", 8765)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forward.settings")
    django.setup()
    from django.db.models import Count

    from forward.academy.models import Course, Lesson
    from forward.competitions.models import Competition
    from forward.credentials.models import Credential
    from forward.discussions.models import Board, Thread

    course = Course.objects.filter(slug__icontains="cloud").order_by("pk").first() or Course.objects.first()
    lesson = Lesson.objects.filter(course=course).exclude(kind="lab").order_by("module__order", "order")[1]
    lab = Lesson.objects.filter(kind="lab").select_related("course").order_by("pk").first()
    competition = (Competition.objects.filter(title__icontains="tmall").first()
                   or Competition.objects.order_by("pk").first())
    board = Board.objects.annotate(n=Count("threads")).order_by("-n").first()
    thread = Thread.objects.filter(board=board, hidden=False).order_by("-reply_count").first() if board else None
    credential = Credential.objects.filter(recipient__email="student@ntu.forward.demo").order_by("pk").first()
    # A demo without discussions still shows the course's (empty) board.
    prefix, key = board.ref.rsplit(":", 1) if board else ("academy.course", course.pk)

    student = [
        ("home", "/dashboard/"),
        ("course", f"/academy/{course.slug}/"),
        ("lesson", f"/academy/{course.slug}/{lesson.slug}/"),
        ("lab", f"/academy/{lab.course.slug}/{lab.slug}/"),
        ("competition", f"/competitions/{competition.slug}/"),
        ("leaderboard", f"/competitions/{competition.slug}/leaderboard/"),
        ("board", f"/discussions/{prefix}/{key}/"),
        *([("thread", f"/discussions/threads/{thread.pk}/")] if thread else []),
        ("wallet", "/credentials/"),
        ("credential", f"/credentials/{credential.uuid}/"),
    ]
    console = f"/competitions/{competition.slug}/console/"
    host = [("home", "/dashboard/"), ("console", console)] + [
        (f"console-{tab}", f"{console}{tab}/") for tab in ("teams", "activity", "failed", "rescore", "winners")]
    return {
        "student": student,
        "professor": [("home", "/dashboard/")],
        "admin": [("home", "/dashboard/")],
        "host": host,
        "hr": [("home", "/dashboard/")],
        "investor": [("home", "/dashboard/")],
        "founder": [("home", "/dashboard/")],
        "operator": [("home", "/dashboard/"), ("moderation", "/discussions/moderation/")],
    }


EMAILS = {
    "student": "student@ntu.forward.demo", "professor": "professor@cloudwave.forward.demo",
    "admin": "admin@ntu.forward.demo", "host": "host@tianmu.forward.demo", "hr": "hr@straits.forward.demo",
    "investor": "investor@lioncity.forward.demo", "founder": "founder@forward.demo",
    "operator": "operator@forward.demo",
}


def sign_in(page, base: str, email: str) -> None:
    from forward.demo import DEMO_PASSWORD  # Django is set up by now (pages_by_role)

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--out", default="shots")
    parser.add_argument("--only", default="", help="comma-separated roles")
    options = parser.parse_args()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    roles = pages_by_role()
    only = {r for r in options.only.split(",") if r}

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for role, pages in roles.items():
            if only and role not in only:
                continue
            for width, viewport in WIDTHS.items():
                context = browser.new_context(viewport=viewport, locale="en-GB", is_mobile=width == "phone",
                                              has_touch=width == "phone")
                page = context.new_page()
                sign_in(page, options.base, EMAILS[role])
                for name, path in pages:
                    response = page.goto(options.base + path, wait_until="networkidle")  # badges, banners
                    status = response.status if response else "?"
                    file = out / f"{role}-{name}-{width}.png"
                    page.screenshot(path=str(file), full_page=True, animations="disabled")
                    report = page.evaluate(OVERFLOW, viewport["width"])
                    wide = "" if report["scroll"] <= viewport["width"] else f" SCROLLS SIDEWAYS {report}"
                    print(f"{status} {file.name} {path}{wide}", flush=True)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
