"""Operators set the programme's targets."""

from django.http import HttpResponse


def target_list(request):
    return HttpResponse("TODO")


def target_create(request):
    return HttpResponse("TODO")


def target_edit(request, pk):
    return HttpResponse("TODO")


def target_delete(request, pk):
    return HttpResponse("TODO")
