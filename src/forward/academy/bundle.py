"""Courses as folders of Markdown + YAML, so a course team can keep its content in git.

A bundle is a folder, or a zip holding one (``export_zip`` puts everything under ``<slug>/``)::

    .gitattributes                                 "* -text": git keeps every byte (no newline conversion)
    course.yaml                                    slug, title, summary, status, level, language, skills,
                                                   hours, credit units, prerequisites (course slugs), grading policy
    01-what-the-cloud-is/module.yaml               the module's title; module folders sort by their number
    01-what-the-cloud-is/01-lecture.md             front matter (slug, title, kind, minutes, video_url, lab_url,
                                                   video_file) between "---" lines, then the lesson's Markdown
    01-what-the-cloud-is/01-lecture.vtt            its captions (WebVTT), when it has them
    01-what-the-cloud-is/01-lecture.transcript.md  its transcript, when it has one
    01-what-the-cloud-is/01-lecture.mp4            its uploaded video, byte for byte
    02-practice/01-check.md
    02-practice/01-check.questions.yaml            the lesson's quiz or exam: its settings and questions
    assessments/01-final-exam.yaml                 a graded assessment that is not a lesson

Decisions:

* Lossless. Export → import → export gives the same bytes, and every field of the course, its modules,
  lessons, assessments, questions, skills, prerequisites and uploaded videos survives (tested with awkward
  text). Bodies, captions and transcripts are the files' bytes exactly (UTF-8, no newline conversion:
  "\\r\\n" stays "\\r\\n", trailing spaces and blank lines stay). An editor may write the front-matter fences as
  "---\\r\\n". YAML strings of several lines are literal blocks ("|") so diffs read line by line; strings
  YAML would misread ("yes", "null", "1.0", ": ") are quoted; nothing is folded.
* Not in a bundle: the course team (``authors``), when the course was created or published, its runs and
  everything learners did. They belong to this Forward, not to the content. Whoever imports a new course
  joins its team.
* Status. ``status`` is exported. Importing into an existing course keeps its draft or published state
  (publishing is a decision taken in the studio, with its checks); a new course is a draft unless its
  bundle says ``status: published``.
* Skills are Forward's shared list: matched by slug; an unknown slug adds the skill; a known skill keeps
  its name.
* Updating in place. A bundle whose slug is a course of the same organization updates that course. A
  slug another organization uses (for a draft or a published course) is left alone: the bundle becomes a
  new course under the first free ``slug-2``, ``slug-3``, …, so an import never tells whose the slug is or
  that a draft exists. Prerequisites name published courses or the organization's own.
  Lessons match by slug; modules by title; questions by prompt and assessments that are not lessons by
  title. What is left unmatched is taken as edited when it stands at the same position (and, for questions
  and assessments, is of the same kind); anything else is new. So learners' progress, attempts and
  enrolments stay attached, and a question inserted or moved never takes over another's answers. What
  the bundle no longer has is deleted, except an assessment learners have answered: the bundle must keep
  it (the import is refused and says so, as the studio does).
* Layout. Module folders are named NN-…, lesson files NN-slug.md; the numbers give the order (a new
  export renumbers them 01, 02, …). Every file must belong to the course: one in a module folder to a
  lesson, and any other file is refused, except hidden files, what operating systems add to zips and notes
  at the top (README, LICENSE, …), which are ignored unread (``bundle_input``).
* Bad input changes nothing. Uploaded videos are stored before the one transaction and removed again if
  it fails. Errors name the file (and the line, where YAML gives one) and what to fix. Unknown fields
  are errors, so a misspelt field is never dropped silently. Bundles are bounded (size of the zip, of each
  file and in all, number of files; YAML without anchors or aliases, nesting, values, text length) before
  the work they would cost, and may not point outside themselves (``bundle_input``).
* ``correct`` holds option indexes counted from 0 (as the models do), a one-number list for numeric
  questions, or accepted answers for text questions.
"""

from __future__ import annotations

import io
import json
import math
import re
import uuid
import zipfile
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from forward.core.audit import AuditAction
from forward.core.models import Organization, Skill, User

from .authoring import MAX_VIDEO_BYTES, VIDEO_TYPES, _delete_unused_video
from .bundle_input import (
    CHUNK,
    MODULE_DIR,
    ZipBundle,
    ZipSource,
    _load,
    _text,
    open_zip,
    read_dir,
    read_zip,  # noqa: F401 - part of this module's interface, with read_dir
    select,
    yaml_budget,
)
from .grading import policy_errors
from .models import (
    Assessment,
    Attempt,
    Course,
    CourseStatus,
    Lesson,
    Module,
    Question,
    QuestionKind,
)

FORMAT = "forward-course/1"
GITATTRIBUTES = (b"# A Forward course bundle: git keeps every byte as exported (no newline conversion).\n"
                 b"* -text\n")
QUESTIONS_HEADER = (b"# correct: option indexes counted from 0 (single, multiple), [a number] (numeric),\n"
                    b"# or the accepted answers (text).\n")
LESSON_FILE = re.compile(r"^(\d+)-[-A-Za-z0-9_]+\.md$")
COURSE_FIELDS = ("slug", "title", "summary", "level", "language", "estimated_hours", "credit_units",
                 "grading_policy")
COURSE_KEYS = ("format", "status", "skills", "prerequisites", *COURSE_FIELDS)
LESSON_FIELDS = ("slug", "title", "kind", "minutes", "video_url", "lab_url")
LESSON_KEYS = (*LESSON_FIELDS, "video_file")
ASSESSMENT_FIELDS = ("kind", "title", "category", "time_limit_minutes", "attempts_allowed",
                     "questions_per_attempt", "shuffle_options", "pass_mark")
ASSESSMENT_KEYS = (*ASSESSMENT_FIELDS, "closes_at", "questions")
QUESTION_FIELDS = ("kind", "prompt", "options", "correct", "tolerance", "pattern", "points", "explanation")


# --- YAML that reads well in a diff --------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True  # no &id001 anchors when two lists happen to be the same object


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    value = str(value)  # choices (TextChoices) are str subclasses
    if any(ch in value for ch in "\x85\u2028\u2029"):
        style = '"'  # YAML reads these as line breaks unless they are escaped
    elif "\n" in value:
        style = "|"  # PyYAML falls back to quotes when a literal block cannot hold the text exactly
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_multi_representer(str, _represent_str)


def _dump(data: object) -> bytes:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=2 ** 31 - 1).encode()


# --- Export ---------------------------------------------------------------------------------------

def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return str(value) if isinstance(value, str) else value


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """A concrete field of the model (the names here are the models' own columns)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a relation, not a field a bundle holds")
    return field


def _max_length(model: type[models.Model], name: str) -> int:
    length = _field(model, name).max_length
    if length is None:
        raise TypeError(f"{model.__name__}.{name} has no maximum length")
    return length


def _assessment_data(assessment: Assessment) -> dict[str, Any]:
    questions: list[dict[str, Any]] = []
    data: dict[str, Any] = {name: _plain(getattr(assessment, name)) for name in ASSESSMENT_FIELDS}
    data["closes_at"] = _plain(assessment.closes_at)
    data["questions"] = questions
    for question in assessment.questions.all():
        item: dict[str, Any] = {"kind": str(question.kind), "prompt": question.prompt}
        for name in QUESTION_FIELDS[2:]:  # fields left at their default are left out
            value = getattr(question, name)
            if name == "correct" or value != _field(Question, name).get_default():
                item[name] = value
        questions.append(item)
    return data


def _name(title: str, fallback: str) -> str:
    return slugify(title, allow_unicode=True)[:40].strip("-_") or fallback


def course_export(*, course: Course) -> dict[str, bytes]:
    """The course as files: relative POSIX path → content. What is stored is exported (the database
    row is read again, so unsaved changes to ``course`` are not)."""
    course = Course.objects.get(pk=course.pk)
    places = Course._meta.get_field("credit_units").decimal_places
    files = {".gitattributes": GITATTRIBUTES, "course.yaml": _dump({
        "format": FORMAT, "slug": course.slug, "title": course.title, "summary": course.summary,
        "status": str(course.status), "level": str(course.level), "language": course.language,
        "estimated_hours": course.estimated_hours, "credit_units": f"{course.credit_units:.{places}f}",
        "skills": [{"slug": s.slug, "name": s.name} for s in course.skills.order_by("slug")],
        "prerequisites": sorted(course.prerequisites.values_list("slug", flat=True)),
        "grading_policy": course.grading_policy,
    })}
    lessons = list(Lesson.objects.filter(course=course).order_by("order", "pk"))
    assessments = {a.lesson_id: a for a in Assessment.objects.filter(lesson__in=lessons)
                   .prefetch_related(models.Prefetch("questions", Question.objects.order_by("order", "pk")))}
    for m_index, module in enumerate(course.modules.order_by("order", "pk"), start=1):
        folder = f"{m_index:02d}-{_name(module.title, 'module')}"
        files[f"{folder}/module.yaml"] = _dump({"title": module.title})
        for l_index, lesson in enumerate((x for x in lessons if x.module_id == module.pk), start=1):
            stem = f"{folder}/{l_index:02d}-{lesson.slug}"
            front = {"slug": lesson.slug, "title": lesson.title, "kind": str(lesson.kind), "minutes": lesson.minutes}
            front.update({name: getattr(lesson, name) for name in ("video_url", "lab_url") if getattr(lesson, name)})
            if lesson.video_file:
                suffix = PurePosixPath(lesson.video_file).suffix.lower()
                if not re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) or suffix in (".md", ".vtt", ".yaml"):
                    suffix = ".bin"
                front["video_file"] = PurePosixPath(stem).name + suffix
                try:
                    with default_storage.open(lesson.video_file, "rb") as video:
                        files[stem + suffix] = video.read()
                except OSError:
                    raise ValidationError(
                        _("The video of the lesson “%(lesson)s” (%(name)s) is missing from storage. Upload it "
                          "again, or remove it from the lesson, then export.")
                        % {"lesson": lesson.title, "name": lesson.video_file}) from None
            files[f"{stem}.md"] = b"---\n" + _dump(front) + b"---\n" + lesson.body.encode()
            if lesson.captions_vtt:
                files[f"{stem}.vtt"] = lesson.captions_vtt.encode()
            if lesson.transcript:
                files[f"{stem}.transcript.md"] = lesson.transcript.encode()
            if lesson.pk in assessments:
                files[f"{stem}.questions.yaml"] = QUESTIONS_HEADER + _dump(_assessment_data(assessments[lesson.pk]))
    loose = (course.assessments.filter(lesson__isnull=True).order_by("pk")
             .prefetch_related(models.Prefetch("questions", Question.objects.order_by("order", "pk"))))
    for index, assessment in enumerate(loose, start=1):
        files[f"assessments/{index:02d}-{_name(assessment.title, 'assessment')}.yaml"] = \
            QUESTIONS_HEADER + _dump(_assessment_data(assessment))
    return files


def export_zip(*, course: Course) -> bytes:
    """The bundle as a zip with one top folder named after the course; the same course gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in sorted(course_export(course=course).items()):
            info = zipfile.ZipInfo(f"{course.slug}/{path}", date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if PurePosixPath(path).suffix in VIDEO_TYPES \
                else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def _ours(relative: str) -> bool:
    """A file an export writes (or once wrote): what a new export replaces in a folder."""
    parts = relative.split("/")
    if len(parts) == 1:
        return parts[0] == "course.yaml"
    if len(parts) != 2:
        return False
    if parts[0] == "assessments":
        return parts[1].endswith(".yaml")
    return bool(MODULE_DIR.match(parts[0])) and (parts[1] == "module.yaml" or bool(re.match(r"\d+-", parts[1])))


def export_dir(*, course: Course, path: str | Path) -> None:
    """Write the bundle into a folder. Exporting again into the folder of an earlier export (a git
    checkout, say) removes the files of lessons and modules the course no longer has, and leaves
    everything else there (.git, a README, the team's own .gitattributes) alone."""
    root = Path(path)
    if root.exists() and not root.is_dir():
        raise ValidationError(_("%(path)s exists and is not a folder.") % {"path": root})
    files = course_export(course=course)
    if (root / "course.yaml").is_file():
        folders = [d for d in root.iterdir() if d.is_dir() and not d.is_symlink()
                   and (MODULE_DIR.match(d.name) or d.name == "assessments")]
        for folder in [root, *folders]:
            for item in folder.iterdir():
                relative = item.relative_to(root).as_posix()
                if item.is_file() and _ours(relative) and relative not in files:
                    item.unlink()
            if folder != root and not any(folder.iterdir()):
                folder.rmdir()
    for relative, data in files.items():
        target = root / relative
        if relative == ".gitattributes" and target.exists():
            continue  # the team's own
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


# --- Reading a bundle (limits, zips and folders: bundle_input) ----------------------------------

def _mapping(where: str, data: object, keys: Sequence[str]) -> dict[str, Any]:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValidationError(_("%(where)s: expected fields written as “name: value”.") % {"where": where})
    unknown = [str(key) for key in data if key not in keys]
    if unknown:
        raise ValidationError(_("%(where)s: unknown field “%(field)s”. The fields are: %(known)s.")
                              % {"where": where, "field": unknown[0], "known": ", ".join(keys)})
    return data


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_type(where: str, name: str, field: models.Field[Any, Any], value: object) -> None:
    problem: str | None
    if isinstance(field, models.CharField | models.TextField):
        if not isinstance(value, str):
            problem = _("“%(field)s” is text: put it in quotes.")
        elif "\x00" in value:
            problem = _("“%(field)s” contains a NUL character, which a course cannot hold.")
        elif field.choices and value not in dict(field.choices):
            raise ValidationError(_("%(where)s: “%(value)s” is not a valid %(field)s (use one of: %(options)s).")
                                  % {"where": where, "value": value, "field": name,
                                     "options": ", ".join(dict(field.choices))})
        else:
            return
    elif isinstance(field, models.BooleanField):
        problem = None if isinstance(value, bool) else _("“%(field)s” is true or false.")
    elif isinstance(field, models.IntegerField):
        problem = None if _is_number(value) and isinstance(value, int) else _("“%(field)s” is a whole number.")
    elif isinstance(field, models.FloatField):
        problem = None if _is_number(value) else _("“%(field)s” is a number.")
    elif isinstance(field, models.DecimalField):
        problem = None if _is_number(value) or isinstance(value, str) else _("“%(field)s” is a number.")
    elif isinstance(field, models.JSONField):
        try:
            json.dumps(value, allow_nan=False)
            problem = None
        except (TypeError, ValueError):
            problem = _("“%(field)s” holds a value a course cannot store (a date, .inf or .nan): put it in "
                        "quotes.")
    else:
        problem = None
    if problem:
        raise ValidationError(f"{where}: {problem % {'field': name}}")


def _values(where: str, model: type[models.Model], data: dict[str, Any], names: Iterable[str], *,
            required: Collection[str] = ()) -> dict[str, Any]:
    """Check fields against the model (types, lengths, choices, slugs, URLs, ranges) before anything is
    written; a missing field takes the model's default."""
    values: dict[str, Any] = {}
    for name in names:
        field = _field(model, name)
        value = data.get(name)
        if value is None or (value == "" and name in required):
            if name in required:
                raise ValidationError(_("%(where)s: “%(field)s” is missing. Add it.")
                                      % {"where": where, "field": name})
            values[name] = None if field.null else field.get_default()
            continue
        _check_type(where, name, field, value)
        values[name] = value
    instance = model(**values)
    try:
        instance.clean_fields(exclude=[f.name for f in model._meta.concrete_fields if f.name not in values])
    except ValidationError as exc:
        raise ValidationError([f"{where}: {name}: {message}" for name, messages in exc.message_dict.items()
                               for message in messages]) from None
    return {name: getattr(instance, name) for name in names}


def _datetime(where: str, value: object) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            value = None
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if not isinstance(value, datetime):
        raise ValidationError(_("%(where)s: closes_at is a date and time such as 2027-01-31T23:59:00+00:00.")
                              % {"where": where})
    return value.replace(tzinfo=UTC) if timezone.is_naive(value) else value  # no offset given: UTC


def _check_question(where: str, q: dict[str, Any]) -> None:
    options, correct = q["options"], q["correct"]
    if not isinstance(options, list) or any(not isinstance(o, str) for o in options):
        raise ValidationError(_("%(where)s: options is a list of texts (put an option in quotes if it looks like a "
                                "number, yes/no or null).") % {"where": where})
    if not isinstance(correct, list):
        raise ValidationError(_("%(where)s: correct is a list.") % {"where": where})
    if q["kind"] in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(options) < 2:
            raise ValidationError(_("%(where)s: give at least two options.") % {"where": where})
        wrong = [c for c in correct if isinstance(c, bool) or not isinstance(c, int) or not 0 <= c < len(options)]
        if wrong or not correct:
            raise ValidationError(_("%(where)s: correct lists the right options by number, counted from 0 (here 0 to "
                                    "%(last)d); %(wrong)s is not one of them.")
                                  % {"where": where, "last": len(options) - 1, "wrong": wrong[0] if wrong else "[]"})
        if q["kind"] == QuestionKind.SINGLE and len(correct) != 1:
            raise ValidationError(_("%(where)s: a single-choice question has exactly one correct option.")
                                  % {"where": where})
    elif q["kind"] == QuestionKind.NUMERIC:
        if len(correct) != 1 or isinstance(correct[0], bool) or not isinstance(correct[0], int | float) \
                or not math.isfinite(correct[0]):
            raise ValidationError(_("%(where)s: a number question has one correct number, such as [42].")
                                  % {"where": where})
        if q["tolerance"] < 0:
            raise ValidationError(_("%(where)s: tolerance is 0 or more.") % {"where": where})
    elif q["kind"] == QuestionKind.TEXT:
        if any(not isinstance(c, str) for c in correct):
            raise ValidationError(_("%(where)s: the accepted answers are texts (put them in quotes).")
                                  % {"where": where})
        if q["pattern"]:
            try:
                re.compile(q["pattern"])
            except re.error as exc:
                raise ValidationError(_("%(where)s: the pattern is not a valid regular expression: %(error)s.")
                                      % {"where": where, "error": exc}) from None
        elif not correct:
            raise ValidationError(_("%(where)s: give the accepted answers, or a pattern.") % {"where": where})


def _parse_assessment(path: str, data: object) -> dict[str, Any]:
    data = _mapping(path, data, ASSESSMENT_KEYS)
    parsed = _values(path, Assessment, data, ASSESSMENT_FIELDS, required=("title",))
    parsed["closes_at"] = _datetime(path, data.get("closes_at"))
    questions = data.get("questions") or []
    if not isinstance(questions, list):
        raise ValidationError(_("%(path)s: questions is a list, each item starting with “- kind: …”.")
                              % {"path": path})
    parsed["questions"] = []
    for number, item in enumerate(questions, start=1):
        where = _("%(path)s, question %(n)d") % {"path": path, "n": number}
        question = _values(where, Question, _mapping(where, item, QUESTION_FIELDS), QUESTION_FIELDS,
                           required=("kind", "prompt"))
        _check_question(where, question)
        parsed["questions"].append(question)
    return parsed


def _front_matter(path: str, data: bytes) -> tuple[dict[str, Any], str]:
    text = _text(path, data)
    opening = re.match(r"\ufeff?---[ \t]*\r?\n", text)
    if not opening:
        raise ValidationError(_("%(path)s must start with front matter: a line “---”, the lesson's fields "
                              "(slug, title, kind, …), and another line “---”.") % {"path": path})
    closing = re.compile(r"^---[ \t]*(\r?\n|\Z)", re.MULTILINE).search(text, opening.end())
    if not closing:
        raise ValidationError(_("%(path)s: the front matter has no closing “---” line.") % {"path": path})
    front = _load(path, text[opening.end():closing.start()].encode(), first_line=2)
    return _mapping(path, front, LESSON_KEYS), text[closing.end():]


def _by_number(names: Iterable[str]) -> list[str]:
    """Sorted by the number the name (or its last part) starts with: 2-… before 10-…."""
    def key(name: str) -> tuple[int, str]:
        match = MODULE_DIR.match(name.rsplit("/", 1)[-1])
        return (int(match.group(1)) if match else 10 ** 9, name)
    return sorted(names, key=key)


def _parse_lesson(folder: str, name: str, files: Mapping[str, bytes], used: set[str]) -> dict[str, Any]:
    path, stem = f"{folder}/{name}", f"{folder}/{name[:-3]}"
    front, body = _front_matter(path, files[path])
    lesson = _values(path, Lesson, front, LESSON_FIELDS, required=("slug", "title", "kind"))
    lesson["body"] = body
    lesson["captions_vtt"] = _text(f"{stem}.vtt", files[f"{stem}.vtt"]) if f"{stem}.vtt" in files else ""
    lesson["transcript"] = (_text(f"{stem}.transcript.md", files[f"{stem}.transcript.md"])
                            if f"{stem}.transcript.md" in files else "")
    used.update({path, f"{stem}.vtt", f"{stem}.transcript.md", f"{stem}.questions.yaml"})
    lesson["video"] = None
    video = front.get("video_file")
    if video is not None:
        video_path = f"{folder}/{video}"
        if not isinstance(video, str) or "/" in video or video_path not in files:
            raise ValidationError(_("%(path)s names the video %(video)s, which is not beside it in the bundle.")
                                  % {"path": path, "video": video})
        suffix, data = PurePosixPath(video).suffix.lower(), files[video_path]
        magic = VIDEO_TYPES.get(suffix)
        if magic is None:
            raise ValidationError(_("%(path)s: a video is an MP4 or WebM file (%(types)s).")
                                  % {"path": video_path, "types": ", ".join(VIDEO_TYPES)})
        if (magic == b"ftyp" and data[4:8] != b"ftyp") or (magic != b"ftyp" and not data.startswith(magic)):
            raise ValidationError(_("%(path)s is not a playable %(kind)s file. Export it again as H.264 or VP9 "
                                    "video.") % {"path": video_path, "kind": suffix[1:].upper()})
        if len(data) > MAX_VIDEO_BYTES:
            raise ValidationError(_("%(path)s is larger than 2 GB; link to a stream instead.") % {"path": video_path})
        lesson["video"] = (suffix, data)
        used.add(video_path)
    lesson["assessment"] = None
    if f"{stem}.questions.yaml" in files:
        lesson["assessment"] = _parse_assessment(
            f"{stem}.questions.yaml", _load(f"{stem}.questions.yaml", files[f"{stem}.questions.yaml"]))
    return lesson


def parse(files: Mapping[str, bytes]) -> dict[str, Any]:
    """Check a whole bundle and return it as plain data, before anything is written."""
    if not isinstance(files, ZipBundle):  # a ZipBundle is chosen already, and unpacked as the parser asks
        chosen = select([(path, len(data)) for path, data in files.items()])
        files = {path: files[name] for path, (name, _size) in chosen.items()}
    with yaml_budget():
        return _parse(files)


def _parse(files: Mapping[str, bytes]) -> dict[str, Any]:
    meta = _mapping("course.yaml", _load("course.yaml", files["course.yaml"]), COURSE_KEYS)
    if meta.get("format", FORMAT) != FORMAT:
        raise ValidationError(_("course.yaml is in the format %(got)s; this Forward reads %(want)s.")
                              % {"got": meta.get("format"), "want": FORMAT})
    course = _values("course.yaml", Course, meta, COURSE_FIELDS, required=("slug", "title"))
    status = meta.get("status") or CourseStatus.DRAFT
    if status not in CourseStatus.values:
        raise ValidationError(_("course.yaml: “%(value)s” is not a valid status (use one of: %(options)s).")
                              % {"value": status, "options": ", ".join(CourseStatus.values)})
    policy = course["grading_policy"]
    if policy:
        errors = policy_errors(policy) if isinstance(policy, dict) else [_("Write it as fields, not a list.")]
        if errors:
            raise ValidationError([_("course.yaml: grading_policy: %(error)s") % {"error": e} for e in errors])
    skills = meta.get("skills") or []
    if not isinstance(skills, list):
        raise ValidationError(_("course.yaml: skills is a list of “- slug: …” and “name: …”."))
    skills = [_values(_("course.yaml, skill %(n)d") % {"n": n}, Skill,
                      _mapping(_("course.yaml, skill %(n)d") % {"n": n}, item, ("slug", "name")),
                      ("slug", "name"), required=("slug", "name")) for n, item in enumerate(skills, start=1)]
    prerequisites = meta.get("prerequisites") or []
    if not isinstance(prerequisites, list) or any(not isinstance(p, str) for p in prerequisites):
        raise ValidationError(_("course.yaml: prerequisites is a list of course slugs."))

    folders: dict[str, set[str]] = {}
    loose_paths = []
    for path in files:
        top, _sep, rest = path.partition("/")
        if not rest:
            continue  # course.yaml (select() let nothing else through at the top)
        if MODULE_DIR.match(top):
            folders.setdefault(top, set()).add(path)
        elif top == "assessments":
            loose_paths.append(path)
    modules, slugs = [], set()
    for folder in _by_number(folders):
        names = folders[folder]
        if f"{folder}/module.yaml" not in names:
            raise ValidationError(_("%(folder)s/ has no module.yaml with the module's title.") % {"folder": folder})
        where = f"{folder}/module.yaml"
        title = _values(where, Module, _mapping(where, _load(where, files[where]), ("title",)), ("title",),
                        required=("title",))["title"]
        used, lessons = {where}, []
        lesson_names = [p.split("/", 1)[1] for p in names if LESSON_FILE.match(p.split("/", 1)[1])]
        for name in _by_number(lesson_names):
            lesson = _parse_lesson(folder, name, files, used)
            if lesson["slug"] in slugs:
                raise ValidationError(_("%(path)s: another lesson already uses the slug “%(slug)s”. Give this one "
                                        "its own slug.") % {"path": f"{folder}/{name}", "slug": lesson["slug"]})
            slugs.add(lesson["slug"])
            lessons.append(lesson)
        stray = sorted(names - used)
        if stray:
            raise ValidationError(_("%(path)s belongs to no lesson. A lesson is NN-slug.md; its captions, transcript, "
                                    "questions and video sit beside it as NN-slug.vtt, NN-slug.transcript.md, "
                                    "NN-slug.questions.yaml and the file its video_file names.") % {"path": stray[0]})
        modules.append({"title": title, "lessons": lessons})
    loose = [_parse_assessment(p, _load(p, files[p])) for p in _by_number(loose_paths)]
    return {"course": course, "status": status, "skills": skills, "prerequisites": prerequisites,
            "modules": modules, "assessments": loose}


# --- Import ---------------------------------------------------------------------------------------

def _target(*, slug: str, owner: Organization, lock: bool = False) -> tuple[Course | None, str]:
    """The course a bundle updates and the slug it goes under. A course of the importing organization
    with the bundle's slug is updated in place. Any other course with that slug (another organization's,
    draft or published) is left alone and the bundle becomes a new course under the first free
    ``slug-2``, ``slug-3``, …; so an import never says whose the slug is, or that a draft exists."""
    existing = (Course.objects.select_for_update() if lock else Course.objects).filter(slug=slug).first()
    if existing is None or existing.owner_id == owner.pk:
        return existing, slug
    limit = _max_length(Course, "slug")
    taken = set(Course.objects.filter(slug__startswith=slug[:limit - 6]).values_list("slug", flat=True))
    number = 2
    while (candidate := f"{slug[:limit - len(str(number)) - 1]}-{number}") in taken:
        number += 1
    return None, candidate


def _check_author(*, course: Course | None, actor: User | None) -> None:
    if course is not None and actor is not None:
        from .permissions import can_author

        if not can_author(actor, course):
            raise PermissionDenied


Row = TypeVar("Row", Module, Question, Assessment)


def _match(existing: list[Row], new: list[dict[str, Any]], *, row_key: Callable[[Row], object],
           item_key: Callable[[dict[str, Any]], object],
           same: Callable[[Row, dict[str, Any]], bool] = lambda row, item: True) -> list[Row | None]:
    """Pair each new item with the existing row it updates: the row with the same key (title, prompt)
    first; failing that, the row at the same position if it is of the same sort (an edited title or
    prompt). Anything else is new, so a learner's answer never ends up on a different question."""
    free = list(existing)
    pairs: list[Row | None] = [None] * len(new)
    for index, item in enumerate(new):
        found = next((row for row in free if row_key(row) == item_key(item)), None)
        if found is not None:
            pairs[index] = found
            free.remove(found)
    for index, item in enumerate(new):
        row = existing[index] if index < len(existing) else None
        if pairs[index] is None and row in free and same(row, item):
            pairs[index] = row
            free.remove(row)
    return pairs


def _same_file(name: str, data: bytes) -> bool:
    try:
        if default_storage.size(name) != len(data):
            return False
        with default_storage.open(name, "rb") as stored:  # a chunk at a time: a video can be large
            view, at = memoryview(data), 0
            while chunk := stored.read(CHUNK):
                if view[at:at + len(chunk)] != chunk:
                    return False
                at += len(chunk)
            return at == len(data)
    except (OSError, NotImplementedError):
        return False


def _drop_assessment(assessment: Assessment) -> None:
    if Attempt.objects.filter(assessment=assessment).exists():
        raise ValidationError(_("Learners have answered “%(title)s”, so it is kept for their grades: the bundle "
                                "must keep it.") % {"title": assessment.title})
    assessment.delete()


def _apply_assessment(*, course: Course, assessment: Assessment | None, data: dict[str, Any],
                      lesson: Lesson | None) -> None:
    assessment = assessment or Assessment(course=course)
    old = list(assessment.questions.order_by("order", "pk")) if assessment.pk else []
    assessment.course, assessment.lesson = course, lesson
    for name in (*ASSESSMENT_FIELDS, "closes_at"):
        setattr(assessment, name, data[name])
    assessment.save()
    kept = []
    pairs = _match(old, data["questions"], row_key=lambda q: q.prompt, item_key=lambda q: q["prompt"],
                   same=lambda row, item: row.kind == item["kind"])
    for index, (q_data, question) in enumerate(zip(data["questions"], pairs, strict=True)):
        question = question or Question(assessment=assessment)
        question.order = index
        for name in QUESTION_FIELDS:
            setattr(question, name, q_data[name])
        question.save()
        kept.append(question.pk)
    Question.objects.filter(assessment=assessment).exclude(pk__in=kept).delete()


def _apply(*, bundle: dict[str, Any], owner: Organization, actor: User | None) -> tuple[Course, list[str]]:
    """The database part of an import (inside its transaction). Returns the course and the storage
    names of videos it no longer plays."""
    meta = bundle["course"]
    slug = meta["slug"]  # as the bundle names the course (its prerequisites may name it too)
    course, target = _target(slug=slug, owner=owner, lock=True)
    if target != bundle["target"]:
        raise ValidationError(_("Another course took the slug %(slug)s during the import. Import again.")
                              % {"slug": bundle["target"]})
    _check_author(course=course, actor=actor)
    wanted = set(bundle["prerequisites"])
    # Only courses the importer may know of: published ones, and the organization's own.
    visible = Course.objects.filter(models.Q(status=CourseStatus.PUBLISHED) | models.Q(owner=owner))
    prerequisites = list(visible.filter(slug__in=wanted - {slug}))
    unknown = sorted(wanted - {c.slug for c in prerequisites} - {slug})
    if unknown:
        raise ValidationError(_("course.yaml: prerequisites: no course has the slug %(slugs)s. Import that course "
                                "first, or take it out of the list.") % {"slugs": ", ".join(unknown)})
    created = course is None
    if course is None:
        published = bundle["status"] == CourseStatus.PUBLISHED
        course = Course(slug=target, owner=owner, status=bundle["status"],
                        published_at=timezone.now() if published else None)
    for name in COURSE_FIELDS[1:]:
        setattr(course, name, meta[name])
    course.save()
    course.skills.set([Skill.objects.get_or_create(slug=s["slug"], defaults={"name": s["name"]})[0]
                       for s in bundle["skills"]])
    course.prerequisites.set([*prerequisites, *([course] if slug in wanted else [])])
    if created and actor is not None:
        course.authors.add(actor)

    old_modules = list(course.modules.order_by("order", "pk"))
    old_lessons = {lesson.slug: lesson for lesson in Lesson.objects.filter(course=course)}
    old_assessments = {a.lesson_id: a for a in Assessment.objects.filter(lesson__course=course)}
    old_loose = list(course.assessments.filter(lesson__isnull=True).order_by("pk"))
    unused_videos, kept_modules, kept_lessons = [], [], set()
    pairs = _match(old_modules, bundle["modules"], row_key=lambda m: m.title, item_key=lambda m: m["title"])
    for m_index, (m_data, module) in enumerate(zip(bundle["modules"], pairs, strict=True)):
        module = module or Module(course=course)
        module.order, module.title = m_index, m_data["title"]
        module.save()
        kept_modules.append(module.pk)
        for l_index, l_data in enumerate(m_data["lessons"]):
            lesson = old_lessons.get(l_data["slug"]) or Lesson(course=course, slug=l_data["slug"])
            lesson.module, lesson.order = module, l_index
            for name in ("title", "kind", "minutes", "video_url", "lab_url", "body", "captions_vtt", "transcript"):
                setattr(lesson, name, l_data[name])
            if lesson.video_file and lesson.video_file != l_data["video_file"]:
                unused_videos.append(lesson.video_file)
            lesson.video_file = l_data["video_file"]
            lesson.save()
            kept_lessons.add(lesson.pk)
            current = old_assessments.get(lesson.pk)
            if l_data["assessment"] is not None:
                _apply_assessment(course=course, assessment=current, data=l_data["assessment"], lesson=lesson)
            elif current is not None:
                _drop_assessment(current)
    for lesson in Lesson.objects.filter(course=course).exclude(pk__in=kept_lessons):
        if lesson.pk in old_assessments:
            _drop_assessment(old_assessments[lesson.pk])
        if lesson.video_file:
            unused_videos.append(lesson.video_file)
        lesson.delete()
    Module.objects.filter(course=course).exclude(pk__in=kept_modules).delete()
    loose_pairs = _match(old_loose, bundle["assessments"], row_key=lambda a: a.title,
                         item_key=lambda a: a["title"], same=lambda row, item: row.kind == item["kind"])
    for data, loose in zip(bundle["assessments"], loose_pairs, strict=True):
        _apply_assessment(course=course, assessment=loose, data=data, lesson=None)
    for assessment in old_loose:
        if assessment not in loose_pairs:
            _drop_assessment(assessment)
    if actor is not None:
        from forward.core.services import audit

        audit(actor=actor, action=AuditAction.COURSE_IMPORT, organization=owner, target=course.slug, created=created)
    return course, unused_videos


def course_import(*, files: Mapping[str, bytes], owner: Organization, actor: User | None = None) -> Course:
    """Create a course from a bundle, or update the organization's course with the bundle's slug in
    place. All or nothing: a bundle with any error changes nothing and says what to fix."""
    bundle = parse(files)
    existing, slug = _target(slug=bundle["course"]["slug"], owner=owner)
    _check_author(course=existing, actor=actor)
    bundle["target"] = slug
    current = dict(Lesson.objects.filter(course=existing).exclude(video_file="").values_list("slug", "video_file")) \
        if existing else {}
    stored: list[str] = []
    try:
        for module in bundle["modules"]:  # slow I/O before the transaction; undone below if it fails
            for lesson in module["lessons"]:
                lesson["video_file"] = ""
                if lesson["video"] is not None:
                    suffix, data = lesson["video"]
                    name = current.get(lesson["slug"])
                    if not (name and _same_file(name, data)):
                        name = default_storage.save(f"academy/videos/{slug}/{uuid.uuid4().hex}{suffix}",
                                                    ContentFile(data))
                        stored.append(name)
                    lesson["video_file"] = name
        with transaction.atomic():
            course, unused = _apply(bundle=bundle, owner=owner, actor=actor)
            for name in sorted(set(unused)):
                _delete_unused_video(name)  # after commit, once no lesson plays it
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return course


def import_zip(*, source: ZipSource, owner: Organization, actor: User | None = None) -> Course:
    """``source``: the zip's bytes, its path, or a binary file open on it (such as an upload)."""
    with open_zip(source) as files:
        return course_import(files=files, owner=owner, actor=actor)


def import_dir(*, path: str | Path, owner: Organization, actor: User | None = None) -> Course:
    return course_import(files=read_dir(path), owner=owner, actor=actor)
