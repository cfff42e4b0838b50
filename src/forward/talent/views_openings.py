"""Talent pages: openings."""

from __future__ import annotations

urlpatterns: list = []
