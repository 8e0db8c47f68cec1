"""Budget API (/api/v1/budget/…): every public read and every resident action. Each part
has its own router; thin: parse, call a selector or service."""

from __future__ import annotations

from ninja import Router

from . import api_projects, api_results, api_voting

router = Router(tags=["budget"])
router.add_router("", api_projects.router)
router.add_router("", api_voting.router)
router.add_router("", api_results.router)
