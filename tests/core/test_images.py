"""core.images: hostile and awkward uploads give a good picture or a clear error, never a crash."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from forward.core import images


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def upload(data: bytes, name: str = "picture.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")  # the browser's word, never trusted


def encoded(image: Image.Image, fmt: str, **kwargs) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def refused(data: bytes, kind: str = "logo") -> str:
    with pytest.raises(ValidationError) as info:
        images.process_upload(upload(data), kind=kind)
    message = " ".join(info.value.messages)
    assert "JPEG, PNG, WebP or GIF" in message  # every refusal says what works
    return message


def stored(stem: str, width: int) -> Image.Image:
    with default_storage.open(images.file_name(stem, width), "rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
        image.load()
    return image


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares a huge canvas (a decompression bomb, made cheaply)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_a_photo_becomes_two_webp_sizes_of_the_kinds_shape():
    photo = Image.new("RGB", (1200, 900), (200, 40, 40))
    stem = images.process_upload(upload(encoded(photo, "JPEG"), "photo.jpg"), kind="thumbnail")
    assert stem.startswith("faces/thumbnail/")
    big, small = stored(stem, 960), stored(stem, 480)
    assert (big.format, big.size) == ("WEBP", (960, 540))
    assert (small.format, small.size) == ("WEBP", (480, 270))


@pytest.mark.parametrize(("kind", "sizes"), [("banner", [(1500, 500), (750, 250)]),
                                             ("logo", [(256, 256), (64, 64)]),
                                             ("avatar", [(256, 256), (64, 64)])])
def test_each_kind_is_cropped_to_its_aspect(kind, sizes):
    stem = images.process_upload(upload(encoded(Image.new("RGB", (640, 480), "navy"), "PNG")), kind=kind)
    assert [stored(stem, w).size for w, _h in sizes] == sizes


def test_the_same_picture_is_stored_once_under_its_content_address():
    data = encoded(Image.new("RGB", (300, 300), "teal"), "PNG")
    assert images.process_upload(upload(data), kind="logo") == images.process_upload(upload(data), kind="logo")


def test_svg_is_refused_with_the_formats_that_work():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert "SVG" in refused(svg)


def test_html_renamed_png_is_refused():
    refused(b"<!doctype html><html><script>alert(document.cookie)</script></html>")


def test_other_image_formats_are_refused_by_name():
    bmp = encoded(Image.new("RGB", (10, 10)), "BMP")
    assert "BMP" in refused(bmp)


def test_truncated_png_is_refused_as_damaged():
    data = encoded(Image.effect_noise((400, 400), 50).convert("RGB"), "PNG")
    assert "damaged" in refused(data[: len(data) // 2])


def test_decompression_bomb_is_refused_before_decoding():
    assert "megapixels" in refused(png_header_only(50_000, 50_000))


def test_a_picture_just_over_the_pixel_limit_is_refused():
    assert "megapixels" in refused(png_header_only(8000, 5001))


def test_a_file_over_5_mb_is_refused_without_reading_it():
    assert "5 MB" in refused(b"\0" * (6 * 1024 * 1024))


def test_an_empty_file_is_refused():
    assert "empty" in refused(b"")


def test_exif_rotated_jpeg_comes_out_upright_and_without_exif():
    # A landscape picture, left half red, stored with "rotate 90° clockwise to view" (orientation 6).
    picture = Image.new("RGB", (400, 200), "blue")
    picture.paste((255, 0, 0), (0, 0, 200, 200))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "SecretCam"
    stem = images.process_upload(upload(encoded(picture, "JPEG", exif=exif), "phone.jpg"), kind="avatar")
    out = stored(stem, 256).convert("RGB")
    # Upright, it is portrait 200×400: the red half is on top; cropped square from the middle, the
    # top rows are red and the bottom rows blue.
    top, bottom = out.getpixel((128, 10)), out.getpixel((128, 245))
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60
    assert not out.getexif()
    assert "exif" not in stored(stem, 256).info and "icc_profile" not in stored(stem, 256).info


def test_cmyk_jpeg_is_converted():
    stem = images.process_upload(upload(encoded(Image.new("CMYK", (300, 300), (0, 255, 255, 0)), "JPEG")),
                                 kind="logo")
    red = stored(stem, 256).convert("RGB").getpixel((128, 128))
    assert red[0] > 200 and red[1] < 60


def test_16_bit_png_is_converted():
    deep = Image.new("I;16", (300, 300), 40000)
    stem = images.process_upload(upload(encoded(deep, "PNG")), kind="logo")
    assert stored(stem, 64).size == (64, 64)


def test_palette_with_transparency_keeps_its_alpha():
    pal = Image.new("P", (300, 300), 0)
    pal.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    pal.paste(1, (0, 0, 150, 300))
    stem = images.process_upload(upload(encoded(pal, "PNG", transparency=0)), kind="logo")
    out = stored(stem, 256)
    assert out.mode == "RGBA"
    assert out.getpixel((250, 128))[3] == 0 and out.getpixel((10, 128))[3] == 255


def test_animated_gif_takes_the_first_frame():
    frames = [Image.new("P", (200, 200), i % 2) for i in range(300)]
    for frame in frames:
        frame.putpalette([0, 200, 0, 200, 0, 200] + [0] * 762)
    data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=10, loop=0)
    stem = images.process_upload(upload(data, "anim.gif"), kind="avatar")
    out = stored(stem, 64).convert("RGB")
    assert out.getpixel((32, 32))[1] > 150  # frame 0 is green
    assert getattr(out, "n_frames", 1) == 1
