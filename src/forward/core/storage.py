"""Stored files through Django's storage API (a local directory, or S3 in production).

Nothing here is reachable by a URL: downloads go through views that check permission, and hidden
files (solutions, answer keys) are read only by the scoring services and the hosts.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

SUBMISSION_SUFFIXES = (".csv", ".csv.gz", ".zip")


def suffix_of(name: str) -> str:
    lower = name.lower()
    for suffix in (".csv.gz", ".csv", ".zip", ".gz", ".parquet", ".json", ".txt"):
        if lower.endswith(suffix):
            return suffix
    return Path(lower).suffix


def save(prefix: str, upload: UploadedFile, *, suffix: str | None = None) -> str:
    """Stream an upload into storage under a fresh name; returns the stored name."""
    suffix = suffix if suffix is not None else suffix_of(upload.name or "")
    name = f"{prefix}/{uuid.uuid4().hex}{suffix}"
    return default_storage.save(name, upload)


def delete(name: str) -> None:
    if name:
        with contextlib.suppress(FileNotFoundError):
            default_storage.delete(name)


@contextlib.contextmanager
def local_path(name: str) -> Iterator[Path]:
    """A path on this machine holding the stored file (a temporary copy for remote storage)."""
    try:
        yield Path(default_storage.path(name))
        return
    except NotImplementedError:
        pass
    fd, tmp = tempfile.mkstemp(suffix=suffix_of(name))
    try:
        with os.fdopen(fd, "wb") as out, default_storage.open(name, "rb") as src:
            shutil.copyfileobj(src, out, 1024 * 1024)
        yield Path(tmp)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


@contextlib.contextmanager
def upload_path(upload: UploadedFile) -> Iterator[Path]:
    """A local path for an upload that has not been stored yet (to validate it first)."""
    if hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path())
        return
    fd, tmp = tempfile.mkstemp(suffix=suffix_of(upload.name or ""))
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        upload.seek(0)
        yield Path(tmp)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
