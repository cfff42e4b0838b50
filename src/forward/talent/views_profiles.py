"""Talent pages: profiles."""

from __future__ import annotations

urlpatterns: list = []
