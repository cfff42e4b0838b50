"""Course bundles made to hurt: each is refused, with a message that says what to fix, before the
work it would cost (expanding YAML, unpacking, storing), and nothing changes."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

import pytest
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from forward.academy import bundle, bundle_input
from forward.academy.models import Course, CourseStatus
from tests.conftest import client_for

COURSE = b"slug: tiny\ntitle: Tiny course\n"
MODULE = {"01-start/module.yaml": b"title: Start\n",
          "01-start/01-read.md": b"---\nslug: read\ntitle: Read this\nkind: reading\n---\n# Hello\n"}
POLICY = (b"grading_policy:\n  types:\n  - {type: quiz, weight: 1, min_count: 1, drop_lowest: 0}\n"
          b"  cutoffs: {pass: 0.5}\n")


def tiny(course: bytes = COURSE, **more: bytes) -> dict[str, bytes]:
    return {"course.yaml": course, **MODULE, **{path.replace("__", "/"): data for path, data in more.items()}}


def make_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_with_zeros(files: dict[str, bytes], name: str, size: int) -> bytes:
    """A zip holding ``files`` and a member ``name`` of ``size`` zero bytes, written without making
    the zeros: after a full flush, each MiB of zeros deflates to the same bytes."""
    mib = bytes(1024 ** 2)
    assert size % len(mib) == 0
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = packer.compress(mib) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(mib) + packer.flush(zlib.Z_FULL_FLUSH)
    assert packer.compress(mib) + packer.flush(zlib.Z_FULL_FLUSH) == block
    crc = 0
    for _ in range(size // len(mib)):
        crc = zlib.crc32(mib, crc)
    members = [(path, data, zlib.crc32(data), len(data)) for path, data in files.items()]
    out, central = io.BytesIO(), io.BytesIO()
    for path, data, member_crc, length in [*members, (name, None, crc, size)]:
        if data is None:
            packed = head + block * (size // len(mib) - 1) + packer.flush()
        else:
            one = zlib.compressobj(9, zlib.DEFLATED, -15)
            packed = one.compress(data) + one.flush()
        encoded, offset = path.encode(), out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, member_crc, len(packed), length,
                              len(encoded), 0) + encoded + packed)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, member_crc, len(packed),
                                  length, len(encoded), 0, 0, 0, 0, 0o644 << 16, offset) + encoded)
    start, directory = out.tell(), central.getvalue()
    out.write(directory + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members) + 1, len(members) + 1,
                                      len(directory), start, 0))
    return out.getvalue()


@pytest.fixture
def nothing_unpacked(monkeypatch):
    """Fails the test if any zip member named in ``refuse`` is opened (that is, unpacked)."""
    refuse: set[str] = set()
    opened = zipfile.ZipFile.open

    def guarded(self, name, mode="r", *args, **kwargs):
        filename = name.filename if isinstance(name, zipfile.ZipInfo) else name
        assert mode != "r" or filename not in refuse, f"{filename} was unpacked"
        return opened(self, name, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", guarded)
    return refuse


def said(error: ValidationError) -> str:
    return " ".join(error.messages).replace("\xa0", " ")  # sizes are written with no-break spaces


def refused(files_or_zip, message: str, owner) -> None:
    before = Course.objects.count()
    with pytest.raises(ValidationError) as error:
        if isinstance(files_or_zip, bytes):
            bundle.import_zip(source=files_or_zip, owner=owner)
        else:
            bundle.course_import(files=files_or_zip, owner=owner)
    assert re.search(message, said(error.value)), said(error.value)
    assert Course.objects.count() == before


# --- YAML -----------------------------------------------------------------------------------------

def alias_bomb(levels: int, fan: int = 10) -> bytes:
    """A grading policy whose unknown field expands to fan ** levels leaves; a few hundred bytes."""
    lines = [POLICY, b"  notes:\n", b"    l0: &l0 [" + b", ".join([b"lol"] * fan) + b"]\n"]
    for level in range(1, levels):
        lines.append(b"    l%d: &l%d [" % (level, level) + b", ".join([b"*l%d" % (level - 1)] * fan) + b"]\n")
    return COURSE + b"".join(lines)


def test_a_yaml_alias_bomb_is_refused_without_expanding_it(org):
    bomb = alias_bomb(levels=7)  # 10 ** 7 leaves: the 2.1 GB, 30 s and 100 MB grading policy
    assert len(bomb) < 1000
    refused(tiny(bomb), r"^course\.yaml line 8: YAML anchors \(&l0\) are not allowed; write the value out\.$",
            org)
    refused(make_zip(tiny(bomb)), r"YAML anchors \(&l0\) are not allowed", org)  # zipped: the same


@pytest.mark.parametrize("text, message", [
    (b"title: &t Tiny\nsummary: *t\n", r"course\.yaml line 2: YAML anchors \(&t\) are not allowed"),
    (b"title: Tiny\nsummary: *t\n", r"course\.yaml line 3: YAML aliases \(\*t\) are not allowed; write the value out"),
    (b"title: Tiny\n<<: *base\n", r"course\.yaml line 3: YAML aliases \(\*base\) are not allowed"),
])
def test_yaml_anchors_and_aliases_are_refused_wherever_they_are(org, text, message):
    refused(tiny(b"slug: tiny\n" + text), message, org)


def test_yaml_nested_too_deep_is_refused(org):
    deep = b"slug: tiny\ntitle: Tiny\nsummary: " + b"[" * 50_000 + b"]" * 50_000 + b"\n"  # today: RecursionError
    refused(tiny(deep), r"course\.yaml line 3: nested more than 20 levels deep", org)


def test_too_many_yaml_values_are_refused_in_a_file_and_in_the_whole_bundle(org, monkeypatch):
    monkeypatch.setattr(bundle_input, "MAX_YAML_NODES", 100)
    many = b"title: Check\nquestions:\n- kind: single\n  prompt: Which?\n  options: [" + b", ".join(
        [b"a"] * 200) + b"]\n  correct: [0]\n"
    refused(tiny(**{"01-start__01-read.questions.yaml": many}),
            r"01-start/01-read\.questions\.yaml line 5: more than 100 values in one file; split it", org)
    monkeypatch.setattr(bundle_input, "MAX_YAML_NODES", 1000)
    monkeypatch.setattr(bundle_input, "MAX_BUNDLE_YAML_NODES", 40)
    lessons = {f"01-start__{n:02d}-l{n}.md": b"---\nslug: l%d\ntitle: L\nkind: reading\n---\n" % n
               for n in range(2, 9)}
    refused(tiny(**lessons), "the bundle's YAML files hold more than 40 values together", org)


def test_a_yaml_text_too_long_is_refused(org, monkeypatch):
    monkeypatch.setattr(bundle_input, "MAX_YAML_TEXT", 1000)
    refused(tiny(COURSE + b"summary: " + b"x" * 1001 + b"\n"),
            r"course\.yaml line 3: a text longer than 1000 characters", org)


@pytest.mark.parametrize("line, message", [
    (b"closes_at: 2027-02-30\n", r"assessments/01-final\.yaml holds a value that cannot be read"),  # no such day
    (b"attempts_allowed: " + b"9" * 5000 + b"\n", r"assessments/01-final\.yaml holds a value that cannot be read"),
])
def test_yaml_values_python_cannot_build_are_refused_not_a_crash(org, line, message):
    refused(tiny(**{"assessments__01-final.yaml": b"title: Final\n" + line}), message, org)


def test_a_grading_policy_is_bounded_in_size_and_shape(org):
    types = b"".join(b"  - {type: t%d, weight: 0.001, min_count: 1, drop_lowest: 0}\n" % n for n in range(1000))
    refused(tiny(COURSE + b"grading_policy:\n  types:\n" + types + b"  cutoffs: {pass: 0.5}\n"),
            "course.yaml: grading_policy: A policy has at most 20 assessment types and 10 cutoffs", org)
    refused(tiny(COURSE + POLICY + b"  notes: [" + b", ".join([b"x" * 100] * 1000) + b"]\n"),
            "course.yaml: grading_policy: Unknown field “notes”: a policy has types, cutoffs, certificates", org)
    refused(tiny(COURSE + POLICY.replace(b"type: quiz", b"type: " + b"q" * 6000)),
            "course.yaml: grading_policy: The policy is longer than 5000 characters", org)


# --- Zips and folders -----------------------------------------------------------------------------

def test_an_unused_huge_member_is_refused_before_it_is_unpacked(org, nothing_unpacked):
    gigabytes = 1900 * 1024 ** 2
    data = zip_with_zeros({f"tiny/{p}": d for p, d in tiny().items()}, "tiny/backup.bin", gigabytes)
    assert len(data) < 2.5 * 1024 ** 2  # the 2.3 MB zip holding 1.9 GB
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("tiny/backup.bin").file_size == gigabytes
    nothing_unpacked.add("tiny/backup.bin")
    refused(data, r"The bundle holds files it does not use: backup\.bin\. Remove them", org)


def test_unused_files_are_refused_and_os_junk_and_notes_are_ignored_unread(org, nothing_unpacked):
    refused(tiny(**{"slides__deck.pdf": b"%PDF", "01-start__notes__x.md": b"x"}),
            r"does not use: 01-start/notes/x\.md, slides/deck\.pdf\.", org)
    junk = {"__MACOSX/tiny/._course.yaml": b"x", "tiny/.DS_Store": b"x", "tiny/Thumbs.db": b"x",
            "tiny/.git/objects/pack/big.pack": b"x" * 100, "tiny/README.md": b"About", "tiny/LICENSE": b"CC-BY"}
    nothing_unpacked.update(junk)
    course = bundle.import_zip(source=make_zip({**{f"tiny/{p}": d for p, d in tiny().items()}, **junk}), owner=org)
    assert course.slug == "tiny"


def test_a_member_over_its_size_limit_is_refused_before_it_is_unpacked(org, nothing_unpacked, monkeypatch):
    body = MODULE["01-start/01-read.md"] + b"x" * (5 * 1024 ** 2)
    nothing_unpacked.add("01-start/01-read.md")
    refused(make_zip(tiny(**{"01-start__01-read.md": body})),
            r"01-start/01-read\.md is larger than 5\.0 MB \(it holds 5\.0 MB\)", org)
    monkeypatch.setattr(bundle_input, "MAX_VIDEO_BYTES", 1024 ** 2)  # as the studio's upload limit
    video = b"\x00\x00\x00\x18ftypisom" + bytes(1024 ** 2)
    lesson = b"---\nslug: read\ntitle: Read\nkind: video\nvideo_file: 01-read.mp4\n---\n"
    nothing_unpacked.add("01-start/01-read.mp4")
    refused(make_zip(tiny(**{"01-start__01-read.md": lesson, "01-start__01-read.mp4": video})),
            r"01-start/01-read\.mp4 is larger than 1\.0 MB", org)


def test_a_video_no_lesson_names_is_refused_without_being_unpacked(org, nothing_unpacked):
    video = b"\x00\x00\x00\x18ftypisom" + bytes(1024)
    nothing_unpacked.add("01-start/02-unused.mp4")
    refused(make_zip(tiny(**{"01-start__02-unused.mp4": video})), r"01-start/02-unused\.mp4 belongs to no lesson", org)


def test_a_zip_listing_too_many_files_is_refused_before_its_directory_is_read(org, monkeypatch):
    data = make_zip({**tiny(), **{f"01-start/{n:04d}-x.vtt": b"" for n in range(bundle_input.MAX_FILES)}})
    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", None)  # would build an object per listed file
    refused(data, r"The bundle holds more than 5000 files", org)


def test_a_member_is_never_read_past_the_size_its_header_declares():
    stream = io.BytesIO(b"x" * 5000)  # what a member whose header says 100 bytes may really hold
    with pytest.raises(ValidationError, match=r"a\.md unpacks to more than the zip says it holds"):
        bundle_input._read_at_most("a.md", stream, 100)
    assert stream.tell() <= 101


def test_a_folder_has_the_same_limits_and_its_unused_files_are_refused(org, tmp_path, monkeypatch):
    for path, data in tiny(**{"scripts__build.sh": b"make"}).items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    with pytest.raises(ValidationError, match=r"does not use: scripts/build\.sh"):
        bundle.import_dir(path=tmp_path, owner=org)
    (tmp_path / "scripts" / "build.sh").unlink()
    monkeypatch.setattr(bundle_input, "MAX_TEXT_BYTES", 10)
    with pytest.raises(ValidationError) as error:
        bundle.import_dir(path=tmp_path, owner=org)
    assert said(error.value).startswith("01-start/01-read.md is larger than 10 bytes (it holds 58 bytes).")


# --- Uploads --------------------------------------------------------------------------------------

def test_an_upload_over_the_limit_is_refused_before_it_is_opened(people, settings, monkeypatch):
    settings.FORWARD_BUNDLE_MAX_MB = 1
    monkeypatch.setattr(zipfile, "ZipFile", None)  # not even opened
    upload = SimpleUploadedFile("course.zip", b"PK" + bytes(1024 ** 2), content_type="application/zip")
    response = client_for(people.admin).post(reverse("academy:studio_import"),
                                             {"owner": people.org.pk, "bundle": upload}, follow=True)
    assert [str(m).replace("\xa0", " ") for m in response.context["messages"]] == [
        "The zip is larger than 1.0 MB, the largest course bundle this site accepts. Link to large videos instead "
        "of including them."]
    assert not Course.objects.filter(owner=people.org).exists()


def test_an_upload_is_read_from_its_temporary_file_not_into_memory(people, settings, monkeypatch):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # Django spools anything larger to a temporary file
    upload = SimpleUploadedFile("course.zip", make_zip(tiny()), content_type="application/zip")
    seen = []
    opening = zipfile.ZipFile.__init__

    def spy(self, file, *args, **kwargs):
        seen.append(file)
        opening(self, file, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", spy)
    response = client_for(people.admin).post(reverse("academy:studio_import"),
                                             {"owner": people.org.pk, "bundle": upload})
    assert response.status_code == 302 and Course.objects.get(slug="tiny").owner == people.org
    [source] = seen  # the zip is opened once, on the temporary file Django wrote, not on a copy in memory
    assert not isinstance(source, io.BytesIO) and source.temporary_file_path()


# --- Another organization's draft -----------------------------------------------------------------

@pytest.fixture
def secret(people) -> Course:
    """Org A's draft: nobody outside its team may learn that it exists."""
    return Course.objects.create(slug="secret-course", title="Unannounced", owner=people.org)


def test_importing_over_another_organizations_draft_does_not_reveal_it(people, secret):
    files = tiny(b"slug: secret-course\ntitle: Ours\n")
    course = bundle.course_import(files=files, owner=people.other_org, actor=people.other_admin)
    assert (course.slug, course.owner, course.status) == ("secret-course-2", people.other_org, CourseStatus.DRAFT)
    assert Course.objects.get(pk=secret.pk).title == "Unannounced" and secret.modules.count() == 0
    # A published course's slug is public anyway; importing over it does exactly the same.
    Course.objects.filter(pk=secret.pk).update(status=CourseStatus.PUBLISHED)
    again = bundle.course_import(files=files, owner=people.other_org, actor=people.other_admin)
    assert (again.slug, again.owner) == ("secret-course-3", people.other_org)
    # The copy's own slug (what its export says) updates it in place.
    files["course.yaml"] = b"slug: secret-course-2\ntitle: Ours, v2\n"
    assert bundle.course_import(files=files, owner=people.other_org, actor=people.other_admin).pk == course.pk
    # Naming it as a prerequisite: the same answer as for a course that does not exist.
    Course.objects.filter(pk=secret.pk).update(status=CourseStatus.DRAFT)
    for name in ("secret-course", "no-such-course"):
        with pytest.raises(ValidationError, match=rf"^\['course\.yaml: prerequisites: no course has the slug {name}\. "):
            bundle.course_import(files=tiny(b"slug: mine\ntitle: Mine\nprerequisites: [%s]\n" % name.encode()),
                                 owner=people.other_org, actor=people.other_admin)


def test_the_studio_import_answers_alike_whether_or_not_another_organization_has_a_draft(people, secret):
    client = client_for(people.other_admin)
    answers = []
    for slug in (b"secret-course", b"free-course"):
        upload = SimpleUploadedFile("course.zip", make_zip(tiny(b"slug: %s\ntitle: Ours\n" % slug)))
        response = client.post(reverse("academy:studio_import"), {"owner": people.other_org.pk, "bundle": upload},
                               follow=True)
        course = Course.objects.filter(owner=people.other_org).latest("pk")
        assert response.redirect_chain == [(reverse("academy:studio_course", args=[course.slug]), 302)]
        said = [(m.level, str(m).replace(course.slug, "SLUG")) for m in response.context["messages"]]
        answers.append((response.status_code, said))
    assert answers[0] == answers[1] == (200, [(messages.SUCCESS, "Imported “Ours” with the short name “SLUG”.")])
    assert sorted(Course.objects.filter(owner=people.other_org).values_list("slug", flat=True)) == [
        "free-course", "secret-course-2"]
    assert Course.objects.get(pk=secret.pk).title == "Unannounced"


def test_the_import_command_refuses_a_zip_over_the_limit_before_reading_it(org, settings, tmp_path):
    settings.FORWARD_BUNDLE_MAX_MB = 1
    path = tmp_path / "course.zip"
    path.write_bytes(make_zip(tiny()) + bytes(1024 ** 2))
    with pytest.raises(CommandError, match=r"The zip is larger than 1\.0.MB"):
        call_command("course_import", str(path), owner=org.slug)
