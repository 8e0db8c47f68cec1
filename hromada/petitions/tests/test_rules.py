"""Every role against every staff action: allowed ones succeed, refused ones change nothing."""

import datetime as dt

import pytest

from hromada.accounts.tests.factories import ACTORS, role_actor, verified_user
from hromada.core.errors import DomainError
from hromada.ledger.models import LedgerEntry
from hromada.petitions import rules, services
from hromada.petitions.models import Petition, Status
from hromada.petitions.tests.factories import PetitionFactory, collecting, route_to

pytestmark = pytest.mark.django_db

MAY_MODERATE = {"admin", "moderator"}
MAY_ANSWER = {"admin", "officer"}


def snapshot(petition):
    petition.refresh_from_db()
    return (
        petition.status,
        petition.moderated_by_id,
        petition.consideration_extended_until,
        LedgerEntry.objects.count(),
    )


@pytest.mark.parametrize("role", ACTORS)
def test_publish_and_reject(role, hromada, other_hromada):
    user = role_actor(role, hromada, other_hromada)
    to_publish = PetitionFactory(hromada=hromada)
    to_reject = PetitionFactory(hromada=hromada)
    assert rules.can_moderate(user, to_publish) == (role in MAY_MODERATE)
    if role in MAY_MODERATE:
        services.petition_publish(petition=to_publish, moderator=user)
        services.petition_reject(petition=to_reject, moderator=user, reason="duplicate")
        assert snapshot(to_publish)[0] == Status.COLLECTING
        assert snapshot(to_reject)[0] == Status.REJECTED
        return
    before = snapshot(to_publish), snapshot(to_reject)
    for call in (
        lambda: services.petition_publish(petition=to_publish, moderator=user),
        lambda: services.petition_reject(petition=to_reject, moderator=user, reason="duplicate"),
    ):
        with pytest.raises(DomainError) as err:
            call()
        assert err.value.status == 403
    assert (snapshot(to_publish), snapshot(to_reject)) == before


def _considered(hromada):
    petition = collecting(hromada=hromada, threshold=1)
    services.petition_sign(petition=petition, user=verified_user())
    services.petition_reach_threshold(petition=petition)
    petition.refresh_from_db()
    return petition


MAY_PUBLISH_DIRECTLY = {"admin"}  # petitions.approve_answer; heads of departments too (below)


@pytest.mark.parametrize("role", ACTORS)
def test_answer_and_extend(role, hromada, other_hromada):
    """An officer answers what falls to their department; only an approver publishes."""
    user = role_actor(role, hromada, other_hromada)
    petition = _considered(hromada)
    if role == "officer":
        route_to(petition, user)
    until = petition.consideration_due + dt.timedelta(days=10)
    notice = "Потрібен висновок юридичного відділу щодо повноважень ради."
    text = "Рада розглянула петицію і підтримує її; виконавець — управління ЖКГ."
    assert rules.can_answer(user, petition) == (role in MAY_ANSWER)
    if role in MAY_ANSWER:
        services.petition_extend_deadline(petition=petition, officer=user, until=until, notice=notice)
        services.answer_draft_save(petition=petition, officer=user, decision="supported", text=text)
        if role in MAY_PUBLISH_DIRECTLY:
            services.petition_answer(petition=petition, officer=user, decision="supported", text=text)
            assert Petition.objects.get(pk=petition.pk).status == Status.ANSWERED
        else:
            before = snapshot(petition)
            with pytest.raises(DomainError) as err:
                services.petition_answer(petition=petition, officer=user, decision="supported", text=text)
            assert err.value.status == 403
            assert snapshot(petition) == before
        return
    before = snapshot(petition)
    with pytest.raises(DomainError) as err:
        services.petition_extend_deadline(petition=petition, officer=user, until=until, notice=notice)
    assert err.value.status == 403
    with pytest.raises(DomainError) as err:
        services.petition_answer(petition=petition, officer=user, decision="supported", text=text)
    assert err.value.status == 403
    with pytest.raises(DomainError) as err:
        services.answer_draft_save(petition=petition, officer=user, decision="supported", text=text)
    assert err.value.status == 403
    assert snapshot(petition) == before


def test_an_officer_outside_the_petitions_department_may_not_answer(hromada):
    from hromada.accounts.tests.factories import staff_user

    petition = _considered(hromada)
    insider, outsider = staff_user(hromada, "officer"), staff_user(hromada, "officer")
    route_to(petition, insider)
    assert rules.can_answer(insider, petition)
    assert not rules.can_answer(outsider, petition)
    with pytest.raises(DomainError) as err:
        services.petition_extend_deadline(
            petition=petition,
            officer=outsider,
            until=petition.consideration_due + dt.timedelta(days=3),
            notice="Потрібен висновок юридичного відділу щодо повноважень ради.",
        )
    assert err.value.status == 403
    petition.refresh_from_db()
    assert petition.consideration_extended_until is None


@pytest.mark.parametrize("role", ACTORS)
def test_who_sees_a_petition_in_moderation(role, hromada, other_hromada):
    user = role_actor(role, hromada, other_hromada)
    petition = PetitionFactory(hromada=hromada)
    assert rules.can_view(user, petition) == (role in MAY_MODERATE)
    assert rules.can_view(petition.author, petition)
