"""The ventures router under /api/v1/ventures/, assembled from one router per area."""

from __future__ import annotations

from ninja import Router

from . import api_centre, api_cohorts, api_directory, api_events, api_intros, api_pipeline

router = Router(tags=["ventures"])
router.add_router("", api_directory.router)
router.add_router("", api_intros.router)
router.add_router("", api_pipeline.router)
router.add_router("", api_cohorts.router)
router.add_router("", api_events.router)
router.add_router("", api_centre.router)
