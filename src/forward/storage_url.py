"""Where stored files live, from one URL (``FORWARD_STORAGE_URL``).

- unset or empty: the local directory ``FORWARD_DATA_DIR/files`` (the demo and single-machine default);
- ``file:///absolute/path``: another local (or network-mounted) directory;
- ``s3://BUCKET[/PREFIX]?endpoint=https://…&region=…``: any S3-compatible object store (AWS S3,
  Alibaba Cloud OSS in S3 mode, MinIO, SeaweedFS, Ceph) through django-storages and boto3.
  ``addressing=path`` (the default when an endpoint is given) or ``virtual`` picks the bucket
  addressing style. Credentials come from ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` (and
  ``AWS_SESSION_TOKEN``), each also readable from a file named by ``*_FILE``; unset, boto3's own
  chain applies (instance roles, ``~/.aws``).

Nothing in the bucket is public: objects are written without an ACL and every download goes
through a view that checks permission (see ``forward.core.storage``). Only this module and
settings read the URL, so ``storage_migrate --to URL`` builds its target the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from .env import ConfigError, env_str

if TYPE_CHECKING:
    from django.core.files.storage import Storage

VARIABLE = "FORWARD_STORAGE_URL"
FILESYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"
S3_QUERY_KEYS = {"endpoint", "region", "addressing"}


def storage_config(url: str | None, *, media_root: Path, presign_seconds: int = 300,
                   variable: str = VARIABLE) -> dict[str, Any]:
    """The ``STORAGES["default"]`` entry for ``url`` (``{"BACKEND": …, "OPTIONS": {…}}``)."""
    url = (url or "").strip()
    if not url:
        return {"BACKEND": FILESYSTEM, "OPTIONS": {"location": str(media_root)}}
    parts = urlsplit(url)
    if parts.scheme == "file":
        path = unquote(parts.path)
        if parts.netloc or not path.startswith("/"):
            raise ConfigError(variable, f"a file URL needs an absolute path, like file:///srv/forward-files; got {url!r}")
        return {"BACKEND": FILESYSTEM, "OPTIONS": {"location": path}}
    if parts.scheme != "s3":
        raise ConfigError(variable, f"expected s3://BUCKET?endpoint=…&region=… or file:///PATH, got {url!r}")
    bucket = parts.netloc
    if not bucket:
        raise ConfigError(variable, f"names no bucket: expected s3://BUCKET?endpoint=…, got {url!r}")
    query = {key: values[-1] for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
    unknown = sorted(set(query) - S3_QUERY_KEYS)
    if unknown:
        raise ConfigError(variable, f"unknown option {unknown[0]!r}; the options are {', '.join(sorted(S3_QUERY_KEYS))}")
    endpoint = query.get("endpoint") or None
    if endpoint and urlsplit(endpoint).scheme not in ("http", "https"):
        raise ConfigError(variable, f"endpoint must be an http(s) address, got {endpoint!r}")
    addressing = query.get("addressing") or ("path" if endpoint else "auto")
    if addressing not in ("path", "virtual", "auto"):
        raise ConfigError(variable, f"addressing must be path or virtual, got {addressing!r}")
    options = {
        "bucket_name": bucket,
        "location": parts.path.strip("/"),
        "endpoint_url": endpoint,
        "region_name": query.get("region") or None,
        "addressing_style": addressing,
        "signature_version": "s3v4",
        "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
        "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
        "security_token": env_str("AWS_SESSION_TOKEN") or None,
        "default_acl": None,  # private: the bucket's policy decides, and nothing is made public
        "querystring_auth": True,  # any URL the storage makes is presigned ...
        "querystring_expire": presign_seconds,  # ... and short-lived
        "file_overwrite": False,  # a second upload under a taken name gets a fresh name
        "max_memory_size": 8 * 1024 * 1024,  # an object read through the storage spools to disk past 8 MB
    }
    return {"BACKEND": S3, "OPTIONS": options}


def storage_from_url(url: str | None, *, media_root: Path | None = None, presign_seconds: int | None = None,
                     variable: str = VARIABLE) -> Storage:
    """A storage instance for ``url`` (the default one when ``url`` is empty)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    config = storage_config(url, media_root=media_root or Path(settings.MEDIA_ROOT), variable=variable,
                            presign_seconds=presign_seconds or settings.FORWARD_STORAGE_PRESIGN_SECONDS)
    storage: Storage = import_string(config["BACKEND"])(**config["OPTIONS"])
    return storage


def is_remote(storage: Storage) -> bool:
    """True when the storage is not a directory on this machine (``path()`` is unavailable)."""
    try:
        storage.path("probe")
    except NotImplementedError:
        return True
    return False
