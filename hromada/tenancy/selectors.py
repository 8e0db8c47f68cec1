from __future__ import annotations

import threading
import time

from django.conf import settings

from hromada.core.modules import Module, registry

from .models import Hromada, ModuleSwitch

# Host → tenant is resolved on every request; keep it in process memory (with the
# hromada's module switches and settings rows cached on the instance). A change of
# hosts, switches or settings reaches every server process within this many seconds.
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
    active = Hromada.objects.filter(is_active=True).all()
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
    return Hromada.objects.all().filter(slug=slug, is_active=True).first()


def modules_disabled(hromada: Hromada) -> frozenset[str]:
    """Labels of the modules `hromada` has switched off (cached on the instance)."""
    cached = getattr(hromada, "_modules_disabled", None)
    if cached is None:
        cached = frozenset(
            ModuleSwitch.objects.filter(hromada=hromada, enabled=False).values_list("module", flat=True)
        )
        hromada._modules_disabled = cached
    return cached


def module_enabled(hromada: Hromada | None, label: str) -> bool:
    """Whether `label` is installed and on for `hromada` (kernel parts always are)."""
    module = registry.get(label)
    if module is None:
        return False
    if module.kernel or hromada is None:
        return True
    return label not in modules_disabled(hromada)


def modules_enabled(hromada: Hromada | None) -> list[Module]:
    """The installed modules `hromada` uses, kernel parts first."""
    off = modules_disabled(hromada) if hromada is not None else frozenset()
    return [m for m in registry if m.kernel or m.label not in off]


def module_settings(*, hromada: Hromada, label: str):
    """The settings row of module `label` for `hromada`, created with the defaults when
    missing (a module installed after the hromada was created). None for a module
    without settings. Cached on the hromada instance, like the tenant itself."""
    module = registry.get(label)
    model = module.settings_model_class() if module else None
    if model is None:
        return None
    cache = hromada.__dict__.setdefault("_module_settings", {})
    row = cache.get(label)
    if row is None:
        row, _created = model.objects.get_or_create(hromada=hromada)
        cache[label] = row
    return row
