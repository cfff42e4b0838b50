"""Ventures pages: centre. (A placeholder until the area is built.)"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _


def landing(request):
    return render(request, "ventures/_stub.html", {"title": _("Ventures")})


urlpatterns: list = [
    path("centre/", landing, name="centre"),
]
