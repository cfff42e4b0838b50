"""Forms of the boards: the fields and their labels; the rules are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BODY_MAX, REASON_MAX, TITLE_MAX

MARKDOWN_HELP = _("Markdown: **bold**, *italic*, `code`, lists, links, and code blocks between ``` lines.")


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(label=_("Text"), max_length=BODY_MAX, help_text=MARKDOWN_HELP,
                           widget=forms.Textarea(attrs={"rows": 10}))
    is_question = forms.BooleanField(label=_("This is a question (a reply can be marked as the answer)"),
                                     required=False, initial=True)


class ThreadEditForm(ThreadForm):
    is_question = None  # type: ignore[assignment]  # None removes an inherited form field; the stubs cannot say so


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), max_length=BODY_MAX, help_text=MARKDOWN_HELP,
                           widget=forms.Textarea(attrs={"rows": 6}))


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong with this post?"), max_length=REASON_MAX,
                             help_text=_("The board's moderators read this. Your name is not shown to the author."),
                             widget=forms.Textarea(attrs={"rows": 3}))
