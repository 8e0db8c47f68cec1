"""A synthetic public ledger export holding a budget cycle and its ballots, for tests and
the timing script. It is built with the platform's own ledger code — canonical entries
(hromada.ledger.canonical), RFC 9162 leaf hashes and roots (hromada.ledger.merkle) and
Ed25519-signed tree heads — in the format of hromada.ledger.selectors.ledger_export_chunks,
so tools/ledger_verify.py verifies it."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from hromada.budget.tally import Ballot, Category, Project
from hromada.ledger import merkle
from hromada.ledger.canonical import encode_entry, entry_document, format_time, tree_head_message

EXPORT_FORMAT = "hromada-ledger-export/1"
SLUG = "testova"
START = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


@dataclass
class ExportBuilder:
    slug: str = SLUG
    seed: int = 0
    head_every: int = 1000
    private: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    entries: list[dict[str, Any]] = field(default_factory=list)
    heads: list[dict[str, Any]] = field(default_factory=list)
    pending: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.frontier: list[bytes] = []
        self.size = 0
        self.public = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.key_id = hashlib.sha256(self.public).hexdigest()

    def _entry(self, kind: str, payload: dict) -> tuple[str, str]:
        moment = START + dt.timedelta(seconds=self.size + len(self.pending))
        document = entry_document(
            slug=self.slug,
            kind=kind,
            payload=payload,
            created_at=format_time(moment),
            uuid=str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
        )
        text = encode_entry(document)
        return text, merkle.leaf_hash(text.encode("utf-8")).hex()

    def append(self, kind: str, payload: dict) -> int:
        text, leaf = self._entry(kind, payload)
        index = self.size
        self.entries.append({"index": index, "entry": text, "leaf_hash": leaf})
        self.size = merkle.frontier_append(self.frontier, self.size, bytes.fromhex(leaf))
        if self.size % self.head_every == 0:
            self.seal()
        return index

    def append_pending(self, kind: str, payload: dict) -> None:
        text, leaf = self._entry(kind, payload)
        self.pending.append({"entry": text, "leaf_hash": leaf})

    def seal(self) -> None:
        if not self.size or (self.heads and self.heads[-1]["tree_size"] == self.size):
            return
        root = merkle.frontier_root(self.frontier).hex()
        timestamp = int((START + dt.timedelta(seconds=self.size)).timestamp() * 1000)
        message = tree_head_message(
            slug=self.slug, tree_size=self.size, root_hash=root, timestamp_ms=timestamp
        )
        self.heads.append(
            {
                "tree_size": self.size,
                "root_hash": root,
                "timestamp": timestamp,
                "key_id": self.key_id,
                "signature": base64.b64encode(self.private.sign(message)).decode("ascii"),
            }
        )

    def document(self) -> dict[str, Any]:
        self.seal()
        return {
            "format": EXPORT_FORMAT,
            "hromada": {"slug": self.slug, "name": "Тестова громада"},
            "generated_at": format_time(START),
            "public_keys": [
                {
                    "key_id": self.key_id,
                    "algorithm": "Ed25519",
                    "public_key": base64.b64encode(self.public).decode("ascii"),
                    "current": True,
                }
            ],
            "tree_heads": self.heads,
            "entries": self.entries,
            "pending": self.pending,
        }


def cycle_payload(
    cycle: str, categories: list[Category], projects: list[Project] | None = None
) -> dict[str, Any]:
    """The `budget.cycle_published` payload. With `projects`, the old single-entry shape
    (projects inside); the platform now publishes them per category (projects_payloads)."""
    payload: dict[str, Any] = {
        "cycle": cycle,
        "title": f"Цикл {cycle}",
        "categories": [
            {
                "id": c.id,
                "title": c.title,
                "pot": c.pot,
                "rule": c.rule,
                "max_choices": c.max_choices,
                "min_share": c.min_share,
                "tie_rule": c.tie_rule,
            }
            for c in categories
        ],
    }
    if projects is not None:
        payload["projects"] = [_project(p) for p in projects]
    return payload


def _project(p: Project) -> dict[str, Any]:
    return {"id": p.id, "category": p.category, "title": p.title, "cost": p.cost, "submitted": p.submitted}


def projects_payloads(
    cycle: str, categories: list[Category], projects: list[Project], *, per_part: int = 0
) -> list[dict[str, Any]]:
    """The `budget.projects_published` payloads: one per category, or parts of
    `per_part` projects each when set (as the platform splits a category too big for
    one entry)."""
    payloads = []
    for category in categories:
        mine = [_project(p) for p in projects if p.category == category.id]
        size = per_part or max(len(mine), 1)
        for part, start in enumerate(range(0, max(len(mine), 1), size), 1):
            payloads.append(
                {
                    "cycle": cycle,
                    "category": category.id,
                    "part": part,
                    "projects": mine[start : start + size],
                }
            )
    return payloads


def publish(
    builder: ExportBuilder, cycle: str, categories: list[Category], projects: list[Project], **kwargs: Any
) -> int:
    """Append the published ballot in the platform's shape; returns the cycle entry's index."""
    index = builder.append("budget.cycle_published", cycle_payload(cycle, categories))
    for payload in projects_payloads(cycle, categories, projects, **kwargs):
        builder.append("budget.projects_published", payload)
    return index


def ballot_payload(ballot: Ballot) -> dict[str, Any]:
    return {"voter": ballot.voter, "category": ballot.category, "choices": list(ballot.choices)}


def sample_cycle(
    rng: random.Random, *, projects_per_category: int = 12
) -> tuple[list[Category], list[Project]]:
    categories = [
        Category("cat-school", 1_000_000, "approval", max_choices=3, title="Школи", tie_rule="lower_cost"),
        Category("cat-parks", 800_000, "knapsack", title="Парки", tie_rule="earlier_submitted"),
        Category("cat-roads", 1_500_000, "min_share", min_share=0.5, title="Дороги", tie_rule="lot"),
    ]
    projects = []
    for category in categories:
        for n in range(projects_per_category):
            projects.append(
                Project(
                    id=f"{category.id}-p{n:02d}",
                    category=category.id,
                    title=f"Проєкт {n + 1}",
                    cost=rng.randrange(50_000, 600_000, 1_000),
                    submitted=format_time(START - dt.timedelta(days=30, minutes=rng.randrange(10_000))),
                )
            )
    return categories, projects


def random_ballot(rng: random.Random, voter: str, category: Category, projects: list[Project]) -> Ballot:
    """Mostly valid ballots, with the odd invalid one."""
    mine = [p for p in projects if p.category == category.id]
    if rng.random() < 0.02:  # over the pot or over N, as a buggy client might send
        return Ballot(voter=voter, category=category.id, choices=tuple(p.id for p in rng.sample(mine, 8)))
    for _ in range(20):
        k = rng.randint(1, 4)
        chosen = rng.sample(mine, k)
        total = sum(p.cost for p in chosen)
        if category.rule == "approval" and k <= (category.max_choices or k):
            break
        if category.rule != "approval" and category.required_spend() <= total <= category.pot:
            break
    return Ballot(voter=voter, category=category.id, choices=tuple(p.id for p in chosen))


def build_export(
    ballots: int, *, seed: int = 1, duplicates: int = 0, noise: int = 0, head_every: int = 1000
) -> tuple[dict[str, Any], list[Category], list[Project], list[Ballot]]:
    """An export with one budget cycle, `ballots` ballots (some invalid), `duplicates`
    second ballots and `noise` unrelated entries; returns it with what it holds, the
    ballots in ledger order."""
    rng = random.Random(seed)
    builder = ExportBuilder(seed=seed, head_every=head_every)
    builder.append("petition.signed", {"petition": "x", "signer": "00"})
    categories, projects = sample_cycle(rng)
    publish(builder, "2026", categories, projects, per_part=5)
    cast: list[Ballot] = []
    for n in range(ballots):
        category = categories[n % len(categories)]
        ballot = random_ballot(
            rng, hashlib.sha256(f"voter {n // 3}".encode()).hexdigest(), category, projects
        )
        cast.append(
            Ballot(
                ballot.voter,
                ballot.category,
                ballot.choices,
                ref=builder.append("budget.ballot_cast", ballot_payload(ballot)),
            )
        )
        if noise and rng.random() < noise / max(ballots, 1):
            builder.append("petition.signed", {"petition": "x", "signer": f"{n:032x}"})
    for _ in range(duplicates):
        first = cast[rng.randrange(len(cast))]
        again = random_ballot(
            rng, first.voter, next(c for c in categories if c.id == first.category), projects
        )
        cast.append(
            Ballot(
                again.voter,
                again.category,
                again.choices,
                ref=builder.append("budget.ballot_cast", ballot_payload(again)),
            )
        )
    return builder.document(), categories, projects, cast


def write(document: dict[str, Any], path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False)
