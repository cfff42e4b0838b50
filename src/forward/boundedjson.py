"""JSON from strangers, parsed within limits: size, nesting depth and number length are checked
before (or while) the parser spends work on them, and only finite numbers are accepted.

Python's ``json.loads`` recurses once per ``[`` or ``{`` (100,000 of them raise ``RecursionError``),
turns a 5,000-digit integer into ``ValueError`` (the int-from-string limit), and accepts ``NaN``,
``Infinity`` and ``1e999`` as floats. Every caller that reads a request body or a pasted credential
goes through ``loads`` instead, and gets one exception type, ``JSONLimitError`` (a ``ValueError``),
whose message says what is wrong.

No Django here: the verifiable-credentials library (``forward.vc``) uses it too. Messages are English
templates marked for translation; ``JSONLimitError.message(translate)`` localizes them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:  # for the annotation only: this module does not need Django to run
    from django.utils.functional import _StrPromise

MAX_DEPTH = 64
MAX_NUMBER_CHARS = 100  # "-" and digits, with a fraction and exponent; far beyond any real value


def _(text: str) -> str:  # marks a message for extraction; the caller's translate() localizes it
    return text


class JSONLimitError(ValueError):
    """The text is not JSON, or is JSON beyond a limit. ``status`` is the HTTP status it deserves."""

    def __init__(self, template: str, params: dict[str, Any] | None = None, *, status: int = 400) -> None:
        super().__init__(template % params if params else template)
        self.template, self.params, self.status = template, params, status

    def message(self, translate: Callable[[str], str | _StrPromise] | None = None) -> str:
        template = str(translate(self.template)) if translate else self.template
        return template % self.params if self.params else template


# A JSON string (the parser's own grammar) or a bracket: brackets inside strings do not nest.
_STRINGS_AND_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` outside strings, counted without recursion."""
    depth = deepest = 0
    for match in _STRINGS_AND_BRACKETS.finditer(text):
        piece = match.group()
        if piece in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif piece in "]}":
            depth -= 1
    return deepest


def _integer(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise JSONLimitError(_("A number in the JSON has more than %(n)d digits."), {"n": MAX_NUMBER_CHARS})
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise JSONLimitError(_("A number in the JSON has more than %(n)d digits."), {"n": MAX_NUMBER_CHARS})
    value = float(text)
    if not math.isfinite(value):
        raise JSONLimitError(_("A number in the JSON is too large (%(number)s): numbers must be finite."),
                             {"number": text[:20]})
    return value


def _constant(name: str) -> NoReturn:
    raise JSONLimitError(_("%(constant)s is not a JSON number: numbers must be finite."), {"constant": name})


def loads(data: str | bytes, *, max_bytes: int | None = None, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON text, refusing more than ``max_bytes`` (status 413), nesting deeper than
    ``max_depth``, numbers longer than ``MAX_NUMBER_CHARS`` and non-finite numbers (status 400)."""
    if max_bytes is not None and len(data) > max_bytes:
        raise JSONLimitError(_("The body is larger than %(kb)d KB."), {"kb": max_bytes // 1024}, status=413)
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise JSONLimitError(_("The JSON is not UTF-8 text.")) from None
    if nesting_depth(data) > max_depth:
        raise JSONLimitError(_("The JSON is nested deeper than %(n)d levels."), {"n": max_depth})
    try:
        return json.loads(data, parse_int=_integer, parse_float=_float, parse_constant=_constant)
    except JSONLimitError:
        raise
    except json.JSONDecodeError as exc:
        raise JSONLimitError(_("This is not valid JSON (%(error)s at line %(line)d, column %(column)d)."),
                             {"error": exc.msg, "line": exc.lineno, "column": exc.colno}) from None
    except (ValueError, RecursionError):  # the checks above make these unreachable; never a 500
        raise JSONLimitError(_("The JSON is nested deeper than %(n)d levels."), {"n": max_depth}) from None
