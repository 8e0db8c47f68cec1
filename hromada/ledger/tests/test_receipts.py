"""Receipts: the lookup the seal indexes, inclusion proofs from stored subtrees, the
people-first page, the JSON proof, the API, and the offline check of that JSON."""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.db import connection

from hromada.ledger import merkle, proofs
from hromada.ledger.db import append_only_suspended
from hromada.ledger.models import LedgerEntry, LedgerLeaf, LedgerLookup, LedgerNode, SignedTreeHead
from hromada.ledger.proofs import ledger_inclusion_proof, ledger_receipt_check
from hromada.ledger.receipts import InvalidReceipt, lookup_keys
from hromada.ledger.services import NODE_MIN_LEVEL, ledger_append, ledger_seal

from .helpers import sign_some

TOOL = Path(django_settings.BASE_DIR) / "tools" / "ledger_verify.py"
RECEIPT = f"{7:032x}"  # sign_some gives signer i the receipt f"{i:032x}"


def _all_leaves(hromada) -> list[bytes]:
    rows = (
        LedgerLeaf.objects.filter(hromada=hromada)
        .order_by("index")
        .values_list("entry__leaf_hash", flat=True)
    )
    return [bytes.fromhex(h) for h in rows]


# --- input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Вставте код квитанції"),
        ("   ", "Вставте код квитанції"),
        ("a" * 101, "задовгий"),
        ("9b1f0c4e2d7a8e6f3a5b1c9d0e2f4a6z", "лише з цифр 0–9"),
        ("<script>", "лише з цифр 0–9"),
        ("abc123", "від 16 до 64"),
        ("a" * 65, "від 16 до 64"),
    ],
)
def test_bad_receipts_are_refused_in_ukrainian(raw, message):
    with pytest.raises(InvalidReceipt) as caught:
        lookup_keys(raw)
    assert message in str(caught.value.message)
    assert caught.value.code == "invalid_receipt"


def test_receipts_are_normalised_and_32_digits_may_be_a_uuid():
    assert lookup_keys("  9B1F0C4E2D7A8E6F 3A5B1C9D0E2F4A6B\n") == [
        "9b1f0c4e2d7a8e6f3a5b1c9d0e2f4a6b",
        "9b1f0c4e-2d7a-8e6f-3a5b-1c9d0e2f4a6b",
    ]
    assert lookup_keys("5D2F8C1E-1B7A-4F0E-9C3D-8A6B2E4F1C7D") == ["5d2f8c1e-1b7a-4f0e-9c3d-8a6b2e4f1c7d"]
    assert lookup_keys("ab" * 32) == ["ab" * 32]


# --- the index and the proofs ----------------------------------------------------------------------


def test_the_seal_indexes_uuids_and_declared_receipts_only(hromada):
    signed = sign_some(hromada, 3)
    opened = ledger_append(hromada=hromada, kind="sample.opened", payload={"thing": "t", "signer": "f" * 32})
    bad = ledger_append(hromada=hromada, kind="sample.signed", payload={"signer": "not hex at all"})
    ledger_seal(hromada=hromada)

    keys = dict(
        LedgerLookup.objects.values_list("key", "entry_id").order_by("id").filter(hromada=hromada).iterator()
    )
    pairs = set(LedgerLookup.objects.filter(hromada=hromada).values_list("key", "entry_id"))
    assert {(str(e.uuid), e.pk) for e in [*signed, opened, bad]} <= pairs
    assert {(f"{i:032x}", e.pk) for i, e in enumerate(signed)} <= pairs
    # sample.opened declares no receipt, and a value that is not a receipt is not indexed.
    assert ("f" * 32, opened.pk) not in pairs and "not hex at all" not in keys
    assert len(pairs) == 5 + 3


@pytest.mark.parametrize("count", [1, 2, 63, 64, 65, 200, 300])
def test_proofs_from_stored_subtrees_equal_the_proofs_from_every_leaf(hromada, count):
    sign_some(hromada, count)
    ledger_seal(hromada=hromada)
    leaves = _all_leaves(hromada)
    assert LedgerNode.objects.filter(hromada=hromada).count() == sum(
        count >> level for level in range(NODE_MIN_LEVEL, 64)
    )
    for size in sorted({count, max(1, count - 1), (count + 1) // 2}):
        root = merkle.merkle_root(leaves[:size])
        for index in sorted({0, size // 3, size // 2, size - 1}):
            proof = ledger_inclusion_proof(hromada=hromada, index=index, size=size)
            assert proof == merkle.inclusion_proof(leaves, index, size), (index, size)
            assert merkle.verify_inclusion(leaves[index], index, size, proof, root)


def test_a_proof_reads_a_bounded_number_of_rows(hromada, django_assert_max_num_queries):
    sign_some(hromada, 600)
    ledger_seal(hromada=hromada)
    with django_assert_max_num_queries(2):
        ledger_inclusion_proof(hromada=hromada, index=337, size=600)


def test_missing_subtree_nodes_are_computed_from_leaves(hromada):
    sign_some(hromada, 200)
    ledger_seal(hromada=hromada)
    leaves = _all_leaves(hromada)
    with append_only_suspended():
        LedgerNode.objects.filter(hromada=hromada).delete()
    assert ledger_inclusion_proof(hromada=hromada, index=150, size=200) == merkle.inclusion_proof(
        leaves, 150, 200
    )


def test_the_migration_backfills_entries_sealed_before_it(hromada):
    sign_some(hromada, 130)
    ledger_seal(hromada=hromada)
    before_lookups = set(LedgerLookup.objects.values_list("key", "entry_id"))
    before_nodes = set(LedgerNode.objects.values_list("level", "start", "hash"))
    with append_only_suspended():
        LedgerLookup.objects.all().delete()
        LedgerNode.objects.all().delete()
    migration = importlib.import_module("hromada.ledger.migrations.0004_add_receipt_lookup_and_subtree_nodes")
    migration.backfill(django_apps, SimpleNamespace(connection=connection))  # it reads only the alias
    assert set(LedgerLookup.objects.values_list("key", "entry_id")) == before_lookups
    assert set(LedgerNode.objects.values_list("level", "start", "hash")) == before_nodes


def test_a_receipt_check_proves_the_entry_in_the_latest_tree_head(hromada):
    sign_some(hromada, 10)
    ledger_seal(hromada=hromada)
    sign_some(hromada, 5, start=10)
    ledger_seal(hromada=hromada)

    check = ledger_receipt_check(hromada=hromada, receipt=RECEIPT, keys=lookup_keys(RECEIPT))
    assert check.verified
    [item] = check.found
    assert item.index == 7 and check.head.tree_size == 15
    assert item.subject.text == "Ваш підпис під річчю 2f1c6a55-6d8e-4bd8-9b43-3f2b7f0d9a11"


def test_a_tampered_root_or_entry_fails_the_check(hromada):
    sign_some(hromada, 10)
    ledger_seal(hromada=hromada)
    with append_only_suspended():
        SignedTreeHead.objects.update(root_hash="00" * 32)
    check = ledger_receipt_check(hromada=hromada, receipt=RECEIPT, keys=lookup_keys(RECEIPT))
    assert check.found and not check.verified


def test_an_entry_of_another_hromada_is_not_found(hromada, other_hromada):
    sign_some(other_hromada, 10)
    ledger_seal(hromada=other_hromada)
    assert ledger_receipt_check(hromada=hromada, receipt=RECEIPT, keys=lookup_keys(RECEIPT)).found == []


# --- the page ------------------------------------------------------------------------------------


def test_the_page_explains_and_offers_the_form(client, hromada):
    html = client.get("/ledger/receipt/").content.decode()
    assert "Перевірка квитанції" in html and 'name="receipt"' in html
    assert '<label for="id_receipt">' in html and 'aria-describedby="id_receipt-help"' in html
    assert "Результат перевірки" not in html


def test_a_bad_receipt_is_explained_on_the_page(client, hromada):
    response = client.get("/ledger/receipt/", {"receipt": "щось не те"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "лише з цифр 0–9" in html and 'aria-invalid="true"' in html and 'role="alert"' in html
    assert 'aria-describedby="id_receipt-help id_receipt-error"' in html


def test_an_unknown_receipt_says_so(client, hromada):
    html = client.get("/ledger/receipt/", {"receipt": "ab" * 16}).content.decode()
    assert "не знайдено" in html


def test_a_sealed_receipt_is_shown_in_plain_words_with_the_proof_behind_details(client, hromada):
    sign_some(hromada, 12)
    ledger_seal(hromada=hromada)
    head = SignedTreeHead.objects.get(hromada=hromada)
    entry = LedgerEntry.objects.get(hromada=hromada, payload__signer=RECEIPT)

    html = client.get("/ledger/receipt/", {"receipt": RECEIPT.upper()}).content.decode()

    assert "Перевірка пройшла" in html and "✓" in html
    assert "Ваш підпис під річчю" in html and "записано в реєстрі" in html
    assert "Запис №8 із 12 входить до підписаного стану реєстру" in html
    assert "<details" in html and "Технічні дані" in html
    assert entry.leaf_hash in html and head.root_hash in html and head.signature in html
    assert head.key.key_id in html and head.key.public_key in html
    for node in ledger_inclusion_proof(hromada=hromada, index=7, size=12):
        assert node.hex() in html
    assert f"/ledger/receipt.json?receipt={RECEIPT}" in html
    assert (
        f"python3 ledger_verify.py --proof receipt-{RECEIPT}.json --receipt {RECEIPT} --key-id {head.key.key_id}"
        in html
    )
    assert "js/ledger-proof.js" in html and "<script>" not in html


def test_an_entry_uuid_finds_its_entry(client, hromada):
    [entry] = sign_some(hromada, 1)
    ledger_seal(hromada=hromada)
    html = client.get("/ledger/receipt/", {"receipt": str(entry.uuid)}).content.decode()
    assert "Перевірка пройшла" in html and "Запис №1 із 1" in html


def test_a_pending_entry_says_when_it_will_be_sealed(client, hromada):
    sign_some(hromada, 3)
    ledger_seal(hromada=hromada)
    [entry] = sign_some(hromada, 1, start=40)
    html = client.get("/ledger/receipt/", {"receipt": f"{40:032x}"}).content.decode()
    assert "очікує запечатування" in html and "Перевірка пройшла" not in html
    assert "увійде до підписаного стану реєстру" in html
    document = client.get("/ledger/receipt.json", {"receipt": str(entry.uuid)}).json()
    assert document["entries"] == [] and document["pending"][0]["leaf_hash"] == entry.leaf_hash


def test_a_pending_entry_of_an_empty_log_is_found(client, hromada):
    sign_some(hromada, 1)
    html = client.get("/ledger/receipt/", {"receipt": f"{0:032x}"}).content.decode()
    assert "очікує запечатування" in html


def test_receipt_checks_are_rate_limited(client, hromada, settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ledger.receipt:address": "2/m"}
    for _ in range(2):
        assert client.get("/ledger/receipt/", {"receipt": RECEIPT}).status_code == 200
    refused = client.get("/ledger/receipt/", {"receipt": RECEIPT})
    assert refused.status_code == 429 and refused["Retry-After"]
    assert client.get("/api/v1/ledger/receipt", {"receipt": RECEIPT}).json()["code"] == "rate_limited"
    # Showing the empty form costs nothing.
    assert client.get("/ledger/receipt/").status_code == 200


# --- the JSON proof and the offline check --------------------------------------------------------------


def _proof(client, hromada, tmp_path, receipt=RECEIPT):
    response = client.get("/ledger/receipt.json", {"receipt": receipt})
    assert response.status_code == 200, response.content
    assert response["Content-Disposition"] == f'attachment; filename="receipt-{receipt}.json"'
    document = response.json()
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return document, path


def _tool(*args):
    return subprocess.run(
        [sys.executable, "-I", "-S", str(TOOL), *args], capture_output=True, text=True, check=False
    )


def test_the_json_proof_verifies_offline(client, hromada, tmp_path):
    sign_some(hromada, 70)
    ledger_seal(hromada=hromada)
    document, path = _proof(client, hromada, tmp_path)
    assert document["format"] == "hromada-ledger-inclusion-proof/1" and document["verified_by_server"]
    assert document["entries"][0]["index"] == 7 and document["tree_head"]["tree_size"] == 70

    done = _tool("--proof", str(path), "--receipt", RECEIPT, "--key-id", document["public_key"]["key_id"])
    assert done.returncode == 0, done.stderr
    assert f"receipt {RECEIPT}: sample.signed" in done.stdout and "entry 7 of the 70" in done.stdout


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        (lambda d: d["entries"][0]["audit_path"].__setitem__(0, "00" * 32), "audit path does not lead"),
        (lambda d: d["entries"][0].__setitem__("index", 8), "audit path does not lead"),
        (
            lambda d: d["entries"][0].__setitem__("entry", d["entries"][0]["entry"].replace("2f1c", "2f1d")),
            "leaf hash",
        ),
        (lambda d: d["tree_head"].__setitem__("tree_size", 71), "signature does not verify"),
        (lambda d: d["tree_head"].__setitem__("root_hash", "11" * 32), "signature does not verify"),
        (lambda d: d["entries"][0]["audit_path"].pop(), "audit path does not lead"),
        (lambda d: d.__setitem__("entries", []), "lists no entry"),
    ],
)
def test_a_tampered_proof_is_rejected(client, hromada, tmp_path, tamper, problem):
    sign_some(hromada, 70)
    ledger_seal(hromada=hromada)
    document, path = _proof(client, hromada, tmp_path)
    bad = copy.deepcopy(document)
    tamper(bad)
    path.write_text(json.dumps(bad), encoding="utf-8")
    done = _tool("--proof", str(path))
    assert done.returncode == 1 and problem in done.stderr, done.stderr


def test_a_proof_for_another_receipt_or_an_untrusted_key_is_rejected(client, hromada, tmp_path):
    sign_some(hromada, 10)
    ledger_seal(hromada=hromada)
    _document, path = _proof(client, hromada, tmp_path)
    other = _tool("--proof", str(path), "--receipt", "ab" * 16)
    assert other.returncode == 1 and "not abab" in other.stderr
    untrusted = _tool("--proof", str(path), "--key-id", "cd" * 32)
    assert untrusted.returncode == 1 and "which you do not trust" in untrusted.stderr
    assert _tool("--proof", str(tmp_path / "missing.json")).returncode == 2


def test_the_json_errors_have_stable_codes(client, hromada):
    bad = client.get("/ledger/receipt.json", {"receipt": "zz"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_receipt"
    missing = client.get("/ledger/receipt.json", {"receipt": "ab" * 16})
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


# --- the API ---------------------------------------------------------------------------------------


def test_the_api_returns_the_same_proof(client, hromada):
    sign_some(hromada, 20)
    ledger_seal(hromada=hromada)
    api = client.get("/api/v1/ledger/receipt", {"receipt": RECEIPT})
    page = client.get("/ledger/receipt.json", {"receipt": RECEIPT}).json()
    assert api.status_code == 200
    body = api.json()
    for doc in (body, page):
        doc.pop("generated_at")
    assert body == page


def test_the_api_errors_have_stable_codes(client, hromada):
    for receipt, status, code in [
        ("", 400, "invalid_receipt"),
        ("x" * 40, 400, "invalid_receipt"),
        ("ab" * 16, 404, "not_found"),
    ]:
        response = client.get("/api/v1/ledger/receipt", {"receipt": receipt})
        assert response.status_code == status and response.json()["code"] == code
        assert response.json()["field"] == "receipt"


def test_a_late_seal_is_said_to_be_late_not_given_a_time_past(client, hromada, monkeypatch):
    [entry] = sign_some(hromada, 1)
    later = entry.created_at + dt.timedelta(minutes=5)
    monkeypatch.setattr(proofs.timezone, "now", lambda: later)  # the worker has been down 5 minutes
    html = client.get("/ledger/receipt/", {"receipt": f"{0:032x}"}).content.decode()
    assert "запечатування затримується" in html and "увійде до підписаного стану" not in html


def test_the_receipt_page_in_english(client, hromada):
    sign_some(hromada, 9)
    ledger_seal(hromada=hromada)
    client.cookies["django_language"] = "en"
    html = client.get("/ledger/receipt/", {"receipt": RECEIPT}).content.decode()
    assert "Check passed" in html and "Entry No. 8 of 9 is part of the register" in html
    assert "Technical data" in html


def test_the_registry_refuses_receipts_of_undeclared_kinds_or_nested_keys():
    from hromada.core.modules import LedgerReceipt, Module, Registry, RegistryError

    def module(*receipts):
        return Module(
            label="budget",
            name="Budget",
            event_prefix="budget",
            ledger_kinds={"budget.vote_cast": "A vote"},
            ledger_receipts=receipts,
        )

    registry = Registry()
    with pytest.raises(RegistryError, match="undeclared kind"):
        registry.register(module(LedgerReceipt("budget.other", "voter")))
    with pytest.raises(RegistryError, match="top-level payload key"):
        registry.register(module(LedgerReceipt("budget.vote_cast", "voter.id")))
    with pytest.raises(RegistryError, match="twice"):
        registry.register(
            module(LedgerReceipt("budget.vote_cast", "a"), LedgerReceipt("budget.vote_cast", "b"))
        )
    registry.register(module(LedgerReceipt("budget.vote_cast", "voter")))
    assert registry.ledger_receipts()["budget.vote_cast"].key == "voter"
