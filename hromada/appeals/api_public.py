"""API of the public part (/api/v1/appeals/…)."""

from ninja import Router

router = Router()
