"""Writes for the tenant: the statute settings a hromada's administrator changes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.services import ledger_append

from . import rules
from .models import Hromada, Statute
from .selectors import tenancy_cache_clear

STATUTE_FIELDS = (
    "petition_threshold",
    "petition_collection_days",
    "petition_moderation_days",
    "petition_consideration_days",
    "petition_min_age",
    "petition_sign_level",
    "petition_submit_level",
    "petition_signer_names",
)


def statute_update(*, actor, hromada: Hromada, population: int | None = None, **values) -> Statute:
    """Change the statute settings. Running petitions keep the rules they were
    submitted under; the change is recorded in the public ledger."""
    if not rules.can_change_statute(actor, hromada):
        raise PermissionDenied("forbidden", _("Змінювати статут може лише адміністратор громади."))
    unknown = set(values) - set(STATUTE_FIELDS)
    if unknown:
        raise DomainError("field_unknown", _("Невідоме поле статуту."), field=sorted(unknown)[0])
    with transaction.atomic():
        statute = Statute.objects.select_for_update().get(hromada=hromada)
        before = {f: getattr(statute, f) for f in STATUTE_FIELDS}
        for field, value in values.items():
            setattr(statute, field, value)
        try:
            statute.full_clean(exclude=["hromada"])
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise DomainError("statute_invalid", messages[0], field=field)
        changed = {f: getattr(statute, f) for f in STATUTE_FIELDS if getattr(statute, f) != before[f]}
        if population is not None and population != hromada.population:
            if population < 0:
                raise DomainError(
                    "population_invalid", _("Населення не може бути від'ємним."), field="population"
                )
            Hromada.objects.filter(pk=hromada.pk).update(population=population)
            hromada.population = population
            changed["population"] = population
        if not changed:
            return statute
        statute.save()
        ledger_append(hromada=hromada, kind="hromada.statute_changed", payload={"changed": changed})
        transaction.on_commit(tenancy_cache_clear)
    return statute
