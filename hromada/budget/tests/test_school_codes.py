"""School codes: issued in batches, shown once, stored hashed; each code one ballot;
forged, used and revoked codes refused with nothing changed."""

from __future__ import annotations

import pytest
from django.test import Client

from hromada.accounts.tests.factories import staff_user
from hromada.budget import rules
from hromada.budget.models import Ballot, Category, CategoryKind, SchoolCode, SchoolCodeBatch
from hromada.budget.services.cycles import CategorySpec
from hromada.budget.services.school_codes import ALPHABET, batch_revoke, codes_issue, school_ballot_cast
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry

from .factories import make_cycle
from .helpers_voting import add_projects, ids, publish

pytestmark = pytest.mark.django_db


def school_cycle(hromada, current="voting"):
    spec = CategorySpec(
        title="Шкільний бюджет ліцею № 1",
        slug="school1",
        kind=CategoryKind.SCHOOL,
        pot=100_000,
        max_cost=60_000,
        rule="knapsack",
        school="Ліцей № 1",
    )
    cycle = make_cycle(hromada, current=current, categories=[spec], slug=f"s-{current}")
    school = Category.objects.get(cycle=cycle)
    add_projects(school, [60_000, 50_000, 30_000])
    publish(cycle)
    return cycle, school


def test_codes_are_issued_hashed_and_ledgered(hromada):
    _cycle, school = school_cycle(hromada)
    batch, codes = codes_issue(category=school, actor=staff_user(hromada, "officer"), size=25, label="7-А")
    assert len(codes) == len(set(codes)) == 25 and batch.size == 25
    assert all(len(c) == 10 and set(c) <= set(ALPHABET) for c in codes)
    assert not set("0O1I") & set("".join(codes))
    stored = set(SchoolCode.objects.filter(batch=batch).values_list("code_hash", flat=True))
    assert stored == {rules.school_code_hash(c) for c in codes}
    entry = LedgerEntry.objects.get(kind="budget.codes_issued")
    assert entry.payload == {"category": str(school.public_id), "batch": str(batch.public_id), "size": 25}
    assert not any(c in entry.canonical for c in codes)


def test_batch_size_and_kind_and_permission(hromada, other_hromada):
    cycle, school = school_cycle(hromada)
    officer = staff_user(hromada, "officer")
    for size in (0, 2001):
        with pytest.raises(DomainError) as info:
            codes_issue(category=school, actor=officer, size=size)
        assert info.value.code == "batch_size_invalid"
    for actor in (staff_user(hromada, "moderator"), staff_user(other_hromada, "admin")):
        with pytest.raises(PermissionDenied):
            codes_issue(category=school, actor=actor, size=1)
    general = make_cycle(hromada, current="voting", slug="general")
    with pytest.raises(DomainError) as info:
        codes_issue(category=Category.objects.filter(cycle=general).first(), actor=officer, size=1)
    assert info.value.code == "not_school_category"
    assert SchoolCodeBatch.objects.count() == 0


def test_one_code_one_ballot_forged_used_revoked(hromada):
    _cycle, school = school_cycle(hromada)
    officer = staff_user(hromada, "officer")
    _batch, codes = codes_issue(category=school, actor=officer, size=3)
    ballot = school_ballot_cast(
        category=school, code=codes[0][:5] + "-" + codes[0][5:].lower(), choices=ids(school)[:1]
    )
    assert ballot.channel == "school" and ballot.voter == rules.school_code_hash(codes[0])[:32]
    before = (Ballot.objects.count(), LedgerEntry.objects.filter(kind="budget.ballot_cast").count())
    cases = [(codes[0], "school_code_used"), ("ABCDEFGHJK", "school_code_invalid"), ("", "code_required")]
    for code, expected in cases:
        with pytest.raises(DomainError) as info:
            school_ballot_cast(category=school, code=code, choices=ids(school)[:1])
        assert info.value.code == expected
    with pytest.raises(DomainError) as info:
        school_ballot_cast(category=school, code=codes[1], choices=ids(school)[:2])  # 110 000 > 100 000
    assert info.value.code == "over_pot" and "10\u00a0000" in str(info.value.message)
    assert SchoolCode.objects.filter(used_at__isnull=False).count() == 1  # the over-pot try used nothing
    batch_revoke(batch=_batch, actor=officer)
    with pytest.raises(DomainError) as info:
        school_ballot_cast(category=school, code=codes[2], choices=ids(school)[:1])
    assert info.value.code == "school_code_invalid"
    assert (Ballot.objects.count(), LedgerEntry.objects.filter(kind="budget.ballot_cast").count()) == before


def test_outside_the_phase_a_code_is_not_spent(hromada):
    _cycle, school = school_cycle(hromada, current="results")
    _batch, codes = codes_issue(category=school, actor=staff_user(hromada, "officer"), size=1)
    with pytest.raises(DomainError) as info:
        school_ballot_cast(category=school, code=codes[0], choices=ids(school)[:1])
    assert info.value.code == "voting_closed"
    assert SchoolCode.objects.get().used_at is None


def test_a_code_of_another_school_is_invalid_here(hromada, other_hromada):
    _cycle, school = school_cycle(hromada)
    _other_cycle, other_school = school_cycle(other_hromada)
    _b, codes = codes_issue(category=other_school, actor=staff_user(other_hromada, "officer"), size=1)
    with pytest.raises(DomainError) as info:
        school_ballot_cast(category=school, code=codes[0], choices=ids(school)[:1])
    assert info.value.code == "school_code_invalid"


def test_pages_issue_print_and_vote(hromada):
    cycle, school = school_cycle(hromada)
    client = Client()
    client.force_login(staff_user(hromada, "officer"))
    sheet = client.post(
        "/staff/budget/codes/", {"category": str(school.public_id), "size": "4", "label": "5-Б"}
    )
    assert sheet.status_code == 200 and "no-store" in sheet["Cache-Control"]
    text = sheet.content.decode()
    assert (
        text.count('class="budget-slip"') == 4
        and "Ліцей № 1" in text
        and f"/budget/{cycle.slug}/school/" in text
    )
    listing = client.get("/staff/budget/codes/").content.decode()
    assert "5-Б" in listing
    import re

    code = re.search(r"<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>", text).group(1)
    pupil = Client()
    page = pupil.get(f"/budget/{cycle.slug}/school/")
    assert page.status_code == 200 and "Код з картки" in page.content.decode()
    done = pupil.post(
        f"/budget/{cycle.slug}/school/",
        {"category": str(school.public_id), "code": code, "choices": ids(school)[:1]},
    )
    assert done.status_code == 200 and "Твій голос враховано" in done.content.decode()
    used = pupil.post(
        f"/budget/{cycle.slug}/school/",
        {"category": str(school.public_id), "code": code, "choices": ids(school)[:1]},
    )
    assert used.status_code == 409 and "уже проголосували" in used.content.decode()
    assert Ballot.objects.count() == 1
