"""Boards of threads and replies, votes, follows, reports, and the digests sent to followers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TITLE_MAX = 200
BODY_MAX = 20_000
REASON_MAX = 500


class Board(models.Model):
    """The discussion of one course, run or competition (see boards.py); made by its first thread."""

    ref = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.ref


class Thread(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("text (Markdown)"), max_length=BODY_MAX)
    is_question = models.BooleanField(_("a question (one reply can be marked as the answer)"), default=True)
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    answer = models.ForeignKey("Reply", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0)  # visible replies
    score = models.IntegerField(default=0)

    class Meta:
        ordering = ["-pinned", "-last_activity_at", "-pk"]
        indexes = [models.Index(fields=["board", "-pinned", "-last_activity_at"], name="thread_board_order"),
                   models.Index(fields=["author", "created_at"], name="thread_author_created")]

    def __str__(self) -> str:
        return self.title


class Reply(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("text (Markdown)"), max_length=BODY_MAX)
    hidden = models.BooleanField(default=False)
    score = models.IntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "replies"
        indexes = [models.Index(fields=["thread", "created_at"], name="reply_thread_created"),
                   models.Index(fields=["author", "created_at"], name="reply_author_created")]

    def __str__(self) -> str:
        return f"reply {self.pk} in {self.thread_id}"


class Vote(models.Model):
    """An upvote of a thread or a reply: one per person and post."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="votes")
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(thread__isnull=True) ^ Q(reply__isnull=True), name="vote_one_target"),
            models.UniqueConstraint(fields=["user", "thread"], condition=Q(thread__isnull=False),
                                    name="vote_once_per_thread"),
            models.UniqueConstraint(fields=["user", "reply"], condition=Q(reply__isnull=False),
                                    name="vote_once_per_reply"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} +1 {'reply ' + str(self.reply_id) if self.reply_id else 'thread ' + str(self.thread_id)}"


class Follow(models.Model):
    """Someone gets the new replies of a thread in their digest; `last_digest_at` is how far they have had them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)
    last_digest_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.thread_id}"


class Resolution(models.TextChoices):
    HIDDEN = "hidden", _("Post hidden")
    DISMISSED = "dismissed", _("Dismissed")


class Report(models.Model):
    """Someone asks the board's moderators to look at a thread (reply empty) or one of its replies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reports")
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reason = models.TextField(_("what is wrong"), max_length=REASON_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolution = models.CharField(max_length=16, choices=Resolution.choices, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], condition=Q(reply__isnull=True, resolved_at__isnull=True),
                                    name="report_one_open_per_thread"),
            models.UniqueConstraint(fields=["user", "reply"], condition=Q(reply__isnull=False, resolved_at__isnull=True),
                                    name="report_one_open_per_reply"),
        ]
        indexes = [models.Index(fields=["resolved_at", "thread"], name="report_open")]

    def __str__(self) -> str:
        return f"report {self.pk} of thread {self.thread_id}"


class Digest(models.Model):
    """One email to one follower with the replies chosen for it (chosen and recorded in the same
    transaction that advances their follows; sent after commit, once)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reply_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "created_at"], name="digest_unsent")]

    def __str__(self) -> str:
        return f"digest {self.pk} for {self.user_id}"
