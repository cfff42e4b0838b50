"""Courses as folders of Markdown + YAML, so a course team can keep its content in git.

    course.yaml                          title, summary, level, skills, prerequisites, policy, …
    01-what-the-cloud-is/module.yaml     the module's title (folders sort in course order)
    01-what-the-cloud-is/01-lecture.md   YAML front matter (slug, title, kind, …) + the Markdown text
    01-what-the-cloud-is/01-lecture.vtt  captions (WebVTT), when the lesson has them
    01-what-the-cloud-is/01-lecture.transcript.md
    01-what-the-cloud-is/01-lecture.mp4  an uploaded video, byte for byte
    01-what-the-cloud-is/02-quiz.questions.yaml   the quiz or exam settings and its questions
    assessments/01-final-exam.yaml       a graded assessment that is not a lesson

Export → import → export gives the same bytes, and every field the models hold survives (tested).

Importing a bundle whose slug is a course of the same organization updates that course in place:
modules match by position, lessons by slug, questions by position, so learners' progress and
attempts stay attached; what the bundle no longer has is removed (refused for a quiz somebody has
answered). The course keeps its published or draft state; a new course is created as a draft
unless its bundle says `status: published`. Everything happens in one transaction: a bundle with
any error changes nothing, and the error names the file and what to fix.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath

import yaml
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from forward.core.models import Organization, User

from .models import (
    Assessment,
    AssessmentKind,
    Attempt,
    Course,
    CourseStatus,
    Lesson,
    LessonKind,
    Level,
    Module,
    Question,
    QuestionKind,
    Skill,
)

FORMAT = "forward-course/1"
MAX_FILES = 5000
MAX_BYTES = 2 * 1024 ** 3
LESSON_FILE = re.compile(r"^(\d+)-([A-Za-z0-9_-]+)\.md$")
MODULE_DIR = re.compile(r"^(\d+)-")
ASSESSMENT_FIELDS = ["kind", "title", "time_limit_minutes", "attempts_allowed", "questions_per_attempt",
                     "shuffle_options", "closes_at", "pass_mark", "category"]
QUESTION_FIELDS = ["kind", "prompt", "options", "correct", "tolerance", "pattern", "points", "explanation"]
LESSON_OPTIONAL = ["video_url", "lab_url"]


# --- YAML that reads well in a diff --------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value: str):
    value = str(value)  # choices (TextChoices) are str subclasses
    style = "|" if "\n" in value else None  # PyYAML falls back to quotes when a block cannot hold it
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_multi_representer(str, _str)


def _dump(data) -> bytes:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100).encode()


def _load(path: str, data: bytes):
    try:
        return yaml.safe_load(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValidationError(_("%(path)s is not UTF-8 text.") % {"path": path}) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _(" (line %(line)d)") % {"line": mark.line + 1} if mark else ""
        raise ValidationError(_("%(path)s%(where)s is not valid YAML: %(problem)s")
                              % {"path": path, "where": where,
                                 "problem": getattr(exc, "problem", None) or exc}) from None


# --- Export ---------------------------------------------------------------------------------------

def _assessment_data(assessment: Assessment) -> dict:
    data = {}
    for name in ASSESSMENT_FIELDS:
        value = getattr(assessment, name)
        data[name] = value.isoformat() if isinstance(value, datetime) else value
    data["questions"] = [{name: getattr(q, name) for name in QUESTION_FIELDS}
                         for q in assessment.questions.order_by("order", "pk")]
    return data


def course_export(*, course: Course) -> dict[str, bytes]:
    """The course as files: relative POSIX path → content."""
    files: dict[str, bytes] = {}
    files["course.yaml"] = _dump({
        "format": FORMAT, "slug": course.slug, "title": course.title, "summary": course.summary,
        "level": course.level, "language": course.language, "estimated_hours": course.estimated_hours,
        "credit_units": str(course.credit_units), "status": course.status,
        "skills": [{"slug": s.slug, "name": s.name} for s in course.skills.order_by("slug")],
        "prerequisites": sorted(course.prerequisites.values_list("slug", flat=True)),
        "grading_policy": course.grading_policy,
    })
    for m_index, module in enumerate(course.modules.order_by("order", "pk"), start=1):
        folder = f"{m_index:02d}-{slugify(module.title, allow_unicode=True)[:40] or 'module'}"
        files[f"{folder}/module.yaml"] = _dump({"title": module.title})
        for l_index, lesson in enumerate(module.lessons.order_by("order", "pk"), start=1):
            stem = f"{folder}/{l_index:02d}-{lesson.slug}"
            front = {"slug": lesson.slug, "title": lesson.title, "kind": lesson.kind, "minutes": lesson.minutes}
            front.update({name: getattr(lesson, name) for name in LESSON_OPTIONAL if getattr(lesson, name)})
            if lesson.video_file:
                suffix = PurePosixPath(lesson.video_file).suffix.lower() or ".mp4"
                front["video_file"] = PurePosixPath(stem).name + suffix
                with default_storage.open(lesson.video_file, "rb") as video:
                    files[stem + suffix] = video.read()
            files[f"{stem}.md"] = b"---\n" + _dump(front) + b"---\n" + lesson.body.encode()
            if lesson.captions_vtt:
                files[f"{stem}.vtt"] = lesson.captions_vtt.encode()
            if lesson.transcript:
                files[f"{stem}.transcript.md"] = lesson.transcript.encode()
            assessment = getattr(lesson, "assessment", None)
            if assessment is not None:
                files[f"{stem}.questions.yaml"] = _dump(_assessment_data(assessment))
    loose = course.assessments.filter(lesson__isnull=True).order_by("pk")
    for index, assessment in enumerate(loose, start=1):
        name = slugify(assessment.title)[:40] or "assessment"
        files[f"assessments/{index:02d}-{name}.yaml"] = _dump(_assessment_data(assessment))
    return files


def export_zip(*, course: Course) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in sorted(course_export(course=course).items()):
            info = zipfile.ZipInfo(f"{course.slug}/{path}", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if path.endswith((".mp4", ".webm", ".m4v")) \
                else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def export_dir(*, course: Course, path: str | Path) -> None:
    root = Path(path)
    for relative, data in course_export(course=course).items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


# --- Reading a bundle -----------------------------------------------------------------------------

def _safe(path: str) -> str:
    parts = PurePosixPath(path.replace("\\", "/")).parts
    if path.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
        raise ValidationError(_("The bundle contains the path %(path)s, which points outside it.") % {"path": path})
    return "/".join(parts)


def _strip_root(files: dict[str, bytes]) -> dict[str, bytes]:
    """A zip usually holds one top folder (`my-course/course.yaml`): read from inside it."""
    if "course.yaml" in files:
        return files
    roots = {p.split("/", 1)[0] for p in files}
    if len(roots) == 1:
        root = roots.pop() + "/"
        inner = {p[len(root):]: d for p, d in files.items() if p.startswith(root)}
        if "course.yaml" in inner:
            return inner
    raise ValidationError(_("The bundle has no course.yaml at its top (or in its one top folder)."))


def read_zip(data: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValidationError(_("This file is not a zip archive. Export the course folder as .zip.")) from None
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_FILES:
            raise ValidationError(_("The bundle holds more than %(n)d files.") % {"n": MAX_FILES})
        if sum(i.file_size for i in infos) > MAX_BYTES:
            raise ValidationError(_("The bundle unpacks to more than 2 GB."))
        files = {}
        for info in infos:
            path = _safe(info.filename)
            if path.startswith("__MACOSX/") or PurePosixPath(path).name.startswith("."):
                continue
            files[path] = archive.read(info)
    return _strip_root(files)


def read_dir(path: str | Path) -> dict[str, bytes]:
    root = Path(path)
    if not (root / "course.yaml").is_file():
        raise ValidationError(_("%(path)s has no course.yaml.") % {"path": root})
    files = {}
    for item in sorted(root.rglob("*")):
        relative = item.relative_to(root).as_posix()
        if item.is_file() and not any(part.startswith(".") for part in item.relative_to(root).parts):
            files[relative] = item.read_bytes()
    return files


def _text(path: str, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(_("%(path)s is not UTF-8 text.") % {"path": path}) from None


def _front_matter(path: str, data: bytes) -> tuple[dict, str]:
    text = _text(path, data)
    if not text.startswith("---\n"):
        raise ValidationError(_("%(path)s must start with a front matter block between two “---” lines.")
                              % {"path": path})
    end = text.find("\n---\n", 3)
    if end < 0:
        raise ValidationError(_("%(path)s: the front matter has no closing “---” line.") % {"path": path})
    front = _load(path, text[4:end + 1].encode())
    if not isinstance(front, dict):
        raise ValidationError(_("%(path)s: the front matter is a mapping of fields.") % {"path": path})
    return front, text[end + 5:]


def _need(path: str, data: dict, name: str, kind=str):
    value = data.get(name)
    if value is None or value == "" or not isinstance(value, kind):
        raise ValidationError(_("%(path)s: “%(field)s” is missing or not valid.") % {"path": path, "field": name})
    return value


def _check_choice(path: str, value, choices, field: str):
    if value not in dict(choices):
        raise ValidationError(_("%(path)s: “%(value)s” is not a valid %(field)s (use one of: %(options)s).")
                              % {"path": path, "value": value, "field": field,
                                 "options": ", ".join(dict(choices))})
    return value


def _parse_assessment(path: str, data) -> dict:
    if not isinstance(data, dict):
        raise ValidationError(_("%(path)s: expected the assessment's fields and its questions.") % {"path": path})
    parsed = {name: data.get(name) for name in ASSESSMENT_FIELDS if name in data}
    _check_choice(path, parsed.get("kind", AssessmentKind.QUIZ), AssessmentKind.choices, "assessment kind")
    _need(path, data, "title")
    closes = parsed.get("closes_at")
    if closes:
        try:
            parsed["closes_at"] = datetime.fromisoformat(str(closes))
        except ValueError:
            raise ValidationError(_("%(path)s: closes_at must be a date and time such as 2027-01-31T23:59:00+00:00.")
                                  % {"path": path}) from None
    questions = data.get("questions") or []
    if not isinstance(questions, list):
        raise ValidationError(_("%(path)s: “questions” is a list.") % {"path": path})
    parsed["questions"] = []
    for number, q in enumerate(questions, start=1):
        where = _("%(path)s, question %(n)d") % {"path": path, "n": number}
        if not isinstance(q, dict):
            raise ValidationError(_("%(where)s is not a mapping of fields.") % {"where": where})
        kind = _check_choice(where, q.get("kind"), QuestionKind.choices, "question kind")
        _need(where, q, "prompt")
        options, correct = q.get("options") or [], q.get("correct") or []
        if not isinstance(options, list) or not isinstance(correct, list):
            raise ValidationError(_("%(where)s: options and correct are lists.") % {"where": where})
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if len(options) < 2 or any(not isinstance(i, int) or not 0 <= i < len(options) for i in correct) \
                    or not correct or (kind == QuestionKind.SINGLE and len(correct) != 1):
                raise ValidationError(_("%(where)s: give at least two options and the right option numbers, "
                                        "counted from 0.") % {"where": where})
        elif kind == QuestionKind.NUMERIC and (len(correct) != 1 or not isinstance(correct[0], int | float)):
            raise ValidationError(_("%(where)s: a number question has one correct number.") % {"where": where})
        elif kind == QuestionKind.TEXT:
            if q.get("pattern"):
                try:
                    re.compile(q["pattern"])
                except re.error as exc:
                    raise ValidationError(_("%(where)s: the pattern is not a valid regular expression: %(e)s")
                                          % {"where": where, "e": exc}) from None
            elif not correct:
                raise ValidationError(_("%(where)s: give accepted answers or a pattern.") % {"where": where})
        parsed["questions"].append({name: q[name] for name in QUESTION_FIELDS if name in q})
    return parsed


def parse(files: dict[str, bytes]) -> dict:
    """Check a whole bundle and return it as plain data, before anything is written."""
    files = {_safe(p): d for p, d in files.items()}
    files = _strip_root(files)
    meta = _load("course.yaml", files["course.yaml"])
    if not isinstance(meta, dict):
        raise ValidationError(_("course.yaml is a mapping of the course's fields."))
    if meta.get("format", FORMAT) != FORMAT:
        raise ValidationError(_("course.yaml is in the format %(got)s; this Forward reads %(want)s.")
                              % {"got": meta.get("format"), "want": FORMAT})
    slug = _need("course.yaml", meta, "slug")
    if slugify(slug) != slug:
        raise ValidationError(_("course.yaml: the slug “%(slug)s” may hold only lowercase letters, digits and "
                                "hyphens.") % {"slug": slug})
    _need("course.yaml", meta, "title")
    _check_choice("course.yaml", meta.get("level", Level.INTRODUCTORY), Level.choices, "level")
    try:
        credits = Decimal(str(meta.get("credit_units", "0")))
    except InvalidOperation:
        raise ValidationError(_("course.yaml: credit_units is a number such as 3.0.")) from None
    policy = meta.get("grading_policy") or {}
    if policy:
        from .grading import policy_errors

        errors = policy_errors(policy) if isinstance(policy, dict) else [_("it is not a mapping")]
        if errors:
            raise ValidationError([_("course.yaml: grading_policy: %(e)s") % {"e": e} for e in errors])
    course = {"slug": slug, "title": meta["title"], "summary": meta.get("summary") or "",
              "level": meta.get("level", Level.INTRODUCTORY), "language": meta.get("language") or "en",
              "estimated_hours": int(meta.get("estimated_hours") or 10), "credit_units": credits,
              "status": meta.get("status") or CourseStatus.DRAFT, "grading_policy": policy,
              "skills": meta.get("skills") or [], "prerequisites": meta.get("prerequisites") or []}
    for skill in course["skills"]:
        if not isinstance(skill, dict) or not skill.get("slug") or not skill.get("name"):
            raise ValidationError(_("course.yaml: each skill has a slug and a name."))
    folders = sorted({p.split("/", 1)[0] for p in files if "/" in p and MODULE_DIR.match(p)},
                     key=lambda f: (int(MODULE_DIR.match(f).group(1)), f))
    modules, slugs = [], set()
    for folder in folders:
        if f"{folder}/module.yaml" not in files:
            raise ValidationError(_("%(folder)s/ has no module.yaml with the module's title.") % {"folder": folder})
        title = _need(f"{folder}/module.yaml", _load(f"{folder}/module.yaml", files[f"{folder}/module.yaml"]) or {},
                      "title")
        lessons = []
        names = sorted((p.split("/", 1)[1] for p in files if p.startswith(folder + "/")
                        and LESSON_FILE.match(p.split("/", 1)[1]) and not p.endswith(".transcript.md")),
                       key=lambda n: (int(LESSON_FILE.match(n).group(1)), n))
        for name in names:
            path = f"{folder}/{name}"
            stem = path[:-3]
            front, body = _front_matter(path, files[path])
            lesson_slug = _need(path, front, "slug")
            if slugify(lesson_slug) != lesson_slug:
                raise ValidationError(_("%(path)s: the slug “%(slug)s” may hold only lowercase letters, digits "
                                        "and hyphens.") % {"path": path, "slug": lesson_slug})
            if lesson_slug in slugs:
                raise ValidationError(_("%(path)s: another lesson already uses the slug “%(slug)s”.")
                                      % {"path": path, "slug": lesson_slug})
            slugs.add(lesson_slug)
            kind = _check_choice(path, front.get("kind"), LessonKind.choices, "lesson kind")
            lesson = {"slug": lesson_slug, "title": _need(path, front, "title"), "kind": kind,
                      "minutes": int(front.get("minutes") or 10), "body": body,
                      **{name: front.get(name) or "" for name in LESSON_OPTIONAL},
                      "captions_vtt": _text(f"{stem}.vtt", files[f"{stem}.vtt"]) if f"{stem}.vtt" in files else "",
                      "transcript": _text(f"{stem}.transcript.md", files[f"{stem}.transcript.md"])
                      if f"{stem}.transcript.md" in files else "", "video": None, "assessment": None}
            if front.get("video_file"):
                video_path = f"{folder}/{front['video_file']}"
                if video_path not in files:
                    raise ValidationError(_("%(path)s names the video %(video)s, which is not in the bundle.")
                                          % {"path": path, "video": front["video_file"]})
                lesson["video"] = (PurePosixPath(video_path).suffix.lower(), files[video_path])
            if f"{stem}.questions.yaml" in files:
                lesson["assessment"] = _parse_assessment(f"{stem}.questions.yaml",
                                                         _load(f"{stem}.questions.yaml", files[f"{stem}.questions.yaml"]))
            elif kind == LessonKind.QUIZ:
                raise ValidationError(_("%(path)s is a quiz; put its questions in %(file)s.")
                                      % {"path": path, "file": PurePosixPath(stem).name + ".questions.yaml"})
            lessons.append(lesson)
        modules.append({"title": title, "lessons": lessons})
    loose = [_parse_assessment(p, _load(p, files[p])) for p in sorted(files)
             if p.startswith("assessments/") and p.endswith(".yaml")]
    return {"course": course, "modules": modules, "assessments": loose}


# --- Import ---------------------------------------------------------------------------------------

def _apply_assessment(*, course: Course, assessment: Assessment | None, data: dict, lesson: Lesson | None):
    fields = {name: data[name] for name in ASSESSMENT_FIELDS if name in data}
    if assessment is None:
        assessment = Assessment(course=course)
    assessment.lesson = lesson
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.save()
    existing = list(assessment.questions.order_by("order", "pk"))
    for index, q in enumerate(data["questions"]):
        question = existing[index] if index < len(existing) else Question(assessment=assessment)
        question.order = index
        for name in QUESTION_FIELDS:
            default = Question._meta.get_field(name).get_default()
            setattr(question, name, q.get(name, default))
        question.save()
    Question.objects.filter(pk__in=[q.pk for q in existing[len(data["questions"]):]]).delete()
    return assessment


@transaction.atomic
def course_import(*, files: dict[str, bytes], owner: Organization, actor: User | None = None) -> Course:
    bundle = parse(files)
    meta = bundle["course"]
    course = Course.objects.select_for_update().filter(slug=meta["slug"]).first()
    if course is not None and course.owner_id != owner.pk:
        raise ValidationError(_("A course with the slug %(slug)s belongs to another organization. Change the slug "
                                "in course.yaml.") % {"slug": meta["slug"]})
    prerequisites = list(Course.objects.filter(slug__in=meta["prerequisites"]))
    unknown = sorted(set(meta["prerequisites"]) - {c.slug for c in prerequisites})
    if unknown:
        raise ValidationError(_("course.yaml: the prerequisites %(slugs)s are not courses on Forward.")
                              % {"slugs": ", ".join(unknown)})
    if actor is not None and course is not None:
        from django.core.exceptions import PermissionDenied

        from .permissions import can_author

        if not can_author(actor, course):
            raise PermissionDenied
    created = course is None
    if created:
        course = Course(slug=meta["slug"], owner=owner)
        course.status = CourseStatus.PUBLISHED if meta["status"] == CourseStatus.PUBLISHED else CourseStatus.DRAFT
        course.published_at = timezone.now() if course.status == CourseStatus.PUBLISHED else None
    for name in ("title", "summary", "level", "language", "estimated_hours", "credit_units", "grading_policy"):
        setattr(course, name, meta[name])
    course.save()
    skills = []
    for skill in meta["skills"]:
        found, _new = Skill.objects.get_or_create(slug=skill["slug"], defaults={"name": skill["name"]})
        skills.append(found)
    course.skills.set(skills)
    course.prerequisites.set([c for c in prerequisites if c.pk != course.pk])
    if actor is not None and created:
        course.authors.add(actor)

    modules = list(course.modules.order_by("order", "pk"))
    lessons = {lsn.slug: lsn for lsn in Lesson.objects.filter(course=course)}
    kept_lessons, new_files, old_files = set(), [], []
    try:
        for m_index, m_data in enumerate(bundle["modules"]):
            module = modules[m_index] if m_index < len(modules) else Module(course=course)
            module.order, module.title = m_index, m_data["title"]
            module.save()
            for l_index, l_data in enumerate(m_data["lessons"]):
                lesson = lessons.get(l_data["slug"]) or Lesson(course=course, slug=l_data["slug"])
                lesson.module, lesson.order = module, l_index
                for name in ("title", "kind", "minutes", "body", "captions_vtt", "transcript", *LESSON_OPTIONAL):
                    setattr(lesson, name, l_data[name])
                if l_data["video"] is None:
                    if lesson.video_file:
                        old_files.append(lesson.video_file)
                    lesson.video_file = ""
                else:
                    suffix, data = l_data["video"]
                    if not _same_file(lesson.video_file, data):
                        if lesson.video_file:
                            old_files.append(lesson.video_file)
                        lesson.video_file = default_storage.save(
                            f"academy/videos/{course.slug}/{l_data['slug']}{suffix}", ContentFile(data))
                        new_files.append(lesson.video_file)
                lesson.save()
                kept_lessons.add(lesson.pk)
                current = Assessment.objects.filter(lesson=lesson).first()
                if l_data["assessment"] is not None:
                    _apply_assessment(course=course, assessment=current, data=l_data["assessment"], lesson=lesson)
                elif current is not None:
                    _drop_assessment(current)
        for lesson in Lesson.objects.filter(course=course).exclude(pk__in=kept_lessons):
            current = Assessment.objects.filter(lesson=lesson).first()
            if current is not None:
                _drop_assessment(current)
            if lesson.video_file:
                old_files.append(lesson.video_file)
            lesson.delete()
        Module.objects.filter(pk__in=[m.pk for m in modules[len(bundle["modules"]):]]).delete()
        loose = list(course.assessments.filter(lesson__isnull=True).order_by("pk"))
        for index, data in enumerate(bundle["assessments"]):
            _apply_assessment(course=course, assessment=loose[index] if index < len(loose) else None, data=data,
                              lesson=None)
        for assessment in loose[len(bundle["assessments"]):]:
            _drop_assessment(assessment)
    except Exception:
        for name in new_files:
            default_storage.delete(name)
        raise
    still_used = set(Lesson.objects.filter(video_file__in=old_files).values_list("video_file", flat=True))
    transaction.on_commit(lambda: [default_storage.delete(n) for n in old_files if n not in still_used])
    if actor is not None:
        from forward.core.services import audit

        audit(actor=actor, action="course.import", organization=owner, target=course.slug)
    return course


def _drop_assessment(assessment: Assessment) -> None:
    if Attempt.objects.filter(assessment=assessment).exists():
        raise ValidationError(_("Learners have answered “%(title)s”, so the bundle must keep it.")
                              % {"title": assessment.title})
    assessment.delete()


def _same_file(name: str, data: bytes) -> bool:
    if not name or not default_storage.exists(name) or default_storage.size(name) != len(data):
        return False
    with default_storage.open(name, "rb") as stored:
        return stored.read() == data


def import_zip(*, data: bytes, owner: Organization, actor: User | None = None) -> Course:
    return course_import(files=read_zip(data), owner=owner, actor=actor)


def import_dir(*, path: str | Path, owner: Organization, actor: User | None = None) -> Course:
    return course_import(files=read_dir(path), owner=owner, actor=actor)
