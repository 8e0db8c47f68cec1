# ruff: noqa: F811  (the shared fixtures are imported by name)
"""The catalogue's services: validation with stable codes, permissions (every role),
the ledger, metadata_modified and search words, versions and download counts."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hromada.accounts.tests.factories import role_matrix, staff_user
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry
from hromada.opendata import services
from hromada.opendata.models import (
    Dataset,
    DatasetState,
    DownloadDay,
    Publisher,
    PublisherMember,
    Resource,
    ResourceVersion,
    Tag,
)
from hromada.opendata.search import dataset_search
from hromada.opendata.services import catalogue

from .test_catalogue_fixtures import CSV, csv_file, dataset, editor, pdf_file, publisher, xlsx_file  # noqa: F401

pytestmark = pytest.mark.django_db


def kinds(hromada) -> list[str]:
    return list(LedgerEntry.objects.filter(hromada=hromada).order_by("id").values_list("kind", flat=True))


def code_of(excinfo) -> str:
    return excinfo.value.code


# --- publishers ---------------------------------------------------------------------------


def test_a_publisher_is_created_by_the_manager_only(hromada, other_hromada):
    actors = role_matrix(hromada, other_hromada)
    for name, user in actors.items():
        if name == "admin":
            continue
        with pytest.raises(PermissionDenied):
            services.publisher_create(hromada, user, name=f"p-{name}".replace("_", "-"), title="Відділ")
    assert not Publisher.objects.for_hromada(hromada).exists()
    made = services.publisher_create(hromada, actors["admin"], name="osvita", title="Відділ освіти")
    assert made.hromada == hromada and made.title == "Відділ освіти"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"name": "Фінанси"}, "publisher_name_invalid"),
        ({"name": "a"}, "publisher_name_invalid"),
        ({"title": "  "}, "title_required"),
        ({"identifier": "12ab"}, "publisher_identifier_invalid"),
        ({"email": "not-an-email"}, "email_invalid"),
        ({"url": "javascript:alert(1)"}, "url_invalid"),
        ({"kind": "ministry"}, "publisher_kind_unknown"),
    ],
)
def test_a_bad_publisher_is_refused_with_its_code(hromada, hromada_admin, fields, code):
    values = {"name": "finance", "title": "Фінансове управління", **fields}
    with pytest.raises(DomainError) as exc:
        services.publisher_create(hromada, hromada_admin, **values)
    assert code_of(exc) == code
    assert not Publisher.objects.for_hromada(hromada).exists()


def test_a_publisher_name_is_unique_in_its_hromada_only(hromada, other_hromada, hromada_admin, publisher):
    with pytest.raises(DomainError) as exc:
        services.publisher_create(hromada, hromada_admin, name=publisher.name, title="Ще одне")
    assert code_of(exc) == "publisher_name_taken" and exc.value.status == 409
    other_admin = staff_user(other_hromada, "admin")
    services.publisher_create(other_hromada, other_admin, name=publisher.name, title="Інше")


def test_members_are_staff_and_an_admin_member_manages_them(hromada, hromada_admin, publisher, resident):
    with pytest.raises(DomainError) as exc:
        services.publisher_member_add(publisher, hromada_admin, resident)
    assert code_of(exc) == "member_not_staff"
    lead = staff_user(hromada, "officer")
    services.publisher_member_add(publisher, hromada_admin, lead, role="admin")
    colleague = staff_user(hromada, "officer")
    services.publisher_member_add(publisher, lead, colleague)
    assert PublisherMember.objects.filter(publisher=publisher, user=colleague, role="editor").exists()
    with pytest.raises(PermissionDenied):
        services.publisher_member_remove(publisher, colleague, lead)
    services.publisher_member_remove(publisher, lead, colleague)
    assert not PublisherMember.objects.filter(publisher=publisher, user=colleague).exists()


def test_a_renamed_publisher_is_found_by_its_new_title(hromada, hromada_admin, dataset):
    services.dataset_publish(dataset, hromada_admin)
    services.publisher_update(dataset.publisher, hromada_admin, title="Департамент фінансів")
    found = dataset_search(hromada=hromada, q="департамент")
    assert [d.pk for d in found.datasets] == [dataset.pk]


def test_groups_are_created_by_the_manager_and_named_once(hromada, hromada_admin, editor):
    with pytest.raises(PermissionDenied):
        services.group_create(hromada, editor, name="economy", title="Економіка")
    group = services.group_create(hromada, hromada_admin, name="economy", title="Економіка")
    with pytest.raises(DomainError) as exc:
        services.group_create(hromada, hromada_admin, name="economy", title="Інша")
    assert code_of(exc) == "group_name_taken"
    services.group_update(group, hromada_admin, title="Економіка і фінанси")
    group.refresh_from_db()
    assert group.title == "Економіка і фінанси"


# --- datasets -----------------------------------------------------------------------------


def test_a_dataset_takes_the_hromada_default_licence_and_its_words(hromada, dataset):
    assert dataset.license_id == "CC-BY-4.0"
    assert dataset.state == DatasetState.DRAFT and dataset.published_at is None
    assert "бюджет" in dataset.search_text and "фінансове управління" in dataset.search_text
    assert sorted(dataset.tags.values_list("name", flat=True)) == ["бюджет", "фінанси"]
    assert kinds(hromada) == []  # a draft is not on the public record


def test_the_hromada_default_licence_is_used(hromada, publisher, editor):
    settings = hromada.opendata_settings
    settings.default_license = "CC0-1.0"
    settings.save()
    hromada.__dict__.pop("_module_settings", None)
    made = services.dataset_create(hromada, editor, publisher, name="cc0", title="Набір")
    assert made.license_id == "CC0-1.0"


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"name": "Бюджет"}, "dataset_name_invalid", "name"),
        ({"name": "x"}, "dataset_name_invalid", "name"),
        ({"title": ""}, "title_required", "title"),
        ({"title": "т" * 301}, "title_too_long", "title"),
        ({"license_id": "GPL-3.0"}, "licence_unknown", "license_id"),
        ({"frequency": "Коли заманеться"}, "frequency_unknown", "frequency"),
        ({"language": "ru-RU"}, "language_unknown", "language"),
        ({"maintainer_email": "ivan@"}, "maintainer_email_invalid", "maintainer_email"),
        ({"temporal_start": "2026-13-01"}, "date_invalid", "temporal_start"),
        ({"temporal_start": "2026-02-01", "temporal_end": "2026-01-01"}, "temporal_order", "temporal_end"),
        ({"tags": ["добре", "по,гано"]}, "tag_invalid", "tags"),
        ({"tags": ["т" * 101]}, "tags_too_long", "tags"),
        ({"groups": ["nope"]}, "group_unknown", "groups"),
        ({"notes": "bad\x00text"}, "invalid_text", "notes"),
    ],
)
def test_bad_dataset_input_is_refused_and_nothing_saved(hromada, publisher, editor, fields, code, field):
    values = {"name": "ok-name", "title": "Набір", **fields}
    with pytest.raises(DomainError) as exc:
        services.dataset_create(hromada, editor, publisher, **values)
    assert (exc.value.code, exc.value.field) == (code, field)
    assert not Dataset.objects.for_hromada(hromada).exists()
    assert not Tag.objects.for_hromada(hromada).filter(name="добре").exists()


def test_a_dataset_name_is_unique_per_hromada(hromada, publisher, editor, dataset):
    with pytest.raises(DomainError) as exc:
        services.dataset_create(hromada, editor, publisher, name=dataset.name, title="Інший")
    assert code_of(exc) == "dataset_name_taken" and exc.value.status == 409


def test_another_hromadas_group_is_not_taken(hromada, other_hromada, publisher, editor):
    other_admin = staff_user(other_hromada, "admin")
    foreign = services.group_create(other_hromada, other_admin, name="transport", title="Транспорт")
    with pytest.raises(DomainError) as exc:
        services.dataset_create(hromada, editor, publisher, name="x1", title="Т", groups=[foreign])
    assert code_of(exc) == "group_unknown"


def test_who_may_create_a_dataset(hromada, other_hromada, publisher):
    """opendata.publish and membership, or opendata.manage; a refusal saves nothing."""
    actors = role_matrix(hromada, other_hromada)
    member_officer = staff_user(hromada, "officer")
    services.publisher_member_add(publisher, actors["admin"], member_officer)
    member_moderator = staff_user(hromada, "moderator")  # a member without opendata.publish
    services.publisher_member_add(publisher, actors["admin"], member_moderator)
    actors |= {"member_officer": member_officer, "member_moderator": member_moderator}
    allowed = {"admin", "member_officer"}
    for name, user in actors.items():
        slug = f"ds-{name}".replace("_", "-")
        if name in allowed:
            assert services.dataset_create(hromada, user, publisher, name=slug, title="Набір").pk
        else:
            with pytest.raises(PermissionDenied):
                services.dataset_create(hromada, user, publisher, name=slug, title="Набір")
    assert set(Dataset.objects.for_hromada(hromada).values_list("name", flat=True)) == {
        "ds-admin",
        "ds-member-officer",
    }


def test_a_member_of_one_publisher_cannot_change_anothers_dataset(hromada, hromada_admin, dataset):
    other = services.publisher_create(hromada, hromada_admin, name="osvita", title="Відділ освіти")
    outsider = staff_user(hromada, "officer")
    services.publisher_member_add(other, hromada_admin, outsider)
    with pytest.raises(PermissionDenied):
        services.dataset_update(dataset, outsider, title="Чуже")
    with pytest.raises(PermissionDenied):
        services.resource_create(dataset, outsider, name="Файл", upload=csv_file())
    dataset.refresh_from_db()
    assert dataset.title == "Бюджет громади на 2026 рік" and not dataset.resources.exists()


def test_another_hromadas_publisher_is_refused(hromada, other_hromada, editor):
    other_admin = staff_user(other_hromada, "admin")
    foreign = services.publisher_create(other_hromada, other_admin, name="finance", title="Чужі фінанси")
    with pytest.raises(DomainError) as exc:
        services.dataset_create(hromada, editor, foreign, name="x2", title="Т")
    assert code_of(exc) == "publisher_unknown"


def test_update_replaces_tags_moves_metadata_modified_and_refreshes_search(hromada, editor, dataset):
    before = dataset.metadata_modified
    updated = services.dataset_update(dataset, editor, tags=["видатки"], notes="Звіт про виконання")
    assert updated.metadata_modified > before
    assert list(updated.tags.values_list("name", flat=True)) == ["видатки"]
    assert "звіт про виконання" in updated.search_text and "фінанси" not in updated.search_text
    with pytest.raises(DomainError) as exc:
        services.dataset_update(dataset, editor, colour="red")
    assert code_of(exc) == "field_unknown"


def test_an_update_that_changes_nothing_moves_nothing(editor, dataset):
    before = dataset.metadata_modified
    same = services.dataset_update(dataset, editor, title=dataset.title, tags=["фінанси", "бюджет"])
    assert same.metadata_modified == before


def test_publish_update_withdraw_are_ledgered(hromada, editor, dataset):
    services.resource_create(dataset, editor, name="Бюджет", upload=csv_file())
    published = services.dataset_publish(dataset, editor)
    assert published.state == DatasetState.PUBLISHED and published.published_at is not None
    entry = LedgerEntry.objects.get(hromada=hromada, kind="opendata.dataset_published")
    assert entry.payload["name"] == "budget-2026"
    assert entry.payload["resources"][0]["sha256"] == hashlib.sha256(CSV).hexdigest()
    with pytest.raises(DomainError) as exc:
        services.dataset_publish(published, editor)
    assert code_of(exc) == "dataset_already_published"
    services.dataset_update(published, editor, title="Бюджет-2026")
    assert LedgerEntry.objects.get(kind="opendata.dataset_updated").payload["changed"] == ["title"]
    with pytest.raises(DomainError) as exc:
        services.dataset_update(published, editor, name="new-name")
    assert code_of(exc) == "dataset_name_fixed"
    with pytest.raises(DomainError) as exc:
        services.dataset_withdraw(published, editor, "  ")
    assert code_of(exc) == "reason_required"
    withdrawn = services.dataset_withdraw(published, editor, "Дані застаріли")
    assert (withdrawn.state, withdrawn.withdrawn_reason) == (DatasetState.WITHDRAWN, "Дані застаріли")
    assert kinds(hromada) == [
        "opendata.dataset_published",
        "opendata.dataset_updated",
        "opendata.dataset_withdrawn",
    ]
    with pytest.raises(DomainError) as exc:
        services.dataset_withdraw(withdrawn, editor, "ще раз")
    assert code_of(exc) == "dataset_not_published"
    again = services.dataset_publish(withdrawn, editor)
    assert again.state == DatasetState.PUBLISHED and again.withdrawn_reason == ""


def test_create_and_publish_at_once(hromada, publisher, editor):
    made = services.dataset_create(hromada, editor, publisher, name="now", title="Одразу", publish=True)
    assert made.state == DatasetState.PUBLISHED
    assert kinds(hromada) == ["opendata.dataset_published"]
    assert [d.pk for d in dataset_search(hromada=hromada, q="одразу").datasets] == [made.pk]


# --- resources and versions ---------------------------------------------------------------


def test_an_uploaded_csv_is_version_one(hromada, editor, dataset, monkeypatch):
    added = []
    monkeypatch.setattr(catalogue, "_version_added", added.append)
    before = dataset.metadata_modified
    resource = services.resource_create(dataset, editor, name="", upload=csv_file("Бюджет 2026.csv"))
    version = resource.current
    assert (resource.name, resource.format) == ("Бюджет 2026", "CSV")
    assert (version.number, version.size, version.mimetype) == (1, len(CSV), "text/csv")
    assert version.sha256 == hashlib.sha256(CSV).hexdigest()
    assert version.original_name == "Бюджет 2026.csv" and version.uploaded_by == editor
    assert version.file.read() == CSV
    assert resource.last_modified is not None
    assert added == [version]
    dataset.refresh_from_db()
    assert dataset.metadata_modified > before and "бюджет 2026" in dataset.search_text
    assert kinds(hromada) == []  # a draft's file is recorded when the dataset is published


def test_a_new_version_becomes_current_and_the_old_stays(hromada, editor, dataset, monkeypatch):
    added = []
    monkeypatch.setattr(catalogue, "_version_added", added.append)
    resource = services.resource_create(dataset, editor, name="Бюджет", upload=csv_file())
    services.dataset_publish(dataset, editor)
    second = services.resource_upload_version(
        resource, editor, csv_file(content=CSV + "Спорт,10\n".encode()), note="Травень"
    )
    resource.refresh_from_db()
    assert resource.current == second and second.number == 2 and second.note == "Травень"
    assert list(resource.versions.values_list("number", flat=True)) == [2, 1]
    assert added == [resource.versions.get(number=1), second]
    entry = LedgerEntry.objects.get(hromada=hromada, kind="opendata.resource_version")
    assert (entry.payload["version"], entry.payload["sha256"]) == (2, second.sha256)


def test_a_pdf_is_kept_but_not_sent_to_the_datastore(editor, dataset, monkeypatch):
    added = []
    monkeypatch.setattr(catalogue, "_version_added", added.append)
    resource = services.resource_create(dataset, editor, name="Пояснювальна записка", upload=pdf_file())
    assert resource.format == "PDF" and resource.current.mimetype == "application/pdf"
    xlsx = services.resource_create(dataset, editor, name="Таблиця", upload=xlsx_file())
    assert xlsx.format == "XLSX"
    assert added == [xlsx.current]


def test_a_link_resource(hromada, editor, dataset):
    services.dataset_publish(dataset, editor)
    link = services.resource_create(
        dataset, editor, name="На порталі", url="https://data.gov.ua/dataset/x", format="json"
    )
    assert (link.format, link.current, link.url) == ("JSON", None, "https://data.gov.ua/dataset/x")
    assert kinds(hromada)[-1] == "opendata.dataset_updated"
    with pytest.raises(DomainError) as exc:
        services.resource_upload_version(link, editor, csv_file())
    assert code_of(exc) == "resource_is_link"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({}, "resource_source_required"),
        ({"upload": "csv", "url": "https://example.org/a.csv"}, "resource_source_both"),
        ({"url": "ftp://example.org/a.csv"}, "url_invalid"),
        ({"url": "https://example.org/a", "format": "EXE"}, "format_unknown"),
        ({"upload": SimpleUploadedFile("a.csv", b"")}, "upload_empty"),
        ({"upload": SimpleUploadedFile("a.exe", b"MZ\x90\x00")}, "upload_format"),
        ({"upload": SimpleUploadedFile("a.csv", b"\x89PNG\r\n\x1a\n\x00\x00")}, "upload_format"),
        ({"upload": SimpleUploadedFile("a.pdf", b"not a pdf at all")}, "upload_format"),
        ({"upload": SimpleUploadedFile("a.json", b"name,sum\n")}, "upload_format"),
        ({"upload": SimpleUploadedFile("a.xlsx", b"PK\x03\x04broken")}, "upload_format"),
    ],
)
def test_bad_resources_are_refused_and_nothing_saved(editor, dataset, kwargs, code):
    if kwargs.get("upload") == "csv":
        kwargs["upload"] = csv_file()
    before = dataset.metadata_modified
    with pytest.raises(DomainError) as exc:
        services.resource_create(dataset, editor, name="Файл", **kwargs)
    assert code_of(exc) == code
    assert not Resource.objects.filter(dataset=dataset).exists()
    assert not ResourceVersion.objects.exists()
    dataset.refresh_from_db()
    assert dataset.metadata_modified == before


def test_a_file_over_the_limit_is_refused(settings, editor, dataset):
    settings.OPENDATA_UPLOAD_MAX_BYTES = 10
    with pytest.raises(DomainError) as exc:
        services.resource_create(dataset, editor, name="Файл", upload=csv_file())
    assert code_of(exc) == "upload_too_large" and exc.value.status == 413
    assert not Resource.objects.exists()


def test_a_csv_in_cp1251_is_accepted(editor, dataset):
    resource = services.resource_create(
        dataset,
        editor,
        name="Старий файл",
        upload=csv_file(content="назва;сума\nОсвіта;1\n".encode("cp1251")),
    )
    assert resource.format == "CSV"


def test_a_new_version_must_keep_the_format(editor, dataset):
    resource = services.resource_create(dataset, editor, name="Бюджет", upload=csv_file())
    with pytest.raises(DomainError) as exc:
        services.resource_upload_version(resource, editor, pdf_file())
    assert code_of(exc) == "upload_format"
    assert resource.versions.count() == 1


def test_a_version_by_an_outsider_is_refused(hromada, editor, dataset, resident):
    resource = services.resource_create(dataset, editor, name="Бюджет", upload=csv_file())
    for user in (resident, staff_user(hromada, "officer")):
        with pytest.raises(PermissionDenied):
            services.resource_upload_version(resource, user, csv_file())
    assert resource.versions.count() == 1


# --- downloads ----------------------------------------------------------------------------


def test_downloads_are_counted_per_day_without_a_row_per_download(editor, dataset):
    resource = services.resource_create(dataset, editor, name="Бюджет", upload=csv_file())
    today = timezone.localdate()
    for _ in range(3):
        services.resource_download_count(resource)
    services.resource_download_count(resource, day=today - dt.timedelta(days=1))
    resource.refresh_from_db()
    assert resource.downloads == 4
    assert dict(DownloadDay.objects.filter(resource=resource).values_list("day", "count")) == {
        today: 3,
        today - dt.timedelta(days=1): 1,
    }
    dataset.refresh_from_db()
    before = dataset.metadata_modified
    services.resource_download_count(resource)
    dataset.refresh_from_db()
    assert dataset.metadata_modified == before  # a download is not a change of the data
