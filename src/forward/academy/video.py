"""Lesson videos: stored uploads served with HTTP Range requests (browsers seek with them), and the
short lectures the demo generates.

The demo's lectures are VP9 video in an MP4 file, encoded in-process by PyAV (whose wheels bundle
FFmpeg with libvpx on every platform), so ``forward demo`` needs no system FFmpeg and no network.
VP9 is royalty-free, its encoder is BSD-licensed, and Chrome, Edge, Firefox and Debian's Chromium
play it from MP4. The frames are drawn with Pillow (its bundled font) and NumPy.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from pathlib import Path, PurePosixPath
from types import ModuleType, SimpleNamespace
from typing import TYPE_CHECKING

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from forward.core import storage
from forward.storage_url import is_remote

if TYPE_CHECKING:
    import numpy
    from django.http.response import HttpResponseBase
    from numpy.typing import NDArray
    from PIL import ImageDraw, ImageFont

CONTENT_TYPES = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".m3u8": "application/vnd.apple.mpegurl",
}
CHUNK_BYTES = 64 * 1024


# --- Serving stored videos -------------------------------------------------------------------

class RangeNotSatisfiable(Exception):
    pass


_RANGE = re.compile(r"^[ \t]*([0-9]*)[ \t]*-[ \t]*([0-9]*)[ \t]*$")
_MAX_DIGITS = 18  # every file size fits; a longer number is larger than any file (and int() refuses 4,300+ digits)


def _position(digits: str) -> int | None:
    """A byte position from a header's digits (no leading zeros), or None for one beyond any file."""
    return int(digits) if len(digits) <= _MAX_DIGITS else None


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The single byte range a ``Range`` header asks for, as (first, last) inclusive (RFC 9110 14.1.2).

    None means "send the whole file": no header, another unit than bytes, a malformed header, or
    several ranges (allowed by RFC 9110; a full response is always a correct answer to a Range
    request). Raises ``RangeNotSatisfiable`` when the range starts past the end of the file.
    Positions of any length are read without converting huge numbers: one longer than 18 digits
    is past the end of every file.
    """
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or not spec or "," in spec:
        return None
    match = _RANGE.match(spec)
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if last:
        last = last.lstrip("0") or "0"
    if not first:  # a suffix: the last N bytes (a suffix longer than the file is the whole file)
        suffix = _position(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable
        return (0 if suffix is None else max(0, size - suffix)), size - 1
    first = first.lstrip("0") or "0"
    if last and (len(last), last) < (len(first), first):  # compared as numbers, without converting
        return None  # an invalid range-spec: the header is ignored
    start = _position(first)
    if start is None or start >= size:
        raise RangeNotSatisfiable
    end = _position(last) if last else size - 1
    return start, size - 1 if end is None else min(end, size - 1)


class _Slice:
    """Reads at most ``length`` bytes from an open file, so a range streams without loading it."""

    def __init__(self, file: File[bytes], length: int) -> None:
        self.file, self.remaining = file, length

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        data: bytes = self.file.read(self.remaining if size is None or size < 0 else min(size, self.remaining))
        self.remaining -= len(data)
        return data

    def close(self) -> None:
        self.file.close()


class _VideoResponse(FileResponse):
    block_size = CHUNK_BYTES


def _validators(info: storage.Stat) -> tuple[str | None, datetime | None]:
    """A strong ETag (the store's own, or size and modification time for a local file) and Last-Modified."""
    if info.modified is None:
        return info.etag, None
    return info.etag or f'"{info.size:x}-{int(info.modified.timestamp() * 1_000_000):x}"', info.modified


def _if_range_allows(request: HttpRequest, etag: str | None, modified: datetime | None) -> bool:
    """RFC 9110 13.1.5: honour Range only if the client's copy is still the current file."""
    value = request.headers.get("If-Range", "").strip()
    if not value:
        return True
    if value.startswith(('"', "W/")):
        return etag is not None and not value.startswith("W/") and etag in parse_etags(value)
    when = parse_http_date_safe(value)
    return when is not None and modified is not None and when == int(modified.timestamp())


def video_response(request: HttpRequest, *, storage_name: str, private: bool = False) -> HttpResponseBase:
    """Stream a stored video with ``Accept-Ranges: bytes``: 200 with the whole file, 206 with one
    byte range, 416 for a range past the end, 304 when the client's copy is current.

    ``storage_name`` must come from the database (a lesson's ``video_file``), never from the URL.
    ``private`` marks a file only its course team may see (a draft course): not kept in shared caches.
    From object storage, one HEAD gives size and validators and one ranged GET fetches only the bytes
    asked for; with FORWARD_STORAGE_REDIRECT the answer is a redirect to a presigned URL instead (the
    caller has checked permission), and the store serves the ranges itself.
    """
    content_type = CONTENT_TYPES.get(PurePosixPath(storage_name).suffix.lower(), "application/octet-stream")
    try:
        info = storage.stat(storage_name)
    except FileNotFoundError as exc:
        raise Http404 from exc
    if storage.redirects():
        return storage.redirect_response(storage_name, content_type=content_type, as_attachment=False)
    etag, modified = _validators(info)
    size = info.size
    headers = {"Accept-Ranges": "bytes",
               "Cache-Control": "private, no-cache" if private else "public, max-age=3600"}
    if etag:
        headers["ETag"] = etag
    if modified:
        headers["Last-Modified"] = http_date(modified.timestamp())

    not_modified = get_conditional_response(request, etag=etag,
                                            last_modified=int(modified.timestamp()) if modified else None)
    if not_modified is not None:
        for key, value in headers.items():
            not_modified.headers.setdefault(key, value)
        return not_modified

    wanted = None
    header = request.headers.get("Range", "")
    if header and _if_range_allows(request, etag, modified):
        try:
            wanted = byte_range(header, size)
        except RangeNotSatisfiable:
            return HttpResponse(status=416, headers={**headers, "Content-Range": f"bytes */{size}"})

    status, (start, end) = (200, (0, size - 1)) if wanted is None else (206, wanted)
    if wanted is not None:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    response: HttpResponseBase
    try:
        if is_remote(default_storage):
            chunks = storage.read_range(storage_name, start, end) if wanted else storage.read_range(storage_name)
            response = StreamingHttpResponse(chunks, status=status, content_type=content_type, headers=headers)
        else:  # a local file: FileResponse lets the server send it with sendfile
            file = default_storage.open(storage_name, "rb")
            body: File[bytes] | _Slice = file
            if wanted is not None:
                file.seek(start)
                body = _Slice(file, end - start + 1)
            response = _VideoResponse(body, status=status, content_type=content_type, headers=headers)
    except FileNotFoundError as exc:  # removed since the HEAD
        raise Http404 from exc
    response.headers["Content-Length"] = str(end - start + 1)
    return response


# --- The demo's generated lectures -----------------------------------------------------------

WIDTH, HEIGHT, FPS = 640, 360, 5
ENCODER = "libvpx-vp9"
# Slides are still pictures with a timecode, so 5 frames a second is plenty. Constant quality, a
# keyframe every 5 s (a seek decodes at most 25 frames), and libvpx's fastest speed: a one-minute
# lecture encodes in under a second and weighs about 250 KB. One thread: the same bytes on every machine.
VP9_OPTIONS = {"crf": "32", "b": "0", "deadline": "realtime", "cpu-used": "8", "threads": "1",
               "g": str(5 * FPS), "lag-in-frames": "0"}
AUDIO_RATE = 48_000
AUDIO_FRAME = AUDIO_RATE * 60 // 1000  # samples in 60 ms


class VideoEncoderUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class Slide:
    start: int  # seconds
    end: int
    heading: str
    lines: tuple[str, ...]
    caption: str


# A slide of a lecture as its author writes it: heading, bullet points, what the lecturer says.
SlideText = tuple[str, tuple[str, ...], str]
SUBTITLE = "A short lecture from the Forward Academy demo"


def lecture_script(*, title: str, seconds: int, slides: Sequence[SlideText] = (),
                   subtitle: str = SUBTITLE) -> list[Slide]:
    """The slides of a demo lecture. With ``slides``: a title card (a tenth of the time, at least
    3 s), then each slide for an equal share of the rest. Without: three generic slides of (nearly)
    equal length. The demo's WebVTT captions are made from the same script, so they match the picture."""
    if slides:
        intro = max(3, seconds // 10)
        if seconds < intro + 2 * len(slides):
            raise ValueError("a demo lecture shows each slide for at least 2 seconds")
        cuts = [intro + round((seconds - intro) * n / len(slides)) for n in range(len(slides) + 1)]
        return [Slide(0, intro, title, (subtitle,), f"Welcome to this short lecture: {title}."),
                *(Slide(cuts[n], cuts[n + 1], heading, tuple(points), said)
                  for n, (heading, points, said) in enumerate(slides))]
    if seconds < 3:
        raise ValueError("a demo lecture lasts at least 3 seconds")
    cut1, cut2 = round(seconds / 3), round(2 * seconds / 3)
    return [
        Slide(0, cut1, title, (subtitle,), f"Welcome to {title}."),
        Slide(cut1, cut2, "In this lecture", ("The key ideas, with examples", "How our partners use them",
                                              "What to practise in the lab"),
              "We cover the key ideas, with examples from the programme's partners."),
        Slide(cut2, seconds, "Next steps", ("Read the notes", "Try the lab", "Take the quiz"),
              "Next, read the notes, try the lab and take the quiz."),
    ]


def _timestamp(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.000"


def demo_captions(*, title: str, seconds: int = 12, slides: Sequence[SlideText] = (),
                  subtitle: str = SUBTITLE) -> str:
    """WebVTT captions for ``demo_mp4`` with the same arguments, one cue per slide."""
    cues = ["WEBVTT", ""]
    for slide in lecture_script(title=title, seconds=seconds, slides=slides, subtitle=subtitle):
        cues += [f"{_timestamp(slide.start)} --> {_timestamp(slide.end)}", slide.caption, ""]
    return "\n".join(cues)


def _libraries() -> SimpleNamespace:
    try:
        import av
        import numpy as np
        from PIL import Image, ImageDraw, ImageFont
    except ImportError as exc:
        raise VideoEncoderUnavailable(
            f"generating demo videos needs PyAV and Pillow ({exc}); reinstall Forward to get them") from exc
    try:
        av.Codec(ENCODER, "w")
    except Exception as exc:
        raise VideoEncoderUnavailable(
            f"this PyAV build has no {ENCODER} (VP9) encoder; install the PyAV wheel from PyPI") from exc
    return SimpleNamespace(av=av, np=np, Image=Image, ImageDraw=ImageDraw, font=ImageFont.load_default)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.ImageFont | ImageFont.FreeTypeFont, width: int,
          max_lines: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1:])]
        while draw.textlength(lines[-1] + "…", font=font) > width and " " in lines[-1]:
            lines[-1] = lines[-1].rsplit(" ", 1)[0]
        lines[-1] += "…"
    return lines


INK, MUTED, BRAND, PAPER = (27, 36, 48), (85, 96, 110), (11, 92, 173), (246, 248, 250)
TRACK, ACCENT = (217, 222, 229), (242, 169, 0)
HEADER = 44  # the bar at the top; the timecode and progress bar live there, clear of the player's
# controls and the captions, which both sit at the bottom of the picture.


def _slide_pictures(lib: SimpleNamespace, script: list[Slide]) -> list[NDArray[numpy.uint8]]:
    """One picture per slide, without the timecode and progress bar (drawn on every frame)."""
    pictures: list[NDArray[numpy.uint8]] = []
    for index, slide in enumerate(script):
        image = lib.Image.new("RGB", (WIDTH, HEIGHT), PAPER)
        draw = lib.ImageDraw.Draw(image)
        draw.rectangle((0, 0, WIDTH, HEADER), fill=BRAND)
        draw.text((24, HEADER // 2), "Forward Academy", font=lib.font(size=18), fill="white", anchor="lm")
        if index == 0:  # the title card
            heading = lib.font(size=34)
            lines = _wrap(draw, slide.heading, heading, WIDTH - 96, 3)
            top = 150 - 22 * len(lines)
            for n, line in enumerate(lines):
                draw.text((48, top + 44 * n), line, font=heading, fill=INK)
            below = top + 44 * len(lines)
            draw.rectangle((48, below + 8, 168, below + 12), fill=BRAND)
            draw.text((48, below + 28), slide.lines[0], font=lib.font(size=18), fill=MUTED)
        else:
            heading, body = lib.font(size=30), lib.font(size=22)
            draw.text((48, 80), _wrap(draw, slide.heading, heading, WIDTH - 96, 1)[0], font=heading, fill=INK)
            y = 150
            for point in slide.lines:  # a point wraps onto a second line if it must
                draw.ellipse((52, y - 5, 62, y + 5), fill=BRAND)
                for line in _wrap(draw, point, body, WIDTH - 76 - 40, 2):
                    draw.text((76, y), line, font=body, fill=INK, anchor="lm")
                    y += 30
                y += 14
        pictures.append(lib.np.asarray(image))
    return pictures


def _chime(np: ModuleType, seconds: int, starts: list[int]) -> NDArray[numpy.float32]:
    """A quiet two-note chime at the start of each slide, silence otherwise (mono, float32)."""
    samples: NDArray[numpy.float32] = np.zeros(seconds * AUDIO_RATE, dtype=np.float32)
    t = np.arange(int(0.6 * AUDIO_RATE), dtype=np.float32) / AUDIO_RATE

    def note(hz: float) -> NDArray[numpy.float32]:
        wave: NDArray[numpy.float32] = 0.12 * np.sin(2 * np.pi * hz * t) * np.exp(-6 * t)
        return wave

    tone = note(660) + np.concatenate([np.zeros(int(0.12 * AUDIO_RATE), np.float32), note(880)])[: t.size]
    for start in starts:
        at = start * AUDIO_RATE
        part = tone[: samples.size - at]
        samples[at: at + part.size] += part
    return samples


def demo_mp4(*, title: str, seconds: int = 12, slides: Sequence[SlideText] = (),
             subtitle: str = SUBTITLE) -> bytes:
    """A short lecture as an MP4 (VP9 video, 640×360, 5 fps; Opus audio, a quiet chime per
    slide): a title card for ``title``, then ``slides`` (or three generic ones), with a running
    timecode and progress bar so seeking is visible. Deterministic: the same arguments give the
    same bytes with the same PyAV.

    Raises ``VideoEncoderUnavailable`` if PyAV, Pillow or PyAV's VP9 encoder is missing.
    """
    lib = _libraries()
    script = lecture_script(title=title, seconds=seconds, slides=slides, subtitle=subtitle)
    with tempfile.TemporaryDirectory(prefix="forward-video-") as folder:
        path = Path(folder) / "lecture.mp4"
        _encode(lib, path, script, seconds)
        return path.read_bytes()


def _encode(lib: SimpleNamespace, path: Path, script: list[Slide], seconds: int) -> None:
    av, np = lib.av, lib.np
    pictures = _slide_pictures(lib, script)
    small = lib.font(size=15)
    samples = _chime(np, seconds, [slide.start for slide in script])
    # "faststart" puts the index (moov) first, so a browser starts playing after the first bytes;
    # it rewrites the file at the end, which needs a real file rather than a buffer.
    with av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"}) as container:
        video = container.add_stream(ENCODER, rate=FPS, options=VP9_OPTIONS)
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        # 60 ms Opus frames at the encoder's lowest complexity: a chime needs no more, and it is 3× cheaper.
        audio = container.add_stream("libopus", rate=AUDIO_RATE, layout="mono",
                                     options={"frame_duration": "60", "compression_level": "0"})
        audio.bit_rate = 24_000
        sent = 0

        def send_audio(until: int) -> None:  # interleaved with the video, so players read the file in order
            nonlocal sent
            while sent < min(until, samples.size):
                chunk = samples[sent: min(until, sent + AUDIO_FRAME)]
                frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="flt", layout="mono")
                frame.sample_rate, frame.pts, frame.time_base = AUDIO_RATE, sent, Fraction(1, AUDIO_RATE)
                for packet in audio.encode(frame):
                    container.mux(packet)
                sent += chunk.size

        for now in range(seconds):  # each second's picture is drawn once and shown for FPS frames
            slide = next(n for n, s in enumerate(script) if s.start <= now < s.end)
            image = lib.Image.fromarray(pictures[slide])
            draw = lib.ImageDraw.Draw(image)
            draw.text((WIDTH - 24, HEADER // 2), f"{now // 60:02d}:{now % 60:02d} / {seconds // 60:02d}:"
                      f"{seconds % 60:02d}", font=small, fill="white", anchor="rm")
            draw.rectangle((0, HEADER, WIDTH, HEADER + 5), fill=TRACK)
            draw.rectangle((0, HEADER, round(WIDTH * (now + 1) / seconds), HEADER + 5), fill=ACCENT)
            frame = av.VideoFrame.from_ndarray(np.asarray(image), format="rgb24").reformat(format="yuv420p")
            for index in range(now * FPS, (now + 1) * FPS):
                frame.pts = index
                for packet in video.encode(frame):
                    container.mux(packet)
                send_audio((index + 1) * AUDIO_RATE // FPS)
        send_audio(samples.size)
        for stream in (video, audio):
            for packet in stream.encode():
                container.mux(packet)
