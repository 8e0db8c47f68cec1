"""Reads of the ledger. Every function takes the hromada whose log it reads."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone

from hromada.tenancy.models import Hromada

from .canonical import TREE_HEAD_CONTEXT, format_time
from .keys import public_pem, signing_key
from .models import LedgerEntry, LedgerKey, LedgerLeaf, SignedTreeHead

EXPORT_FORMAT = "hromada-ledger-export/1"
PAGE_SIZE = 50
_CHUNK = 2000


@dataclass(frozen=True)
class PublicKey:
    key_id: str
    public_key: str  # raw 32 bytes, base64
    pem: str
    current: bool


@dataclass
class EntriesPage:
    entries: list[LedgerEntry]
    older_than: int | None  # pass as `before` for the next (older) page
    newer_than: int | None  # pass as `after` for the previous (newer) page


def ledger_latest_tree_head(*, hromada: Hromada) -> SignedTreeHead | None:
    return SignedTreeHead.objects.filter(hromada=hromada).select_related("key").order_by("-tree_size").first()


def ledger_tree_heads(*, hromada: Hromada):
    return SignedTreeHead.objects.filter(hromada=hromada).select_related("key").order_by("tree_size")


def ledger_entries_page(
    *, hromada: Hromada, before: int | None = None, after: int | None = None, size: int = PAGE_SIZE
) -> EntriesPage:
    """Newest first, keyset-paginated by id (no COUNT over a table that only grows)."""
    qs = LedgerEntry.objects.filter(hromada=hromada).select_related("leaf")
    if after is not None:
        rows = list(qs.filter(id__gt=after).order_by("id")[: size + 1])
        has_newer = len(rows) > size
        rows = list(reversed(rows[:size]))
        has_older = bool(rows) and qs.filter(id__lt=rows[-1].id).exists()
    else:
        if before is not None:
            qs = qs.filter(id__lt=before)
        rows = list(qs.order_by("-id")[: size + 1])
        has_older = len(rows) > size
        rows = rows[:size]
        has_newer = (
            before is not None
            and bool(rows)
            and qs.model.objects.filter(hromada=hromada, id__gt=rows[0].id).exists()
        )
    return EntriesPage(
        entries=rows,
        older_than=rows[-1].id if rows and has_older else None,
        newer_than=rows[0].id if rows and has_newer else None,
    )


def ledger_public_keys(*, hromada: Hromada) -> list[PublicKey]:
    """The key that signs now, and every key that signed one of this hromada's heads."""
    current = signing_key()
    used = SignedTreeHead.objects.filter(hromada=hromada).values("key_id").distinct()
    keys = {
        k.key_id: PublicKey(
            key_id=k.key_id,
            public_key=k.public_key,
            pem=public_pem(base64.b64decode(k.public_key)),
            current=k.key_id == current.key_id,
        )
        for k in LedgerKey.objects.filter(pk__in=used)
    }
    keys.setdefault(
        current.key_id,
        PublicKey(key_id=current.key_id, public_key=current.public_b64, pem=current.public_pem, current=True),
    )
    return sorted(keys.values(), key=lambda k: (not k.current, k.key_id))


def ledger_export_chunks(*, hromada: Hromada) -> Iterator[str]:
    """The whole public log as one JSON document, produced piece by piece.

    Tree heads are read first and only leaves they cover are listed as entries, so
    the document is consistent even while a seal runs; everything else — including
    entries sealed after the heads were read — is listed under "pending"."""
    heads = list(ledger_tree_heads(hromada=hromada))
    sealed_size = heads[-1].tree_size if heads else 0
    keys = ledger_public_keys(hromada=hromada)
    header = {
        "format": EXPORT_FORMAT,
        "hromada": {"slug": hromada.slug, "name": hromada.name},
        "generated_at": format_time(timezone.now()),
        "hashing": "RFC 9162: leaf = SHA-256(0x00 || UTF-8 bytes of entry), node = SHA-256(0x01 || left || right)",
        "tree_head_signature": (
            "Ed25519 over the UTF-8 bytes of "
            + json.dumps(TREE_HEAD_CONTEXT)
            + ' followed by canonical JSON {"hromada","root_hash","timestamp","tree_size"}'
        ),
        "public_keys": [
            {
                "key_id": k.key_id,
                "algorithm": "Ed25519",
                "public_key": k.public_key,
                "pem": k.pem,
                "current": k.current,
            }
            for k in keys
        ],
    }
    head_text = json.dumps(header, ensure_ascii=False)
    yield head_text[:-1] + ',\n"tree_heads": ['
    for number, head in enumerate(heads):
        item = {
            "tree_size": head.tree_size,
            "root_hash": head.root_hash,
            "timestamp": head.timestamp_ms,
            "timestamp_iso": format_time(head.timestamp),
            "key_id": head.key.key_id,
            "signature": head.signature,
        }
        yield ("," if number else "") + "\n" + json.dumps(item)
    yield '\n],\n"entries": ['
    leaves = (
        LedgerLeaf.objects.filter(hromada=hromada, index__lt=sealed_size)
        .order_by("index")
        .values_list("index", "entry__canonical", "entry__leaf_hash")
    )
    yield from _items(
        {"index": index, "entry": text, "leaf_hash": leaf} for index, text, leaf in leaves.iterator(_CHUNK)
    )
    yield '\n],\n"pending": ['
    pending = (
        LedgerEntry.objects.filter(hromada=hromada)
        .exclude(leaf__index__lt=sealed_size)
        .order_by("id")
        .values_list("canonical", "leaf_hash")
    )
    yield from _items({"entry": text, "leaf_hash": leaf} for text, leaf in pending.iterator(_CHUNK))
    yield "\n]}\n"


def _items(items) -> Iterator[str]:
    buffer: list[str] = []
    first = True
    for item in items:
        buffer.append(("\n" if first else ",\n") + json.dumps(item, ensure_ascii=False))
        first = False
        if len(buffer) >= 500:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def ledger_tree_head_document(*, hromada: Hromada) -> dict | None:
    """The latest signed tree head as a small JSON document (for witnesses and feeds)."""
    head = ledger_latest_tree_head(hromada=hromada)
    if head is None:
        return None
    return {
        "hromada": hromada.slug,
        "tree_size": head.tree_size,
        "root_hash": head.root_hash,
        "timestamp": head.timestamp_ms,
        "timestamp_iso": format_time(head.timestamp),
        "key_id": head.key.key_id,
        "public_key": head.key.public_key,
        "signature": head.signature,
    }
