"""Ventures pages: intros. (A placeholder until the area is built.)"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _


def landing(request):
    return render(request, "ventures/_stub.html", {"title": _("Ventures")})


urlpatterns: list = [
    path("introductions/", landing, name="intro_list"),
    path("introductions/ask/", landing, name="intro_request"),  # ?to=<organization id>
]
