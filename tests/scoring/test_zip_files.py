"""A .zip submission: exactly one CSV (folders, macOS metadata and hidden files aside), within the
byte and line limits, not a compression bomb, in a compression Python reads; each refusal says what
to do instead."""

import os
import zipfile

import pytest

from forward.scoring import SubmissionError
from forward.scoring.reading import RATIO_FLOOR, Limits, plain_csv

CSV = b"id,target\n1,0.5\n2,0.25\n"


def zipped(tmp_path, members: dict[str, bytes], method=zipfile.ZIP_DEFLATED):
    path = tmp_path / "submission.zip"
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, content in members.items():
            if name.endswith("/"):
                archive.mkdir(name)
            else:
                archive.writestr(name, content)
    return path


def opened(path, limits: Limits | int = 10 * 1024**2) -> bytes:
    with plain_csv(path, SubmissionError, limits) as plain:
        return plain.read_bytes()


def refusal(path, limits: Limits | int = 10 * 1024**2) -> str:
    with pytest.raises(SubmissionError) as refused:
        opened(path, limits)
    return str(refused.value)


def test_folders_macos_metadata_and_hidden_files_are_not_counted(tmp_path):
    path = zipped(tmp_path, {"data/": b"", "data/predictions.csv": CSV, "__MACOSX/data/._predictions.csv": b"meta",
                             ".DS_Store": b"finder", "data/.hidden": b"x"})
    assert opened(path) == CSV


def test_a_damaged_zip_is_refused(tmp_path):
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04" + b"not really a zip file" * 10)
    assert refusal(path) == "The .zip file is damaged; create it again."


def test_a_zip_with_no_file_is_refused(tmp_path):
    path = zipped(tmp_path, {"data/": b"", ".DS_Store": b"finder"})
    assert refusal(path) == "The .zip file holds no file; put your CSV in it."


def test_a_zip_with_several_files_names_the_first_three(tmp_path):
    path = zipped(tmp_path, {name: CSV for name in ("a.csv", "b.csv", "c.csv", "d.csv")})
    assert refusal(path) == "The .zip file holds 4 files (a.csv, b.csv, c.csv …); it must hold exactly one CSV."


def test_the_csv_inside_may_be_as_large_as_the_limit_and_no_larger(tmp_path):
    assert opened(zipped(tmp_path, {"a.csv": CSV}), len(CSV)) == CSV
    assert refusal(zipped(tmp_path, {"a.csv": CSV}), len(CSV) - 1) == "The CSV inside the .zip is 1 KB, more than 1 KB, the limit."


def test_too_many_lines_inside_are_refused_as_they_are_read(tmp_path):
    limits = Limits(max_lines=2, expected="a submission for this competition has 1 row")
    assert refusal(zipped(tmp_path, {"a.csv": CSV}), limits) == (
        "The file has more than 1 rows; a submission for this competition has 1 row.")


def test_a_small_file_that_compresses_well_is_no_bomb(tmp_path):
    content = b"id,target\n" + b"1,0\n" * 50_000  # 200 KB that DEFLATE packs about 300-fold
    path = zipped(tmp_path, {"a.csv": content})
    with zipfile.ZipFile(path) as archive:
        assert archive.infolist()[0].file_size > 100 * archive.infolist()[0].compress_size
    assert opened(path) == content


def test_past_50_mb_a_file_that_expands_more_than_100_fold_is_a_bomb(tmp_path):
    limits = 200 * 1024**2
    at_the_floor = b"id,target\n" + b"0" * (RATIO_FLOOR - 10)
    assert len(opened(zipped(tmp_path, {"a.csv": at_the_floor}), limits)) == RATIO_FLOOR
    assert refusal(zipped(tmp_path, {"a.csv": at_the_floor + b"0"}), limits) == (
        "The .zip file expands more than 100-fold; that looks like a compression bomb, so it was not opened.")


def test_past_50_mb_a_file_that_does_not_compress_is_read(tmp_path):
    content = b"id,target\n" + os.urandom(RATIO_FLOOR)  # DEFLATE cannot shrink random bytes
    assert opened(zipped(tmp_path, {"a.csv": content}), 200 * 1024**2) == content


def test_an_encrypted_zip_is_refused_with_what_to_use_instead(tmp_path):
    path = zipped(tmp_path, {"a.csv": CSV})
    data = bytearray(path.read_bytes())
    for signature, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set "encrypted" in both headers
        at = data.index(signature)
        data[at + flags] |= 1
    path.write_bytes(bytes(data))
    message = refusal(path)
    assert message.startswith("The .zip file cannot be read (") and "encrypted" in message
    assert message.endswith("); use standard ZIP compression.")
