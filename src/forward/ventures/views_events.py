"""Ventures pages: networking events. Programme staff create and run events; investors and
startups register, mark each other and get their agendas (page, PDF, .ics). A draft, someone
else's agenda or the staff page answer 404 to whoever may not see them, as a missing id does."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forward.core.models import Organization

from . import events as svc
from . import events_agenda, events_schedule, permissions
from .forms_events import EventEditForm, EventForm, RegistrationForm
from .models import Event, EventStatus, MarkLevel, Registrant, ScheduleJob, Side


def _event(request, event_id: int) -> Event:
    event = svc.visible_event(user=request.user, event_id=event_id)
    if event is None:
        raise Http404
    return event


def _managed(request, event_id: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("organizer"), pk=event_id)
    if not permissions.can_manage_event(request.user, event):
        raise Http404
    return event


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def event_list(request):
    page = Paginator(svc.events_for(user=request.user), svc.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ventures/events/list.html", {
        "page": page, "can_create": permissions.is_programme_staff(request.user)})


@login_required
def event_create(request):
    organizers = permissions.programme_organizers(request.user).order_by("name")
    if not organizers.exists():
        raise Http404
    form = EventForm(request.POST or None, organizers=organizers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = svc.event_create(
                actor=request.user, organizer=data["organizer"], title=data["title"], description=data["description"],
                venue=data["venue"], time_zone=data["time_zone"], tables=data["tables"],
                registration_deadline=data["registration_deadline"], marking_deadline=data["marking_deadline"],
                slots=svc.default_slots(data["first_slot"], count=data["slot_count"], minutes=data["slot_minutes"],
                                        gap=data["gap_minutes"]),
                late_registration=data["late_registration"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Event created as a draft. Publish it to open registration."))
            return redirect("ventures:event_staff", event_id=event.pk)
    return render(request, "ventures/events/create.html", {"form": form})


@login_required
def event_edit(request, event_id: int):
    """The event's staff change its title, description, venue, time zone, tables, deadlines and (until
    the schedule is built) its slots."""
    event = _managed(request, event_id)
    slots = svc.slots_of(event)
    initial = {"title": event.title, "description": event.description, "venue": event.venue,
               "time_zone": event.time_zone, "tables": event.tables,
               "registration_deadline": event.registration_deadline, "marking_deadline": event.marking_deadline,
               "keep_slots": [str(s.pk) for s in slots]}
    scheduled = event.meetings.exists()
    form = EventEditForm(request.POST or None, initial=initial,
                         slot_choices=[(str(s.pk), slot_label(s)) for s in slots], slots_fixed=scheduled)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        keep = {int(pk) for pk in data["keep_slots"]}
        new_slots = [(s.starts_at, s.ends_at) for s in slots if s.pk in keep]
        if data.get("add_slot_count"):
            new_slots += svc.default_slots(data["add_first_slot"], count=data["add_slot_count"],
                                           minutes=data["add_slot_minutes"], gap=data["add_gap_minutes"])
        try:
            svc.event_update(
                actor=request.user, event=event, title=data["title"], description=data["description"],
                venue=data["venue"], time_zone=data["time_zone"], tables=data["tables"],
                registration_deadline=data["registration_deadline"], marking_deadline=data["marking_deadline"],
                slots=new_slots)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("ventures:event_staff", event_id=event.pk)
    return render(request, "ventures/events/edit.html", {
        "form": form, "event": event, "scheduled": scheduled})


def slot_label(slot) -> str:
    """"Sat 12 Dec 2026, 14:00–14:20 +08", in the viewer's time zone."""
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    return f"{formats.date_format(start, 'DATE_FORMAT')}, {start:%H:%M}–{end:%H:%M} {start.tzname()}"


def _registration_form(request, event: Event, registrant: Registrant | None, slots) -> RegistrationForm:
    if registrant is not None:
        choices = [(f"{registrant.side}:{registrant.organization_id}",
                    f"{Side(registrant.side).label}: {registrant.organization.name}")]
    else:
        choices = []
        for side in (Side.INVESTOR, Side.STARTUP):
            for org in permissions.event_side_organizations(request.user, side).order_by("name")[:50]:
                choices.append((f"{side}:{org.pk}", f"{Side(side).label}: {org.name}"))
    slot_choices = [(str(s.pk), slot_label(s)) for s in slots]
    initial = {}
    if registrant is not None:
        initial = {"acting_for": choices[0][0], "max_meetings": registrant.max_meetings,
                   "slots": [str(pk) for pk in svc.available_slot_ids(registrant)]}
    else:
        initial = {"slots": [str(s.pk) for s in slots]}
    return RegistrationForm(request.POST if request.method == "POST" else None, choices=choices,
                            slot_choices=slot_choices, initial=initial)


def event_detail(request, event_id: int):
    event = _event(request, event_id)
    slots = svc.slots_of(event)
    registrant = svc.registrant_of(event=event, user=request.user)
    form = None
    if request.user.is_authenticated and ((registrant is not None and svc.can_edit_registration(event, registrant))
                                          or (registrant is None and svc.can_register(event))):
        form = _registration_form(request, event, registrant, slots)
        acting_for = form.fields["acting_for"]
        assert isinstance(acting_for, forms.ChoiceField)  # declared on RegistrationForm
        if registrant is None and not acting_for.choices:
            form = None
    return render(request, "ventures/events/detail.html", {
        "event": event, "slots": slots, "registrant": registrant, "form": form,
        "manages": permissions.can_manage_event(request.user, event),
        "can_mark": svc.can_mark(event, registrant),
        "status_label": EventStatus(event.status).label,
        "meeting_count": len(svc.meetings_of(registrant)) if registrant else 0})


@require_POST
@login_required
def event_register(request, event_id: int):
    event = _event(request, event_id)
    registrant = svc.registrant_of(event=event, user=request.user)
    form = _registration_form(request, event, registrant, svc.slots_of(event))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("ventures:event_detail", event_id=event.pk)
    side, _sep, org_id = form.cleaned_data["acting_for"].partition(":")
    organization = Organization.objects.filter(pk=int(org_id)).first()
    if organization is None:
        raise Http404
    try:
        svc.registration_set(user=request.user, event=event, side=side, organization=organization,
                             max_meetings=form.cleaned_data["max_meetings"],
                             slot_ids=[int(s) for s in form.cleaned_data["slots"]])
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Your registration is saved.") if registrant else
                         _("You are registered. Now mark whom you would like to meet."))
    return redirect("ventures:event_detail", event_id=event.pk)


@login_required
def event_marks(request, event_id: int):
    event = _event(request, event_id)
    registrant = svc.registrant_of(event=event, user=request.user)
    if registrant is None:
        raise Http404
    text = request.GET.get("q", "")[:100]
    mark = request.GET.get("mark", "")
    mark = mark if mark in svc.MARK_FILTERS else ""
    if request.method == "POST":
        wanted = {}
        for key, value in request.POST.items():
            if key.startswith("mark_") and key[5:].isdigit():
                wanted[int(key[5:])] = value
        try:
            n = svc.marks_set(user=request.user, event=event, marks=wanted)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Your marks are saved (%(n)d on this page).") % {"n": n})
        return redirect(request.get_full_path())
    page = Paginator(svc.counterparts(registrant=registrant, text=text, mark=mark), svc.PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "ventures/events/marks.html", {
        "event": event, "registrant": registrant, "page": page, "query": text, "mark": mark,
        "levels": MarkLevel.choices, "open": svc.can_mark(event, registrant),
        "other_label": _("startups") if registrant.side == Side.INVESTOR else _("investors")})


@login_required
def event_staff(request, event_id: int):
    event = _managed(request, event_id)
    if request.headers.get("HX-Request"):
        response = render(request, "ventures/events/_job.html", {"event": event})
        if event.job in (ScheduleJob.DONE, ScheduleJob.FAILED):
            response["HX-Refresh"] = "true"
        return response
    return render(request, "ventures/events/staff.html", {
        "event": event, "status_label": EventStatus(event.status).label, "counts": svc.event_counts(event),
        "registrants": Paginator(svc.registrants_for_staff(event), 50).get_page(request.GET.get("page")),
        "grid": svc.schedule_grid(event) if event.status == EventStatus.SCHEDULED else [],
        "tables": range(1, event.tables + 1), "pending_late": events_schedule.pending_late(event),
        "gap": (event.bound - event.value) if event.bound is not None and event.value is not None else None})


def _staff_action(request, event_id: int, action, done: str, **kwargs):
    event = _managed(request, event_id)
    try:
        action(actor=request.user, event=event, **kwargs)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, done)
    return redirect("ventures:event_staff", event_id=event.pk)


@require_POST
@login_required
def event_publish(request, event_id: int):
    return _staff_action(request, event_id, svc.event_publish, _("Published: registration is open."))


@require_POST
@login_required
def event_open_marking(request, event_id: int):
    return _staff_action(request, event_id, svc.event_open_marking,
                         _("Registration closed; marking stays open until its deadline."))


@require_POST
@login_required
def event_close_marking(request, event_id: int):
    return _staff_action(request, event_id, events_schedule.marking_close,
                         _("Marking closed. The schedule is being built."))


@require_POST
@login_required
def event_build(request, event_id: int):
    return _staff_action(request, event_id, events_schedule.schedule_start, _("The schedule job is queued."))


@require_POST
@login_required
def event_late(request, event_id: int):
    allowed = request.POST.get("allowed") == "1"
    return _staff_action(request, event_id, svc.event_set_late_registration,
                         _("Late registration is allowed.") if allowed else _("Late registration is closed."),
                         allowed=allowed)


def _agenda(request, event_id: int, registrant_id: int) -> tuple[Event, Registrant]:
    event = _event(request, event_id)
    registrant = Registrant.objects.select_related("user", "organization", "event__organizer").filter(
        pk=registrant_id, event=event).first()
    if registrant is None or not permissions.can_see_agenda(request.user, registrant):
        raise Http404
    return event, registrant


@login_required
def my_agenda(request, event_id: int):
    event = _event(request, event_id)
    registrant = svc.registrant_of(event=event, user=request.user)
    if registrant is None:
        raise Http404
    return redirect("ventures:event_agenda", event_id=event.pk, registrant_id=registrant.pk)


@login_required
def agenda(request, event_id: int, registrant_id: int):
    event, registrant = _agenda(request, event_id, registrant_id)
    meetings = svc.meetings_of(registrant)
    rows = [{"meeting": m, "other": events_agenda.counterpart(m, registrant)} for m in meetings]
    return render(request, "ventures/events/agenda.html", {
        "event": event, "registrant": registrant, "rows": rows,
        "scheduled": event.status == EventStatus.SCHEDULED, "own": registrant.user_id == request.user.pk})


@login_required
def agenda_pdf(request, event_id: int, registrant_id: int):
    event, registrant = _agenda(request, event_id, registrant_id)
    body = events_agenda.agenda_pdf(event=event, registrant=registrant, meetings=svc.meetings_of(registrant),
                                    time_zone=timezone.get_current_timezone_name())
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agenda-{event.pk}-{registrant.pk}.pdf"'
    return response


@login_required
def agenda_ics(request, event_id: int, registrant_id: int):
    event, registrant = _agenda(request, event_id, registrant_id)
    body = events_agenda.agenda_calendar(event=event, registrant=registrant, meetings=svc.meetings_of(registrant))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="agenda-{event.pk}-{registrant.pk}.ics"'
    return response


urlpatterns: list = [
    path("events/", event_list, name="event_list"),
    path("events/new/", event_create, name="event_create"),
    path("events/<int:event_id>/", event_detail, name="event_detail"),
    path("events/<int:event_id>/register/", event_register, name="event_register"),
    path("events/<int:event_id>/marks/", event_marks, name="event_marks"),
    path("events/<int:event_id>/staff/", event_staff, name="event_staff"),
    path("events/<int:event_id>/edit/", event_edit, name="event_edit"),
    path("events/<int:event_id>/publish/", event_publish, name="event_publish"),
    path("events/<int:event_id>/open-marking/", event_open_marking, name="event_open_marking"),
    path("events/<int:event_id>/close-marking/", event_close_marking, name="event_close_marking"),
    path("events/<int:event_id>/build/", event_build, name="event_build"),
    path("events/<int:event_id>/late/", event_late, name="event_late"),
    path("events/<int:event_id>/agenda/", my_agenda, name="event_my_agenda"),
    path("events/<int:event_id>/agenda/<int:registrant_id>/", agenda, name="event_agenda"),
    path("events/<int:event_id>/agenda/<int:registrant_id>/pdf/", agenda_pdf, name="event_agenda_pdf"),
    path("events/<int:event_id>/agenda/<int:registrant_id>/ics/", agenda_ics, name="event_agenda_ics"),
]
