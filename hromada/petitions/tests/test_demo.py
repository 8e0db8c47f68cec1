"""The demo hromada: petitions in every state, built through the services on a set
clock, so the public ledger tells the same history as the pages."""

import pytest
from django.core.management import call_command

from hromada.ledger.models import LedgerEntry
from hromada.ledger.verify import verify_database
from hromada.petitions.models import CoAuthor, Petition, Status
from hromada.tenancy.models import Hromada

pytestmark = pytest.mark.django_db


def test_the_demo_history_agrees_with_the_ledger():
    call_command("demo_seed", verbosity=0)
    hromada = Hromada.objects.get(slug="demo")
    petitions = Petition.objects.filter(hromada=hromada)
    assert set(petitions.values_list("status", flat=True)) == set(Status.values)
    coauthored = CoAuthor.objects.filter(hromada=hromada, accepted_at__isnull=False)
    assert coauthored.count() == 2 and coauthored.first().petition.status == Status.COLLECTING
    entries = list(LedgerEntry.objects.filter(hromada=hromada).order_by("id"))
    assert [e.created_at for e in entries] == sorted(e.created_at for e in entries)
    for petition in petitions.exclude(published_at=None):
        published = next(
            e
            for e in entries
            if e.kind == "petition.published" and e.payload["petition"] == str(petition.public_id)
        )
        assert abs((published.created_at - petition.published_at).total_seconds()) < 1
        signed = [
            e.created_at
            for e in entries
            if e.kind == "petition.signed" and e.payload["petition"] == str(petition.public_id)
        ]
        rows = sorted(petition.signatures.values_list("created_at", flat=True))
        assert len(signed) == len(rows)
        assert all(abs((a - b).total_seconds()) < 0.001 for a, b in zip(sorted(signed), rows, strict=True))
    for petition in petitions.filter(status=Status.ANSWERED):
        reached = petition.threshold_reached_at
        assert petition.published_at < reached < petition.closed_at  # signed, reached, then answered
        assert petition.signatures.latest("created_at").created_at <= reached
    report = verify_database(hromada=hromada)  # raises LedgerProblem on any inconsistency
    assert report.tree_size == len(entries) and report.pending == 0
    call_command("demo_seed", verbosity=0)  # a second run changes nothing
    assert LedgerEntry.objects.filter(hromada=hromada).count() == len(entries)


def test_the_demo_petitions_speak_of_the_hromadas_real_villages():
    call_command("demo_seed", verbosity=0)
    from hromada.petitions.models import Petition

    texts = " ".join(Petition.objects.filter(hromada__slug="demo").values_list("text", flat=True))
    assert "Лозов" not in texts and "Вербівка, Косарі та Баландине" in texts
