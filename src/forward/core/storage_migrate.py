"""Copy every stored file from one storage to another: ``forward manage storage_migrate --to URL``.

This is how an existing demo or deployment moves its files (datasets, hidden solutions, submissions,
certificates) to S3, or back to a directory. Each file keeps exactly its name, because the database
refers to files by name; Django's ``storage.save()`` would rename a file on a conflict, so the copy
writes by name itself (a temporary file then ``os.replace`` on a directory, one ``upload_fileobj``
on S3; both replace atomically, so a reader never sees half a file).

A run is resumable: a file the target already holds with the same size and SHA-256 is skipped, so
re-running after an interruption (or after the failures were fixed) copies only what is missing or
different. Every copy is read back from the target and compared; a mismatch is reported as a failure
and the run goes on. Files are streamed in 1 MB chunks and never held whole in memory (videos and
datasets can be many gigabytes).

Only Django's ``FileSystemStorage`` and django-storages' ``S3Storage`` (what ``FORWARD_STORAGE_URL``
builds, see :mod:`forward.storage_url`) are supported: listing a whole bucket recursively through
``listdir`` would take one request per directory, so each backend is walked its own way.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from django.core.files.storage import FileSystemStorage, Storage
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from storages.backends.s3 import S3Storage  # untyped (Any to mypy): names what _Bucket wraps

CHUNK = 1024 * 1024
TEMP_PREFIX = ".storage-migrate-"  # our own partial files in a directory target; never copied


class MigrationRefused(Exception):
    """The run cannot start (same place, unsupported storage, unreachable storage); one line for people."""


@dataclass
class Failure:
    name: str
    reason: str


@dataclass
class Report:
    """What a run did (or, with ``dry_run``, would do); running totals while it goes."""

    dry_run: bool = False
    copied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    bytes_copied: int = 0
    seconds: float = 0.0

    @property
    def checked(self) -> int:
        return len(self.copied) + len(self.skipped) + len(self.failed)


Progress = Callable[[Report, str, str], None]  # (report so far, name, "copied" | "skipped" | "failed")


@dataclass(frozen=True)
class Digest:
    size: int
    sha256: str


class _HashingReader:
    """A read-only stream that counts and hashes what passes through it, so the copy itself yields
    the digest of exactly the bytes written, without a second read of the source."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._hash = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(CHUNK if size is None or size < 0 else size)
        self._hash.update(data)
        self.size += len(data)
        return data

    def digest(self) -> Digest:
        return Digest(self.size, self._hash.hexdigest())


def _digest_of(stream: BinaryIO) -> Digest:
    reader = _HashingReader(stream)
    while reader.read(CHUNK):
        pass
    return reader.digest()


class _Side:
    """One storage as this module needs it: list, stat, read, and write under an exact name."""

    def __init__(self) -> None:
        self.unlisted: list[Failure] = []  # parts that could not be listed (an unreadable directory)

    def names(self) -> Iterator[str]:
        raise NotImplementedError

    def size(self, name: str) -> int | None:
        """The stored size, or None when there is no such file."""
        raise NotImplementedError

    def open(self, name: str) -> contextlib.AbstractContextManager[BinaryIO]:
        raise NotImplementedError

    def write(self, name: str, reader: _HashingReader) -> None:
        raise NotImplementedError

    def check(self, *, writable: bool) -> None:
        """Raise MigrationRefused with one clear line when the storage cannot be used."""
        raise NotImplementedError

    def digest(self, name: str) -> Digest:
        with self.open(name) as stream:
            return _digest_of(stream)


class _Directory(_Side):
    def __init__(self, storage: FileSystemStorage) -> None:
        super().__init__()
        self.storage = storage
        self.root = Path(storage.location).resolve()

    def __str__(self) -> str:
        return str(self.root)

    def check(self, *, writable: bool) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise MigrationRefused(_("%(path)s is not a directory.") % {"path": self.root})
        if not writable:
            if not self.root.is_dir():
                raise MigrationRefused(_("Nothing to copy: the directory %(path)s does not exist.")
                                       % {"path": self.root})
            return
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise MigrationRefused(_("Cannot create the directory %(path)s: %(error)s.")
                                   % {"path": self.root, "error": exc.strerror or exc}) from None
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise MigrationRefused(_("The directory %(path)s is not writable.") % {"path": self.root})

    def _unreadable(self, error: OSError) -> None:
        where = Path(error.filename or self.root)
        name = where.relative_to(self.root).as_posix() if where.is_relative_to(self.root) else str(where)
        self.unlisted.append(Failure(name + "/", _("Cannot list this directory: %(error)s.")
                                     % {"error": error.strerror or error}))

    def names(self) -> Iterator[str]:
        # os.walk would silently pass over a directory it cannot read; such a directory is a failure.
        # Linked directories are followed (the app reads through them too), each real one once.
        seen = {os.path.realpath(self.root)}
        for directory, subdirectories, files in os.walk(self.root, onerror=self._unreadable, followlinks=True):
            fresh = []
            for subdirectory in sorted(subdirectories):
                real = os.path.realpath(os.path.join(directory, subdirectory))
                if real not in seen:
                    seen.add(real)
                    fresh.append(subdirectory)
            subdirectories[:] = fresh
            relative = Path(directory).relative_to(self.root)
            for filename in sorted(files):
                if filename.startswith(TEMP_PREFIX):
                    continue
                yield (relative / filename).as_posix()

    def _path(self, name: str) -> Path:
        return Path(self.storage.path(name))  # safe_join: a name cannot climb out of the directory

    def size(self, name: str) -> int | None:
        try:
            return self._path(name).stat().st_size
        except (FileNotFoundError, NotADirectoryError):
            return None

    @contextlib.contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        with open(self._path(name), "rb") as stream:
            yield stream

    def write(self, name: str, reader: _HashingReader) -> None:
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.storage.directory_permissions_mode is not None:
            with contextlib.suppress(OSError):
                path.parent.chmod(self.storage.directory_permissions_mode)
        temporary = path.parent / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
        # 0o666 less the umask, as FileSystemStorage creates files (mkstemp's 0o600 would lock the
        # web server out when it runs as another user).
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := reader.read(CHUNK):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if self.storage.file_permissions_mode is not None:
                os.chmod(temporary, self.storage.file_permissions_mode)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise


class _Bucket(_Side):
    def __init__(self, storage: S3Storage) -> None:
        from boto3.s3.transfer import TransferConfig

        super().__init__()
        self.storage = storage
        self.bucket: str = storage.bucket_name
        self.location = (storage.location or "").strip("/")
        self.prefix = f"{self.location}/" if self.location else ""
        self.endpoint = (storage.endpoint_url or "").rstrip("/")
        # Multipart parts of 8 MB, four at a time: memory stays bounded whatever the file's size.
        self.transfer = TransferConfig(multipart_threshold=8 * CHUNK, multipart_chunksize=8 * CHUNK,
                                       max_concurrency=4)

    def __str__(self) -> str:
        where = f"s3://{self.bucket}/{self.location}" if self.location else f"s3://{self.bucket}"
        return f"{where} ({self.endpoint})" if self.endpoint else where

    @property
    def client(self) -> Any:  # boto3's S3 client (untyped)
        return self.storage.connection.meta.client

    def _key(self, name: str) -> str:
        from storages.utils import clean_name, safe_join

        key: str = safe_join(self.location, clean_name(name))
        return key

    def check(self, *, writable: bool) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status == 404 and writable:
                raise MigrationRefused(_("The bucket %(bucket)s does not exist at %(endpoint)s; create it first.")
                                       % {"bucket": self.bucket, "endpoint": self.endpoint or "AWS"}) from None
            if status == 404:
                raise MigrationRefused(_("The bucket %(bucket)s does not exist at %(endpoint)s.")
                                       % {"bucket": self.bucket, "endpoint": self.endpoint or "AWS"}) from None
            if status in (401, 403):
                raise MigrationRefused(_("The object store refused access to the bucket %(bucket)s: check "
                                         "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.")
                                       % {"bucket": self.bucket}) from None
            raise MigrationRefused(_("The object store answered %(error)s for the bucket %(bucket)s.")
                                   % {"error": exc, "bucket": self.bucket}) from None
        except BotoCoreError as exc:  # no credentials, endpoint unreachable, bad TLS ...
            raise MigrationRefused(_("Cannot reach the bucket %(bucket)s: %(error)s.")
                                   % {"bucket": self.bucket, "error": exc}) from None

    def names(self) -> Iterator[str]:
        # One request per 1000 keys, whatever the depth (listdir would make one per directory).
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for entry in page.get("Contents", ()):
                key = entry["Key"]
                if key.endswith("/"):  # a "folder" marker some tools create, not a file
                    continue
                yield key[len(self.prefix):]

    def size(self, name: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            size: int = self.client.head_object(Bucket=self.bucket, Key=self._key(name))["ContentLength"]
            return size
        except ClientError as exc:
            if exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
                return None
            raise

    @contextlib.contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        body = self.client.get_object(Bucket=self.bucket, Key=self._key(name))["Body"]
        try:
            yield body  # a botocore StreamingBody: read(n) pulls from the socket as it goes
        finally:
            body.close()

    def write(self, name: str, reader: _HashingReader) -> None:
        key = self._key(name)
        # The storage's own write parameters (content type, object parameters, ACL if one is set),
        # so a copied object looks like one the app saved.
        extra = self.storage._get_write_parameters(key)
        self.client.upload_fileobj(reader, self.bucket, key, ExtraArgs=extra, Config=self.transfer)


def _side(storage: Storage) -> _Side:
    if isinstance(storage, FileSystemStorage):
        return _Directory(storage)
    with contextlib.suppress(ImportError):
        from storages.backends.s3 import S3Storage

        if isinstance(storage, S3Storage):
            return _Bucket(storage)
    raise MigrationRefused(_("Cannot migrate files of a %(backend)s: only a local directory and S3 are supported.")
                           % {"backend": type(storage).__name__})


def _overlap(a: str, b: str) -> bool:
    """True when one slash-separated path is the other or lies inside it."""
    a, b = a.strip("/"), b.strip("/")
    if not a or not b:
        return True
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


def same_place(source: _Side, target: _Side) -> bool:
    """True when the two storages are the same place, or one lies inside the other (copying would
    walk its own copies)."""
    if isinstance(source, _Directory) and isinstance(target, _Directory):
        return _overlap(source.root.as_posix(), target.root.as_posix())
    if isinstance(source, _Bucket) and isinstance(target, _Bucket):
        if (source.endpoint, source.bucket) != (target.endpoint, target.bucket):
            return False
        if not source.location or not target.location:
            return True
        return _overlap(source.location, target.location)
    return False


def _copy_one(source: _Side, target: _Side, name: str, *, dry_run: bool) -> tuple[str, int, str]:
    """Copy one file if the target lacks it; returns (outcome, bytes copied, reason if failed)."""
    source_size = source.size(name)
    if source_size is None:
        return "failed", 0, _("The source has no readable file under this name "
                              "(it was deleted, or is a broken link).")
    # Hash both only when the sizes agree: a different size already means "copy again".
    if source_size == target.size(name) and source.digest(name) == target.digest(name):
        return "skipped", 0, ""
    if dry_run:
        return "copied", source_size, ""
    with source.open(name) as stream:
        reader = _HashingReader(stream)
        target.write(name, reader)
    sent = reader.digest()
    if sent.size != source_size:  # the file changed while it was copied, or the writer stopped short
        return "failed", 0, _("The source holds %(size)d bytes but %(sent)d were copied; run again to "
                              "copy it once it no longer changes.") % {"size": source_size, "sent": sent.size}
    stored = target.digest(name)
    if stored != sent:
        return "failed", 0, _("After copying, the target holds %(stored)d bytes with SHA-256 %(stored_hash)s, "
                              "but %(sent)d bytes with SHA-256 %(sent_hash)s were sent.") % {
            "stored": stored.size, "stored_hash": stored.sha256, "sent": sent.size, "sent_hash": sent.sha256}
    return "copied", sent.size, ""


def _usable_pair(source: Storage, target: Storage, *, dry_run: bool) -> tuple[_Side, _Side]:
    source_side, target_side = _side(source), _side(target)
    if same_place(source_side, target_side):
        raise MigrationRefused(_("The source and the target are the same place (%(source)s and %(target)s); "
                                 "pick another target.") % {"source": source_side, "target": target_side})
    source_side.check(writable=False)
    if dry_run and isinstance(target_side, _Directory) and not target_side.root.exists():
        pass  # nothing there yet: every file would be copied, and a dry run creates nothing
    else:
        target_side.check(writable=not dry_run)
    return source_side, target_side


def storage_migrate_check(source: Storage, target: Storage, *, dry_run: bool = False) -> None:
    """Raise MigrationRefused (one line for people) when ``storage_migrate`` could not start: the
    same place twice, an unsupported backend, a missing directory or bucket, refused credentials.
    A target directory is created here unless ``dry_run``."""
    _usable_pair(source, target, dry_run=dry_run)


def storage_migrate(source: Storage, target: Storage, *, dry_run: bool = False, progress: Progress | None = None) -> Report:
    """Copy every file of ``source`` to ``target`` (two Django storages) under the same names.

    Raises MigrationRefused before copying anything when the two are the same place or either
    cannot be used. A file that fails (unreadable, interrupted upload, verification mismatch) is
    recorded in ``Report.failed`` and the run continues with the next one.
    """
    started = time.monotonic()
    source_side, target_side = _usable_pair(source, target, dry_run=dry_run)
    report = Report(dry_run=dry_run)
    for name in source_side.names():
        try:
            outcome, copied, reason = _copy_one(source_side, target_side, name, dry_run=dry_run)
        except Exception as exc:  # one bad file must not stop the others; the run reports it
            outcome, copied, reason = "failed", 0, _describe(exc)
        if outcome == "copied":
            report.copied.append(name)
            report.bytes_copied += copied
        elif outcome == "skipped":
            report.skipped.append(name)
        else:
            report.failed.append(Failure(name, reason))
        report.seconds = time.monotonic() - started
        if progress is not None:
            progress(report, name, outcome)
    report.failed.extend(source_side.unlisted)
    report.seconds = time.monotonic() - started
    return report


def _describe(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"{type(exc).__name__}: {exc}"


def storage_label(storage: Storage) -> str:
    """Where a storage keeps its files, for messages (a directory, or s3://bucket/prefix (endpoint))."""
    return str(_side(storage))


def human_size(count: float) -> str:
    size = float(count)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{count} bytes"  # pragma: no cover

