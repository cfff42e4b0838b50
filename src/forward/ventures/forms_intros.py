"""Forms of the introduction pages: they parse and bound input; the rules live in ventures.intros."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models.intros import MESSAGE_MAX, NOTE_MAX


class AskForm(forms.Form):
    asker = forms.TypedChoiceField(label=_("Ask as"), coerce=int)
    note = forms.CharField(label=_("A short note"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("Who you are and why this introduction makes sense. At most 1,000 characters."))

    def __init__(self, *args, askers=(), **kwargs):
        super().__init__(*args, **kwargs)
        asker = self.fields["asker"]
        assert isinstance(asker, forms.ChoiceField)  # declared above
        asker.choices = [(o.pk, o.name) for o in askers]
        if len(askers) == 1:
            asker.initial = askers[0].pk
            asker.widget = forms.HiddenInput()


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Your message"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 4}))
