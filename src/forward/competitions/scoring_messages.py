"""Scoring errors in the reader's language.

``forward.scoring`` is a pure library that explains a bad file in English, and the worker stores
that text on the submission (``Submission.error``), so the language is not known when it is
written. Pages translate it when they show it: each message the library writes for a participant
is recognised here by its English template, and the translated template is filled with the same
values (line numbers, column names, ids). A message this table does not know is shown as written,
so a new message in the library is never lost, only untranslated until it is added here.

Kept in competitions, not in scoring, so that the library stays free of Django. The API returns the
English text (scripts match on it).
"""

import re

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

_ANY = r"(?P<%s>.+?)"
_NUM = r"(?P<%s>[-+]?[0-9][0-9,.e+-]*|nan|-?inf)"

# (English template as a regular expression, translated template with the same named values)
_TEMPLATES = [
    (r"Line (?P<line>\d+): {column} is {value}; NaN and infinity are not allowed\.",
     _("Line %(line)s: %(column)s is %(value)s; NaN and infinity are not allowed.")),
    (r"Line (?P<line>\d+): {column} is {value}; predict a class label such as (?P<labels>.+), not a probability\.",
     _("Line %(line)s: %(column)s is %(value)s; predict a class label such as %(labels)s, not a probability.")),
    (r"Line (?P<line>\d+): {column} is {value}; probabilities must be between 0 and 1\.",
     _("Line %(line)s: %(column)s is %(value)s; probabilities must be between 0 and 1.")),
    (r"Line (?P<line>\d+): {column} is {value}; rmsle needs predictions of 0 or more\.",
     _("Line %(line)s: %(column)s is %(value)s; rmsle needs predictions of 0 or more.")),
    (r"The header has (?P<problems>.+)\. Expected exactly: (?P<expected>[^\n]*)\.",
     None),  # handled by _header() below: its middle part is built from pieces
    (r"The file has a header but no rows; it needs one row for each of the (?P<rows>\d+) ids\.",
     _("The file has a header but no rows; it needs one row for each of the %(rows)s ids.")),
    (r"(?P<count>\d+) ids appear more than once: (?P<shown>.+)\.",
     _("%(count)s ids appear more than once: %(shown)s.")),
    (r"(?P<count>\d+) ids are not in the test set, e\.g\. (?P<examples>.+) \(line (?P<line>\d+)\)\.",
     _("%(count)s ids are not in the test set, e.g. %(examples)s (line %(line)s).")),
    (r"(?P<count>\d+) ids of the test set are missing, e\.g\. (?P<examples>.+)\. "
     r"Submit one row for each of the (?P<rows>\d+) ids\.",
     _("%(count)s ids of the test set are missing, e.g. %(examples)s. Submit one row for each of the %(rows)s ids.")),
    (r"The file needs more than (?P<mb>[\d,]+) MB of memory to read, the limit for scoring; check that it has one "
     r"row per id and only the id and target columns \(`forward score` checks it on your machine\)\.",
     _("The file needs more than %(mb)s MB of memory to read, the limit for scoring; check that it has one row per "
       "id and only the id and target columns (`forward score` checks it on your machine).")),
    (r"Scoring took longer than (?P<seconds>[\d.e+]+) s, the limit, and was stopped; check that the file has one "
     r"row per id and only the id and target columns \(`forward score` checks it on your machine\)\.",
     _("Scoring took longer than %(seconds)s s, the limit, and was stopped; check that the file has one row per id "
       "and only the id and target columns (`forward score` checks it on your machine).")),
]
_COMPILED = [
    (re.compile(pattern.replace("{column}", _ANY % "column").replace("{value}", _NUM % "value"), re.DOTALL), text)
    for pattern, text in _TEMPLATES
]
_HEADER_PART = re.compile(r"(?P<kind>missing|unexpected) columns? (?P<names>.+)")


def _header(match: re.Match[str]) -> str | None:
    parts = []
    for piece in match["problems"].split(" and "):
        part = _HEADER_PART.fullmatch(piece)
        if part is None:
            return None
        names = part["names"]
        n = len(names.split(", "))
        if part["kind"] == "missing":
            parts.append(ngettext("missing column %(names)s", "missing columns %(names)s", n) % {"names": names})
        else:
            parts.append(ngettext("unexpected column %(names)s", "unexpected columns %(names)s", n) % {"names": names})
    if len(parts) == 2:
        problems = str(_("%(first)s and %(second)s")) % {"first": parts[0], "second": parts[1]}
    elif len(parts) == 1:
        problems = parts[0]
    else:
        return None
    return str(_("The header has %(problems)s. Expected exactly: %(expected)s.")) % {
        "problems": problems, "expected": match["expected"]}


def recognise(message: str) -> bool:
    """Whether ``message`` is one of the library's messages this table knows (tests check that every
    message the library writes for a participant is)."""
    text = (message or "").strip()
    for pattern, template in _COMPILED:
        match = pattern.fullmatch(text)
        if match is not None:
            return template is not None or _header(match) is not None
    return False


def translate_scoring_error(message: str) -> str:
    """``message`` in the active language when it is one of the scoring library's known messages;
    otherwise unchanged."""
    if not message:
        return message
    text = message.strip()
    for pattern, template in _COMPILED:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        if template is None:
            translated = _header(match)
            return translated if translated is not None else message
        return str(template) % match.groupdict()
    return message
