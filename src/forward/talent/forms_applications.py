"""Forms of the application pages: they parse and bound input; the rules live in talent.applications."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Stage


class ApplyForm(forms.Form):
    note = forms.CharField(label=_("A short note to the employer"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("Why this opening, and what you would bring. At most 2,000 characters."))
    include = forms.MultipleChoiceField(label=_("Verified achievements to include"), required=False,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, credentials=(), **kwargs):
        super().__init__(*args, **kwargs)
        include = self.fields["include"]
        assert isinstance(include, forms.MultipleChoiceField)  # declared above
        include.choices = [
            (str(c.uuid), f"{c.name}{' · ' + c.detail if c.detail else ''} ({c.issuer.name})") for c in credentials]
        include.initial = [str(c.uuid) for c in credentials]


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Add a note (only your organization sees it)"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                    help_text=_("In your time zone."))
    ends_at = forms.DateTimeField(label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    where = forms.CharField(label=_("Place or video link"), max_length=300, required=False)
