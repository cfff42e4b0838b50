"""What each achievement becomes as an Open Badges 3.0 `OpenBadgeCredential` (unsigned).

One `Award` per (recipient, achievement). `award_*` functions describe courses, programmes,
certifications and competition placings; `credential_document` turns an award into the JSON-LD
document that services sign.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from forward.core.models import Organization, User
from forward.vc import ld

from .models import CredentialKind


@dataclass
class Award:
    recipient: User
    issuer: Organization
    kind: str
    achievement_key: str  # unique per recipient: one achievement, one credential
    achievement: dict  # the OB 3.0 Achievement
    name: str
    detail: str = ""
    evidence: list[dict] = field(default_factory=list)
    credits_earned: Decimal | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    refs: dict = field(default_factory=dict)  # course / run / programme / holding / competition


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def subject_id(user: User) -> str:
    """A stable identifier for the learner that reveals nothing about them."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:subject:{user.pk}".encode()).digest()
    return f"urn:uuid:{uuid.UUID(bytes=digest[:16], version=4)}"


def _identifiers(user: User) -> list[dict]:
    """The learner's name in clear (for the certificate) and a salted hash of their email address,
    so an employer given the address can check it is theirs."""
    salt = hashlib.sha256(f"{settings.SECRET_KEY}:salt:{user.pk}".encode()).hexdigest()[:16]
    email_hash = hashlib.sha256((user.email.lower() + salt).encode()).hexdigest()
    identifiers = [{"type": "IdentityObject", "identityHash": f"sha256${email_hash}", "identityType": "emailAddress",
                    "hashed": True, "salt": salt}]
    if user.display_name:
        identifiers.insert(0, {"type": "IdentityObject", "identityHash": user.display_name, "identityType": "name",
                               "hashed": False})
    return identifiers


def _alignments(skills) -> list[dict]:
    return [{"type": ["Alignment"], "targetName": skill.name, "targetType": "ceasn:Competency",
             "targetUrl": settings.SITE_URL + reverse("academy:catalogue") + "?" + urlencode({"q": skill.name})}
            for skill in skills]


def _achievement(*, id: str, kind: str, name: str, description: str, criteria: str, skills=(),
                 credits: Decimal | None = None, language: str = "") -> dict:
    achievement = {"id": id, "type": ["Achievement"], "achievementType": kind, "name": name,
                   "description": description or name, "criteria": {"narrative": criteria}}
    alignment = _alignments(skills)
    if alignment:
        achievement["alignment"] = alignment
    if credits:
        achievement["creditsAvailable"] = _number(credits)
    if language:
        achievement["inLanguage"] = language
    return achievement


def _number(value: Decimal | float) -> int | float:
    """Whole numbers as JSON integers: every JSON-LD processor then reads the same literal."""
    return int(value) if float(value).is_integer() else float(value)


def _percent(grade: float) -> str:
    return f"{round(grade * 100)}%"


def _course_award(*, user: User, run, grade: float, designation: str, kind: str, tier: str, name: str,
                  criteria: str, detail: str) -> Award:
    """A course's certificate of completion or of achievement (`tier`): the same course facts and
    evidence, its own name and criteria."""
    course = run.course
    return Award(
        recipient=user, issuer=course.owner, kind=kind, achievement_key=f"course:{course.pk}:{tier}",
        achievement=_achievement(
            id=_url("academy:course", course.slug) + "#" + tier, kind="Course", name=name,
            description=course.summary, skills=course.skills.all(), credits=course.credit_units,
            language=course.language, criteria=criteria),
        name=name, detail=detail,
        evidence=[{"type": ["Evidence"], "name": _("Final grade"),
                   "description": f"{_percent(grade)} ({designation}) · {run.cohort}"}],
        credits_earned=course.credit_units or None, valid_from=run.grades_released_at, refs={"course": course, "run": run},
    )


def award_course_completion(*, user: User, run, grade: float, designation: str, cutoff: float) -> Award:
    return _course_award(
        user=user, run=run, grade=grade, designation=designation, kind=CredentialKind.COURSE_COMPLETION,
        tier="completion", name=run.course.title, detail=_("Grade %(grade)s") % {"grade": _percent(grade)},
        criteria=_("Complete the course and reach a final grade of at least %(cutoff)s.") % {
            "cutoff": _percent(cutoff)})


def award_course_achievement(*, user: User, run, grade: float, designation: str, required: str,
                             cutoff: float) -> Award:
    return _course_award(
        user=user, run=run, grade=grade, designation=designation, kind=CredentialKind.COURSE_ACHIEVEMENT,
        tier="achievement",
        name=_("%(course)s — with %(designation)s") % {"course": run.course.title, "designation": designation},
        detail=f"{designation.capitalize()} · {_percent(grade)}",
        criteria=_("Reach the %(designation)s designation: a final grade of at least %(cutoff)s.") % {
            "designation": required, "cutoff": _percent(cutoff)})


def award_programme(*, user: User, programme, issuer: Organization, progress: dict) -> Award:
    courses = ", ".join(link["link"].course.title for link in progress["links"] if link["passed"])
    if programme.completion_rule == "credits":
        criteria = _("%(credits)s credit units at a grade point average of at least %(average)s.") % {
            "credits": programme.credits_required, "average": programme.minimum_grade_average}
    else:
        criteria = _("Pass every required course and %(n)s elective(s).") % {"n": programme.electives_required}
    return Award(
        recipient=user, issuer=issuer, kind=CredentialKind.PROGRAMME, achievement_key=f"programme:{programme.pk}",
        achievement=_achievement(id=_url("academy:programme", programme.slug), kind="LearningProgram",
                                 name=programme.title, description=programme.summary, criteria=criteria,
                                 credits=progress["credits"] or None),
        name=programme.title,
        detail=_("%(credits)s credit units · GPA %(average)s") % {"credits": progress["credits"],
                                                                  "average": progress["average"]},
        evidence=[{"type": ["Evidence"], "name": _("Courses passed"), "description": courses}],
        credits_earned=progress["credits"] or None, refs={"programme": programme},
    )


def award_certification(*, holding) -> Award:
    from forward.academy.certifications import validity_text

    certification = holding.certification
    attempt = holding.attempt
    percent = f"{round(100 * attempt.score / attempt.max_score)}%" if attempt.max_score else ""
    return Award(
        recipient=holding.user, issuer=certification.owner, kind=CredentialKind.CERTIFICATION,
        achievement_key=f"holding:{holding.pk}",
        achievement=_achievement(
            id=_url("academy:certification", certification.slug), kind="Certification", name=certification.title,
            description=certification.summary, skills=certification.skills.all(),
            criteria=_("Pass the %(title)s exam; %(validity)s, then renewed by passing again.") % {
                "title": certification.title, "validity": validity_text(certification.validity_days)}),
        name=certification.title, detail=f"{certification.track} · {certification.get_level_display()}",
        evidence=[{"type": ["Evidence"], "name": _("Exam score"), "description": percent}] if percent else [],
        valid_from=holding.earned_at, valid_until=holding.expires_at, refs={"holding": holding},
    )


def award_competition(*, user: User, competition, rank: int, teams: int, team_name: str, top3: bool) -> Award:
    tier = "top-3" if top3 else "top-10-percent"
    label = _("Top 3") if top3 else _("Top 10%")
    name = f"{competition.title} — {label}"
    return Award(
        recipient=user, issuer=competition.host, kind=CredentialKind.COMPETITION,
        achievement_key=f"competition:{competition.pk}",
        achievement=_achievement(
            id=_url("competitions:detail", competition.slug) + "#" + tier, kind="Award", name=name,
            description=competition.subtitle or competition.title,
            criteria=_("Finish in the %(tier)s of the final private leaderboard.") % {"tier": label}),
        name=name, detail=_("Rank %(rank)s of %(teams)s teams") % {"rank": rank, "teams": teams},
        evidence=[{"type": ["Evidence"], "name": _("Final rank"),
                   "description": _("Team %(team)s ranked %(rank)s of %(teams)s on the private leaderboard") % {
                       "team": team_name, "rank": rank, "teams": teams}}],
        refs={"competition": competition},
    )


def xsd_datetime(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_profile(organization: Organization, issuer_url: str) -> dict:
    profile = {"id": issuer_url, "type": ["Profile"], "name": organization.name}
    if organization.website:
        profile["url"] = organization.website
    return profile


def credential_document(*, award: Award, credential_uuid: uuid.UUID, issuer_url: str, status: dict,
                        valid_from: datetime, credential_id: str = "") -> dict:
    subject = {"id": subject_id(award.recipient), "type": ["AchievementSubject"],
               "achievement": award.achievement, "identifier": _identifiers(award.recipient)}
    if award.credits_earned:
        subject["creditsEarned"] = _number(award.credits_earned)
    document = {
        "@context": [ld.VC_V2, ld.OB_V3],
        "id": credential_id or _url("credentials:detail", credential_uuid),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(award.issuer, issuer_url),
        "name": award.name,
        "validFrom": xsd_datetime(valid_from),
    }
    if award.valid_until:
        document["validUntil"] = xsd_datetime(award.valid_until)
    document["credentialSubject"] = subject
    if award.evidence:
        document["evidence"] = award.evidence
    document["credentialStatus"] = status
    return document
