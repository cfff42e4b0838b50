"""Authoring forms: they parse and validate what an instructor types; services do the writes."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from forward import boundedjson
from forward.core.models import Organization, Skill

from .grading import policy_errors
from .models import (
    Assessment,
    AssessmentKind,
    Course,
    Lesson,
    LessonKind,
    Level,
    QuestionKind,
)


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's own copy of a model choice field declared on it (to set its queryset)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a model choice field")
    return field


RESERVED_SLUGS = {"my", "teaching", "studio", "programmes", "runs", "certifications", "api"}


class CourseForm(forms.Form):
    owner: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Organization"), queryset=None, empty_label=None,
        help_text=_("The course is published in this organization's name."))
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(label=_("Short name in the address"), max_length=80, required=False,
                           help_text=_("Letters, digits and hyphens. Left empty, it is made from the title."))
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    estimated_hours = forms.IntegerField(label=_("Estimated hours"), min_value=1, max_value=2000, initial=10)
    credit_units = forms.DecimalField(label=_("Credit units"), min_value=0, max_value=99, decimal_places=1,
                                      initial=0)
    skills = forms.ModelMultipleChoiceField(label=_("Skills taught"), queryset=Skill.objects.all(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    new_skills = forms.CharField(label=_("Other skills"), required=False, max_length=500,
                                 help_text=_("Comma-separated; they join the shared skill list."))
    prerequisites = forms.ModelMultipleChoiceField(label=_("Prerequisites"), queryset=Course.objects.none(),
                                                   required=False, widget=forms.CheckboxSelectMultiple,
                                                   help_text=_("Courses a learner must pass before enrolling."))
    grading_policy = forms.CharField(
        label=_("Grading policy (JSON)"), required=False, widget=forms.Textarea(attrs={"rows": 8, "class": "mono"}),
        help_text=_("Assessment types with weight, min_count and drop_lowest, and grade cutoffs. Empty uses the "
                    "default: quizzes 30%, exam 70%; pass 50%, merit 70%, distinction 85%."))

    def __init__(self, *args, owners=None, course: Course | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        if course is None:
            model_choice_field(self, "owner").queryset = owners
        else:
            del self.fields["owner"]
        others = Course.objects.published()
        if course is not None:
            others = others.exclude(pk=course.pk)
        model_choice_field(self, "prerequisites").queryset = others.order_by("title")

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"] or slugify(self.cleaned_data.get("title", ""))[:80]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("“%(slug)s” is a page of the academy. Choose another short name.")
                                        % {"slug": slug})
        taken = Course.objects.filter(slug=slug)
        if self.course is not None:
            taken = taken.exclude(pk=self.course.pk)
        if slug and taken.exists():
            raise forms.ValidationError(_("Another course uses “%(slug)s”. Choose another short name.")
                                        % {"slug": slug})
        return slug

    def clean_grading_policy(self) -> dict:
        text = self.cleaned_data["grading_policy"].strip()
        if not text:
            return {}
        try:
            policy = boundedjson.loads(text)
        except boundedjson.JSONLimitError as exc:
            where = exc.params or {}
            if "line" not in where:  # too deep, too long a number, not finite
                raise forms.ValidationError(exc.message(_)) from None
            raise forms.ValidationError(_("This is not valid JSON (line %(line)d, column %(col)d: %(msg)s).")
                                        % {"line": where["line"], "col": where["column"], "msg": where["error"]}) from None
        if not isinstance(policy, dict):
            raise forms.ValidationError(_("The policy is an object with “types” and “cutoffs”."))
        errors = policy_errors(policy)
        if errors:
            raise forms.ValidationError(errors)
        return policy

    def clean_new_skills(self) -> list[tuple[str, str]]:
        """The skills typed in, as (slug, name) pairs: the course service adds those not on the shared
        list yet, after its permission check and in its transaction (a form writes nothing)."""
        names = [n.strip() for n in self.cleaned_data["new_skills"].split(",") if n.strip()]
        unusable = [name for name in names if not slugify(name)[:80]]
        if unusable:
            raise forms.ValidationError([_("“%(name)s” is not a usable skill name.") % {"name": name}
                                         for name in unusable])
        return [(slugify(name)[:80], name[:120]) for name in names]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {"title": data["title"], "slug": data["slug"], "summary": data["summary"], "level": data["level"],
                "language": data["language"], "estimated_hours": data["estimated_hours"],
                "credit_units": data["credit_units"], "skills": list(data["skills"]), "new_skills": data["new_skills"],
                "prerequisites": list(data["prerequisites"]), "grading_policy": data["grading_policy"]}

    @staticmethod
    def initial_for(course: Course) -> dict:
        return {"title": course.title, "slug": course.slug, "summary": course.summary, "level": course.level,
                "language": course.language, "estimated_hours": course.estimated_hours,
                "credit_units": course.credit_units, "skills": list(course.skills.all()),
                "prerequisites": list(course.prerequisites.all()),
                "grading_policy": json.dumps(course.grading_policy, indent=2) if course.grading_policy else ""}


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Module title"), max_length=200)


class LessonForm(forms.ModelForm):
    slug = forms.SlugField(label=_("Short name in the address"), max_length=80, required=False,
                           help_text=_("Left empty, it is made from the title."))
    video = forms.FileField(label=_("Upload a video (MP4 or WebM)"), required=False,
                            help_text=_("Or give a video URL above. The upload replaces any earlier one."))
    remove_video = forms.BooleanField(label=_("Remove the uploaded video"), required=False)
    lab_url = forms.URLField(label=_("Lab link"), required=False, assume_scheme="https")

    class Meta:
        model = Lesson
        fields = ["title", "slug", "kind", "minutes", "video_url", "captions_vtt", "transcript", "body", "lab_url"]
        widgets = {"captions_vtt": forms.Textarea(attrs={"rows": 4, "class": "mono"}),
                   "transcript": forms.Textarea(attrs={"rows": 4}), "body": forms.Textarea(attrs={"rows": 10})}
        labels = {"body": _("Text (Markdown)"), "minutes": _("Minutes")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean_video_url(self) -> str:
        url = self.cleaned_data["video_url"].strip()
        # https only: the Content-Security-Policy lets media come from the site itself or over https.
        if url and not (url.startswith(("https://", "/"))):
            raise forms.ValidationError(_("Give a full address (https://…) of an MP4 file or an HLS (.m3u8) stream."))
        return url

    def clean_captions_vtt(self) -> str:
        text = self.cleaned_data["captions_vtt"].replace("\r\n", "\n")
        if text.strip() and not text.lstrip("\ufeff").startswith("WEBVTT"):
            raise forms.ValidationError(_("Captions must be WebVTT: the text starts with the line “WEBVTT”."))
        return text

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == LessonKind.LAB and not data.get("lab_url") and not data.get("body"):
            self.add_error("lab_url", _("A lab needs instructions or a link."))
        return data

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        return {**{k: data[k] for k in self.Meta.fields if k != "slug"}, "slug": data.get("slug") or "",
                "video": data.get("video"), "remove_video": data.get("remove_video", False)}


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["kind", "title", "time_limit_minutes", "attempts_allowed", "questions_per_attempt",
                  "shuffle_options", "closes_at", "pass_mark", "category"]
        widgets = {"closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == AssessmentKind.EXAM and not data.get("time_limit_minutes"):
            self.add_error("time_limit_minutes", _("An exam is timed: give its time limit in minutes."))
        pass_mark = data.get("pass_mark")
        if pass_mark is not None and not 0 <= pass_mark <= 100:
            self.add_error("pass_mark", _("The pass mark is a percentage between 0 and 100."))
        return data


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    prompt = forms.CharField(label=_("Question (Markdown)"), widget=forms.Textarea(attrs={"rows": 3}))
    options = forms.CharField(label=_("Options, one per line"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}), help_text=_("For single and multiple choice."))
    correct = forms.CharField(
        label=_("Correct answer"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Choice: the numbers of the right options (1 is the first), comma-separated. Number: the value. "
                    "Short text: accepted answers, one per line (case and spacing are ignored)."))
    tolerance = forms.FloatField(label=_("Tolerance (numbers)"), required=False, min_value=0, initial=0)
    pattern = forms.CharField(label=_("Pattern (short text, a regular expression)"), required=False, max_length=300)
    points = forms.FloatField(label=_("Points"), min_value=0.1, max_value=1000, initial=1)
    explanation = forms.CharField(label=_("Explanation shown after answering"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        super().clean()
        data = self.cleaned_data
        kind = data.get("kind")
        options = [line.strip() for line in data.get("options", "").splitlines() if line.strip()]
        correct_text = data.get("correct", "").strip()
        data["options_list"], data["correct_list"] = [], []
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if len(options) < 2:
                self.add_error("options", _("Give at least two options, one per line."))
                return data
            try:
                numbers = sorted({int(x) for x in re.split(r"[,\s]+", correct_text) if x})
            except ValueError:
                self.add_error("correct", _("Give option numbers such as 1 or 1, 3."))
                return data
            if not numbers or any(n < 1 or n > len(options) for n in numbers):
                self.add_error("correct", _("Option numbers go from 1 to %(n)d.") % {"n": len(options)})
            elif kind == QuestionKind.SINGLE and len(numbers) != 1:
                self.add_error("correct", _("A single-choice question has exactly one right option."))
            data["options_list"], data["correct_list"] = options, [n - 1 for n in numbers]
        elif kind == QuestionKind.NUMERIC:
            try:
                value = float(correct_text.replace(",", ""))
            except ValueError:
                self.add_error("correct", _("Give the right answer as a number, such as 42 or 0.5."))
                return data
            data["correct_list"] = [int(value) if value.is_integer() else value]
        else:
            pattern = data.get("pattern", "")
            if pattern:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    self.add_error("pattern", _("This pattern is not a valid regular expression: %(e)s") % {"e": exc})
            answers = [line.strip() for line in correct_text.splitlines() if line.strip()]
            if not answers and not pattern:
                self.add_error("correct", _("Give at least one accepted answer, or a pattern."))
            data["correct_list"] = answers
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {"kind": data["kind"], "prompt": data["prompt"], "options": data["options_list"],
                "correct": data["correct_list"], "tolerance": data.get("tolerance") or 0,
                "pattern": data.get("pattern", ""), "points": data["points"], "explanation": data["explanation"]}

    @staticmethod
    def initial_for(question) -> dict:
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            correct = ", ".join(str(i + 1) for i in question.correct)
        else:
            correct = "\n".join(str(c) for c in question.correct)
        return {"kind": question.kind, "prompt": question.prompt, "options": "\n".join(question.options),
                "correct": correct, "tolerance": question.tolerance, "pattern": question.pattern,
                "points": question.points, "explanation": question.explanation}


class AuthorForm(forms.Form):
    email = forms.EmailField(label=_("Email of a Forward user"))


class RunForm(forms.Form):
    university: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Offered at"), queryset=None, required=False, empty_label=_("Open to everyone"))
    cohort = forms.CharField(label=_("Cohort name"), max_length=120,
                             help_text=_("For example “Semester 1, 2027” or “Evening class, Jakarta”."))
    enrolment_ends = forms.DateTimeField(label=_("Enrolment closes"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    starts_at = forms.DateTimeField(label=_("Starts"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    ends_at = forms.DateTimeField(label=_("Ends"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    instructors = forms.CharField(
        label=_("Instructors"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Email addresses, one per line: the university's own staff or visiting professors from "
                    "industry. They see the cohort's progress and grades."))

    def __init__(self, *args, universities=None, allow_open: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        field = model_choice_field(self, "university")
        field.queryset = universities
        if not allow_open:
            field.required, field.empty_label = True, None

    def instructor_emails(self) -> list[str]:
        return [line.strip() for line in re.split(r"[\s,;]+", self.cleaned_data["instructors"]) if line.strip()]
