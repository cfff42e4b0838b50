"""Stored files through Django's storage API (a local directory, or S3 in production).

Nothing here is reachable by a URL: downloads go through views that check permission, and hidden
files (solutions, answer keys) are read only by the scoring services and the hosts.

From object storage, a download either streams through the web server a chunk at a time, or, with
``FORWARD_STORAGE_REDIRECT``, is a redirect to a presigned URL that expires after
``FORWARD_STORAGE_PRESIGN_SECONDS``: the view has checked permission, the URL is the permission.
Objects are read with boto3's ``get_object`` (ranged when a player seeks), never through
django-storages' ``S3File``, which copies the whole object to a spool file before the first byte.
Workers get a bounded temporary copy (``local_path``), so no shared disk is assumed.
"""

from __future__ import annotations

import contextlib
import functools
import mimetypes
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import (
    default_storage as default_storage,  # re-exported: competitions.storage
)
from django.core.files.uploadedfile import UploadedFile
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from forward.storage_url import is_remote

if TYPE_CHECKING:
    # django-storages has no type information (so this is Any to mypy); it names what the
    # object-storage helpers below receive: default_storage when is_remote() says it is a bucket.
    from storages.backends.s3 import S3Storage

CHUNK_BYTES = 64 * 1024  # one read from the store, one write to the client
COPY_CHUNK_BYTES = 1024 * 1024  # one read from the store into a worker's temporary copy

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


class StoredFileTooLarge(Exception):
    """A stored object is larger than the caller will copy to this machine (checked before the copy)."""

    def __init__(self, name: str, size: int, limit: int) -> None:
        self.name, self.size, self.limit = name, size, limit
        super().__init__(f"{name} is {size / 1048576:.1f} MB ({size} bytes), larger than the limit of "
                         f"{limit / 1048576:.1f} MB ({limit} bytes) for copying it to this machine; it was not copied")


@contextlib.contextmanager
def local_path(name: str, max_bytes: int | None = None) -> Iterator[Path]:
    """A path on this machine holding the stored file.

    A local file is used in place. A remote object is copied a chunk at a time into a temporary
    file that is removed afterwards; if it is larger than ``max_bytes`` (the limit its upload had),
    ``StoredFileTooLarge`` is raised before a byte is copied, so a worker's disk holds at most that.
    A missing file raises ``FileNotFoundError`` either way.
    """
    storage = default_storage
    if not is_remote(storage):
        path = Path(storage.path(name))
        if not path.is_file():  # as from a bucket: the caller tells "lost" from "unreadable"
            raise FileNotFoundError(name)
        yield path
        return
    stored = _get_object(storage, name)
    body, size = stored["Body"], stored["ContentLength"]
    with contextlib.closing(body):
        if max_bytes is not None and size > max_bytes:
            raise StoredFileTooLarge(name, size, max_bytes)
        fd, tmp = tempfile.mkstemp(suffix=suffix_of(name), prefix="forward-")
        try:
            copied = 0
            with os.fdopen(fd, "wb") as out:
                for chunk in body.iter_chunks(COPY_CHUNK_BYTES):
                    copied += len(chunk)
                    if max_bytes is not None and copied > max_bytes:  # the store sent more than it said
                        raise StoredFileTooLarge(name, copied, max_bytes)
                    out.write(chunk)
            body.close()  # the connection goes back to the pool before the (long) work on the copy
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


# --- Reading objects without copying them ------------------------------------------------------

def _s3_key(storage: S3Storage, name: str) -> str:
    from storages.utils import clean_name

    key: str = storage._normalize_name(clean_name(name))  # the bucket prefix applied, ".." refused
    return key


def _missing(error: Exception) -> bool:
    response = getattr(error, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return code in ("NoSuchKey", "404", "NotFound") or status == 404


def _object_call(storage: S3Storage, method: str, name: str, **params: Any) -> dict[str, Any]:
    """boto3's ``get_object`` or ``head_object`` for a stored name; FileNotFoundError if missing."""
    from botocore.exceptions import ClientError

    try:
        result: dict[str, Any] = getattr(storage.bucket.meta.client, method)(
            Bucket=storage.bucket_name, Key=_s3_key(storage, name), **params)
        return result
    except ClientError as exc:
        if _missing(exc):
            raise FileNotFoundError(f"{name} is not in the bucket") from None
        raise


def _get_object(storage: S3Storage, name: str, byte_range: str = "") -> dict[str, Any]:
    """boto3's ``get_object`` for a stored name (its body not read yet); FileNotFoundError if missing.
    ``byte_range`` is a Range header value (``bytes=0-99``), for just those bytes."""
    return _object_call(storage, "get_object", name, **({"Range": byte_range} if byte_range else {}))


@dataclass(frozen=True)
class Stat:
    """What a download needs to know of a stored file, from one call (``os.stat`` or one HEAD)."""

    size: int
    modified: datetime | None
    etag: str | None  # the store's own strong ETag (quoted), or None for a local file


def stat(name: str) -> Stat:
    """Size, modification time and (from object storage) ETag; FileNotFoundError if missing."""
    storage = default_storage
    if not is_remote(storage):
        try:
            result = os.stat(storage.path(name))
        except NotADirectoryError:
            raise FileNotFoundError(name) from None
        return Stat(result.st_size, datetime.fromtimestamp(result.st_mtime, tz=UTC), None)
    head = _object_call(storage, "head_object", name)
    return Stat(head["ContentLength"], head.get("LastModified"), head.get("ETag") or None)


class Chunks:
    """Bytes of a stored file as an iterable of chunks, closed by the response that sends them."""

    def __init__(self, chunks: Iterator[bytes], close: Callable[[], None], length: int) -> None:
        self._chunks, self._close, self.length = chunks, close, length

    def __iter__(self) -> Iterator[bytes]:
        return self._chunks

    def close(self) -> None:
        self._close()


def _file_chunks(file: IO[bytes], length: int) -> Iterator[bytes]:
    remaining = length
    while remaining > 0:
        data = file.read(min(CHUNK_BYTES, remaining))
        if not data:
            return
        remaining -= len(data)
        yield data


def read_range(name: str, first: int = 0, last: int | None = None) -> Chunks:
    """Bytes ``first``..``last`` (inclusive; ``last`` None: to the end) of a stored file, as chunks.

    From object storage only these bytes are fetched (one ranged GET). The object is opened now,
    so a missing one raises FileNotFoundError here, before a response has started.
    """
    storage = default_storage
    if not is_remote(storage):
        try:
            file = storage.open(name, "rb")
        except NotADirectoryError:
            raise FileNotFoundError(name) from None
        size = os.fstat(file.fileno()).st_size
        end = size - 1 if last is None else min(last, size - 1)
        file.seek(first)
        length = max(0, end - first + 1)
        return Chunks(_file_chunks(file, length), file.close, length)
    wanted = "" if first == 0 and last is None else f"bytes={first}-{'' if last is None else last}"
    from botocore.exceptions import ClientError

    try:
        stored = _get_object(storage, name, wanted)
    except ClientError as exc:
        if exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") != 416:
            raise
        return Chunks(iter(()), lambda: None, 0)  # a range starting past the end (an empty object): no bytes
    body = stored["Body"]
    return Chunks(body.iter_chunks(CHUNK_BYTES), body.close, stored["ContentLength"])


def presigned_url(name: str, *, filename: str | None = None, content_type: str | None = None,
                  as_attachment: bool = True) -> str:
    """A GET URL for a stored object that expires after FORWARD_STORAGE_PRESIGN_SECONDS.

    The store answers it with the Content-Disposition and Content-Type given here. The filename is
    often user-typed: it is encoded as RFC 6266 says (``filename*=utf-8''…`` unless plain ASCII).
    Only for a caller that has checked permission: whoever holds the URL may fetch the object.
    """
    parameters = {"ResponseContentType": content_type or "application/octet-stream"}
    disposition = content_disposition_header(as_attachment, filename or "")
    if disposition:
        parameters["ResponseContentDisposition"] = disposition
    storage: S3Storage = default_storage  # only called for object storage (redirects() is true)
    url: str = storage.url(name, parameters=parameters, expire=settings.FORWARD_STORAGE_PRESIGN_SECONDS)
    return url


def redirects() -> bool:
    """True when downloads are redirects to presigned URLs (object storage and FORWARD_STORAGE_REDIRECT)."""
    return bool(getattr(settings, "FORWARD_STORAGE_REDIRECT", False)) and is_remote(default_storage)


def storage_origin() -> str | None:
    """The scheme://host[:port] browsers fetch presigned URLs from, in redirect mode; else None
    (the page's Content-Security-Policy lets video and pictures come from it)."""
    if not redirects():
        return None
    storage: S3Storage = default_storage  # redirects() is true: object storage
    return _origin(storage.bucket_name, storage.endpoint_url, storage.addressing_style, storage.custom_domain)


@functools.lru_cache(maxsize=8)
def _origin(bucket: str, endpoint: str | None, addressing: str | None, domain: str | None) -> str | None:
    parts = urlsplit(presigned_url("probe"))  # signed locally: no request to the store
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def redirect_response(name: str, *, filename: str | None = None, content_type: str | None = None,
                      as_attachment: bool = True) -> HttpResponse:
    """A 302 to a presigned URL for a stored object the caller has allowed; not cached (the URL
    expires, and asking again gets a fresh one)."""
    response = HttpResponseRedirect(presigned_url(name, filename=filename, content_type=content_type,
                                                  as_attachment=as_attachment))
    response["Cache-Control"] = "private, no-store"
    return response


_ENCODED_TYPES = {"gzip": "application/gzip", "bzip2": "application/x-bzip", "xz": "application/x-xz"}


def content_type_of(filename: str, content_type: str | None = None) -> str:
    """The Content-Type for a download named ``filename`` (a .csv.gz is gzip, as FileResponse says)."""
    if content_type:
        return content_type
    guessed, encoding = mimetypes.guess_type(filename)
    return (_ENCODED_TYPES.get(encoding) if encoding else None) or guessed or "application/octet-stream"


def download_response(request: HttpRequest, name: str, *, filename: str, content_type: str | None = None,
                      as_attachment: bool = True, presign: bool = True,
                      cache: str = "private, no-store") -> HttpResponseBase:
    """The response that sends a stored file to someone the caller has already allowed to have it.

    Local storage: a ``FileResponse``. Object storage: a 302 to a presigned URL when
    FORWARD_STORAGE_REDIRECT is on and ``presign`` (the URL is not cached: ``private, no-store``),
    otherwise the object streamed a chunk at a time with its Content-Length. A missing file is a 404.
    ``presign=False`` keeps a file behind this server (one whose response carries its own headers).
    """
    content_type = content_type_of(filename, content_type)
    storage = default_storage
    response: StreamingHttpResponse
    if not is_remote(storage):
        try:
            handle = storage.open(name, "rb")
        except (FileNotFoundError, NotADirectoryError):
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type, as_attachment=as_attachment, filename=filename)
    elif presign and getattr(settings, "FORWARD_STORAGE_REDIRECT", False):
        try:
            stat(name)  # a missing object is this site's 404, not the store's XML error
        except FileNotFoundError:
            raise Http404 from None
        return redirect_response(name, filename=filename, content_type=content_type, as_attachment=as_attachment)
    else:
        try:
            chunks = read_range(name)
        except FileNotFoundError:
            raise Http404 from None
        response = StreamingHttpResponse(chunks, content_type=content_type)
        response["Content-Length"] = str(chunks.length)
        disposition = content_disposition_header(as_attachment, filename)  # RFC 6266, as FileResponse does
        if disposition:
            response["Content-Disposition"] = disposition
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    return response
