"""axe-core in the browser tests: `audit(page)` runs the checker on the page as it is and returns what it found.

axe-core comes from the npm registry, pinned by tests/browser/axe/package-lock.json and installed by
`npm ci` on first use (CI installs it up front); nothing is fetched while the tests run. It is evaluated
in the page through the DevTools protocol, which the site's Content-Security-Policy does not govern, so
the policy stays as strict for the audited pages as for everyone.

All of axe's rules run except the experimental ones: WCAG 2.0, 2.1 and 2.2 levels A and AA (colour
contrast included) and axe's best practices (heading order, landmarks). A violation of impact "serious"
or "critical" fails a test; "moderate" ones are listed (test-results/accessibility-moderate.txt and the
test's output); "minor" ones are neither.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from tests.conftest import service_unavailable

AXE = Path(__file__).resolve().parent / "axe"
FAILING = ("critical", "serious")
LISTED = ("moderate",)
# Widgets whose markup is a third party's, left out of the audit (the page around them is audited):
# Swagger UI on /api/v1/docs (its method badges are below AA contrast and it nests controls).
THIRD_PARTY = ("#swagger-ui",)
REPORT = Path(__file__).resolve().parents[2] / "test-results" / "accessibility-moderate.txt"


def is_ours(url: str) -> bool:
    """Whether the page at this URL (or path) is audited: not Django's admin site (operators only), whose
    markup is Django's and where axe's probes set inline styles the Content-Security-Policy check reports."""
    return not urlsplit(url).path.startswith("/admin/")


@cache
def axe_source() -> str:
    """axe.min.js, installed from the lockfile when it is missing or older than the lockfile."""
    installed = AXE / "node_modules" / ".package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < (AXE / "package-lock.json").stat().st_mtime:
        npm = shutil.which("npm")
        if not npm:
            service_unavailable("npm is needed to install axe-core for the accessibility checks "
                                "(apt-get install nodejs npm)")
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=AXE, capture_output=True, text=True,
                              timeout=600)
        if done.returncode:
            service_unavailable(f"npm ci failed in {AXE} (is the npm registry reachable?): "
                                f"{done.stderr.strip()[-2000:]}")
    return (AXE / "node_modules" / "axe-core" / "axe.min.js").read_text()


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    url: str
    width: int
    nodes: tuple[str, ...]  # CSS selectors of the first few elements, and what to fix on the first

    def __str__(self) -> str:
        where = "\n      ".join(self.nodes)
        return f"[{self.impact}] {self.rule} — {self.help}\n    on {self.url} ({self.width} px wide)\n      {where}"


def audit(page) -> list[Violation]:
    """Run axe-core on the page as it is now (once it has loaded); its violations of impact minor and up."""
    from playwright.sync_api import Error

    page.wait_for_load_state("load")
    try:
        return _audit(page)
    except Error as error:  # a navigation began meanwhile (a journey's last click): audit where it lands
        if "context was destroyed" not in str(error):
            raise
        page.wait_for_load_state("load")
        return _audit(page)


def _audit(page) -> list[Violation]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate("() => {" + axe_source() + "\n}")
    found = page.evaluate("""async (THIRD_PARTY) => {
        const result = await window.axe.run({exclude: THIRD_PARTY}, {resultTypes: ["violations"]});
        return result.violations.map(v => ({
            rule: v.id, impact: v.impact || "minor", help: v.help,
            nodes: v.nodes.slice(0, 4).map((n, i) => n.target.join(" ") + (i === 0 && n.failureSummary
                ? " :: " + n.failureSummary.replace(/\\s+/g, " ") : "")),
        }));
    }""", [[selector] for selector in THIRD_PARTY])
    width = page.viewport_size["width"] if page.viewport_size else 0
    return [Violation(v["rule"], v["impact"], v["help"], page.url, width, tuple(v["nodes"])) for v in found]


def failing(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.impact in FAILING]


def list_moderate(violations: list[Violation]) -> None:
    """Print the moderate violations and add them to the report file (kept for people to read)."""
    moderate = [v for v in violations if v.impact in LISTED]
    if not moderate:
        return
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    with REPORT.open("a") as report:
        for violation in moderate:
            print(f"accessibility (moderate): {violation}")
            report.write(json.dumps(violation.__dict__) + "\n")
