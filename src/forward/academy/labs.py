"""Auto-graded labs: setting one up, submitting predictions, scoring them in workers.

The flow follows competitions (ARCHITECTURE.md, "Data flow: a competition submission"): the
upload is checked and stored, the row is `queued` and only its id goes to the queue after commit;
a worker claims it with a conditional update and scores it in a child process with a memory and
a time limit (forward.scoring.run_limited); the row ends `scored` or `failed` with a message a
person can act on; the reaper puts rows stuck `running` back in the queue. A scored submission
that reaches the lab's threshold marks the lesson done; the best score counts in the grading
policy as the type "lab".
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypedDict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forward import scoring
from forward.core import jobs, storage
from forward.core.models import User
from forward.scoring.reading import MAX_VALUE_LENGTH as MAX_ANSWER_CHARS

from . import permissions
from .models import Enrolment, LabSubmission, LabSubmissionStatus, LabTask, Lesson, LessonKind

log = logging.getLogger(__name__)

LAB_SUFFIXES = (".csv", ".csv.gz", ".zip")
MAX_DATA_MB = 50  # a public data file or an answer key set up in the studio
MAX_ATTEMPTS = 3


def _deadline() -> timedelta:
    return timedelta(seconds=getattr(settings, "FORWARD_SCORING_DEADLINE", 600))


class Limits(TypedDict):
    """What `scoring.run_limited` gives a child process."""

    memory_mb: int
    timeout: int


def _limits() -> Limits:
    return {"memory_mb": getattr(settings, "FORWARD_SCORING_MEMORY_MB", 2048),
            "timeout": getattr(settings, "FORWARD_SCORING_TIMEOUT", 300)}


def utc_day_start(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


# --- Setting a lab up (course team) -------------------------------------------------------------


def _check_key(key_path: Path, metric: str) -> scoring.Solution:
    try:
        solution: scoring.Solution = scoring.run_limited(
            lambda: scoring.load_solution(key_path, metric, parts=False), **_limits())
        return solution
    except scoring.ScoringError as exc:
        raise ValidationError(_("The answer key cannot be used: %(error)s") % {"error": str(exc)}) from None


MAX_QUESTIONS = 30
MAX_QUESTION_CHARS = 500
QUESTION_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def _check_questions(questions: list[dict[str, Any]], solution: scoring.Solution) -> list[dict[str, str]]:
    """An answers lab's questions: 1 to MAX_QUESTIONS, ids unique and exactly the key's ids."""
    if not questions:
        raise ValidationError(_("An answers lab needs its questions: one a line, the question id, a vertical bar "
                                "and the question."))
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError(_("An answers lab has at most %(n)d questions.") % {"n": MAX_QUESTIONS})
    clean: list[dict[str, str]] = []
    seen: set[str] = set()
    for q in questions:
        qid, text = str(q.get("id", "")).strip(), " ".join(str(q.get("text", "")).split())
        if not QUESTION_ID.match(qid):
            raise ValidationError(_("The question id %(id)s is not usable: use 1 to 40 letters, digits, _ or -.")
                                  % {"id": repr(qid[:50])})
        if qid in seen:
            raise ValidationError(_("The question id %(id)s is used twice.") % {"id": qid})
        if not text or len(text) > MAX_QUESTION_CHARS:
            raise ValidationError(_("The question %(id)s needs its text, at most %(n)d characters.")
                                  % {"id": qid, "n": MAX_QUESTION_CHARS})
        seen.add(qid)
        clean.append({"id": qid, "text": text})
    keyed = {str(v) for v in solution.ids.to_pylist()}
    if keyed != seen:
        parts = []
        if seen - keyed:
            parts.append(_("no answer in the key for %(ids)s") % {"ids": ", ".join(sorted(seen - keyed))})
        if keyed - seen:
            parts.append(_("answers in the key to no question: %(ids)s") % {"ids": ", ".join(sorted(keyed - seen))})
        raise ValidationError(_("The questions and the answer key do not match (%(problems)s). The key needs one "
                                "row for each question id.") % {"problems": "; ".join(parts)})
    return clean


def lab_setup(*, actor: User | None, lesson: Lesson, metric: str, pass_threshold: float,
              key: UploadedFile | None = None, train: UploadedFile | None = None, test: UploadedFile | None = None,
              max_daily_submissions: int = 10, questions: list[dict[str, Any]] | None = None) -> LabTask:
    """Create or change the lab of a lab lesson. The key (id column, target column) is checked
    with the metric before anything is stored; files not given keep their stored versions.

    With the metric "answers" the lab asks ``questions`` ([{"id", "text"}], kept when None) and
    the key holds each question id's answer; otherwise the lab has no questions."""
    if actor is not None and not permissions.can_author(actor, lesson.course):
        raise PermissionDenied
    if lesson.kind != LessonKind.LAB:
        raise ValidationError(_("Only a lab lesson can have a graded lab."))
    try:
        metric = scoring.get_metric(metric).name
    except scoring.ScoringError as exc:
        raise ValidationError(str(exc)) from None
    if not 1 <= max_daily_submissions <= 100:
        raise ValidationError(_("Allow from 1 to 100 submissions per day."))
    current = LabTask.objects.filter(lesson=lesson).first()
    if key is None and current is None:
        raise ValidationError(_("Upload the answer key (a CSV with the id column and the target column)."))
    for upload in (key, train, test):
        if upload is not None and (upload.size or 0) > MAX_DATA_MB * 1024 * 1024:
            raise ValidationError(_("%(name)s is larger than %(n)d MB.") % {"name": upload.name, "n": MAX_DATA_MB})
        if upload is not None and storage.suffix_of(upload.name or "") not in LAB_SUFFIXES:
            raise ValidationError(_("%(name)s is not a .csv, .csv.gz or .zip file.") % {"name": upload.name})
    if key is not None:
        with storage.upload_path(key) as key_path:
            solution = _check_key(key_path, metric)
    else:
        assert current is not None  # checked above: without a key there is a lab already
        with storage.local_path(current.key_file, max_bytes=MAX_DATA_MB * 1024 * 1024) as key_path:
            solution = _check_key(key_path, metric)
    if metric == "answers":
        asked = _check_questions(current.questions if questions is None and current else questions or [], solution)
    else:
        asked = []
    prefix = f"academy/labs/{lesson.pk}"
    stored = {name: storage.save(f"{prefix}/{'private' if name == 'key_file' else 'public'}", upload)
              for name, upload in (("key_file", key), ("train_file", train), ("test_file", test)) if upload}
    old = {name: getattr(current, name) for name in stored} if current else {}
    fields = {"metric": metric, "pass_threshold": float(pass_threshold), "id_column": solution.id_column,
              "target_column": solution.target_column, "max_daily_submissions": max_daily_submissions,
              "questions": asked, **stored}
    with transaction.atomic():
        lab, _created = LabTask.objects.update_or_create(lesson=lesson, defaults=fields)
        Lesson.objects.filter(pk=lesson.pk).update(lab_url="")  # the platform hosts the lab now: no outside link

        def delete_old() -> None:
            for name in old.values():
                storage.delete(name)

        transaction.on_commit(delete_old)
    return lab


def lab_setup_generated(*, lesson: Lesson, metric: str, pass_threshold: float, key_csv: str, train_csv: str,
                        test_csv: str = "", questions: list[dict[str, Any]] | None = None) -> LabTask:
    """The demo's labs: files the platform generated itself."""
    return lab_setup(actor=None, lesson=lesson, metric=metric, pass_threshold=pass_threshold,
                     key=SimpleUploadedFile("key.csv", key_csv.encode()),
                     train=SimpleUploadedFile("train.csv", train_csv.encode()),
                     test=SimpleUploadedFile("test.csv", test_csv.encode()) if test_csv else None,
                     questions=questions)


# --- Submitting (learners) ----------------------------------------------------------------------


def submissions_used_today(*, lab: LabTask, user: User, now: datetime | None = None) -> int:
    return LabSubmission.objects.filter(lab=lab, user=user, created_at__gte=utc_day_start(now)).count()


def _enqueue(submission_id: int) -> None:
    from . import tasks

    transaction.on_commit(lambda: tasks.score_lab_submission.delay(submission_id), robust=True)


def lab_submission_create(*, user: User, lab: LabTask, upload: UploadedFile) -> LabSubmission:
    """Check enrolment, size and the daily limit; store the file; queue it for scoring."""
    course = lab.lesson.course
    if not permissions.can_submit_lab(user, lab):
        raise PermissionDenied
    enrolment = Enrolment.objects.filter(user=user, run__course=course).order_by("-created_at").first()
    if enrolment is None:
        raise ValidationError(_("Enrol in the course to submit to its labs."))
    name = upload.name or "predictions.csv"
    suffix = storage.suffix_of(name)
    if suffix not in LAB_SUFFIXES:
        raise ValidationError(_("%(name)s is not a .csv, .csv.gz or .zip file.") % {"name": name})
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if upload.size is not None and upload.size > lab.max_submission_mb * 1024 * 1024:
        raise ValidationError(_("The file is %(size).1f MB; this lab accepts up to %(limit)d MB.")
                              % {"size": upload.size / 1048576, "limit": lab.max_submission_mb})
    stored = storage.save(f"academy/labs/{lab.lesson_id}/submissions/{user.pk}", upload, suffix=suffix)
    committed: list[bool] = []
    try:
        with transaction.atomic():
            # Lock the enrolment so that a double click cannot take the last submission of the day twice.
            Enrolment.objects.select_for_update().get(pk=enrolment.pk)
            now = timezone.now()
            if submissions_used_today(lab=lab, user=user, now=now) >= lab.max_daily_submissions:
                raise ValidationError(_("You have used all %(limit)d submissions to this lab for today. The count "
                                        "resets at 00:00 UTC.") % {"limit": lab.max_daily_submissions})
            submission = LabSubmission.objects.create(lab=lab, user=user, enrolment=enrolment, file=stored,
                                                      original_name=name[:200], created_at=now)
            transaction.on_commit(lambda: committed.append(True))
            _enqueue(submission.pk)
    except BaseException:
        if not committed:
            storage.delete(stored)
        raise
    return submission


def lab_answers_file(*, lab: LabTask, answers: dict[str, str]) -> UploadedFile:
    """Answers typed into the lab page, as the CSV a learner could have uploaded (question id,
    answer): it is submitted and scored the same way. Every question needs an answer."""
    if not lab.is_answers:
        raise ValidationError(_("This lab scores predictions; upload a CSV file of them."))
    blank = [q["id"] for q in lab.questions if not str(answers.get(q["id"], "")).strip()]
    if blank:
        raise ValidationError(_("Answer every question; these are blank: %(ids)s.") % {"ids": ", ".join(blank)})
    too_long = [q["id"] for q in lab.questions if len(str(answers[q["id"]])) > MAX_ANSWER_CHARS]
    if too_long:
        raise ValidationError(_("Keep each answer under %(n)d characters: %(ids)s.")
                              % {"n": MAX_ANSWER_CHARS, "ids": ", ".join(too_long)})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([lab.id_column, lab.target_column])
    for q in lab.questions:
        writer.writerow([q["id"], " ".join(str(answers[q["id"]]).split())])
    return SimpleUploadedFile("answers.csv", out.getvalue().encode())


LAST_ANSWERS_BYTES = 64 * 1024  # an answers file is a few lines; read no more than this of it


def last_answers(*, lab: LabTask, user: User) -> dict[str, str]:
    """The answers of this learner's latest submission to an answers lab, by question id, so the
    form shows them again (a failed or half-right attempt is corrected, not retyped). Reads a
    bounded prefix of the stored file; anything unreadable gives no answers."""
    if not lab.is_answers or not user.is_authenticated:
        return {}
    name = LabSubmission.objects.filter(lab=lab, user=user).order_by("-pk").values_list("file", flat=True).first()
    if not name:
        return {}
    try:
        with contextlib.closing(storage.read_range(name, 0, LAST_ANSWERS_BYTES - 1)) as chunks:  # only these bytes
            text = b"".join(chunks).decode("utf-8-sig", errors="replace")
    except OSError:
        return {}
    asked = {q["id"] for q in lab.questions}
    found: dict[str, str] = {}
    try:
        for row in csv.reader(io.StringIO(text)):
            if len(row) >= 2 and row[0] in asked and row[0] not in found:
                found[row[0]] = row[1][:MAX_ANSWER_CHARS]
    except csv.Error:
        return {}
    return found


# --- Scoring (workers) --------------------------------------------------------------------------


def _claim(submission_id: int) -> bool:
    claimed = LabSubmission.objects.filter(pk=submission_id, status=LabSubmissionStatus.QUEUED,
                                           attempts__lt=MAX_ATTEMPTS).update(
        status=LabSubmissionStatus.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1)
    if claimed != 1:
        LabSubmission.objects.filter(pk=submission_id, status=LabSubmissionStatus.QUEUED,
                                     attempts__gte=MAX_ATTEMPTS).update(**_interrupted())
    return claimed == 1


def _interrupted() -> dict[str, Any]:
    return {"status": LabSubmissionStatus.FAILED, "scored_at": timezone.now(),
            "error": _("Scoring was interrupted %(n)d times; the file may be too large to score. Check it with "
                       "`forward score` and submit it again.") % {"n": MAX_ATTEMPTS}}


def lab_submission_score(*, submission_id: int) -> str | None:
    """Score a queued lab submission in a child process. Returns the final status, or None if it
    was not this worker's to score."""
    if not _claim(submission_id):
        return None
    submission = LabSubmission.objects.select_related("lab").get(pk=submission_id)
    lab = submission.lab
    fields: dict[str, Any] = {"status": LabSubmissionStatus.FAILED, "score": None, "passed": False}
    try:
        # From object storage both files are copied to this machine, each at most as large as its upload may be.
        with storage.local_path(submission.file, max_bytes=lab.max_submission_mb * 1024 * 1024) as path, \
                storage.local_path(lab.key_file, max_bytes=MAX_DATA_MB * 1024 * 1024) as key_path:
            value, _rows = scoring.run_limited(scoring.score_key_files, key_path, path, lab.metric,
                                               lab.max_submission_mb * 1024 * 1024, **_limits())
        fields = {"status": LabSubmissionStatus.SCORED, "score": value, "passed": lab.passes(value), "error": ""}
    except scoring.LimitExceeded as exc:
        log.warning("lab submission %s broke the %s limit", submission_id, exc.kind)
        fields["error"] = str(exc)
    except scoring.SubmissionError as exc:
        fields["error"] = str(exc)
    except scoring.SolutionError as exc:
        log.error("answer key of %s is invalid: %s", lab, exc)
        fields["error"] = _("The lab's answer key could not be read; the course team has been told.")
    except storage.StoredFileTooLarge as exc:
        if exc.name != submission.file:  # the answer key: the course team's file, not the learner's
            log.error("answer key of %s not read: %s", lab, exc)
            fields["error"] = _("The lab's answer key could not be read; the course team has been told.")
        else:
            fields["error"] = _("The file is %(size).1f MB; this lab accepts up to %(limit)d MB.") % {
                "size": exc.size / 1048576, "limit": lab.max_submission_mb}
    except FileNotFoundError:
        fields["error"] = _("The uploaded file was lost before scoring; please submit it again.")
    except Exception as exc:  # anything else must still end the row, never leave it `running`
        detail = getattr(exc, "detail", "")
        log.exception("scoring lab submission %s failed unexpectedly %s", submission_id, detail)
        fields["error"] = _("Scoring failed because of an unexpected error; it has been logged for the site's "
                            "operators.")
    with transaction.atomic():
        updated = LabSubmission.objects.filter(pk=submission_id, status=LabSubmissionStatus.RUNNING).update(
            scored_at=timezone.now(), **fields)
        if updated and fields["passed"]:
            _complete_lesson(submission)
    return fields["status"] if updated else None


def _complete_lesson(submission: LabSubmission) -> None:
    from . import services

    services.progress_apply(user=submission.user, events=[services.ProgressEvent(
        lesson_id=submission.lab.lesson_id, position=0, completed=True, at=timezone.now())])


def lab_submissions_requeue_stale(*, now: datetime | None = None) -> list[int]:
    """The reaper: lab submissions running past the deadline go back to the queue (or end failed
    after MAX_ATTEMPTS claims)."""
    now = now or timezone.now()
    return jobs.requeue_stale(
        stale=LabSubmission.objects.filter(status=LabSubmissionStatus.RUNNING, started_at__lt=now - _deadline()),
        requeue={"status": LabSubmissionStatus.QUEUED, "started_at": None}, enqueue=_enqueue,
        max_attempts=MAX_ATTEMPTS, interrupted=_interrupted)


def lab_submissions_resend_waiting(*, older_than: timedelta = timedelta(minutes=10)) -> list[int]:
    """The reaper: queued lab submissions whose message may have been lost (a broker restarted)
    are sent again; the claim lets only one worker score each."""
    return jobs.resend_waiting(
        waiting=LabSubmission.objects.filter(status=LabSubmissionStatus.QUEUED,
                                             created_at__lt=timezone.now() - older_than),
        enqueue=_enqueue)


# --- Reads ---------------------------------------------------------------------------------------


def lab_percents(*, course_id: int, user_ids: list[int]) -> dict[int, dict[str, list[float]]]:
    """user id → {"lab": [percent of each lab of the course]}: the best score per lab (one query).
    A lab not attempted counts through the policy's minimum count."""
    best: dict[tuple[int, int], float] = {}
    labs: dict[int, LabTask] = {}
    for sub in LabSubmission.objects.filter(lab__lesson__course_id=course_id, user_id__in=user_ids,
                                            status=LabSubmissionStatus.SCORED).select_related("lab"):
        labs[sub.lab_id] = sub.lab
        key = (sub.user_id, sub.lab_id)
        percent = sub.lab.percent(sub.score)
        best[key] = max(best.get(key, 0.0), percent)
    grouped: dict[int, dict[str, list[float]]] = {}
    for (user_id, _lab), percent in best.items():
        grouped.setdefault(user_id, {}).setdefault("lab", []).append(percent)
    return grouped
