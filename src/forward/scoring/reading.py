"""Reading CSV files (plain, gzip, or a zip holding one CSV) into typed columns, with errors people
can act on. Files are streamed; nothing is read into memory whole except the parsed columns.

Line numbers in messages count the header as line 1 (a spreadsheet's row numbers).
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import mmap
import os
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pacsv

from .errors import ScoringError

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
MAX_UNCOMPRESSED = 2 * 1024**3  # 2 GiB of CSV at most, whatever the solution allows
MAX_RATIO = 100  # a compressed file that grows more than this …
RATIO_FLOOR = 50 * 1024**2  # … and past 50 MB is treated as a compression bomb
CHUNK = 1024 * 1024
MAX_HEADER_BYTES = CHUNK  # line 1 must end within this many bytes
MAX_COLUMNS = 1000  # a submission needs two columns and a solution three; more is refused before parsing
MAX_VALUE_LENGTH = 1000  # characters in one id or label
# What pyarrow reads as a number: it trims spaces and tabs only, and reads leading zeros.
NUMBER = r"^[ \t]*[+-]?((\d+(\.\d*)?)|(\.\d+))([eE][+-]?\d+)?[ \t]*$"
WHOLE_NUMBER = r"^[ \t]*-?[0-9]+[ \t]*$"  # … and int64's range
INTEGER = r"^-?(0|[1-9][0-9]{0,17})$"  # canonical: no leading zeros, certainly within int64
NON_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


def _few(values: Sequence[object], n: int = 5) -> str:
    shown = [str(v) for v in list(values)[:n]]
    return ", ".join(shown) + (" …" if len(values) > n else "")


@dataclass(frozen=True)
class Limits:
    """How large the CSV behind a file may be: bytes once uncompressed, and lines (header included).

    ``expected`` completes the refusal ("…; a submission for this competition has 20 rows and
    should be about 1 MB."), so that the message says what a right file looks like.
    """

    max_bytes: int = MAX_UNCOMPRESSED
    max_lines: int | None = None
    expected: str = ""

    def too_large(self, what: str) -> str:
        limit = _megabytes(self.max_bytes)
        return f"{what} more than {limit}" + (f"; {self.expected}" if self.expected else ", the limit") + "."

    def too_long(self) -> str:
        assert self.max_lines is not None
        return (f"The file has more than {self.max_lines - 1:,} rows" +
                (f"; {self.expected}" if self.expected else "") + ".")


def _megabytes(size: int) -> str:
    return f"{size / 1024**2:,.0f} MB" if size >= 1024**2 else f"{max(size // 1024, 1):,} KB"


@contextlib.contextmanager
def plain_csv(path: Path, error: type[ScoringError], limits: Limits | int = MAX_UNCOMPRESSED) -> Iterator[Path]:
    """A path to the uncompressed CSV behind ``path`` (.csv, .csv.gz, or .zip with one CSV).

    The kind is recognised from the file's first bytes, not its name. Compressed files are
    expanded in a stream that stops as soon as the output passes ``limits`` (bytes or lines), so a
    compression bomb costs no more than the limit in disk and nothing in memory.
    """
    if isinstance(limits, int):
        limits = Limits(max_bytes=limits)
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise error("The file is empty.")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic[:2] == GZIP_MAGIC:
        with gzip.open(path, "rb") as source, _limited_copy(source, size, error, limits) as plain:
            yield plain
    elif magic == ZIP_MAGIC:
        yield from _zip_member(path, size, error, limits)
    else:
        if size > limits.max_bytes:
            raise error(limits.too_large(f"The file is {_megabytes(size)},"))
        if limits.max_lines is not None:
            _count_lines(path, error, limits)
        yield path


def _count_lines(path: Path, error: type[ScoringError], limits: Limits) -> None:
    """Refuse a plain file with more lines than the limit, counting them in the mapped file.

    The file is mapped, not read: NumPy counts the line ends of each 16 MB in place, with no copy
    into Python bytes (a third of the time for 170 MB), and stops at the first stretch over.
    """
    if limits.max_lines is None:
        return
    lines = 0
    with Path(path).open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        data = np.frombuffer(mapped, dtype=np.uint8)
        try:
            for start in range(0, data.shape[0], 16 * CHUNK):
                lines += int(np.count_nonzero(data[start:start + 16 * CHUNK] == 10))
                if lines > limits.max_lines:
                    raise error(limits.too_long())
        finally:
            del data  # the map cannot close while NumPy holds a view of it


def _zip_member(path: Path, size: int, error: type[ScoringError], limits: Limits) -> Iterator[Path]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise error("The .zip file is damaged; create it again.") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX/")
                   and not Path(m.filename).name.startswith(".")]
        if not members:
            raise error("The .zip file holds no file; put your CSV in it.")
        if len(members) > 1:
            raise error(f"The .zip file holds {len(members)} files ({_few([m.filename for m in members], 3)}); "
                        "it must hold exactly one CSV.")
        member = members[0]
        if member.file_size > limits.max_bytes:
            raise error(limits.too_large(f"The CSV inside the .zip is {_megabytes(member.file_size)},"))
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise error("The .zip file expands more than 100-fold; that looks like a compression bomb, "
                        "so it was not opened.")
        try:
            with archive.open(member) as source, _limited_copy(source, size, error, limits) as plain:
                yield plain
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
            raise error(f"The .zip file cannot be read ({exc}); use standard ZIP compression.") from None


class _Readable(Protocol):
    """A binary stream: a GzipFile or a member of a ZipFile."""

    def read(self, size: int, /) -> bytes: ...


@contextlib.contextmanager
def _limited_copy(source: _Readable, compressed_size: int, error: type[ScoringError], limits: Limits) -> Iterator[Path]:
    """Decompress into a temporary file, refusing oversize output and bombs as they happen."""
    fd, name = tempfile.mkstemp(suffix=".csv")
    try:
        written = lines = 0
        with os.fdopen(fd, "wb") as out:
            try:
                while chunk := source.read(CHUNK):
                    written += len(chunk)
                    if written > limits.max_bytes:
                        raise error(limits.too_large("The file expands to"))
                    if limits.max_lines is not None:
                        lines += chunk.count(b"\n")
                        if lines > limits.max_lines:
                            raise error(limits.too_long())
                    if written > RATIO_FLOOR and written > MAX_RATIO * compressed_size:
                        raise error("The compressed file expands more than 100-fold; that looks like a "
                                    "compression bomb, so it was not read.")
                    out.write(chunk)
            except (OSError, EOFError, zipfile.BadZipFile) as exc:
                raise error(f"The compressed file is damaged ({exc}); compress it again.") from None
        if written == 0:
            raise error("The file is empty.")
        yield Path(name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


def read_header(path: Path, error: type[ScoringError], expected: str = "") -> list[str]:
    """The column names on line 1 (a UTF-8 byte-order mark is ignored).

    Line 1 must end within MAX_HEADER_BYTES and name at most MAX_COLUMNS columns; both are checked
    before anything else is parsed. ``expected`` names the columns wanted, for the messages.
    """
    wanted = f"; the file needs only the columns {expected}" if expected else ""
    with Path(path).open("rb") as handle:
        first = handle.readline(MAX_HEADER_BYTES + 1)
    if len(first) > MAX_HEADER_BYTES:
        raise error(f"Line 1 is longer than {_megabytes(MAX_HEADER_BYTES)}; it should only name the columns{wanted}.")
    if first.count(b",") >= MAX_COLUMNS:
        raise error(f"Line 1 has {first.count(b',') + 1:,} columns; at most {MAX_COLUMNS:,} are read{wanted}.")
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"The file is not UTF-8 text (line 1, byte {exc.start + 1}). Save it as “CSV UTF-8”.") from None
    try:
        names = next(csv.reader(io.StringIO(text)), [])
    except csv.Error:
        raise error("Line 1 is not a CSV header; it should name the columns, e.g. id,target.") from None
    names = [n.strip() for n in names]
    if not names or names == [""]:
        raise error("The file is empty: line 1 should name the columns.")
    blank = [i + 1 for i, n in enumerate(names) if not n]
    if blank:
        raise error(f"Column {blank[0]} on line 1 has no name.")
    seen: set[str] = set()
    for n in names:
        if len(n) > MAX_VALUE_LENGTH:
            raise error(f"A column name on line 1 is {len(n):,} characters long; names may be at most "
                        f"{MAX_VALUE_LENGTH:,}{wanted}.")
        if n in seen:
            raise error(f"The column {n} appears twice on line 1.")
        seen.add(n)
    return names


def _line_of_bad_utf8(path: Path) -> tuple[int, int]:
    """(line, byte in that line) of the first invalid UTF-8 sequence."""
    line, carry = 1, b""
    with Path(path).open("rb") as handle:
        while chunk := handle.read(CHUNK):
            data = carry + chunk
            try:
                data.decode("utf-8")
                carry = b""
            except UnicodeDecodeError as exc:
                if exc.end < len(data) or len(data) - exc.start > 3:
                    before = data[: exc.start]
                    return line + before.count(b"\n"), exc.start - (before.rfind(b"\n") + 1) + 1
                carry = data[exc.start:]
                data = data[: exc.start]
            line += data.count(b"\n")
    return line, 1


def _bad_field_count(path: Path, expected: int) -> tuple[int, int, bool] | None:
    """(line, fields, left open) of the first row whose number of fields is not ``expected``: the
    line it starts on, and whether a quote opened on it is never closed (the row runs on to the
    end of the file).

    Raises UnicodeDecodeError on a byte that is not UTF-8 and csv.Error on a line the csv module
    refuses; the caller turns both into messages.
    """
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        start = 1
        try:
            for row in reader:
                if row and len(row) != expected:
                    return start, len(row), reader.line_num > start and next(reader, None) is None
                start = reader.line_num + 1
        except csv.Error as exc:
            # A field over the csv module's 128 KB: a quote left open that runs on, or a long value.
            if "field larger than field limit" in str(exc) and _odd_quotes_from(path, start):
                return start, 0, True
            raise
    return None


def _odd_quotes_from(path: Path, line: int) -> bool:
    """Whether the file holds an odd number of quote characters from the start of ``line`` on: a
    quote opened there is never closed (a quoted field holds its quotes doubled)."""
    count, seen = 0, 1  # quotes counted; the line the reading is on
    with Path(path).open("rb") as handle:
        while chunk := handle.read(CHUNK):
            start = 0
            while seen < line and (end := chunk.find(b"\n", start)) >= 0:
                seen, start = seen + 1, end + 1
            if seen >= line:
                count += chunk.count(b'"', start)
    return count % 2 == 1


def read_columns(path: Path, names: list[str], types: dict[str, str], error: type[ScoringError],
                 what: str = "file", max_lengths: dict[str, int] | None = None) -> dict[str, pa.Array]:
    """Read the named columns with the given types ("int64", "float64", "string", "category").

    Numbers may use scientific notation; quoted fields and CRLF line ends are fine. A value that
    is not of its column's type is reported with its line number, and so is a text value that is
    blank, holds a line break, or is longer than its column's limit (``max_lengths``, else
    MAX_VALUE_LENGTH characters).
    """
    arrow_types = {n: {"int64": pa.int64(), "float64": pa.float64(), "string": pa.string(),
                       "category": pa.dictionary(pa.int32(), pa.string())}[t] for n, t in types.items()}
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=16 * 1024 * 1024, column_names=names, skip_rows=1),
            # A quoted line break is parsed wherever it falls (without this, one that straddles
            # the edge of a 16 MB block would be read as a line with too few fields) and then
            # refused by _refuse_line_breaks with its line number.
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=arrow_types, include_columns=list(types), strings_can_be_null=False,
                quoted_strings_can_be_null=False, null_values=[""], true_values=[], false_values=[],
            ),
        )
    except pa.ArrowInvalid as exc:
        raise _explain(exc, path, names, types, error, what) from None
    columns = {name: table.column(name).combine_chunks() for name in types}
    # Line numbers count rows, which is right up to the first value holding a line break: that is
    # refused first, whatever its column, so that every other message names the right line.
    _refuse_line_breaks({n: c for n, c in columns.items() if types[n] in ("string", "category")}, error)
    for name, kind in types.items():
        column = columns[name]
        if column.null_count:
            first = int(np.flatnonzero(as_numpy(column.is_null()))[0])
            raise error(f"Line {first + 2}: the {name} value is empty.")
        if kind in ("string", "category"):
            _check_text(column, name, (max_lengths or {}).get(name, MAX_VALUE_LENGTH), error)
    return columns


def _text_values(column: pa.Array) -> pa.Array:
    return column.dictionary if pa.types.is_dictionary(column.type) else column


def _first_row(column: pa.Array, flags: pa.Array) -> int | None:
    """The first row whose value is flagged (``flags`` has a boolean per value, or per dictionary
    entry for a dictionary column), or None."""
    flagged = np.flatnonzero(as_numpy(flags))
    if pa.types.is_dictionary(column.type):
        flagged = np.flatnonzero(np.isin(as_numpy(column.indices), flagged))
    return int(flagged[0]) if flagged.size else None


def _refuse_line_breaks(columns: dict[str, pa.Array], error: type[ScoringError]) -> None:
    """Refuse the first row (over all these text columns) whose value holds a line break."""
    found = []
    for name, column in columns.items():
        values = _text_values(column)
        row = _first_row(column, pc.or_(pc.match_substring(values, "\n"), pc.match_substring(values, "\r")))
        if row is not None:
            found.append((row, name))
    if found:
        row, name = min(found)
        raise error(f"Line {row + 2}: the {name} value holds a line break; each value must be on one line "
                    f"(is a quote left open?).")


def _check_text(column: pa.Array, name: str, limit: int, error: type[ScoringError]) -> None:
    """Refuse a text value that is empty, only spaces or longer than ``limit`` characters, naming its line."""
    values = _text_values(column)
    if len(values) == 0:
        return
    # utf8_is_space is false for "": an empty value (unquoted or "") is blank too. A length cast to
    # boolean is false only for 0: comparing with a Python 0 would make pyarrow import pandas (about
    # 0.2 s, more than reading a million rows).
    blank = pc.or_(pc.utf8_is_space(values), pc.invert(pc.cast(pc.binary_length(values), pa.bool_())))
    row = _first_row(column, blank)
    if row is not None:
        raise error(f"Line {row + 2}: the {name} value is empty.")
    # Bytes bound characters from above, so most files never count characters.
    if pc.max(pc.binary_length(values)).as_py() <= limit:
        return
    lengths = pc.utf8_length(values)
    if pc.max(lengths).as_py() <= limit:
        return
    row = _first_row(column, pc.greater(lengths, limit))
    assert row is not None
    raise error(f"Line {row + 2}: the value in column {name!r} is {len(column[row].as_py()):,} characters long; "
                f"values may be at most {limit:,}.")


def _pyarrow_words(message: str) -> str:
    """pyarrow's own words in its message, without the value or row it quotes from the file (after
    " invalid value '" or ", got N: "), so that a value such as "UTF8" cannot pass for the error."""
    for quoted in (" invalid value '", ", got "):
        message = message.split(quoted, 1)[0]
    return message


def _explain(exc: Exception, path: Path, names: list[str], types: dict[str, str], error: type[ScoringError],
             what: str) -> ScoringError:
    message = str(exc)
    words = _pyarrow_words(message)
    if "UTF8" in words or "UTF-8" in words:
        return _not_utf8(path, error, what)
    if "Expected" in words and "columns" in words:
        try:
            found = _bad_field_count(path, len(names))
        except UnicodeDecodeError:
            return _not_utf8(path, error, what)
        except csv.Error:
            found = None
        if found and found[2]:
            return error(f"Line {found[0]}: a quote opened on this line is never closed.")
        if found:
            return error(f"Line {found[0]} has {found[1]} fields; the header has {len(names)}.")
        return error(f"A line has a different number of fields than the header ({message.splitlines()[0]}).")
    if "conversion error" in words:
        for name, kind in types.items():
            if kind in ("string", "category"):
                continue
            try:
                problem = _first_bad_number(path, names, name, kind)
            except pa.ArrowInvalid as again:
                if "UTF8" in _pyarrow_words(str(again)):
                    return _not_utf8(path, error, what)
                raise
            if problem:
                return error(problem)
    return error(f"The {what} cannot be read as CSV: {message.splitlines()[0]}")


def _not_utf8(path: Path, error: type[ScoringError], what: str) -> ScoringError:
    line, byte = _line_of_bad_utf8(path)
    return error(f"The {what} is not UTF-8 text (line {line}, byte {byte}). Save it as “CSV UTF-8”.")


def _first_bad_number(path: Path, names: list[str], name: str, kind: str) -> str | None:
    table = pacsv.read_csv(
        path, read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
        convert_options=pacsv.ConvertOptions(column_types={name: pa.string()}, include_columns=[name],
                                             strings_can_be_null=False),
    )
    column = table.column(name).combine_chunks()
    pattern = WHOLE_NUMBER if kind == "int64" else NUMBER
    ok = as_numpy(pc.match_substring_regex(column, pattern))
    if kind == "int64":  # the few long enough to pass int64's range are checked one by one
        for i in np.flatnonzero(ok & (as_numpy(pc.utf8_length(column)) > 18)):
            ok[i] = -(2**63) <= int(column[int(i)].as_py()) < 2**63
    if kind == "float64":
        lowered = pc.utf8_lower(pc.utf8_trim(column, " \t"))
        ok = ok | as_numpy(pc.is_in(lowered, value_set=pa.array(sorted(NON_FINITE))))
    bad = np.flatnonzero(~ok)
    if bad.size == 0:
        return None
    index = int(bad[0])
    value = column[index].as_py()
    if value.strip() == "":
        return f"Line {index + 2}: the {name} value is empty."
    noun = "a whole number" if kind == "int64" else "a number"
    return f"Line {index + 2}: the {name} value {value[:40]!r} is not {noun}."


_NUMBER_CHARACTERS = frozenset(b"0123456789+- \t\"")


def first_ids_are_integers(path: Path, sample: int = 64 * 1024) -> bool:
    """False when the first column of the first data line holds more than digits and signs.

    Then the ids cannot be read as integers, and the file is read once, as text, instead of
    failing as integers first. True means "perhaps": the caller still tries integers.
    """
    with Path(path).open("rb") as handle:
        handle.readline(MAX_HEADER_BYTES + 1)
        line = handle.readline(sample)
    first = line.split(b",", 1)[0].strip(b"\r\n")
    return not first or set(first) <= _NUMBER_CHARACTERS


def duplicate_lines(column: pa.Array, limit: int = 5) -> tuple[int, list[tuple[str, list[int]]]]:
    """How many values occur more than once, and the first few with their line numbers."""
    names = None
    if pa.types.is_integer(column.type):
        ordered = np.sort(as_numpy(column))  # a radix sort: milliseconds for millions of ids
        if not (ordered[1:] == ordered[:-1]).any():
            return 0, []
        values = as_numpy(column)
    else:
        if len(pc.unique(column)) == len(column):
            return 0, []
        encoded = pc.dictionary_encode(column)  # text → integer codes, sorted as integers
        values, names = as_numpy(encoded.indices), encoded.dictionary
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    same = ordered[1:] == ordered[:-1]
    if not same.any():
        return 0, []
    starts = np.flatnonzero(same & np.concatenate(([True], ~same[:-1])))
    examples = []
    for start in starts[:limit]:
        end = start + 1
        while end < ordered.shape[0] and ordered[end] == ordered[start]:
            end += 1
        lines = sorted(int(i) + 2 for i in order[start:end])
        value = str(ordered[start]) if names is None else names[int(ordered[start])].as_py()
        examples.append((value, lines[:5]))
    return int(starts.shape[0]), examples


def string_bytes(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A string column's value offsets and the bytes they delimit, as zero-copy NumPy views."""
    offsets = np.frombuffer(column.buffers()[1], dtype=np.int32, count=len(column) + 1, offset=column.offset * 4)
    return offsets, np.frombuffer(column.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]


def trimmed(column: pa.Array) -> pa.Array:
    """Text values without surrounding white space; the column itself when no value has any.

    Only ASCII text without spaces or control characters is certainly clean, and checking the
    bytes for that (two passes of a SIMD minimum and maximum) costs far less than copying every
    value, as trimming does.
    """
    if pa.types.is_string(column.type) and len(column) and not column.null_count:
        _offsets, data = string_bytes(column)
        if data.shape[0] == 0 or (data.min() > 0x20 and data.max() < 0x80):
            return column
    return pc.utf8_trim_whitespace(column)


def canonical_integers(column: pa.Array) -> bool:
    """True if every value is an integer written without leading zeros (safe to read as int64)."""
    return bool(pc.all(pc.match_substring_regex(column, INTEGER)).as_py())


def as_numpy(column: pa.Array) -> np.ndarray:
    """A NumPy view of a column (zero-copy for numbers without nulls).

    Numbers are read straight from Arrow's buffer: ``Array.to_numpy`` would import pandas, which
    costs more than scoring a million rows.
    """
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        # Python strings, not a fixed-width "<U…" array: that costs rows × longest value × 4 bytes.
        values = np.empty(len(column), dtype=object)
        values[:] = column.to_pylist()
        return values
    if pa.types.is_boolean(column.type) and not column.null_count:
        return as_numpy(pc.cast(column, pa.uint8())).astype(bool)
    if column.null_count:
        return np.asarray(column.to_pylist())
    dtype = np.dtype(column.type.to_pandas_dtype())
    return np.frombuffer(column.buffers()[1], dtype=dtype, count=len(column), offset=column.offset * dtype.itemsize)


def normalized_labels(column: pa.Array) -> np.ndarray:
    """Label strings with surrounding spaces removed."""
    return as_numpy(pc.utf8_trim_whitespace(column))

