"""The budget scenario's fixtures and audit, inside Django on the bench database
(run by bench/scenarios/budget.py).

    python bench/budget_data.py setup --out DIR
    python bench/budget_data.py audit --out DIR --category UUID --acked FILE --dups FILE --tokens FILE

`setup` creates, through the product's own cycle service, a cycle of the demo hromada
in its voting phase (the last evening: it ends in a few hours), with two pots — "Малі
проєкти" (approval, up to 3 of 12) and "Великі проєкти" (knapsack, 3 000 000 грн, 12
projects of 300 000–900 000) — admitted projects and a published ballot. Prints one
JSON line (slug, category ids, project ids and costs).

`audit` reads the rows themselves: every request answered 201 has exactly one ballot
of that resident (token → user), no voter has two ballots in the category, the ledger
has exactly one `budget.ballot_cast` entry per ballot (voter by voter, recomputed with
the product's own voter_pseudonym), and every duplicate attempt was refused (409).
Prints one JSON line."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from hromada.accounts.models import Identity, Role, StaffRole  # noqa: E402
from hromada.budget import rules  # noqa: E402
from hromada.budget.models import Ballot, Category, Project, ProjectStatus  # noqa: E402
from hromada.budget.services.cycles import CategorySpec, Regulation, cycle_create  # noqa: E402
from hromada.ledger.models import LedgerEntry  # noqa: E402
from hromada.tenancy.models import Hromada  # noqa: E402

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def setup(out: Path) -> dict:
    hromada = Hromada.objects.get(slug="demo")
    actor = StaffRole.objects.filter(hromada=hromada, role=Role.ADMIN).first().user
    now = timezone.now()
    # The last evening of voting: ideas … ballot in the past, voting ends in 3 hours.
    dates, start = {}, now - 30 * DAY
    for code, length in (("ideas", 7 * DAY), ("review", 7 * DAY), ("ballot", 16 * DAY - 3 * HOUR)):
        dates[code] = (start, start + length)
        start += length
    dates["voting"] = (start, now + 3 * HOUR)
    dates["results"] = (now + 3 * HOUR, now + 10 * DAY)
    dates["implementation"] = (now + 10 * DAY, now + 365 * DAY)
    cycle = cycle_create(
        hromada=hromada,
        actor=actor,
        title="Бюджет участі (бенчмарк)",
        slug="bench",
        phase_dates=dates,
        categories=[
            CategorySpec(
                title="Малі проєкти",
                slug="small",
                kind="small",
                pot=1_200_000,
                min_cost=20_000,
                max_cost=300_000,
                rule="approval",
                max_choices=3,
            ),
            CategorySpec(
                title="Великі проєкти",
                slug="large",
                kind="large",
                pot=3_000_000,
                min_cost=300_000,
                max_cost=1_000_000,
                rule="knapsack",
            ),
        ],
        # Anyone verified: the bench's residents declared no address (the residency
        # read is made on every ballot all the same).
        regulation=Regulation(min_age=14, residence="any"),
    )
    result: dict = {"slug": cycle.slug, "categories": {}}
    number = 1
    for category in Category.objects.filter(cycle=cycle).order_by("order"):
        projects = []
        for i in range(12):
            cost = 50_000 + 20_000 * i if category.slug == "small" else 300_000 + 50_000 * i
            p = Project.objects.create(
                hromada=hromada,
                cycle=cycle,
                category=category,
                number=number,
                status=ProjectStatus.ADMITTED,
                title=f"Проєкт {number} ({category.title})",
                summary="Проєкт бенчмарку",
                description="Опис",
                problem="Проблема",
                beneficiaries="Мешканці",
                cost=cost,
                author_name="Бенчмарк",
                submitted_at=now - 25 * DAY,
            )
            projects.append({"id": str(p.public_id), "cost": cost})
            number += 1
        result["categories"][category.slug] = {
            "id": category.pk,
            "uuid": str(category.public_id),
            "rule": category.rule,
            "pot": int(category.pot),
            "max_choices": category.max_choices,
            "projects": projects,
        }
    cycle.next_project_number = number
    cycle.published_at = now - HOUR
    cycle.save(update_fields=["next_project_number", "published_at"])
    return result


def audit(args) -> dict:
    category = Category.objects.select_related("cycle").get(public_id=args.category)
    cycle = category.cycle
    users = {}
    for line in args.tokens.read_text().splitlines():
        idx, user_id, _token = line.split("\t")
        users[int(idx)] = int(user_id)
    acked = [int(x) for x in args.acked.read_text().split()] if args.acked.exists() else []
    dup_statuses = Counter(args.dups.read_text().split()) if args.dups.exists() else Counter()
    rows = list(Ballot.objects.filter(category=category).values_list("user_id", "voter", "channel"))
    by_user = Counter(u for u, _v, _c in rows)
    by_voter = Counter(v for _u, v, _c in rows)
    lost = [i for i in acked if by_user.get(users[i], 0) != 1]
    acked_users = {users[i] for i in acked}
    duplicates = sum(n - 1 for n in by_user.values() if n > 1) + sum(
        n - 1 for n in by_voter.values() if n > 1
    )
    unacknowledged = [u for u in by_user if u not in acked_users]
    entries = Counter(
        LedgerEntry.objects.filter(
            hromada=cycle.hromada, kind="budget.ballot_cast", payload__category=str(category.public_id)
        ).values_list("payload__voter", flat=True)
    )
    ledger_missing = sum(1 for v in by_voter if entries.get(v, 0) != 1)
    ledger_extra = sum(1 for v in entries if v not in by_voter)
    # The voter on each ballot is the product's pseudonym of the resident's identity.
    tax = dict(
        Identity.objects.filter(user_id__in=list(acked_users)[:2000]).values_list("user_id", "tax_hash")
    )
    voters = {u: v for u, v, _c in rows}
    wrong_voter = sum(
        1 for u, t in tax.items() if voters.get(u) != rules.voter_pseudonym(cycle=cycle, person_key=t)
    )
    dups_refused = dup_statuses.get("409", 0)
    dups_total = sum(dup_statuses.values())
    ok = (
        not lost
        and duplicates == 0
        and ledger_missing == 0
        and ledger_extra == 0
        and wrong_voter == 0
        and dups_refused == dups_total - dup_statuses.get("0", 0)
    )
    return {
        "ok": ok,
        "acknowledged": len(acked),
        "stored": len(rows),
        "lost": len(lost),
        "lost_sample": lost[:10],
        "duplicates": duplicates,
        "unacknowledged_rows": len(unacknowledged),
        "ledger_entries": sum(entries.values()),
        "ledger_missing": ledger_missing,
        "ledger_extra": ledger_extra,
        "voter_pseudonym_checked": len(tax),
        "voter_pseudonym_wrong": wrong_voter,
        "duplicate_attempts": dups_total,
        "duplicate_attempts_refused_409": dups_refused,
        "duplicate_attempt_statuses": dict(dup_statuses),
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("command", choices=["setup", "audit"])
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--category")
    p.add_argument("--acked", type=Path)
    p.add_argument("--dups", type=Path)
    p.add_argument("--tokens", type=Path)
    args = p.parse_args()
    result = setup(args.out) if args.command == "setup" else audit(args)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
