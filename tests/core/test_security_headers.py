"""The Content-Security-Policy, and https enforced (redirect + HSTS) when the site's address is https."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

from tests.conftest import client_for, make_user

SRC = Path(__file__).resolve().parents[2] / "src" / "forward"


def directives(header: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/competitions/", "/academy/", "/credentials/",
                                  "/admin/login/", "/api/v1/docs", "/no-such-page/"])
def test_every_page_runs_only_the_sites_own_script(db, path):
    response = client_for(None).get(path)
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no other host
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_the_admin_keeps_the_same_policy(db):
    staff = make_user("ops@forward.test", "Ops", is_staff=True, is_superuser=True)
    response = client_for(staff).get("/admin/core/organization/add/")
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


def _templates() -> list[Path]:
    return sorted(p for p in SRC.rglob("templates/**/*.html"))


def test_no_template_has_inline_script_handlers_or_styles():
    """What the policy would block, caught before a browser has to: every template, not just visited pages."""
    assert len(_templates()) > 50
    problems = []
    for template in _templates():
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match.group(0):
                problems.append(f"{template.relative_to(SRC)}: inline {match.group(0)}")
        for pattern in (r"\son[a-z]+\s*=", r"\sstyle\s*=", r"javascript:", r"\|\s*safe\b", r"autoescape\s+off",
                        r"\|\s*safeseq\b", r"hx-on"):
            for match in re.finditer(pattern, text):
                problems.append(f"{template.relative_to(SRC)}: {match.group(0).strip()}")
    assert problems == []


def test_python_marks_nothing_safe_but_sanitized_markdown():
    users = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
                   if re.search(r"\bmark_safe\(|\bSafeString\(|\bformat_html\(|\bhtml_safe\b",
                                p.read_text(encoding="utf-8")))
    # talent/forms_openings.py: QuickSelect writes Django's own <select> markup with format_html
    # (escaped; tests/talent/test_openings_search_fast.py compares it with Django's on hostile labels).
    # ventures/readiness.py: the radar chart's SVG from numbers and labels, every value through
    # format_html (tests/ventures/test_centre_radar_escapes.py gives it a hostile title).
    # impact/charts.py: the impact charts' SVG, likewise only format_html / format_html_join
    # (tests/impact/test_charts.py feeds every chart a hostile label).
    # competitions/charts.py: the host console's activity chart, only format_html / format_html_join
    # over dates, counts and translated labels (no text a person typed).
    assert users == ["competitions/charts.py", "core/markdown.py", "impact/charts.py", "talent/forms_openings.py", "ventures/readiness.py"]


def test_htmx_is_told_not_to_inject_styles_or_eval():
    base = (SRC / "templates" / "base.html").read_text(encoding="utf-8")
    config = json.loads(re.search(r"""<meta name="htmx-config" content='([^']+)'>""", base).group(1))
    assert config == {"includeIndicatorStyles": False, "allowEval": False, "allowScriptTags": False}


# --- https ---------------------------------------------------------------------------------------

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
plain = client.get("/api/v1/openapi.json")
secure = client.get("/api/v1/openapi.json", headers={"X-Forwarded-Proto": "https"})
print(json.dumps({"plain": [plain.status_code, plain.get("Location"), plain.get("Strict-Transport-Security")],
                  "secure": [secure.status_code, secure.get("Location"), secure.get("Strict-Transport-Security")]}))
"""


def probe(**env) -> dict:
    """Import the settings afresh in a child process with ``env``, and make an http and an https request."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("FORWARD_SSL", "FORWARD_HSTS"))}
    environ.update({"DJANGO_SETTINGS_MODULE": "forward.settings", "FORWARD_ALLOWED_HOSTS": "testserver",
                    "FORWARD_BEHIND_PROXY": "true", **env})
    result = subprocess.run([sys.executable, "-c", PROBE], env=environ, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_an_https_site_redirects_http_and_sends_hsts_behind_its_proxy():
    seen = probe(FORWARD_SITE_URL="https://forward.example.org")
    assert seen["plain"] == [301, "https://testserver/api/v1/openapi.json", None]
    assert seen["secure"] == [200, None, "max-age=31536000"]


def test_an_http_site_neither_redirects_nor_sends_hsts():
    seen = probe(FORWARD_SITE_URL="http://127.0.0.1:8000")
    assert seen["plain"] == [200, None, None]
    assert seen["secure"] == [200, None, None]


def test_redirect_and_hsts_are_each_overridable():
    seen = probe(FORWARD_SITE_URL="https://forward.example.org", FORWARD_SSL_REDIRECT="false",
                 FORWARD_HSTS_SECONDS="600", FORWARD_HSTS_INCLUDE_SUBDOMAINS="true")
    assert seen["plain"] == [200, None, None]
    assert seen["secure"] == [200, None, "max-age=600; includeSubDomains"]
    seen = probe(FORWARD_SITE_URL="http://127.0.0.1:8000", FORWARD_SSL_REDIRECT="true",
                 FORWARD_HSTS_SECONDS="63072000", FORWARD_HSTS_INCLUDE_SUBDOMAINS="true", FORWARD_HSTS_PRELOAD="true")
    assert seen["plain"][0] == 301
    assert seen["secure"] == [200, None, "max-age=63072000; includeSubDomains; preload"]


def test_preload_without_subdomains_is_refused_at_start():
    environ = {**os.environ, "FORWARD_SITE_URL": "https://forward.example.org", "FORWARD_HSTS_PRELOAD": "true"}
    result = subprocess.run([sys.executable, "-c", "import forward.settings"], env=environ, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0
    assert "FORWARD_HSTS_PRELOAD: the preload list needs FORWARD_HSTS_INCLUDE_SUBDOMAINS=true" in result.stderr


def test_a_redirect_that_cannot_see_https_is_flagged(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = None
    assert "forward.W001" in [m.id for m in run_checks(tags=["security"])]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert "forward.W001" not in [m.id for m in run_checks(tags=["security"])]


def test_pdfs_go_without_a_policy_and_a_policy_already_set_is_kept(rf):
    from django.http import HttpResponse

    from forward.core.middleware import ContentSecurityPolicyMiddleware

    def through(response):
        return ContentSecurityPolicyMiddleware(lambda request: response)(rf.get("/"))

    assert "Content-Security-Policy" not in through(HttpResponse(b"%PDF-1.7", content_type="application/pdf"))
    own = HttpResponse()
    own["Content-Security-Policy"] = "default-src 'none'"
    assert through(own)["Content-Security-Policy"] == "default-src 'none'"
    assert through(HttpResponse())["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self'")
