"""Appeals API (/api/v1/appeals/…): residents' submissions, the public map and report
reads, the applicant's own cases, and staff actions. Thin: parse, call a selector or
a service. Open311 GeoReport v2 is separate, at /open311/v2/ (open311/)."""

from __future__ import annotations

from ninja import Router

from . import api_intake, api_public, api_work

router = Router(tags=["appeals"])
router.add_router("", api_intake.router)
router.add_router("", api_public.router)
router.add_router("", api_work.router)
