"""Writes for the tenant: creating a hromada, its own facts, which modules it uses and
each module's settings. Every change is recorded in the public ledger."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.modules import registry
from hromada.ledger.services import ledger_append

from . import rules
from .models import Hromada, ModuleSwitch
from .selectors import module_settings, tenancy_cache_clear

# Fields of a settings model that are not settings.
_NOT_SETTINGS = {"id", "hromada", "created_at", "updated_at"}


def settings_fields(label: str) -> list[str]:
    """The editable fields of module `label`'s settings model, in declaration order."""
    module = registry.get(label)
    model = module.settings_model_class() if module else None
    if model is None:
        return []
    return [f.name for f in model._meta.concrete_fields if f.name not in _NOT_SETTINGS and f.editable]


def _json(value):
    return value if isinstance(value, bool | int | float | str) or value is None else str(value)


def hromada_create(
    *,
    name: str,
    slug: str,
    katottg: str,
    population: int = 0,
    hosts: list[str] | None = None,
    languages: list[str] | None = None,
    name_en: str = "",
    time_zone: str = "Europe/Kyiv",
) -> Hromada:
    """A new hromada with a settings row (the defaults) for every installed module."""
    hromada = Hromada(
        name=name,
        name_en=name_en,
        slug=slug,
        katottg=katottg,
        population=population,
        hosts=list(hosts or []),
        languages=list(languages or ["uk", "en"]),
        time_zone=time_zone,
    )
    try:
        hromada.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError("hromada_invalid", messages[0], field=field)
    with transaction.atomic():
        try:
            with transaction.atomic():
                hromada.save()
        except IntegrityError:
            raise DomainError(
                "hromada_exists", _("Громада з таким кодом уже існує."), field="slug", status=409
            )
        hromada_settings_ensure(hromada=hromada)
        ledger_append(
            hromada=hromada,
            kind="hromada.created",
            payload={"name": hromada.name, "slug": hromada.slug, "katottg": hromada.katottg},
        )
        transaction.on_commit(tenancy_cache_clear)
    return hromada


def hromada_settings_ensure(*, hromada: Hromada) -> None:
    """Create the missing settings rows of `hromada` (defaults), e.g. for a hromada
    saved in the admin or a module installed later."""
    for module in registry:
        model = module.settings_model_class()
        if model is not None:
            model.objects.get_or_create(hromada=hromada)


def hromada_update(*, actor, hromada: Hromada, population: int) -> Hromada:
    """Change the hromada's own facts the administrator keeps (its population, used in
    statistics)."""
    if not rules.can_change_settings(actor, hromada):
        raise PermissionDenied("forbidden", _("Змінювати налаштування може лише адміністратор громади."))
    if population is None or population < 0:
        raise DomainError("population_invalid", _("Населення не може бути від'ємним."), field="population")
    if population == hromada.population:
        return hromada
    with transaction.atomic():
        Hromada.objects.filter(pk=hromada.pk).update(population=population)
        hromada.population = population
        ledger_append(
            hromada=hromada, kind="hromada.settings_changed", payload={"changed": {"population": population}}
        )
        transaction.on_commit(tenancy_cache_clear)
    return hromada


def module_settings_update(*, actor, hromada: Hromada, module: str, **values):
    """Change module `module`'s settings for `hromada`. Work already under way keeps the
    rules it started under (each module copies what it needs); the change is ledgered."""
    if not rules.can_change_settings(actor, hromada):
        raise PermissionDenied("forbidden", _("Змінювати налаштування може лише адміністратор громади."))
    fields = settings_fields(module)
    if not fields:
        raise DomainError("module_unknown", _("Цей модуль не має налаштувань."), field="module")
    unknown = set(values) - set(fields)
    if unknown:
        raise DomainError("field_unknown", _("Невідоме поле налаштувань."), field=sorted(unknown)[0])
    found = registry.get(module)
    assert found is not None  # settings_fields found its settings model
    model = found.settings_model_class()
    with transaction.atomic():
        module_settings(hromada=hromada, label=module)  # creates the row when missing
        row = model.objects.select_for_update().get(hromada=hromada)
        before = {f: getattr(row, f) for f in fields}
        for field, value in values.items():
            setattr(row, field, value)
        try:
            row.full_clean(exclude=["hromada"])
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise DomainError("settings_invalid", messages[0], field=field)
        changed = {f: _json(getattr(row, f)) for f in fields if getattr(row, f) != before[f]}
        if changed:
            row.save()
            ledger_append(
                hromada=hromada,
                kind="hromada.settings_changed",
                payload={"module": module, "changed": changed},
            )
            transaction.on_commit(tenancy_cache_clear)
    hromada.__dict__.setdefault("_module_settings", {})[module] = row
    return row


def module_switch_set(*, actor, hromada: Hromada, module: str, enabled: bool) -> bool:
    """Switch module `module` on or off for `hromada`: while off, its pages, navigation
    and API answer as if it were not installed. Its data is kept. True when changed."""
    if not rules.can_change_settings(actor, hromada):
        raise PermissionDenied("forbidden", _("Змінювати налаштування може лише адміністратор громади."))
    target = registry.get(module)
    if target is None or target.kernel:
        raise DomainError("module_unknown", _("Такого модуля немає."), field="module")
    with transaction.atomic():
        switch, _created = ModuleSwitch.objects.select_for_update().get_or_create(
            hromada=hromada, module=module, defaults={"enabled": True}
        )
        if switch.enabled == bool(enabled):
            return False
        switch.enabled = bool(enabled)
        switch.save(update_fields=["enabled", "updated_at"])
        ledger_append(
            hromada=hromada,
            kind="hromada.module_switched",
            payload={"module": module, "enabled": bool(enabled)},
        )
        transaction.on_commit(tenancy_cache_clear)
    tenancy_cache_clear()  # this process at once; every process after commit
    hromada.__dict__.pop("_modules_disabled", None)
    return True
