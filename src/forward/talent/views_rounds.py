"""Talent pages: rounds."""

from __future__ import annotations

urlpatterns: list = []
