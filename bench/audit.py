"""The audit of one signing scenario (run by bench/run.py after the scenario).

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

from django.db import connection  # noqa: E402

from hromada.petitions.models import Petition  # noqa: E402
from hromada.petitions.services import signer_pseudonym  # noqa: E402

SAMPLE = 10


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--petition-id", type=int, required=True)
    parser.add_argument("--acked", type=Path, required=True)
    parser.add_argument("--tokens", type=Path, required=True)
    parser.add_argument("--seen", type=Path)
    args = parser.parse_args()

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
