"""The exact bytes an entry stands for (standard library only).

An entry is canonical JSON: keys sorted, no whitespace, UTF-8 (not \\u-escaped),
integers and strings only where possible. The bytes are what the leaf hash covers;
the columns of LedgerEntry (kind, payload, created_at …) are a convenience copy that
the verifier checks against them.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

ENTRY_VERSION = 1
KIND_RE = re.compile(r"^[a-z_]+\.[a-z_]+$")
KIND_MAX = 64
PAYLOAD_MAX_BYTES = 32_768
_MAX_DEPTH = 16


class InvalidLedgerEntry(ValueError):
    """A programming error in a caller of ledger_append: the entry cannot be written."""


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def format_time(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with microseconds and a Z: one spelling for one instant."""
    if moment.tzinfo is None:
        raise InvalidLedgerEntry("created_at must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def check_kind(kind: Any) -> str:
    if not isinstance(kind, str) or len(kind) > KIND_MAX or not KIND_RE.match(kind):
        raise InvalidLedgerEntry(
            f"ledger kind {kind!r} is invalid: expected 'area.event' in lower-case letters and "
            f"underscores (e.g. 'petition.signed'), at most {KIND_MAX} characters"
        )
    return kind


def check_payload(payload: Any) -> dict:
    """Accept only values that survive a JSON round trip unchanged."""
    if not isinstance(payload, dict):
        raise InvalidLedgerEntry(f"ledger payload must be a dict, not {type(payload).__name__}")
    _check_value(payload, "payload", 0)
    return payload


def _check_value(value: Any, path: str, depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise InvalidLedgerEntry(f"{path}: nested deeper than {_MAX_DEPTH} levels")
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidLedgerEntry(f"{path}: {value!r} is not a JSON number")
        return
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidLedgerEntry(f"{path}: NUL characters cannot be stored")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidLedgerEntry(f"{path}: the string is not valid Unicode (lone surrogate)")
        return
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_value(item, f"{path}[{i}]", depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidLedgerEntry(
                    f"{path}: key {key!r} is {type(key).__name__}, JSON keys are strings"
                )
            _check_value(key, f"{path} key", depth + 1)
            _check_value(item, f"{path}[{key!r}]", depth + 1)
        return
    raise InvalidLedgerEntry(
        f"{path} is {type(value).__name__}, which is not JSON: convert it first "
        "(str() a UUID, .isoformat() a datetime, int or str a Decimal)"
    )


def entry_document(*, slug: str, kind: str, payload: dict, created_at: str, uuid: str) -> dict:
    return {
        "v": ENTRY_VERSION,
        "hromada": slug,
        "kind": kind,
        "payload": payload,
        "created_at": created_at,
        "uuid": uuid,
    }


def encode_entry(document: dict) -> str:
    text = canonical_json(document)
    if len(text.encode("utf-8")) > PAYLOAD_MAX_BYTES:
        raise InvalidLedgerEntry(
            f"ledger entry is larger than {PAYLOAD_MAX_BYTES} bytes: store a hash instead"
        )
    return text


TREE_HEAD_CONTEXT = "hromada-ledger-tree-head:v1\n"


def tree_head_message(*, slug: str, tree_size: int, root_hash: str, timestamp_ms: int) -> bytes:
    """The bytes an Ed25519 tree-head signature covers: a fixed context line (so the
    key's signatures cannot be replayed for anything else) and canonical JSON."""
    body = canonical_json(
        {"hromada": slug, "root_hash": root_hash, "timestamp": timestamp_ms, "tree_size": tree_size}
    )
    return (TREE_HEAD_CONTEXT + body).encode("utf-8")
