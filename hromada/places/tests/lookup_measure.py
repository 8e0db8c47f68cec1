# ruff: noqa
"""A quick measurement of address lookup and geocoding speed (not a test; helper A's
numbers in the report come from it). bench/scenarios/places.py is the real bench.

    createdb -h 127.0.0.1 -U postgres places_a
    export DEMO=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/places_a   # or sqlite:////tmp/x.sqlite3
    python manage.py migrate
    python hromada/places/tests/lookup_measure.py load    # 5,000 streets, 200,000 buildings (~5 min)
    python hromada/places/tests/lookup_measure.py areas   # boundary, 16 okrugs, 20 territories
    python hromada/places/tests/lookup_measure.py run     # serial autocomplete latencies, misses, geocoding
    python hromada/places/tests/lookup_measure.py rate    # 200 queries/s from 2 processes, open loop
    python hromada/places/tests/lookup_measure.py geo     # locate_many of 10,000 points, cold and warm
"""

import os
import random
import statistics
import sys
import time

sys.path.insert(
    0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django

django.setup()
from django.db import connection, transaction

from hromada.places import geocode, lookup, search
from hromada.places.addresses import fold, house_key
from hromada.places.models import AddressKey, Area, Building, Settlement, Street, StreetName
from hromada.places.translit import transliterate
from hromada.tenancy.models import Hromada

FIRST = [
    "Тараса",
    "Лесі",
    "Івана",
    "Михайла",
    "Богдана",
    "Олени",
    "Василя",
    "Петра",
    "Ольги",
    "Григорія",
    "Марії",
    "Юрія",
    "Андрія",
    "Миколи",
    "Дмитра",
]
LAST = [
    "Шевченка",
    "Українки",
    "Франка",
    "Грушевського",
    "Хмельницького",
    "Пчілки",
    "Стуса",
    "Сковороди",
    "Теліги",
    "Сагайдачного",
    "Драгоманова",
    "Коцюбинського",
    "Лисенка",
    "Вернадського",
    "Гончара",
    "Мазепи",
    "Залізняка",
    "Кропивницького",
    "Заньковецької",
    "Бандери",
]
ADJ = [
    "Садова",
    "Шкільна",
    "Польова",
    "Зелена",
    "Соборна",
    "Миру",
    "Лісова",
    "Молодіжна",
    "Центральна",
    "Набережна",
    "Вишнева",
    "Квіткова",
    "Мар’янівська",
    "Козацька",
    "Незалежності",
    "Героїв Майдану",
    "Виноградна",
    "Ставкова",
    "Степова",
    "Джерельна",
    "Калинова",
    "Березова",
    "Дачна",
    "Весняна",
    "Сонячна",
]
OLD = [
    "Леніна",
    "Кірова",
    "Жовтнева",
    "Комсомольська",
    "Піонерська",
    "Радянська",
    "Щорса",
    "Чапаєва",
    "Калініна",
    "Дзержинського",
]
TYPES = ["вулиця"] * 8 + ["провулок", "площа"]


def names(n, rng):
    out = set()
    while len(out) < n:
        r = rng.random()
        if r < 0.5:
            out.add(
                f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                + (f" {rng.randint(1, 99)}" if len(out) > 300 and rng.random() < 0.5 else "")
            )
        else:
            out.add(
                f"{rng.choice(ADJ)}"
                + (
                    f" {rng.choice(['Перша', 'Друга', 'Третя', 'Нова', 'Стара', 'Верхня', 'Нижня'])}"
                    if rng.random() < 0.6
                    else ""
                )
                + (f" {rng.randint(1, 40)}" if len(out) > 400 and rng.random() < 0.7 else "")
            )
    return sorted(out)


def load():
    rng = random.Random(1)
    h, _ = Hromada.objects.get_or_create(
        slug="bench-a",
        defaults={"name": "Bench A", "katottg": "UA71080130000078619", "hosts": ["bench-a.test"]},
    )
    AddressKey.objects.filter(hromada=h).delete()
    Building.objects.filter(hromada=h).delete()
    StreetName.objects.filter(hromada=h).delete()
    Street.objects.filter(hromada=h).delete()
    Settlement.objects.filter(hromada=h).delete()
    lat0, lon0 = 48.97, 32.10
    setts = [
        Settlement.objects.create(
            hromada=h,
            katottg=f"UA7108013{i:010d}",
            category="M" if i == 0 else "C",
            name=("Кам’янка" if i == 0 else f"Село{i}"),
            slug=f"s{i}",
            is_centre=i == 0,
            lat=lat0 + (i % 4) * 0.05,
            lon=lon0 + (i // 4) * 0.05,
        )
        for i in range(17)
    ]
    nm = names(5000, rng)
    streets = []
    for i, name in enumerate(nm):
        s = setts[0] if i < 3000 else setts[1 + i % 16]
        streets.append(
            Street(
                hromada=h,
                settlement=s,
                street_type=rng.choice(TYPES),
                name=name,
                name_en=transliterate(name),
                name_key=fold(name),
            )
        )
    Street.objects.bulk_create(streets, batch_size=2000)
    streets = list(Street.objects.filter(hromada=h).order_by("pk"))
    formers = [
        StreetName(
            hromada=h,
            street=s,
            street_type="вулиця",
            name=rng.choice(OLD) + f" {i}",
            name_key=fold(rng.choice(OLD) + f" {i}"),
        )
        for i, s in enumerate(streets)
        if rng.random() < 0.2
    ]
    StreetName.objects.bulk_create(formers, batch_size=2000)
    blds = []
    for si, s in enumerate(streets):
        base_lat = s.settlement.lat + rng.uniform(-0.02, 0.02)
        base_lon = s.settlement.lon + rng.uniform(-0.02, 0.02)
        for j in range(40):
            num = str(j + 1) + (rng.choice(["", "", "", "", "А", "Б"]) if j % 3 == 0 else "")
            blds.append(
                Building(
                    hromada=h,
                    street=s,
                    number=num,
                    house_key=house_key(num),
                    lat=base_lat + j * 0.00015,
                    lon=base_lon,
                )
            )
    with transaction.atomic():
        Building.objects.bulk_create(blds, batch_size=5000, ignore_conflicts=True)
    t = time.time()
    for i in range(0, len(streets), 250):
        with transaction.atomic():
            search.index_streets(streets[i : i + 250])
    print(
        "index",
        time.time() - t,
        "keys",
        AddressKey.objects.filter(hromada=h).count(),
        "buildings",
        Building.objects.filter(hromada=h).count(),
    )
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("ANALYZE")
        else:
            c.execute("ANALYZE")


def queries(h, rng, n):
    streets = list(Street.objects.filter(hromada=h).values_list("name", "street_type"))
    formers = list(StreetName.objects.filter(hromada=h).values_list("name", flat=True))
    out = []
    for _ in range(n):
        r = rng.random()
        name, kind = rng.choice(streets)
        if r < 0.1 and formers:
            name = rng.choice(formers)
        words = name.split()
        if rng.random() < 0.5 and len(words) > 1:
            name = words[-1] if not words[-1].isdigit() else name
        latin = rng.random() < 0.1
        typed = transliterate(name) if latin else name
        mode = rng.random()
        if mode < 0.35:  # typing the street
            cut = rng.randint(2, len(typed))
            q = typed[:cut]
        elif mode < 0.85:
            q = f"{'вул. ' if rng.random() < 0.3 and not latin else ''}{typed} {rng.randint(1, 40)}{rng.choice(['', '', 'а', '-А'])}"
        else:
            q = f"{typed[: rng.randint(2, max(2, len(typed)))]} {rng.randint(1, 9)}"
        out.append(q)
    return out


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(math.ceil(p / 100 * len(xs))) - 1)]


def run():
    h = Hromada.objects.get(slug="bench-a")
    rng = random.Random(2)
    qs = queries(h, rng, 3000)
    for q in qs[:200]:
        lookup.suggest(hromada=h, q=q)  # warm
    lat = []
    empty = 0
    for q in qs:
        t = time.perf_counter()
        r = lookup.suggest(hromada=h, q=q)
        lat.append((time.perf_counter() - t) * 1000)
        empty += not r
    print(
        f"{connection.vendor} suggest serial: n={len(lat)} p50={pct(lat, 50):.2f} p95={pct(lat, 95):.2f} p99={pct(lat, 99):.2f} max={max(lat):.2f} ms; empty={empty}"
    )
    worst = sorted(zip(lat, qs))[-5:]
    print("  slowest:", [(round(a, 1), b) for a, b in worst])
    # misses via find
    miss = ["Шевенка 12", "Shevchenko 12", "Садва 3", "Грушевського 999", "Незалежнсті 5"]
    t = time.perf_counter()
    n = 0
    for q in miss * 10:
        try:
            lookup.find(hromada=h, q=q)
        except lookup.AddressNotFound:
            n += 1
    print(
        f"  find of a miss (nearest matches): {(time.perf_counter() - t) * 1000 / len(miss * 10):.1f} ms each; trgm={lookup.trgm_available()}"
    )
    # geocode
    b = list(Building.objects.filter(hromada=h).values_list("lat", "lon")[::20])
    pts = [
        (la + rng.uniform(-0.001, 0.001), lo + rng.uniform(-0.001, 0.001)) for la, lo in rng.sample(b, 10000)
    ]
    geocode.cache_clear()
    t = time.perf_counter()
    locs = geocode.locate_many(hromada=h, points=pts)
    cold = time.perf_counter() - t
    t = time.perf_counter()
    locs = geocode.locate_many(hromada=h, points=pts)
    warm = time.perf_counter() - t
    print(
        f"  locate_many 10,000 points: cold {cold * 1000:.0f} ms, warm {warm * 1000:.0f} ms; with building {sum(l.building is not None for l in locs)}; areas {Area.objects.filter(hromada=h).count()}"
    )
    t = time.perf_counter()
    for p in pts[:500]:
        geocode.locate(hromada=h, lat=p[0], lon=p[1])
    print(f"  locate one point: {(time.perf_counter() - t) * 1000 / 500:.2f} ms each")


def areas():
    from hromada.places import services
    from hromada.places.tests.lookup_town import square

    h = Hromada.objects.get(slug="bench-a")
    Area.objects.filter(hromada=h).delete()
    lat0, lon0 = 48.97, 32.10
    services.area_save(
        actor=None,
        hromada=h,
        kind="boundary",
        name="Межа",
        geometry_value=square(lon0 - 0.1, lat0 - 0.1, lon0 + 0.3, lat0 + 0.3),
    )
    for i in range(4):
        for j in range(4):
            services.area_save(
                actor=None,
                hromada=h,
                kind="okrug",
                name=f"Округ {i}{j}",
                geometry_value=square(
                    lon0 - 0.1 + i * 0.1, lat0 - 0.1 + j * 0.1, lon0 + i * 0.1, lat0 + j * 0.1
                ),
            )
    for k in range(20):
        services.area_save(
            actor=None,
            hromada=h,
            kind="territory",
            purpose="education",
            name=f"Школа {k}",
            geometry_value=square(lon0 + k * 0.01, lat0, lon0 + k * 0.01 + 0.01, lat0 + 0.05),
        )


def _worker(args):
    seed, rate, n, start = args
    from django.db import connections

    connections.close_all()
    h = Hromada.objects.get(slug="bench-a")
    qs = queries(h, random.Random(seed), n)
    for q in qs[:50]:
        lookup.suggest(hromada=h, q=q)
    lat = []
    while time.time() < start:
        time.sleep(0.001)
    t0 = time.perf_counter()
    for i, q in enumerate(qs):
        target = t0 + i / rate
        now = time.perf_counter()
        if now < target:
            time.sleep(target - now)
        lookup.suggest(hromada=h, q=q)
        lat.append((time.perf_counter() - target) * 1000)
    return lat


def rate():
    import multiprocessing as mp

    procs, total = 2, 200
    start = time.time() + 8
    with mp.get_context("fork").Pool(procs) as pool:
        res = pool.map(_worker, [(10 + i, total / procs, 2000, start) for i in range(procs)])
    lat = [x for r in res for x in r]
    print(
        f"{connection.vendor} suggest at {total} q/s ({procs} processes, open loop, latency incl. queueing): n={len(lat)} p50={pct(lat, 50):.2f} p95={pct(lat, 95):.2f} p99={pct(lat, 99):.2f} max={max(lat):.1f} ms"
    )


def geo():
    h = Hromada.objects.get(slug="bench-a")
    rng = random.Random(2)
    b = list(Building.objects.filter(hromada=h).values_list("lat", "lon")[::20])
    pts = [
        (la + rng.uniform(-0.001, 0.001), lo + rng.uniform(-0.001, 0.001)) for la, lo in rng.sample(b, 10000)
    ]
    colds, warms = [], []
    for _ in range(3):
        geocode.cache_clear()
        t = time.perf_counter()
        geocode.locate_many(hromada=h, points=pts)
        colds.append(time.perf_counter() - t)
        for _ in range(3):
            t = time.perf_counter()
            geocode.locate_many(hromada=h, points=pts)
            warms.append(time.perf_counter() - t)
    print(
        f"{connection.vendor} locate_many 10,000 points: cold min {min(colds) * 1000:.0f} / median {statistics.median(colds) * 1000:.0f} ms; warm min {min(warms) * 1000:.0f} / median {statistics.median(warms) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    {"load": load, "run": run, "areas": areas, "rate": rate, "geo": geo}[sys.argv[1]]()
