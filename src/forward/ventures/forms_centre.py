"""Forms of the innovation centre's pages. They parse and bound input; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import readiness
from .models import Currency, RequestStatus


def _org_field(organizations, label=None) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=organizations, label=label or _("For"), empty_label=None)


class AssessmentForm(forms.Form):
    """One radio group per question, named by the question's id; answered in the viewer's language."""

    def __init__(self, *args, organizations, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = _org_field(organizations, _("Organization"))
        self.fields["share_with"] = forms.ModelChoiceField(
            queryset=centres, required=False, label=_("Share the result with"), empty_label=_("Nobody (keep it private)"),
            help_text=_("The centre's staff see a shared result and can advise you on it; you can stop sharing later."))
        for question in readiness.QUESTIONS:
            self.fields[question.id] = forms.TypedChoiceField(
                label=question.text, coerce=int, widget=forms.RadioSelect,
                choices=[(i, label) for i, label in enumerate(question.options)])

    def area_fields(self):
        return [(label, [self[q.id] for q in questions]) for _area, label, questions in readiness.questions_by_area()]

    def answers(self) -> dict[str, int]:
        return {q.id: self.cleaned_data[q.id] for q in readiness.QUESTIONS}


class ShareForm(forms.Form):
    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"] = forms.ModelChoiceField(queryset=centres, required=False, label=_("Share with"),
                                                       empty_label=_("Nobody (private)"))


class RequestForm(forms.Form):
    note = forms.CharField(label=_("What do you need?"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"organization": _org_field(organizations), **self.fields}


class AssignForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"expert": forms.ModelChoiceField(queryset=experts, label=_("Expert"), empty_label=None),
                       **self.fields}


class MoveForm(forms.Form):
    status = forms.ChoiceField(choices=RequestStatus.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any")), ("open", _("Open")), *RequestStatus.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, experts, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"] = forms.ModelChoiceField(queryset=experts, required=False, label=_("Expert"),
                                                       empty_label=_("Anyone"))
        self.fields["service"] = forms.ModelChoiceField(queryset=services, required=False, label=_("Service"),
                                                        empty_label=_("Any"))


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                    help_text=_("In your time zone."))
    ends_at = forms.DateTimeField(label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    topic = forms.CharField(label=_("Topic"), max_length=160, required=False)
    where = forms.CharField(label=_("Place or video link"), max_length=300, required=False)

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"expert": forms.ModelChoiceField(queryset=experts, label=_("Expert"), empty_label=None),
                       **self.fields}


class BookForm(forms.Form):
    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = _org_field(organizations)


class BudgetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    total = forms.DecimalField(label=_("Total"), min_value=0.01, max_digits=14, decimal_places=2)

    def __init__(self, *args, organizers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"organizer": forms.ModelChoiceField(queryset=organizers, label=_("Programme"),
                                                           empty_label=None), **self.fields}


class DepositForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount to add"), min_value=0.01, max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class GrantApplyForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), min_value=0.01, max_digits=14, decimal_places=2)
    purpose = forms.CharField(label=_("What the credits are for"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, startups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"startup": _org_field(startups, _("Startup")), **self.fields}


class ApproveForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount approved"), min_value=0.01, max_digits=14, decimal_places=2)


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Reason (sent to the startup)"), max_length=500, required=False)


class ServiceForm(forms.Form):
    """A service of the catalogue. It parses; the rules (name given and unique, targets 0..250 working
    days in order) are services_catalogue's, whose messages land on these fields."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    areas = forms.MultipleChoiceField(label=_("Readiness areas it helps with"), required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=_("Organizations weak in these areas see it recommended."))
    assign_within_days = forms.IntegerField(label=_("Assigned within (working days)"), initial=2)
    done_within_days = forms.IntegerField(label=_("Done within (working days)"), initial=15)
    order = forms.IntegerField(label=_("Position in the catalogue"), required=False,
                               help_text=_("Lower comes first; leave empty to keep it (or put a new one last)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas = self.fields["areas"]
        assert isinstance(areas, forms.ChoiceField)  # declared above
        areas.choices = list(readiness.AREA_LABELS.items())
