"""The address index: AddressKey rows, one per way of writing a street or a building.

A street "вулиця Тараса Шевченка" (formerly "вулиця Леніна") gives the keys
"тараса шевченка", "шевченка", "tarasa shevchenka", "shevchenka", "леніна", "lenina";
each of its buildings the same keys followed by its house key ("шевченка 12а").
Autocomplete is a prefix lookup over `key` (lookup.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .addresses import fold
from .models import AddressKey, Building, Street, StreetName
from .translit import transliterate


def name_keys(name: str) -> list[str]:
    """The folded name and its tails ("тараса шевченка", "шевченка"), and the same in Latin."""
    words = fold(name).split()
    tails = [" ".join(words[i:]) for i in range(len(words))]
    latin = [fold(transliterate(t)) for t in tails]
    seen: dict[str, None] = {}
    for key in (*tails, *latin):
        if key:
            seen.setdefault(key, None)
    return list(seen)


def _keys_for(
    street: Street, formers: Iterable[StreetName], buildings: Iterable[Building]
) -> Iterator[AddressKey]:
    names: list[tuple[str, StreetName | None]] = [(street.name, None)]
    names += [(f.name, f) for f in formers]
    houses = list(buildings)
    for name, former in names:
        for key in name_keys(name):
            yield AddressKey(
                hromada_id=street.hromada_id, street=street, building=None, key=key[:260], former=former
            )
            for building in houses:
                yield AddressKey(
                    hromada_id=street.hromada_id,
                    street=street,
                    building=building,
                    key=f"{key} {building.house_key}"[:260],
                    former=former,
                )


def index_streets(streets: Iterable[Street]) -> int:
    """Rebuild the keys of these streets and their buildings (in the caller's transaction)."""
    streets = list(streets)
    if not streets:
        return 0
    ids = [s.pk for s in streets]
    AddressKey.objects.filter(street_id__in=ids).delete()
    formers: dict[int, list[StreetName]] = {}
    for f in StreetName.objects.filter(street_id__in=ids):
        formers.setdefault(f.street_id, []).append(f)
    houses: dict[int, list[Building]] = {}
    for b in Building.objects.filter(street_id__in=ids).only("pk", "street_id", "house_key"):
        houses.setdefault(b.street_id, []).append(b)
    rows = [k for s in streets for k in _keys_for(s, formers.get(s.pk, ()), houses.get(s.pk, ()))]
    AddressKey.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def index_street(street: Street) -> int:
    return index_streets([street])
