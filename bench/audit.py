"""The audit of the signing scenarios, in two halves.

In the bench's process (run.py and the scenarios call these): `audit_scenario` writes
down what the load generator saw, waits until the petition page, the API and the
rolled-up column show the stored count, and runs this file as a script;
`ledger_final`, after the last scenario, waits for the worker's seal and runs
`manage.py ledger_verify`. The bench's process never sets Django up.

As a script, inside Django, on the bench database:

    python bench/audit.py --petition-id ID --acked FILE --tokens FILE [--seen FILE]

--acked: token indices that were answered 201, one a line.
--seen:  "<token index> <status>" for every request the load generator logged, plus
         "<token index> inflight" for the request each connection may have had in
         flight when the run stopped; used to explain rows nobody was told about.
--tokens: bench/setup_data.py's tokens.tsv ("<index>\t<user id>\t<token>").

Prints one JSON object. It reads the rows themselves (no cache, no rolled-up count)
and recomputes each signer's ledger pseudonym with the product's own function, so
"one ledger entry per signature" is checked signer by signer, not only by count."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from processes import BENCH, HOST, PY, ROOT, http_get, psql, run
from report import log, r1

if TYPE_CHECKING:
    from processes import Bench, Load

# Seconds a finished run may take until every figure a reader sees is exact: the live
# count is cached LIVE_COUNT_SECONDS (2 s) per server process and the worker rolls
# the stored count up every 15 s (docs: petitions). The audit polls up to this long.
REFRESH_DEADLINE_S = 30
# The script lists at most this many lost rows' token indices.
SAMPLE = 10


# --- in the bench's process ---------------------------------------------------------------------


def audit_scenario(bench: Bench, name: str, load: Load) -> dict:
    """Audit the signing scenario `name` on its own petition, once its load has ended."""
    pet = bench.setup["petitions"][name]
    where = bench.out / name
    acked = [r[0] for r in load.records if r[1] == 201]
    (where / "acked.txt").write_text("\n".join(map(str, acked)))
    seen_lines = [f"{r[0]} {r[1]}" for r in load.records]
    # A thread that did not stop by itself (no answer within wrk's grace) may have
    # had a request in flight when wrk ended: its next token.
    c = load.connections
    for t in range(c):
        nxt = t + load.per_thread.get(t, 0) * c
        if t not in load.stopped and nxt < len(bench.tokens):
            seen_lines.append(f"{nxt} inflight")
    (where / "seen.txt").write_text("\n".join(seen_lines))
    refresh = wait_count(bench, pet)
    out = run(
        [
            PY,
            str(BENCH / "audit.py"),
            "--petition-id",
            str(pet["id"]),
            "--acked",
            str(where / "acked.txt"),
            "--tokens",
            str(bench.out / "tokens.tsv"),
            "--seen",
            str(where / "seen.txt"),
        ],
        env=bench.env(),
        capture=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result.update(refresh)
    result["count_ok"] = (
        refresh["page_count"] == result["stored"] and refresh["api_count"] == result["stored"]
    )
    result["ok"] = result["ok"] and result["count_ok"]
    log(
        f"  audit: acknowledged {result['acknowledged']}, stored {result['stored']}, lost {result['lost']}, "
        f"duplicates {result['duplicates']}, ledger {result['ledger_entries']} "
        f"(missing {result['ledger_missing']}), page {refresh['page_count']} after {refresh['page_after_s']} s, "
        f"rolled-up {refresh['rolled_up_count']} after {refresh['rolled_up_after_s']} s"
        f"{'' if result['ok'] else '  <-- AUDIT FAILED'}"
    )
    return result


def wait_count(bench: Bench, pet: dict) -> dict:
    """Poll the petition page, the API and the rolled-up column until they show the
    stored count (they must, within REFRESH_DEADLINE_S)."""
    a = bench.args
    t0 = time.time()
    stored = int(
        psql(a, a.db_name, f"SELECT count(*) FROM petitions_signature WHERE petition_id = {pet['id']}")
    )
    base = f"http://{HOST}:{a.port}"
    page = api = rolled = None
    page_at = api_at = rolled_at = None
    streak_page = streak_api = 0
    while time.time() - t0 < REFRESH_DEADLINE_S:
        if page_at is None:
            status, body = http_get(f"{base}/petitions/{pet['uuid']}/")
            m = re.search(r'aria-valuenow="(\d+)"', body)
            page = int(m.group(1)) if m else None
            # Several server processes each cache the count: several equal answers in a row.
            streak_page = streak_page + 1 if page == stored else 0
            if streak_page >= 2 * a.workers:
                page_at = time.time() - t0
        if api_at is None:
            status, body = http_get(f"{base}/api/v1/petitions/{pet['uuid']}")
            with contextlib.suppress(ValueError):
                api = json.loads(body).get("signatures") if status == 200 else None
            streak_api = streak_api + 1 if api == stored else 0
            if streak_api >= 2 * a.workers:
                api_at = time.time() - t0
        if rolled_at is None:
            rolled = int(
                psql(a, a.db_name, f"SELECT signature_count FROM petitions_petition WHERE id = {pet['id']}")
            )
            if rolled == stored:
                rolled_at = time.time() - t0
        if page_at is not None and api_at is not None and rolled_at is not None:
            break
        time.sleep(0.25)
    return {
        "page_count": page,
        "page_after_s": r1(page_at),
        "api_count": api,
        "api_after_s": r1(api_at),
        "rolled_up_count": rolled,
        "rolled_up_after_s": r1(rolled_at),
        "rolled_up_ok": rolled_at is not None,
    }


def ledger_final(bench: Bench) -> dict:
    """Wait for the worker's seal to cover every entry, then run ledger_verify."""
    a = bench.args
    log("ledger: waiting for a seal that covers every entry, then manage.py ledger_verify")
    t0 = time.time()
    pending_sql = (
        "SELECT count(*) FROM ledger_ledgerentry e WHERE NOT EXISTS "
        "(SELECT 1 FROM ledger_ledgerleaf l WHERE l.entry_id = e.id)"
    )
    pending = None
    while time.time() - t0 < 60:
        pending = int(psql(a, a.db_name, pending_sql))
        if pending == 0:
            break
        time.sleep(1)
    sealed_by = "worker" if pending == 0 else None
    if pending:
        log(f"  {pending} entries still unsealed after 60 s; sealing with ledger_seal()")
        run(
            [
                PY,
                "-c",
                "import django; django.setup(); from hromada.ledger.services import ledger_seal; "
                "from hromada.tenancy.models import Hromada; [ledger_seal(hromada=h) for h in Hromada.objects.all()]",
            ],
            env=bench.env(),
        )
        sealed_by = "bench (worker did not seal within 60 s)"
    verify = run([PY, "manage.py", "ledger_verify"], env=bench.env(), check=False, capture=True)
    (bench.out / "ledger_verify.txt").write_text(verify.stdout)
    entries = int(psql(a, a.db_name, "SELECT count(*) FROM ledger_ledgerentry"))
    result = {
        "verify_exit": verify.returncode,
        "verify_output_tail": verify.stdout.strip()[-600:],
        "entries": entries,
        "unsealed_after_wait": pending,
        "sealed_by": sealed_by,
        "seal_wait_s": round(time.time() - t0, 1),
        "ok": verify.returncode == 0,
    }
    log(f"  ledger_verify exit {verify.returncode}; {entries} entries; sealed by {sealed_by}")
    return result


# --- the script, inside Django ------------------------------------------------------------------


def main() -> None:
    """The check itself; Django is set up here, in the script's own process."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--petition-id", type=int, required=True)
    parser.add_argument("--acked", type=Path, required=True)
    parser.add_argument("--tokens", type=Path, required=True)
    parser.add_argument("--seen", type=Path)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

    from django.db import connection

    from hromada.petitions.models import Petition
    from hromada.petitions.services import signer_pseudonym

    user_to_index: dict[int, int] = {}
    with args.tokens.open() as f:
        for line in f:
            index, user_id, _token = line.rstrip("\n").split("\t")
            user_to_index[int(user_id)] = int(index)
    acked_list = [int(x) for x in args.acked.read_text().split()]
    acked = set(acked_list)
    seen: dict[int, list[str]] = {}
    if args.seen:
        for line in args.seen.read_text().splitlines():
            index, outcome = line.split()
            seen.setdefault(int(index), []).append(outcome)

    petition = Petition.objects.get(pk=args.petition_id)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT user_id, person_key FROM petitions_signature WHERE petition_id = %s", [petition.pk]
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT payload->>'signer', count(*) FROM ledger_ledgerentry "
            "WHERE kind = 'petition.signed' AND payload->>'petition' = %s GROUP BY 1",
            [str(petition.public_id)],
        )
        ledger = dict(cursor.fetchall())

    per_user = Counter(user_id for user_id, _ in rows)
    per_person = Counter(person_key for _, person_key in rows)
    stored_indices = Counter(user_to_index.get(user_id, -1) for user_id, _ in rows)
    stored = set(stored_indices) - {-1}
    foreign_rows = stored_indices.get(-1, 0)  # rows by users the bench did not create

    lost = sorted(acked - stored)
    unacked = sorted(stored - acked)
    # What the client was told about each stored-but-unacknowledged row.
    unacked_seen = Counter(",".join(seen.get(i, ["never_sent"])) for i in unacked)

    expected_signers = Counter(
        signer_pseudonym(petition=petition, person_key=person_key) for _, person_key in rows
    )
    ledger_missing = sum((expected_signers - Counter(ledger)).values())
    ledger_extra = sum((Counter(ledger) - expected_signers).values())
    ledger_duplicates = sum(n - 1 for n in ledger.values() if n > 1)

    result = {
        "petition": str(petition.public_id),
        "acknowledged": len(acked),
        "acknowledged_twice": len(acked_list) - len(acked),
        "stored": len(rows),
        "lost": len(lost),
        "lost_sample": lost[:SAMPLE],
        "stored_unacknowledged": len(unacked),
        "stored_unacknowledged_by_client_outcome": dict(unacked_seen),
        "foreign_rows": foreign_rows,
        "duplicate_users": sum(n - 1 for n in per_user.values() if n > 1),
        "duplicate_persons": sum(n - 1 for n in per_person.values() if n > 1),
        "ledger_entries": sum(ledger.values()),
        "ledger_missing": ledger_missing,
        "ledger_extra": ledger_extra,
        "ledger_duplicates": ledger_duplicates,
    }
    result["duplicates"] = result["duplicate_users"] + result["duplicate_persons"] + ledger_duplicates
    result["ok"] = (
        result["lost"] == 0
        and result["duplicates"] == 0
        and result["acknowledged_twice"] == 0
        and ledger_missing == 0
        and ledger_extra == 0
        and foreign_rows == 0
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
