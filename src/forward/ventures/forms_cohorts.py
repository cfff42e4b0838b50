"""Forms of cohort calls and judging: a call, a question, a criterion, a panel, a judge's seat,
the application's answers (built from the call's questions) and a judge's score (from its rubric)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from forward.core.models import Organization

from .cohorts import MAX_FILE_BYTES
from .models import DECISIONS, Answer, Question, QuestionKind, Stage


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CallForm(forms.Form):
    organizer: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(label=_("In the name of"), queryset=None,
                                                                            empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
                                  max_length=10_000)
    deadline = forms.DateTimeField(label=_("Deadline"), widget=DateTimeInput(),
                                   help_text=_("In your time zone; submissions after it are refused."))
    countries = forms.MultipleChoiceField(label=_("Eligible countries"), choices=list(countries), required=False,
                                          widget=forms.SelectMultiple(attrs={"size": 6}),
                                          help_text=_("None chosen: startups from any country may apply."))
    stages = forms.MultipleChoiceField(label=_("Eligible stages"), choices=Stage.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text=_("None chosen: startups at any stage may apply."))

    def __init__(self, *args, organizers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizers is None:
            del self.fields["organizer"]
        else:
            organizer = self.fields["organizer"]
            assert isinstance(organizer, forms.ModelChoiceField)  # declared above
            organizer.queryset = organizers


class QuestionForm(forms.Form):
    prompt = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    help_text = forms.CharField(label=_("Help"), max_length=300, required=False)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    max_length = forms.IntegerField(label=_("Maximum length (text)"), min_value=1, max_value=10_000, required=False)
    options = forms.CharField(label=_("Options (choice), one a line"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False, max_length=3000)
    min_value = forms.DecimalField(label=_("Minimum (number)"), required=False, max_digits=16, decimal_places=2)
    max_value = forms.DecimalField(label=_("Maximum (number)"), required=False, max_digits=16, decimal_places=2)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["options"] = [line.strip() for line in data["options"].splitlines() if line.strip()]
        return data


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=120)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)
    description = forms.CharField(label=_("What judges look for"), max_length=400, required=False)


class PanelForm(forms.Form):
    name = forms.CharField(label=_("Panel name"), max_length=120)


class SeatForm(forms.Form):
    email = forms.EmailField(label=_("Judge's email"), help_text=_("Someone who has signed up to Forward."))


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Why you are conflicted"), max_length=300,
                             help_text=_("For example: I advise this startup, or my fund has invested in it."))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("", _("Choose…")), *[(d.value, d.label) for d in DECISIONS]])


class _QuestionField(forms.Field):
    """A field asking one of the call's questions; the template reads these beside it."""

    question: Question
    answer: Answer | None
    required_question: bool


class _TextField(_QuestionField, forms.CharField):
    pass


class _ChoiceField(_QuestionField, forms.ChoiceField):
    pass


class _NumberField(_QuestionField, forms.DecimalField):
    pass


class _FileField(_QuestionField, forms.FileField):
    pass


class AnswersForm(forms.Form):
    """One field per question of the call, in order; all optional here (a draft may be partial;
    submission checks the required ones)."""

    def __init__(self, *args, questions=(), answers=None, disabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        answers = answers or {}
        self.questions = list(questions)
        for q in self.questions:
            a = answers.get(q.pk)
            name = f"q{q.pk}"
            common = {"label": q.prompt, "required": False, "help_text": q.help_text, "disabled": disabled}
            field: _QuestionField
            if q.kind == QuestionKind.TEXT:
                field = _TextField(max_length=q.max_length, widget=forms.Textarea(attrs={"rows": 4}),
                                        initial=a.text if a else "", **common)
            elif q.kind == QuestionKind.CHOICE:
                field = _ChoiceField(choices=[(o, o) for o in q.options], widget=forms.RadioSelect,
                                          initial=a.text if a else None, **common)
            elif q.kind == QuestionKind.NUMBER:
                field = _NumberField(min_value=q.min_value, max_value=q.max_value, max_digits=16,
                                           decimal_places=2, initial=a.number if a else None, **common)
            else:
                field = _FileField(widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
                                        **common)
                field.help_text = (q.help_text + " " if q.help_text else "") + str(
                    _("A PDF of at most %(mb)d MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
            field.question = q
            field.answer = a
            field.required_question = q.required
            self.fields[name] = field

    def values(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions if q.kind != QuestionKind.FILE}

    def files_given(self):
        return [(q, self.cleaned_data[f"q{q.pk}"]) for q in self.questions
                if q.kind == QuestionKind.FILE and self.cleaned_data.get(f"q{q.pk}")]


class ScoreForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                              max_length=4000)

    def __init__(self, *args, criteria=(), score=None, disabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        marks = (score.marks if score else {}) or {}
        self.criteria = list(criteria)
        fields: dict[str, forms.Field] = {}
        for c in self.criteria:
            label = _("%(name)s (weight %(w)d)") % {"name": c.name, "w": c.weight}
            fields[f"c{c.pk}"] = forms.TypedChoiceField(
                label=label, choices=[(i, str(i)) for i in range(1, 6)], coerce=int, required=False,
                widget=forms.RadioSelect(attrs={"class": "inline-radios"}), help_text=c.description,
                initial=marks.get(str(c.pk)), disabled=disabled)
        fields["comment"] = self.fields.pop("comment")
        fields["comment"].initial = score.comment if score else ""
        fields["comment"].disabled = disabled
        self.fields = fields

    def marks(self) -> dict[str, int]:
        return {str(c.pk): self.cleaned_data[f"c{c.pk}"] for c in self.criteria
                if self.cleaned_data.get(f"c{c.pk}") not in (None, "")}
