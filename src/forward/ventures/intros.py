"""Introductions (double opt-in) between startups and investors: asking, answering, withdrawing,
the private thread of an accepted introduction, and the reads the pages and the API share.

Every write is a keyword-only function in one transaction, checks permission itself (the views
check too), and mails after commit (emails_intros). Limits against spam, enforced under a lock on
the asking organization's row and by a unique constraint on the pair's open request:
- at most settings.FORWARD_INTRO_WEEKLY_LIMIT open requests asked by one organization in 7 days;
- no new request to an organization that declined this one in the last 90 days;
- one open request between two organizations, whoever asked (answer theirs instead).

What each side sees: the asker sees "waiting", "accepted" or "not now" (a decline is never named);
the asked side sees the request and answers it. Operators see counts only (`counts`), never a
note, a contact or a message.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forward.core.audit import AuditAction
from forward.core.models import Organization, User
from forward.core.services import audit

from . import emails_intros as emails
from . import permissions
from .models.intros import MESSAGE_MAX, NOTE_MAX, Introduction, IntroMessage, IntroStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DECLINE_COOLDOWN = timedelta(days=90)
WEEK = timedelta(days=7)

# What the asker is shown for each status: a decline is "not now", never "declined".
ASKER_LABELS: dict[str, StrOrPromise] = {
    IntroStatus.OPEN: gettext_lazy("Waiting"),
    IntroStatus.ACCEPTED: gettext_lazy("Accepted"),
    IntroStatus.DECLINED: gettext_lazy("Not now"),
    IntroStatus.WITHDRAWN: gettext_lazy("Withdrawn"),
}
ASKER_CODES: dict[str, str] = {IntroStatus.OPEN: "waiting", IntroStatus.ACCEPTED: "accepted", IntroStatus.DECLINED: "not-now",
               IntroStatus.WITHDRAWN: "withdrawn"}


class NotFound(Exception):
    """An introduction this person may not see (pages and the API answer 404, as for a missing id)."""


class AnswerTheirs(ValidationError):
    """The other organization has already asked: answer their request instead of asking."""

    def __init__(self, introduction: Introduction):
        super().__init__(_("%(org)s has already asked to be introduced to you: answer their request.") % {
            "org": introduction.asker.name})
        self.introduction = introduction


class AlreadyWaiting(ValidationError):
    """This organization already has an open request to that one."""

    def __init__(self, introduction: Introduction):
        super().__init__(_("You have already asked %(org)s; their answer is still awaited.") % {
            "org": introduction.target.name})
        self.introduction = introduction


def asker_status(introduction: Introduction) -> str:
    """The status code the asker sees: waiting, accepted, not-now or withdrawn."""
    return ASKER_CODES[introduction.status]


def asker_label(introduction: Introduction) -> str:
    return str(ASKER_LABELS[introduction.status])


def clean_text(text: str, *, limit: int, what: str, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError(_("Write %(what)s first.") % {"what": what})
    if len(text) > limit:
        raise ValidationError(_("Keep %(what)s under %(limit)d characters (it has %(n)d).") % {
            "what": what, "limit": limit, "n": len(text)})
    if "\x00" in text:
        raise ValidationError(_("The text contains a character that cannot be stored; remove it."))
    return text


def weekly_open_count(*, organization: Organization, now: datetime | None = None) -> int:
    """Open requests this organization asked in the last 7 days (what the weekly limit counts)."""
    now = now or timezone.now()
    return Introduction.objects.filter(asker=organization, status=IntroStatus.OPEN,
                                       created_at__gt=now - WEEK).count()


def check_may_ask(*, asker: Organization, target: Organization, now: datetime | None = None) -> None:
    """Raise why `asker` may not ask `target` now (AlreadyWaiting, AnswerTheirs or a ValidationError
    saying what to do); permission aside."""
    now = now or timezone.now()
    if asker.pk == target.pk:
        raise ValidationError(_("An organization cannot ask itself for an introduction."))
    open_one = (Introduction.objects.select_related("asker", "target")
                .filter(pair_low=min(asker.pk, target.pk), pair_high=max(asker.pk, target.pk),
                        status=IntroStatus.OPEN).first())
    if open_one is not None:
        raise AlreadyWaiting(open_one) if open_one.asker_id == asker.pk else AnswerTheirs(open_one)
    declined = (Introduction.objects.filter(asker=asker, target=target, status=IntroStatus.DECLINED,
                                            answered_at__gt=now - DECLINE_COOLDOWN)
                .order_by("-answered_at").first())
    if declined is not None and declined.answered_at is not None:  # always answered: the filter says so
        again = timezone.localtime(declined.answered_at + DECLINE_COOLDOWN).date()
        raise ValidationError(_("%(org)s said not now to your last request; you can ask again from %(date)s.") % {
            "org": target.name, "date": again.isoformat()})
    limit = settings.FORWARD_INTRO_WEEKLY_LIMIT
    if weekly_open_count(organization=asker, now=now) >= limit:
        raise ValidationError(_("%(org)s already has %(n)d unanswered requests from the last 7 days, the most "
                                "allowed. Wait for answers, or withdraw one, before asking again.") % {
            "org": asker.name, "n": limit})


def refusal(*, asker: Organization, target: Organization, now: datetime | None = None) -> str:
    """Why `asker` may not ask `target` now, in words ("" when it may). Permission aside."""
    try:
        check_may_ask(asker=asker, target=target, now=now)
    except ValidationError as exc:
        return exc.messages[0]
    return ""


def ask(*, user: User, asker: Organization, target: Organization, note: str) -> Introduction:
    """Ask `target` for an introduction in `asker`'s name. Race-safe: the asking organization's row
    is locked while the limits are counted, and the pair's open request is unique."""
    if not permissions.can_ask_intro(user, asker, target):
        raise PermissionDenied(_("You may ask for introductions only for a verified startup or investor you act "
                                 "for, and only to a verified organization of the other kind."))
    note = clean_text(note, limit=NOTE_MAX, what=_("a short note"), required=True)
    now = timezone.now()
    try:
        with transaction.atomic():
            Organization.objects.select_for_update().filter(pk=asker.pk).first()
            check_may_ask(asker=asker, target=target, now=now)
            introduction = Introduction.objects.create(
                asker=asker, target=target, asked_by=user, note=note, status=IntroStatus.OPEN,
                pair_low=min(asker.pk, target.pk), pair_high=max(asker.pk, target.pk), created_at=now)
            audit(actor=user, action=AuditAction.VENTURES_INTRO_ASK, organization=asker, target=f"introduction:{introduction.pk}",
                  to=target.pk)
            transaction.on_commit(lambda: emails.requested(introduction_id=introduction.pk), robust=True)
    except IntegrityError:
        # The other side asked at the same moment (their row won): say which one to answer.
        check_may_ask(asker=asker, target=target, now=now)
        raise
    return introduction


def _locked(introduction_id: int) -> Introduction:
    row = (Introduction.objects.select_for_update(of=("self",)).select_related("asker", "target")
           .filter(pk=introduction_id).first())
    if row is None:
        raise NotFound(introduction_id)
    return row


def _close(*, user: User, introduction: Introduction, to_status: str) -> Introduction:
    """End an open request: the asked side accepts or declines, the asking side withdraws."""
    withdrawing = to_status == IntroStatus.WITHDRAWN
    now = timezone.now()
    with transaction.atomic():
        row = _locked(introduction.pk)
        if not permissions.can_see_intro(user, row):
            raise NotFound(row.pk)
        side = row.asker if withdrawing else row.target
        if not permissions.is_member_acting_for(user, side):
            raise PermissionDenied((_("Only %(org)s can withdraw this request.") if withdrawing
                                    else _("Only %(org)s can answer this request.")) % {"org": side.name})
        if row.status != IntroStatus.OPEN:
            raise ValidationError(_("Only a request still waiting for an answer can be withdrawn.") if withdrawing
                                  else _("This request has already been answered or withdrawn."))
        row.status, row.answered_at, row.answered_by = to_status, now, user
        row.save(update_fields=["status", "answered_at", "answered_by"])
        audit(actor=user, action=AuditAction(f"ventures.intro.{to_status}"), organization=side, target=f"introduction:{row.pk}")
        if to_status == IntroStatus.ACCEPTED:
            transaction.on_commit(lambda: emails.accepted(introduction_id=row.pk), robust=True)
    return row


def accept(*, user: User, introduction: Introduction) -> Introduction:
    """The asked organization accepts: both sides see each other's contact and share a thread; the
    asker is mailed."""
    return _close(user=user, introduction=introduction, to_status=IntroStatus.ACCEPTED)


def decline(*, user: User, introduction: Introduction) -> Introduction:
    """The asked organization declines. Nobody is mailed; the asker sees "not now"."""
    return _close(user=user, introduction=introduction, to_status=IntroStatus.DECLINED)


def withdraw(*, user: User, introduction: Introduction) -> Introduction:
    """The asking organization withdraws its request while it is open."""
    return _close(user=user, introduction=introduction, to_status=IntroStatus.WITHDRAWN)


def post_message(*, user: User, introduction: Introduction, text: str) -> IntroMessage:
    """A message in the accepted introduction's thread, in the name of the writer's side; the other
    side's acting members are mailed after commit."""
    text = clean_text(text, limit=MESSAGE_MAX, what=_("a message"), required=True)
    now = timezone.now()
    with transaction.atomic():
        row = _locked(introduction.pk)
        if not permissions.can_see_intro(user, row):
            raise NotFound(row.pk)
        if not permissions.can_read_thread(user, row):
            raise ValidationError(_("You can write here once the introduction is accepted."))
        side = row.asker if permissions.is_member_acting_for(user, row.asker) else row.target
        message = IntroMessage.objects.create(introduction=row, organization=side, author=user, text=text,
                                              created_at=now)
        Introduction.objects.filter(pk=row.pk).update(last_message_at=now)
        transaction.on_commit(lambda: emails.new_message(message_id=message.pk), robust=True)
    return message


# --- reads -------------------------------------------------------------------------------------------

def _base() -> QuerySet[Introduction]:
    return Introduction.objects.select_related("asker", "target", "asked_by", "answered_by")


def received(*, user: User, status: str = IntroStatus.OPEN) -> QuerySet[Introduction]:
    """Requests to the organizations this person answers for; by default the ones to answer."""
    qs = _base().filter(target__in=permissions.intro_organizations(user))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def sent(*, user: User) -> QuerySet[Introduction]:
    """Requests the organizations this person acts for have asked, newest first."""
    return _base().filter(asker__in=permissions.intro_organizations(user)).order_by("-created_at", "-pk")


def accepted(*, user: User) -> QuerySet[Introduction]:
    """Accepted introductions of either side: the threads, latest activity first."""
    mine = permissions.intro_organizations(user)
    return (_base().filter(Q(asker__in=mine) | Q(target__in=mine), status=IntroStatus.ACCEPTED)
            .annotate(message_count=Count("messages"))
            .order_by("-last_message_at", "-answered_at", "-pk"))


def visible(*, user: User, introduction_id: int) -> Introduction:
    """The introduction if this person is on either side of it; NotFound otherwise."""
    introduction = _base().filter(pk=introduction_id).first()
    if introduction is None or not permissions.can_see_intro(user, introduction):
        raise NotFound(introduction_id)
    return introduction


def thread(*, user: User, introduction: Introduction) -> QuerySet[IntroMessage]:
    """The messages, oldest first, for the two sides only."""
    if not permissions.can_read_thread(user, introduction):
        raise NotFound(introduction.pk)
    return (IntroMessage.objects.filter(introduction=introduction).select_related("author", "organization")
            .order_by("created_at", "pk"))


class Contact(TypedDict):
    organization: str
    website: str
    name: str
    email: str


def contacts(*, introduction: Introduction) -> list[Contact]:
    """Each side's contact, shown to both once accepted: the person who asked and the person who
    accepted (name, email), and each organization's website."""
    if introduction.status != IntroStatus.ACCEPTED:
        return []
    rows: list[Contact] = []
    for org, person in ((introduction.asker, introduction.asked_by), (introduction.target, introduction.answered_by)):
        rows.append({"organization": org.name, "website": org.website, "name": person.display_name if person else "",
                     "email": person.email if person else ""})
    return rows


def counts() -> dict[str, int]:
    """How many introductions there are in each status: what operators see (never the content)."""
    found = dict.fromkeys(IntroStatus.values, 0)
    for row in Introduction.objects.values("status").annotate(n=Count("pk")):
        found[row["status"]] = row["n"]
    found["messages"] = IntroMessage.objects.count()
    return found


def target_for(*, organization_id: int) -> Organization | None:
    """An organization one may ask: a verified startup or investor."""
    return (Organization.objects.verified().filter(pk=organization_id, kind__in=permissions.INTRO_KINDS).first())


def askers_for(*, user: User, target: Organization) -> list[Organization]:
    """This person's organizations that may ask `target` (of the other kind)."""
    return [o for o in permissions.intro_organizations(user).order_by("name") if o.kind != target.kind]
