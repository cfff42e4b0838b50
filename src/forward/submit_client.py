"""`forward submit`: upload predictions to a competition through the API, from a notebook or a shell.

The token comes from FORWARD_API_TOKEN or from the config file (~/.config/forward/config.ini, or
FORWARD_CONFIG), section [forward], keys `token` and `url`. The file is streamed, never read whole.
"""

from __future__ import annotations

import argparse
import configparser
import json
import mimetypes
import os
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib import error, request

CHUNK = 1024 * 1024
DEFAULT_URL = "http://127.0.0.1:8000"


def config_path() -> Path:
    return Path(os.environ.get("FORWARD_CONFIG") or Path.home() / ".config" / "forward" / "config.ini")


def read_config() -> tuple[str | None, str]:
    token, url = os.environ.get("FORWARD_API_TOKEN"), os.environ.get("FORWARD_URL")
    path = config_path()
    if path.exists():
        parser = configparser.ConfigParser()
        parser.read(path, encoding="utf-8")
        section = parser["forward"] if parser.has_section("forward") else {}
        token = token or section.get("token")
        url = url or section.get("url")
    return token, (url or DEFAULT_URL).rstrip("/")


class MultipartBody:
    """An iterable multipart/form-data body with a known length, streamed from disk."""

    def __init__(self, path: Path, fields: dict[str, str]):
        self.boundary = uuid.uuid4().hex
        self.path = path
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        head = b""
        for name, value in fields.items():
            head += (f"--{self.boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                     f"{value}\r\n").encode()
        head += (f"--{self.boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                 f"filename=\"{path.name}\"\r\nContent-Type: {kind}\r\n\r\n").encode()
        self.head = head
        self.tail = f"\r\n--{self.boundary}--\r\n".encode()
        self.length = len(head) + path.stat().st_size + len(self.tail)

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def __iter__(self) -> Iterator[bytes]:
        yield self.head
        with self.path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
        yield self.tail


def _call(req: request.Request) -> tuple[int, dict]:
    try:
        with request.urlopen(req, timeout=600) as response:  # noqa: S310 - URL is the user's server
            return response.status, json.loads(response.read() or b"{}")
    except error.HTTPError as exc:
        try:
            payload = json.loads(exc.read() or b"{}")
        except ValueError:
            payload = {"detail": exc.reason}
        return exc.code, payload


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="forward submit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("competition", help="the competition's short name (from its URL)")
    parser.add_argument("file", type=Path, help="predictions: .csv, .csv.gz or .zip holding one CSV")
    parser.add_argument("-m", "--message", default="", help="a note to remember this submission by")
    parser.add_argument("--url", help=f"Forward's address (default $FORWARD_URL or {DEFAULT_URL})")
    parser.add_argument("--no-wait", action="store_true", help="do not wait for the score")
    args = parser.parse_args(argv)

    token, url = read_config()
    url = (args.url or url).rstrip("/")
    if not url.startswith(("http://", "https://")):
        print(f"forward submit: the address must start with http:// or https://, not {url!r}", file=sys.stderr)
        return 2
    if not token:
        print(f"forward submit: no API token. Create one under Account → API tokens, then set FORWARD_API_TOKEN "
              f"or write it to {config_path()} as:\n[forward]\ntoken = fwd_…\nurl = {url}", file=sys.stderr)
        return 2
    if not args.file.is_file():
        print(f"forward submit: {args.file} is not a file", file=sys.stderr)
        return 2
    body = MultipartBody(args.file, {"description": args.message})
    # The body goes in the Request itself: given to urlopen, it would lose Content-Length and be sent
    # chunked, which many servers (and WSGI) do not accept.
    req = request.Request(f"{url}/api/v1/competitions/{args.competition}/submissions", data=body, method="POST", headers={  # noqa: S310
        "Authorization": f"Bearer {token}", "Content-Type": body.content_type, "Content-Length": str(body.length),
        "Accept": "application/json",
    })
    try:
        status, payload = _call(req)
    except error.URLError as exc:
        print(f"forward submit: cannot reach {url} ({exc.reason})", file=sys.stderr)
        return 2
    if status != 201:
        print(f"forward submit: {payload.get('detail', status)}", file=sys.stderr)
        return 1
    print(f"submission #{payload['id']} {payload['status']}"
          + (f"; {payload['submissions_left_today']} left today" if payload.get("submissions_left_today")
             is not None else ""))
    if args.no_wait:
        return 0
    deadline = time.monotonic() + 1800
    while payload["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(2)
        status, payload = _call(request.Request(f"{url}/api/v1/submissions/{payload['id']}", headers={  # noqa: S310
            "Authorization": f"Bearer {token}", "Accept": "application/json"}))
        if status != 200:
            print(f"forward submit: {payload.get('detail', status)}", file=sys.stderr)
            return 1
    if payload["status"] == "scored":
        print(f"scored: public {payload['public_score']}")
        return 0
    if payload["status"] == "failed":
        print(f"failed: {payload['error']}", file=sys.stderr)
        return 1
    print(f"still {payload['status']}; check later: {url}/api/v1/submissions/{payload['id']}")
    return 0
