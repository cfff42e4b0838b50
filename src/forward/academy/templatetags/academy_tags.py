from django import template

from ..labels import assessment_type_label, designation_label

register = template.Library()


@register.filter
def designation(name: str) -> str:
    """A grade designation stored in a grading policy ("distinction") in the reader's language."""
    return designation_label(name)


@register.filter
def assessment_type(kind: str) -> str:
    """An assessment type of a grading policy ("quiz", "exam") in the reader's language."""
    return assessment_type_label(kind)


@register.filter
def duration(minutes: float | str | None) -> str:
    """A length of time in minutes as people read it: "45 min", "2 h", "3 h 20 min"."""
    from django.utils.translation import gettext as _

    hours, rest = divmod(int(minutes or 0), 60)
    if not hours:
        return _("%(m)d min") % {"m": rest}
    if not rest:
        return _("%(h)d h") % {"h": hours}
    return _("%(h)d h %(m)d min") % {"h": hours, "m": rest}
