"""Solutions (hidden ground truth) and scoring a submission against one."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .alignment import IdIndex, build_index
from .errors import SolutionError, SubmissionError
from .metrics import (
    ANSWERS,
    LABEL,
    PROBABILITY,
    RANKING,
    REGRESSION,
    Metric,
    answer_number,
    get_metric,
)
from .reading import (
    MAX_UNCOMPRESSED,
    MAX_VALUE_LENGTH,
    Limits,
    _few,
    _megabytes,
    as_numpy,
    canonical_integers,
    duplicate_lines,
    first_ids_are_integers,
    normalized_labels,
    plain_csv,
    read_columns,
    read_header,
    trimmed,
)

USAGE = "usage"
NUMBER_WIDTH = 24  # characters of a float written in full: -1.2345678901234567e-308
ROW_SLACK = 64  # bytes a row may carry beyond twice its widest values: quotes, spaces, CRLF, long decimals
FILE_SLACK = 16 * 1024**2  # bytes any submission may have beyond its rows
LINE_SLACK = 1000  # lines beyond one per id (blank lines at the end, a stray note)


@dataclass(frozen=True)
class Solution:
    """The hidden ground truth of a round, aligned by id."""

    metric: Metric
    id_column: str
    target_column: str
    ids: pa.Array  # int64 when every id is a plain integer, else string
    targets: np.ndarray
    public: np.ndarray  # bool mask: the Public part
    id_width: int = 20  # characters of the longest id
    target_width: int = NUMBER_WIDTH  # characters of the longest target (NUMBER_WIDTH for numbers)
    index: IdIndex | None = None  # built from ``ids`` when not given

    def __post_init__(self) -> None:
        if self.index is None:
            object.__setattr__(self, "index", build_index(self.ids))

    @property
    def id_index(self) -> IdIndex:
        """The index, always there once the solution is made (``index`` is only None before)."""
        assert self.index is not None  # __post_init__ builds it
        return self.index

    @functools.cached_property
    def part_targets(self) -> tuple[np.ndarray, np.ndarray]:
        """The targets of the Public and of the Private part, in row order (kept with the solution)."""
        return self.targets[self.public], self.targets[~self.public]

    @property
    def nbytes(self) -> int:
        """Memory the solution holds: its columns and its index."""
        arrays = (self.targets, self.public, *self.part_targets)
        total: int = self.ids.nbytes + sum(a.nbytes for a in arrays) + self.id_index.nbytes
        if self.targets.dtype == object:  # text labels or map@K lists: Python strings
            total += 2 * sum(len(v) + 49 for v in self.targets)
        return total

    @property
    def columns(self) -> list[str]:
        """The columns a submission must have."""
        return [self.id_column, self.target_column]

    @property
    def rows(self) -> int:
        return int(self.public.shape[0])

    @property
    def public_rows(self) -> int:
        return int(np.count_nonzero(self.public))

    @property
    def integer_labels(self) -> bool:
        return self.metric.kind == LABEL and self.targets.dtype.kind == "i"

    @property
    def value_limit(self) -> int:
        """Characters a submitted target may have: MAX_VALUE_LENGTH, more for map@K's lists."""
        if self.metric.kind == RANKING:
            return max(MAX_VALUE_LENGTH, 2 * self.target_width, 100 * (self.metric.k or 1))
        return MAX_VALUE_LENGTH

    def submission_limits(self) -> Limits:
        """The most a submission for this solution can sensibly be, implied by the solution.

        A row holds an id and a target: it may take twice the widest id and target in the
        solution plus ROW_SLACK bytes (quotes, spaces, CRLF, long decimals), and the file
        FILE_SLACK more; lines may exceed the ids by LINE_SLACK. For 1,000,000 integer ids and
        probabilities that is 142 MB, where a real file is about 17 MB.
        """
        per_row = 2 * (self.id_width + self.target_width) + ROW_SLACK
        typical = self.rows * (self.id_width + min(self.target_width, 10) + 2) + 64
        expected = (f"a submission for this competition has {self.rows:,} rows and should be about "
                    f"{_megabytes(typical)}")
        return Limits(max_bytes=min(MAX_UNCOMPRESSED, self.rows * per_row + FILE_SLACK),
                      max_lines=self.rows + 1 + LINE_SLACK, expected=expected)


@dataclass(frozen=True)
class Score:
    metric: str
    public: float
    private: float
    rows: int


def _metric(metric: Metric | str) -> Metric:
    return metric if isinstance(metric, Metric) else get_metric(metric)


def load_solution(path: str | Path, metric: Metric | str, *, parts: bool = True) -> Solution:
    """Read and check a solution: id column first, one target column, and Usage = Public/Private.

    With ``parts=False`` (a lab's answer key) there is no Usage column: every row is one part,
    scored whole by :func:`score_whole`. Raises SolutionError with a message a host can act on.
    """
    metric = _metric(metric)
    if not parts:
        return _load_key(Path(path), metric)
    with plain_csv(Path(path), SolutionError) as plain:
        names = read_header(plain, SolutionError, expected="id, target, Usage")
        usage = [n for n in names if n.lower() == USAGE]
        if not usage:
            raise SolutionError("The solution needs a Usage column saying Public or Private for each row "
                                f"(found columns: {', '.join(names)}).")
        targets = [n for n in names[1:] if n.lower() != USAGE]
        if names[0].lower() == USAGE:
            raise SolutionError("The first column of the solution must be the id column, not Usage.")
        if len(targets) != 1:
            raise SolutionError(f"The solution must have the id column, one target column and Usage; "
                                f"found {len(targets)} target columns ({', '.join(targets) or 'none'}).")
        id_name, target_name, usage_name = names[0], targets[0], usage[0]
        target_type = "float64" if metric.kind in (PROBABILITY, REGRESSION) else "string"
        columns = _read_with_ids(plain, names, id_name, {target_name: target_type, usage_name: "category"})
    ids = columns[id_name]
    index = _unique_index(ids, "The solution")
    usage_column = columns[usage_name]
    words = [str(w).strip().lower() for w in usage_column.dictionary.to_pylist()]
    codes = as_numpy(usage_column.indices)
    public = np.array([w == "public" for w in words], dtype=bool)[codes]  # a lookup per row, not a search
    private = np.array([w == "private" for w in words], dtype=bool)[codes]
    wrong = np.flatnonzero(~(public | private))
    if wrong.size:
        value = usage_column[int(wrong[0])].as_py()
        raise SolutionError(f"Line {int(wrong[0]) + 2}: Usage is {value!r}; it must be Public or Private.")
    if not public.any() or not private.any():
        missing = "Public" if not public.any() else "Private"
        raise SolutionError(f"The solution has no {missing} rows; both the Public and the Private part need rows.")
    truth = _solution_targets(columns[target_name], metric, target_name)
    solution = Solution(metric=metric, id_column=id_name, target_column=target_name, ids=ids, targets=truth,
                        public=public, id_width=_width(ids), index=index,
                        target_width=_width(columns[target_name]) if target_type == "string" else NUMBER_WIDTH)
    _check_parts(solution.part_targets, metric)
    return solution


def _load_key(path: Path, metric: Metric) -> Solution:
    """A lab's answer key: the id column and one target column, every row scored together."""
    with plain_csv(path, SolutionError) as plain:
        names = read_header(plain, SolutionError, expected="id, target")
        if len(names) != 2:
            raise SolutionError(f"The answer key must have exactly two columns, the id and the target; found "
                                f"{len(names)} ({_few(names)}).")
        id_name, target_name = names
        target_type = "float64" if metric.kind in (PROBABILITY, REGRESSION) else "string"
        columns = _read_with_ids(plain, names, id_name, {target_name: target_type})
    ids = columns[id_name]
    index = _unique_index(ids, "The answer key")
    truth = _solution_targets(columns[target_name], metric, target_name)
    if metric.name == "auc" and int(np.count_nonzero(truth)) in (0, truth.shape[0]):
        raise SolutionError("The answer key has only one class; AUC needs both classes (0 and 1).")
    return Solution(metric=metric, id_column=id_name, target_column=target_name, ids=ids, targets=truth,
                    public=np.ones(len(ids), dtype=bool), id_width=_width(ids), index=index,
                    target_width=_width(columns[target_name]) if target_type == "string" else NUMBER_WIDTH)


def _unique_index(ids: pa.Array, what: str) -> IdIndex:
    """The index of a solution's ids, which must be there and be unique."""
    if len(ids) == 0:
        raise SolutionError(f"{what} has no rows.")
    index = build_index(ids)
    if index.has_duplicates():
        count, examples = duplicate_lines(ids)
        shown = "; ".join(f"{value} on lines {', '.join(map(str, lines))}" for value, lines in examples)
        raise SolutionError(f"{what} has {count} duplicate ids: {shown}.")
    return index


def _width(column: pa.Array) -> int:
    """Characters of the longest value (bytes for text: an upper bound)."""
    if pa.types.is_integer(column.type):
        low, high = pc.min_max(column).values()
        return max(len(str(low.as_py())), len(str(high.as_py())))
    return int(pc.max(pc.binary_length(column)).as_py() or 0)


def _read_with_ids(plain: Path, names: list[str], id_name: str, others: dict[str, str]) -> dict[str, pa.Array]:
    """Ids are integers when every id parses as one (fast to align), text otherwise."""
    if not first_ids_are_integers(plain):  # e.g. r0, r1, …: read as text at once, not twice
        columns = read_columns(plain, names, {id_name: "string", **others}, SolutionError, what="solution")
        columns[id_name] = trimmed(columns[id_name])
        return columns
    try:
        return read_columns(plain, names, {id_name: "int64", **others}, SolutionError, what="solution")
    except SolutionError as exc:
        # Any id that is not a whole number (or is blank) is read again as text, which names the
        # file's first problem: a value with a line break before it shifts the rows' line numbers.
        if f"the {id_name} value" not in str(exc):
            raise
    columns = read_columns(plain, names, {id_name: "string", **others}, SolutionError, what="solution")
    columns[id_name] = trimmed(columns[id_name])
    return columns


def _solution_targets(column: pa.Array, metric: Metric, name: str) -> np.ndarray:
    if metric.kind == RANKING:
        return as_numpy(column)
    if metric.kind == ANSWERS:
        return normalized_labels(column)  # read_columns refused blank answers
    if metric.kind == LABEL:
        labels = pc.utf8_trim_whitespace(column)
        if canonical_integers(labels):
            values = as_numpy(pc.cast(labels, pa.int64()))
        else:
            values = normalized_labels(column)
        if metric.name == "f1" and not np.isin(values, [0, 1]).all():
            raise SolutionError(f"Binary F1 needs {name} to be 0 or 1 in every row.")
        return values
    values = as_numpy(column).astype(np.float64)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise SolutionError(f"Line {int(bad[0]) + 2}: {name} is {values[bad[0]]}; targets must be finite numbers.")
    if metric.kind == PROBABILITY:
        bad = np.flatnonzero((values != 0) & (values != 1))
        if bad.size:
            raise SolutionError(f"Line {int(bad[0]) + 2}: {name} is {values[bad[0]]:g}; "
                                f"{metric.name} needs targets of 0 or 1.")
        return values.astype(np.int8)  # a byte per row: less memory to keep, faster to gather
    if metric.name == "rmsle":
        bad = np.flatnonzero(values < 0)
        if bad.size:
            raise SolutionError(f"Line {int(bad[0]) + 2}: {name} is negative; rmsle needs targets of 0 or more.")
    if metric.name == "mape":
        bad = np.flatnonzero(values == 0)
        if bad.size:
            raise SolutionError(f"Line {int(bad[0]) + 2}: {name} is 0; mape divides by the target, so targets "
                                "must not be 0.")
    return values


def _check_parts(parts: tuple[np.ndarray, np.ndarray], metric: Metric) -> None:
    if metric.name != "auc":
        return
    for part, truth in zip(("Public", "Private"), parts, strict=True):
        positives = int(np.count_nonzero(truth))  # targets are 0 or 1 (checked before)
        if positives in (0, truth.shape[0]):
            only = 1 if positives else 0
            raise SolutionError(f"The {part} part has only class {only}; AUC needs both classes (0 and 1) "
                                "in each part.")


def score(solution: Solution, submission: str | Path, metric: Metric | str | None = None, *,
          max_bytes: int | None = None) -> Score:
    """Validate a submission against the solution and score its Public and Private parts.

    The file may be as large as the solution implies (``Solution.submission_limits``), and no
    larger than ``max_bytes`` when given. Raises SubmissionError with a message a participant can
    act on.
    """
    metric = solution.metric if metric is None else _metric(metric)
    aligned, rows = _aligned(solution, submission, metric, max_bytes)
    public_targets, private_targets = solution.part_targets
    return Score(metric=metric.name, public=metric(public_targets, aligned[solution.public]),
                 private=metric(private_targets, aligned[~solution.public]), rows=rows)


def score_whole(solution: Solution, submission: str | Path, *, max_bytes: int | None = None) -> tuple[float, int]:
    """(score over every row, rows) of a submission against a key without parts (a lab's)."""
    aligned, rows = _aligned(solution, submission, solution.metric, max_bytes)
    return solution.metric(solution.targets, aligned), rows


def score_key_files(key_path: str | Path, submission_path: str | Path, metric: Metric | str,
                    max_bytes: int | None = None) -> tuple[float, int]:
    """Load a lab's answer key and score the submission whole: the job a worker runs in a child process."""
    return score_whole(load_solution(key_path, metric, parts=False), submission_path, max_bytes=max_bytes)


def _aligned(solution: Solution, submission: str | Path, metric: Metric,
             max_bytes: int | None) -> tuple[np.ndarray, int]:
    """The submission's predictions in the solution's row order, after every check."""
    limits = solution.submission_limits()
    if max_bytes is not None and max_bytes < limits.max_bytes:
        limits = Limits(max_bytes=max_bytes, max_lines=limits.max_lines, expected=limits.expected)
    with plain_csv(Path(submission), SubmissionError, limits) as plain:
        names = read_header(plain, SubmissionError, expected=", ".join(solution.columns))
        expected = solution.columns
        missing = [c for c in expected if c not in names]
        extra = [c for c in names if c not in expected]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
            if extra:
                parts.append(f"unexpected column{'s' if len(extra) > 1 else ''} {_few(extra)}")
            raise SubmissionError(f"The header has {' and '.join(parts)}. Expected exactly: {','.join(expected)}.")
        id_type = "int64" if pa.types.is_integer(solution.ids.type) else "string"
        value_type = "float64" if metric.kind in (PROBABILITY, REGRESSION) else "string"
        if solution.integer_labels:
            value_type = "float64"
        columns = read_columns(plain, names, {solution.id_column: id_type, solution.target_column: value_type},
                               SubmissionError, what="submission",
                               max_lengths={solution.target_column: solution.value_limit})
    ids = columns[solution.id_column]
    if id_type == "string":
        ids = trimmed(ids)
    rows = len(ids)
    if rows == 0:
        raise SubmissionError(f"The file has a header but no rows; it needs one row for each of the "
                              f"{solution.rows} ids.")
    position = solution.id_index.positions(ids)
    if rows != solution.rows or not _one_each(position, solution.rows):
        _refuse_ids(ids, position, solution)
    predictions = _predictions(columns[solution.target_column], metric, solution)
    if metric.kind == ANSWERS:
        _check_answer_numbers(ids, position, predictions, solution)
    aligned = np.empty(solution.rows, dtype=predictions.dtype)
    aligned[position] = predictions  # in the solution's order, whatever the file's: the same file scores the same
    del predictions, columns, ids, position
    return aligned, rows


def _one_each(position: np.ndarray, rows: int) -> bool:
    """True if ``position`` (as many as ``rows``) holds every row 0..rows-1, hence each exactly once."""
    if position.shape[0] and position.min() < 0:
        return False
    seen = np.zeros(rows, dtype=bool)
    seen[position] = True
    return bool(seen.all())


def _refuse_ids(ids: pa.Array, position: np.ndarray, solution: Solution) -> None:
    """Say what is wrong with the ids: duplicates first, then unknown, then missing ones."""
    count, examples = duplicate_lines(ids)
    if count:
        shown = "; ".join(f"{value} on lines {', '.join(map(str, lines))}" for value, lines in examples)
        if solution.metric.kind == ANSWERS:
            raise SubmissionError(f"{count} questions are answered more than once: {shown}. Answer each once.")
        raise SubmissionError(f"{count} ids appear more than once: {shown}.")
    unknown = np.flatnonzero(position < 0)
    if unknown.size:
        values = [ids[int(i)].as_py() for i in unknown[:5]]
        if solution.metric.kind == ANSWERS:
            raise SubmissionError(f"{unknown.shape[0]} question ids are not questions of this lab: {_few(values)} "
                                  f"(line {int(unknown[0]) + 2}). The questions are {_few(solution.ids.to_pylist())}.")
        raise SubmissionError(f"{unknown.shape[0]} ids are not in the test set, e.g. {_few(values)} "
                              f"(line {int(unknown[0]) + 2}).")
    present = np.zeros(solution.rows, dtype=bool)
    present[position] = True
    absent = np.flatnonzero(~present)
    values = [solution.ids[int(i)].as_py() for i in absent[:5]]
    if solution.metric.kind == ANSWERS:
        raise SubmissionError(f"{absent.shape[0]} questions have no answer: {_few(values)}. Answer each of the "
                              f"{solution.rows} questions once.")
    raise SubmissionError(f"{absent.shape[0]} ids of the test set are missing, e.g. {_few(values)}. "
                          f"Submit one row for each of the {solution.rows} ids.")


def _check_answer_numbers(ids: pa.Array, position: np.ndarray, answers: np.ndarray, solution: Solution) -> None:
    """A question whose key is a number needs a number, not words or units (a file's first such line)."""
    for line, (row, given) in enumerate(zip(position, answers, strict=True)):
        if answer_number(solution.targets[int(row)]) is not None and answer_number(given) is None:
            raise SubmissionError(f"Line {line + 2}: the answer to {ids[line].as_py()} is {str(given)[:40]!r}; "
                                  "this question needs a number, such as 1234.56 (no units, currency signs or "
                                  "thousands separators).")


def _predictions(column: pa.Array, metric: Metric, solution: Solution) -> np.ndarray:
    name = solution.target_column
    if metric.kind == RANKING:
        return as_numpy(column)
    if metric.kind == ANSWERS:
        return normalized_labels(column)
    if metric.kind == LABEL and not solution.integer_labels:
        return normalized_labels(column)
    values = as_numpy(column).astype(np.float64, copy=False)
    finite = np.isfinite(values)
    if not finite.all():
        bad = int(np.flatnonzero(~finite)[0])
        raise SubmissionError(f"Line {bad + 2}: {name} is {values[bad]}; NaN and infinity are not allowed.")
    if metric.kind == LABEL:
        whole = values == np.round(values)
        if not whole.all():
            bad = int(np.flatnonzero(~whole)[0])
            raise SubmissionError(f"Line {bad + 2}: {name} is {values[bad]:g}; predict a class label such as "
                                  f"{_few(np.unique(solution.targets)[:3].tolist(), 3)}, not a probability.")
        return values.astype(np.int64)
    if metric.kind == PROBABILITY:
        outside = (values < 0) | (values > 1)
        if outside.any():
            bad = int(np.flatnonzero(outside)[0])
            raise SubmissionError(f"Line {bad + 2}: {name} is {values[bad]:g}; probabilities must be between 0 "
                                  "and 1.")
    if metric.name == "rmsle":
        negative = values < 0
        if negative.any():
            bad = int(np.flatnonzero(negative)[0])
            raise SubmissionError(f"Line {bad + 2}: {name} is {values[bad]:g}; rmsle needs predictions of 0 or "
                                  "more.")
    return values


def score_files(solution_path: str | Path, submission_path: str | Path, metric: Metric | str) -> Score:
    """Load the solution and score the submission: the whole job, as a worker runs it in a child process."""
    solution = load_solution(solution_path, metric)
    return score(solution, submission_path, metric)
