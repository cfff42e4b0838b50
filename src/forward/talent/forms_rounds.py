"""Forms of matching rounds: creating a round, adding an opening."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from forward.core.models import Organization

from .models import Opening


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organization = forms.ModelChoiceField(label=_("Career office"), queryset=Organization.objects.none(), required=False,
                                          help_text=_("Leave empty for a round the programme's operators run."))
    applications_close = forms.DateTimeField(label=_("Applications close"), widget=DateTimeInput())
    interviews_close = forms.DateTimeField(label=_("Interviews close"), widget=DateTimeInput())
    ranking_close = forms.DateTimeField(label=_("Ranking closes"), widget=DateTimeInput(),
                                        help_text=_("The match can run from then on."))
    acceptance_close = forms.DateTimeField(label=_("Acceptance closes"), widget=DateTimeInput(), required=False)

    def __init__(self, *args, offices=None, operator=False, **kwargs):
        super().__init__(*args, **kwargs)
        if "organization" not in self.fields:
            return
        organization = self.fields["organization"]
        assert isinstance(organization, forms.ModelChoiceField)  # declared above
        organization.queryset = offices
        if not operator:
            organization.required = True
            organization.empty_label = None
            organization.help_text = ""


class NextRoundForm(RoundForm):
    # Django's documented way to drop an inherited field, which django-stubs cannot express.
    organization = None  # type: ignore[assignment]


class OpeningChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Opening) -> str:
        return f"{obj.title} · {obj.organization.name}"


class AddOpeningForm(forms.Form):
    opening = OpeningChoiceField(label=_("Opening"), queryset=Opening.objects.none(), to_field_name="uuid")
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=10_000, required=False,
                               help_text=_("Empty: the opening's own number of seats."))

    def __init__(self, *args, openings=None, **kwargs):
        super().__init__(*args, **kwargs)
        opening = self.fields["opening"]
        assert isinstance(opening, forms.ModelChoiceField)  # declared above
        opening.queryset = openings
