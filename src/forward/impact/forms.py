"""Forms of the impact pages. They parse and bound input; the rules (which unit a measure takes, the
dates' order, which universities may be a scope) are ``services``'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from forward.academy.models import Programme
from forward.core.models import Organization, OrganizationKind

from . import measures, services


def _date_field(label) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class TargetForm(forms.Form):
    measure = forms.ChoiceField(label=_("Measure"))
    unit = forms.CharField(label=_("Currency"), max_length=3, required=False,
                           help_text=_("For an amount of money only: its 3-letter code, such as USD. Leave it empty "
                                       "for a count."))
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Shown with the target, such as “1,000,000 talents in three years”."))
    value = forms.IntegerField(label=_("Target value"), min_value=1, max_value=services.MAX_VALUE)
    starts_on = _date_field(_("Counted from"))
    deadline = _date_field(_("Deadline"))
    country = forms.ChoiceField(label=_("Country"), required=False)
    programme = forms.ModelChoiceField(queryset=Programme.objects.order_by("title"), required=False,
                                       label=_("Programme"), empty_label=_("All programmes"))
    university = forms.ModelChoiceField(
        queryset=Organization.objects.verified().filter(kind=OrganizationKind.UNIVERSITY).order_by("name"),
        required=False, label=_("University"), empty_label=_("All universities"),
        help_text=_("Verified universities only."))
    order = forms.IntegerField(label=_("Order on the pages"), min_value=0, max_value=32767, required=False,
                               help_text=_("Lower first."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        measure, country = self.fields["measure"], self.fields["country"]
        assert isinstance(measure, forms.ChoiceField) and isinstance(country, forms.ChoiceField)  # declared above
        measure.choices = [(m.slug, m.name) for m in measures.all_measures()]
        country.choices = [("", _("All countries")), *countries]

    def clean_unit(self) -> str:
        return self.cleaned_data["unit"].strip().upper()

    def values(self) -> dict:
        """The cleaned fields as the services take them."""
        data = dict(self.cleaned_data)
        data["order"] = data.get("order") or 0
        return data

    @classmethod
    def initial_for(cls, target) -> dict:
        return {"measure": target.measure, "unit": target.unit, "title": target.title, "value": target.value,
                "starts_on": target.starts_on, "deadline": target.deadline, "country": target.country.code or "",
                "programme": target.programme_id, "university": target.university_id, "order": target.order}
