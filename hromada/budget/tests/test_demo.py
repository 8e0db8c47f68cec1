"""The demo's budget (demo.py), through the whole demo_seed. It calls the projects,
review, voting and implementation parts' services, so it runs once they are merged
(skipped until then)."""

from __future__ import annotations

import importlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def _parts_present() -> bool:
    for module, name in (
        ("hromada.budget.services.projects", "project_submit"),
        ("hromada.budget.services.review", "review_decide"),
        ("hromada.budget.services.voting", "paper_ballot_enter"),
        ("hromada.budget.services.school_codes", "school_ballot_cast"),
        ("hromada.budget.services.implementation", "implementation_update"),
        ("hromada.budget.services.residency", "residency_declare"),
    ):
        try:
            if not hasattr(importlib.import_module(module), name):
                return False
        except ImportError:
            return False
    return True


pytestmark = [
    pytestmark,
    pytest.mark.skipif(not _parts_present(), reason="the other budget parts are not merged"),
]


@pytest.fixture
def demo(db, settings):
    settings.ALLOWED_HOSTS = ["*"]
    call_command("demo_seed", stdout=io.StringIO())
    from hromada.tenancy.models import Hromada

    return Hromada.objects.get(slug="demo")


def test_the_demo_has_a_finished_cycle_and_one_in_voting(demo):
    from hromada.budget import rules
    from hromada.budget.models import Ballot, Cycle, ImplementationUpdate, Outcome, Project
    from hromada.budget.services.results import tally_from_ledger
    from hromada.ledger.models import LedgerEntry

    finished = Cycle.objects.get(hromada=demo, slug="2026")
    current = Cycle.objects.get(hromada=demo, slug="2027")
    assert finished.results_published_at and finished.voting_closed_root
    assert rules.phase_code(current) == "voting" and current.published_at
    assert Project.objects.filter(cycle=finished).count() >= 12
    channels = set(Ballot.objects.filter(category__cycle=finished).values_list("channel", flat=True))
    assert {"online", "paper", "school"} <= channels
    assert Ballot.objects.filter(category__cycle=finished).count() >= 200
    result = tally_from_ledger(cycle=finished)
    for category in result["categories"]:
        for project_id, votes in category["votes"].items():
            assert Project.objects.get(public_id=project_id).vote_count == votes
    winners = Project.objects.filter(
        cycle=finished, outcome__in=[Outcome.WINNER, Outcome.IMPLEMENTING, Outcome.DELAYED, Outcome.DONE]
    )
    assert winners.exists()
    assert ImplementationUpdate.objects.filter(project__in=winners).exclude(tender_id="").exists()
    assert Ballot.objects.filter(category__cycle=current).exists()
    times = list(LedgerEntry.objects.filter(hromada=demo).order_by("id").values_list("created_at", flat=True))
    assert times == sorted(times), "the ledger stays in time order"


def test_a_demo_resident_who_has_not_voted_may_vote(demo):
    from hromada.accounts.models import User
    from hromada.budget import rules
    from hromada.budget.models import Ballot, Cycle

    current = Cycle.objects.get(hromada=demo, slug="2027")
    voted = set(
        Ballot.objects.filter(category__cycle=current, user__isnull=False).values_list("user_id", flat=True)
    )
    resident = User.objects.filter(email__startswith="resident").exclude(pk__in=voted).order_by("id").last()
    refusal, _standing = rules.participant_refusal(resident, current)
    assert refusal is None or refusal.code == "residence_required", "a resident only has to give the address"


def test_the_demo_tally_verifies_from_the_export(demo, tmp_path):
    from hromada.budget.models import Cycle
    from hromada.budget.services.results import tally_from_ledger

    root = Path(__file__).resolve().parents[3]
    where = tmp_path / "auditor"
    where.mkdir()
    for source in ("tools/budget_tally.py", "hromada/budget/tally.py", "tools/ledger_verify.py"):
        (where / Path(source).name).write_bytes((root / source).read_bytes())
    response = Client(HTTP_HOST="localhost").get("/ledger/export.json")
    export = tmp_path / "export.json"
    export.write_bytes(b"".join(response.streaming_content))
    finished = Cycle.objects.get(hromada=demo, slug="2026")
    printed = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            str(where / "budget_tally.py"),
            str(export),
            "--cycle",
            str(finished.public_id),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert printed.returncode == 0, printed.stderr
    audited = json.loads(printed.stdout)
    assert audited["categories"] == tally_from_ledger(cycle=finished)["categories"]
    page = Client(HTTP_HOST="localhost").get(f"/budget/{finished.slug}/results/")
    assert page.status_code == 200 and finished.voting_closed_root in page.content.decode()
