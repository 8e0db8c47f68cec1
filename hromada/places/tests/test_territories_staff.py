"""Territory services (ledger, permissions, import) and the staff page."""

import pytest

from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry
from hromada.places import services, territories
from hromada.places.models import TerritoryRule
from hromada.places.tests.lookup_town import make_town

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(hromada):
    return make_town(hromada)


@pytest.fixture
def school(town):
    return services.territory_create(actor=None, hromada=town.hromada, name="Ліцей № 2", purpose="education")


def test_a_rule_is_added_and_deleted_with_ledger_entries(town, school, officer):
    rule = services.territory_rule_add(
        actor=officer,
        area=school,
        street=town.streets["shevchenka"],
        parity="odd",
        from_house="1",
        to_house="13",
    )
    entry = LedgerEntry.objects.filter(kind="places.territory_rule_added").get()
    assert (
        entry.payload["rule"] == "непарні 1–13" and entry.payload["street_name"] == "вулиця Тараса Шевченка"
    )
    got = territories.territory_of(
        hromada=town.hromada, building=town.buildings["shev 13"], purpose="education"
    )
    assert got == [school]
    assert (
        territories.territory_of(
            hromada=town.hromada, building=town.buildings["shev 12"], purpose="education"
        )
        == []
    )
    with pytest.raises(DomainError) as caught:
        services.territory_rule_add(
            actor=officer,
            area=school,
            street=town.streets["shevchenka"],
            parity="odd",
            from_house="1",
            to_house="13",
        )
    assert caught.value.code == "rule_exists"
    services.territory_rule_delete(actor=officer, rule=rule)
    assert LedgerEntry.objects.filter(kind="places.territory_rule_deleted").count() == 1
    assert not TerritoryRule.objects.exists()


def test_a_reversed_range_is_refused_by_the_service(town, school):
    with pytest.raises(DomainError) as caught:
        services.territory_rule_add(
            actor=None, area=school, street=town.streets["shevchenka"], from_house="15", to_house="9"
        )
    assert caught.value.code == "range_reversed"
    assert not TerritoryRule.objects.exists()


def test_only_those_who_manage_territories_may(town, school, resident, moderator):
    for actor in (resident, moderator):
        with pytest.raises(PermissionDenied):
            services.territory_rule_add(actor=actor, area=school, street=town.streets["shevchenka"])


def test_another_hromadas_street_is_refused(town, school, other_hromada):
    other = make_town(other_hromada, buildings=False)
    with pytest.raises(PermissionDenied):
        services.territory_rule_add(actor=None, area=school, street=other.streets["shevchenka"])


def test_a_purpose_is_a_short_latin_name(town):
    for purpose, code in (
        ("", "purpose_required"),
        ("освіта", "purpose_invalid"),
        ("a b", "purpose_invalid"),
    ):
        with pytest.raises(DomainError) as caught:
            services.territory_create(actor=None, hromada=town.hromada, name="X", purpose=purpose)
        assert caught.value.code == code


def test_rules_import_keeps_the_good_lines(town, school):
    text = "вулиця;правило\nШевченка; непарні 1–15\nЛеніна; усі\nВербівка, Шкільна; з 3\nНеіснуюча; усі\nСадовий; 15–9\n"
    report = services.territory_rules_import(actor=None, area=school, text=text)
    assert report.added == 3
    assert [f["row"] for f in report.failed] == [5, 6]
    assert "Неіснуюча" in report.failed[0]["errors"][0]
    assert "перевернуто" in report.failed[1]["errors"][0]
    rule = TerritoryRule.objects.get(street=town.streets["shkilna_village"])
    assert (rule.from_house, rule.to_house) == ("3", "")


def test_the_staff_page(client, town, officer):
    client.force_login(officer)
    response = client.post("/staff/places/territories/", {"name": "Амбулаторія № 1", "purpose": "health"})
    assert response.status_code == 302
    page = response["Location"]
    assert "Амбулаторія № 1" in client.get("/staff/places/territories/?purpose=health").content.decode()
    response = client.post(
        page,
        {
            "action": "add",
            "rule-street": "вул. Шевченка",
            "rule-parity": "all",
            "rule-from_house": "15",
            "rule-to_house": "9",
        },
    )
    assert response.status_code == 200
    assert "Діапазон «15–9» перевернуто" in response.content.decode()
    response = client.post(page, {"action": "add", "rule-street": "Шевенка", "rule-parity": "all"})
    body = response.content.decode()
    assert "Вулиці «Шевенка» немає в реєстрі громади." in body and "вулиця Тараса Шевченка, Кам’янка" in body
    response = client.post(
        page, {"action": "add", "rule-street": "Леніна", "rule-parity": "even", "rule-from_house": "2"}
    )
    assert response.status_code == 302
    body = client.get(page).content.decode()
    assert "вулиця Героїв Майдану" in body and "парні від 2 до кінця" in body
    rule = TerritoryRule.objects.get()
    delete = f"{page}rules/{rule.pk}/delete/"
    assert "Вилучити правило?" in client.post(delete).content.decode()
    assert TerritoryRule.objects.exists()
    assert client.post(delete, {"confirm": "1"}).status_code == 302
    assert not TerritoryRule.objects.exists()
    response = client.post(page, {"action": "import", "import-text": "Шевченка; непарні\nНема; усі"})
    body = response.content.decode()
    assert "Рядок 2" in body and TerritoryRule.objects.count() == 1


def test_the_staff_page_is_for_those_who_manage_territories(client, town, moderator):
    assert client.get("/staff/places/territories/").status_code == 302  # log in first
    client.force_login(moderator)
    assert client.get("/staff/places/territories/").status_code == 403


def test_a_territory_drawn_as_geojson(client, town, officer):
    client.force_login(officer)
    response = client.post(
        "/staff/places/territories/", {"name": "Зона", "purpose": "health", "geometry": "{not json"}
    )
    assert "Це не GeoJSON" in response.content.decode()
    bowtie = '{"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}'
    response = client.post(
        "/staff/places/territories/", {"name": "Зона", "purpose": "health", "geometry": bowtie}
    )
    assert "межа перетинає сама себе" in response.content.decode()
    square = '{"type": "Polygon", "coordinates": [[[32.09, 48.96], [32.11, 48.96], [32.11, 48.98], [32.09, 48.98], [32.09, 48.96]]]}'
    response = client.post(
        "/staff/places/territories/", {"name": "Зона", "purpose": "health", "geometry": square}
    )
    assert response.status_code == 302
    b = town.buildings["shev 1"]
    assert [a.name for a in territories.territory_of(hromada=town.hromada, building=b, purpose="health")] == [
        "Зона"
    ]
