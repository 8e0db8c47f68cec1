#!/usr/bin/env python3
"""Recount a Hromada participatory budget from the public ledger export, without the platform.

    python3 budget_tally.py export.json [--cycle ID] [--key-id 3f2a…] [--expect SIZE:ROOT]

Needs Python 3.11+ and two files next to it (or a checkout of the repository):
``ledger_verify.py`` — the independent verifier in this directory — and the tally core
``tally.py``, the very file the platform uses (``hromada/budget/tally.py``; copy it next to
this script, or run this script from ``tools/`` in a checkout). Both are loaded by path, so
there is one copy of the rules and nothing outside the standard library is imported.

It first verifies the whole export exactly as ledger_verify.py does and refuses a
tampered one. Then it reads the sealed entries (those under a signed tree head):

  * ``budget.cycle_published`` — payload {"cycle", "title", "categories": [{"id", "title",
    "pot", "rule", "max_choices", "min_share", "tie_rule"}]} (older exports also carry
    "projects" here); the last one for the chosen cycle is used;
  * ``budget.projects_published`` — payload {"cycle", "category", "part", "projects":
    [{"id", "category", "title", "cost", "submitted"}]}: the ballot's projects, one entry
    (or a few numbered parts) per category, so that none exceeds the ledger's entry limit;
  * ``budget.ballot_cast`` — payload {"voter", "category", "choices"}; only ballots for
    the cycle's categories are counted, a voter's first ballot per category (in ledger
    order) counts and later ones are reported under "duplicates";
  * ``budget.voting_closed`` — payload {"cycle", "ballots", "size", "root"}: the platform's
    statement of the lot's seed, checked here against the entries.

The lot (tie rule "lot") is seeded with the RFC 9162 root of the log's prefix that ends
with the cycle's last budget entry (published ballot and ballots), so a later, longer
export gives the same lot. When the cycle's ``budget.voting_closed`` entry is sealed, its
size names that prefix, and the root it states must equal the root computed here from
the entries, or the export is refused.

Prints the tally as JSON. Exit status: 0 counted; 2 the export could not be read, does
not verify, or holds no budget cycle (the reason is printed to standard error).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
CYCLE_KIND = "budget.cycle_published"
PROJECTS_KIND = "budget.projects_published"
BALLOT_KIND = "budget.ballot_cast"
CLOSED_KIND = "budget.voting_closed"


def _load(name: str, candidates: list[Path]) -> ModuleType:
    for path in candidates:
        if path.is_file():
            spec = importlib.util.spec_from_file_location(name, path)
            if spec is None or spec.loader is None:
                continue
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module  # dataclasses look their module up while the class is built
            spec.loader.exec_module(module)
            return module
    tried = ", ".join(str(p) for p in candidates)
    raise SystemExit(f"budget_tally: cannot find {candidates[0].name} (looked at {tried})")


ledger_verify = _load("ledger_verify", [HERE / "ledger_verify.py"])
core = _load("budget_tally_core", [HERE / "tally.py", HERE.parent / "hromada" / "budget" / "tally.py"])


class Refused(Exception):
    """The export cannot be tallied."""


def read_budget(document: dict, cycle: str | None = None) -> dict[str, Any]:
    """Verified export -> the cycle, its ballots and the lot's ledger root. Raises Refused."""
    entries = document["entries"]
    cycles: dict[str, tuple[int, dict]] = {}
    project_entries: list[tuple[int, dict]] = []
    closed: dict[str, tuple[int, dict]] = {}
    ballots: list[tuple[int, dict]] = []
    for item in entries:
        text = item["entry"]
        if '"budget.' not in text:  # cheap skip of the rest of the log
            continue
        doc = json.loads(text)
        kind = doc["kind"]
        if kind == BALLOT_KIND:
            ballots.append((int(item["index"]), doc["payload"]))
        elif kind == CYCLE_KIND:
            cycles[str(doc["payload"].get("cycle", ""))] = (int(item["index"]), doc["payload"])
        elif kind == PROJECTS_KIND:
            project_entries.append((int(item["index"]), doc["payload"]))
        elif kind == CLOSED_KIND:
            closed.setdefault(str(doc["payload"].get("cycle", "")), (int(item["index"]), doc["payload"]))
    if not cycles:
        raise Refused(f"the ledger holds no {CYCLE_KIND} entry: there is no budget to count")
    if cycle is None:
        cycle = max(cycles, key=lambda c: cycles[c][0])
    elif cycle not in cycles:
        raise Refused(f"the ledger holds no cycle {cycle!r}; it holds {', '.join(sorted(cycles))}")
    published_at, payload = cycles[cycle]
    last = published_at
    listed = list(payload.get("projects", []))
    for index, part in project_entries:
        if str(part.get("cycle", "")) == cycle and index > published_at:
            listed.extend(part["projects"])
            last = max(last, index)
    try:
        categories = [core.category_from_entry(c) for c in payload["categories"]]
        projects = [core.project_from_entry(p) for p in listed]
    except (KeyError, TypeError, ValueError) as exc:
        raise Refused(f"the cycle {cycle!r} published at index {published_at} is malformed: {exc}") from None
    mine = {c.id for c in categories}
    counted = []
    malformed = []
    for index, ballot in ballots:
        category = ballot.get("category")
        if category not in mine:
            continue
        last = max(last, index)
        voter, choices = ballot.get("voter"), ballot.get("choices")
        if (
            not isinstance(voter, str)
            or not isinstance(choices, list)
            or not all(isinstance(c, str) for c in choices)
        ):
            malformed.append({"ref": index, "voter": voter, "category": category, "code": "malformed_ballot"})
            continue
        counted.append(core.Ballot(voter=voter, category=category, choices=tuple(choices), ref=index))
    size = last + 1
    statement = closed.get(cycle)
    if statement is not None:
        stated_size = statement[1].get("size")
        if not isinstance(stated_size, int) or not 0 < stated_size <= len(entries):
            raise Refused(
                f"the cycle's {CLOSED_KIND} entry at index {statement[0]} names no prefix of the log"
            )
        size = stated_size
    tree = ledger_verify.Tree()
    for item in entries[:size]:
        tree.append(bytes.fromhex(item["leaf_hash"]))
    lot_root = tree.root().hex()
    if statement is not None and statement[1].get("root") != lot_root:
        raise Refused(
            f"the cycle's {CLOSED_KIND} entry at index {statement[0]} states the root "
            f"{statement[1].get('root')!r} of the first {size} entries, but they hash to {lot_root}"
        )
    pending = sum(1 for item in document.get("pending", []) if '"budget.' in item["entry"])
    return {
        "cycle": cycle,
        "published_at": published_at,
        "categories": categories,
        "projects": projects,
        "ballots": counted,
        "malformed": malformed,
        "lot_root": lot_root,
        "lot_tree_size": tree.size,
        "pending_budget_entries": pending,
    }


def recount(document: dict, *, cycle: str | None = None, pinned=(), trusted=frozenset()) -> dict[str, Any]:
    """Verify, then tally. Raises Refused when the ledger does not verify."""
    try:
        summary = ledger_verify.verify(document, pinned, trusted)
    except ledger_verify.Problem as problem:
        raise Refused(f"the ledger does not verify, so it is not counted: {problem}") from None
    try:
        budget = read_budget(document, cycle)
    except (KeyError, TypeError, ValueError) as exc:
        raise Refused(f"the budget entries are malformed: {exc.__class__.__name__}: {exc}") from None
    result = core.tally(
        budget["categories"], budget["projects"], budget["ballots"], ledger_root=budget["lot_root"]
    )
    result["refused"] = budget["malformed"] + result["refused"]
    result["ledger"] = {
        "hromada": summary["hromada"],
        "tree_size": summary["tree_size"],
        "root_hash": summary["root_hash"],
        "key_ids": summary["key_ids"],
        "cycle": budget["cycle"],
        "cycle_published_at": budget["published_at"],
        "lot_tree_size": budget["lot_tree_size"],
        "lot_root": budget["lot_root"],
        "pending_budget_entries": budget["pending_budget_entries"],
    }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("source", help="export file, URL of /ledger/export.json, or - for standard input")
    parser.add_argument("--cycle", help="the budget cycle to count (default: the last one published)")
    parser.add_argument("--expect", type=ledger_verify._pin, action="append", default=[], metavar="SIZE:ROOT")
    parser.add_argument("--key-id", action="append", default=[], help="accept only heads signed by this key")
    args = parser.parse_args(argv)
    try:
        document = ledger_verify.load(args.source)
    except (OSError, ValueError) as exc:
        print(f"cannot read {args.source}: {exc}", file=sys.stderr)
        return 2
    try:
        result = recount(
            document,
            cycle=args.cycle,
            pinned=args.expect,
            trusted={k.strip().lower() for k in args.key_id},
        )
    except Refused as refused:
        print(f"REFUSED: {refused}", file=sys.stderr)
        return 2
    if result["ledger"]["pending_budget_entries"]:
        print(
            f"note: {result['ledger']['pending_budget_entries']} budget entries are not sealed yet and were "
            "not counted; download the export again after the next seal",
            file=sys.stderr,
        )
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
