"""Networking events: selectors (the reads pages and the API share) and services (every write and
rule) for creating and running an event, registering and marking. Building the schedule lives in
`events_schedule.py`, agendas as files in `events_agenda.py`.

An event moves draft → registration open → marking open → marking closed → scheduled. People
register while registration is open (and late, after the schedule is built, if staff allow it),
one side each: "investor" for a verified investor they act for, "startup" for a verified startup
they act for. Marks are made from registration until marking closes (a late registrant marks until
they are fitted in). A mark is its author's alone: nobody sees how others marked them.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from forward.core.audit import AuditAction
from forward.core.models import Organization, User
from forward.core.services import audit

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

from . import permissions
from .models import (
    Event,
    EventSlot,
    EventStatus,
    Mark,
    MarkLevel,
    Meeting,
    Registrant,
    ScheduleJob,
    Side,
)

MAX_SLOTS = 48
MAX_TABLES = 500
MAX_MEETINGS = 48
MAX_MARKS_AT_ONCE = 500
PAGE_SIZE = 20
PUBLISHED = (EventStatus.REGISTRATION, EventStatus.MARKING, EventStatus.CLOSED, EventStatus.SCHEDULED)


# --- selectors -------------------------------------------------------------------------------------

def events_for(*, user: User) -> QuerySet[Event]:
    """Published events, and the drafts of organizers this person runs programmes for; soonest
    marking deadline last (newest first)."""
    qs = Event.objects.select_related("organizer")
    if permissions.is_operator(user):
        return qs
    visible = Q(status__in=PUBLISHED)
    if user.is_authenticated:
        visible |= Q(organizer__in=permissions.programme_organizers(user))
    return qs.filter(visible)


def visible_event(*, user: User, event_id: int) -> Event | None:
    """The event, or None for a missing id and for a draft this person may not see (the same answer)."""
    event = Event.objects.select_related("organizer").filter(pk=event_id).first()
    if event is None or not permissions.can_see_event(user, event):
        return None
    return event


def slots_of(event: Event) -> list[EventSlot]:
    return list(EventSlot.objects.filter(event=event).order_by("starts_at", "pk"))


def registrant_of(*, event: Event, user: User) -> Registrant | None:
    if not user.is_authenticated:
        return None
    return Registrant.objects.select_related("organization").filter(event=event, user=user).first()


def available_slot_ids(registrant: Registrant) -> set[int]:
    return set(Registrant.available.through.objects.filter(registrant_id=registrant.pk)
               .values_list("eventslot_id", flat=True))


def other_side(side: str) -> str:
    return Side.STARTUP if side == Side.INVESTOR else Side.INVESTOR


MARK_FILTERS = ("unmarked", MarkLevel.MUST, MarkLevel.WANT, MarkLevel.NO)


class CounterpartAnnotations(TypedDict):
    my_mark: str | None


def counterparts(*, registrant: Registrant, text: str = "",
                 mark: str = "") -> QuerySet[WithAnnotations[Registrant, CounterpartAnnotations]]:
    """Registrants of the other side with their organization (its one-liner or thesis) and this
    registrant's own mark of each (`my_mark`), by organization name; filtered by text in the
    person's or organization's name and by this registrant's mark. One query a page."""
    mine = Mark.objects.filter(source=registrant, target=OuterRef("pk")).values("level")[:1]
    qs = (Registrant.objects.filter(event_id=registrant.event_id, side=other_side(registrant.side))
          .select_related("user", "organization", "organization__startup", "organization__investor")
          .annotate(my_mark=Subquery(mine)).order_by("organization__name", "user__name", "pk"))
    text = (text or "").strip()[:100]
    if text:
        qs = qs.filter(Q(organization__name__icontains=text) | Q(user__name__icontains=text))
    if mark == "unmarked":
        qs = qs.filter(my_mark__isnull=True)
    elif mark in (MarkLevel.MUST, MarkLevel.WANT, MarkLevel.NO):
        qs = qs.filter(my_mark=mark)
    return qs


def registrants_for_staff(event: Event) -> QuerySet[Registrant]:
    """Every registrant with their organization and how many marks they gave and meetings they have."""
    marks = Mark.objects.filter(source=OuterRef("pk")).values("source")
    met = Meeting.objects.filter(Q(investor=OuterRef("pk")) | Q(startup=OuterRef("pk"))).values("event")
    return (Registrant.objects.filter(event=event).select_related("user", "organization")
            .annotate(marks_count=Coalesce(Subquery(marks.annotate(n=Count("pk")).values("n")[:1]), 0),
                      meetings=Coalesce(Subquery(met.annotate(n=Count("pk")).values("n")[:1]), 0))
            .order_by("side", "organization__name", "user__name", "pk"))


def event_counts(event: Event) -> dict[str, int]:
    """Registrants per side, marks by level, meetings (three queries)."""
    sides = dict(Registrant.objects.filter(event=event).values_list("side").annotate(n=Count("pk")))
    levels = dict(Mark.objects.filter(event=event).values_list("level").annotate(n=Count("pk")))
    return {"investors": sides.get(Side.INVESTOR, 0), "startups": sides.get(Side.STARTUP, 0),
            "must": levels.get(MarkLevel.MUST, 0), "want": levels.get(MarkLevel.WANT, 0),
            "no": levels.get(MarkLevel.NO, 0), "marks": sum(levels.values()),
            "meetings": Meeting.objects.filter(event=event).count()}


def meetings_of(registrant: Registrant) -> list[Meeting]:
    """A registrant's meetings in time order, with the other side's person and organization."""
    return list(Meeting.objects.filter(Q(investor=registrant) | Q(startup=registrant))
                .select_related("slot", "investor__user", "investor__organization", "startup__user",
                                "startup__organization")
                .order_by("slot__starts_at", "table"))


@dataclass
class GridRow:
    slot: EventSlot
    cells: list[Meeting | None]


def schedule_grid(event: Event) -> list[GridRow]:
    """The schedule as slots × tables (two queries)."""
    slots = slots_of(event)
    by_slot: dict[int, dict[int, Meeting]] = {s.pk: {} for s in slots}
    for m in Meeting.objects.filter(event=event).select_related("investor__organization", "investor__user",
                                                                 "startup__organization"):
        by_slot.setdefault(m.slot_id, {})[m.table] = m
    return [GridRow(s, [by_slot[s.pk].get(t) for t in range(1, event.tables + 1)]) for s in slots]


def can_register(event: Event, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if event.status == EventStatus.REGISTRATION:
        return now < event.registration_deadline
    return event.status in (EventStatus.CLOSED, EventStatus.SCHEDULED) and event.late_registration


def can_mark(event: Event, registrant: Registrant | None, now: datetime | None = None) -> bool:
    """While registration or marking is open (before the marking deadline); a late registrant until
    a schedule run has fitted them in."""
    if registrant is None:
        return False
    now = now or timezone.now()
    if event.status in (EventStatus.REGISTRATION, EventStatus.MARKING):
        return now < event.marking_deadline
    return registrant.late and not registrant.fitted and event.status in (EventStatus.CLOSED, EventStatus.SCHEDULED)


can_edit_registration = can_mark  # availability and maximum change on the same terms as marks


# --- services: the event ---------------------------------------------------------------------------

def _check_zone(name: str) -> str:
    name = (name or "").strip()
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("%(zone)s is not a time zone; use a name such as Asia/Kuala_Lumpur.")
                              % {"zone": name[:64]}) from None
    return name


def _check_slots(slots: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    if not slots:
        raise ValidationError(_("Give the event at least one time slot."))
    if len(slots) > MAX_SLOTS:
        raise ValidationError(_("An event has at most %(n)d time slots.") % {"n": MAX_SLOTS})
    # Meetings start on the minute (calendars and printed agendas show minutes).
    ordered = sorted((s.replace(second=0, microsecond=0), e.replace(second=0, microsecond=0)) for s, e in slots)
    for (start, end), following in zip(ordered, [*ordered[1:], None], strict=True):
        if not start < end:
            raise ValidationError(_("Each time slot must end after it starts."))
        if following is not None and following[0] < end:
            raise ValidationError(_("Time slots must not overlap: one starts before the previous one ends."))
    return ordered


def event_create(*, actor: User, organizer: Organization, title: str, registration_deadline: datetime,
                 marking_deadline: datetime, slots: list[tuple[datetime, datetime]], tables: int,
                 time_zone: str = "Asia/Kuala_Lumpur", description: str = "", venue: str = "",
                 late_registration: bool = False) -> Event:
    """A draft event with its time slots (UTC), made by programme staff of the organizer."""
    if not permissions.can_run_programme(actor, organizer):
        raise PermissionDenied
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the event a title."))
    if not isinstance(tables, int) or isinstance(tables, bool) or not 1 <= tables <= MAX_TABLES:
        raise ValidationError(_("Tables must be a whole number from 1 to %(n)d.") % {"n": MAX_TABLES})
    zone = _check_zone(time_zone)
    if not (registration_deadline and marking_deadline) or registration_deadline > marking_deadline:
        raise ValidationError(_("Registration must close before (or when) marking closes."))
    ordered = _check_slots(slots)
    if marking_deadline > ordered[0][0]:
        raise ValidationError(_("Marking must close before the first time slot starts, so the schedule can be built."))
    with transaction.atomic():
        event = Event.objects.create(
            organizer=organizer, title=title[:160], description=(description or "").strip()[:5000],
            venue=(venue or "").strip()[:200], time_zone=zone, tables=tables,
            registration_deadline=registration_deadline, marking_deadline=marking_deadline,
            late_registration=bool(late_registration), created_by=actor)
        EventSlot.objects.bulk_create([EventSlot(event=event, starts_at=s, ends_at=e) for s, e in ordered])
        audit(actor=actor, action=AuditAction.VENTURES_EVENT_CREATE, organization=organizer, target=f"event:{event.pk}",
              title=event.title)
    return event


def _slot_text(slot: EventSlot, zone: str) -> str:
    """"2026-12-12 14:00" in the event's own time zone (for messages to its staff)."""
    return slot.starts_at.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def _check_tables_hold_meetings(event: Event, tables: int) -> None:
    """Fewer tables must still seat every stored meeting where it is: meetings keep their tables."""
    by_slot: dict[int, list[int]] = {}
    for slot_id, table in Meeting.objects.filter(event=event).values_list("slot_id", "table"):
        by_slot.setdefault(slot_id, []).append(table)
    if not by_slot:
        return
    slots = {s.pk: s for s in EventSlot.objects.filter(pk__in=list(by_slot))}
    busiest = max(by_slot, key=lambda pk: (len(by_slot[pk]), -pk))
    if tables < len(by_slot[busiest]):
        raise ValidationError(_("The slot at %(slot)s has %(n)d meetings; keep at least %(n)d tables.")
                              % {"slot": _slot_text(slots[busiest], event.time_zone), "n": len(by_slot[busiest])})
    highest = max(by_slot, key=lambda pk: (max(by_slot[pk]), -pk))
    table = max(by_slot[highest])
    if tables < table:
        raise ValidationError(_("Table %(table)d has a meeting at %(slot)s and meetings keep their tables; keep at "
                                "least %(table)d tables.")
                              % {"table": table, "slot": _slot_text(slots[highest], event.time_zone)})


def event_update(*, actor: User, event: Event, title: str | None = None, description: str | None = None,
                 venue: str | None = None, time_zone: str | None = None, tables: int | None = None,
                 registration_deadline: datetime | None = None, marking_deadline: datetime | None = None,
                 late_registration: bool | None = None,
                 slots: list[tuple[datetime, datetime]] | None = None) -> Event:
    """Change an event (its staff). None leaves a field as it is; `slots` is the whole new list of
    time slots (UTC): slots kept as they were keep their availability, others are added or removed.
    Slots change only while no schedule exists (no meetings, no job queued or running); tables may
    shrink only as far as the stored meetings still have their tables."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    with transaction.atomic():
        locked = Event.objects.select_for_update().select_related("organizer").get(pk=event.pk)
        changes: dict[str, object] = {}
        if title is not None:
            title = title.strip()
            if not title:
                raise ValidationError(_("Give the event a title."))
            changes["title"] = title[:160]
        if description is not None:
            changes["description"] = description.strip()[:5000]
        if venue is not None:
            changes["venue"] = venue.strip()[:200]
        if time_zone is not None:
            changes["time_zone"] = _check_zone(time_zone)
        if late_registration is not None:
            changes["late_registration"] = bool(late_registration)
        if registration_deadline is not None:
            changes["registration_deadline"] = registration_deadline
        if marking_deadline is not None:
            changes["marking_deadline"] = marking_deadline
        registration_closes = locked.registration_deadline if registration_deadline is None else registration_deadline
        marking_closes = locked.marking_deadline if marking_deadline is None else marking_deadline
        if registration_closes > marking_closes:
            raise ValidationError(_("Registration must close before (or when) marking closes."))
        building = is_job_active(locked)
        if tables is not None:
            if not isinstance(tables, int) or isinstance(tables, bool) or not 1 <= tables <= MAX_TABLES:
                raise ValidationError(_("Tables must be a whole number from 1 to %(n)d.") % {"n": MAX_TABLES})
            if tables != locked.tables:
                if building:
                    raise ValidationError(_("The schedule is being built; change the tables once it is done."))
                _check_tables_hold_meetings(locked, tables)
                changes["tables"] = tables
        existing = slots_of(locked)
        removed: list[EventSlot] = []
        added: list[tuple[datetime, datetime]] = []
        first: datetime | None
        if slots is not None:
            ordered = _check_slots(slots)
            wanted = set(ordered)
            have = {(s.starts_at, s.ends_at) for s in existing}
            removed = [s for s in existing if (s.starts_at, s.ends_at) not in wanted]
            added = [pair for pair in ordered if pair not in have]
            if removed or added:
                busy = dict(Meeting.objects.filter(slot__in=removed).values_list("slot").annotate(n=Count("pk")))
                for slot in removed:
                    if busy.get(slot.pk):
                        raise ValidationError(_("The slot at %(slot)s has %(n)d meetings in the schedule, so it "
                                                "cannot be removed.")
                                              % {"slot": _slot_text(slot, locked.time_zone), "n": busy[slot.pk]})
                if building:
                    raise ValidationError(_("The schedule is being built; time slots cannot change now."))
                if Meeting.objects.filter(event=locked).exists():
                    raise ValidationError(_("The schedule is built, so time slots can no longer be added or "
                                            "removed; they are what the meetings were planned in."))
            first = ordered[0][0]
        else:
            first = existing[0].starts_at if existing else None
        if (first is not None and locked.status in (EventStatus.DRAFT, EventStatus.REGISTRATION, EventStatus.MARKING)
                and marking_closes > first):
            raise ValidationError(_("Marking must close before the first time slot starts, so the schedule can be built."))
        if removed:
            EventSlot.objects.filter(pk__in=[s.pk for s in removed]).delete()  # availability in them goes too
        if added:
            EventSlot.objects.bulk_create([EventSlot(event=locked, starts_at=a, ends_at=b) for a, b in added])
        changed = {name: value for name, value in changes.items() if getattr(locked, name) != value}
        if changed:
            Event.objects.filter(pk=locked.pk).update(**changed)
        if changed or removed or added:
            audit(actor=actor, action=AuditAction.VENTURES_EVENT_UPDATE, organization=locked.organizer,
                  target=f"event:{locked.pk}", fields=sorted(changed), slots_added=len(added),
                  slots_removed=len(removed))
    event.refresh_from_db()
    return event


def _move(*, actor: User, event: Event, source: tuple[str, ...], target: str, refusal: str, action: AuditAction) -> Event:
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    with transaction.atomic():
        moved = Event.objects.filter(pk=event.pk, status__in=source).update(status=target)
        if moved:
            audit(actor=actor, action=action, organization=event.organizer, target=f"event:{event.pk}")
    event.refresh_from_db()
    if not moved and event.status != target:
        raise ValidationError(refusal)
    return event


def event_publish(*, actor: User, event: Event) -> Event:
    """Draft → registration open: everyone sees the event and may register."""
    return _move(actor=actor, event=event, source=(EventStatus.DRAFT,), target=EventStatus.REGISTRATION,
                 refusal=_("Only a draft can be published."), action=AuditAction.VENTURES_EVENT_PUBLISH)


def event_open_marking(*, actor: User, event: Event) -> Event:
    """Registration open → marking open: registration closes, marking goes on until its deadline."""
    return _move(actor=actor, event=event, source=(EventStatus.REGISTRATION,), target=EventStatus.MARKING,
                 refusal=_("Marking opens after registration; this event is not taking registrations."),
                 action=AuditAction.VENTURES_EVENT_OPEN_MARKING)


def event_set_late_registration(*, actor: User, event: Event, allowed: bool) -> Event:
    """Whether people may still register once marking has closed; they are fitted in around the
    confirmed meetings."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    with transaction.atomic():
        Event.objects.filter(pk=event.pk).update(late_registration=bool(allowed))
        audit(actor=actor, action=AuditAction.VENTURES_EVENT_LATE_REGISTRATION, organization=event.organizer,
              target=f"event:{event.pk}", allowed=bool(allowed))
    event.late_registration = bool(allowed)
    return event


# --- services: registration ------------------------------------------------------------------------

def registration_set(*, user: User, event: Event, side: str, organization: Organization, max_meetings: int,
                     slot_ids: list[int]) -> Registrant:
    """Register (or change one's availability and maximum). The side and organization are fixed once
    registered. A registration after marking closed is late: it is fitted in around the schedule."""
    if not permissions.can_see_event(user, event) or not user.is_authenticated:
        raise PermissionDenied
    if side not in Side.values:
        raise ValidationError(_("Register as an investor or as a startup."))
    if not isinstance(max_meetings, int) or isinstance(max_meetings, bool) or not 0 <= max_meetings <= MAX_MEETINGS:
        raise ValidationError(_("The most meetings you take must be a whole number from 0 to %(n)d.")
                              % {"n": MAX_MEETINGS})
    if len(slot_ids) > MAX_SLOTS:
        raise ValidationError(_("Choose at most %(n)d time slots.") % {"n": MAX_SLOTS})
    slots = {s.pk: s for s in slots_of(event)}
    unknown = [s for s in slot_ids if s not in slots]
    if unknown:
        raise ValidationError(_("Time slot %(id)s is not one of this event's.") % {"id": unknown[0]})
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)  # one writer per event at a time
        registrant = Registrant.objects.filter(event=event, user=user).first()
        if registrant is None:
            if not permissions.can_register_for_event(user, side, organization):
                raise PermissionDenied
            if not can_register(locked):
                raise ValidationError(_("Registration for this event is closed."))
            late = locked.status in (EventStatus.CLOSED, EventStatus.SCHEDULED)
            try:
                with transaction.atomic():
                    registrant = Registrant.objects.create(event=event, user=user, side=side,
                                                           organization=organization, max_meetings=max_meetings,
                                                           late=late)
            except IntegrityError:
                raise ValidationError(_("You are already registered for this event.")) from None
            audit(actor=user, action=AuditAction.VENTURES_EVENT_REGISTER, organization=organization,
                  target=f"event:{event.pk}", side=side, late=late)
        else:
            if registrant.side != side or registrant.organization_id != organization.pk:
                raise ValidationError(_("You are registered as %(side)s for %(org)s; that stays as it is.")
                                      % {"side": Side(registrant.side).label, "org": registrant.organization.name})
            if not can_edit_registration(locked, registrant):
                raise ValidationError(_("Marking has closed, so your availability can no longer change."))
            if registrant.max_meetings != max_meetings:
                registrant.max_meetings = max_meetings
            # A schedule run reading the old values must not count this registrant as fitted.
            Registrant.objects.filter(pk=registrant.pk).update(max_meetings=max_meetings, version=F("version") + 1)
        registrant.available.set([slots[s] for s in set(slot_ids)])
    return registrant


def marks_set(*, user: User, event: Event, marks: Mapping[int, str]) -> int:
    """Set this registrant's marks of registrants of the other side: target id → must, want, no, or
    "" to clear. Returns how many were given. Others' marks are never touched or shown."""
    registrant = registrant_of(event=event, user=user)
    if registrant is None:
        raise PermissionDenied
    if len(marks) > MAX_MARKS_AT_ONCE:
        raise ValidationError(_("Send at most %(n)d marks at once.") % {"n": MAX_MARKS_AT_ONCE})
    for level in marks.values():
        if level not in ("", *MarkLevel.values):
            raise ValidationError(_("A mark is must, want, no, or empty to clear it; %(level)s is none of these.")
                                  % {"level": str(level)[:20]})
    targets = set(Registrant.objects.filter(event=event, side=other_side(registrant.side), pk__in=list(marks))
                  .values_list("pk", flat=True))
    unknown = [t for t in marks if t not in targets]
    if unknown:
        raise ValidationError(_("Registrant %(id)s is not on the other side of this event; you can mark only them.")
                              % {"id": unknown[0]})
    now = timezone.now()
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        registrant = Registrant.objects.get(pk=registrant.pk)  # fitted as of now, not as of before the lock
        if not can_mark(locked, registrant, now):
            raise ValidationError(_("Marking for this event is closed."))
        cleared = [t for t, level in marks.items() if not level]
        Mark.objects.filter(source=registrant, target_id__in=cleared).delete()
        given = {t: level for t, level in marks.items() if level}
        existing = {m.target_id: m for m in Mark.objects.filter(source=registrant, target_id__in=list(given))}
        changed = []
        for target, level in given.items():
            mark = existing.get(target)
            if mark is not None and mark.level != level:
                mark.level, mark.updated_at = level, now
                changed.append(mark)
        Mark.objects.bulk_update(changed, ["level", "updated_at"])
        Mark.objects.bulk_create([Mark(event=event, source=registrant, target_id=t, level=level, updated_at=now)
                                  for t, level in given.items() if t not in existing])
        # A schedule run that read this registrant before these marks must leave them to be fitted again.
        Registrant.objects.filter(pk=registrant.pk).update(version=F("version") + 1)
    return len(given)


def deadline_text(when: datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M %Z")


def default_slots(start: datetime, *, count: int, minutes: int, gap: int = 0) -> list[tuple[datetime, datetime]]:
    """Consecutive slots of `minutes`, `gap` minutes apart, from `start` (what the creation form offers)."""
    return [(start + timedelta(minutes=i * (minutes + gap)), start + timedelta(minutes=i * (minutes + gap) + minutes))
            for i in range(count)]


def is_job_active(event: Event) -> bool:
    return event.job in (ScheduleJob.QUEUED, ScheduleJob.RUNNING)
