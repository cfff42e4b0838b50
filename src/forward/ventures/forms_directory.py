"""Forms of the directory pages: they only parse; the rules live in startups.py / investors.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .discovery import InvestorFilters, StartupFilters
from .models import Currency, Instrument, InvestorType, LeadStyle, Sector, Stage

COUNTRY_CHOICES = [("", _("Any country")), *list(countries)]


class StartupSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or one-liner"), required=False, max_length=100)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("Any sector")), *Sector.choices])
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("Any stage")), *Stage.choices])
    country = forms.ChoiceField(label=_("Country"), required=False, choices=COUNTRY_CHOICES)
    raising = forms.ChoiceField(label=_("Raising"), required=False, choices=[
        ("", _("Raising or not")), ("yes", _("Raising now")), ("no", _("Not raising"))])

    def filters(self) -> StartupFilters:
        if not self.is_valid():
            return StartupFilters()
        d = self.cleaned_data
        return StartupFilters(sector=d["sector"], stage=d["stage"], country=d["country"], raising=d["raising"],
                              text=d["q"].strip())


class InvestorSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or thesis"), required=False, max_length=100)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("Any sector")), *Sector.choices])
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("Any stage")), *Stage.choices])
    country = forms.ChoiceField(label=_("Invests in"), required=False, choices=COUNTRY_CHOICES)
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Any type")), *InvestorType.choices])

    def filters(self) -> InvestorFilters:
        if not self.is_valid():
            return InvestorFilters()
        d = self.cleaned_data
        return InvestorFilters(sector=d["sector"], stage=d["stage"], country=d["country"], investor_type=d["type"],
                               text=d["q"].strip())


class StartupProfileForm(forms.Form):
    one_liner = forms.CharField(label=_("One-liner"), max_length=160, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
                                  max_length=5000)
    sectors = forms.MultipleChoiceField(label=_("Sectors (up to three)"), choices=Sector.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    country = forms.ChoiceField(label=_("Country"), choices=list(countries))
    founded_on = forms.DateField(label=_("Founded on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")


class RoundForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=16, decimal_places=2, min_value=1)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    instrument = forms.ChoiceField(label=_("Instrument"), choices=Instrument.choices)


class TractionForm(forms.Form):
    month = forms.CharField(label=_("Month"), widget=forms.DateInput(attrs={"type": "month", "placeholder": "YYYY-MM"}))
    revenue = forms.DecimalField(label=_("Revenue"), max_digits=16, decimal_places=2, min_value=0)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    users = forms.IntegerField(label=_("Users"), min_value=0)


class TeamForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Member"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=80, required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=1000, initial=0)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        user = self.fields["user"]
        assert isinstance(user, forms.ChoiceField)  # declared above
        user.choices = [(u.pk, u.display_name) for u in members]


class DeckForm(forms.Form):
    deck = forms.FileField(label=_("Pitch deck (PDF, up to 10 MB)"),
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))


class ShareForm(forms.Form):
    investor = forms.TypedChoiceField(label=_("Investor"), coerce=int)

    def __init__(self, *args, investors=(), **kwargs):
        super().__init__(*args, **kwargs)
        investor = self.fields["investor"]
        assert isinstance(investor, forms.ChoiceField)  # declared above
        investor.choices = [(i.organization_id, i.organization.name) for i in investors]


class InvestorProfileForm(forms.Form):
    investor_type = forms.ChoiceField(label=_("Type"), choices=InvestorType.choices)
    thesis = forms.CharField(label=_("Thesis"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                             max_length=5000)
    sectors = forms.MultipleChoiceField(label=_("Sectors"), choices=Sector.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    stages = forms.MultipleChoiceField(label=_("Stages"), choices=Stage.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    countries = forms.MultipleChoiceField(label=_("Countries (none: any)"), choices=list(countries), required=False,
                                          widget=forms.SelectMultiple(attrs={"size": 6}))
    ticket_min = forms.DecimalField(label=_("Smallest ticket"), max_digits=16, decimal_places=2, required=False,
                                    min_value=1)
    ticket_max = forms.DecimalField(label=_("Largest ticket"), max_digits=16, decimal_places=2, required=False,
                                    min_value=1)
    ticket_currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    lead_style = forms.ChoiceField(label=_("Leads or follows"), choices=LeadStyle.choices)
