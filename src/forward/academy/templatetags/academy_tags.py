from django import template

from ..labels import assessment_type_label, designation_label

register = template.Library()


@register.filter
def designation(name):
    """A grade designation stored in a grading policy ("distinction") in the reader's language."""
    return designation_label(name)


@register.filter
def assessment_type(kind):
    """An assessment type of a grading policy ("quiz", "exam") in the reader's language."""
    return assessment_type_label(kind)
