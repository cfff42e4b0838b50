"""Discussion pages: thin — parse, check who may see it, call a service or selector, render.
Every action is a POST form, so everything works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from forward.core.types import AuthedRequest

from . import boards, permissions, selectors, services
from .boards import Access
from .forms import ReplyForm, ReportForm, ThreadEditForm, ThreadForm
from .models import Reply, Report, Thread

THREADS_PER_PAGE = 20


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _refuse(request: HttpRequest):
    """Not theirs to see: sign in first, or 404 (no hint of what exists)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


def _board(request: HttpRequest, prefix: str, key: int) -> Access | None:
    found = boards.access(request.user, boards.ref(prefix, key))
    return found if found and found.read else None


def _thread(request: HttpRequest, thread_id: int) -> tuple[Thread, Access | None]:
    thread = get_object_or_404(Thread.objects.select_related("board", "author", "answer__author"), pk=thread_id)
    found = boards.access(request.user, thread.board.ref)
    return thread, (found if permissions.can_see_thread(found, thread) else None)


def _reply(request: HttpRequest, reply_id: int) -> tuple[Reply, Access | None]:
    reply = get_object_or_404(Reply.objects.select_related("thread__board", "author"), pk=reply_id)
    found = boards.access(request.user, reply.thread.board.ref)
    return reply, (found if permissions.can_see_thread(found, reply.thread) else None)


def thread_url(thread: Thread) -> str:
    return reverse("discussions:thread", args=[thread.pk])


def reply_url(reply: Reply) -> str:
    page = selectors.reply_page(reply)
    return f"{thread_url(reply.thread)}{f'?page={page}' if page > 1 else ''}#reply-{reply.pk}"


def _board_url(ref: str, name: str = "board") -> str:
    parts = boards.split(ref)
    if parts is None:  # refs come from Access, which only a valid reference gets
        raise ValueError(f"not a board reference: {ref!r}")
    prefix, key = parts
    return reverse(f"discussions:{name}", args=[prefix, key])


def board(request: HttpRequest, prefix: str, key: int) -> HttpResponse:
    found = _board(request, prefix, key)
    if found is None:
        return _refuse(request)
    query = request.GET.get("q", "").strip()[:100]
    unanswered = request.GET.get("filter") == "unanswered"
    board_row = selectors.board_of(found.ref)
    threads = selectors.board_threads(board=board_row, query=query, unanswered=unanswered, moderator=found.moderate)
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    query_items = [*([("q", query)] if query else []), *([("filter", "unanswered")] if unanswered else [])]
    return render(request, "discussions/board.html", {
        "board": found, "page": page, "query": query, "unanswered": unanswered, "query_items": query_items,
        "new_url": _board_url(found.ref, "thread_new"), "moderation_url": _board_url(found.ref, "moderation"),
        "open_reports": selectors.open_report_count(board=board_row) if found.moderate else 0,
    })


@login_required
def thread_new(request: AuthedRequest, prefix: str, key: int) -> HttpResponse:
    found = _board(request, prefix, key)
    if found is None:
        raise Http404
    if not found.post:
        raise PermissionDenied
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(actor=request.user, ref=found.ref, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Your thread is posted. You follow it: replies come in your email digest."))
            return redirect(thread_url(thread))
    return render(request, "discussions/form.html", {
        "board": found, "form": form, "heading": _("New thread"), "submit": _("Post thread"),
        "back": _board_url(found.ref)})


def thread_detail(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread, found = _thread(request, thread_id)
    if found is None:
        return _refuse(request)
    return _thread_page(request, thread, found, ReplyForm())


def _thread_page(request: HttpRequest, thread: Thread, found: Access, form: ReplyForm) -> HttpResponse:
    user = request.user
    page = Paginator(selectors.thread_replies(thread=thread), selectors.REPLIES_PER_PAGE).get_page(
        request.GET.get("page"))
    replies = list(page.object_list)
    thread_voted, replies_voted = selectors.voted(user=user, thread=thread, replies=replies)
    can_mark = permissions.can_mark_answer(user, found, thread)
    rows = [{"reply": r, "voted": r.pk in replies_voted, "is_answer": r.pk == thread.answer_id,
             "can_vote": permissions.can_vote(user, found, r),
             "can_edit": permissions.can_edit(user, found, thread, r),
             "can_report": permissions.can_report(user, found, r),
             "can_mark": can_mark and not r.hidden} for r in replies]
    return render(request, "discussions/thread.html", {
        "board": found, "thread": thread, "page": page, "rows": rows, "thread_voted": thread_voted,
        "can_vote": permissions.can_vote(user, found, thread),
        "can_edit": permissions.can_edit(user, found, thread, thread),
        "can_report": permissions.can_report(user, found, thread),
        "can_reply": permissions.can_reply(found, thread), "can_mark": can_mark,
        "can_follow": permissions.can_follow(user, found),
        "following": selectors.is_following(user=user, thread=thread),
        "answer": thread.answer if thread.answer and not thread.answer.hidden else None,
        "board_url": _board_url(found.ref), "form": form,
    })


@login_required
@require_POST
def reply_create(request: AuthedRequest, thread_id: int) -> HttpResponse:
    """Post a reply; when it is refused (empty, too long, the rate limit), the thread shows again
    with the text kept and the reason under it."""
    thread, found = _thread(request, thread_id)
    if found is None:
        raise Http404
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            reply = services.reply_create(actor=request.user, thread=thread, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error("body", _errors(exc))
        else:
            return redirect(reply_url(reply))
    return _thread_page(request, thread, found, form)


# Each action, and what the page says when it worked (in the reader's language: lazy).
THREAD_ACTIONS = {
    "vote": (lambda u, t: services.vote(actor=u, thread=t, up=True), None),
    "unvote": (lambda u, t: services.vote(actor=u, thread=t, up=False), None),
    "follow": (lambda u, t: services.follow(actor=u, thread=t, on=True),
               gettext_lazy("You follow this thread: new replies come in your email digest.")),
    "unfollow": (lambda u, t: services.follow(actor=u, thread=t, on=False), gettext_lazy("You no longer follow this thread.")),
    "pin": (lambda u, t: services.thread_set(actor=u, thread=t, pinned=True), gettext_lazy("Thread pinned.")),
    "unpin": (lambda u, t: services.thread_set(actor=u, thread=t, pinned=False), gettext_lazy("Thread unpinned.")),
    "lock": (lambda u, t: services.thread_set(actor=u, thread=t, locked=True), gettext_lazy("Thread locked.")),
    "unlock": (lambda u, t: services.thread_set(actor=u, thread=t, locked=False), gettext_lazy("Thread unlocked.")),
    "hide": (lambda u, t: services.post_hide(actor=u, thread=t, hidden=True), gettext_lazy("Thread hidden.")),
    "restore": (lambda u, t: services.post_hide(actor=u, thread=t, hidden=False), gettext_lazy("Thread restored.")),
    "unanswer": (lambda u, t: services.answer_mark(actor=u, thread=t, reply=None), gettext_lazy("The answer is unmarked.")),
}

REPLY_ACTIONS = {
    "vote": (lambda u, r: services.vote(actor=u, thread=r.thread, reply=r, up=True), None),
    "unvote": (lambda u, r: services.vote(actor=u, thread=r.thread, reply=r, up=False), None),
    "answer": (lambda u, r: services.answer_mark(actor=u, thread=r.thread, reply=r),
               gettext_lazy("Marked as the answer.")),
    "hide": (lambda u, r: services.post_hide(actor=u, thread=r.thread, reply=r, hidden=True), gettext_lazy("Reply hidden.")),
    "restore": (lambda u, r: services.post_hide(actor=u, thread=r.thread, reply=r, hidden=False),
                gettext_lazy("Reply restored.")),
}


def _act(request: HttpRequest, actions: dict, action: str, load, pk: int, back) -> HttpResponse:
    """Run one POSTed action on a thread or reply the person can see, say how it went, go back."""
    if action not in actions:
        raise Http404
    target, found = load(request, pk)
    if found is None:
        raise Http404
    call, done = actions[action]
    try:
        call(request.user, target)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        if done:
            messages.success(request, str(done))
    return redirect(back(target))


@login_required
@require_POST
def thread_action(request: AuthedRequest, thread_id: int, action: str) -> HttpResponse:
    return _act(request, THREAD_ACTIONS, action, _thread, thread_id, thread_url)


@login_required
@require_POST
def reply_action(request: AuthedRequest, reply_id: int, action: str) -> HttpResponse:
    return _act(request, REPLY_ACTIONS, action, _reply, reply_id, reply_url)


def _edit(request: HttpRequest, *, found: Access, thread: Thread, form, save, back: str) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(back)
    return render(request, "discussions/form.html", {
        "board": found, "thread": thread, "form": form, "heading": _("Edit your post"), "submit": _("Save"),
        "back": back})


@login_required
def thread_edit(request: AuthedRequest, thread_id: int) -> HttpResponse:
    thread, found = _thread(request, thread_id)
    if found is None:
        raise Http404
    if not permissions.can_edit(request.user, found, thread, thread):
        raise PermissionDenied
    form = ThreadEditForm(request.POST or None, initial={"title": thread.title, "body": thread.body})
    return _edit(request, found=found, thread=thread, form=form, back=thread_url(thread),
                 save=lambda data: services.thread_edit(actor=request.user, thread=thread, **data))


@login_required
def reply_edit(request: AuthedRequest, reply_id: int) -> HttpResponse:
    reply, found = _reply(request, reply_id)
    if found is None:
        raise Http404
    if not permissions.can_edit(request.user, found, reply.thread, reply):
        raise PermissionDenied
    form = ReplyForm(request.POST or None, initial={"body": reply.body})
    return _edit(request, found=found, thread=reply.thread, form=form, back=reply_url(reply),
                 save=lambda data: services.reply_edit(actor=request.user, reply=reply, **data))


def _report(request: AuthedRequest, *, found: Access, thread: Thread, reply: Reply | None, back: str) -> HttpResponse:
    if not permissions.can_report(request.user, found, reply or thread):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(actor=request.user, thread=thread, reply=reply, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Thank you. The moderators will look at this post."))
            return redirect(back)
    return render(request, "discussions/form.html", {
        "board": found, "thread": thread, "form": form, "heading": _("Report a post"), "submit": _("Send report"),
        "back": back, "quoted": reply or thread})


@login_required
def thread_report(request: AuthedRequest, thread_id: int) -> HttpResponse:
    thread, found = _thread(request, thread_id)
    if found is None:
        raise Http404
    return _report(request, found=found, thread=thread, reply=None, back=thread_url(thread))


@login_required
def reply_report(request: AuthedRequest, reply_id: int) -> HttpResponse:
    reply, found = _reply(request, reply_id)
    if found is None:
        raise Http404
    return _report(request, found=found, thread=reply.thread, reply=reply, back=reply_url(reply))


def _queue(request: HttpRequest, *, found: Access | None, board_row) -> HttpResponse:
    page = Paginator(selectors.open_reports(board=board_row), THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "discussions/moderation.html", {
        "board": found, "page": page, "query_items": [],
        "board_url": _board_url(found.ref) if found else None})


@login_required
def moderation(request: AuthedRequest, prefix: str, key: int) -> HttpResponse:
    """A board's open reports, for its moderators."""
    found = _board(request, prefix, key)
    if found is None or not permissions.can_moderate(found):
        raise Http404
    board_row = selectors.board_of(found.ref)
    if board_row is None:
        return render(request, "discussions/moderation.html", {
            "board": found, "page": None, "board_url": _board_url(found.ref)})
    return _queue(request, found=found, board_row=board_row)


@login_required
def moderation_all(request: AuthedRequest) -> HttpResponse:
    """Every board's open reports, for operators."""
    if not permissions.can_moderate_everywhere(request.user):
        raise Http404
    return _queue(request, found=None, board_row=None)


@login_required
@require_POST
def report_action(request: AuthedRequest, report_id: int, action: str) -> HttpResponse:
    report = get_object_or_404(Report.objects.select_related("thread__board", "reply"), pk=report_id)
    if action not in ("hide", "dismiss"):
        raise Http404
    found = boards.access(request.user, report.thread.board.ref)
    if not permissions.can_moderate(found):
        raise Http404
    if action == "hide":
        services.post_hide(actor=request.user, thread=report.thread, reply=report.reply, hidden=True)
        messages.success(request, _("The post is hidden and its reports are closed."))
    else:
        services.report_dismiss(actor=request.user, report=report)
        messages.success(request, _("The reports of this post are dismissed."))
    if request.POST.get("next") == "all" and permissions.can_moderate_everywhere(request.user):
        return redirect("discussions:moderation_all")
    return redirect(_board_url(report.thread.board.ref, "moderation"))
