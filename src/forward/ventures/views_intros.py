"""Ventures pages: introductions (double opt-in) and their threads. Thin: parse, check permission,
call ventures.intros, render. An introduction one is not a side of is a 404, like a missing id."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forward.core.models import MAX_ID, OrganizationKind
from forward.core.types import AuthedRequest

from . import intros as service
from . import permissions
from .forms_intros import AskForm, MessageForm
from .models.intros import Introduction

PAGE_SIZE = 20
THREAD_PAGE_SIZE = 30


def _visible(request: AuthedRequest, pk: int) -> Introduction:
    if pk > MAX_ID:
        raise Http404
    try:
        return service.visible(user=request.user, introduction_id=pk)
    except service.NotFound:
        raise Http404 from None


def _with_asker_view(page):
    for introduction in page.object_list:
        introduction.asker_code = service.asker_status(introduction)
        introduction.asker_label = service.asker_label(introduction)
    return page


@login_required
def intro_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = {
        "received": Paginator(service.received(user=user), PAGE_SIZE).get_page(request.GET.get("received")),
        "sent": _with_asker_view(Paginator(service.sent(user=user), PAGE_SIZE).get_page(request.GET.get("sent"))),
        "accepted": Paginator(service.accepted(user=user), PAGE_SIZE).get_page(request.GET.get("accepted")),
        "organizations": list(permissions.intro_organizations(user).order_by("name")[:20]),
        "counts": service.counts() if permissions.is_operator(user) else None,
    }
    return render(request, "ventures/intros/list.html", context)


@login_required
def intro_request(request: AuthedRequest) -> HttpResponse:
    try:
        target_id = int(request.GET.get("to") or request.POST.get("to") or 0)
    except ValueError:
        target_id = 0
    target = service.target_for(organization_id=target_id) if 0 < target_id <= MAX_ID else None
    if target is None:
        raise Http404
    askers = service.askers_for(user=request.user, target=target)
    form = AskForm(request.POST or None, askers=askers)
    reasons = [] if askers else [_("Introductions are asked in the name of a verified startup or investor you act for "
                                   "(as its admin or staff), to an organization of the other kind.")]
    if askers and request.method == "GET" and len(askers) == 1:
        reason = service.refusal(asker=askers[0], target=target)
        if reason:
            reasons.append(reason)
    if request.method == "POST":
        if not askers:
            raise PermissionDenied
        if form.is_valid():
            asker = next(o for o in askers if o.pk == form.cleaned_data["asker"])
            try:
                introduction = service.ask(user=request.user, asker=asker, target=target,
                                           note=form.cleaned_data["note"])
            except service.AnswerTheirs as exc:
                messages.info(request, exc.messages[0])
                return redirect("ventures:intro_detail", pk=exc.introduction.pk)
            except service.AlreadyWaiting as exc:
                messages.info(request, exc.messages[0])
                return redirect("ventures:intro_detail", pk=exc.introduction.pk)
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(request, _("Request sent to %(org)s. You will see here when they answer.") % {
                    "org": target.name})
                return redirect("ventures:intro_detail", pk=introduction.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "ventures/intros/ask.html", {"target": target, "form": form, "reasons": reasons},
                  status=status)


@login_required
def intro_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    introduction = _visible(request, pk)
    user = request.user
    is_asker = permissions.is_member_acting_for(user, introduction.asker)
    context = {
        "introduction": introduction, "is_asker": is_asker,
        "asker_code": service.asker_status(introduction), "asker_label": service.asker_label(introduction),
        "can_answer": introduction.status == "open" and permissions.can_answer_intro(user, introduction),
        "can_withdraw": introduction.status == "open" and permissions.can_withdraw_intro(user, introduction),
        "in_thread": permissions.can_read_thread(user, introduction),
    }
    # The investor side may add the startup to its pipeline from here.
    startup, investor = ((introduction.asker, introduction.target) if introduction.asker.kind == OrganizationKind.STARTUP
                         else (introduction.target, introduction.asker))
    if startup.kind == OrganizationKind.STARTUP and permissions.can_keep_pipeline(user, investor):
        context["pipeline_add"] = {"startup": startup, "investor": investor}
    if context["in_thread"]:
        paginator = Paginator(service.thread(user=user, introduction=introduction), THREAD_PAGE_SIZE)
        # Newest last: without a page asked for, the last page (the latest messages).
        context["page"] = paginator.get_page(request.GET.get("page") or paginator.num_pages)
        context["contacts"] = service.contacts(introduction=introduction)
        context["form"] = MessageForm()
    return render(request, "ventures/intros/detail.html", context)


@login_required
@require_POST
def intro_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    introduction = _visible(request, pk)
    actions = {"accept": (service.accept, _("Accepted. You can now see each other's contact and write below.")),
               "decline": (service.decline, _("Declined. They will see “not now”.")),
               "withdraw": (service.withdraw, _("You withdrew the request."))}
    if action not in actions:
        raise Http404
    function, done = actions[action]
    try:
        function(user=request.user, introduction=introduction)
    except service.NotFound:
        raise Http404 from None
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
    else:
        messages.success(request, done)
    return redirect("ventures:intro_detail", pk=pk)


@login_required
@require_POST
def intro_message(request: AuthedRequest, pk: int) -> HttpResponse:
    introduction = _visible(request, pk)
    if not permissions.can_read_thread(request.user, introduction):
        raise Http404
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            service.post_message(user=request.user, introduction=introduction, text=form.cleaned_data["text"])
        except service.NotFound:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect(request.path.rsplit("messages/", 1)[0] + "#latest")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("ventures:intro_detail", pk=pk)


urlpatterns: list = [
    path("introductions/", intro_list, name="intro_list"),
    path("introductions/ask/", intro_request, name="intro_request"),  # ?to=<organization id>
    path("introductions/<int:pk>/", intro_detail, name="intro_detail"),
    path("introductions/<int:pk>/messages/", intro_message, name="intro_message"),
    path("introductions/<int:pk>/<slug:action>/", intro_action, name="intro_action"),
]
