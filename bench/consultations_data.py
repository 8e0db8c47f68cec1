"""The consultations scenario's fixtures and audit, inside Django on the bench database
(run by bench/scenarios/consultations.py).

    python bench/consultations_data.py setup
    python bench/consultations_data.py audit --number N --acked FILE --dups FILE --tokens FILE
    python bench/consultations_data.py report --responses 100000

`setup` creates, through the product's services, a city-wide poll of the demo hromada
(open, anyone verified, results live) with a 10-question survey of every kind and
prints one JSON line: the number, per question its id, kind and option ids, and
`points` — places inside the hromada's boundary (when one is drawn, as in the demo: a
point outside it is refused with point_outside) for the point question's answers.

`audit` reads the rows: every 201 has its submitted response (token → user) with its
answers and exactly one `consultations.response_submitted` ledger entry whose `answers`
is the number of questions answered (services.responses.answered_count); no person has
two responses; the count the results show (the snapshot's, refreshed by the worker,
and Consultation.response_count written with it) reaches the rows within 30 s. Prints
one JSON line.

`report` seeds a closed survey of the same questionnaire with N submitted responses by
bulk SQL (not the HTTP path) and times services.reports.report_draft on it."""

from __future__ import annotations

import argparse
import datetime as dt
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

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from hromada.accounts.models import Role, StaffRole  # noqa: E402
from hromada.consultations.models import (  # noqa: E402
    Answer,
    Consultation,
    Option,
    Question,
    Response,
    ResultSnapshot,
)
from hromada.consultations.services.consultations import consultation_create, consultation_publish  # noqa: E402
from hromada.consultations.services.snapshots import LIVE_INTERVAL, PACE  # noqa: E402
from hromada.ledger.models import LedgerEntry  # noqa: E402
from hromada.tenancy.models import Hromada  # noqa: E402

DAY = dt.timedelta(days=1)
QUESTIONS = [
    ("single", "Чи підтримуєте реконструкцію центрального парку?", ["Так", "Ні", "Важко сказати"], {}),
    ("single", "Як часто ви буваєте в парку?", ["Щодня", "Щотижня", "Рідше"], {}),
    (
        "multiple",
        "Що додати в парку?",
        ["Лави", "Ліхтарі", "Туалети", "Спортмайданчик", "Велодоріжки"],
        {"max_choices": 3},
    ),
    ("ranking", "Упорядкуйте пріоритети", ["Дороги", "Школи", "Парки", "Освітлення"], {}),
    ("scale", "Оцініть стан парку", [], {"scale_min": 1, "scale_max": 5}),
    ("scale", "Наскільки ви почуваєтеся там безпечно?", [], {"scale_min": 0, "scale_max": 10}),
    ("number", "Скільки хвилин ви йдете до парку?", [], {"number_min": 0, "number_max": 600}),
    ("short", "Одним словом: чого бракує?", [], {"required": False}),
    ("long", "Ваші побажання", [], {"required": False}),
    ("point", "Де поставити нові лави?", [], {"required": False}),
]


def _actor(hromada):
    return StaffRole.objects.filter(hromada=hromada, role=Role.ADMIN).first().user


def _survey(hromada, *, title: str, opens_at, closes_at, publish_at) -> Consultation:
    c = consultation_create(
        hromada=hromada,
        actor=_actor(hromada),
        kind="survey",
        title=title,
        summary="Опитування бенчмарку",
        opens_at=opens_at,
        closes_at=closes_at,
        audience="verified",
        results_visibility="live",
    )
    for order, (kind, text, options, extra) in enumerate(QUESTIONS, 1):
        q = Question.objects.create(
            hromada=hromada, consultation=c, order=order, kind=kind, text=text, **extra
        )
        for n, label in enumerate(options, 1):
            Option.objects.create(hromada=hromada, question=q, order=n, label=label)
    return consultation_publish(consultation=c, actor=_actor(hromada), now=publish_at)


def _describe(c: Consultation) -> list[dict]:
    return [
        {
            "id": str(q.public_id),
            "pk": q.pk,
            "kind": q.kind,
            "options": [str(o.public_id) for o in q.options.order_by("order")],
            "option_pks": [o.pk for o in q.options.order_by("order")],
            "max": q.max_choices,
            "scale": [q.scale_min, q.scale_max],
        }
        for q in c.questions.order_by("order")
    ]


def _points(hromada, n: int = 64) -> list[list[float]]:
    """n (lat, lon) inside the hromada's boundary (a box near the demo's centre if none
    is drawn), checked as services.responses checks an answer's point."""
    from hromada.places import selectors as places

    rng = random.Random(5)
    boundary = places.boundary(hromada=hromada)
    if boundary is None or boundary.min_lat is None:
        return [[round(49.02 + rng.random() / 50, 5), round(32.09 + rng.random() / 50, 5)] for _ in range(n)]
    found: list[list[float]] = []
    for _ in range(50 * n):
        lat = round(rng.uniform(boundary.min_lat, boundary.max_lat), 5)
        lon = round(rng.uniform(boundary.min_lon, boundary.max_lon), 5)
        if places.where(hromada=hromada, lat=lat, lon=lon).inside_hromada:
            found.append([lat, lon])
            if len(found) == n:
                break
    return found


def setup() -> dict:
    hromada = Hromada.objects.get(slug="demo")
    now = timezone.now()
    c = _survey(
        hromada,
        title="Міське опитування (бенчмарк)",
        opens_at=now - DAY,
        closes_at=now + 7 * DAY,
        publish_at=now - 2 * DAY,
    )
    return {"number": c.number, "questions": _describe(c), "points": _points(hromada)}


def audit(args) -> dict:
    c = Consultation.objects.get(hromada__slug="demo", number=args.number)
    users = {}
    for line in args.tokens.read_text().splitlines():
        idx, user_id, _token = line.split("\t")
        users[int(idx)] = int(user_id)
    acked = [int(x) for x in args.acked.read_text().split()] if args.acked.exists() else []
    dup_statuses = Counter(args.dups.read_text().split()) if args.dups.exists() else Counter()
    rows = list(
        Response.objects.filter(consultation=c, status="submitted").values_list(
            "pk", "user_id", "participant"
        )
    )
    by_user = Counter(u for _p, u, _v in rows)
    by_participant = Counter(v for _p, _u, v in rows)
    answered = set(
        Answer.objects.filter(response__consultation=c).values_list("response_id", flat=True).distinct()
    )
    response_of_user = {u: p for p, u, _v in rows}
    lost = [
        i for i in acked if by_user.get(users[i], 0) != 1 or response_of_user.get(users[i]) not in answered
    ]
    duplicates = sum(n - 1 for n in by_user.values() if n > 1) + sum(
        n - 1 for n in by_participant.values() if n > 1
    )
    entries = Counter(
        LedgerEntry.objects.filter(
            hromada=c.hromada, kind="consultations.response_submitted", payload__consultation=str(c.public_id)
        ).values_list("payload__participant", flat=True)
    )
    ledger_missing = sum(1 for v in by_participant if entries.get(v, 0) != 1)
    ledger_extra = sum(1 for v in entries if v not in by_participant)
    # The payload's `answers` is the questions answered, as response_submit writes it.
    answered = dict(
        Answer.objects.filter(response__consultation=c)
        .values("response__participant")
        .annotate(n=Count("question_id", distinct=True))
        .values_list("response__participant", "n")
    )
    ledger_answers_wrong = sum(
        1
        for participant, n in LedgerEntry.objects.filter(
            hromada=c.hromada, kind="consultations.response_submitted", payload__consultation=str(c.public_id)
        ).values_list("payload__participant", "payload__answers")
        if answered.get(participant) != n
    )
    # The count is the results snapshot's (services.snapshots), refreshed by the worker
    # every few seconds while the poll is open: wait until it has seen every row.
    # The worker paces refreshes at PACE × the computation's duration (snapshots.py):
    # wait for two of its periods at most.
    last = ResultSnapshot.objects.filter(consultation=c).values_list("took_ms", flat=True).first() or 0
    counted_in = _wait_for_count(c, len(rows), deadline=max(30.0, 2 * (PACE * last / 1000 + LIVE_INTERVAL)))
    c.refresh_from_db()
    snapshot = ResultSnapshot.objects.filter(consultation=c).first()
    # On this branch a replay reaches Django's API view (the questionnaire part's 409):
    # any 4xx is a refusal; 201 would be a second answer.
    replays_stored = dup_statuses.get("201", 0)
    replays_refused = sum(n for s, n in dup_statuses.items() if s.startswith("4"))
    ok = not lost and duplicates == 0 and ledger_missing == 0 and ledger_extra == 0 and replays_stored == 0
    ok = ok and ledger_answers_wrong == 0
    ok = ok and c.response_count == len(rows) and snapshot is not None and snapshot.respondents == len(rows)
    return {
        "ok": ok,
        "acknowledged": len(acked),
        "stored": len(rows),
        "lost": len(lost),
        "duplicates": duplicates,
        "ledger_entries": sum(entries.values()),
        "ledger_missing": ledger_missing,
        "ledger_extra": ledger_extra,
        "ledger_answers_wrong": ledger_answers_wrong,
        "counter": c.response_count,
        "snapshot_respondents": snapshot.respondents if snapshot is not None else None,
        "counted_in_s": counted_in,
        "replays": sum(dup_statuses.values()),
        "replays_refused": replays_refused,
        "replays_stored": replays_stored,
        "replay_statuses": dict(dup_statuses),
    }


def _wait_for_count(c: Consultation, n: int, *, deadline: float) -> float | None:
    """Seconds until the snapshot and response_count show n (None: not within deadline)."""
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        snapshot = ResultSnapshot.objects.filter(consultation=c).first()
        count = Consultation.objects.filter(pk=c.pk).values_list("response_count", flat=True).first()
        if snapshot is not None and snapshot.respondents == n and count == n:
            return round(time.monotonic() - start, 1)
        time.sleep(0.5)
    return None


def _seed(c: Consultation, n: int) -> None:
    """n submitted responses with answers to every question, by COPY-free bulk INSERTs."""
    rng = random.Random(7)
    spec = _describe(c)
    now = timezone.now() - DAY
    groups = ["18-35", "36-59", "60+", ""]
    batch = 5_000
    for start in range(0, n, batch):
        responses = [
            Response(
                hromada_id=c.hromada_id,
                consultation=c,
                participant=f"bench{start + i:08d}",
                status="submitted",
                submitted_at=now,
                age_group=groups[(start + i) % 4],
                public_id=uuid.uuid4(),
            )
            for i in range(min(batch, n - start))
        ]
        with transaction.atomic():
            Response.objects.bulk_create(responses, batch_size=5_000)
            answers = []
            for r in responses:
                for q in spec:
                    base = {"hromada_id": c.hromada_id, "response_id": r.pk, "question_id": q["pk"]}
                    kind, opts = q["kind"], q["option_pks"]
                    if kind == "single":
                        answers.append(Answer(**base, option_id=rng.choice(opts)))
                    elif kind == "multiple":
                        answers += [Answer(**base, option_id=o) for o in rng.sample(opts, rng.randint(1, 3))]
                    elif kind == "ranking":
                        answers += [
                            Answer(**base, option_id=o, rank=k)
                            for k, o in enumerate(rng.sample(opts, len(opts)), 1)
                        ]
                    elif kind == "scale":
                        answers.append(Answer(**base, number=rng.randint(*q["scale"])))
                    elif kind == "number":
                        answers.append(Answer(**base, number=rng.randint(1, 60)))
                    elif kind in ("short", "long") and rng.random() < 0.3:
                        answers.append(Answer(**base, text="Відповідь", text_state="shown"))
                    elif kind == "point" and rng.random() < 0.3:
                        answers.append(
                            Answer(**base, lat=48.5 + rng.random() / 20, lon=32.25 + rng.random() / 20)
                        )
            Answer.objects.bulk_create(answers, batch_size=10_000)
    Consultation.objects.filter(pk=c.pk).update(response_count=n)


def report(args) -> dict:
    from hromada.consultations.services.reports import report_draft

    hromada = Hromada.objects.get(slug="demo")
    now = timezone.now()
    c = _survey(
        hromada,
        title="Опитування для звіту (бенчмарк)",
        opens_at=now - 20 * DAY,
        closes_at=now - DAY,
        publish_at=now - 21 * DAY,
    )
    seeded = time.perf_counter()
    _seed(c, args.responses)
    seeded = time.perf_counter() - seeded
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE consultations_answer")
        cursor.execute("ANALYZE consultations_response")
    started = time.perf_counter()
    made = report_draft(consultation=c)
    took = time.perf_counter() - started
    from hromada.consultations.services.snapshots import snapshot_compute

    started = time.perf_counter()
    snapshot = snapshot_compute(consultation=c)
    snapshot_s = time.perf_counter() - started
    return {
        "snapshot_s": round(snapshot_s, 3),
        "snapshot_respondents": snapshot.respondents,
        "responses": made.figures["responses"],
        "answers": Answer.objects.filter(response__consultation=c).count(),
        "seed_s": round(seeded, 1),
        "report_draft_s": round(took, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("setup")
    a = sub.add_parser("audit")
    a.add_argument("--number", type=int, required=True)
    a.add_argument("--acked", type=Path, required=True)
    a.add_argument("--dups", type=Path, required=True)
    a.add_argument("--tokens", type=Path, required=True)
    r = sub.add_parser("report")
    r.add_argument("--responses", type=int, default=100_000)
    args = parser.parse_args()
    result = setup() if args.cmd == "setup" else audit(args) if args.cmd == "audit" else report(args)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
