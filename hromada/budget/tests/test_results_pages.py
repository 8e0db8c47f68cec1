"""The public results page and the staff results page."""

from __future__ import annotations

import pytest

from hromada.accounts.tests.factories import role_matrix, staff_user
from hromada.budget.models import Cycle
from hromada.budget.services import results
from hromada.ledger.services import ledger_seal

from .helpers_results import cast
from .test_results import build, vote

pytestmark = pytest.mark.django_db


def test_during_voting_the_page_shows_turnout_only(client, hromada):
    cycle, cats, p = build(hromada, current="voting")
    results.ballot_publish(cycle=cycle)
    vote(cats, p)
    page = client.get(f"/budget/{cycle.slug}/results/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Голосування триває" in text and "Явка на цю хвилину" in text
    assert p["s1"].title not in text, "no votes per project before the results"
    assert "budget-bar" in text and "<table" in text
    assert "&lt;&nbsp;5" in text, "the school channel (3 ballots) is a small cell"


def test_published_results_show_ranking_winners_money_left_and_the_verify_box(client, hromada):
    cycle, cats, p = build(hromada, current="results")
    results.ballot_publish(cycle=cycle)
    vote(cats, p)
    results.results_publish(cycle=cycle)
    cycle = Cycle.objects.get(pk=cycle.pk)
    text = client.get(f"/budget/{cycle.slug}/results/").content.decode()
    assert p["s1"].title in text and "Переможець" in text and "залишок коштів" in text
    assert "30\u00a0000&nbsp;грн" in text or "30 000&nbsp;грн" in text or "30&nbsp;000" in text
    assert cycle.voting_closed_root in text and "/ledger/export.json" in text
    assert f"--cycle {cycle.public_id}" in text
    assert 'aria-hidden="true"' in text
    assert "style=" not in text.split("<main", 1)[-1], "no inline styles (strict CSP)"


def test_the_auditors_files_are_served(client, hromada):
    for name in ("budget_tally.py", "tally.py"):
        response = client.get(f"/budget/tools/{name}")
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert b"standard library" in body


def test_an_unknown_or_other_hromadas_cycle_is_404(client, hromada, other_hromada):
    from .factories import make_cycle

    make_cycle(other_hromada, slug="elsewhere")
    assert client.get("/budget/elsewhere/results/").status_code == 404
    assert client.get("/budget/nope/results/").status_code == 404


def test_the_staff_page_compares_ledger_and_table_and_publishes(client, hromada):
    cycle, cats, p = build(hromada, current="results")
    results.ballot_publish(cycle=cycle)
    vote(cats, p)
    ledger_seal(hromada=hromada)
    admin = staff_user(hromada, "admin")
    client.force_login(admin)
    url = f"/staff/budget/results/{cycle.slug}/"
    text = client.get(url).content.decode()
    assert "Збігається" in text and "Оприлюднити підсумки зараз" in text
    response = client.post(url, {"action": "publish"})
    assert response.status_code == 302
    assert Cycle.objects.get(pk=cycle.pk).results_published_at is not None
    assert "Підсумки оприлюднено" in client.get(url).content.decode()
    client.post(url, {"action": "publish"})
    assert "вже було оприлюднено" in client.get(url).content.decode()


def test_the_staff_page_shows_a_disagreement_and_refused_entries(client, hromada):
    from .helpers_results import raw_ballot_entry

    cycle, cats, p = build(hromada, current="results")
    results.ballot_publish(cycle=cycle)
    cast(cats[0], [p["s1"]])
    raw_ballot_entry(cats[0], "d" * 32, [str(p["s1"].public_id)])  # in the ledger, not in the table
    raw_ballot_entry(cats[0], "e" * 32, [])
    ledger_seal(hromada=hromada)
    client.force_login(staff_user(hromada, "admin"))
    text = client.get(f"/staff/budget/results/{cycle.slug}/").content.decode()
    assert "НЕ збігається" in text and "empty_ballot" in text


def test_publishing_during_voting_is_refused_with_a_message(client, hromada):
    cycle, cats, p = build(hromada, current="voting")
    client.force_login(staff_user(hromada, "admin"))
    url = f"/staff/budget/results/{cycle.slug}/"
    assert "Оприлюднити підсумки зараз" not in client.get(url).content.decode()
    client.post(url, {"action": "publish"})
    assert "Голосування ще триває" in client.get(url).content.decode()
    assert Cycle.objects.get(pk=cycle.pk).results_published_at is None


def test_role_matrix_on_the_staff_results_page(client, hromada, other_hromada):
    cycle, cats, p = build(hromada, current="results")
    results.ballot_publish(cycle=cycle)
    ledger_seal(hromada=hromada)
    url = f"/staff/budget/results/{cycle.slug}/"
    for name, actor in role_matrix(hromada, other_hromada).items():
        client.logout()
        if actor.is_authenticated:
            client.force_login(actor)
        status = client.get(url).status_code
        if not actor.is_authenticated:
            assert status == 302, name
        elif name == "admin":
            assert status == 200, name
        else:
            assert status == 403, name
