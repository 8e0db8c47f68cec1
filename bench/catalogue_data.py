"""The catalogue scenario's fixtures, search run and audit, inside Django on the bench
database (run by bench/scenarios/catalogue.py).

    python bench/catalogue_data.py setup --datasets 10000
    python bench/catalogue_data.py search --rate 20 --duration 20

`setup` adds N published datasets to the bench hromada's portal (idempotent: datasets
named `bench-…` already there count): 20 publishers, 60 tags, 8 themes, one to three
link resources each in five formats, metadata_modified spread over two years — by bulk
INSERTs, with `search_text` built from the same parts as search.search_text_of (checked
on a sample against that function). Prints one JSON line.

`search` calls CKAN's `package_search` through Django's whole request path (URL
routing, middleware, the Action API's dispatcher and envelope; no socket) at a steady
rate, open loop from THREADS threads (each call has its moment on a fixed schedule and
its latency counts from it), over a mix: free-text q, fq by organization / tags /
res_format / groups, metadata_modified ranges (the harvester's incremental query),
sorts, facets, deep pages. Audit on the first calls of each kind: `count` equals the
same condition counted by the ORM on the rows. Prints p50/p99 overall and per kind."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import queue
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from hromada.opendata.models import Dataset, DatasetState, Group, Publisher, Resource, Tag  # noqa: E402
from hromada.opendata.search import search_text_of  # noqa: E402
from hromada.tenancy.models import Hromada  # noqa: E402

THREADS = 4
PUBLISHERS = 20
TAGS = [
    "бюджет", "освіта", "транспорт", "медицина", "благоустрій", "екологія", "земля", "житло",
    "соціальний захист", "культура", "спорт", "безпека", "енергетика", "вода", "відходи", "дороги",
    "закупівлі", "договори", "майно", "оренда", "податки", "реєстр", "статистика", "населення",
    "вибори", "депутати", "рішення", "програми", "гранти", "інвестиції", "туризм", "підприємства",
    "ринки", "торгівля", "реклама", "містобудування", "архітектура", "кадастр", "ліцензії", "дозволи",
    "цнап", "послуги", "звернення", "петиції", "консультації", "молодь", "ветерани", "впо",
    "діти", "школи", "садочки", "лікарні", "аптеки", "укриття", "тривоги", "світло", "тепло",
    "газ", "зупинки", "маршрути",
]  # fmt: skip
GROUPS = ["budget", "education", "transport", "health", "city", "environment", "society", "economy"]
FORMATS = ["CSV", "JSON", "XLSX", "PDF", "GEOJSON"]
WORDS = (
    "перелік реєстр звіт відомості дані показники об’єкти мережа закладів договори оренди "
    "виконання програми розвитку громади за рік місяць квартал плани фактичні видатки доходи "
    "адреси координати графік роботи контакти тарифи ціни обсяги споживання"
).split()


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 1)


def _hromada() -> Hromada:
    return Hromada.objects.filter(slug="demo").first() or Hromada.objects.order_by("pk").first()


def setup(a) -> dict:
    started = time.monotonic()
    hromada = _hromada()
    rng = random.Random(11)
    now = timezone.now()
    publishers = []
    for i in range(PUBLISHERS):
        p, _ = Publisher.objects.get_or_create(
            hromada=hromada, name=f"bench-org-{i:02d}", defaults={"title": f"Розпорядник бенчмарку {i + 1}"}
        )
        publishers.append(p)
    tags = [Tag.objects.get_or_create(hromada=hromada, name=t)[0] for t in TAGS]
    groups = [
        Group.objects.get_or_create(hromada=hromada, name=f"bench-{g}", defaults={"title": f"Тема {g}"})[0]
        for g in GROUPS
    ]
    have = Dataset.objects.for_hromada(hromada).filter(name__startswith="bench-").count()
    batch = 1000
    for start in range(have, a.datasets, batch):
        rows, extra = [], []
        for i in range(start, min(a.datasets, start + batch)):
            pub = publishers[i % PUBLISHERS]
            words = rng.sample(WORDS, 4)
            my_tags = rng.sample(tags, rng.randint(1, 4))
            my_groups = rng.sample(groups, rng.randint(0, 2))
            formats = rng.sample(FORMATS, rng.randint(1, 3))
            modified = now - dt.timedelta(seconds=rng.randint(0, 2 * 365 * 86400))
            d = Dataset(
                hromada=hromada,
                publisher=pub,
                name=f"bench-{i:06d}",
                title=f"{words[0].capitalize()} {words[1]} №{i}",
                notes=" ".join(rng.sample(WORDS, 12)),
                state=DatasetState.PUBLISHED,
                frequency="Щомісяця",
                published_at=modified,
                metadata_modified=modified,
            )
            names = [f"{words[2].capitalize()} ({f})" for f in formats]
            parts = [d.title, d.name, d.notes, d.purpose, d.spatial]
            parts += [t.name for t in my_tags] + [g.title for g in my_groups]
            parts += [f"{n}  {f}" for n, f in zip(names, formats, strict=True)]
            parts.append(pub.title)
            d.search_text = " ".join(p for p in parts if p).lower()
            rows.append(d)
            extra.append((my_tags, my_groups, list(zip(names, formats, strict=True)), modified))
        with transaction.atomic():
            Dataset.objects.bulk_create(rows)
            tag_links, group_links, resources = [], [], []
            for d, (my_tags, my_groups, res, modified) in zip(rows, extra, strict=True):
                tag_links += [Dataset.tags.through(dataset_id=d.pk, tag_id=t.pk) for t in my_tags]
                group_links += [Dataset.groups.through(dataset_id=d.pk, group_id=g.pk) for g in my_groups]
                resources += [
                    Resource(
                        hromada=hromada,
                        dataset=d,
                        name=n,
                        format=f,
                        url=f"https://data.example.org/{d.name}/{k}.{f.lower()}",
                        position=k,
                        last_modified=modified,
                    )
                    for k, (n, f) in enumerate(res)
                ]
            Dataset.tags.through.objects.bulk_create(tag_links)
            Dataset.groups.through.objects.bulk_create(group_links)
            Resource.objects.bulk_create(resources)
    with connections["default"].cursor() as cursor:
        if connections["default"].vendor == "postgresql":
            cursor.execute("ANALYZE opendata_dataset")
            cursor.execute("ANALYZE opendata_resource")
    # The fixture's search_text is what the services would store (on a sample).
    sample = Dataset.objects.for_hromada(hromada).filter(name__startswith="bench-").order_by("?")[:30]
    # The same words (their order follows the database's collation of tag names).
    mismatched = [d.name for d in sample if set(d.search_text.split()) != set(search_text_of(d).split())]
    return {
        "datasets": Dataset.objects.for_hromada(hromada).filter(state=DatasetState.PUBLISHED).count(),
        "resources": Resource.objects.for_hromada(hromada).count(),
        "search_text_mismatched": mismatched,
        "setup_s": round(time.monotonic() - started, 1),
    }


def queries(rng: random.Random) -> tuple[str, dict, object]:
    """(kind, params, the ORM condition the count must equal — or None)."""
    kind = rng.choice(["q", "q", "org", "tags", "format", "group", "modified_since", "facets", "deep"])
    if kind == "q":
        word = rng.choice(WORDS)
        return kind, {"q": word, "rows": 20}, None
    if kind == "org":
        name = f"bench-org-{rng.randrange(PUBLISHERS):02d}"
        return (
            kind,
            {"fq": f"organization:{name}", "rows": 20, "sort": "metadata_modified desc"},
            ("org", name),
        )
    if kind == "tags":
        tag = rng.choice(TAGS)
        return kind, {"fq": f'tags:"{tag}"', "rows": 20}, ("tag", tag)
    if kind == "format":
        fmt = rng.choice(FORMATS)
        return kind, {"fq": f"res_format:{fmt}", "rows": 20}, ("format", fmt)
    if kind == "group":
        g = f"bench-{rng.choice(GROUPS)}"
        return kind, {"fq": f"groups:{g}", "rows": 20, "sort": "name asc"}, ("group", g)
    if kind == "modified_since":
        days = rng.choice([1, 7, 30, 90])
        since = (timezone.now() - dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
        params = {"fq": f"metadata_modified:[{since} TO *]", "rows": 100, "sort": "metadata_modified asc"}
        return kind, params, None
    if kind == "facets":
        params = {
            "q": rng.choice(WORDS),
            "rows": 10,
            "facet.field": json.dumps(["organization", "tags", "res_format", "license_id"]),
        }
        return kind, params, None
    return kind, {"rows": 20, "start": rng.randrange(0, 9000), "sort": "metadata_modified desc"}, None


def expected_count(hromada, condition) -> int:
    what, value = condition
    published = Dataset.objects.for_hromada(hromada).filter(state=DatasetState.PUBLISHED)
    if what == "org":
        return published.filter(publisher__name=value).count()
    if what == "tag":
        return published.filter(tags__name=value).distinct().count()
    if what == "format":
        return (
            published.filter(resources__format=value, resources__withdrawn_at__isnull=True).distinct().count()
        )
    return published.filter(groups__name=value).distinct().count()


def search(a) -> dict:
    hromada = _hromada()
    host = (hromada.hosts or ["127.0.0.1"])[0]
    jobs: queue.Queue = queue.Queue()
    results: list[tuple[str, float, bool]] = []
    audited: dict[str, list] = {}
    lock = threading.Lock()
    extra = {"HTTP_HOST": host}

    def call(client: Client, params: dict) -> dict | None:
        response = client.get("/api/3/action/package_search", params, **extra)
        if response.status_code != 200:
            return None
        return response.json()

    def worker() -> None:
        client = Client()
        while True:
            item = jobs.get()
            if item is None:
                break
            moment, kind, params, condition = item
            body = call(client, params)
            latency = (time.monotonic() - moment) * 1000
            ok = bool(body and body.get("success"))
            with lock:
                results.append((kind, latency, ok))
                if ok and condition is not None and len(audited.setdefault(kind, [])) < 10:
                    audited[kind].append((condition, body["result"]["count"]))
        connections.close_all()

    warm = Client()
    first = call(warm, {"rows": 1})
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(a.threads)]
    for th in threads:
        th.start()
    rng = random.Random(5)
    start = time.monotonic()
    n = int(a.rate * a.duration)
    for i in range(n):
        moment = start + i / a.rate
        time.sleep(max(0.0, moment - time.monotonic()))
        kind, params, condition = queries(rng)
        jobs.put((moment, kind, params, condition))
    for _ in threads:
        jobs.put(None)
    for th in threads:
        th.join()
    elapsed = time.monotonic() - start
    wrong = [
        {"condition": list(c), "answered": got, "rows": expected_count(hromada, c)}
        for checks in audited.values()
        for c, got in checks
        if got != expected_count(hromada, c)
    ]
    by_kind: dict[str, list[float]] = {}
    for kind, latency, _ok in results:
        by_kind.setdefault(kind, []).append(latency)
    every = [lat for _, lat, _ in results]
    return {
        "datasets_found": (first or {}).get("result", {}).get("count"),
        "asked_per_s": a.rate,
        "per_s": round(len(results) / elapsed, 1),
        "calls": len(results),
        "errors": sum(1 for *_, ok in results if not ok),
        "audited": sum(len(v) for v in audited.values()),
        "audit_wrong": wrong,
        "p50_ms": pct(every, 0.5),
        "p99_ms": pct(every, 0.99),
        "kinds": {
            k: {"n": len(v), "p50_ms": pct(v, 0.5), "p99_ms": pct(v, 0.99)}
            for k, v in sorted(by_kind.items())
        },
    }


def main() -> None:
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--datasets", type=int, default=10_000)
    se = sub.add_parser("search")
    se.add_argument("--rate", type=float, default=20)
    se.add_argument("--duration", type=float, default=20)
    se.add_argument("--threads", type=int, default=THREADS)
    a = p.parse_args()
    out = {"setup": setup, "search": search}[a.cmd](a)
    print(json.dumps(out, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
