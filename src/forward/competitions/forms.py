from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from forward import scoring
from forward.core.models import Organization

from .models import Eligibility


def metric_choices():
    return [(name, name) for name in scoring.METRIC_NAMES]


class MetricField(forms.ChoiceField):
    """A metric from the list, where ``map@K`` stands for a family: with the K field it becomes
    ``map@3``; a concrete name such as ``map@3`` (what the CLI and the API say) is accepted as is."""

    def valid_value(self, value) -> bool:
        if super().valid_value(value):
            return True
        try:
            return scoring.get_metric(str(value)).name == str(value).strip().lower()
        except scoring.ScoringError:
            return False


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CompetitionForm(forms.Form):
    host: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Host organization"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    subtitle = forms.CharField(label=_("One-line summary"), max_length=300, required=False)
    metric = MetricField(label=_("Metric"), choices=metric_choices,
                         help_text=_("For MAP@K choose map@K and give K below (map@12 ranks 12 predictions)."))
    map_k = forms.IntegerField(label=_("K, for map@K"), min_value=1, max_value=9999, required=False,
                               help_text=_("How many ranked predictions per row count towards map@K."))
    starts_at = forms.DateTimeField(label=_("Start"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("End"), widget=DateTimeInput())
    overview = forms.CharField(label=_("Overview (Markdown)"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    rules = forms.CharField(label=_("Rules (Markdown)"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    prize = forms.CharField(label=_("Prizes"), max_length=500, required=False)
    eligibility = forms.ChoiceField(label=_("Who may take part"), choices=Eligibility.choices)
    team_size_limit = forms.IntegerField(label=_("Team size limit"), min_value=1, max_value=50, initial=5)
    merger_deadline = forms.DateTimeField(label=_("Team merger deadline"), required=False, widget=DateTimeInput())
    daily_limit = forms.IntegerField(label=_("Submissions per team per day"), min_value=1, max_value=100, initial=5,
                                     help_text=_("The day resets at 00:00 UTC."))
    final_limit = forms.IntegerField(label=_("Final submissions a team may select"), min_value=1, max_value=10,
                                     initial=2)
    max_submission_mb = forms.IntegerField(label=_("Submission size limit (MB)"), min_value=1, max_value=2000,
                                           initial=200)

    def __init__(self, *args, hosts=None, **kwargs):
        super().__init__(*args, **kwargs)
        host = self.fields["host"]
        assert isinstance(host, forms.ModelChoiceField)  # declared above
        host.queryset = hosts

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end must be after the start."))
        k = data.pop("map_k", None)
        metric = data.get("metric", "")
        if metric == "map@K":
            if k is None:
                self.add_error("map_k", _("Give K for map@K, e.g. 12 for map@12."))
            else:
                data["metric"] = f"map@{k}"
        elif metric and k is not None and not metric.startswith("map@"):
            self.add_error("map_k", _("K is only for map@K; leave it empty for %(metric)s.") % {"metric": metric})
        return data


class CompetitionEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    subtitle = forms.CharField(label=_("One-line summary"), max_length=300, required=False)
    overview = forms.CharField(label=_("Overview (Markdown)"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    rules = forms.CharField(label=_("Rules (Markdown)"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    prize = forms.CharField(label=_("Prizes"), max_length=500, required=False)
    eligibility = forms.ChoiceField(label=_("Who may take part"), choices=Eligibility.choices)
    team_size_limit = forms.IntegerField(label=_("Team size limit"), min_value=1, max_value=50)
    merger_deadline = forms.DateTimeField(label=_("Team merger deadline"), required=False, widget=DateTimeInput())
    max_submission_mb = forms.IntegerField(label=_("Submission size limit (MB)"), min_value=1, max_value=2000)
    leaderboard_hidden = forms.BooleanField(label=_("Hide the leaderboard from the public"), required=False)


class PhaseForm(forms.Form):
    name = forms.CharField(label=_("Round name"), max_length=100)
    starts_at = forms.DateTimeField(label=_("Start"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("End"), widget=DateTimeInput())
    daily_limit = forms.IntegerField(label=_("Submissions per team per day"), min_value=1, max_value=100, initial=5)
    final_limit = forms.IntegerField(label=_("Final submissions a team may select"), min_value=1, max_value=10,
                                     initial=2)


class FileForm(forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class SubmissionForm(forms.Form):
    file = forms.FileField(label=_("Predictions (.csv, .csv.gz or .zip with one CSV)"))
    description = forms.CharField(label=_("Message (optional)"), max_length=500, required=False)


class TeamCreateForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=80)


class TeamCodeForm(forms.Form):
    code = forms.CharField(label=_("Invite code"), max_length=24)


class AdvanceForm(forms.Form):
    top_n = forms.IntegerField(label=_("Advance the top N teams"), min_value=1, required=False)
    team_ids = forms.CharField(label=_("…or these team ids (comma-separated)"), required=False)

    def clean_team_ids(self):
        raw = self.cleaned_data.get("team_ids", "")
        try:
            return [int(x) for x in raw.replace(" ", "").split(",") if x]
        except ValueError:
            raise forms.ValidationError(_("Write team ids as numbers separated by commas.")) from None


class DisqualifyForm(forms.Form):
    reason = forms.CharField(label=_("Reason (the team's members see it)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RescoreForm(forms.Form):
    file = forms.FileField(label=_("Corrected solution file"))


class WinnersMessageForm(forms.Form):
    top_n = forms.IntegerField(label=_("Teams at the top of the final private leaderboard"), min_value=1,
                               max_value=50, initial=3)
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(label=_("Message (plain text)"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
