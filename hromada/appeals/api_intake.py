"""API of the intake part (/api/v1/appeals/…)."""

from ninja import Router

router = Router()
