# ruff: noqa: F811  (the shared fixtures are imported by name)
"""The console's edit pages through HTTP: a publisher, a theme, a resource's metadata, a
link resource, and a resource's withdrawal with its versions kept; for each the role
matrix (anonymous, resident, an officer of another publisher, the administrator) and
bad input refused in Ukrainian with nothing already saved lost."""

from __future__ import annotations

import json

import pytest

from hromada.accounts.tests.factories import staff_user
from hromada.core.errors import DomainError
from hromada.ledger.models import LedgerEntry
from hromada.opendata import services
from hromada.opendata.models import Group, Publisher, PublisherKind, Resource, ResourceVersion

from .test_catalogue_fixtures import csv_file, dataset, editor, publisher  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(hromada, hromada_admin):
    """An officer who edits for another publisher."""
    other = services.publisher_create(hromada, hromada_admin, name="osvita", title="Відділ освіти")
    user = staff_user(hromada, "officer")
    services.publisher_member_add(other, hromada_admin, user)
    return user


@pytest.fixture
def published(dataset, editor):
    services.resource_create(dataset, editor, name="Бюджет за програмами", upload=csv_file())
    services.resource_create(
        dataset, editor, name="На сайті ради", url="https://rada.example.org/budget.json", format="JSON"
    )
    return services.dataset_publish(dataset, editor)


def _file(dataset):
    return dataset.resources.get(url="")


def _link(dataset):
    return dataset.resources.exclude(url="").get()


# --- publishers ----------------------------------------------------------------------------


def test_the_administrator_edits_a_publisher(client, hromada, hromada_admin, publisher):
    url = f"/staff/opendata/publishers/{publisher.name}/edit/"
    client.force_login(hromada_admin)
    page = client.get(url)
    assert page.status_code == 200 and 'value="Фінансове управління"' in page.content.decode()
    assert f'href="{url}"' in client.get(f"/staff/opendata/publishers/{publisher.name}/").content.decode()
    response = client.post(
        url,
        {
            "title": "Фінансове управління ради",
            "kind": "enterprise",
            "identifier": "87654321",
            "email": "fin@rada.example.org",
            "url": "https://rada.example.org/fin",
            "description": "Бюджет і фінанси",
            "active": "on",
        },
    )
    assert response.status_code == 302
    publisher.refresh_from_db()
    assert (publisher.title, publisher.kind, publisher.identifier, publisher.email) == (
        "Фінансове управління ради",
        "enterprise",
        "87654321",
        "fin@rada.example.org",
    )
    assert publisher.name == "finance" and publisher.active
    assert "Фінансове управління ради" in client.get("/opendata/organization/finance/").content.decode()


def test_bad_publisher_details_are_refused_and_nothing_is_lost(client, hromada_admin, publisher):
    url = f"/staff/opendata/publishers/{publisher.name}/edit/"
    client.force_login(hromada_admin)
    form = {"title": "Нова назва", "kind": "department", "identifier": "123", "email": "", "active": "on"}
    response = client.post(url, form)
    html = response.content.decode()
    assert response.status_code == 400 and "Код ЄДРПОУ складається з 8 цифр." in html
    assert 'value="Нова назва"' in html  # what was typed stays in the form
    response = client.post(url, {**form, "identifier": "", "email": "not-an-email"})
    assert (
        response.status_code == 400
        and "Адреса e-mail «not-an-email» неправильна." in response.content.decode()
    )
    response = client.post(url, {**form, "identifier": "", "kind": "platform"})
    assert response.status_code == 400
    publisher.refresh_from_db()
    assert publisher.title == "Фінансове управління" and publisher.identifier == "12345678"


def test_the_platform_publisher_keeps_its_kind(hromada, hromada_admin, publisher):
    platform = Publisher.objects.create(hromada=hromada, name="platform", title="Платформа", kind="platform")
    with pytest.raises(DomainError) as e:
        services.publisher_update(platform, hromada_admin, kind=PublisherKind.DEPARTMENT)
    assert e.value.code == "publisher_kind_fixed"
    with pytest.raises(DomainError) as e:
        services.publisher_update(publisher, hromada_admin, kind=PublisherKind.PLATFORM)
    assert e.value.code == "publisher_kind_fixed"
    services.publisher_update(platform, hromada_admin, title="Дані платформи")
    platform.refresh_from_db()
    assert platform.kind == "platform" and platform.title == "Дані платформи"


def test_only_the_administrator_edits_publishers_and_themes(
    client, hromada, resident, editor, outsider, publisher, hromada_admin
):
    group = services.group_create(hromada, hromada_admin, name="finance", title="Фінанси")
    urls = [f"/staff/opendata/publishers/{publisher.name}/edit/", f"/staff/opendata/groups/{group.name}/"]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: to the sign-in
    for user in (resident, editor, outsider):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403
            assert client.post(url, {"title": "Захоплено", "kind": "department"}).status_code == 403
    publisher.refresh_from_db()
    group.refresh_from_db()
    assert publisher.title == "Фінансове управління" and group.title == "Фінанси"
    client.force_login(hromada_admin)
    assert client.get("/staff/opendata/publishers/nope/edit/").status_code == 404
    assert client.get("/staff/opendata/groups/nope/").status_code == 404


# --- themes --------------------------------------------------------------------------------


def test_the_administrator_edits_a_theme(client, hromada, hromada_admin):
    group = services.group_create(hromada, hromada_admin, name="finance", title="Фінанси")
    client.force_login(hromada_admin)
    assert 'href="/staff/opendata/groups/finance/"' in client.get("/staff/opendata/groups/").content.decode()
    response = client.post(
        "/staff/opendata/groups/finance/", {"title": "Фінанси громади", "description": "Гроші"}
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.title, group.description) == ("Фінанси громади", "Гроші")
    response = client.post("/staff/opendata/groups/finance/", {"title": "  ", "description": "Новий опис"})
    html = response.content.decode()
    assert response.status_code == 400 and "Це поле обов" in html and "Новий опис" in html
    group.refresh_from_db()
    assert group.title == "Фінанси громади" and Group.objects.count() == 1


# --- resources -----------------------------------------------------------------------------


def test_an_editor_edits_a_files_metadata(client, editor, published):
    resource = _file(published)
    url = f"/staff/opendata/d/{published.name}/r/{resource.public_id}/edit/"
    client.force_login(editor)
    assert f'href="{url}"' in client.get(f"/staff/opendata/d/{published.name}/").content.decode()
    page = client.get(url).content.decode()
    assert 'name="format"' not in page and 'name="url"' not in page  # a file's format is its content's
    before = LedgerEntry.objects.filter(kind="opendata.dataset_updated").count()
    response = client.post(url, {"name": "Видатки за програмами", "description": "КПКВК", "format": "PDF"})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.name, resource.description, resource.format) == ("Видатки за програмами", "КПКВК", "CSV")
    assert LedgerEntry.objects.filter(kind="opendata.dataset_updated").count() == before + 1
    assert "Видатки за програмами" in client.get(f"/opendata/dataset/{published.name}/").content.decode()
    with pytest.raises(DomainError) as e:
        services.resource_update(resource, editor, format="PDF")
    assert e.value.code == "resource_is_file"


def test_a_link_resource_is_added_and_edited(client, editor, dataset):
    client.force_login(editor)
    response = client.post(
        f"/staff/opendata/d/{dataset.name}/resources/new/",
        {"name": "Реєстр", "url": "https://rada.example.org/r.csv", "format": "csv"},
    )
    assert response.status_code == 302
    link = _link(dataset)
    assert link.url == "https://rada.example.org/r.csv" and link.format == "CSV" and link.current is None
    url = f"/staff/opendata/d/{dataset.name}/r/{link.public_id}/edit/"
    response = client.post(url, {"name": "Реєстр", "url": "ftp://x", "format": "CSV"})
    html = response.content.decode()
    assert response.status_code == 400 and "Посилання має бути повною адресою http:// чи https://" in html
    assert 'value="ftp://x"' in html
    response = client.post(url, {"name": "Реєстр", "url": "https://rada.example.org/r.json", "format": "БЛА"})
    assert response.status_code == 400 and "Невідомий формат «БЛА»." in response.content.decode()
    link.refresh_from_db()
    assert link.url == "https://rada.example.org/r.csv" and link.format == "CSV"
    response = client.post(
        url, {"name": "Реєстр (JSON)", "url": "https://rada.example.org/r.json", "format": "json"}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.name, link.url, link.format) == ("Реєстр (JSON)", "https://rada.example.org/r.json", "JSON")


def test_resources_are_edited_only_by_their_publishers_editors(
    client, hromada_admin, resident, outsider, published
):
    resource = _file(published)
    urls = [
        f"/staff/opendata/d/{published.name}/r/{resource.public_id}/edit/",
        f"/staff/opendata/d/{published.name}/r/{resource.public_id}/withdraw/",
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(resident)
    for url in urls:
        assert client.post(url, {"name": "x", "reason": "x"}).status_code == 403
    client.force_login(outsider)
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "x", "reason": "x"}).status_code == 404
    resource.refresh_from_db()
    assert resource.name == "Бюджет за програмами" and resource.withdrawn_at is None
    client.force_login(hromada_admin)  # opendata.manage may act for every publisher
    assert client.post(urls[0], {"name": "Бюджет (уточнений)"}).status_code == 302
    resource.refresh_from_db()
    assert resource.name == "Бюджет (уточнений)"
    assert (
        client.get(
            f"/staff/opendata/d/{published.name}/r/00000000-0000-0000-0000-000000000000/edit/"
        ).status_code
        == 404
    )


def test_a_withdrawn_resource_is_no_longer_served_and_keeps_its_versions(client, editor, published):
    resource = _file(published)
    services.resource_upload_version(resource, editor, csv_file(content="назва,сума\nСпорт,5\n".encode()))
    versions = ResourceVersion.objects.filter(resource=resource).count()
    assert versions == 2
    url = f"/staff/opendata/d/{published.name}/r/{resource.public_id}/withdraw/"
    client.force_login(editor)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "Це поле обов" in response.content.decode()
    response = client.post(url, {"reason": "Помилка в сумах: буде виправлена версія"})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.withdrawn_at is not None and resource.withdrawn_reason.startswith("Помилка в сумах")
    assert ResourceVersion.objects.filter(resource=resource).count() == versions  # every version kept
    entry = LedgerEntry.objects.filter(kind="opendata.dataset_updated").order_by("-pk").first()
    assert entry.payload["resource_withdrawn"].startswith("Помилка в сумах")

    # the console still shows it, as withdrawn, without actions
    staff = client.get(f"/staff/opendata/d/{published.name}/").content.decode()
    assert "Знято" in staff and "Помилка в сумах" in staff
    assert f"/r/{resource.public_id}/edit/" not in staff
    # a second withdrawal and an edit are refused, nothing changes
    assert client.post(url, {"reason": "ще раз"}).status_code == 400
    assert client.post(url.replace("withdraw", "edit"), {"name": "Нове"}).status_code == 302
    with pytest.raises(DomainError):
        services.resource_upload_version(resource, editor, csv_file())
    resource.refresh_from_db()
    assert resource.name == "Бюджет за програмами" and resource.withdrawn_reason.startswith("Помилка в сумах")

    client.logout()
    page = client.get(f"/opendata/dataset/{published.name}/").content.decode()
    assert "Бюджет за програмами" not in page and "На сайті ради" in page
    gone = client.get(f"/opendata/dataset/{published.name}/resource/{resource.public_id}/")
    assert gone.status_code == 410 and "Помилка в сумах" in gone.content.decode()
    assert (
        client.get(f"/opendata/dataset/{published.name}/resource/{resource.public_id}/download").status_code
        == 410
    )
    assert (
        client.get(
            f"/opendata/dataset/{published.name}/resource/{resource.public_id}/version/1/download"
        ).status_code
        == 410
    )
    # nor through the CKAN API, nor by its format in the search
    body = json.loads(client.get("/api/3/action/package_show", {"id": published.name}).content)
    assert [r["name"] for r in body["result"]["resources"]] == ["На сайті ради"]
    assert body["result"]["num_resources"] == 1
    shown = client.get("/api/3/action/resource_show", {"id": str(resource.public_id)})
    assert shown.status_code == 404
    found = json.loads(
        client.get(
            "/api/3/action/package_search", {"facet.field": '["res_format"]', "fq": "res_format:CSV"}
        ).content
    )
    assert found["result"]["count"] == 0
    assert Resource.objects.filter(pk=resource.pk).exists()
