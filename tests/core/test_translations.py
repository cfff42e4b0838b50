"""Every interface string is translated into 简体中文, Bahasa Indonesia and Bahasa Melayu."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

import forward

LOCALE = Path(forward.__file__).parent / "locale"
LANGUAGES = {"zh_Hans": "zh-hans", "id": "id", "ms": "ms"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def unquote(lines: list[str]) -> str:
    joined = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', "\n".join(lines)))
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), joined)


def entries(path: Path):
    """(msgid, msgid_plural, [msgstr...], fuzzy) for each entry of a .po file."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, list[str]] = {}
        current = None
        for line in lines:
            match = re.match(r'^(msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line)
            if match:
                current = match.group(1)
                fields[current] = [match.group(2)]
            elif line.startswith('"') and current:
                fields[current].append(line)
        if "msgid" not in fields:
            continue
        strs = [unquote(v) for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        yield unquote(fields["msgid"]), unquote(fields.get("msgid_plural", [])), strs, fuzzy


@pytest.mark.parametrize("locale", sorted(LANGUAGES))
def test_every_string_is_translated_and_compiled(locale):
    po = LOCALE / locale / "LC_MESSAGES" / "django.po"
    mo = LOCALE / locale / "LC_MESSAGES" / "django.mo"
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    count = 0
    for msgid, plural, strs, fuzzy in entries(po):
        if not msgid:
            assert not fuzzy, "the header is marked fuzzy"
            continue
        count += 1
        assert not fuzzy, f"fuzzy: {msgid!r}"
        assert all(strs), f"untranslated: {msgid!r}"
        for translated in strs:
            assert set(PLACEHOLDER.findall(translated)) == set(PLACEHOLDER.findall(msgid)), msgid
        if plural:
            assert catalogue.ngettext(msgid, plural, 1) == strs[0], f"stale .mo for {msgid!r}: compile messages"
        else:
            assert catalogue.gettext(msgid) == strs[0], f"stale .mo for {msgid!r}: compile messages"
    assert count > 100


@pytest.mark.parametrize(("code", "expected"), [
    ("zh-hans", "Forward 今日数据"), ("id", "Di Forward hari ini"), ("ms", "Di Forward hari ini"),
])
def test_the_home_page_speaks_the_chosen_language(client, db, code, expected):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    html = client.get("/").content.decode()
    assert f'<html lang="{code}">' in html
    assert expected in html


def test_sign_in_page_is_translated(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get("/accounts/login/").content.decode()
    assert "登录" in html
