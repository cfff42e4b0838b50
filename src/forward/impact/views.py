"""Impact pages: the public page, a measure's page with its breakdowns, and the rows behind a number."""

from django.http import HttpResponse


def public(request):  # the public impact page (no sign-in)
    return HttpResponse("TODO")


def measure(request, slug):
    return HttpResponse("TODO")


def rows(request, slug):
    return HttpResponse("TODO")
