"""Words that grading stores as data (a course's grading policy is JSON: assessment types "quiz" and
"exam", designations "distinction", "merit", "pass"), shown in the reader's language. A policy may
name its own designations; a name this table does not know is shown as the course wrote it."""

from django.utils.translation import pgettext_lazy

from .models import AssessmentKind

DESIGNATIONS = {
    "distinction": pgettext_lazy("grade designation", "Distinction"),
    "merit": pgettext_lazy("grade designation", "Merit"),
    "pass": pgettext_lazy("grade designation", "Pass"),
    "credit": pgettext_lazy("grade designation", "Credit"),
    "high distinction": pgettext_lazy("grade designation", "High distinction"),
}

ASSESSMENT_TYPES = {kind.value: kind.label for kind in AssessmentKind}


def designation_label(name: str) -> str:
    if not name:
        return ""
    label = DESIGNATIONS.get(str(name).strip().lower())
    return str(label) if label is not None else str(name)


def assessment_type_label(kind: str) -> str:
    label = ASSESSMENT_TYPES.get(str(kind).strip().lower())
    return str(label) if label is not None else str(kind)
