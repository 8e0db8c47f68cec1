"""Tampering is detected by `manage.py ledger_verify` (database and file) and by the
standalone tools/ledger_verify.py, run as the auditor would: a separate Python with
no site-packages (-I -S), so it can import nothing but the standard library."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.management import CommandError, call_command

from hromada.ledger import merkle
from hromada.ledger.canonical import tree_head_message
from hromada.ledger.db import append_only_suspended
from hromada.ledger.models import LedgerEntry, LedgerKey, LedgerLeaf, LedgerLookup, SignedTreeHead
from hromada.ledger.services import ledger_append
from hromada.ledger.verify import LedgerProblem, verify_database, verify_export

from .helpers import build_log

TOOL = Path(settings.BASE_DIR) / "tools" / "ledger_verify.py"


# --- running the two verifiers ---------------------------------------------------------------------


def export_document(client) -> dict:
    response = client.get("/ledger/export.json")
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def run_tool(document: dict, tmp_path, *args: str) -> subprocess.CompletedProcess:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-I", "-S", str(TOOL), str(path), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def command_problem(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("ledger_verify", *args)
    assert caught.value.returncode == 1
    return str(caught.value)


def file_problem(document: dict, tmp_path, *args: str) -> str:
    path = tmp_path / "cmd-export.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return command_problem("--file", str(path), *args)


def tool_problem(document: dict, tmp_path, *args: str) -> str:
    result = run_tool(document, tmp_path, *args)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "LEDGER DOES NOT VERIFY" in result.stderr
    return result.stderr


def all_detect(client, hromada, tmp_path, expected: str) -> None:
    """The database check and the tool on a fresh export both name the problem."""
    assert expected in command_problem("--hromada", hromada.slug)
    assert expected in tool_problem(export_document(client), tmp_path)


@pytest.fixture
def log(hromada):
    build_log(hromada)
    return hromada


def leaf_entry(hromada, index: int) -> LedgerEntry:
    return LedgerLeaf.objects.select_related("entry").get(hromada=hromada, index=index).entry


def rewrite_entry(entry: LedgerEntry, *, payload: dict, fix_leaf_hash: bool) -> None:
    doc = json.loads(entry.canonical)
    doc["payload"] = payload
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    fields = {"canonical": text, "payload": payload}
    if fix_leaf_hash:
        fields["leaf_hash"] = merkle.leaf_hash(text.encode()).hex()
    with append_only_suspended():
        LedgerEntry.objects.filter(pk=entry.pk).update(**fields)


# --- an intact log ------------------------------------------------------------------------------------


def test_an_intact_log_verifies_everywhere(client, log, tmp_path, capsys):
    call_command("ledger_verify", "--hromada", log.slug)
    out = capsys.readouterr().out
    assert f"{log.slug}: OK" in out and "10 entries in 3 signed tree heads, 1 pending" in out

    document = export_document(client)
    report = verify_export(document)
    assert (report.tree_size, report.tree_heads, report.pending) == (10, 3, 1)

    result = run_tool(document, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "OK — 10 entries in 3 signed tree heads, 1 pending" in result.stdout

    path = tmp_path / "export.json"
    call_command("ledger_verify", "--file", str(path))
    assert "10 entries" in capsys.readouterr().out


def test_every_hromada_is_checked_by_default(log, other_hromada, capsys):
    ledger_append(hromada=other_hromada, kind="sample.signed", payload={"signer": "x"})
    call_command("ledger_verify")
    out = capsys.readouterr().out
    assert f"{log.slug}: OK" in out and f"{other_hromada.slug}: OK" in out


def test_pinned_key_and_tree_are_accepted_when_they_match(client, log, tmp_path):
    head = SignedTreeHead.objects.get(hromada=log, tree_size=8)
    key_id = head.key.key_id
    call_command(
        "ledger_verify", "--hromada", log.slug, "--key-id", key_id, "--expect", f"8:{head.root_hash}"
    )
    result = run_tool(
        export_document(client), tmp_path, "--key-id", key_id, "--expect", f"8:{head.root_hash}"
    )
    assert result.returncode == 0, result.stderr
    assert "1 pinned tree head(s)" in result.stdout


# --- altered entries ------------------------------------------------------------------------------------


def test_altered_payload_is_caught_by_its_leaf_hash(client, log, tmp_path):
    rewrite_entry(leaf_entry(log, 5), payload={"signer": "forged"}, fix_leaf_hash=False)
    all_detect(client, log, tmp_path, "entry at index 5: the leaf hash does not match")


def test_altered_payload_with_a_recomputed_leaf_hash_is_caught_by_the_signed_root(client, log, tmp_path):
    rewrite_entry(leaf_entry(log, 5), payload={"signer": "forged"}, fix_leaf_hash=True)
    all_detect(client, log, tmp_path, "tree head #2 (tree head of size 8")
    assert "Entries 4–7" in command_problem("--hromada", log.slug)


def test_altered_column_alone_is_caught_by_the_database_check(log):
    entry = leaf_entry(log, 2)
    with append_only_suspended():
        LedgerEntry.objects.filter(pk=entry.pk).update(kind="sample.answered")
    assert "entry at index 2: column kind ('sample.answered') differs" in command_problem(
        "--hromada", log.slug
    )


def test_altered_pending_entry_is_caught(client, log, tmp_path):
    pending = LedgerEntry.objects.filter(hromada=log, leaf__isnull=True).get()
    rewrite_entry(pending, payload={"signer": "forged"}, fix_leaf_hash=False)
    all_detect(client, log, tmp_path, "pending entry")


# --- deleted entries -------------------------------------------------------------------------------------


def _delete_leaf_and_entry(hromada, index: int) -> None:
    leaf = LedgerLeaf.objects.get(hromada=hromada, index=index)
    with append_only_suspended():
        LedgerLeaf.objects.filter(pk=leaf.pk).delete()
        LedgerLookup.objects.filter(entry_id=leaf.entry_id).delete()  # a tamperer removes the index too
        LedgerEntry.objects.filter(pk=leaf.entry_id).delete()


def test_deleted_entry_leaves_a_gap(client, log, tmp_path):
    _delete_leaf_and_entry(log, 5)
    all_detect(client, log, tmp_path, "entry at index 5 is missing")


def test_deleted_last_entry_is_caught_by_the_tree_head_covering_it(client, log, tmp_path):
    _delete_leaf_and_entry(log, 9)
    all_detect(client, log, tmp_path, "covers 10 entries, but the log has only 9")


def test_deleted_entry_with_renumbered_successors_is_caught_by_the_root(client, log, tmp_path):
    _delete_leaf_and_entry(log, 5)
    with append_only_suspended():
        for index in range(6, 10):
            LedgerLeaf.objects.filter(hromada=log, index=index).update(index=index - 1)
    all_detect(client, log, tmp_path, "tree head #2 (tree head of size 8")


def test_deleted_leaf_whose_entry_poses_as_pending_is_caught(client, log, tmp_path):
    with append_only_suspended():
        LedgerLeaf.objects.filter(hromada=log, index=3).delete()
    all_detect(client, log, tmp_path, "entry at index 3 is missing")


# --- reordered entries -----------------------------------------------------------------------------------


def test_swapped_entries_are_caught_by_the_root(client, log, tmp_path):
    a, b = (LedgerLeaf.objects.get(hromada=log, index=i) for i in (2, 3))
    with append_only_suspended():
        LedgerLeaf.objects.filter(pk__in=[a.pk, b.pk]).delete()
        LedgerLeaf.objects.bulk_create(
            [
                LedgerLeaf(hromada=log, index=2, entry_id=b.entry_id),
                LedgerLeaf(hromada=log, index=3, entry_id=a.entry_id),
            ]
        )
    all_detect(client, log, tmp_path, "tree head #1 (tree head of size 4")
    assert "Entries 0–3" in command_problem("--hromada", log.slug)


def test_an_entry_of_another_hromada_cannot_be_slipped_in(client, log, other_hromada, tmp_path):
    foreign = ledger_append(hromada=other_hromada, kind="sample.signed", payload={"signer": "x"})
    with append_only_suspended():
        LedgerLeaf.objects.filter(hromada=log, index=4).update(entry=foreign)
    assert "entry at index 4: the entry row belongs to another hromada" in command_problem(
        "--hromada", log.slug
    )
    assert f"belongs to hromada {other_hromada.slug!r}" in tool_problem(export_document(client), tmp_path)


# --- altered or forged tree heads --------------------------------------------------------------------------


def test_altered_tree_head_root_breaks_its_signature(client, log, tmp_path):
    with append_only_suspended():
        SignedTreeHead.objects.filter(hromada=log, tree_size=8).update(root_hash="ab" * 32)
    all_detect(client, log, tmp_path, "tree head #2 (tree head of size 8")
    assert "signature does not verify" in command_problem("--hromada", log.slug)


def test_altered_tree_head_size_breaks_its_signature(client, log, tmp_path):
    with append_only_suspended():
        SignedTreeHead.objects.filter(hromada=log, tree_size=10).update(tree_size=9)
    all_detect(client, log, tmp_path, "signature does not verify")


def test_random_signature_is_refused(client, log, tmp_path):
    forged = base64.b64encode(b"\x07" * 64).decode()
    with append_only_suspended():
        SignedTreeHead.objects.filter(hromada=log, tree_size=4).update(signature=forged)
    all_detect(client, log, tmp_path, "tree head #1 (tree head of size 4")


def test_signature_by_another_key_under_the_real_key_id_is_refused(client, log, tmp_path):
    head = SignedTreeHead.objects.get(hromada=log, tree_size=8)
    intruder = Ed25519PrivateKey.generate()
    message = tree_head_message(
        slug=log.slug, tree_size=8, root_hash=head.root_hash, timestamp_ms=head.timestamp_ms
    )
    with append_only_suspended():
        SignedTreeHead.objects.filter(pk=head.pk).update(
            signature=base64.b64encode(intruder.sign(message)).decode()
        )
    all_detect(client, log, tmp_path, "tree head #2 (tree head of size 8")


def test_a_log_rewritten_and_resigned_with_a_new_key_is_caught_by_pins_only(client, log, tmp_path):
    """Someone with the database and no key rewrites history, recomputes every hash,
    signs with a key of their own and replaces the published key. Only what outsiders
    kept — the key id, or an earlier tree head — can tell; docs/ledger.md says so."""
    old_key = LedgerKey.objects.get().key_id
    old_head = SignedTreeHead.objects.get(hromada=log, tree_size=8)
    rewrite_entry(leaf_entry(log, 5), payload={"signer": "forged"}, fix_leaf_hash=True)
    intruder = Ed25519PrivateKey.generate()
    raw = intruder.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    leaves = [
        bytes.fromhex(h)
        for h in LedgerLeaf.objects.filter(hromada=log)
        .order_by("index")
        .values_list("entry__leaf_hash", flat=True)
    ]
    with append_only_suspended():
        LedgerKey.objects.update(
            key_id=hashlib.sha256(raw).hexdigest(), public_key=base64.b64encode(raw).decode()
        )
        for head in SignedTreeHead.objects.filter(hromada=log):
            root = merkle.merkle_root(leaves[: head.tree_size]).hex()
            message = tree_head_message(
                slug=log.slug, tree_size=head.tree_size, root_hash=root, timestamp_ms=head.timestamp_ms
            )
            SignedTreeHead.objects.filter(pk=head.pk).update(
                root_hash=root, signature=base64.b64encode(intruder.sign(message)).decode()
            )

    call_command("ledger_verify", "--hromada", log.slug)  # self-consistent: passes without pins
    document = export_document(client)
    # The page still offers the real current key next to the forger's: compare ids.
    document["public_keys"] = [k for k in document["public_keys"] if k["key_id"] != old_key]
    assert run_tool(document, tmp_path).returncode == 0

    pin = f"8:{old_head.root_hash}"
    assert "none of the keys you trust" in command_problem("--hromada", log.slug, "--key-id", old_key)
    assert "the log was rewritten" in command_problem("--hromada", log.slug, "--expect", pin)
    assert "none of the keys you trust" in tool_problem(document, tmp_path, "--key-id", old_key)
    assert "the log was rewritten" in tool_problem(document, tmp_path, "--expect", pin)


# --- tampering with the export file -------------------------------------------------------------------------


@pytest.fixture
def document(client, log):
    return export_document(client)


def _both_detect(document, tmp_path, expected):
    assert expected in tool_problem(document, tmp_path)
    assert expected in file_problem(document, tmp_path)
    with pytest.raises(LedgerProblem, match=expected.split("(")[0]):
        verify_export(document)


def test_file_with_an_entry_removed(document, tmp_path):
    del document["entries"][6]
    _both_detect(document, tmp_path, "entry at index 6 is missing")


def test_file_with_two_entries_swapped(document, tmp_path):
    entries = document["entries"]
    entries[5]["entry"], entries[6]["entry"] = entries[6]["entry"], entries[5]["entry"]
    entries[5]["leaf_hash"], entries[6]["leaf_hash"] = entries[6]["leaf_hash"], entries[5]["leaf_hash"]
    _both_detect(document, tmp_path, "tree head #2 (tree head of size 8")


def test_file_with_an_entry_altered(document, tmp_path):
    entry = document["entries"][1]
    entry["entry"] = entry["entry"].replace('"signer":"', '"signer":"f')
    _both_detect(document, tmp_path, "entry at index 1: the leaf hash does not match")


def test_file_with_a_non_canonical_entry(document, tmp_path):
    entry = document["entries"][0]
    entry["entry"] = entry["entry"].replace(",", ", ", 1)
    entry["leaf_hash"] = merkle.leaf_hash(entry["entry"].encode()).hex()
    _both_detect(document, tmp_path, "entry at index 0: the entry is not in canonical form")


def test_file_with_an_entry_repeated(document, tmp_path):
    entries = document["entries"]
    entries[3] = dict(entries[2], index=3)
    _both_detect(document, tmp_path, "appears twice")


def test_file_with_an_unsigned_entry_appended(document, tmp_path):
    extra = copy.deepcopy(document["pending"][0])
    document["entries"].append({"index": 10, **extra})
    _both_detect(document, tmp_path, "entry at index 10: not covered by any signed tree head")


def test_file_with_a_tree_head_timestamp_moved(document, tmp_path):
    document["tree_heads"][0]["timestamp"] += 1
    _both_detect(document, tmp_path, "signature does not verify")


def test_file_with_a_tree_head_dropped_still_verifies_but_heads_must_grow(document, tmp_path):
    del document["tree_heads"][1]
    assert run_tool(document, tmp_path).returncode == 0  # fewer heads is a weaker, not a false, claim
    document["tree_heads"].reverse()
    _both_detect(document, tmp_path, "tree heads must grow")


def test_file_with_an_absurd_timestamp_is_malformed_not_a_crash(document, tmp_path):
    document["tree_heads"][0]["timestamp"] = 10**30
    _both_detect(document, tmp_path, "the export is malformed")


def test_an_empty_log_verifies_even_with_a_pinned_key(client, hromada, tmp_path):
    call_command("ledger_verify", "--hromada", hromada.slug, "--key-id", "ab" * 32)
    assert run_tool(export_document(client), tmp_path, "--key-id", "ab" * 32).returncode == 0


def test_file_that_is_not_an_export(tmp_path):
    _both_detect({"format": "something-else"}, tmp_path, "unknown export format")
    _both_detect({"format": "hromada-ledger-export/1"}, tmp_path, "the export is malformed")


def test_unreadable_file_exits_with_2(tmp_path):
    result = subprocess.run(
        [sys.executable, "-I", "-S", str(TOOL), str(tmp_path / "missing.json")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "cannot read" in result.stderr


def test_command_refuses_bad_options(log, tmp_path):
    with pytest.raises(CommandError, match="TREE_SIZE:ROOT_HASH_HEX"):
        call_command("ledger_verify", "--hromada", log.slug, "--expect", "nonsense")
    with pytest.raises(CommandError, match="no hromada"):
        call_command("ledger_verify", "--hromada", "nowhere")
    with pytest.raises(CommandError, match="--expect needs --hromada"):
        call_command("ledger_verify", "--expect", "1:" + "0" * 64)


def test_database_check_and_export_agree(client, log):
    assert verify_database(hromada=log).root_hash == verify_export(export_document(client)).root_hash
