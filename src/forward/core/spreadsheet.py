"""CSV downloads that a spreadsheet opens without running anything in them.

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some versions, a tab or carriage return before one) as a formula, so a team named
``=HYPERLINK("http://evil", "x")`` becomes a live link in the host's grade book. Following OWASP's
advice, such text cells get a leading ``'``, which spreadsheets show as plain text. Numbers stay
numbers: a score of -0.5 is written as ``-0.5``, not ``'-0.5``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet reads it back: text that would start a formula is quoted with ``'``."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class _Echo:
    """A file that hands back what is written, so ``csv.writer`` can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


class SafeWriter:
    """``csv.writer`` whose every cell passes through :func:`safe_cell`.

    ``SafeWriter(response)`` writes into a response; ``SafeWriter()`` returns each line from
    ``writerow`` for a ``StreamingHttpResponse``.
    """

    def __init__(self, target: SupportsWrite[str] | None = None) -> None:
        self._writer = csv.writer(target if target is not None else _Echo())

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
