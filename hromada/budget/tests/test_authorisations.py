"""Manual authorisation: granted by an official with the reason and the document seen,
ledgered by pseudonym; it lets a person without a residence or e-ID vote; revoke."""

from __future__ import annotations

import pytest
from django.test import Client

from hromada.accounts.identity import taxnumber
from hromada.accounts.tests.factories import UserFactory, staff_user
from hromada.budget import rules
from hromada.budget.models import Authorisation
from hromada.budget.services.authorisations import account_of, authorisation_grant, authorisation_revoke
from hromada.budget.services.voting import ballot_cast, paper_ballot_enter
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry

from .factories import category
from .helpers_voting import ids, tax_number, voter, voting_cycle

pytestmark = pytest.mark.django_db


def test_grant_lets_a_person_without_a_residence_vote(hromada):
    cycle = voting_cycle(hromada)
    officer = staff_user(hromada, "officer")
    user, number = voter()
    small = category(cycle, "small")
    with pytest.raises(DomainError) as info:
        ballot_cast(category=small, user=user, choices=ids(small)[:1])
    assert info.value.code == "residence_required"
    row = authorisation_grant(
        cycle=cycle,
        actor=officer,
        tax_number=number,
        reason="idp",
        document_seen="довідка ВПО",
        user=account_of(number),
    )
    assert row.person_key == taxnumber.tax_hash(number) and row.user == user
    entry = LedgerEntry.objects.get(kind="budget.authorisation_granted")
    assert entry.payload == {
        "cycle": str(cycle.public_id),
        "reason": "idp",
        "person": rules.voter_pseudonym(cycle=cycle, person_key=row.person_key),
    }
    assert row.person_key not in entry.canonical and number not in entry.canonical
    assert ballot_cast(category=small, user=user, choices=ids(small)[:1]).pk


def test_authorised_paper_voter_needs_no_address(hromada):
    cycle = voting_cycle(hromada)
    officer = staff_user(hromada, "officer")
    number = tax_number()
    authorisation_grant(
        cycle=cycle, actor=officer, tax_number=number, reason="no_eid", document_seen="паспорт"
    )
    small = category(cycle, "small")
    ballot = paper_ballot_enter(category=small, actor=officer, tax_number=number, choices=ids(small)[:1])
    assert ballot.channel == "paper"


def test_refusals_and_revoke(hromada, other_hromada):
    cycle = voting_cycle(hromada)
    officer = staff_user(hromada, "officer")
    number = tax_number()
    bad = [
        ({"tax_number": "123"}, "tax_number_invalid"),
        ({"tax_number": number, "reason": "nope"}, "reason_invalid"),
        ({"tax_number": number, "document_seen": " "}, "document_required"),
    ]
    for override, code in bad:
        kwargs = {"tax_number": number, "reason": "idp", "document_seen": "паспорт", **override}
        with pytest.raises(DomainError) as info:
            authorisation_grant(cycle=cycle, actor=officer, **kwargs)
        assert info.value.code == code
    for actor in (staff_user(hromada, "moderator"), staff_user(other_hromada, "admin"), UserFactory()):
        with pytest.raises(PermissionDenied):
            authorisation_grant(
                cycle=cycle, actor=actor, tax_number=number, reason="idp", document_seen="паспорт"
            )
    row = authorisation_grant(
        cycle=cycle, actor=officer, tax_number=number, reason="idp", document_seen="паспорт"
    )
    with pytest.raises(DomainError) as info:
        authorisation_grant(
            cycle=cycle, actor=officer, tax_number=number, reason="idp", document_seen="паспорт"
        )
    assert info.value.code == "already_authorised"
    authorisation_revoke(authorisation=row, actor=officer)
    assert rules.authorisation_of(cycle, row.person_key) is None
    assert Authorisation.objects.count() == 1
    closed = voting_cycle(hromada, slug="closed", allow_authorisation=False)
    with pytest.raises(DomainError) as info:
        authorisation_grant(
            cycle=closed, actor=officer, tax_number=number, reason="idp", document_seen="паспорт"
        )
    assert info.value.code == "authorisation_not_allowed"


def test_pages(hromada):
    cycle = voting_cycle(hromada)
    client = Client()
    client.force_login(staff_user(hromada, "officer"))
    number = tax_number()
    form = client.get(f"/staff/budget/authorisations/new/?cycle={cycle.slug}")
    assert form.status_code == 200
    bad = client.post(
        f"/staff/budget/authorisations/new/?cycle={cycle.slug}",
        {"cycle": cycle.slug, "tax_number": "1", "reason": "idp", "document_seen": "паспорт"},
    )
    assert bad.status_code == 400 and "10 цифр" in bad.content.decode()
    ok = client.post(
        f"/staff/budget/authorisations/new/?cycle={cycle.slug}",
        {"cycle": cycle.slug, "tax_number": number, "reason": "idp", "document_seen": "паспорт"},
    )
    assert ok.status_code == 302
    listing = client.get(f"/staff/budget/authorisations/?cycle={cycle.slug}").content.decode()
    assert "Внутрішньо переміщена особа" in listing and number not in listing
    row = Authorisation.objects.get()
    assert client.post(f"/staff/budget/authorisations/{row.pk}/revoke/").status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None
