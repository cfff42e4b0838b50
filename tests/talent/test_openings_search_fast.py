"""The search page's selects are written in Python (QuickSelect) for speed: the markup must be
Django's own, escaped, with the chosen value selected."""

from __future__ import annotations

import re

from django import forms

from forward.core.models import Skill
from forward.talent.forms_openings import QuickSelect
from tests.conftest import client_for


def _flat(html: str) -> str:
    return re.sub(r"\s*\n\s*", "", str(html))


def test_quick_select_writes_the_markup_of_djangos_select():
    choices = [("", "Any <skill>"), ("a&b", 'A "quoted" & <b>bold</b>'), ("Group", [("g1", "G<1>")]), ("sg", "SG")]
    for value in ("a&b", "", None, "g1", "missing"):
        attrs = {"id": "id_skill", "required": False, "data-on": True}
        assert _flat(QuickSelect(choices=choices, attrs=attrs).render("skill", value)) == _flat(
            forms.Select(choices=choices, attrs=attrs).render("skill", value))


def test_the_search_page_escapes_skill_names_and_keeps_the_choice(db):
    Skill.objects.create(slug="xss", name="<script>alert(1)</script>")
    page = client_for(None).get("/talent/openings/?skill=xss").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert '<option value="xss" selected>&lt;script&gt;alert(1)&lt;/script&gt;</option>' in page
