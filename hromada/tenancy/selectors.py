from __future__ import annotations

import threading
import time

from django.conf import settings

from .models import Hromada

# Host → tenant is resolved on every request; keep it in process memory. A change of
# hosts or statute reaches every server process within this many seconds.
CACHE_SECONDS = 30

_cache: dict[str, tuple[float, Hromada | None]] = {}
_lock = threading.Lock()


def tenancy_cache_clear() -> None:
    with _lock:
        _cache.clear()


def hromada_for_host(host: str) -> Hromada | None:
    """The hromada serving a host name. A one-hromada install answers on any host."""
    host = host.split(":")[0].lower().rstrip(".")
    now = time.monotonic()
    hit = _cache.get(host)
    if hit is not None and hit[0] > now:
        return hit[1]
    hromada = _resolve(host)
    with _lock:
        _cache[host] = (now + CACHE_SECONDS, hromada)
    return hromada


def _resolve(host: str) -> Hromada | None:
    active = Hromada.objects.filter(is_active=True).select_related("statute")
    candidates = list(Hromada.objects.filter(is_active=True).values_list("pk", "hosts"))
    for pk, hosts in candidates:
        if host in [h.lower() for h in (hosts or [])]:
            return active.get(pk=pk)
    if settings.DEFAULT_HROMADA_SLUG:
        match = active.filter(slug=settings.DEFAULT_HROMADA_SLUG).first()
        if match:
            return match
    return active.first() if len(candidates) == 1 else None


def hromada_get(*, slug: str) -> Hromada | None:
    return Hromada.objects.select_related("statute").filter(slug=slug, is_active=True).first()
