"""The appeals scenario's fixtures and audit, inside Django on the bench database (run by
bench/run.py before the server starts, and by bench/scenarios/appeals.py).

    python bench/appeals_data.py setup --out DIR [--seed 100000]
    python bench/appeals_data.py audit --out DIR

`setup` (idempotent, bounded: nothing is done twice, the seed is one COPY):
- report categories of the demo hromada, each with a department: the demo's own when it
  has some, else 12 storm-relevant ones (street lighting, fallen trees, roads, water…)
  with their municipal enterprises and departments, through the ORM;
- `--seed` public problem reports (moderation shown, every category, open and closed
  states, registered over the past year) by one COPY: 75 % of them near the register's
  buildings, the rest anywhere inside the hromada's boundary. Their numbers are the
  hromada's next ones and the case counter is moved past them, so the storm's numbers
  follow. Their reminder bookkeeping is set, so the worker's tick has nothing to send
  for them during the bench. No history, ledger entries or photos: the map and Open311
  read the case rows;
- four real JPEG photos (Pillow, 1280 × 960, ~30–80 KB each) in DIR/photos;
- points inside the boundary for the storm (buildings' points, checked with
  places.inside_boundary as the API checks a report's point);
- the server's RATE_LIMITS override: every per-address limit of the API and of appeals
  raised out of the way, since the bench is one address and a storm is thousands of
  phones (per-account limits stay as configured; each report is another resident's).
Prints one JSON line.

`audit` reads DIR/client.tsv (what the client saw, one line per request: key, token
index, photo index, status, case id, number; status -1 = sent but never answered) and the
rows: every 201 has exactly one registered case with that id, of that resident, with the
number the client was told, its photo attachment (the file on disk), one REGISTERED event
and one `appeals.case_registered` ledger entry; numbers of the storm's cases are unique
and consecutive after the seed's; no resident has two cases; a stored case nobody was told
about is accepted only when its request got no answer (timed out, cut, the run's end) and
listed. Prints one JSON line."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import random
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Max, Min  # noqa: E402
from django.utils import timezone  # noqa: E402

from hromada.appeals.models import (  # noqa: E402
    Attachment,
    AttachmentKind,
    Case,
    CaseCounter,
    CaseEvent,
    CaseKind,
    CaseStatus,
    Category,
    CategoryAttribute,
    Channel,
    Department,
    DepartmentKind,
    EventKind,
    Moderation,
)
from hromada.ledger.models import LedgerEntry  # noqa: E402
from hromada.places import selectors as places  # noqa: E402
from hromada.places.models import Building  # noqa: E402
from hromada.tenancy.models import Hromada  # noqa: E402

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
STORM_POINTS = 2_000
PHOTOS = 4
# A limit this high never refuses the bench and still costs its counter upsert.
OUT_OF_THE_WAY = "1000000/m"

# code, name, department slug, target hours: what a storm breaks, and who mends it.
DEPARTMENTS = {
    "misksvitlo": ("КП «Міськсвітло»", DepartmentKind.ENTERPRISE),
    "zelenbud": ("КП «Зеленбуд»", DepartmentKind.ENTERPRISE),
    "shliakh": ("КП «Шляхрембуд»", DepartmentKind.ENTERPRISE),
    "vodokanal": ("КП «Водоканал»", DepartmentKind.ENTERPRISE),
    "blagoustrii": ("КП «Благоустрій»", DepartmentKind.ENTERPRISE),
    "zhkg": ("Відділ житлово-комунального господарства", DepartmentKind.DEPARTMENT),
    "transport": ("Відділ транспорту", DepartmentKind.DEPARTMENT),
}
CATEGORIES = [
    ("street-lighting", "Не світить ліхтар", "misksvitlo", 72),
    ("fallen-tree", "Повалене дерево чи гілки", "zelenbud", 24),
    ("pothole", "Яма на дорозі", "shliakh", 240),
    ("water-supply", "Немає води, прорив труби", "vodokanal", 24),
    ("storm-drain", "Забитий зливостік", "vodokanal", 48),
    ("flooding", "Підтоплення вулиці чи двору", "vodokanal", 24),
    ("waste", "Не вивезене сміття", "blagoustrii", 48),
    ("playground", "Пошкоджений дитячий майданчик", "blagoustrii", 168),
    ("power-line", "Обірваний дріт", "zhkg", 12),
    ("roof", "Пошкоджений дах будинку", "zhkg", 120),
    ("traffic-light", "Світлофор чи дорожній знак", "shliakh", 24),
    ("bus-stop", "Зупинка громадського транспорту", "transport", 168),
]
TEXTS = [
    "Після нічної бурі {what} — біля будинку, просимо прибрати якнайшвидше.",
    "{what}. Ще з вечора, через негоду. Небезпечно для дітей і пішоходів.",
    "Вранці побачили: {what}. Фото додаю, місце позначила на карті.",
    "{what} після зливи, пройти неможливо. Прошу передати відповідальній службі.",
]

# Seeded states (share of the seed): open ones and every kind of closing.
SEED_STATUSES = [
    (CaseStatus.REGISTERED, 0.08),
    (CaseStatus.ASSIGNED, 0.17),
    (CaseStatus.IN_PROGRESS, 0.10),
    (CaseStatus.RESOLVED, 0.45),
    (CaseStatus.NOT_FIXED, 0.10),
    (CaseStatus.REJECTED, 0.10),
]
SEED_CHANNELS = [(Channel.WEB, 0.6), (Channel.API, 0.15), (Channel.HOTLINE, 0.2), (Channel.PAPER, 0.05)]


def _pick(rng: random.Random, weighted: list) -> object:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def _hromada() -> Hromada:
    return Hromada.objects.get(slug="demo")


# --- set-up -------------------------------------------------------------------------------------


def _categories(hromada: Hromada) -> list[Category]:
    """The demo's report categories, or the bench's 12 with their departments."""
    existing = list(Category.objects.for_hromada(hromada).filter(kind=CaseKind.REPORT, active=True))
    if existing:
        return existing
    departments = {}
    for slug, (name, kind) in DEPARTMENTS.items():
        departments[slug], _ = Department.objects.for_hromada(hromada).get_or_create(
            hromada=hromada, slug=f"bench-{slug}", defaults={"name": name, "kind": kind}
        )
    made = []
    for order, (code, name, dep, hours) in enumerate(CATEGORIES, 1):
        category, _ = Category.objects.for_hromada(hromada).get_or_create(
            hromada=hromada,
            code=code,
            defaults={
                "kind": CaseKind.REPORT,
                "name": name,
                "department": departments[dep],
                "target_hours": hours,
                "order": order,
            },
        )
        made.append(category)
    return made


def _attribute_answers(category: Category) -> dict[str, str]:
    """A plausible answer to each required attribute (Open311 attribute[code])."""
    answers = {}
    for a in CategoryAttribute.objects.for_hromada(category.hromada_id).filter(
        category=category, required=True
    ):
        if a.datatype in ("singlevaluelist", "multivaluelist") and a.values:
            answers[a.code] = str(a.values[0].get("key", ""))
        elif a.datatype == "number":
            answers[a.code] = "1"
        elif a.datatype == "datetime":
            answers[a.code] = timezone.now().replace(microsecond=0).isoformat()
        else:
            answers[a.code] = "1"
    return answers


def _box(hromada: Hromada, buildings: list[tuple[float, float]]) -> dict:
    b = places.boundary(hromada=hromada)
    if b is not None and b.min_lat is not None:
        return {"w": b.min_lon, "s": b.min_lat, "e": b.max_lon, "n": b.max_lat, "boundary": True}
    lats, lons = [p[0] for p in buildings], [p[1] for p in buildings]
    return {"w": min(lons), "s": min(lats), "e": max(lons), "n": max(lats), "boundary": False}


def _inside(hromada: Hromada, lat: float, lon: float) -> bool:
    return places.inside_boundary(hromada=hromada, lat=lat, lon=lon) is not False


def _points(hromada: Hromada, box: dict, buildings: list, n: int, rng: random.Random, near: float) -> list:
    """n points inside the boundary: `near` of them within ~30 m of a building."""
    out: list[tuple[float, float]] = []
    tries = 0
    while len(out) < n and tries < 20 * n:
        tries += 1
        if buildings and rng.random() < near:
            lat, lon = rng.choice(buildings)
            lat, lon = lat + rng.uniform(-0.00027, 0.00027), lon + rng.uniform(-0.0004, 0.0004)
        else:
            lat, lon = rng.uniform(box["s"], box["n"]), rng.uniform(box["w"], box["e"])
        lat, lon = round(lat, 6), round(lon, 6)
        if _inside(hromada, lat, lon):
            out.append((lat, lon))
    return out


def _photos(out: Path) -> list[dict]:
    """PHOTOS different JPEGs of a "fallen tree in the rain": gradients, shapes and some
    grain, at a quality that lands each between 30 and 80 KB."""
    from PIL import Image, ImageDraw, ImageFilter

    folder = out / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(PHOTOS):
        rng = random.Random(100 + i)
        w, h = 1280, 960
        img = Image.linear_gradient("L").resize((w, h)).convert("RGB")
        sky = Image.new("RGB", (w, h), (90 + 20 * i, 110, 130 - 10 * i))
        img = Image.blend(img, sky, 0.6)
        draw = ImageDraw.Draw(img)
        for _ in range(40):
            x, y = rng.randrange(w), rng.randrange(h // 2, h)
            r = rng.randrange(20, 160)
            shade = tuple(rng.randrange(30, 140) for _ in range(3))
            draw.ellipse((x - r, y - r // 2, x + r, y + r // 2), fill=shade)
        draw.line((rng.randrange(w), 0, rng.randrange(w), h), fill=(70, 50, 30), width=40)
        grain = Image.effect_noise((w, h), 24).convert("RGB")
        img = Image.blend(img, grain, 0.12).filter(ImageFilter.GaussianBlur(1.2))
        data = b""
        for quality in (70, 60, 50, 40, 30, 22, 15):
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=quality, optimize=True)
            data = buf.getvalue()
            if len(data) <= 80_000:
                break
        path = folder / f"photo-{i}.jpg"
        path.write_bytes(data)
        made.append({"path": str(path), "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    return made


def _seed(hromada: Hromada, categories: list[Category], points: list, n: int, rng: random.Random) -> dict:
    """n shown reports by one COPY (every column the model has: the ORM's defaults for
    those not set here), numbered after the hromada's last number."""
    from psycopg.types.json import Jsonb

    now = timezone.now()
    counter, _ = CaseCounter.objects.for_hromada(hromada).get_or_create(hromada=hromada)
    first = counter.last + 1
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    texts = {c.pk: c.name for c in categories}
    earliest = latest = None
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {Case._meta.db_table} ({columns}) FROM STDIN") as copy:  # noqa: S608 - names from model metadata
            for k in range(n):
                category = rng.choice(categories)
                status = _pick(rng, SEED_STATUSES)
                registered = now - HOUR - dt.timedelta(seconds=rng.uniform(0, 365 * 86400))
                hours = category.target_hours or 240
                due = registered + dt.timedelta(hours=hours)
                lat, lon = rng.choice(points)
                closed = status in (CaseStatus.RESOLVED, CaseStatus.NOT_FIXED, CaseStatus.REJECTED)
                answered = registered + dt.timedelta(hours=rng.uniform(1, 2 * hours)) if closed else None
                if answered is not None and answered > now:
                    answered = now
                row = {
                    "hromada_id": hromada.pk,
                    "public_id": uuid.uuid4(),
                    "created_at": registered,
                    "updated_at": answered or registered,
                    "kind": CaseKind.REPORT,
                    "channel": _pick(rng, SEED_CHANNELS),
                    "status": status,
                    "number": first + k,
                    "category_id": category.pk,
                    "department_id": category.department_id if status != CaseStatus.REGISTERED else None,
                    "title": texts[category.pk],
                    "text": rng.choice(TEXTS).format(what=texts[category.pk].lower()),
                    "lat": lat + rng.uniform(-0.00005, 0.00005),
                    "lon": lon + rng.uniform(-0.00008, 0.00008),
                    "anonymous": rng.random() < 0.8,
                    "moderation": Moderation.SHOWN,
                    "registered_at": registered,
                    "due_at": due,
                    "first_due_at": due,
                    "answered_at": answered,
                    "answer": "Усунено, дякуємо за повідомлення." if status == CaseStatus.RESOLVED else "",
                    "close_reason": "Не в компетенції ради." if status == CaseStatus.REJECTED else "",
                    "reminded_at": now,
                    "escalated_at": now,
                    "overdue_notified_at": now,
                    "supporters": rng.choice((0, 0, 0, 1, 2, 5)),
                }
                values = []
                for f in fields:
                    value = row[f.attname] if f.attname in row else f.get_default()
                    if f.get_internal_type() == "JSONField":
                        value = Jsonb(value)
                    values.append(value)
                copy.write_row(values)
                earliest = registered if earliest is None or registered < earliest else earliest
                latest = registered if latest is None or registered > latest else latest
        CaseCounter.objects.filter(pk=counter.pk).update(last=first + n - 1)
    with connection.cursor() as cursor:
        # VACUUM too: the map's clusters are counted by an index-only scan, which needs
        # the visibility map a fresh COPY has not got yet (autovacuum would set it later).
        cursor.execute(f"VACUUM ANALYZE {Case._meta.db_table}")  # noqa: S608 - name from model metadata
    return {
        "numbers": [first, first + n - 1],
        "registered_from": earliest.isoformat() if earliest else None,
        "registered_to": latest.isoformat() if latest else None,
    }


def rate_limits_env() -> str:
    """RATE_LIMITS for the bench server: the per-address limits the storm's requests meet
    (the API's write budget and every appeals limit), raised out of the way."""
    mine = [
        name
        for name in settings.RATE_LIMITS
        if name.endswith(":address") and (name.startswith("appeals.") or name.startswith("api."))
    ]
    return ",".join(f"{name}={OUT_OF_THE_WAY}" for name in sorted(mine))


def setup(args) -> dict:
    t0 = time.perf_counter()
    rng = random.Random(13)
    hromada = _hromada()
    categories = _categories(hromada)
    buildings = list(
        Building.objects.for_hromada(hromada)
        .filter(lat__isnull=False, lon__isnull=False)
        .values_list("lat", "lon")
    )
    box = _box(hromada, buildings)
    storm_points = [
        p for p in rng.sample(buildings, min(len(buildings), 3 * STORM_POINTS)) if _inside(hromada, *p)
    ][:STORM_POINTS] or _points(hromada, box, buildings, STORM_POINTS, rng, near=0.0)
    already = (
        Case.objects.for_hromada(hromada).filter(kind=CaseKind.REPORT, moderation=Moderation.SHOWN).count()
    )
    seed: dict = {"requested": args.seed, "already_there": already, "seeded": 0, "seconds": 0.0}
    if already < args.seed:
        t = time.perf_counter()
        want = args.seed - already
        seed_points = _points(hromada, box, buildings, min(want, 25_000), rng, near=0.75)
        seed.update(_seed(hromada, categories, seed_points, want, rng))
        seed["seeded"] = want
        seed["seconds"] = round(time.perf_counter() - t, 1)
    shown = Case.objects.for_hromada(hromada).filter(kind=CaseKind.REPORT, moderation=Moderation.SHOWN)
    span = shown.aggregate(
        n=Count("pk"),
        first=Min("number"),
        last=Max("number"),
        since=Min("registered_at"),
        until=Max("registered_at"),
    )
    counter, _ = CaseCounter.objects.for_hromada(hromada).get_or_create(hromada=hromada)
    return {
        "hromada": hromada.slug,
        "categories": [
            {
                "code": c.code,
                "name": c.name,
                "department": bool(c.department_id),
                "attributes": _attribute_answers(c),
            }
            for c in categories
        ],
        "box": box,
        "storm_points": [[round(lat, 6), round(lon, 6)] for lat, lon in storm_points],
        "shown_reports": span["n"],
        "shown_numbers": [span["first"], span["last"]],
        "shown_registered_from": span["since"].isoformat() if span["since"] else None,
        "shown_registered_to": span["until"].isoformat() if span["until"] else None,
        "seed": seed,
        "counter_start": counter.last,
        "photos": _photos(args.out),
        "rate_limits": rate_limits_env(),
        "buildings": len(buildings),
        "seconds": round(time.perf_counter() - t0, 1),
    }


# --- audit --------------------------------------------------------------------------------------


def audit(args) -> dict:
    hromada = _hromada()
    setup_data = json.loads((args.out / "setup.json").read_text())
    counter_start = setup_data["counter_start"]
    photo_sha = [p["sha256"] for p in setup_data["photos"]]
    users = {}
    for line in args.tokens.read_text().splitlines():
        idx, user_id, _token = line.split("\t")
        users[int(idx)] = int(user_id)
    # What the client saw: key, token index, photo index, status, case id, number.
    sent: dict[int, dict] = {}
    for line in (args.out / "client.tsv").read_text().splitlines():
        key, token, photo, status, case_id, number = line.split("\t")
        sent[int(key)] = {
            "user": users[int(token)],
            "photo": int(photo),
            "status": int(status),
            "id": case_id if case_id != "-" else None,
            "number": int(number) if number != "-" else None,
        }
    by_user = {v["user"]: k for k, v in sent.items()}
    acked = {k: v for k, v in sent.items() if v["status"] == 201}

    storm = Case.objects.for_hromada(hromada).filter(kind=CaseKind.REPORT)
    storm = storm.filter(number__gt=counter_start) | storm.filter(number=None, applicant_id__in=list(by_user))
    rows = list(storm.values("pk", "public_id", "number", "applicant_id", "status", "moderation"))
    by_id = {str(r["public_id"]): r for r in rows}
    per_applicant = Counter(r["applicant_id"] for r in rows)
    pks = [r["pk"] for r in rows]

    photos: dict[int, list] = {}
    for a in (
        Attachment.objects.for_hromada(hromada)
        .filter(case_id__in=pks, kind=AttachmentKind.PHOTO)
        .values("case_id", "sha256", "size", "file")
    ):
        photos.setdefault(a["case_id"], []).append(a)
    events = Counter(
        CaseEvent.objects.for_hromada(hromada)
        .filter(case_id__in=pks, kind=EventKind.REGISTERED)
        .values_list("case_id", flat=True)
    )
    ledger = Counter(
        LedgerEntry.objects.filter(
            hromada=hromada, kind="appeals.case_registered", payload__case__in=list(by_id)
        ).values_list("payload__case", flat=True)
    )

    lost, wrong_owner, wrong_number, no_photo, no_file, no_event, ledger_missing = [], [], [], [], [], [], []
    photos_as_sent = 0
    for key, seen in acked.items():
        row = by_id.get(seen["id"] or "")
        if row is None:
            lost.append(key)
            continue
        if row["applicant_id"] != seen["user"]:
            wrong_owner.append(key)
        if seen["number"] is not None and row["number"] != seen["number"]:
            wrong_number.append(key)
        mine = photos.get(row["pk"], [])
        if len(mine) != 1:
            no_photo.append(key)
        else:
            if mine[0]["sha256"] == photo_sha[seen["photo"] % len(photo_sha)]:
                photos_as_sent += 1
            if not mine[0]["file"] or not default_storage.exists(mine[0]["file"]):
                no_file.append(key)
        if events.get(row["pk"], 0) != 1:
            no_event.append(key)
        if ledger.get(seen["id"], 0) != 1:
            ledger_missing.append(key)

    acked_ids = {v["id"] for v in acked.values()}
    unacknowledged, stored_despite_answer, unknown = [], [], []
    for r in rows:
        if str(r["public_id"]) in acked_ids:
            continue
        key = by_user.get(r["applicant_id"])
        if key is None:
            unknown.append(str(r["public_id"]))
        elif sent[key]["status"] in (-1, 0):  # no answer: timed out, cut, or the run's end
            unacknowledged.append({"key": key, "client_saw": sent[key]["status"], "number": r["number"]})
        else:
            stored_despite_answer.append({"key": key, "client_saw": sent[key]["status"]})
    duplicates = sum(n - 1 for n in per_applicant.values() if n > 1)
    numbers = sorted(r["number"] for r in rows if r["number"] is not None)
    gaps = (numbers[-1] - numbers[0] + 1 - len(numbers)) if numbers else 0
    counter = CaseCounter.objects.for_hromada(hromada).get(hromada=hromada).last
    numbers_ok = (
        len(numbers) == len(set(numbers))
        and gaps == 0
        and (not numbers or (numbers[0] == counter_start + 1 and numbers[-1] == counter))
    )
    ledger_extra = sum(n - 1 for n in ledger.values() if n > 1)
    ok = (
        not lost
        and not wrong_owner
        and not wrong_number
        and not no_photo
        and not no_file
        and not no_event
        and not ledger_missing
        and not stored_despite_answer
        and not unknown
        and duplicates == 0
        and ledger_extra == 0
        and numbers_ok
    )
    return {
        "ok": ok,
        "requests": len(sent),
        "acknowledged": len(acked),
        "stored": len(rows),
        "lost": len(lost),
        "lost_keys": lost[:20],
        "wrong_applicant": len(wrong_owner),
        "wrong_number": len(wrong_number),
        "photo_missing": len(no_photo),
        "photo_file_missing": len(no_file),
        "photos_as_sent": photos_as_sent,
        "registered_event_missing": len(no_event),
        "ledger_entries": sum(ledger.values()),
        "ledger_missing": len(ledger_missing),
        "ledger_extra": ledger_extra,
        "duplicates": duplicates,
        "numbers": [numbers[0], numbers[-1]] if numbers else None,
        "number_gaps": gaps,
        "numbers_ok": numbers_ok,
        "counter": counter,
        "counter_start": counter_start,
        "statuses_stored": dict(Counter(r["status"] for r in rows)),
        "moderation_stored": dict(Counter(r["moderation"] for r in rows)),
        "drafts": sum(1 for r in rows if r["status"] == CaseStatus.DRAFT),
        "unacknowledged_stored": len(unacknowledged),
        "unacknowledged": unacknowledged[:20],
        "stored_despite_refusal": stored_despite_answer[:20],
        "stored_despite_refusal_n": len(stored_despite_answer),
        "stored_unknown": len(unknown),
        "client_statuses": dict(Counter(str(v["status"]) for v in sent.values())),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--seed", type=int, default=100_000)
    a = sub.add_parser("audit")
    a.add_argument("--out", type=Path, required=True)
    a.add_argument("--tokens", type=Path, required=True)
    args = parser.parse_args()
    if args.cmd == "setup":
        args.out.mkdir(parents=True, exist_ok=True)
        result = setup(args)
        (args.out / "setup.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        result = audit(args)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
