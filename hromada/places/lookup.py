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
import time
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
    street_pk: int = field(default=0, compare=False, repr=False)
    building_pk: int | None = field(default=None, compare=False, repr=False)
    _rows: dict = field(default_factory=dict, compare=False, repr=False)

    # For callers inside the process: the rows themselves, read when first asked for
    # (autocomplete builds suggestions from tuples; model instances are its main cost).
    @property
    def street(self) -> Street:
        if "street" not in self._rows:
            self._rows["street"] = Street.objects.select_related("settlement").get(pk=self.street_pk)
        return self._rows["street"]

    @property
    def building(self) -> Building | None:
        if self.building_pk is None:
            return None
        if "building" not in self._rows:
            building = Building.objects.get(pk=self.building_pk)
            building._state.fields_cache["street"] = self.street
            self._rows["building"] = building
        return self._rows["building"]


# --- understanding what was typed ---------------------------------------------------------


@dataclass(frozen=True)
class _Query:
    street: str  # folded street part, no type word
    street_type: str
    house: str
    settlement_id: int | None
    latin: bool


_SETTLEMENTS_TTL_S = 5.0
_settlement_cache: dict[int, tuple[float, dict[int, tuple]]] = {}


def _settlement_info(hromada_id: int) -> dict[int, tuple]:
    """pk → (name, folded name, folded Latin name, is_centre, lat, lon), kept 5 s per
    process (17 rows read on every keystroke otherwise; a renamed settlement shows within 5 s)."""
    now = time.monotonic()
    hit = _settlement_cache.get(hromada_id)
    if hit is not None and now - hit[0] < _SETTLEMENTS_TTL_S:
        return hit[1]
    rows = (
        Settlement.objects.filter(hromada_id=hromada_id)
        .order_by()
        .values_list("pk", "name", "name_en", "is_centre", "lat", "lon")
    )
    info = {
        pk: (name, fold(name), fold(name_en or transliterate(name)).replace("'", ""), centre, lat, lon)
        for pk, name, name_en, centre, lat, lon in rows
    }
    _settlement_cache[hromada_id] = (now, info)
    return info


def cache_clear() -> None:
    _settlement_cache.clear()


def _settlements(hromada_id: int) -> list[tuple[int, str, str, bool]]:
    return [(pk, i[1], i[2], i[3]) for pk, i in _settlement_info(hromada_id).items()]


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
    if connection.vendor == "sqlite":
        # SQLite's planner prefers the foreign-key index on building_id (building_id IS
        # NULL is an equality to it) and walks every street key; name the partial index.
        table = connection.ops.quote_name(AddressKey._meta.db_table)
        where = '"key" = %s' if exact else '"key" >= %s AND "key" < %s'
        params = [prefix] if exact else [prefix, prefix + _TOP]
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT street_id, former_id, "key" FROM {table} INDEXED BY address_key_street_only '  # noqa: S608 - the model's table name
                f"WHERE hromada_id = %s AND building_id IS NULL AND {where} LIMIT %s",
                [hromada_id, *params, _STREET_CAP],
            )
            return [(r[0], r[1], r[2]) for r in cursor.fetchall()]
    qs = AddressKey.objects.filter(hromada_id=hromada_id, building__isnull=True)
    qs = qs.filter(key=prefix) if exact else _prefix(qs, prefix)
    return list(qs.values_list("street_id", "former_id", "key")[:_STREET_CAP])


def _building_rows(
    hromada_id: int, prefix: str, *, exact: bool = False
) -> list[tuple[int, int, int | None, str]]:
    qs = AddressKey.objects.filter(hromada_id=hromada_id)
    qs = qs.filter(key=prefix) if exact else _prefix(qs, prefix)
    return list(
        qs.filter(building__isnull=False).values_list("street_id", "building_id", "former_id", "key")[
            :_BUILDING_CAP
        ]
    )


# --- ordering ----------------------------------------------------------------------------------


def house_order(key: str) -> tuple:
    """Sort key of a house key: 1 < 1/2 < 1а < 2 < 10 (territories.house_order is the
    same order, shared by lookups and territory rules)."""
    from .territories import house_order as order

    return order(key)


def street_label(street: Street) -> str:
    return f"{street.street_type} {street.name}"


@dataclass(frozen=True)
class _StreetRow:
    street_type: str
    name_key: str
    settlement_id: int
    not_centre: bool
    settlement: str
    public_id: object
    name: str
    lat: float | None  # the settlement's centre
    lon: float | None


def _street_meta(hromada_id: int, ids) -> dict[int, _StreetRow]:
    """What ranking and labels need of these streets, read as tuples."""
    places = _settlement_info(hromada_id)
    rows = list(
        Street.objects.filter(pk__in=set(ids))
        .order_by()
        .values_list("pk", "street_type", "name_key", "settlement_id", "public_id", "name")
    )
    if any(r[3] not in places for r in rows):  # a settlement newer than the cache
        _settlement_cache.pop(hromada_id, None)
        places = _settlement_info(hromada_id)
    out = {}
    for pk, kind, key, sid, public_id, name in rows:
        place = places.get(sid) or ("", "", "", False, None, None)
        out[pk] = _StreetRow(kind, key, sid, not place[3], place[0], public_id, name, place[4], place[5])
    return out


def _formers(ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {
        pk: f"{kind} {name}"
        for pk, kind, name in StreetName.objects.filter(pk__in=ids)
        .order_by()
        .values_list("pk", "street_type", "name")
    }


def _suggestion(street_pk: int, st: _StreetRow, house: tuple | None, former: str) -> Suggestion:
    """house: (building pk, public_id, number, lat, lon) or None for the street itself."""
    parts = [f"{st.street_type} {st.name}"]
    if house is not None:
        parts.append(house[2])
    parts.append(st.settlement)
    return Suggestion(
        kind="building" if house is not None else "street",
        label=", ".join(p for p in parts if p),
        former=former,
        street_id=str(st.public_id),
        building_id=str(house[1]) if house is not None else "",
        lat=house[3] if house is not None else st.lat,
        lon=house[4] if house is not None else st.lon,
        settlement=st.settlement,
        street_pk=street_pk,
        building_pk=house[0] if house is not None else None,
    )


def _rank_key(query: _Query, st: _StreetRow, former_id: int | None, key_street: str) -> tuple:
    return (
        key_street != query.street,  # the whole name typed before a prefix of it
        bool(query.street_type) and st.street_type != query.street_type,
        former_id is not None,  # the current name before a former one
        query.settlement_id is not None and st.settlement_id != query.settlement_id,
        st.not_centre,
        st.settlement,
        st.name_key,
    )


def _streets_suggestions(query: _Query, rows, limit: int, *, hromada_id: int) -> list[Suggestion]:
    if not rows:
        return []
    meta = _street_meta(hromada_id, {r[0] for r in rows})
    best: dict[int, tuple[tuple, int | None]] = {}
    for street_id, former_id, key in rows:
        st = meta.get(street_id)
        if st is None or (query.settlement_id is not None and st.settlement_id != query.settlement_id):
            continue
        rank = _rank_key(query, st, former_id, key)
        if street_id not in best or rank < best[street_id][0]:
            best[street_id] = (rank, former_id)
    top = sorted(best.items(), key=lambda item: item[1][0])[:limit]
    formers = _formers(fid for _s, (_r, fid) in top)
    return [_suggestion(sid, meta[sid], None, formers.get(fid, "") if fid else "") for sid, (_r, fid) in top]


_HOUSE_FIELDS = ("pk", "public_id", "number", "lat", "lon", "house_key")


def _buildings_suggestions(
    query: _Query, rows, limit: int, *, hromada_id: int, meta=None, houses=None
) -> list[Suggestion]:
    """rows: (street_id, building_id, former_id, key); houses: building pk → a row of _HOUSE_FIELDS."""
    if not rows:
        return []
    meta = meta if meta is not None else _street_meta(hromada_id, {r[0] for r in rows})
    if houses is None:
        houses = {
            h[0]: h
            for h in Building.objects.filter(pk__in={r[1] for r in rows})
            .order_by()
            .values_list(*_HOUSE_FIELDS)
        }
    best: dict[int, tuple[tuple, int, int | None]] = {}
    for street_id, building_id, former_id, key in rows:
        st, house = meta.get(street_id), houses.get(building_id)
        if st is None or house is None:
            continue
        if query.settlement_id is not None and st.settlement_id != query.settlement_id:
            continue
        hk = house[5]
        key_street = key[: -len(hk) - 1] if key.endswith(" " + hk) else key
        head = _rank_key(query, st, former_id, key_street)
        rank = (hk != query.house, *head[:3], house_order(hk), *head[3:])  # the house typed first
        if building_id not in best or rank < best[building_id][0]:
            best[building_id] = (rank, street_id, former_id)
    top = sorted(best.items(), key=lambda item: item[1][0])[:limit]
    formers = _formers(fid for _b, (_r, _s, fid) in top)
    return [
        _suggestion(sid, meta[sid], houses[bid], formers.get(fid, "") if fid else "")
        for bid, (_r, sid, fid) in top
    ]


_HOUSE_STREETS = 30  # streets a partly typed name ("ве 6") looks for the house on


def _houses_of(query: _Query, street_rows, *, exact: bool, limit: int, hromada_id: int) -> list[Suggestion]:
    """Buildings with house key `query.house` (or starting with it) on the streets of
    these street-level rows: for a street typed in part ("шевч 12"). With many streets
    matching, only the best-ranked few are searched."""
    if not street_rows or not query.house:
        return []
    by_street: dict[int, list[tuple[int, int | None, str]]] = {}
    for row in street_rows:
        by_street.setdefault(row[0], []).append(row)
    meta = _street_meta(hromada_id, by_street)
    if len(by_street) > _HOUSE_STREETS:
        ranked = sorted(
            (sid for sid in by_street if sid in meta),
            key=lambda sid: min(_rank_key(query, meta[sid], f, k) for _s, f, k in by_street[sid]),
        )
        by_street = {sid: by_street[sid] for sid in ranked[:_HOUSE_STREETS]}
    qs = Building.objects.filter(street_id__in=list(by_street)).order_by()
    qs = (
        qs.filter(house_key=query.house)
        if exact
        else qs.filter(house_key__gte=query.house, house_key__lt=query.house + _TOP)
    )
    rows, houses = [], {}
    for street_id, *house in qs.values_list("street_id", *_HOUSE_FIELDS)[:_BUILDING_CAP]:
        houses[house[0]] = tuple(house)
        for _s, former_id, street_key in by_street.get(street_id, ()):
            rows.append((street_id, house[0], former_id, f"{street_key} {house[5]}"))
    return _buildings_suggestions(query, rows, limit, hromada_id=hromada_id, meta=meta, houses=houses)


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
        # A capped prefix read over many streets of one surname ("… Шевченка 1") must
        # not leave the house typed exactly out: then the exact key is read as well.
        rows = _building_rows(hromada_id, key)
        if len(rows) >= _BUILDING_CAP:
            rows = _building_rows(hromada_id, key, exact=True) + rows
        found = _buildings_suggestions(query, rows, limit, hromada_id=hromada_id)
        if found:
            return found
        return _houses_of(
            query, _street_rows(hromada_id, query.street), exact=False, limit=limit, hromada_id=hromada_id
        )
    return _streets_suggestions(query, _street_rows(hromada_id, query.street), limit, hromada_id=hromada_id)


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
        found = _buildings_suggestions(query, rows, 1, hromada_id=hromada_id)
        if found:
            return found[0]
        # A street typed in part ("Шевч 12") that names one street only.
        streets = _street_rows(hromada_id, query.street)
        if query.settlement_id is not None:
            streets = _in_settlement(streets, query.settlement_id)
        if len({r[0] for r in streets}) == 1:
            found = _houses_of(query, streets, exact=True, limit=1, hromada_id=hromada_id)
            if found:
                return found[0]
        return None
    street_rows = _street_rows(hromada_id, query.street, exact=True)
    found = _streets_suggestions(query, street_rows, 1, hromada_id=hromada_id)
    if found:
        return found[0]
    street_rows = _street_rows(hromada_id, query.street)
    if query.settlement_id is not None:
        street_rows = _in_settlement(street_rows, query.settlement_id)
    if len({r[0] for r in street_rows}) == 1:
        found = _streets_suggestions(query, street_rows, 1, hromada_id=hromada_id)
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
        houses = _nearest_houses(query, street_rows, limit, hromada_id=hromada_id)
        if houses:
            return houses
    if street_rows:
        return _streets_suggestions(query, street_rows, limit, hromada_id=hromada_id)
    rows = _similar_streets(hromada_id, query)
    if not rows:
        return []
    if query.house:
        with_house = _houses_of(query, rows, exact=True, limit=limit, hromada_id=hromada_id)
        if with_house:
            return with_house
    return _streets_suggestions(query, rows, limit, hromada_id=hromada_id)


def _nearest_houses(query: _Query, street_rows, limit: int, *, hromada_id: int) -> list[Suggestion]:
    ids = {r[0] for r in street_rows}
    target = house_order(query.house)
    candidates = list(
        Building.objects.filter(street_id__in=ids).order_by().values_list("street_id", "pk", "house_key")
    )
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
    out = _buildings_suggestions(query, [r for r in rows if r[1] in picked], limit, hromada_id=hromada_id)
    order = {bid: i for i, bid in enumerate(r[1] for r in rows)}
    return sorted(out, key=lambda s: order.get(s.building_pk or 0, 0))


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
