"""The resident's pages: catalogue search and filters without JS, a service's page,
offices and an office's week with holidays marked; bad input; the module switched off."""

import datetime as dt

import pytest
from django.urls import reverse

from hromada.cnap.models import ScheduleException
from hromada.core.calendar import martial_law_period_set

from .factories import make_category, make_office, make_service, make_situation

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(hromada):
    docs = make_category(hromada, code="dokumenty", name="Паспорти")
    social = make_category(hromada, code="sotsialni", name="Соціальний захист")
    birth = make_situation(hromada, code="narodzhennia", name="Народження дитини")
    passport = make_service(
        hromada,
        code="02-01",
        title="Оформлення ID-картки",
        category=docs,
        fee_kind="fixed",
        fee_amount="279.00",
        diia_url="https://diia.gov.ua/services",
    )
    aid = make_service(
        hromada, code="03-02", title="Допомога при народженні дитини", category=social, situations=[birth]
    )
    draft = make_service(hromada, code="09-09", title="Чернетка субсидії", published=False)
    office = make_office(hromada, code="tsentr", name="Центр", services=[passport, aid])
    return {"passport": passport, "aid": aid, "draft": draft, "office": office}


def test_catalogue_search_and_filters(client, catalogue):
    url = reverse("cnap:catalogue")
    page = client.get(url).content.decode()
    assert "Оформлення ID-картки" in page and "Допомога при народженні" in page and "Чернетка" not in page
    page = client.get(url, {"q": "id-картки"}).content.decode()
    assert "Оформлення ID-картки" in page and "Допомога при народженні" not in page
    assert "Допомога" in client.get(url, {"q": "03-02"}).content.decode()  # by code
    page = client.get(url, {"category": "sotsialni"}).content.decode()
    assert "Допомога при народженні" in page and "Оформлення ID-картки" not in page
    page = client.get(url, {"situation": "narodzhennia"}).content.decode()
    assert "Допомога при народженні" in page and "Оформлення ID-картки" not in page
    assert "Чернетка" not in client.get(url, {"q": "субсидії"}).content.decode()


def test_catalogue_bad_input_is_a_message_not_an_error(client, catalogue):
    url = reverse("cnap:catalogue")
    response = client.get(url, {"category": "nema", "situation": "<script>", "q": "x" * 500, "page": "abc"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Такої категорії немає" in page and "<script>" not in page


def test_a_service_page_says_what_a_resident_needs(client, catalogue, hromada_admin):
    from hromada.cnap.services.catalogue import document_save

    document_save(catalogue["passport"], hromada_admin, title="Свідоцтво про народження")
    page = client.get(reverse("cnap:service", args=[catalogue["passport"].public_id])).content.decode()
    for text in (
        "Оформлення ID-картки",
        "279",
        "Свідоцтво про народження",
        "Громадяни України",
        "https://diia.gov.ua/services",
        "Центр",
    ):
        assert text in page
    assert client.get(reverse("cnap:service", args=[catalogue["draft"].public_id])).status_code == 404


def test_other_hromadas_services_are_not_found(client, hromada, other_hromada):
    foreign = make_service(other_hromada)
    assert client.get(reverse("cnap:service", args=[foreign.public_id])).status_code == 404


def test_an_office_week_marks_holidays_and_changes(client, catalogue, hromada):
    martial_law_period_set(starts_on=dt.date(2022, 2, 24), ends_on=dt.date(2026, 6, 30))
    office = catalogue["office"]
    ScheduleException.objects.create(
        hromada=hromada,
        office=office,
        starts_on=dt.date(2026, 8, 26),
        ends_on=dt.date(2026, 8, 26),
        reason="Санітарний день",
    )
    page = client.get(reverse("cnap:office", args=["tsentr"]), {"week": "2026-08-26"}).content.decode()
    assert "святковий день" in page and "День Незалежності України" in page
    assert "Санітарний день" in page and "08:00" in page
    assert client.get(reverse("cnap:office", args=["tsentr"]), {"week": "вчора"}).status_code == 400
    assert client.get(reverse("cnap:office", args=["nema"])).status_code == 404
    assert "Центр" in client.get(reverse("cnap:offices")).content.decode()


def test_the_module_switched_off_answers_404(client, catalogue, hromada, hromada_admin):
    from hromada.tenancy.services import module_switch_set

    module_switch_set(actor=hromada_admin, hromada=hromada, module="cnap", enabled=False)
    assert client.get(reverse("cnap:catalogue")).status_code == 404
    client.force_login(hromada_admin)
    assert client.get(reverse("staff_cnap:index")).status_code == 404


def test_the_registry_dataset_has_public_fields_only(catalogue, hromada):
    from hromada.cnap.selectors import service_rows
    from hromada.core.modules import registry

    dataset = next(d for d in registry.get("cnap").datasets if d.slug == "services")
    rows = list(service_rows(hromada=hromada))
    assert {r["code"] for r in rows} == {"02-01", "03-02"}  # no drafts
    assert all(list(r) == dataset.field_names for r in rows)
    assert next(r for r in rows if r["code"] == "02-01")["offices"] == "Центр"
