import pytest

from hromada.accounts.tests.factories import staff_user, verified_user
from hromada.core.errors import DomainError
from hromada.ledger.models import LedgerEntry
from hromada.tenancy import services
from hromada.tenancy.models import Statute

pytestmark = pytest.mark.django_db


def test_admin_changes_statute_and_ledger_records_it(hromada, hromada_admin):
    services.statute_update(actor=hromada_admin, hromada=hromada, population=20_000, petition_threshold=500)
    statute = Statute.objects.get(hromada=hromada)
    assert statute.petition_threshold == 500
    hromada.refresh_from_db()
    assert hromada.population == 20_000
    entry = LedgerEntry.objects.get(hromada=hromada, kind="hromada.statute_changed")
    assert entry.payload["changed"] == {"petition_threshold": 500, "population": 20_000}


@pytest.mark.parametrize("role", ["moderator", "officer", None, "other_admin"])
def test_only_this_hromadas_admin_may_change_it(hromada, other_hromada, role):
    if role is None:
        actor = verified_user()
    elif role == "other_admin":
        actor = staff_user(other_hromada, "admin")
    else:
        actor = staff_user(hromada, role)
    with pytest.raises(DomainError) as err:
        services.statute_update(actor=actor, hromada=hromada, petition_threshold=1)
    assert err.value.code == "forbidden"
    assert Statute.objects.get(hromada=hromada).petition_threshold == 3
    assert not LedgerEntry.objects.filter(kind="hromada.statute_changed").exists()


def test_invalid_values_are_refused_with_field(hromada, hromada_admin):
    with pytest.raises(DomainError) as err:
        services.statute_update(actor=hromada_admin, hromada=hromada, petition_collection_days=0)
    assert err.value.field == "petition_collection_days"
    assert Statute.objects.get(hromada=hromada).petition_collection_days == 30


def test_statute_page(client, hromada, hromada_admin, moderator):
    client.force_login(moderator)
    assert client.get("/staff/settings/").status_code == 403
    client.force_login(hromada_admin)
    assert client.get("/staff/settings/").status_code == 200
    data = {
        "population": "15000",
        "petition_threshold": "100",
        "petition_collection_days": "60",
        "petition_moderation_days": "2",
        "petition_consideration_days": "10",
        "petition_min_age": "14",
        "petition_sign_level": "verified",
        "petition_submit_level": "verified",
        "petition_signer_names": "initials",
    }
    assert client.post("/staff/settings/", data).status_code == 302
    assert Statute.objects.get(hromada=hromada).petition_signer_names == "initials"
    bad = client.post("/staff/settings/", data | {"petition_threshold": "-5"})
    assert bad.status_code == 400
    assert Statute.objects.get(hromada=hromada).petition_threshold == 100
