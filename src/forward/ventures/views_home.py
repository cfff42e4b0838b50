"""The ventures home: what there is to do here, for founders, investors and programme staff."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path

from . import permissions, todo


def home(request):
    user = request.user
    return render(request, "ventures/home.html", {
        "my_startups": list(permissions.startup_organizations(user).order_by("name")[:20])
        if user.is_authenticated and not permissions.is_operator(user) else [],
        "my_investors": list(permissions.investor_organizations(user).order_by("name")[:20])
        if user.is_authenticated and not permissions.is_operator(user) else [],
        "is_staff": permissions.is_programme_staff(user),
        "is_investor": permissions.is_investor(user),
        "waiting": todo.waiting_for(user),
    })


urlpatterns = [
    path("", home, name="home"),
]
