"""The registers' staff pages: who may open and use each, the forms' errors (precise,
in Ukrainian, nothing typed lost), and one hromada's staff never reaching another's."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hromada.accounts.tests.factories import ACTORS, role_actor, staff_user
from hromada.ledger.models import LedgerEntry
from hromada.places import services
from hromada.places.models import Area, AreaKind, Building, ImportRun, Settlement, Street, StreetName
from hromada.places.tests.imports_helpers import DATA, with_settlements

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[32.0, 49.0], [32.1, 49.0], [32.1, 49.1], [32.0, 49.1], [32.0, 49.0]]]}


@pytest.fixture
def kamianka(hromada):
    return with_settlements(hromada)


def _street(hromada, name="Тараса Шевченка"):
    centre = Settlement.objects.get(hromada=hromada, is_centre=True)
    return services.street_save(actor=None, hromada=hromada, settlement=centre, name=name)


# --- who may open what ------------------------------------------------------------------

AREAS_PAGES = ("/staff/places/okrugs/", "/staff/places/okrugs/new/", "/staff/places/districts/", "/staff/places/boundary/")
ADDRESS_PAGES = ("/staff/places/streets/", "/staff/places/streets/new/")
ANY_PAGES = ("/staff/places/", "/staff/places/settlements/", "/staff/places/imports/")
MAY_AREAS = {"admin"}
MAY_ADDRESSES = {"admin", "officer"}


@pytest.mark.parametrize("role", ACTORS)
def test_every_page_for_every_role(role, client, kamianka, other_hromada):
    user = role_actor(role, kamianka, other_hromada)
    if role != "anonymous":
        client.force_login(user)
    for url, allowed in (
        *((u, MAY_AREAS) for u in AREAS_PAGES),
        *((u, MAY_ADDRESSES) for u in ADDRESS_PAGES),
        *((u, MAY_ADDRESSES | MAY_AREAS) for u in ANY_PAGES),
    ):
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "login" in response["Location"], url
        elif role in allowed:
            assert response.status_code == 200, (role, url)
        else:
            assert response.status_code == 403, (role, url)
            assert "Доступ заборонено" in response.content.decode()


@pytest.mark.parametrize("role", ACTORS)
def test_a_refused_write_changes_nothing(role, client, kamianka, other_hromada):
    user = role_actor(role, kamianka, other_hromada)
    if role != "anonymous":
        client.force_login(user)
    centre = Settlement.objects.get(hromada=kamianka, is_centre=True)
    before = (Street.objects.count(), Area.objects.count(), LedgerEntry.objects.count(), ImportRun.objects.count())
    client.post("/staff/places/streets/new/", {"settlement": centre.katottg, "street_type": "вулиця", "name": "Нова"})
    client.post("/staff/places/okrugs/new/", {"name": "Округ"})
    upload = SimpleUploadedFile("s.csv", "вулиця\nНова\n".encode())
    client.post("/staff/places/imports/", {"kind": "streets", "file": upload})
    after = (Street.objects.count(), Area.objects.count(), LedgerEntry.objects.count(), ImportRun.objects.count())
    if role in MAY_AREAS:
        assert after[:2] == (before[0] + 1, before[1] + 1)
        assert after[3] == before[3] + 1
    elif role in MAY_ADDRESSES:
        assert after[0] == before[0] + 1 and after[1] == before[1] and after[3] == before[3] + 1
    else:
        assert after == before


def test_staff_of_another_hromada_cannot_see_or_edit(client, kamianka, other_hromada, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example.test"]
    street = _street(kamianka)
    building, _ = services.building_save(actor=None, street=street, data=services.BuildingData(number="1"))
    okrug = services.area_save(actor=None, hromada=kamianka, kind="okrug", name="Лебедівський", geometry_value=SQUARE)
    run = ImportRun.objects.create(hromada=kamianka, kind="streets", file_name="a.csv", content=b"x", created_by=staff_user(kamianka, "admin"))
    # An administrator of the other hromada, on the other hromada's site, asking for ours.
    other_admin = staff_user(other_hromada, "admin")
    client.force_login(other_admin)
    host = {"HTTP_HOST": "other.example.test"}
    for url in (
        f"/staff/places/streets/{street.public_id}/",
        f"/staff/places/buildings/{building.public_id}/",
        f"/staff/places/okrugs/{okrug.public_id}/",
        f"/staff/places/imports/{run.public_id}/",
    ):
        assert client.get(url, **host).status_code == 404, url
    assert client.post(f"/staff/places/streets/{street.public_id}/rename/", {"rename-name": "Інша", "rename-street_type": "вулиця"}, **host).status_code == 404
    assert client.post(f"/staff/places/buildings/{building.public_id}/delete/", {"confirm": "1"}, **host).status_code == 404
    assert client.post(f"/staff/places/areas/{okrug.public_id}/delete/", {"confirm": "1"}, **host).status_code == 404
    # And on our site they hold no role at all.
    assert client.get(f"/staff/places/streets/{street.public_id}/").status_code == 403
    street.refresh_from_db()
    assert street.name == "Тараса Шевченка"
    assert Building.objects.filter(pk=building.pk).exists() and Area.objects.filter(pk=okrug.pk).exists()
