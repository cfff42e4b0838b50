"""Talent profiles: the services that write them and the selectors that read them.

A profile has two parts that never mix:
- the *verified* part, read from the person's credentials (through credentials.selectors only) and
  kept as an index (Profile.verified_count / best_* and ProfileSkill rows) by `refresh`, which the
  credentials app triggers through `holdings_changed` whenever it issues or revokes;
- the *self-declared* part the person writes (headline, about, links, languages, availability,
  countries, an optional CV PDF), validated by `profile_update` and `cv_upload`.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlsplit

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries as COUNTRIES

from forward.core.audit import AuditAction
from forward.core.models import Membership, Organization, Role, Skill, User
from forward.core.services import audit
from forward.credentials import selectors as credentials
from forward.credentials.selectors import Holding

from .models import Application, Availability, Profile, ProfileSkill, Stage, Visibility

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

MAX_LINKS = 5
MAX_LANGUAGES = 10
MAX_COUNTRIES = 60
MAX_CV_BYTES = 2 * 1024 * 1024
REFRESH_CHUNK = 2000  # people per query: well under every database's limit on parameters

COURSE_KINDS = ("course_completion", "course_achievement")
CERTIFICATION, PROGRAMME, COMPETITION = "certification", "programme", "competition"


# --- reading and creating -------------------------------------------------------------------------

def profile_for(user: User) -> Profile:
    """The person's profile, created (hidden) on first need. Two requests racing create one."""
    found = Profile.objects.filter(user=user).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            profile = Profile.objects.create(user=user)
    except IntegrityError:
        return Profile.objects.get(user=user)
    refresh([user.pk])
    profile.refresh_from_db()
    return profile


def profile_read(user: User) -> Profile:
    """The person's profile for a page or a GET to show: the stored one or, before they have one, an unsaved
    hidden profile with nothing declared (reads never write; `profile_for` stores it on their first change)."""
    found = Profile.objects.filter(user=user).first()
    return found if found is not None else Profile(user=user)


def person_url(profile: Profile) -> str:
    """Where partner employers and operators see this profile (404 unless it is visible to them)."""
    return reverse("talent:person", args=[profile.pk])


def public_url(profile: Profile) -> str:
    """The shareable link (works only while the profile is public)."""
    return settings.SITE_URL + reverse("talent:public_profile", args=[profile.public_token])


# --- the verified index ---------------------------------------------------------------------------

def _skill_slugs(facts: dict[str, Any]) -> list[str]:
    skills = facts.get("skills") if isinstance(facts, dict) else None
    if not isinstance(skills, list):
        return []
    return [s["slug"] for s in skills if isinstance(s, dict) and isinstance(s.get("slug"), str)]


def _number(facts: dict[str, Any], key: str) -> float | None:
    value = facts.get(key) if isinstance(facts, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def refresh(user_ids: Iterable[int]) -> int:
    """Rebuild the verified index of these people from their unrevoked, unexpired credentials: the
    counts and bests on Profile, and one ProfileSkill per skill their credentials back (skills are
    the credentials' facts["skills"] slugs found in the shared skill list). Creates the profiles
    that do not exist yet (hidden). A constant number of queries per 2,000 people; returns how many
    profiles were refreshed."""
    ids = sorted({int(pk) for pk in user_ids})
    done = 0
    for start in range(0, len(ids), REFRESH_CHUNK):
        done += _refresh_chunk(ids[start:start + REFRESH_CHUNK])
    return done


INDEX_FIELDS = ("verified_count", "best_grade", "best_percentile", "best_level")


# (count, best grade, best percentile, best level): Profile's INDEX_FIELDS
Index = tuple[int, float | None, float | None, int]


def _index(items: list[Holding], skill_ids: dict[str, int]) -> tuple[Index, dict[int, tuple[int, int]]]:
    """One person's index from their unrevoked, unexpired credentials: (count, best grade, best
    percentile, best level), and skill id -> (how many credentials back it, best certification level)."""
    grades = [g for h in items if h.kind in COURSE_KINDS if (g := _number(h.facts, "grade")) is not None]
    percentiles = [p for h in items if h.kind == COMPETITION if (p := _number(h.facts, "percentile")) is not None]
    levels = [int(lv) for h in items if h.kind == CERTIFICATION if (lv := _number(h.facts, "level"))]
    backing: dict[int, list[int]] = defaultdict(list)  # skill id -> certification levels (0: not one)
    for h in items:
        level = int(_number(h.facts, "level") or 0) if h.kind == CERTIFICATION else 0
        for slug in dict.fromkeys(_skill_slugs(h.facts)):
            if slug in skill_ids:
                backing[skill_ids[slug]].append(level)
    index = (len(items), max(grades) if grades else None, max(percentiles) if percentiles else None,
             max(levels) if levels else 0)
    return index, {skill: (min(len(found), 32767), max(found)) for skill, found in backing.items()}


def _refresh_chunk(ids: list[int]) -> int:
    now = timezone.now()
    held: dict[int, list[Holding]] = defaultdict(list)
    for holding in credentials.holdings(user_ids=ids, now=now):
        if not holding.expired:
            held[holding.user_id].append(holding)
    slugs = {slug for items in held.values() for h in items for slug in _skill_slugs(h.facts)}
    skill_ids = dict(Skill.objects.filter(slug__in=slugs).values_list("slug", "pk")) if slugs else {}
    computed = {pk: _index(held.get(pk, []), skill_ids) for pk in ids}
    with transaction.atomic():
        existing = set(Profile.objects.filter(user_id__in=ids).values_list("user_id", flat=True))
        missing = [pk for pk in ids if pk not in existing]
        if missing:  # new profiles are created hidden, with their index already right
            users = User.objects.filter(pk__in=missing).values_list("pk", flat=True)
            Profile.objects.bulk_create([Profile(user_id=pk, refreshed_at=now,
                                                 **dict(zip(INDEX_FIELDS, computed[pk][0], strict=True)))
                                         for pk in users], ignore_conflicts=True, batch_size=500)
        profiles = list(Profile.objects.filter(user_id__in=ids).only("pk", "user_id", *INDEX_FIELDS))
        changed: list[Profile] = []
        wanted: dict[tuple[int, int], tuple[int, int]] = {}  # (profile, skill) -> (credentials, level)
        for profile in profiles:
            index, skills = computed[profile.user_id]
            if index != tuple(getattr(profile, name) for name in INDEX_FIELDS):
                for name, value in zip(INDEX_FIELDS, index, strict=True):
                    setattr(profile, name, value)
                changed.append(profile)
            for skill, backing in skills.items():
                wanted[(profile.pk, skill)] = backing
        if changed:  # most people's index does not change: only the changed rows are written
            Profile.objects.bulk_update(changed, list(INDEX_FIELDS), batch_size=500)
        Profile.objects.filter(user_id__in=ids).update(refreshed_at=now)
        # The skill rows change little from one refresh to the next: write only the difference.
        stale = []
        for pk, profile_id, skill_id, count, level in ProfileSkill.objects.filter(
                profile_id__in=[p.pk for p in profiles]).values_list("pk", "profile_id", "skill_id", "credentials",
                                                                     "level"):
            if wanted.get((profile_id, skill_id)) == (count, level):
                del wanted[(profile_id, skill_id)]
            else:
                stale.append(pk)
        for start in range(0, len(stale), REFRESH_CHUNK):
            ProfileSkill.objects.filter(pk__in=stale[start:start + REFRESH_CHUNK]).delete()
        ProfileSkill.objects.bulk_create([ProfileSkill(profile_id=profile_id, skill_id=skill_id, credentials=count,
                                                       level=level)
                                          for (profile_id, skill_id), (count, level) in wanted.items()],
                                         batch_size=1000)
    return len(profiles)


def on_holdings_changed(sender: object, user_ids: Iterable[int] = (), **kwargs: Any) -> None:
    """credentials.signals.holdings_changed: sent after the issuing or revoking transaction commits."""
    refresh(user_ids)


EXPIRY_LOOKBACK = timedelta(days=7)  # how far back refresh_expired looks (the beat may have been down)


def refresh_expired(*, now: datetime | None = None, lookback: timedelta = EXPIRY_LOOKBACK) -> int:
    """Refresh the index of the people whose credentials expired in the last `lookback` and whose
    profile was not refreshed since (expiry sends no signal; the periodic task
    `forward.talent.refresh_expired` calls this hourly). Keeps no state: a profile refreshed after
    the expiry is skipped, so running it again, or twice at once, changes nothing more. People without
    a profile have no index to correct and are left alone. Reads 2,000 people at a time (two queries,
    then `refresh`); returns how many profiles were refreshed."""
    now = now or timezone.now()
    done, after = 0, 0
    while True:
        rows = credentials.expired_between(start=now - lookback, end=now, after=after, limit=REFRESH_CHUNK)
        if not rows:
            return done
        refreshed = dict(Profile.objects.filter(user_id__in=[pk for pk, _ in rows]).values_list(
            "user_id", "refreshed_at"))
        stale = [pk for pk, expired_at in rows
                 if pk in refreshed and ((at := refreshed[pk]) is None or at < expired_at)]
        if stale:
            done += refresh(stale)
        if len(rows) < REFRESH_CHUNK:
            return done
        after = rows[-1][0]


# --- the verified section, as pages and the API show it -------------------------------------------

@dataclass
class VerifiedItem:
    uuid: str
    kind: str
    name: str
    detail: str
    issuer: str
    issued_at: datetime  # when it was awarded (the credential's validFrom)
    valid_until: datetime | None
    expired: bool
    verify_url: str
    grade: float | None = None  # course: 0..1
    designation: str = ""
    level: int | None = None  # certification: 1..3
    level_name: str = ""
    track: str = ""
    rank: int | None = None  # competition
    teams: int | None = None
    percentile: float | None = None
    skills: list[str] = field(default_factory=list)  # slugs in the shared list (none when expired)

    @property
    def grade_percent(self) -> int | None:
        return round(self.grade * 100) if self.grade is not None else None


@dataclass
class VerifiedGroup:
    key: str
    label: str
    items: list[VerifiedItem]


@dataclass
class VerifiedSkill:
    slug: str
    name: str
    level: int
    credentials: list[VerifiedItem]


@dataclass
class VerifiedSection:
    groups: list[VerifiedGroup]
    skills: list[VerifiedSkill]

    @property
    def count(self) -> int:
        return sum(len(g.items) for g in self.groups)

    @property
    def items(self) -> list[VerifiedItem]:
        return [item for g in self.groups for item in g.items]


GROUPS = (
    ("courses", gettext_lazy("Course certificates"), COURSE_KINDS),
    ("certifications", gettext_lazy("Certifications"), (CERTIFICATION,)),
    ("programmes", gettext_lazy("Programme completions"), (PROGRAMME,)),
    ("competitions", gettext_lazy("Competition placings"), (COMPETITION,)),
)


def _item(h: Holding) -> VerifiedItem:
    f = h.facts

    def text(key: str) -> str:
        value = f.get(key)
        return value if isinstance(value, str) else ""

    def integer(key: str) -> int | None:
        return int(v) if (v := _number(f, key)) is not None else None

    return VerifiedItem(
        uuid=h.uuid, kind=h.kind, name=h.name, detail=h.detail, issuer=h.issuer_name, issued_at=h.valid_from,
        valid_until=h.valid_until, expired=h.expired, verify_url=h.verify_url,
        grade=_number(f, "grade") if h.kind in COURSE_KINDS else None, designation=text("designation"),
        level=integer("level") if h.kind == CERTIFICATION else None, level_name=text("level_name"),
        track=text("track"), rank=integer("rank") if h.kind == COMPETITION else None,
        teams=integer("teams") if h.kind == COMPETITION else None,
        percentile=_number(f, "percentile") if h.kind == COMPETITION else None,
        skills=[] if h.expired else list(dict.fromkeys(_skill_slugs(f))))


def verified_section(user: User) -> VerifiedSection:
    """The person's verified achievements grouped by kind (expired certifications included and
    flagged; revoked ones never), and each skill with the credentials that back it (expired ones
    back none). Two queries."""
    items = [_item(h) for h in credentials.holdings(user_ids=[user.pk])]
    groups = [VerifiedGroup(key=key, label=str(label), items=[i for i in items if i.kind in kinds])
              for key, label, kinds in GROUPS]
    slugs = {slug for i in items for slug in i.skills}
    known = {s.slug: s.name for s in Skill.objects.filter(slug__in=slugs)} if slugs else {}
    backing: dict[str, list[VerifiedItem]] = defaultdict(list)
    for item in items:
        for slug in item.skills:
            if slug in known:
                backing[slug].append(item)
    skills = [VerifiedSkill(slug=slug, name=known[slug], credentials=backed,
                            level=max((i.level or 0) for i in backed))
              for slug, backed in backing.items()]
    skills.sort(key=lambda s: (-len(s.credentials), -s.level, s.name.lower()))
    return VerifiedSection(groups=[g for g in groups if g.items], skills=skills)


# --- what the person declares ---------------------------------------------------------------------

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
LANGUAGE_CODES = sorted(code for code, info in LANG_INFO.items() if "name" in info and _LANGUAGE.match(code))
# What a link may be: https, a host name, and printable ASCII (the API's schema says the same).
HTTPS_URL = re.compile(r"^https://[A-Za-z0-9._~-]+(:[0-9]{1,5})?([/?#][!-~]*)?$")


def language_choices() -> list[tuple[str, str]]:
    return sorted(((code, info["name"]) for code, info in LANG_INFO.items() if "name" in info),
                  key=lambda c: c[1])


def language_names(codes: list[str]) -> list[str]:
    """Each language in its own name where Django knows it ("中文简体"), else its English name."""
    names = []
    for code in codes:
        info = LANG_INFO.get(code, {})
        names.append(info.get("name_local") or info.get("name") or code)
    return names


def _clean_links(links: object) -> list[dict[str, str]]:
    if not isinstance(links, list):
        raise ValidationError({"links": _("Give the links as a list of {label, url}.")})
    if len(links) > MAX_LINKS:
        raise ValidationError({"links": _("At most %(n)d links; remove some.") % {"n": MAX_LINKS}})
    cleaned = []
    for link in links:
        if isinstance(link, str):
            link = {"label": "", "url": link}
        if not isinstance(link, dict) or not isinstance(link.get("url"), str):
            raise ValidationError({"links": _("Each link needs a url.")})
        url = link["url"].strip()
        label = "".join(c for c in str(link.get("label") or "") if c.isprintable()).strip()[:80]
        try:
            parts = urlsplit(url)
            host = parts.hostname
        except ValueError:
            parts, host = None, None
        if parts is None or parts.scheme != "https" or not host or len(url) > 500 or not HTTPS_URL.match(url):
            raise ValidationError({"links": _("%(url)s is not an https:// address; links must start with "
                                              "https:// (at most 500 characters).") % {"url": url[:100]}})
        cleaned.append({"label": label or host, "url": url})
    return cleaned


def _clean_languages(languages: object) -> list[str]:
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        raise ValidationError({"languages": _("Give the languages as a list of language codes, e.g. en, zh-hans.")})
    codes = list(dict.fromkeys(x.strip().lower() for x in languages if x.strip()))
    if len(codes) > MAX_LANGUAGES:
        raise ValidationError({"languages": _("At most %(n)d languages.") % {"n": MAX_LANGUAGES}})
    unknown = [c for c in codes if c not in LANGUAGE_CODES]
    if unknown:
        raise ValidationError({"languages": _("Unknown language code: %(codes)s. Use codes such as en, zh-hans, "
                                              "ms, id.") % {"codes": ", ".join(unknown[:5])[:100]}})
    return codes


def _clean_available_for(values: object) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(x, str) for x in values):
        raise ValidationError({"available_for": _("Choose from: %(choices)s.")
                               % {"choices": ", ".join(Availability.values)}})
    unknown = [v for v in values if v not in Availability.values]
    if unknown:
        raise ValidationError({"available_for": _("Choose from: %(choices)s.")
                               % {"choices": ", ".join(Availability.values)}})
    return [v for v in Availability.values if v in values]


def _clean_countries(values: object) -> str:
    if not isinstance(values, list) or not all(isinstance(x, str) for x in values):
        raise ValidationError({"countries": _("Give the countries as a list of ISO codes, e.g. SG, MY.")})
    codes = list(dict.fromkeys(x.strip().upper() for x in values if x.strip()))
    if len(codes) > MAX_COUNTRIES:
        raise ValidationError({"countries": _("At most %(n)d countries.") % {"n": MAX_COUNTRIES}})
    unknown = [c for c in codes if c not in COUNTRIES]
    if unknown:
        raise ValidationError({"countries": _("Unknown country code: %(codes)s. Use two-letter ISO codes such as "
                                              "SG, MY, ID.") % {"codes": ", ".join(unknown[:5])[:100]}})
    return f",{','.join(sorted(codes))}," if codes else ""


SELF_DECLARED = ("headline", "about", "links", "languages", "available_for", "available_from", "countries")


def profile_update(*, user: User, **changes: Any) -> Profile:
    """Change what the person declares about themselves; only the fields given change. Everything
    is checked before anything is stored: a ValidationError names each field to fix."""
    unknown = set(changes) - set(SELF_DECLARED)
    if unknown:
        raise ValidationError(_("Unknown field: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}

    def check(name: str, fn: Callable[[Any], object]) -> None:
        if name in changes:
            try:
                cleaned[name] = fn(changes[name])
            except ValidationError as exc:
                errors.setdefault(name, []).extend(exc.messages)

    def text(limit: int, name: str) -> Callable[[object], str]:
        def clean(value: object) -> str:
            if value is None:
                return ""
            if not isinstance(value, str):
                raise ValidationError(_("Must be text."))
            value = value.strip().replace("\x00", "")
            if len(value) > limit:
                raise ValidationError(_("At most %(n)d characters (this is %(got)d).") % {"n": limit, "got": len(value)})
            if name == "headline":
                value = " ".join(value.split())
            return value
        return clean

    def available_from(value: object) -> date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(_("Give a date as YYYY-MM-DD.")) from None

    check("headline", text(140, "headline"))
    check("about", text(4000, "about"))
    check("links", _clean_links)
    check("languages", _clean_languages)
    check("available_for", _clean_available_for)
    check("available_from", available_from)
    check("countries", _clean_countries)
    if errors:
        raise ValidationError(errors)
    profile = profile_for(user)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        for name, value in cleaned.items():
            setattr(profile, name, value)
        profile.updated_at = timezone.now()
        profile.save(update_fields=[*cleaned, "updated_at"])
    return profile


def check_cv(upload: UploadedFile | None) -> None:
    """A CV must be a PDF (it starts with %PDF-) of at most 2 MB; a ValidationError says what to fix."""
    if upload is None:
        raise ValidationError({"cv": _("Choose a PDF file.")})
    if upload.size is None or upload.size > MAX_CV_BYTES:
        raise ValidationError({"cv": _("The CV is larger than 2 MB; export a smaller PDF.")})
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError({"cv": _("This is not a PDF file (it does not start with %PDF-); export your CV "
                                       "as PDF.")})


def cv_upload(*, user: User, upload: UploadedFile) -> Profile:
    """Store a CV (a PDF of at most 2 MB) under a random name, replacing the previous one."""
    check_cv(upload)
    profile = profile_for(user)
    name = default_storage.save(f"talent/cv/{uuid.uuid4().hex}.pdf", upload)
    try:
        with transaction.atomic():
            profile = Profile.objects.select_for_update().get(pk=profile.pk)
            old = profile.cv.name
            profile.cv.name = name
            profile.updated_at = timezone.now()
            profile.save(update_fields=["cv", "updated_at"])
            if old:
                transaction.on_commit(lambda: default_storage.delete(old))
    except Exception:
        default_storage.delete(name)
        raise
    return profile


def cv_remove(*, user: User) -> Profile:
    profile = profile_for(user)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        old = profile.cv.name
        if old:
            profile.cv.name = ""
            profile.updated_at = timezone.now()
            profile.save(update_fields=["cv", "updated_at"])
            transaction.on_commit(lambda: default_storage.delete(old))
    return profile


def set_visibility(*, user: User, visibility: str) -> Profile:
    """Who may see the profile, as the person chooses; the time of the choice is their consent."""
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Choose one of: %(choices)s.") % {
            "choices": ", ".join(Visibility.values)}})
    profile = profile_for(user)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        before = profile.visibility
        profile.visibility = visibility
        profile.consent_at = timezone.now()
        profile.updated_at = profile.consent_at
        profile.save(update_fields=["visibility", "consent_at", "updated_at"])
        audit(actor=user, action=AuditAction.TALENT_PROFILE_VISIBILITY, target=f"profile:{profile.pk}",
              before=before, after=visibility)
    return profile


def new_public_link(*, user: User) -> Profile:
    """A new shareable link; the old one stops working at once."""
    profile = profile_for(user)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        profile.public_token = Profile._meta.get_field("public_token").default()
        profile.save(update_fields=["public_token"])
        audit(actor=user, action=AuditAction.TALENT_PROFILE_LINK, target=f"profile:{profile.pk}")
    return profile


# --- JSON Resume ----------------------------------------------------------------------------------

JSON_RESUME_SCHEMA = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"


def _day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def json_resume(user: User) -> dict[str, Any]:
    """The profile as a JSON Resume (jsonresume.org, schema v1): basics from what the person
    declares; course certificates and programme completions as education, certifications as
    certificates, competition placings as awards, each with its credential's verification URL;
    skills from the verified index."""
    profile = profile_read(user)
    section = verified_section(user)
    basics: dict[str, Any] = {"name": user.display_name, "label": profile.headline, "summary": profile.about,
                    "profiles": [{"network": link["label"], "url": link["url"]} for link in profile.links]}
    if profile.links:
        basics["url"] = profile.links[0]["url"]
    if user.country:
        basics["location"] = {"countryCode": str(user.country)}
    if profile.visibility == Visibility.PUBLIC:
        basics["url"] = public_url(profile)
    education, certificates, awards = [], [], []
    for item in section.items:
        if item.kind in COURSE_KINDS or item.kind == PROGRAMME:
            entry: dict[str, Any] = {"institution": item.issuer, "area": item.name, "url": item.verify_url,
                     "studyType": "Programme certificate" if item.kind == PROGRAMME else "Course certificate",
                     "endDate": _day(item.issued_at), "courses": [item.name]}
            if item.grade is not None:
                entry["score"] = f"{item.grade_percent}%" + (f" ({item.designation})" if item.designation else "")
            education.append(entry)
        elif item.kind == CERTIFICATION:
            entry = {"name": item.name + (f" ({item.level_name})" if item.level_name else ""), "issuer": item.issuer,
                     "date": _day(item.issued_at), "url": item.verify_url}
            if item.valid_until:
                entry["validUntil"] = _day(item.valid_until)
            if item.expired:
                entry["expired"] = True
            certificates.append(entry)
        elif item.kind == COMPETITION:
            summary = item.detail or ""
            awards.append({"title": item.name, "awarder": item.issuer, "date": _day(item.issued_at),
                           "summary": summary, "url": item.verify_url})
    level_names = {1: "Associate", 2: "Professional", 3: "Expert"}
    skills = [{"name": s.name, **({"level": level_names[s.level]} if s.level in level_names else {}),
               "keywords": [c.name for c in s.credentials]} for s in section.skills]
    return {
        "$schema": JSON_RESUME_SCHEMA,
        "basics": basics,
        "education": education,
        "certificates": certificates,
        "awards": awards,
        "skills": skills,
        "languages": [{"language": LANG_INFO.get(code, {}).get("name", code)} for code in profile.languages],
        "meta": {"canonical": public_url(profile) if profile.visibility == Visibility.PUBLIC else "",
                 "version": "v1.0.0", "lastModified": timezone.now().replace(microsecond=0).isoformat()},
    }


# --- who may see what ------------------------------------------------------------------------------

_TOKEN = re.compile(r"[-_A-Za-z0-9]{8,24}")


def public_profile(token: str) -> Profile | None:
    """The profile behind a shareable link, only while it is public."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    return Profile.objects.select_related("user").filter(public_token=token, visibility=Visibility.PUBLIC).first()


# --- career offices: their students' placement ----------------------------------------------------

PLACEMENT_ORDER = {"hired": 4, "offer": 3, "interviewing": 2, "applied": 1, "none": 0}


class Placement:
    HIRED, OFFER, INTERVIEWING, APPLIED, NONE = "hired", "offer", "interviewing", "applied", "none"
    LABELS = {"hired": gettext_lazy("Hired"), "offer": gettext_lazy("Offer"),
              "interviewing": gettext_lazy("Interviewing"), "applied": gettext_lazy("Applied"),
              "none": gettext_lazy("No applications")}


_STAGE_RANK = Case(
    When(stage=Stage.HIRED, then=Value(4)), When(stage=Stage.OFFER, then=Value(3)),
    When(stage=Stage.INTERVIEW, then=Value(2)), When(stage__in=[Stage.APPLIED, Stage.SCREENING], then=Value(1)),
    default=Value(0), output_field=IntegerField())
_RANK_NAMES = {4: Placement.HIRED, 3: Placement.OFFER, 2: Placement.INTERVIEWING, 1: Placement.APPLIED}


class Placed(TypedDict):
    """What `students` annotates on each membership (None where the student has no such application)."""

    best: int | None
    best_employer: str | None
    best_opening: str | None
    applications: int | None


def students(*, university: Organization) -> QuerySet[WithAnnotations[Membership, Placed]]:
    """The university's students (its plain members), each annotated with its placement: `best`
    (4 hired, 3 offer, 2 interviewing, 1 applied, 0 none: from the stages of their applications;
    rejected, withdrawn and declined ones count as none), `applications` (how many), and for the best
    one the employer's name and the opening's title. Never employers' notes. One query per page."""
    apps = Application.objects.filter(applicant=OuterRef("user_id"))
    best_app = apps.annotate(rank=_STAGE_RANK).filter(rank__gt=0).order_by("-rank", "-updated_at", "-pk")
    return (Membership.objects.filter(organization=university, role=Role.MEMBER)
            .select_related("user")
            .annotate(best=Subquery(best_app.values("rank")[:1], output_field=IntegerField()),
                      best_employer=Subquery(best_app.values("opening__organization__name")[:1],
                                             output_field=CharField()),
                      best_opening=Subquery(best_app.values("opening__title")[:1], output_field=CharField()),
                      applications=Subquery(apps.order_by().values("applicant").annotate(n=Count("pk"))
                                            .values("n")[:1], output_field=IntegerField()))
            .order_by("user__name", "user__email", "pk"))


def placement_of(best: int | None) -> str:
    return _RANK_NAMES.get(best or 0, Placement.NONE)


def placement_counts(*, university: Organization) -> dict[str, int]:
    """How many of the university's students are at each placement (one query)."""
    rows = (Membership.objects.filter(organization=university, role=Role.MEMBER)
            .annotate(best=Subquery(Application.objects.filter(applicant=OuterRef("user_id"))
                                    .annotate(rank=_STAGE_RANK).order_by().values("applicant")
                                    .annotate(m=Max("rank")).values("m")[:1], output_field=IntegerField()))
            .values("best").annotate(n=Count("pk")))
    counts = dict.fromkeys(PLACEMENT_ORDER, 0)
    for row in rows:
        counts[placement_of(row["best"])] += row["n"]
    return counts
