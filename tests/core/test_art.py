"""core.art: generated default pictures are inert, well-formed SVG, stable per thing, different between things."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from forward.core import art

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script>"&\x00'


def parsed(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it
    assert root.tag == f"{SVG}svg"
    return root


def assert_inert(svg: str) -> None:
    root = parsed(svg)
    for element in root.iter():
        assert element.tag.removeprefix(SVG) not in {"script", "foreignObject", "a", "image", "use", "style"}
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on")
            assert "href" not in name
            assert "http" not in value or name == "xmlns"
    assert "url(http" not in svg and "javascript:" not in svg


def all_pictures(seed: str) -> list[str]:
    return [art.mark(seed=seed, text="AL", round_=False), art.mark(seed=seed, text="李", round_=True),
            *(art.thumbnail(seed=seed, glyph=g) for g in art.GLYPHS), art.banner(seed=seed)]


@pytest.mark.parametrize("seed", ["0", "abc123", "ffffffffffff", art.seed_for("course:x")])
def test_every_picture_is_well_formed_and_inert(seed):
    for svg in all_pictures(seed):
        assert_inert(svg)


def test_hostile_text_is_escaped_not_markup():
    svg = art.mark(seed="abc", text=HOSTILE, round_=False)
    assert_inert(svg)
    title = parsed(svg).find(f"{SVG}title").text
    assert "<" not in svg.split("<title>")[1].split("</title>")[0]
    assert title  # initials of the hostile text, as text
    svg = art.thumbnail(seed="abc", glyph="data", label=HOSTILE)
    assert_inert(svg)
    assert parsed(svg).find(f"{SVG}title").text == '<script>alert(1)</script>"&'


def test_pictures_are_deterministic():
    seed = art.seed_for("competition:titanic")
    assert art.banner(seed=seed) == art.banner(seed=seed)
    assert art.thumbnail(seed=seed, glyph="ai") == art.thumbnail(seed=seed, glyph="ai")
    assert art.seed_for("competition:titanic") == seed


def test_pictures_differ_per_thing():
    seeds = [art.seed_for(f"course:course-{i}") for i in range(12)]
    assert len({art.banner(seed=s) for s in seeds}) == 12
    assert len({art.thumbnail(seed=s, glyph="book") for s in seeds}) == 12
    assert len({art.colours(s) for s in seeds}) > 3


def test_initials():
    assert art.initials("Ada Lovelace") == "AL"
    assert art.initials("university of testing") == "UO"
    assert art.initials("ada@example.test") == "AE"
    assert art.initials("北京大学") == "北"
    assert art.initials("") == "?"
    assert art.initials(" \x00 ") == "?"


def test_glyph_comes_from_the_course_words():
    assert art.glyph_for("Introduction to Machine Learning") == "ai"
    assert art.glyph_for("Cloud Fundamentals") == "cloud"
    assert art.glyph_for("Data Analysis with SQL") == "data"
    assert art.glyph_for("Network Security Basics") == "security"
    assert art.glyph_for("Python Programming") == "code"
    assert art.glyph_for("Startup Finance") == "business"
    assert art.glyph_for("Poetry of the Tang dynasty") == "book"
