"""Time the standalone recount of a large budget (not a test; not run by pytest).

    .venv/bin/python -m hromada.budget.tests.bench_tally [BALLOTS]

Builds a synthetic ledger export with BALLOTS ballots (default 200 000) in three
categories, one tree head per 1 000 entries, writes it to a temporary file and runs
tools/budget_tally.py on it in a fresh, isolated Python (-I -S) — reading the file,
verifying the whole log (leaf hashes, Merkle roots, Ed25519 signatures) and tallying.
Issue 11's target: at most 30 s for 200 000 ballots."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hromada.budget.tests.ledger_export import build_export, write

TOOL = Path(__file__).resolve().parents[3] / "tools" / "budget_tally.py"


def main() -> None:
    ballots = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    started = time.perf_counter()
    document, *_ = build_export(ballots, seed=11, duplicates=ballots // 100, head_every=1000)
    built = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as where:
        path = Path(where) / "export.json"
        write(document, path)
        size = path.stat().st_size
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-I", "-S", str(TOOL), str(path)], capture_output=True, text=True, check=True
        )
        elapsed = time.perf_counter() - started
    tally = json.loads(result.stdout)
    counted = sum(c["ballots"] for c in tally["categories"])
    print(
        f"{ballots} ballots (+{len(tally['duplicates'])} duplicates, {len(tally['refused'])} refused), "
        f"{len(document['entries'])} entries, {len(document['tree_heads'])} tree heads, "
        f"export {size / 1e6:.1f} MB built in {built:.1f} s"
    )
    print(f"budget_tally.py: verified and counted {counted} ballots in {elapsed:.1f} s (target <= 30 s)")


if __name__ == "__main__":
    main()
