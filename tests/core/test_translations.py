"""Every interface string is translated into 简体中文, Bahasa Indonesia and Bahasa Melayu.

The catalogues live in src/forward/locale/<locale>/LC_MESSAGES. They also carry django-allauth's
sign-in, sign-up and email strings (listed in forward/core/allauth_strings.py), because allauth
ships no Malay catalogue of its own.
"""

import gettext
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

import forward

LOCALE = Path(forward.__file__).parent / "locale"
# Django locale directory -> language code (cookie value, <html lang>).
LANGUAGES = {"zh_Hans": "zh-hans", "id": "id", "ms": "ms"}
# python-format placeholders: %(name)s, %(size).1f, %d, %s ...
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdif]|%[sdif]")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


@dataclass
class Entry:
    msgid: str
    msgid_plural: str
    msgstr: list[str]
    fuzzy: bool
    context: str | None = None


def unquote(parts: list[str]) -> str:
    """Join the quoted pieces of one field and undo the C-style escapes."""
    text = "".join(part[1:-1] for part in parts)
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), text)


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: msgctxt, msgid, msgid_plural, msgstr / msgstr[n], continuation lines."""
    entries: list[Entry] = []
    fields: dict[str, list[str]] = {}
    flags: set[str] = set()
    current: str | None = None

    def flush() -> None:
        nonlocal fields, flags, current
        if "msgid" in fields:
            plural = [k for k in fields if k.startswith("msgstr[")]
            keys = sorted(plural, key=lambda k: int(k[7:-1])) if plural else ["msgstr"]
            entries.append(Entry(
                msgid=unquote(fields["msgid"]),
                msgid_plural=unquote(fields.get("msgid_plural", [])),
                msgstr=[unquote(fields.get(k, [])) for k in keys],
                fuzzy="fuzzy" in flags,
                context=unquote(fields["msgctxt"]) if "msgctxt" in fields else None,
            ))
        fields, flags, current = {}, set(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#~"):
            continue  # obsolete entry
        elif line.startswith("#,"):
            if "msgid" in fields:
                flush()
            flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := KEYWORD.match(line):
            keyword = match.group(1)
            if keyword in ("msgctxt", "msgid") and "msgid" in fields:
                flush()  # a new entry without a blank line in between
            current = keyword
            fields[current] = [match.group(3)]
        elif line.startswith('"') and current:
            fields[current].append(line)
        else:
            raise AssertionError(f"{path}: cannot parse line {raw!r}")
    flush()
    return entries


def catalogue(locale: str) -> tuple[list[Entry], gettext.GNUTranslations]:
    directory = LOCALE / locale / "LC_MESSAGES"
    with (directory / "django.mo").open("rb") as handle:
        return parse_po(directory / "django.po"), gettext.GNUTranslations(handle)


def test_the_po_parser_reads_continuations_plurals_and_flags(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: ms\\n"\n\n'
        '#, fuzzy, python-format\nmsgid "Hi %(n)s"\nmsgstr "Hai %(n)s"\n\n'
        'msgid ""\n"one \\"two\\"\\n"\n"three"\nmsgstr "satu"\n\n'
        'msgid "%(n)s team"\nmsgid_plural "%(n)s teams"\nmsgstr[0] "%(n)s pasukan"\nmsgstr[1] ""\n\n'
        '#~ msgid "old"\n#~ msgstr "lama"\n',
        encoding="utf-8",
    )
    header, fuzzy, multi, plural = parse_po(po)
    assert header.msgid == "" and header.msgstr == ["Language: ms\n"]
    assert fuzzy.fuzzy and fuzzy.msgstr == ["Hai %(n)s"]
    assert multi.msgid == 'one "two"\nthree' and not multi.fuzzy
    assert plural.msgid_plural == "%(n)s teams" and plural.msgstr == ["%(n)s pasukan", ""]


@pytest.mark.parametrize("locale", sorted(LANGUAGES))
def test_catalogue_is_complete(locale):
    entries, _ = catalogue(locale)
    header = next(e for e in entries if e.msgid == "" and e.context is None)
    assert not header.fuzzy, "the header is marked fuzzy"
    assert "charset=UTF-8" in header.msgstr[0]
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]
    messages = [e for e in entries if e.msgid]
    assert len(messages) > 300
    untranslated = [e.msgid for e in messages if not all(e.msgstr)]
    fuzzy = [e.msgid for e in messages if e.fuzzy]
    assert not untranslated, f"untranslated in {locale}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {locale}: {fuzzy[:10]}"


@pytest.mark.parametrize("locale", sorted(LANGUAGES))
def test_compiled_catalogue_matches_the_po(locale):
    entries, mo = catalogue(locale)
    for entry in entries:
        if not entry.msgid:
            continue
        if entry.context is not None:
            got = mo.pgettext(entry.context, entry.msgid)
        elif entry.msgid_plural:
            got = mo.ngettext(entry.msgid, entry.msgid_plural, 2)
        else:
            got = mo.gettext(entry.msgid)
        assert got == entry.msgstr[0], f"stale .mo for {entry.msgid!r}: run compilemessages"


@pytest.mark.parametrize("locale", sorted(LANGUAGES))
def test_placeholders_survive_translation(locale):
    entries, _ = catalogue(locale)
    for entry in entries:
        if not entry.msgid:
            continue
        expected = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural))
        for translated in entry.msgstr:
            assert set(PLACEHOLDER.findall(translated)) == expected, (entry.msgid, translated)


@pytest.mark.parametrize("locale", sorted(LANGUAGES))
def test_allauth_pages_are_in_our_catalogue(locale):
    """allauth has no Malay catalogue: its strings must come from ours, in every language."""
    _, mo = catalogue(locale)
    for msgid in ("Sign In", "Remember Me", "Password (again)", "Verify Your Email Address",
                  "The email address and/or password you specified are not correct.",
                  "Too many failed login attempts. Try again later."):
        assert mo.gettext(msgid) != msgid, f"{msgid!r} is not translated for {locale}"


@pytest.mark.parametrize(("code", "expected"), [
    ("zh-hans", ["Forward 今日数据", "免费加入"]),
    ("id", ["Di Forward hari ini", "Bergabung gratis"]),
    ("ms", ["Di Forward hari ini", "Sertai secara percuma"]),
])
def test_the_home_page_speaks_the_chosen_language(client, db, code, expected):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    html = client.get("/").content.decode()
    assert f'<html lang="{code}">' in html
    for text in expected:
        assert text in html
    assert "On Forward today" not in html


def test_sign_in_page_is_malay(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ms"
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="ms">' in html
    # "Sign In" is the page title, heading and button of allauth's login template.
    assert re.search(r"<title>\s*Log masuk\s*·", html)
    assert re.search(r"<h1>\s*Log masuk\s*</h1>", html)
    assert "Kata laluan" in html  # "Password", from allauth's login form
    assert "Ingat saya" in html  # "Remember Me"
    assert "Sign In" not in html
    assert "Remember Me" not in html
