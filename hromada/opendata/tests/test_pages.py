# ruff: noqa: F811  (the shared fixtures are imported by name)
"""The portal's public pages and the publishers' console through HTTP."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hromada.accounts.tests.factories import staff_user
from hromada.opendata import services
from hromada.opendata.models import Dataset, DatasetState, DownloadDay, Resource

from .test_catalogue_fixtures import CSV, csv_file, dataset, editor, pdf_file, publisher  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(hromada, hromada_admin, editor, dataset):
    group = services.group_create(hromada, hromada_admin, name="finance", title="Фінанси")
    services.dataset_update(dataset, editor, groups=[group])
    services.resource_create(dataset, editor, name="Бюджет за програмами", upload=csv_file())
    services.resource_create(dataset, editor, name="Пояснювальна записка", upload=pdf_file())
    return services.dataset_publish(dataset, editor)


def test_the_search_page_lists_published_datasets_with_facets(client, hromada, publisher, editor, published):
    services.dataset_create(hromada, editor, publisher, name="draft-one", title="Таємна чернетка")
    page = client.get("/opendata/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Бюджет громади на 2026 рік" in html and "Таємна чернетка" not in html
    assert "Знайдено 1 набір даних" in html
    assert 'name="organization" value="finance"' in html and 'name="res_format" value="CSV"' in html


def test_search_by_words_and_facets(client, hromada, publisher, editor, published):
    other = services.dataset_create(
        hromada, editor, publisher, name="stops", title="Зупинки громадського транспорту", publish=True
    )
    html = client.get("/opendata/", {"q": "зупинки"}).content.decode()
    assert other.title in html and published.title not in html
    html = client.get("/opendata/", {"res_format": "CSV"}).content.decode()
    assert published.title in html and other.title not in html
    html = client.get("/opendata/", {"groups": "finance", "tags": "бюджет"}).content.decode()
    assert "Знайдено 1 набір даних" in html


def test_garbage_in_the_search_is_not_a_500(client, published):
    for params in ({"q": "tags:(("}, {"page": "x"}, {"sort": "drop table"}, {"organization": '"\\'}):
        page = client.get("/opendata/", params)
        assert page.status_code in (200, 400)


def test_the_dataset_page_shows_metadata_and_resources(client, published):
    page = client.get(reverse("opendata:dataset", args=[published.name]))
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        "Creative Commons Attribution 4.0" in html and "https://creativecommons.org/licenses/by/4.0/" in html
    )
    assert "Щороку" in html and "Фінансове управління" in html and "українська" in html
    assert "Бюджет за програмами" in html and 'class="od-format od-format-csv"' in html


def test_a_draft_is_shown_to_its_editors_only(client, hromada, editor, dataset):
    url = reverse("opendata:dataset", args=[dataset.name])
    assert client.get(url).status_code == 404
    client.force_login(staff_user(hromada, "officer"))
    assert client.get(url).status_code == 404
    client.force_login(editor)
    assert client.get(url).status_code == 200


def test_withdrawn_is_410_with_its_reason_and_unknown_is_404(client, editor, published):
    services.dataset_withdraw(published, editor, "Дані замінено новим набором")
    page = client.get(reverse("opendata:dataset", args=[published.name]))
    assert page.status_code == 410 and "Дані замінено новим набором" in page.content.decode()
    resource = published.resources.first()
    assert (
        client.get(reverse("opendata:download", args=[published.name, resource.public_id])).status_code == 410
    )
    assert client.get("/opendata/dataset/no-such-thing/").status_code == 404


def test_downloads_are_counted_and_versions_served(client, editor, published):
    resource = published.resources.get(format="CSV")
    services.resource_upload_version(resource, editor, csv_file(content=CSV + b"X,1\n"), note="Уточнено")
    url = reverse("opendata:download", args=[published.name, resource.public_id])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == CSV + b"X,1\n"
    assert "attachment" in response["Content-Disposition"]
    old = client.get(reverse("opendata:version_download", args=[published.name, resource.public_id, 1]))
    assert b"".join(old.streaming_content) == CSV
    resource.refresh_from_db()
    assert resource.downloads == 2 and DownloadDay.objects.get(resource=resource).count == 2
    page = client.get(reverse("opendata:resource", args=[published.name, resource.public_id]))
    html = page.content.decode()
    assert "Уточнено" in html and "поточна" in html
    missing = reverse("opendata:version_download", args=[published.name, resource.public_id, 9])
    assert client.get(missing).status_code == 404


def test_publisher_and_group_pages(client, published):
    assert "Фінансове управління" in client.get("/opendata/organization/").content.decode()
    html = client.get("/opendata/organization/finance/").content.decode()
    assert published.title in html
    html = client.get("/opendata/group/finance/").content.decode()
    assert published.title in html
    assert client.get("/opendata/group/nope/").status_code == 404


def test_another_hromadas_datasets_are_not_shown(client, settings, other_hromada, published):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example.test"]
    page = client.get(reverse("opendata:dataset", args=[published.name]), HTTP_HOST="other.example.test")
    assert page.status_code == 404


# --- the console --------------------------------------------------------------------------


def test_the_console_is_for_publishers(client, hromada, resident):
    client.force_login(resident)
    assert client.get("/staff/opendata/").status_code == 403
    client.force_login(staff_user(hromada, "moderator"))
    assert client.get("/staff/opendata/").status_code == 403
    client.force_login(staff_user(hromada, "officer"))
    assert client.get("/staff/opendata/publishers/").status_code == 403


def test_an_editor_creates_uploads_and_publishes(client, hromada, editor, publisher):
    client.force_login(editor)
    form = {
        "publisher": "finance",
        "title": "Заклади освіти",
        "name": "schools",
        "notes": "Школи й садки",
        "tags": "освіта, школи",
        "license_id": "CC-BY-4.0",
        "frequency": "Щороку",
        "language": "uk",
    }
    response = client.post("/staff/opendata/new/", form)
    assert response.status_code == 302
    dataset = Dataset.objects.get(hromada=hromada, name="schools")
    assert sorted(dataset.tags.values_list("name", flat=True)) == ["освіта", "школи"]
    response = client.post(
        "/staff/opendata/d/schools/resources/new/", {"name": "Перелік", "upload": csv_file("schools.csv")}
    )
    assert response.status_code == 302
    resource = Resource.objects.get(dataset=dataset)
    response = client.post(
        f"/staff/opendata/d/schools/r/{resource.public_id}/version/",
        {"upload": csv_file("schools.csv", CSV + b"Y,2\n"), "note": "Додано ліцей"},
    )
    assert response.status_code == 302 and resource.versions.count() == 2
    assert client.post("/staff/opendata/d/schools/publish/").status_code == 302
    dataset.refresh_from_db()
    assert dataset.state == DatasetState.PUBLISHED
    response = client.post("/staff/opendata/d/schools/withdraw/", {"reason": "Помилка в даних"})
    dataset.refresh_from_db()
    assert response.status_code == 302 and dataset.withdrawn_reason == "Помилка в даних"


def test_errors_are_shown_by_the_field_and_nothing_typed_is_lost(client, editor, dataset):
    client.force_login(editor)
    form = {
        "publisher": "finance",
        "title": "Інший бюджет",
        "name": dataset.name,
        "notes": "Мій довгий опис, який не можна загубити",
        "license_id": "CC-BY-4.0",
        "frequency": "Щомісяця",
        "language": "uk",
        "maintainer_email": "ivan@",
    }
    response = client.post("/staff/opendata/new/", form)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Мій довгий опис, який не можна загубити" in html
    assert "неправильна" in html or "уже є" in html
    form["maintainer_email"] = ""
    html = client.post("/staff/opendata/new/", form).content.decode()
    assert "уже є" in html and 'id="id_name_error"' in html
    response = client.post(
        f"/staff/opendata/d/{dataset.name}/resources/new/",
        {"name": "Бита таблиця", "upload": pdf_file("data.csv"), "description": "опис ресурсу"},
    )
    html = response.content.decode()
    assert response.status_code == 400 and "не схожий на CSV" in html and "опис ресурсу" in html
    assert not dataset.resources.exists()


def test_an_editor_cannot_open_another_publishers_dataset(client, hromada, hromada_admin, dataset):
    other = services.publisher_create(hromada, hromada_admin, name="osvita", title="Відділ освіти")
    outsider = staff_user(hromada, "officer")
    services.publisher_member_add(other, hromada_admin, outsider)
    client.force_login(outsider)
    assert client.get(f"/staff/opendata/d/{dataset.name}/").status_code == 404
    assert client.post(f"/staff/opendata/d/{dataset.name}/publish/").status_code == 404
    dataset.refresh_from_db()
    assert dataset.state == DatasetState.DRAFT


def test_the_manager_makes_publishers_and_editors(client, hromada, hromada_admin):
    client.force_login(hromada_admin)
    response = client.post(
        "/staff/opendata/publishers/",
        {"title": "КП «Благоустрій»", "name": "blagoustrii", "kind": "enterprise"},
    )
    assert response.status_code == 302
    officer = staff_user(hromada, "officer")
    response = client.post("/staff/opendata/publishers/blagoustrii/", {"user": officer.pk, "role": "editor"})
    assert response.status_code == 302
    client.force_login(officer)
    assert "КП «Благоустрій»" in client.get("/staff/opendata/new/").content.decode()
    bad = client.post("/staff/opendata/publishers/", {"title": "X", "name": "Погано", "kind": "department"})
    assert bad.status_code == 403


def test_every_console_page_opens(client, hromada, hromada_admin, editor, published):
    resource = published.resources.get(format="CSV")
    client.force_login(hromada_admin)
    for url in (
        "/staff/opendata/",
        "/staff/opendata/?state=draft",
        "/staff/opendata/new/",
        f"/staff/opendata/d/{published.name}/",
        f"/staff/opendata/d/{published.name}/withdraw/",
        f"/staff/opendata/d/{published.name}/resources/new/",
        f"/staff/opendata/d/{published.name}/r/{resource.public_id}/version/",
        "/staff/opendata/publishers/",
        "/staff/opendata/publishers/finance/",
        "/staff/opendata/groups/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/staff/opendata/d/nope/").status_code == 404


def test_an_edit_keeps_the_address_of_a_published_dataset(client, editor, published):
    client.force_login(editor)
    form = {
        "title": "Бюджет-2026 (уточнений)",
        "name": "changed-name",
        "notes": "",
        "tags": "бюджет",
        "groups": ["finance"],
        "license_id": "CC-BY-SA-4.0",
        "frequency": "Щокварталу",
        "language": "uk",
    }
    response = client.post(f"/staff/opendata/d/{published.name}/", form)
    assert response.status_code == 302
    published.refresh_from_db()
    assert (published.name, published.title, published.license_id) == (
        "budget-2026",
        "Бюджет-2026 (уточнений)",
        "CC-BY-SA-4.0",
    )
    assert list(published.tags.values_list("name", flat=True)) == ["бюджет"]


def test_the_home_page_and_the_staff_home_show_the_portal(client, hromada, editor, published):
    html = client.get("/").content.decode()
    assert 'id="home-opendata"' in html and published.title in html
    client.force_login(editor)
    staff = client.get("/staff/")
    assert staff.status_code == 200
    assert "Чернетки наборів даних" in staff.content.decode()
