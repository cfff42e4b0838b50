"""Reading a course bundle someone uploaded: what it may hold, how large it may be, and YAML that
cannot explode. Everything here is checked before the work it would cost.

What a bundle may hold (paths inside its course folder)::

    course.yaml
    NN-…/module.yaml
    NN-…/NN-….md, NN-….vtt, NN-….yaml    a lesson, its captions, transcript (.transcript.md) and questions
    NN-…/….mp4, .m4v, .webm              a video a lesson's front matter names
    assessments/….yaml                   a graded assessment that is not a lesson

Ignored without being read: hidden files and folders (``.git/``, ``.gitattributes``, ``.DS_Store``),
``__MACOSX/``, ``Thumbs.db`` and ``desktop.ini`` (what operating systems put in zips), and notes at the
top (README, LICENSE, CHANGELOG, CONTRIBUTING, AUTHORS, NOTICE, with any extension). Any other file is
refused before anything is unpacked: the bundle does not use it. A module folder's file that no lesson
claims is refused by the parser, which knows which lessons there are.

Limits:

* the zip, and everything it unpacks to: ``FORWARD_BUNDLE_MAX_MB`` (default 200); at most
  ``MAX_FILES`` files;
* each text file (YAML, Markdown, captions): ``MAX_TEXT_BYTES``; each video: the bundle's limit (and
  never more than a studio upload);
* sizes are taken from the zip's directory before anything is unpacked, and counted again while
  unpacking, so a header that understates a size gains nothing;
* YAML: no anchors or aliases (``&a``/``*a``: the "billion laughs" that makes a small file into a
  huge structure), at most ``MAX_YAML_DEPTH`` levels of nesting, ``MAX_YAML_NODES`` values per file and
  ``MAX_BUNDLE_YAML_NODES`` in the whole bundle (PyYAML needs about 0.1 ms a value), and no text
  longer than ``MAX_YAML_TEXT`` characters.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import os
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import IO

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .authoring import MAX_VIDEO_BYTES, VIDEO_TYPES

MAX_FILES = 5000
MAX_TEXT_BYTES = 5 * 1024 ** 2  # as much as the studio's forms accept in one request
MAX_YAML_DEPTH = 20  # a course needs 5 (course.yaml → grading_policy → types → a type → its weight)
MAX_YAML_NODES = 30_000  # a pool of 2,000 questions (about 14 values each): some 4 s of PyYAML
MAX_BUNDLE_YAML_NODES = 60_000  # some 7 s; a large course needs a third of it
MAX_YAML_TEXT = 1_000_000
CHUNK = 1024 ** 2
DIRECTORY_ENTRY_BYTES = 512  # an entry of the zip's directory: 46 bytes, the name and extra fields

MODULE_DIR = re.compile(r"^(\d+)-")
LESSON_PART = re.compile(r"^\d+-[^/]*\.(md|vtt|yaml)$")
NOTES = re.compile(r"^(readme|licen[cs]e|changelog|contributing|authors|notice|copying)(\.[A-Za-z0-9]+)?$",
                   re.IGNORECASE)
OS_JUNK = {"__macosx", "thumbs.db", "desktop.ini"}

# A zipped bundle as `open_zip` takes it: its bytes, its path, or a binary file open on it.
ZipSource = bytes | bytearray | str | Path | IO[bytes]


def max_bytes() -> int:
    """The largest bundle, zipped or unpacked (``FORWARD_BUNDLE_MAX_MB``)."""
    return settings.FORWARD_BUNDLE_MAX_MB * 1024 ** 2


def _size(limit: int) -> str:
    return filesizeformat(limit)


# --- YAML ---------------------------------------------------------------------------------------

_nodes_left: contextvars.ContextVar[int | None] = contextvars.ContextVar("bundle_yaml_nodes_left", default=None)


class _Refused(Exception):
    def __init__(self, event: yaml.Event, message: str) -> None:
        self.line = event.start_mark.line if event.start_mark is not None else 0  # counted from 0
        self.message = message
        super().__init__(message)


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses anchors and aliases and counts what it builds, before it
    builds it (the composer asks for each node in turn; the check comes first)."""

    def __init__(self, stream: str, *, budget: int) -> None:
        super().__init__(stream)
        self._depth, self._nodes, self._budget = 0, 0, budget

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]  # types-PyYAML leaves it unannotated
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event, _("YAML aliases (*%(name)s) are not allowed; write the value out")
                           % {"name": event.anchor})
        if getattr(event, "anchor", None) is not None:
            raise _Refused(event, _("YAML anchors (&%(name)s) are not allowed; write the value out")
                           % {"name": event.anchor})
        self._nodes += 1
        if self._nodes > MAX_YAML_NODES:
            raise _Refused(event, _("more than %(n)d values in one file; split it")
                           % {"n": MAX_YAML_NODES})
        if self._nodes > self._budget:
            raise _Refused(event, _("the bundle's YAML files hold more than %(n)d values together; "
                                               "make the course smaller") % {"n": MAX_BUNDLE_YAML_NODES})
        if isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_YAML_TEXT:
            raise _Refused(event, _("a text longer than %(n)d characters") % {"n": MAX_YAML_TEXT})
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise _Refused(event, _("nested more than %(n)d levels deep") % {"n": MAX_YAML_DEPTH})
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _text(path: str, data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("%(path)s is not UTF-8 text (byte %(at)d). Save it as UTF-8.")
                              % {"path": path, "at": exc.start}) from None
    if "\x00" in text:
        raise ValidationError(_("%(path)s contains a NUL character, which a course cannot hold. Remove it.")
                              % {"path": path})
    return text


def _load(path: str, data: bytes, *, first_line: int = 1) -> object:
    """One YAML document, within the limits above; inside ``yaml_budget()`` the values count against
    the whole bundle's."""
    text = _text(path, data)
    left = _nodes_left.get()
    loader = _Loader(text, budget=MAX_BUNDLE_YAML_NODES if left is None else left)
    try:
        return loader.get_single_data()
    except _Refused as exc:
        raise ValidationError(_("%(path)s line %(line)d: %(problem)s.")
                              % {"path": path, "line": exc.line + first_line, "problem": exc.message}) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = _("%(path)s (line %(line)d)") % {"path": path, "line": mark.line + first_line} if mark else path
        problem = getattr(exc, "problem", None) or str(exc)
        raise ValidationError(_("%(where)s is not valid YAML: %(problem)s. Check the indentation, and put text "
                                "with “: ” or a leading special character in quotes.")
                              % {"where": where, "problem": problem}) from None
    except (ValueError, OverflowError, RecursionError) as exc:  # e.g. a date 2027-02-30, a 5,000-digit number
        raise ValidationError(_("%(path)s holds a value that cannot be read (%(error)s). Put it in quotes, or "
                                "correct it.") % {"path": path, "error": exc}) from None
    finally:
        loader.dispose()
        if left is not None:
            _nodes_left.set(left - loader._nodes)


@contextlib.contextmanager
def yaml_budget() -> Iterator[None]:
    """Count the YAML values of every file read inside the block against one bundle's limit."""
    token = _nodes_left.set(MAX_BUNDLE_YAML_NODES)
    try:
        yield
    finally:
        _nodes_left.reset(token)


# --- What a bundle holds --------------------------------------------------------------------------

def _safe(path: str) -> str:
    clean = path.replace("\\", "/")
    parts = [part for part in clean.split("/") if part not in ("", ".")]
    if clean.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
        raise ValidationError(_("The bundle contains the path %(path)s, which points outside it. Make the zip "
                                "from the course folder.") % {"path": path})
    return "/".join(parts)


def _hidden(path: str) -> bool:
    """Hidden files and what operating systems add to zips: never read."""
    return any(part.startswith(".") or part.lower() in OS_JUNK for part in path.split("/"))


def _course_file(path: str) -> bool:
    parts = path.split("/")
    if len(parts) == 1:
        return parts[0] == "course.yaml"
    if len(parts) != 2:
        return False
    folder, name = parts
    if folder == "assessments":
        return name.endswith(".yaml")
    return bool(MODULE_DIR.match(folder)) and (name == "module.yaml" or bool(LESSON_PART.match(name))
                                              or PurePosixPath(name).suffix.lower() in VIDEO_TYPES)


def _limit(path: str) -> int:
    if PurePosixPath(path).suffix.lower() in VIDEO_TYPES:
        return min(MAX_VIDEO_BYTES, max_bytes())
    return MAX_TEXT_BYTES


def _too_many(count: int, total: int) -> None:
    if count > MAX_FILES:
        raise ValidationError(_("The bundle holds more than %(n)d files; a course has fewer.") % {"n": MAX_FILES})
    if total > max_bytes():
        raise ValidationError(_("The bundle unpacks to more than %(size)s. Link to large videos instead of "
                                "including them.") % {"size": _size(max_bytes())})


def select(entries: list[tuple[str, int]]) -> dict[str, tuple[str, int]]:
    """Which of a bundle's files to read: ``(name in the zip or folder, size)`` pairs in, the files the
    course uses out (path inside the course folder → (name, size)). Refuses, before anything is read,
    paths that point outside the bundle, files the bundle does not use and files over their limit."""
    _too_many(len(entries), 0)
    chosen: dict[str, tuple[str, int]] = {}
    for name, size in entries:
        path = _safe(name)
        if not path or _hidden(path):
            continue
        if path in chosen:
            raise ValidationError(_("The zip holds %(path)s twice.") % {"path": path})
        chosen[path] = (name, size)
    if "course.yaml" not in chosen:
        roots = {path.split("/", 1)[0] for path in chosen}
        root = f"{roots.pop()}/" if len(roots) == 1 else ""
        if not root or f"{root}course.yaml" not in chosen:
            raise ValidationError(_("The bundle has no course.yaml at its top (or in its one top folder). Export "
                                    "a course to see the layout."))
        chosen = {path[len(root):]: item for path, item in chosen.items()}
    chosen = {path: item for path, item in chosen.items() if not ("/" not in path and NOTES.match(path))}
    unused = sorted(path for path in chosen if not _course_file(path))
    if unused:
        for path in unused:
            top, _sep, rest = path.partition("/")
            if rest == "module.yaml":
                raise ValidationError(_("%(path)s: a module folder's name starts with its number, such as "
                                        "01-%(name)s.") % {"path": path, "name": top})
            if top == "assessments":
                raise ValidationError(_("%(path)s: the assessments folder holds only .yaml files.") % {"path": path})
        shown = ", ".join(unused[:5]) + (_(" and %(n)d more") % {"n": len(unused) - 5} if len(unused) > 5 else "")
        raise ValidationError(_("The bundle holds files it does not use: %(paths)s. Remove them: a bundle holds "
                                "course.yaml, module folders (NN-…/) with their lessons and videos, and "
                                "assessments/.") % {"paths": shown})
    for path, (_name, size) in sorted(chosen.items()):
        if size > _limit(path):
            raise ValidationError(_("%(path)s is larger than %(limit)s (it holds %(size)s). Make it smaller, or "
                                    "link to a large video instead of including it.")
                                  % {"path": path, "limit": _size(_limit(path)), "size": _size(size)})
    _too_many(len(chosen), sum(size for _name, size in chosen.values()))
    return chosen


def _read_at_most(path: str, stream: IO[bytes], size: int) -> bytes:
    """Read a member, never more than it declared: a header can lie."""
    parts: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(CHUNK, size - total + 1))
        if not chunk:
            break
        total += len(chunk)
        if total > size:
            raise ValidationError(_("%(path)s unpacks to more than the zip says it holds. Make the zip again.")
                                  % {"path": path})
        parts.append(chunk)
    return b"".join(parts)


def check_upload_size(size: int) -> None:
    if size > max_bytes():
        raise ValidationError(_("The zip is larger than %(limit)s, the largest course bundle this site accepts. "
                                "Link to large videos instead of including them.") % {"limit": _size(max_bytes())})


class ZipBundle(Mapping[str, bytes]):
    """The files a zipped bundle's course uses (path inside the course folder → bytes), each unpacked
    when first asked for: a video no lesson names is never unpacked."""

    def __init__(self, archive: zipfile.ZipFile, chosen: dict[str, tuple[str, int]]) -> None:
        self._archive, self._chosen = archive, chosen
        self._read: dict[str, bytes] = {}

    def sizes(self) -> list[tuple[str, int]]:
        return [(path, size) for path, (_name, size) in self._chosen.items()]

    def __getitem__(self, path: str) -> bytes:
        if path not in self._read:
            name, size = self._chosen[path]
            try:
                with self._archive.open(name) as member:
                    self._read[path] = _read_at_most(path, member, size)
            except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
                raise ValidationError(_("%(path)s cannot be read from the zip (%(error)s). Make the zip again, "
                                        "without a password.") % {"path": path, "error": exc}) from None
        return self._read[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._chosen)

    def __len__(self) -> int:
        return len(self._chosen)


def _check_directory(source: IO[bytes]) -> None:
    """Refuse a zip whose directory lists too many files before ``zipfile`` builds an object for each
    (a 200 MB zip can list millions). Its size counts, not the count it claims: ``zipfile`` reads the
    directory to its end whatever the count says."""
    try:
        # The same reader ZipFile uses; stable since Python 2 (typeshed leaves out zipfile's private names).
        end = zipfile._EndRecData(source)  # type: ignore[attr-defined]
    except OSError:
        end = None
    finally:
        source.seek(0)
    if end is not None and (end[zipfile._ECD_ENTRIES_TOTAL] > MAX_FILES  # type: ignore[attr-defined]
                            or end[zipfile._ECD_SIZE] > MAX_FILES * DIRECTORY_ENTRY_BYTES):  # type: ignore[attr-defined]
        _too_many(MAX_FILES + 1, 0)


@contextlib.contextmanager
def open_zip(source: ZipSource) -> Iterator[ZipBundle]:
    """A zipped bundle, checked (size, directory, paths, files it does not use, each file's size) before
    anything is unpacked: ``source`` is the zip's bytes, its path, or a binary file open on it (an upload
    that Django spooled to disk stays there)."""
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    elif isinstance(source, str | Path):
        with open(source, "rb") as stream, open_zip(stream) as files:
            yield files
        return
    source.seek(0, os.SEEK_END)
    check_upload_size(source.tell())
    source.seek(0)
    _check_directory(source)
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise ValidationError(_("This file is not a zip archive. Export the course folder as .zip.")) from None
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        names = Counter(info.filename for info in infos)
        twice = [name for name, count in names.items() if count > 1]
        if twice:
            raise ValidationError(_("The zip holds %(path)s twice.") % {"path": twice[0]})
        yield ZipBundle(archive, select([(info.filename, info.file_size) for info in infos]))


def read_zip(source: ZipSource) -> dict[str, bytes]:
    """All the files of a zipped bundle that its course may use, unpacked (see ``open_zip``)."""
    with open_zip(source) as files:
        return {path: files[path] for path in files}


def read_dir(path: str | Path) -> dict[str, bytes]:
    """The files of a bundle folder. Hidden files and folders (.git) are skipped; links that point
    outside the folder are refused; the same limits as for a zip hold."""
    root = Path(path)
    if not root.is_dir():
        raise ValidationError(_("%(path)s is not a folder.") % {"path": root})
    real_root = root.resolve()
    entries = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        for name in [*dirs]:
            if (Path(folder) / name).is_symlink():
                raise ValidationError(_("%(path)s is a link to a folder; put the folder itself in the course "
                                        "folder.") % {"path": (Path(folder) / name).relative_to(root).as_posix()})
        for name in sorted(names):
            item = Path(folder) / name
            relative = item.relative_to(root).as_posix()
            if _hidden(name) or not item.is_file():
                continue
            if not item.resolve().is_relative_to(real_root):
                raise ValidationError(_("The bundle contains the path %(path)s, which points outside it. Make the "
                                        "zip from the course folder.") % {"path": relative})
            entries.append((relative, item.stat().st_size))
            _too_many(len(entries), 0)  # stop walking a huge tree early
    files = {}
    for relative, (name, size) in select(entries).items():
        with open(root / name, "rb") as stream:
            files[relative] = _read_at_most(relative, stream, size)
    return files
