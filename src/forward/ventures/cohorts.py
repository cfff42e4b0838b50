"""Cohort calls and applications: every write, one transaction each.

A call goes draft → open (published, listed publicly) → closed (for review) → decided (the cohort is
public). Staff of the organizer write its questions while it is a draft. Startups draft an
application, save answers and submit it; submission checks eligibility, required answers and the
deadline at the moment it happens (server time), and freezes the answers. Staff decide accept,
waitlist or reject; each decision is mailed to the startup's admins after commit, once.
Judging (rubric, panels, conflicts, scores, ranking) is in ``judging``."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from forward.core.models import Organization, User

from . import permissions
from .models import (
    DECISIONS,
    Answer,
    ApplicationStatus,
    Call,
    CallStatus,
    CohortApplication,
    Question,
    QuestionKind,
    Stage,
    Startup,
)

Number = Decimal | int | float | str  # a question's bound as a form or the API gives it

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_QUESTIONS = 40
MAX_OPTIONS = 20
MAX_TEXT = 10_000
PUBLISHED = (CallStatus.OPEN, CallStatus.CLOSED, CallStatus.DECIDED)


# --- reads -----------------------------------------------------------------------------------------

def calls_for(*, user: User) -> QuerySet[Call]:
    """Published calls, and the drafts of the organizers this person runs programmes for."""
    visible = Q(status__in=PUBLISHED)
    if user.is_authenticated:
        if permissions.is_operator(user):
            visible = Q()
        else:
            visible |= Q(organizer__in=permissions.programme_organizers(user))
    return Call.objects.filter(visible).select_related("organizer").order_by("-deadline", "pk")


def applications_of_call(*, call: Call) -> QuerySet[CohortApplication]:
    """Every application the staff review: submitted or decided (drafts are the startup's own)."""
    return (CohortApplication.objects.filter(call=call).exclude(status=ApplicationStatus.DRAFT)
            .select_related("startup__organization").order_by("submitted_at", "pk"))


def applications_for_startups(*, user: User) -> QuerySet[CohortApplication]:
    orgs = permissions.startup_organizations(user)
    return (CohortApplication.objects.filter(startup__organization__in=orgs)
            .select_related("call__organizer", "startup__organization").order_by("-created_at", "pk"))


def cohort(*, call: Call) -> QuerySet[CohortApplication]:
    """The cohort: the call's accepted startups, by name."""
    return (CohortApplication.objects.filter(call=call, status=ApplicationStatus.ACCEPTED)
            .select_related("startup__organization").order_by("startup__organization__name", "pk"))


def cohorts_of(*, startup: Startup) -> QuerySet[Call]:
    """The calls whose cohort the startup is in (an accepted application), for "Cohort: <call>"."""
    accepted = CohortApplication.objects.filter(call=OuterRef("pk"), startup=startup,
                                                status=ApplicationStatus.ACCEPTED)
    return Call.objects.filter(Exists(accepted)).order_by("-deadline", "pk")


def answers_by_question(application: CohortApplication) -> list[tuple[Question, Answer | None]]:
    answers = {a.question_id: a for a in application.answers.all()}
    return [(q, answers.get(q.pk)) for q in application.call.questions.all()]


def eligibility_problems(call: Call, startup: Startup) -> list[str]:
    problems = []
    country = startup.organization.country.code if startup.organization.country else ""
    if call.countries and country not in call.countries:
        problems.append(_("This call is open to startups based in %(countries)s; %(startup)s is based in "
                          "%(country)s.") % {"countries": ", ".join(call.countries), "startup": startup,
                                             "country": country or _("no country")})
    if call.stages and startup.stage not in call.stages:
        problems.append(_("This call is open to startups at the stages %(stages)s; %(startup)s is at %(stage)s. "
                          "Update your stage on your startup's profile if it has changed.") % {
            "stages": ", ".join(str(Stage(s).label) for s in call.stages), "startup": startup,
            "stage": Stage(startup.stage).label})
    return problems


def is_open_for_applications(call: Call, now: datetime | None = None) -> bool:
    return call.status == CallStatus.OPEN and (now or timezone.now()) <= call.deadline


# --- calls -----------------------------------------------------------------------------------------

def _check_eligibility_lists(countries: list[str], stages: list[str]) -> tuple[list[str], list[str]]:
    from django_countries import countries as known

    countries = sorted({c.strip().upper() for c in countries if c.strip()})
    unknown = [c for c in countries if c not in dict(known)]
    if unknown:
        raise ValidationError(_("Unknown country codes: %(codes)s; use two-letter codes such as MY or SG.")
                              % {"codes": ", ".join(unknown)})
    bad = [s for s in stages if s not in Stage.values]
    if bad:
        raise ValidationError(_("Unknown stages: %(stages)s.") % {"stages": ", ".join(bad)})
    order = list(Stage.values)
    return countries, sorted(set(stages), key=order.index)


def _run(actor: User, call: Call) -> None:
    if not permissions.can_run_call(actor, call):
        raise PermissionDenied


def call_create(*, actor: User, organizer: Organization, title: str, deadline: datetime, description: str = "",
                countries: list[str] | None = None, stages: list[str] | None = None) -> Call:
    """A draft call in the organizer's name (its programme staff, or operators)."""
    if not permissions.can_run_programme(actor, organizer):
        raise PermissionDenied
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the call a title."))
    if deadline <= timezone.now():
        raise ValidationError(_("The deadline is in the past; choose a later date and time."))
    countries, stages = _check_eligibility_lists(countries or [], stages or [])
    with transaction.atomic():
        return Call.objects.create(organizer=organizer, title=title[:160], description=description.strip(),
                                   deadline=deadline, countries=countries, stages=stages, created_by=actor)


def call_update(*, actor: User, call: Call, title: str, deadline: datetime, description: str = "",
                countries: list[str] | None = None, stages: list[str] | None = None) -> Call:
    """Change a call while it is a draft or open (a deadline may move, never into the past)."""
    _run(actor, call)
    countries, stages = _check_eligibility_lists(countries or [], stages or [])
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.status not in (CallStatus.DRAFT, CallStatus.OPEN):
            raise ValidationError(_("This call is closed; it can no longer be changed."))
        if deadline <= timezone.now():
            raise ValidationError(_("The deadline is in the past; choose a later date and time."))
        if not title.strip():
            raise ValidationError(_("Give the call a title."))
        call.title, call.description, call.deadline = title.strip()[:160], description.strip(), deadline
        call.countries, call.stages = countries, stages
        call.save(update_fields=["title", "description", "deadline", "countries", "stages"])
    return call


def _clean_question(kind: str, prompt: str, max_length: int | str | None, options: Iterable[object] | None,
                    min_value: Number | None, max_value: Number | None) -> dict[str, Any]:
    if kind not in QuestionKind.values:
        raise ValidationError(_("Unknown question kind %(kind)s.") % {"kind": kind})
    prompt = (prompt or "").strip()
    if not prompt:
        raise ValidationError(_("Write the question."))
    fields: dict[str, Any] = {"kind": kind, "prompt": prompt[:300], "max_length": None, "options": [],
                              "min_value": None, "max_value": None}
    if kind == QuestionKind.TEXT:
        fields["max_length"] = min(int(max_length or 2000), MAX_TEXT)
        if fields["max_length"] < 1:
            raise ValidationError(_("A text question's maximum length must be at least 1."))
    elif kind == QuestionKind.CHOICE:
        cleaned: list[str] = []
        for option in options or []:
            text = str(option).strip()[:120]
            if text and text not in cleaned:
                cleaned.append(text)
        if len(cleaned) < 2 or len(cleaned) > MAX_OPTIONS:
            raise ValidationError(_("A choice question needs 2 to %(n)d different options.") % {"n": MAX_OPTIONS})
        fields["options"] = cleaned
    elif kind == QuestionKind.NUMBER:
        fields["min_value"] = None if min_value is None or min_value == "" else Decimal(min_value)
        fields["max_value"] = None if max_value is None or max_value == "" else Decimal(max_value)
        if fields["min_value"] is not None and fields["max_value"] is not None \
                and fields["min_value"] > fields["max_value"]:
            raise ValidationError(_("The minimum is larger than the maximum."))
    return fields


def question_add(*, actor: User, call: Call, kind: str, prompt: str, help_text: str = "", required: bool = True,
                 max_length: int | None = None, options: list[str] | None = None,
                 min_value: Number | None = None, max_value: Number | None = None) -> Question:
    """Add a question at the end, while the call is a draft (answers must mean what they were asked)."""
    _run(actor, call)
    fields = _clean_question(kind, prompt, max_length, options, min_value, max_value)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.status != CallStatus.DRAFT:
            raise ValidationError(_("Questions can change only while the call is a draft."))
        count = call.questions.count()
        if count >= MAX_QUESTIONS:
            raise ValidationError(_("A call has at most %(n)d questions.") % {"n": MAX_QUESTIONS})
        return Question.objects.create(call=call, order=count + 1, help_text=(help_text or "").strip()[:300],
                                       required=required, **fields)


def question_remove(*, actor: User, question: Question) -> None:
    _run(actor, question.call)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=question.call_id)
        if call.status != CallStatus.DRAFT:
            raise ValidationError(_("Questions can change only while the call is a draft."))
        question.delete()


def _transition(actor: User, call: Call, source: str, target: str, stamp: str, message: str) -> Call:
    _run(actor, call)
    with transaction.atomic():
        # Lock first, then read the clock: a submission holding the lock lands before our stamp.
        list(Call.objects.select_for_update().filter(pk=call.pk).values_list("pk", flat=True))
        now = timezone.now()
        if not Call.objects.filter(pk=call.pk, status=source).update(status=target, **{stamp: now}):
            call.refresh_from_db()
            if call.status == target:
                return call  # a double click: done already
            raise ValidationError(message)
    call.refresh_from_db()
    return call


def call_publish(*, actor: User, call: Call) -> Call:
    """Open the call: listed publicly, startups may apply until the deadline."""
    _run(actor, call)
    if call.deadline <= timezone.now():
        raise ValidationError(_("The deadline has passed; move it later before publishing."))
    if not call.questions.exists():
        raise ValidationError(_("Add at least one question before publishing."))
    return _transition(actor, call, CallStatus.DRAFT, CallStatus.OPEN, "published_at",
                       _("Only a draft call can be published."))


def call_close(*, actor: User, call: Call) -> Call:
    """Close the call for review: no more submissions, judges score, staff decide."""
    return _transition(actor, call, CallStatus.OPEN, CallStatus.CLOSED, "closed_at",
                       _("Only an open call can be closed."))


def call_mark_decided(*, actor: User, call: Call) -> Call:
    """Every submitted application has a decision: the cohort becomes public."""
    _run(actor, call)
    if CohortApplication.objects.filter(call=call, status=ApplicationStatus.SUBMITTED).exists():
        raise ValidationError(_("Some submitted applications have no decision yet; accept, waitlist or reject "
                                "each of them first."))
    return _transition(actor, call, CallStatus.CLOSED, CallStatus.DECIDED, "decided_at",
                       _("Only a call closed for review can be marked decided."))


# --- applications ----------------------------------------------------------------------------------

def application_create(*, actor: User, call: Call, organization: Organization) -> CohortApplication:
    """The startup's draft application to an open call (the same one again if it exists)."""
    if not permissions.can_apply(actor, organization) or not permissions.can_view_call(actor, call):
        raise PermissionDenied
    startup = Startup.objects.filter(organization=organization).first()
    if startup is None:
        raise ValidationError(_("Complete your startup's profile before applying."))
    existing = CohortApplication.objects.filter(call=call, startup=startup).first()
    if existing:
        return existing
    if not is_open_for_applications(call):
        raise ValidationError(_("This call is not taking applications (its deadline was %(deadline)s UTC).")
                              % {"deadline": call.deadline.strftime("%Y-%m-%d %H:%M")})
    try:
        with transaction.atomic():
            return CohortApplication.objects.create(call=call, startup=startup, created_by=actor)
    except IntegrityError:  # a double click: the first one made it
        return CohortApplication.objects.get(call=call, startup=startup)


def _editable(actor: User, application: CohortApplication) -> CohortApplication:
    if not permissions.can_apply(actor, application.startup.organization):
        raise PermissionDenied
    application = CohortApplication.objects.select_for_update().select_related("call").get(pk=application.pk)
    if application.status != ApplicationStatus.DRAFT:
        raise ValidationError(_("This application was submitted; its answers are frozen."))
    if application.call.status != CallStatus.OPEN:
        raise ValidationError(_("This call is no longer taking applications."))
    return application


def _clean_answer(question: Question, value: Any) -> dict[str, Any]:
    """The answer's stored fields from a submitted value; a ValidationError names the question."""
    empty = value is None or (isinstance(value, str) and not value.strip())
    if question.kind == QuestionKind.TEXT:
        text = "" if empty else str(value).strip()
        if len(text) > (question.max_length or MAX_TEXT):
            raise ValidationError(_("“%(q)s”: at most %(n)d characters (you wrote %(m)d).")
                                  % {"q": question.prompt, "n": question.max_length, "m": len(text)})
        return {"text": text, "number": None}
    if question.kind == QuestionKind.CHOICE:
        text = "" if empty else str(value).strip()
        if text and text not in question.options:
            raise ValidationError(_("“%(q)s”: choose one of the options given.") % {"q": question.prompt})
        return {"text": text, "number": None}
    if question.kind == QuestionKind.NUMBER:
        if empty:
            return {"text": "", "number": None}
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValidationError(_("“%(q)s”: enter a number.") % {"q": question.prompt}) from None
        if not number.is_finite() or abs(number) >= Decimal("1e14"):
            raise ValidationError(_("“%(q)s”: enter a number.") % {"q": question.prompt})
        if question.min_value is not None and number < question.min_value:
            raise ValidationError(_("“%(q)s”: at least %(n)s.") % {"q": question.prompt, "n": question.min_value})
        if question.max_value is not None and number > question.max_value:
            raise ValidationError(_("“%(q)s”: at most %(n)s.") % {"q": question.prompt, "n": question.max_value})
        return {"text": "", "number": number.quantize(Decimal("0.01"))}
    raise ValidationError(_("“%(q)s”: upload a PDF file for this question.") % {"q": question.prompt})


def answers_save(*, actor: User, application: CohortApplication, answers: dict[int, Any]) -> CohortApplication:
    """Save some answers of a draft (text, choice, number; files by ``answer_file_save``). Every
    problem is reported at once and nothing is saved if there is one."""
    with transaction.atomic():
        application = _editable(actor, application)
        questions = {q.pk: q for q in application.call.questions.all()}
        cleaned, problems = {}, []
        for key, value in answers.items():
            question = questions.get(int(key)) if str(key).isdigit() else None
            if question is None:
                problems.append(_("Question %(id)s is not a question of this call.") % {"id": key})
                continue
            try:
                cleaned[question.pk] = _clean_answer(question, value)
            except ValidationError as exc:
                problems.extend(exc.messages)
        if problems:
            raise ValidationError(problems)
        now = timezone.now()
        existing = {a.question_id: a for a in Answer.objects.filter(application=application)}
        for question_id, fields in cleaned.items():
            answer = existing.get(question_id)
            if answer is None:
                Answer.objects.create(application=application, question_id=question_id, updated_at=now, **fields)
            else:
                Answer.objects.filter(pk=answer.pk).update(updated_at=now, **fields)
    return application


def check_pdf(upload: UploadedFile | None) -> None:
    if upload is None:
        raise ValidationError(_("Choose a PDF file."))
    if upload.size is None or upload.size > MAX_FILE_BYTES:
        raise ValidationError(_("The file is larger than 5 MB; export a smaller PDF."))
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("This is not a PDF file (it does not start with %PDF-); export it as PDF."))


def answer_file_save(*, actor: User, application: CohortApplication, question: Question,
                     upload: UploadedFile) -> Answer:
    """Store a PDF answer under a random name (the previous file of that answer goes after commit)."""
    if question.call_id != application.call_id or question.kind != QuestionKind.FILE:
        raise ValidationError(_("This question does not take a file."))
    if not permissions.can_apply(actor, application.startup.organization):
        raise PermissionDenied
    check_pdf(upload)
    name = default_storage.save(f"ventures/applications/{uuid.uuid4().hex}.pdf", upload)
    try:
        with transaction.atomic():
            application = _editable(actor, application)
            answer, _created = Answer.objects.select_for_update().get_or_create(application=application,
                                                                                question=question)
            old = answer.file.name
            answer.file.name = name
            answer.file_name = (getattr(upload, "name", "") or "answer.pdf")[-200:]
            answer.updated_at = timezone.now()
            answer.save(update_fields=["file", "file_name", "updated_at"])
            if old:
                transaction.on_commit(lambda: default_storage.delete(old))
    except Exception:
        default_storage.delete(name)
        raise
    return answer


def missing_answers(application: CohortApplication) -> list[Question]:
    answered = {a.question_id for a in Answer.objects.filter(application=application) if not a.is_empty}
    return [q for q in application.call.questions.all() if q.required and q.pk not in answered]


def application_submit(*, actor: User, application: CohortApplication) -> CohortApplication:
    """Submit a draft: the call must be open and its deadline not passed at this moment (server
    time), the startup eligible, and every required question answered. Answers freeze."""
    with transaction.atomic():
        # The call first (as closing and deciding lock it): a close waits for us, or we see it closed.
        call = Call.objects.select_for_update().get(pk=application.call_id)
        application = _editable(actor, application)
        now = timezone.now()
        if call.status != CallStatus.OPEN or now > call.deadline:
            raise ValidationError(_("The deadline for this call was %(deadline)s UTC; late applications are not "
                                    "accepted.") % {"deadline": call.deadline.strftime("%Y-%m-%d %H:%M")})
        startup = Startup.objects.select_related("organization").get(pk=application.startup_id)
        problems = eligibility_problems(call, startup)
        missing = missing_answers(application)
        if missing:
            problems.append(_("Answer the required questions: %(list)s.")
                            % {"list": "; ".join(f"“{q.prompt}”" for q in missing)})
        if problems:
            raise ValidationError(problems)
        application.status = ApplicationStatus.SUBMITTED
        application.submitted_at = now
        application.save(update_fields=["status", "submitted_at"])
    return application


# --- decisions -------------------------------------------------------------------------------------

def _decide_locked(actor: User, call: Call, application_ids: list[int], decision: str) -> list[CohortApplication]:
    if decision not in DECISIONS:
        raise ValidationError(_("Decide accept, waitlist or reject."))
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status not in (CallStatus.CLOSED, CallStatus.DECIDED):
        raise ValidationError(_("Close the call for review before deciding."))
    rows = list(CohortApplication.objects.select_for_update().filter(call=call, pk__in=application_ids)
                .exclude(status=ApplicationStatus.DRAFT).order_by("pk"))
    if len(rows) != len(set(application_ids)):
        raise ValidationError(_("Some of the applications chosen are not submitted applications of this call."))
    now = timezone.now()
    changed = []
    for application in rows:
        if application.status == decision:
            continue  # deciding twice the same changes nothing and mails nobody again
        application.status = decision
        application.decided_at = now
        application.save(update_fields=["status", "decided_at"])
        changed.append(application)
    for application in changed:
        _announce_on_commit(application.pk)
    return changed


def _announce_on_commit(application_id: int) -> None:
    from . import tasks

    transaction.on_commit(lambda: tasks.announce_cohort_decision.delay(application_id))


def application_decide(*, actor: User, application: CohortApplication, decision: str) -> CohortApplication:
    """Accept, waitlist or reject one submitted application (the call closed for review or decided)."""
    _run(actor, application.call)
    with transaction.atomic():
        _decide_locked(actor, application.call, [application.pk], decision)
    application.refresh_from_db()
    return application


def applications_decide(*, actor: User, call: Call, application_ids: list[int], decision: str) -> int:
    """The same decision for several applications at once; returns how many changed."""
    _run(actor, call)
    if not application_ids:
        raise ValidationError(_("Choose at least one application."))
    with transaction.atomic():
        return len(_decide_locked(actor, call, application_ids, decision))
