"""The demo hromada's geography: the real Кам’янська громада's settlements from the
codifier, okrugs and districts, streets renamed with their decisions and findable by
their former names, buildings in bulk with one ledger entry; and the bench's bulk path."""

import pytest
from django.core.management import call_command

from hromada.ledger.models import LedgerEntry
from hromada.ledger.verify import verify_database
from hromada.places import demo, geometry, search, synthetic
from hromada.places.models import AddressKey, Area, Building, Settlement, Street, StreetName
from hromada.tenancy.models import Hromada
from hromada.tenancy.tests.factories import HromadaFactory

pytestmark = pytest.mark.django_db

KAMIANKA = "UA71080130000078619"


def test_the_demo_hromada_is_kamianka_with_its_geography():
    call_command("demo_seed", verbosity=0)
    hromada = Hromada.objects.get(slug="demo")
    assert (hromada.name, hromada.name_en, hromada.katottg) == (
        "Кам’янська міська громада",
        "Kamianka city hromada",
        KAMIANKA,
    )
    settlements = Settlement.objects.filter(hromada=hromada)
    assert settlements.count() == 17 and not settlements.filter(lat__isnull=True).exists()
    centre = settlements.get(is_centre=True)
    assert centre.name == "Кам’янка" and centre.okrug is None
    assert not settlements.exclude(pk=centre.pk).filter(okrug__isnull=True).exists()  # every village
    areas = Area.objects.filter(hromada=hromada)
    assert areas.filter(kind="boundary").count() == 1
    okrugs = list(areas.filter(kind="okrug"))
    assert 5 <= len(okrugs) <= 6 and all(o.geometry and o.head_name and o.phone for o in okrugs)
    assert areas.filter(kind="district", geometry__isnull=False).count() == 3
    shapes = [geometry.polygon_from_geojson(o.geometry) for o in okrugs]
    assert all(geometry.overlap_share(a, b) < 1e-6 for i, a in enumerate(shapes) for b in shapes[i + 1 :])

    assert Street.objects.filter(hromada=hromada).count() == demo.DEMO_STREETS
    assert Building.objects.filter(hromada=hromada).count() == demo.DEMO_BUILDINGS
    assert not Building.objects.filter(hromada=hromada, lat__isnull=True).exists()

    # A renamed street is found by its former name, with the decision that renamed it.
    key = AddressKey.objects.select_related("street", "former").get(
        hromada=hromada, key="леніна", building=None, street__settlement=centre
    )
    assert key.street.name == "Соборна" and key.former.name == "Леніна"
    assert key.former.decision.startswith("рішення Кам’янської міської ради № ")
    house = AddressKey.objects.select_related("building").get(
        hromada=hromada, key="леніна 1", street=key.street
    )
    assert house.building.number == "1" and house.building.street_id == key.street.pk
    assert AddressKey.objects.filter(hromada=hromada, key="lenina 1", street=key.street).exists()
    assert AddressKey.objects.filter(hromada=hromada, key="пушкіна", street__name="Ліни Костенко").exists()
    assert StreetName.objects.filter(hromada=hromada).exclude(decision="").count() >= 20

    # The ledger tells it: areas and streets one entry each, the buildings one entry.
    kinds = list(
        LedgerEntry.objects.filter(hromada=hromada, kind__startswith="places.").values_list("kind", flat=True)
    )
    assert kinds.count("places.settlements_loaded") == 1
    assert kinds.count("places.street_saved") == demo.DEMO_STREETS
    assert kinds.count("places.building_saved") == 0
    bulk = LedgerEntry.objects.get(hromada=hromada, kind="places.import_finished")
    assert bulk.payload["source"] == "demo" and bulk.payload["buildings"] == demo.DEMO_BUILDINGS
    entries = list(LedgerEntry.objects.filter(hromada=hromada).order_by("id"))
    assert [e.created_at for e in entries] == sorted(e.created_at for e in entries)
    verify_database(hromada=hromada)  # raises on any inconsistency


def test_the_bulk_load_indexes_like_the_services():
    """The bench's path: streets, former names and buildings bulk-inserted; the keys are
    the ones the services' own index builds."""
    hromada = HromadaFactory(katottg=KAMIANKA)
    names = demo.settlement_names(hromada)
    geo = synthetic.generate(settlements=names, streets=60, buildings=600, seed=5)
    report = demo.load(hromada=hromada, geography=geo, through_services=False)
    assert (report.streets, report.buildings) == (60, 600)
    assert report.former_names == sum(len(s.formers) for s in geo.streets) > 0
    keys = set(AddressKey.objects.filter(hromada=hromada).values_list("street_id", "building_id", "key"))
    assert len(keys) == report.address_keys
    search.index_streets(Street.objects.filter(hromada=hromada))  # what the services would build
    again = set(AddressKey.objects.filter(hromada=hromada).values_list("street_id", "building_id", "key"))
    assert again == keys
    renamed = Street.objects.filter(hromada=hromada, former_names__isnull=False).first()
    former = renamed.former_names.first()
    assert AddressKey.objects.filter(street=renamed, former=former, building=None).exists()
    entry = LedgerEntry.objects.get(hromada=hromada, kind="places.import_finished")
    assert entry.payload["kind"] == "streets+buildings" and entry.payload["streets"] == 60
