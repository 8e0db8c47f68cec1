"""The Django admin writes through the services: a hromada gets its settings rows and a
ledger entry, a role granted or revoked there is ledgered like one in the staff console."""

import pytest

from hromada.accounts.models import StaffRole
from hromada.accounts.tests.factories import UserFactory
from hromada.core.tests.sample.models import SampleSettings
from hromada.ledger.models import LedgerEntry
from hromada.tenancy.models import Hromada

pytestmark = pytest.mark.django_db


@pytest.fixture
def it_admin(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_a_hromada_added_in_the_admin_is_complete(client, it_admin, hromada):
    response = client.post(
        "/admin/tenancy/hromada/add/",
        {
            "name": "Нова громада",
            "name_en": "",
            "slug": "nova",
            "katottg": "UA00000000000000777",
            "population": "5000",
            "hosts": '["nova.example.test"]',
            "languages": '["uk"]',
            "time_zone": "Europe/Kyiv",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Hromada.objects.get(slug="nova")
    assert SampleSettings.objects.filter(hromada=created).exists()
    assert LedgerEntry.objects.filter(hromada=created, kind="hromada.created").count() == 1


def test_a_role_granted_and_revoked_in_the_admin_is_ledgered(client, it_admin, hromada):
    member = UserFactory()
    response = client.post(
        "/admin/accounts/staffrole/add/",
        {"hromada": hromada.pk, "user": member.pk, "role": "moderator", "department": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    role = StaffRole.objects.get(user=member, hromada=hromada)
    assert LedgerEntry.objects.filter(hromada=hromada, kind="staff.role_granted").count() == 1
    # The service's refusal shows on the form and changes nothing.
    again = client.post(
        "/admin/accounts/staffrole/add/",
        {"hromada": hromada.pk, "user": member.pk, "role": "moderator", "department": ""},
    )
    assert again.status_code == 200 and "вже має таку роль" in again.content.decode()
    assert LedgerEntry.objects.filter(kind="staff.role_granted").count() == 1
    client.post(f"/admin/accounts/staffrole/{role.pk}/delete/", {"post": "yes"})
    assert not StaffRole.objects.filter(pk=role.pk).exists()
    assert LedgerEntry.objects.filter(hromada=hromada, kind="staff.role_revoked").count() == 1
