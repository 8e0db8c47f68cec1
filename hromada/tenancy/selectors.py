from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from .models import Hromada

_CACHE_SECONDS = 30


def hromada_for_host(host: str) -> Hromada | None:
    """The hromada serving a host name. A one-hromada install answers on any host."""
    host = host.split(":")[0].lower().rstrip(".")
    key = f"hromada:host:{host}"
    hromada_id = cache.get(key)
    if hromada_id is None:
        hromada_id = _resolve_id(host) or 0
        cache.set(key, hromada_id, _CACHE_SECONDS)
    if not hromada_id:
        return None
    return Hromada.objects.select_related("statute").filter(pk=hromada_id).first()


def _resolve_id(host: str) -> int | None:
    active = Hromada.objects.filter(is_active=True)
    for pk, hosts in active.values_list("pk", "hosts"):
        if host in [h.lower() for h in (hosts or [])]:
            return pk
    if settings.DEFAULT_HROMADA_SLUG:
        match = active.filter(slug=settings.DEFAULT_HROMADA_SLUG).values_list("pk", flat=True).first()
        if match:
            return match
    ids = list(active.values_list("pk", flat=True)[:2])
    return ids[0] if len(ids) == 1 else None


def hromada_get(*, slug: str) -> Hromada | None:
    return Hromada.objects.select_related("statute").filter(slug=slug, is_active=True).first()
