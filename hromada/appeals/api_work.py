"""API of the work part (/api/v1/appeals/…)."""

from ninja import Router

router = Router()
