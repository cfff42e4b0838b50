"""Forms of the pipeline pages: they parse and bound input; the rules live in ventures.pipeline."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models.choices import Currency, Instrument
from .models.pipeline import NEXT_STEP_MAX, NOTE_MAX, DealStage


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=[c for c in DealStage.choices if c[0] != DealStage.INVESTED])


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Add a note (only your organization sees it)"), max_length=NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))


class NextStepForm(forms.Form):
    next_step = forms.CharField(label=_("Next step"), max_length=NEXT_STEP_MAX, required=False)
    next_step_on = forms.DateField(label=_("On"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class InvestForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=16, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    instrument = forms.ChoiceField(label=_("Instrument"), choices=Instrument.choices)
    invested_on = forms.DateField(label=_("Invested on"), widget=forms.DateInput(attrs={"type": "date"}))


class FilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All stages")), *DealStage.choices])
    q = forms.CharField(label=_("Startup name"), required=False, max_length=100)
    due = forms.BooleanField(label=_("With a next step date, soonest first"), required=False)


class DisputeForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong?"), max_length=500, required=False)
