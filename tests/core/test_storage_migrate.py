"""storage_migrate: every stored file reaches the other storage byte for byte, a re-run resumes, and
the app serves the migrated files once the default storage points at the target (real SeaweedFS)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError

from forward import testing_s3
from forward.core.storage_migrate import MigrationRefused, storage_migrate
from forward.storage_url import storage_config, storage_from_url
from tests.competitions.conftest import team, upload, world  # noqa: F401 - fixtures for the download test
from tests.conftest import client_for

BIG = 3 * 1024 * 1024 + 12345  # past one 1 MB chunk three times, and not a multiple of it


def sample_tree() -> dict[str, bytes]:
    return {
        "readme.txt": b"top level\n",
        "competitions/7/phase-1/data/3f2a.csv": b"id,x\n1,2\n",
        "competitions/7/phase-1/solution/9c1d.csv.gz": bytes(range(256)) * 4,
        "academy/videos/lecture-1.mp4": os.urandom(BIG),
        "name with spaces/ünïcødé 文件 (1).txt": "héllo wörld\n".encode(),
        "empty.bin": b"",
    }


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def read_tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in root.rglob("*") if path.is_file()}


def bucket_objects(client, bucket: str) -> dict[str, bytes]:
    keys = [entry["Key"] for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
            for entry in page.get("Contents", ())]
    return {key: client.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


def s3_url(server, bucket: str, prefix: str = "") -> str:
    path = f"/{prefix}" if prefix else ""
    return f"s3://{bucket}{path}?endpoint={server.endpoint}&region={testing_s3.REGION}"


def migrate(*args: str) -> str:
    out = io.StringIO()
    call_command("storage_migrate", *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def s3_credentials(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", testing_s3.ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", testing_s3.SECRET_KEY)


@pytest.fixture
def source(tmp_path) -> tuple[Path, dict[str, bytes]]:
    root = tmp_path / "files"
    files = sample_tree()
    write_tree(root, files)
    return root, files


def test_local_to_s3_copies_every_file_byte_for_byte_and_a_rerun_skips_them_all(s3_server, s3_credentials,
                                                                                 source):
    root, files = source
    bucket = s3_server.create_bucket()
    url = s3_url(s3_server, bucket, "forward/files")

    output = migrate("--from", f"file://{root}", "--to", url)

    assert "Copied 6 files" in output
    assert f"FORWARD_STORAGE_URL={url}" in output
    client = s3_server.client()
    assert bucket_objects(client, bucket) == {f"forward/files/{name}": data for name, data in files.items()}
    target = storage_from_url(url)  # the app, configured with the URL, finds each file under its old name
    for name, data in files.items():
        with target.open(name, "rb") as stored:
            assert stored.read() == data
    assert client.head_object(Bucket=bucket, Key="forward/files/readme.txt")["ContentType"] == "text/plain"

    again = migrate("--from", f"file://{root}", "--to", url)
    assert "Copied 0 files (0 bytes); 6 already there; 0 failed" in again
    report = storage_migrate(FileSystemStorage(location=root), target)
    assert sorted(report.skipped) == sorted(files) and report.copied == [] and report.failed == []


def test_an_object_with_other_bytes_under_the_same_name_is_copied_again(s3_server, s3_credentials, source):
    root, files = source
    bucket = s3_server.create_bucket()
    url = s3_url(s3_server, bucket)
    migrate("--from", f"file://{root}", "--to", url)
    client = s3_server.client()
    client.put_object(Bucket=bucket, Key="readme.txt", Body=b"a different, longer text\n")
    # Same size, different bytes: only the checksum tells them apart.
    client.put_object(Bucket=bucket, Key="competitions/7/phase-1/data/3f2a.csv", Body=b"id,x\n1,3\n")

    report = storage_migrate(FileSystemStorage(location=root), storage_from_url(url))

    assert sorted(report.copied) == ["competitions/7/phase-1/data/3f2a.csv", "readme.txt"]
    assert len(report.skipped) == 4 and report.failed == []
    assert report.bytes_copied == len(files["readme.txt"]) + len(files["competitions/7/phase-1/data/3f2a.csv"])
    assert bucket_objects(client, bucket) == files


def test_s3_to_local_round_trip_brings_back_exactly_the_files_under_the_prefix(s3_server, s3_credentials, source,
                                                                               tmp_path):
    root, files = source
    bucket = s3_server.create_bucket()
    url = s3_url(s3_server, bucket, "site")
    migrate("--from", f"file://{root}", "--to", url)
    client = s3_server.client()
    client.put_object(Bucket=bucket, Key="elsewhere/not-ours.txt", Body=b"another app's file")
    client.put_object(Bucket=bucket, Key="site/folder-marker/", Body=b"")
    back = tmp_path / "back" / "files"

    output = migrate("--from", url, "--to", f"file://{back}")

    assert "Copied 6 files" in output
    assert read_tree(back) == files
    assert not list(back.rglob(".storage-migrate-*"))  # no temporary file is left behind


def test_a_dry_run_lists_what_it_would_copy_and_copies_nothing(s3_server, s3_credentials, source, tmp_path):
    root, files = source
    bucket = s3_server.create_bucket()
    url = s3_url(s3_server, bucket)
    client = s3_server.client()
    client.put_object(Bucket=bucket, Key="readme.txt", Body=files["readme.txt"])

    output = migrate("--from", f"file://{root}", "--to", url, "--dry-run")

    assert "Would copy academy/videos/lecture-1.mp4 (3.0 MB)" in output
    assert "Would copy name with spaces/ünïcødé 文件 (1).txt" in output
    assert "Would copy readme.txt" not in output
    assert "5 files (3.0 MB) would be copied; 1 already there" in output
    assert "FORWARD_STORAGE_URL" not in output
    assert bucket_objects(client, bucket) == {"readme.txt": files["readme.txt"]}
    local = tmp_path / "not-yet"
    assert "6 files" in migrate("--from", f"file://{root}", "--to", f"file://{local}", "--dry-run")
    assert not local.exists()


@pytest.mark.parametrize("url", ["nonsense", "ftp://example.test/files", "file://relative/files", "s3://",
                                 "s3://bucket?endpoint=ftp://x", "s3://bucket?colour=blue"])
def test_a_malformed_url_is_refused_with_its_reason(source, url):
    root, files = source
    with pytest.raises(CommandError) as refused:
        migrate("--from", f"file://{root}", "--to", url)
    assert refused.value.returncode == 2
    assert str(refused.value).startswith("--to: ")
    assert read_tree(root) == files


def test_the_same_place_or_one_inside_the_other_is_refused(s3_server, s3_credentials, source):
    root, files = source
    for target in (f"file://{root}", f"file://{root}/", f"file://{root}/copy", f"file://{root.parent}"):
        with pytest.raises(CommandError, match="same place") as refused:
            migrate("--from", f"file://{root}", "--to", target)
        assert refused.value.returncode == 2
    assert read_tree(root) == files

    bucket = s3_server.create_bucket()
    url = s3_url(s3_server, bucket, "a")
    migrate("--from", f"file://{root}", "--to", url)
    for target in (url, s3_url(s3_server, bucket, "a/b"), s3_url(s3_server, bucket)):
        with pytest.raises(CommandError, match="same place"):
            migrate("--from", url, "--to", target)
    other_prefix = s3_url(s3_server, bucket, "ab")  # a sibling prefix is another place
    assert "Copied 6 files" in migrate("--from", url, "--to", other_prefix)


def test_a_missing_bucket_or_refused_credentials_is_one_clear_error(s3_server, s3_credentials, source,
                                                                     monkeypatch):
    root, _files = source
    missing = s3_url(s3_server, "no-such-bucket-here")
    with pytest.raises(CommandError, match="does not exist") as refused:
        migrate("--from", f"file://{root}", "--to", missing)
    assert refused.value.returncode == 2

    bucket = s3_server.create_bucket()
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    with pytest.raises(CommandError, match="refused access") as refused:
        migrate("--from", f"file://{root}", "--to", s3_url(s3_server, bucket))
    assert refused.value.returncode == 2
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", testing_s3.SECRET_KEY)
    assert bucket_objects(s3_server.client(), bucket) == {}


def test_the_forward_command_prints_one_line_and_exits_2(s3_server, source, tmp_path):
    root, _files = source
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FORWARD_", "AWS_"))}
    env.update(FORWARD_DEBUG="true", FORWARD_DATA_DIR=str(tmp_path / "data"),
               AWS_ACCESS_KEY_ID=testing_s3.ACCESS_KEY, AWS_SECRET_ACCESS_KEY=testing_s3.SECRET_KEY)
    for url, words in (("s3://", "names no bucket"), (s3_url(s3_server, "no-such-bucket"), "does not exist")):
        result = subprocess.run([sys.executable, "-m", "forward", "manage", "storage_migrate", "--from",
                                 f"file://{root}", "--to", url], env=env, capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0], result.stderr


def test_a_file_that_cannot_be_copied_is_reported_and_the_others_are_copied(source, tmp_path):
    root, files = source
    (root / "dangling.csv").symlink_to(root / "gone.csv")  # listed, but unreadable
    target = tmp_path / "target"
    (target / "readme.txt").mkdir(parents=True)  # the name is taken by a directory in the target

    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="run the same command again") as failed:
        call_command("storage_migrate", "--from", f"file://{root}", "--to", f"file://{target}", stdout=out,
                     stderr=err)

    assert failed.value.returncode == 1
    assert "Copied 5 files" in out.getvalue() and "2 failed" in out.getvalue()
    assert "Failed: dangling.csv: The source has no readable file under this name" in err.getvalue()
    assert "Failed: readme.txt: Is a directory" in err.getvalue()
    report = storage_migrate(FileSystemStorage(location=root), FileSystemStorage(location=target))
    assert sorted(failure.name for failure in report.failed) == ["dangling.csv", "readme.txt"]
    assert sorted(report.skipped) == sorted(set(files) - {"readme.txt"})
    assert {name: data for name, data in read_tree(target).items()} == {
        name: data for name, data in files.items() if name != "readme.txt"}


def test_the_service_refuses_an_unsupported_storage(tmp_path):
    from django.core.files.storage import InMemoryStorage

    with pytest.raises(MigrationRefused, match="InMemoryStorage"):
        storage_migrate(InMemoryStorage(), FileSystemStorage(location=tmp_path))


@pytest.fixture
def local_default(settings, tmp_path):
    """The default storage on a directory of its own, as a demo or an existing deployment has it."""
    settings.STORAGES = {**settings.STORAGES, "default": storage_config("", media_root=tmp_path / "old-files")}
    return tmp_path / "old-files"


def test_after_migrating_and_switching_the_storage_the_download_view_serves_the_file(
        local_default, s3_server, s3_credentials, settings, world, team):  # noqa: F811
    from forward.competitions import services

    data = b"id,x\n" + b"".join(f"{i},{i * i}\n".encode() for i in range(50_000))
    datafile = services.datafile_upload(actor=world.host_user, phase=world.phase, upload=upload(data, "train.csv"))
    assert (local_default / datafile.file).read_bytes() == data
    url = s3_url(s3_server, s3_server.create_bucket(), "forward")

    output = migrate("--to", url)  # from the configured default storage

    assert "0 failed" in output
    settings.FORWARD_STORAGE_URL = url
    settings.STORAGES = {**settings.STORAGES, "default": storage_config(
        url, media_root=settings.MEDIA_ROOT, presign_seconds=settings.FORWARD_STORAGE_PRESIGN_SECONDS)}
    (local_default / datafile.file).unlink()  # the old copy is gone: only the bucket can answer
    download = f"/competitions/{world.competition.slug}/data/{datafile.pk}/download/"
    response = client_for(world.alice).get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert client_for(world.carol).get(download).status_code == 403  # still checked: Carol has not registered
    solution = client_for(world.host_member).get(f"/competitions/{world.competition.slug}/host/solution/1/download/")
    assert solution.status_code == 200
    assert b"Usage" in b"".join(solution.streaming_content)


def test_a_linked_directory_is_copied_once_and_a_link_loop_ends(tmp_path):
    root, elsewhere = tmp_path / "files", tmp_path / "big-disk"
    write_tree(root, {"readme.txt": b"top\n"})
    write_tree(elsewhere, {"lecture.mp4": b"video"})
    (root / "videos").symlink_to(elsewhere)
    (elsewhere / "loop").symlink_to(root)

    report = storage_migrate(FileSystemStorage(location=root), FileSystemStorage(location=tmp_path / "copy"))

    assert report.failed == []
    assert read_tree(tmp_path / "copy") == {"readme.txt": b"top\n", "videos/lecture.mp4": b"video"}


def test_a_long_run_prints_a_progress_line_every_500_files(tmp_path):
    root = tmp_path / "many"
    write_tree(root, {f"submissions/{i // 100}/{i}.csv": f"id\n{i}\n".encode() for i in range(1001)})

    output = migrate("--from", f"file://{root}", "--to", f"file://{tmp_path / 'copy'}")

    counts = [line.split(" files checked")[0] for line in output.splitlines() if " files checked:" in line]
    assert "500" in counts and "1000" in counts  # (a slow machine adds a line every 10 s too)
    assert "Copied 1001 files" in output
    assert read_tree(tmp_path / "copy") == read_tree(root)


def test_a_source_directory_that_does_not_exist_is_refused_and_no_target_is_created(tmp_path):
    with pytest.raises(CommandError, match=r"Nothing to copy: the directory .* does not exist") as refused:
        migrate("--from", f"file://{tmp_path / 'typo'}", "--to", f"file://{tmp_path / 'copy'}")
    assert refused.value.returncode == 2
    assert not (tmp_path / "copy").exists()
