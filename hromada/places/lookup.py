"""Finding an address the way people type it: autocomplete (`suggest`) and forward
geocoding (`find`).

What is typed is cut into an optional settlement ("Вербівка, Шкільна 3"), a street name
without its type word and a house key (addresses.parse), and looked up as a prefix of
AddressKey.key (search.py writes one key per way of writing a street or a building:
current and former names, with and without the given name, in Cyrillic and in the
official Latin). Two lookups, both index range scans:

- street level: keys of streets (building empty) starting with the street part, over a
  partial index of street keys only (migration 0002_a_trgm), so a short prefix does not
  walk the keys of every building of every street it matches;
- building level: keys starting with "<street> <house>" over the (hromada, key) index.

On PostgreSQL a prefix is `key LIKE 'p%'` (the varchar_pattern_ops indexes answer it in
any collation); elsewhere it is the range `key >= p AND key < p || U+10FFFF`, which is
a prefix in SQLite's bytewise order. Rows come back unordered (a pattern_ops index does
not give ORDER BY key) and are ranked here.

An address that does not exist raises AddressNotFound with the nearest matches: the
same street's nearest house numbers, else streets by trigram similarity (PostgreSQL
with pg_trgm), else by the first letters and difflib's edit ratio."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext as _

from .addresses import AddressInvalid, fold, parse
from .models import AddressKey, Building, Settlement, Street, StreetName
from .translit import transliterate

__all__ = ["AddressInvalid", "AddressNotFound", "Suggestion", "find", "suggest"]

KEY_MAX = 260
MIN_CHARS = 2  # fewer letters than this suggest nothing (every street would match)
LIMIT_MAX = 50
_STREET_CAP = 300  # street-level key rows read per lookup
_BUILDING_CAP = 300  # building-level key rows read per lookup
_TOP = "\U0010ffff"
_CYRILLIC = re.compile(r"[а-яіїєґ]")
_SETTLEMENT_WORDS = ("м.", "м", "місто", "с.", "с", "село", "смт", "смт.", "сел.", "селище", "с-ще")


class AddressNotFound(Exception):
    """No such address in the hromada; `suggestions` are the nearest that exist."""

    code = "address_not_found"

    def __init__(self, message: str, suggestions: list[Suggestion]) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "street" | "building"
    label: str  # the current address: "вулиця Героїв Майдану, 12А, Кам’янка"
    former: str  # the former name that matched ("вулиця Леніна"), or ""
    street_id: str
    building_id: str
    lat: float | None
    lon: float | None
    settlement: str
    # For callers inside the process (not serialised): the rows themselves.
    street: Street | None = field(default=None, compare=False, repr=False)
    building: Building | None = field(default=None, compare=False, repr=False)


# --- understanding what was typed ---------------------------------------------------------


@dataclass(frozen=True)
class _Query:
    street: str  # folded street part, no type word
    street_type: str
    house: str
    settlement_id: int | None
    latin: bool


def _settlements(hromada_id: int) -> list[tuple[int, str, str, bool]]:
    rows = Settlement.objects.filter(hromada_id=hromada_id).values_list("pk", "name", "name_en", "is_centre")
    out = []
    for pk, name, name_en, centre in rows:
        out.append((pk, fold(name), fold(name_en or transliterate(name)).replace("'", ""), centre))
    return out


def _strip_settlement(hromada_id: int, folded: str) -> tuple[str, int | None]:
    """ "вербівка, шкільна 3", "с. вербівка шкільна 3", "шкільна 3, вербівка" → ("шкільна 3", id)."""
    candidates = sorted(_settlements(hromada_id), key=lambda s: -len(s[1]))
    text = folded
    for word in _SETTLEMENT_WORDS:
        if text.startswith(word + " "):
            text = text[len(word) + 1 :].lstrip()
            break
    for pk, name, latin, _centre in candidates:
        for variant in (name, latin):
            if not variant:
                continue
            if text.startswith(variant) and text[len(variant) : len(variant) + 1] in (",", " "):
                rest = text[len(variant) :].lstrip(" ,")
                if rest:
                    return rest, pk
            tail = "," + " " + variant
            if folded.endswith(tail) or folded.endswith("," + variant):
                rest = folded[: -len(variant)].rstrip(" ,")
                for word in _SETTLEMENT_WORDS:  # "шкільна 3, с. вербівка"
                    if rest.endswith(" " + word) or rest.endswith("," + word):
                        rest = rest[: -len(word)].rstrip(" ,")
                if rest:
                    return rest, pk
    return folded, None


def _understand(hromada_id: int, q: str) -> _Query:
    folded = fold(q or "")[:300]
    rest, settlement_id = _strip_settlement(hromada_id, folded)
    parsed = parse(rest)
    street = parsed.street
    latin = not _CYRILLIC.search(street)
    if latin:
        street = street.replace("'", "")  # the official table writes no apostrophe
    return _Query(street[:KEY_MAX], parsed.street_type, parsed.house, settlement_id, latin)


# --- index lookups ---------------------------------------------------------------------------


def _prefix(qs, prefix: str):
    if connection.vendor == "postgresql":
        return qs.filter(key__startswith=prefix)
    return qs.filter(key__gte=prefix, key__lt=prefix + _TOP)


def _street_rows(hromada_id: int, prefix: str, *, exact: bool = False) -> list[tuple[int, int | None, str]]:
    """(street_id, former_id, key) of street-level keys starting with (or equal to) prefix."""
    qs = AddressKey.objects.filter(hromada_id=hromada_id, building__isnull=True)
    qs = qs.filter(key=prefix) if exact else _prefix(qs, prefix)
    return list(qs.values_list("street_id", "former_id", "key")[:_STREET_CAP])


def _building_rows(
    hromada_id: int, prefix: str, *, exact: bool = False
) -> list[tuple[int, int, int | None, str]]:
    qs = AddressKey.objects.filter(hromada_id=hromada_id)
    qs = qs.filter(key=prefix) if exact else _prefix(qs, prefix)
    rows = qs.values_list("street_id", "building_id", "former_id", "key")[:_BUILDING_CAP]
    return [r for r in rows if r[1] is not None]


def _load(street_ids, building_ids, former_ids):
    streets = {s.pk: s for s in Street.objects.filter(pk__in=set(street_ids)).select_related("settlement")}
    buildings = {
        b.pk: b
        for b in Building.objects.filter(pk__in=set(building_ids)).only(
            "pk", "public_id", "street_id", "number", "house_key", "lat", "lon", "hromada_id"
        )
    }
    formers = {f.pk: f for f in StreetName.objects.filter(pk__in={f for f in former_ids if f})}
    return streets, buildings, formers


# --- ordering ----------------------------------------------------------------------------------


def house_order(key: str) -> tuple:
    """Sort key of a house key: 1 < 1/2 < 1а < 2 < 10 (territories.house_order is the
    same order, shared by lookups and territory rules)."""
    from .territories import house_order as order

    return order(key)


def street_label(street: Street) -> str:
    return f"{street.street_type} {street.name}"


def _suggestion(street: Street, building: Building | None, former: StreetName | None) -> Suggestion:
    settlement = street.settlement.name
    parts = [street_label(street)]
    if building is not None:
        parts.append(building.number)
    parts.append(settlement)
    lat = building.lat if building is not None else street.settlement.lat
    lon = building.lon if building is not None else street.settlement.lon
    return Suggestion(
        kind="building" if building is not None else "street",
        label=", ".join(parts),
        former=f"{former.street_type} {former.name}" if former is not None else "",
        street_id=str(street.public_id),
        building_id=str(building.public_id) if building is not None else "",
        lat=lat,
        lon=lon,
        settlement=settlement,
        street=street,
        building=building,
    )


def _rank_key(query: _Query, street: Street, former: StreetName | None, key_street: str) -> tuple:
    typed_type = query.street_type
    street_type = former.street_type if former is not None else street.street_type
    return (
        key_street != query.street,  # the whole name typed before a prefix of it
        bool(typed_type) and street_type != typed_type,
        former is not None,  # the current name before a former one
        query.settlement_id is not None and street.settlement_id != query.settlement_id,
        not street.settlement.is_centre,
        street.settlement.name,
        street.name_key,
    )


def _streets_suggestions(query: _Query, rows, limit: int) -> list[Suggestion]:
    streets, _b, formers = _load([r[0] for r in rows], (), [r[1] for r in rows])
    best: dict[int, tuple[tuple, Suggestion]] = {}
    for street_id, former_id, key in rows:
        street = streets.get(street_id)
        if street is None:
            continue
        if query.settlement_id is not None and street.settlement_id != query.settlement_id:
            continue
        former = formers.get(former_id) if former_id else None
        rank = _rank_key(query, street, former, key)
        if street_id not in best or rank < best[street_id][0]:
            best[street_id] = (rank, _suggestion(street, None, former))
    return [s for _r, s in sorted(best.values(), key=lambda x: x[0])][:limit]


def _buildings_suggestions(query: _Query, rows, limit: int) -> list[Suggestion]:
    streets, buildings, formers = _load([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
    best: dict[int, tuple[tuple, Suggestion]] = {}
    for street_id, building_id, former_id, key in rows:
        street, building = streets.get(street_id), buildings.get(building_id)
        if street is None or building is None:
            continue
        if query.settlement_id is not None and street.settlement_id != query.settlement_id:
            continue
        former = formers.get(former_id) if former_id else None
        key_street = key[: -len(building.house_key) - 1] if key.endswith(" " + building.house_key) else key
        rank = (
            building.house_key != query.house,  # exactly the house typed first
            *_rank_key(query, street, former, key_street)[:3],
            house_order(building.house_key),
            *_rank_key(query, street, former, key_street)[3:],
        )
        if building_id not in best or rank < best[building_id][0]:
            best[building_id] = (rank, _suggestion(street, building, former))
    return [s for _r, s in sorted(best.values(), key=lambda x: x[0])][:limit]


def _houses_of(query: _Query, street_rows, *, exact: bool, limit: int) -> list[Suggestion]:
    """Buildings with house key `query.house` (or starting with it) on the streets of
    these street-level rows: for a street typed in part ("шевч 12")."""
    ids = {r[0] for r in street_rows}
    if not ids or not query.house:
        return []
    qs = Building.objects.filter(street_id__in=ids)
    qs = (
        qs.filter(house_key=query.house)
        if exact
        else qs.filter(house_key__gte=query.house, house_key__lt=query.house + _TOP)
    )
    by_street: dict[int, list[tuple[int, int | None, str]]] = {}
    for row in street_rows:
        by_street.setdefault(row[0], []).append(row)
    rows = []
    for street_id, building_id, key in qs.values_list("street_id", "pk", "house_key")[:_BUILDING_CAP]:
        for _s, former_id, street_key in by_street.get(street_id, ()):
            rows.append((street_id, building_id, former_id, f"{street_key} {key}"))
    return _buildings_suggestions(query, rows, limit)


# --- the public functions ----------------------------------------------------------------------


def suggest(*, hromada, q: str, limit: int = 10) -> list[Suggestion]:
    """Streets and buildings of this hromada for what has been typed so far, best first.
    Nothing (not an error) for text that cannot become an address yet."""
    limit = max(1, min(int(limit), LIMIT_MAX))
    try:
        query = _understand(hromada.pk, q)
    except AddressInvalid:
        return []
    if len(query.street) < MIN_CHARS:
        return []
    found = _suggest(hromada.pk, query, limit)
    if not found and query.settlement_id is not None:
        # The "settlement" may have been part of a street's name ("Вербівська").
        found = _suggest(hromada.pk, _understand_plain(q, query), limit)
    return found


def _understand_plain(q: str, query: _Query) -> _Query:
    parsed = parse(fold(q)[:300])
    street = parsed.street.replace("'", "") if query.latin else parsed.street
    return _Query(street[:KEY_MAX], parsed.street_type, parsed.house, None, query.latin)


def _suggest(hromada_id: int, query: _Query, limit: int) -> list[Suggestion]:
    if query.house:
        key = f"{query.street} {query.house}"[:KEY_MAX]
        # The exact key first: a capped prefix read over many streets of one surname
        # ("… Шевченка 1") must not leave the house typed exactly out.
        rows = _building_rows(hromada_id, key, exact=True) + _building_rows(hromada_id, key)
        found = _buildings_suggestions(query, rows, limit)
        if found:
            return found
        return _houses_of(query, _street_rows(hromada_id, query.street), exact=False, limit=limit)
    return _streets_suggestions(query, _street_rows(hromada_id, query.street), limit)


def find(*, hromada, q: str) -> Suggestion:
    """The one address meant by `q` (forward geocoding: its point is lat/lon).

    Raises AddressInvalid when the text holds no street name, AddressNotFound (with the
    nearest matches) when no such street or house is in the hromada. Two streets of one
    name in different settlements: the one in the settlement named in the query, else
    the hromada's centre, else the first by settlement name (the suggestions list both)."""
    query = _understand(hromada.pk, q)
    found = _find(hromada.pk, query)
    if found is None and query.settlement_id is not None:
        query = _understand_plain(q, query)
        found = _find(hromada.pk, query)
    if found is not None:
        return found
    raise AddressNotFound(_not_found_message(q, query), nearest(hromada_id=hromada.pk, query=query))


def _find(hromada_id: int, query: _Query) -> Suggestion | None:
    if query.house:
        rows = _building_rows(hromada_id, f"{query.street} {query.house}"[:KEY_MAX], exact=True)
        found = _buildings_suggestions(query, rows, 1)
        if found:
            return found[0]
        # A street typed in part ("Шевч 12") that names one street only.
        streets = _street_rows(hromada_id, query.street)
        if query.settlement_id is not None:
            streets = _in_settlement(streets, query.settlement_id)
        if len({r[0] for r in streets}) == 1:
            found = _houses_of(query, streets, exact=True, limit=1)
            if found:
                return found[0]
        return None
    rows = _street_rows(hromada_id, query.street, exact=True)
    found = _streets_suggestions(query, rows, 1)
    if found:
        return found[0]
    rows = _street_rows(hromada_id, query.street)
    if query.settlement_id is not None:
        rows = _in_settlement(rows, query.settlement_id)
    if len({r[0] for r in rows}) == 1:
        found = _streets_suggestions(query, rows, 1)
        return found[0] if found else None
    return None


def _in_settlement(rows, settlement_id: int):
    ids = set(
        Street.objects.filter(pk__in={r[0] for r in rows}, settlement_id=settlement_id).values_list(
            "pk", flat=True
        )
    )
    return [r for r in rows if r[0] in ids]


def _not_found_message(q: str, query: _Query) -> str:
    if query.house:
        return _("Адреси «%(q)s» немає в реєстрі громади.") % {"q": " ".join((q or "").split())[:200]}
    return _("Вулиці «%(q)s» немає в реєстрі громади.") % {"q": " ".join((q or "").split())[:200]}


# --- the nearest matches ---------------------------------------------------------------------


def nearest(*, hromada_id: int, query: _Query, limit: int = 5) -> list[Suggestion]:
    """What exists nearest to an address that does not: the street's nearest house
    numbers, else the streets whose names are closest."""
    street_rows = _street_rows(hromada_id, query.street, exact=True) or _street_rows(hromada_id, query.street)
    if query.settlement_id is not None:
        street_rows = _in_settlement(street_rows, query.settlement_id) or street_rows
    if street_rows and query.house:
        houses = _nearest_houses(query, street_rows, limit)
        if houses:
            return houses
    if street_rows:
        return _streets_suggestions(query, street_rows, limit)
    rows = _similar_streets(hromada_id, query)
    if not rows:
        return []
    if query.house:
        with_house = _houses_of(query, rows, exact=True, limit=limit)
        if with_house:
            return with_house
    return _streets_suggestions(query, rows, limit)


def _nearest_houses(query: _Query, street_rows, limit: int) -> list[Suggestion]:
    ids = {r[0] for r in street_rows}
    target = house_order(query.house)
    candidates = list(Building.objects.filter(street_id__in=ids).values_list("street_id", "pk", "house_key"))
    if not candidates:
        return []

    def distance(row):
        order = house_order(row[2])
        return (abs(order[0] - target[0]), order)

    candidates.sort(key=distance)
    by_street: dict[int, tuple[int | None, str]] = {}
    for street_id, former_id, key in street_rows:
        by_street.setdefault(street_id, (former_id, key))
    rows = []
    for street_id, building_id, key in candidates[: limit * 2]:
        former_id, street_key = by_street[street_id]
        rows.append((street_id, building_id, former_id, f"{street_key} {key}"))
    picked = {r[1] for r in rows[:limit]}
    out = _buildings_suggestions(query, [r for r in rows if r[1] in picked], limit)
    order = {bid: i for i, bid in enumerate(r[1] for r in rows)}
    return sorted(out, key=lambda s: order.get(s.building.pk if s.building else 0, 0))


_trgm: dict[str, bool] = {}


def trgm_available() -> bool:
    """Whether PostgreSQL has pg_trgm here (migration 0002_a_trgm creates it when it may)."""
    if connection.vendor != "postgresql":
        return False
    alias = connection.alias
    if alias not in _trgm:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            _trgm[alias] = cursor.fetchone() is not None
    return _trgm[alias]


def _similar_streets(hromada_id: int, query: _Query) -> list[tuple[int, int | None, str]]:
    if trgm_available():
        table = connection.ops.quote_name(AddressKey._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT street_id, former_id, key FROM {table} "  # noqa: S608 - the model's table name
                "WHERE hromada_id = %s AND building_id IS NULL AND key %% %s "
                "ORDER BY similarity(key, %s) DESC, key LIMIT 20",
                [hromada_id, query.street, query.street],
            )
            rows = cursor.fetchall()
        if rows:
            return [(r[0], r[1], r[2]) for r in rows]
    return _close_streets(hromada_id, query)


def _close_streets(hromada_id: int, query: _Query) -> list[tuple[int, int | None, str]]:
    """Portable: streets sharing the first letters, then difflib over the names."""
    head = query.street[:3]
    rows = _street_rows(hromada_id, head) if len(head) >= MIN_CHARS else []
    names: dict[str, list[tuple[int, int | None]]] = {}
    for street_id, former_id, key in _all_street_keys(hromada_id, query.latin):
        names.setdefault(key, []).append((street_id, former_id))
    close = difflib.get_close_matches(query.street, list(names), n=8, cutoff=0.6)
    out = [(sid, fid, key) for key in close for sid, fid in names[key]]
    seen = {r[0] for r in out}
    out += [r for r in rows if r[0] not in seen]
    return out


def _all_street_keys(hromada_id: int, latin: bool):
    """Street-level keys in the query's script (Cyrillic or Latin)."""
    for street_id, former_id, key in AddressKey.objects.filter(
        hromada_id=hromada_id, building__isnull=True
    ).values_list("street_id", "former_id", "key"):
        if bool(_CYRILLIC.search(key)) != latin:
            yield street_id, former_id, key
