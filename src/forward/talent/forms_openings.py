"""Forms of the openings pages: they parse what a browser sends; the rules live in talent.openings."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from forward.core.models import Organization, OrganizationKind, Skill
from forward.credentials.models import CredentialKind

from . import openings
from .models import OpeningKind, PayPeriod, Remote, WhoMayApply

CREDENTIAL_ROWS = openings.MAX_REQUIRED_CREDENTIALS
LEVELS = [(0, _("any level")), (1, _("1 · associate")), (2, _("2 · professional")), (3, _("3 · expert"))]


class QuickSelect(forms.Select):
    """A select whose options are written in Python, not one template each: the same markup as
    Django's select, at a fraction of the cost for long lists (300 skills, 250 countries, the
    employers, the currencies: rendering them was most of the search page's time)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.append(format_html_join("", '<option value="{}"{}>{}</option>',
                                          ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options)))
            if group_name:
                parts.append(mark_safe("</optgroup>"))
        parts.append(mark_safe("</select>"))
        return format_html_join("", "{}", ((part,) for part in parts))  # every part already safe


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _skill_choices():
    return [(s.slug, s.name) for s in Skill.objects.order_by("name")]


def _university_choices():
    return [(o.slug, o.name) for o in Organization.objects.verified().filter(kind=OrganizationKind.UNIVERSITY)
            .order_by("name")]


def _country_choices():
    return list(countries)


class OpeningForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=OpeningKind.choices)
    description = forms.CharField(
        label=_("Description (Markdown)"), required=False, max_length=openings.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("What the work is, the team, what you offer. Markdown: **bold**, lists, links."))
    remote = forms.ChoiceField(label=_("Where"), choices=Remote.choices)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False,
                                choices=lambda: [("", _("— none (remote) —")), *_country_choices()])
    countries_eligible = forms.MultipleChoiceField(
        label=_("Countries whose people may apply"), required=False, choices=_country_choices,
        widget=forms.SelectMultiple(attrs={"size": 6}), help_text=_("None chosen: people anywhere may apply."))
    required_skills = forms.MultipleChoiceField(
        label=_("Required skills"), required=False, choices=_skill_choices, widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Applicants' verified skills are matched against these. Hold Ctrl (⌘ on a Mac) to choose several."))
    preferred_skills = forms.MultipleChoiceField(label=_("Preferred skills"), required=False, choices=_skill_choices,
                                                 widget=forms.SelectMultiple(attrs={"size": 8}))
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    duration_weeks = forms.IntegerField(label=_("Duration (weeks)"), required=False, min_value=1,
                                        max_value=openings.MAX_DURATION_WEEKS)
    pay_min = forms.DecimalField(label=_("Pay from"), required=False, min_value=0, max_digits=12, decimal_places=2)
    pay_max = forms.DecimalField(label=_("Pay up to"), required=False, min_value=0, max_digits=12, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"), required=False,
                                 choices=[("", "—"), *[(c, c) for c in sorted(openings.CURRENCIES)]])
    pay_period = forms.ChoiceField(label=_("Pay period"), required=False, choices=[("", "—"), *PayPeriod.choices])
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=openings.MAX_SEATS, initial=1)
    deadline = forms.DateTimeField(label=_("Application deadline"), required=False, widget=DateTimeInput(),
                                   help_text=_("In your time zone. Empty: open until you close it."))
    who_may_apply = forms.ChoiceField(label=_("Who may apply"), choices=WhoMayApply.choices)
    universities = forms.MultipleChoiceField(
        label=_("Universities whose students may apply"), required=False, choices=_university_choices,
        widget=forms.SelectMultiple(attrs={"size": 6}), help_text=_("Only when students of chosen universities apply."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [("", "—"), *CredentialKind.choices]
        for n in range(1, CREDENTIAL_ROWS + 1):
            self.fields[f"credential_{n}_kind"] = forms.ChoiceField(
                label=_("Credential %(n)s") % {"n": n}, required=False, choices=kinds)
            self.fields[f"credential_{n}_level"] = forms.TypedChoiceField(
                # django-stubs types empty_value as str | None; Django takes any value (an int here, with coerce=int)
                label=_("Level"), required=False, choices=LEVELS, coerce=int, empty_value=0)  # type: ignore[arg-type]

    @property
    def main_fields(self):
        return [f for f in self if not f.name.startswith("credential_")]

    @property
    def credential_rows(self):
        return [(self[f"credential_{n}_kind"], self[f"credential_{n}_level"]) for n in range(1, CREDENTIAL_ROWS + 1)]

    def service_fields(self) -> dict:
        """The cleaned data as the services take it."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("credential_")}
        data["required_credentials"] = [
            {"kind": self.cleaned_data[f"credential_{n}_kind"], "level": self.cleaned_data[f"credential_{n}_level"] or 0}
            for n in range(1, CREDENTIAL_ROWS + 1) if self.cleaned_data.get(f"credential_{n}_kind")]
        return data

    @classmethod
    def initial_for(cls, opening) -> dict:
        initial = {name: getattr(opening, name) for name in (
            "title", "kind", "description", "remote", "city", "start_date", "duration_weeks", "pay_min", "pay_max",
            "currency", "pay_period", "seats", "deadline", "who_may_apply")}
        initial["country"] = opening.country.code if opening.country else ""
        initial["countries_eligible"] = openings.eligible_country_codes(opening)
        initial["required_skills"] = [s.slug for s in opening.required_skills.all()]
        initial["preferred_skills"] = [s.slug for s in opening.preferred_skills.all()]
        initial["universities"] = [u.slug for u in opening.universities.all()]
        for n, entry in enumerate(opening.required_credentials or [], start=1):
            initial[f"credential_{n}_kind"] = entry.get("kind", "")
            initial[f"credential_{n}_level"] = entry.get("level", 0)
        return initial


class SearchForm(forms.Form):
    """The browse page's filters; anything that does not parse is ignored with the field's error shown."""

    text = forms.CharField(label=_("Search"), required=False, max_length=200)
    skill = forms.ChoiceField(widget=QuickSelect, label=_("Skill"), required=False,
                              choices=lambda: [("", _("Any skill")), *_skill_choices()])
    kind = forms.ChoiceField(widget=QuickSelect, label=_("Type"), required=False,
                             choices=[("", _("Any type")), *OpeningKind.choices])
    country = forms.ChoiceField(widget=QuickSelect, label=_("Country"), required=False,
                                choices=lambda: [("", _("Any country")), *_country_choices()])
    remote = forms.ChoiceField(widget=QuickSelect, label=_("Where"), required=False,
                               choices=[("", _("Anywhere")), *Remote.choices])
    min_pay = forms.DecimalField(label=_("Pay at least"), required=False, min_value=0, max_digits=12,
                                 decimal_places=2)
    currency = forms.ChoiceField(widget=QuickSelect, label=_("Currency"), required=False,
                                 choices=[("", "—"), *[(c, c) for c in sorted(openings.CURRENCIES)]])
    pay_period = forms.ChoiceField(widget=QuickSelect, label=_("Period"), required=False,
                                   choices=[("", "—"), *PayPeriod.choices])
    employer = forms.ChoiceField(widget=QuickSelect, label=_("Employer"), required=False, choices=lambda: [
        ("", _("Any employer")),
        *[(o.slug, o.name) for o in Organization.objects.verified().filter(kind=OrganizationKind.EMPLOYER)
          .order_by("name")]])

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("min_pay") is not None and not (data.get("currency") and data.get("pay_period")):
            raise forms.ValidationError(_("To filter on pay, choose a currency and a period as well: amounts in "
                                          "different currencies are not compared."))
        return data

    def filters(self) -> openings.SearchFilters:
        """The filters that parsed (a field in error is left out, and the page shows its error)."""
        self.is_valid()
        data = dict(self.cleaned_data)
        if not (data.get("currency") and data.get("pay_period")):
            data.pop("min_pay", None)
        return openings.SearchFilters(**{k: v for k, v in data.items() if v not in ("", None)})
