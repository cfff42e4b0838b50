"""GET /api/v1/impact/measures and /api/v1/impact/measures/{slug}: public reads."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["impact"])
