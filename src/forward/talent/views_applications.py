"""Talent pages: applications."""

from __future__ import annotations

urlpatterns: list = []
