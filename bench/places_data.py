"""The places scenario's halves that run inside Django, on the bench database (run by
bench/run.py and bench/scenarios/places.py; the bench's own process never sets Django up).

    python bench/places_data.py load --out DIR [--streets 5000 --buildings 200000]
    python bench/places_data.py locate --out DIR
    python bench/places_data.py keys --out DIR

`load` (set-up, not timed) replaces the demo hromada's geography with a bench-sized one
from hromada/places/synthetic.py (the same settlements from the codifier, 5,000 streets
and 200,000 buildings, its boundary, okrugs and districts), bulk-inserted through
hromada/places/demo.py's `load` (COPY for the address keys on PostgreSQL). It writes
DIR/places/queries.txt (the autocomplete paths, one a line), DIR/places/expect.json
(queries whose answer is known, for the audit) and DIR/places/points.json (the 10,000
points of the reverse-geocoding run, with the building expected at some of them).

`locate` times `geocode.locate_many(hromada=, points=)` over those points, a first
(cold: the process's caches are built) and a second (warm) call, and audits the answers.

`keys` checks the COPY path against the product's own index for a sample of streets.
Each prints one JSON object as its last line."""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from hromada.places import demo, search, synthetic  # noqa: E402
from hromada.places.models import AddressKey, Area, Building, Settlement, Street, StreetName  # noqa: E402
from hromada.places.translit import transliterate  # noqa: E402
from hromada.tenancy.models import Hromada  # noqa: E402

SEED = 2010
QUERIES = 20_000  # more than 200/s × the longest run: none repeats within a run
POINTS = 10_000
ENDPOINT = "/api/v1/places/addresses"
# The query mix: (kind, share).
MIX = (
    ("prefix", 0.30),
    ("full", 0.30),
    ("former", 0.12),
    ("latin", 0.10),
    ("typo", 0.10),
    ("apostrophe", 0.04),
    ("no_type", 0.04),
)
TYPE_SHORT = {"вулиця": "вул.", "провулок": "пров.", "площа": "пл.", "проїзд": "проїзд", "тупик": "туп."}


# --- load --------------------------------------------------------------------------------------


def wipe(hromada) -> None:
    """The demo's own geography goes: the bench's takes its place (same settlements)."""
    from hromada.places.models import TerritoryRule

    with transaction.atomic():
        TerritoryRule.objects.filter(hromada=hromada).delete()
        # Plain DELETEs: the ORM's collector cannot take 200,000 ids in one statement.
        with connection.cursor() as cursor:
            for model in (AddressKey, Building, StreetName, Street):
                cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE hromada_id = %s", [hromada.pk])
        Settlement.objects.filter(hromada=hromada).update(okrug=None)
        Area.objects.filter(hromada=hromada).delete()


def copy_address_keys(streets: list[Street]) -> int:
    """PostgreSQL: the address keys of these streets by COPY, built by the product's own
    search._keys_for (so they are the keys index_streets would write), a million rows in
    seconds rather than a minute of bulk_create."""
    ids = [s.pk for s in streets]
    formers: dict[int, list[StreetName]] = {}
    for f in StreetName.objects.filter(street_id__in=ids):
        formers.setdefault(f.street_id, []).append(f)
    houses: dict[int, list[Building]] = {}
    for b in Building.objects.filter(street_id__in=ids).only("pk", "street_id", "house_key"):
        houses.setdefault(b.street_id, []).append(b)
    total = 0
    with connection.cursor() as cursor:
        # The indexes (a trigram GIN among them) are built once after the COPY rather
        # than maintained row by row: several times faster, the same indexes after.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'places_addresskey' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        with cursor.copy(
            "COPY places_addresskey (hromada_id, street_id, building_id, key, former_id) FROM STDIN"
        ) as copy:
            for street in streets:
                for key in search._keys_for(street, formers.get(street.pk, ()), houses.get(street.pk, ())):
                    copy.write_row((key.hromada_id, key.street_id, key.building_id, key.key, key.former_id))
                    total += 1
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign keys' checks, before CREATE INDEX
        for _name, definition in indexes:
            cursor.execute(definition)
    return total


def load(args) -> dict:
    hromada = Hromada.objects.get(slug="demo")
    started = time.monotonic()
    wipe(hromada)
    names = demo.settlement_names(hromada)
    geo = synthetic.generate(
        settlements=names,
        streets=args.streets,
        buildings=args.buildings,
        seed=SEED,
        city_share=0.2,
        ring_km=(12.0, 40.0),
    )
    generated = time.monotonic()
    postgres = connection.vendor == "postgresql"
    if postgres:
        # demo.load without its own index step: the keys go in by COPY below.
        original = demo._index
        demo._index = lambda streets: 0
    try:
        report = demo.load(hromada=hromada, geography=geo, through_services=False)
    finally:
        if postgres:
            demo._index = original
    keys = report.address_keys
    if postgres:
        with transaction.atomic():
            keys = copy_address_keys(list(Street.objects.filter(hromada=hromada)))
        with connection.cursor() as cursor:
            for table in ("places_addresskey", "places_building", "places_street", "places_streetname"):
                cursor.execute(f"ANALYZE {table}")
    loaded = time.monotonic()
    where = args.out / "places"
    where.mkdir(parents=True, exist_ok=True)
    expect = write_queries(hromada, geo, where)
    points = write_points(hromada, geo, where)
    return {
        "streets": report.streets,
        "former_names": report.former_names,
        "buildings": report.buildings,
        "address_keys": keys,
        "areas": report.areas,
        "queries": QUERIES,
        "expected_queries": expect,
        "points": points,
        "generate_s": round(generated - started, 1),
        "load_s": round(loaded - generated, 1),
        "total_s": round(time.monotonic() - started, 1),
    }


def _typo(rng: random.Random, word: str) -> str:
    """One slip of the finger: a letter dropped, doubled or two swapped."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.choice(("drop", "double", "swap"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def write_queries(hromada, geo: synthetic.Geography, where: Path) -> int:
    """The autocomplete paths (what people type, by MIX) and the known answers: a full
    address of a street whose name is unique in the hromada must find that building."""
    rng = random.Random(SEED)
    rows = list(
        Building.objects.filter(hromada=hromada).values_list(
            "public_id", "number", "street_id", "street__name", "street__street_type"
        )
    )
    formers: dict[int, list[str]] = {}
    for street_id, name in StreetName.objects.filter(hromada=hromada).values_list("street_id", "name"):
        formers.setdefault(street_id, []).append(name)
    street_names: dict[str, int] = {}
    for name in Street.objects.filter(hromada=hromada).values_list("name", flat=True):
        street_names[name] = street_names.get(name, 0) + 1
    former_count: dict[str, int] = {}
    for names in formers.values():
        for n in names:
            former_count[n] = former_count.get(n, 0) + 1
    kinds = [k for k, _w in MIX]
    weights = [w for _k, w in MIX]
    lines, expect = [], []
    with_formers = [r for r in rows if r[2] in formers]
    with_apostrophe = [r for r in rows if "’" in r[3]]
    for _ in range(QUERIES):
        kind = rng.choices(kinds, weights)[0]
        public_id, number, street_id, name, street_type = rng.choice(rows)
        short = TYPE_SHORT.get(street_type, street_type)
        known = None
        if kind == "prefix":
            word = name.split()[-1]
            q = word[: rng.randint(3, min(7, len(word)))]
        elif kind == "full":
            q = rng.choice((f"{short} {name}, {number}", f"{name} {number}", f"{name},{number}".lower()))
            if street_names.get(name) == 1:
                known = str(public_id)
        elif kind == "former" and with_formers:
            public_id, number, street_id, name, street_type = rng.choice(with_formers)
            former = rng.choice(formers[street_id])
            q = rng.choice((f"вул. {former} {number}", f"{former} {number}", f"{former}"))
            if street_names.get(name) == 1 and former_count.get(former) == 1 and q != former:
                known = str(public_id)
        elif kind == "latin":
            q = f"{transliterate(name)} {number.replace('А', 'A').replace('Б', 'B')}"
        elif kind == "typo":
            words = name.split()
            words[-1] = _typo(rng, words[-1])
            q = f"{' '.join(words)} {number}"
        elif kind == "apostrophe" and with_apostrophe:
            public_id, number, street_id, name, street_type = rng.choice(with_apostrophe)
            mark = rng.choice(("'", "ʼ"))
            q = name.replace("’", mark) + f" {number}"
            if street_names.get(name) == 1:
                known = str(public_id)
        else:
            q = f"{name.lower()} {number}"
        path = f"{ENDPOINT}?{urllib.parse.urlencode({'q': q, 'limit': 10})}"
        lines.append(path)
        if known and len(expect) < 300:
            expect.append({"q": q, "path": path, "building": known, "kind": kind})
    (where / "queries.txt").write_text("\n".join(lines) + "\n")
    (where / "expect.json").write_text(json.dumps(expect, ensure_ascii=False, indent=1))
    return len(expect)


def write_points(hromada, geo: synthetic.Geography, where: Path) -> int:
    """10,000 points: most a few metres from a building, some anywhere in the hromada's
    box (fields between villages), some well outside it. At 300 of them exactly at a
    building, that building is expected."""
    rng = random.Random(SEED + 1)
    rows = list(
        Building.objects.filter(hromada=hromada).values_list(
            "public_id", "lat", "lon", "street__settlement__name", "street__settlement__okrug__name"
        )
    )
    boundary = Area.objects.get(hromada=hromada, kind="boundary")
    points, expect = [], []
    at_building = outside = 0
    for i in range(POINTS):
        r = rng.random()
        if r < 0.7:
            public_id, lat, lon, settlement, okrug = rng.choice(rows)
            if i % 10 == 0 and at_building < 300:
                at_building += 1
                expect.append({"i": i, "building": str(public_id), "okrug": okrug or ""})
                points.append([lat, lon])
                continue
            points.append([lat + rng.uniform(-0.0002, 0.0002), lon + rng.uniform(-0.0003, 0.0003)])
        elif r < 0.9:
            points.append(
                [
                    rng.uniform(boundary.min_lat, boundary.max_lat),
                    rng.uniform(boundary.min_lon, boundary.max_lon),
                ]
            )
        else:
            points.append(
                [boundary.max_lat + rng.uniform(0.05, 0.5), boundary.max_lon + rng.uniform(0.05, 0.5)]
            )
            if outside < 100:
                outside += 1
                expect.append({"i": i, "outside": True})
    (where / "points.json").write_text(json.dumps({"points": points, "expect": expect}))
    return len(points)


# --- locate ------------------------------------------------------------------------------------


def locate(args) -> dict:
    try:
        from hromada.places import geocode

        locate_many = geocode.locate_many
    except (ImportError, AttributeError) as exc:
        return {"available": False, "error": f"geocode.locate_many is not there: {exc}"}
    hromada = Hromada.objects.get(slug="demo")
    data = json.loads((args.out / "places" / "points.json").read_text())
    points = [tuple(p) for p in data["points"]]
    timings = []
    answers = None
    for _ in range(3):  # cold (the process's caches are built), then warm
        t = time.perf_counter()
        answers = locate_many(hromada=hromada, points=points)
        timings.append(time.perf_counter() - t)
    audit = audit_locations(answers, data["expect"], len(points))
    return {
        "available": True,
        "points": len(points),
        "cold_s": round(timings[0], 3),
        "warm_s": round(min(timings[1:]), 3),
        "points_per_s_warm": round(len(points) / min(timings[1:]), 1),
        "audit": audit,
    }


def audit_locations(answers, expect: list[dict], n: int) -> dict:
    """At a building: that building (and its okrug, for a village); far outside: outside."""
    problems = []
    if answers is None or len(answers) != n:
        return {"ok": False, "problems": [f"{0 if answers is None else len(answers)} answers for {n} points"]}
    at_building = outside = 0
    for e in expect:
        loc = answers[e["i"]]
        if e.get("outside"):
            outside += 1
            if getattr(loc, "inside_hromada", None) is not False:
                problems.append(f"point {e['i']} is far outside, answered inside")
            continue
        at_building += 1
        building = getattr(loc, "building", None)
        if building is None or str(building.public_id) != e["building"]:
            problems.append(f"point {e['i']}: expected building {e['building']}, got {building}")
        okrug = getattr(loc, "okrug", None)
        if e["okrug"] and (okrug is None or okrug.name != e["okrug"]):
            problems.append(f"point {e['i']}: expected okrug {e['okrug']}, got {okrug}")
    return {"ok": not problems, "at_building": at_building, "outside": outside, "problems": problems[:10]}


# --- keys --------------------------------------------------------------------------------------


def keys(args) -> dict:
    """The COPY path wrote what index_streets writes, for a sample of streets."""
    hromada = Hromada.objects.get(slug="demo")
    sample = list(Street.objects.filter(hromada=hromada).order_by("?")[:50])
    before = set(AddressKey.objects.filter(street__in=sample).values_list("street_id", "building_id", "key"))
    with transaction.atomic():
        search.index_streets(sample)
        after = set(
            AddressKey.objects.filter(street__in=sample).values_list("street_id", "building_id", "key")
        )
    return {"ok": before == after and bool(before), "keys": len(before)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=("load", "locate", "keys"))
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--streets", type=int, default=5000)
    parser.add_argument("--buildings", type=int, default=200_000)
    args = parser.parse_args()
    result = {"load": load, "locate": locate, "keys": keys}[args.action](args)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
