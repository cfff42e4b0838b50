"""The talent router under /api/v1/talent/, assembled from one router per area."""

from __future__ import annotations

from ninja import Router

from . import api_applications, api_openings, api_profiles, api_recommendations, api_rounds

router = Router(tags=["talent"])
router.add_router("", api_profiles.router)
router.add_router("", api_openings.router)
router.add_router("", api_applications.router)
router.add_router("", api_recommendations.router)
router.add_router("", api_rounds.router)
