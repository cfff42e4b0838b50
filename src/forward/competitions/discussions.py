"""A competition's discussion board, described for discussions (which imports nothing from
competitions): `competitions.competition:<id>` is read by whoever sees the competition (everyone
once it is published), posted on by participants who accepted its rules, and moderated by the
host organization's admins and staff."""

from __future__ import annotations

from django.urls import reverse

from forward.discussions import boards

from . import permissions
from .models import Competition

COMPETITION = "competitions.competition"


def competition_board(competition: Competition) -> str:
    return boards.ref(COMPETITION, competition.pk)


def register() -> None:
    boards.register(
        COMPETITION, load=lambda pk: Competition.objects.select_related("host").filter(pk=pk).first(),
        title=lambda competition: competition.title,
        url=lambda competition: reverse("competitions:detail", args=[competition.slug]),
        can_read=permissions.can_view, can_post=permissions.is_registered, is_staff=permissions.is_host)
