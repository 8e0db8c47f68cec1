# ruff: noqa: F811  (the shared fixtures are imported by name)
"""The platform publishes its own data (ADR 0009 decision 9, services/platform.py): every
registry dataset of an enabled module becomes a published portal dataset with CSV and
JSON resources; a change in a module's data makes new versions, an unchanged run writes
nothing; a module switched off withdraws its datasets; a failing rows() keeps the last
version; the files carry only the declared fields; CKAN finds them; staff cannot edit
their resources by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from hromada.accounts.tests.factories import staff_user
from hromada.core.clock import travel_to
from hromada.core.errors import DomainError
from hromada.core.modules import Dataset as RegistryDataset
from hromada.core.modules import DatasetField, Module, registry
from hromada.ledger.models import LedgerEntry
from hromada.opendata import services
from hromada.opendata.models import Dataset, DatasetState, Publisher, Resource, ResourceVersion
from hromada.opendata.services.platform import dataset_name, platform_tick

if not apps.is_installed("hromada.petitions"):  # the kernel's run without it (TEST_WITHOUT)
    pytest.skip("the platform's datasets are tested with the petitions module", allow_module_level=True)

from hromada.petitions.tests.factories import collecting  # noqa: E402
from hromada.tenancy.services import module_switch_set

from .test_catalogue_fixtures import csv_file, dataset, editor, publisher  # noqa: F401

pytestmark = pytest.mark.django_db

# The probe module's data, changed by the tests (rows() reads it on every sync).
PROBE: dict = {}


def probe_rows(*, hromada):
    if PROBE["fail"]:
        raise RuntimeError("the probe's database is down")
    yield from PROBE["rows"]


@pytest.fixture
def probe():
    """A module declaring one dataset whose rows the test controls."""
    PROBE.clear()
    PROBE.update(rows=[{"district": "Центр", "count": 3}], fail=False)
    registry.register(
        Module(
            label="odprobe",
            name="Модуль-проба",
            event_prefix="odprobe",
            datasets=(
                RegistryDataset(
                    slug="counts",
                    title="Лічильники проби",
                    description="Скільки чого в кожному районі.",
                    rows=probe_rows,
                    fields=(DatasetField("district", "Район"), DatasetField("count", "Кількість")),
                ),
            ),
        )
    )
    yield PROBE
    registry.unregister("odprobe")


def registry_keys() -> set[tuple[str, str]]:
    return {(m.label, d.slug) for m, d in registry.datasets()}


def platform_datasets(hromada):
    return Dataset.objects.for_hromada(hromada).filter(source="platform")


def of(hromada, label: str, slug: str) -> Dataset:
    return platform_datasets(hromada).get(module_label=label, module_slug=slug)


def current(dataset: Dataset, fmt: str) -> ResourceVersion:
    resource = dataset.resources.select_related("current").get(format=fmt)
    assert resource.current is not None
    return resource.current


def content(version: ResourceVersion) -> str:
    with version.file.open("rb") as f:
        return f.read().decode("utf-8-sig")


def entries(hromada) -> int:
    return LedgerEntry.objects.filter(hromada=hromada).count()


def test_sync_publishes_every_enabled_modules_datasets(hromada, other_hromada):
    report = services.platform_sync(hromada)
    assert report.failed == {}
    datasets = platform_datasets(hromada).select_related("publisher")
    assert {(d.module_label, d.module_slug) for d in datasets} == registry_keys()
    assert sorted(report.created) == sorted(d.name for d in datasets)
    publisher = Publisher.objects.for_hromada(hromada).get(kind="platform")
    for module, spec in registry.datasets():
        d = of(hromada, module.label, spec.slug)
        assert d.publisher == publisher and d.state == DatasetState.PUBLISHED and d.published_at
        assert d.name == dataset_name(module.label, spec.slug)
        assert (d.title, d.notes) == (str(spec.title), str(spec.description))
        assert d.license_id == "CC-BY-4.0" and d.frequency == "Відразу після внесення змін"
        assert sorted(d.resources.values_list("format", flat=True)) == ["CSV", "JSON"]
        # Each resource says what its columns are.
        assert all(
            f"{f.name} — " in r.description
            for r in d.resources.all()
            for f in spec.fields
            if str(f.description)
        )
        for version in ResourceVersion.objects.filter(resource__dataset=d):
            assert version.number == 1 and len(version.sha256) == 64
    # The other hromada has none until its own sync; its publisher is its own.
    assert not platform_datasets(other_hromada).exists()
    services.platform_sync(other_hromada)
    assert Publisher.objects.filter(kind="platform").count() == 2
    assert platform_datasets(other_hromada).count() == len(registry_keys())
    # Each publication is in the ledger with its files' hashes.
    published = LedgerEntry.objects.filter(hromada=hromada, kind="opendata.dataset_published")
    assert published.count() == len(registry_keys())
    petitions = of(hromada, "petitions", "petitions")
    entry = next(e for e in published if e.payload["name"] == petitions.name)
    assert {r["sha256"] for r in entry.payload["resources"]} == {
        current(petitions, "CSV").sha256,
        current(petitions, "JSON").sha256,
    }


def test_files_carry_only_the_declared_fields(hromada):
    """Never personal data: every registry dataset's generated files have exactly its
    declared fields, with some data in the modules that have test factories."""
    for n in range(2):
        collecting(hromada=hromada, title=f"Відремонтувати сквер №{n}")
    from hromada.core.tests.sample.models import Thing

    Thing.objects.create(hromada=hromada, owner=staff_user(hromada, "officer"), title="Лавка")
    assert services.platform_sync(hromada).failed == {}
    for module, spec in registry.datasets():
        d = of(hromada, module.label, spec.slug)
        header, *rows = list(csv.reader(io.StringIO(content(current(d, "CSV")))))
        assert header == spec.field_names, d.name
        assert all(len(row) == len(header) for row in rows)
        objects = json.loads(content(current(d, "JSON")))
        assert len(objects) == len(rows)
        assert all(list(obj) == spec.field_names for obj in objects), d.name
    petitions = json.loads(content(current(of(hromada, "petitions", "petitions"), "JSON")))
    assert sorted(p["title"] for p in petitions) == ["Відремонтувати сквер №0", "Відремонтувати сквер №1"]


def test_an_undeclared_field_is_never_published(hromada, probe):
    probe["rows"] = [{"district": "Центр", "count": 3, "email": "someone@example.org"}]
    report = services.platform_sync(hromada)
    assert list(report.failed) == ["odprobe-counts"] and "email" in report.failed["odprobe-counts"]
    assert not platform_datasets(hromada).filter(module_label="odprobe").exists()
    assert not ResourceVersion.objects.filter(
        hromada=hromada, resource__dataset__module_label="odprobe"
    ).exists()
    # The other modules' datasets are published all the same.
    assert platform_datasets(hromada).count() == len(registry_keys()) - 1


def test_a_change_in_a_modules_data_makes_new_versions(hromada):
    collecting(hromada=hromada, title="Облаштувати велодоріжку")
    services.platform_sync(hromada)
    petitions = of(hromada, "petitions", "petitions")
    before_modified = petitions.metadata_modified
    before = {fmt: current(petitions, fmt) for fmt in ("CSV", "JSON")}
    later = timezone.now() + dt.timedelta(hours=1)
    with travel_to(later):
        collecting(hromada=hromada, title="Висадити липи на Соборній")
        report = services.platform_sync(hromada)
    assert report.updated == [petitions.name] and report.failed == {}
    petitions.refresh_from_db()
    assert petitions.metadata_modified > before_modified
    for fmt in ("CSV", "JSON"):
        now = current(petitions, fmt)
        assert now.number == 2 and now.sha256 != before[fmt].sha256
        assert "Висадити липи на Соборній" in content(now)
        assert "Облаштувати велодоріжку" in content(now)
        # The old version stays downloadable, unchanged.
        assert "Висадити липи" not in content(ResourceVersion.objects.get(pk=before[fmt].pk))
    ledgered = LedgerEntry.objects.filter(hromada=hromada, kind="opendata.resource_version")
    assert sorted(e.payload["sha256"] for e in ledgered) == sorted(
        current(petitions, fmt).sha256 for fmt in ("CSV", "JSON")
    )
    # Resources' last_modified moved: the page's "last regenerated".
    assert all(r.last_modified >= later for r in Resource.objects.filter(dataset=petitions))


def test_an_unchanged_run_writes_nothing(hromada):
    collecting(hromada=hromada)
    services.platform_sync(hromada)
    snapshot = (
        entries(hromada),
        ResourceVersion.objects.filter(hromada=hromada).count(),
        sorted(platform_datasets(hromada).values_list("metadata_modified", "updated_at")),
        sorted(Resource.objects.filter(hromada=hromada).values_list("last_modified", "updated_at")),
    )
    with travel_to(timezone.now() + dt.timedelta(minutes=15)):
        report = services.platform_sync(hromada)
    assert report.created == report.updated == report.withdrawn == [] and report.failed == {}
    assert sorted(report.unchanged) == sorted(platform_datasets(hromada).values_list("name", flat=True))
    assert snapshot == (
        entries(hromada),
        ResourceVersion.objects.filter(hromada=hromada).count(),
        sorted(platform_datasets(hromada).values_list("metadata_modified", "updated_at")),
        sorted(Resource.objects.filter(hromada=hromada).values_list("last_modified", "updated_at")),
    )


def test_a_module_switched_off_withdraws_its_datasets_and_back_on_republishes(hromada, hromada_admin):
    collecting(hromada=hromada)
    services.platform_sync(hromada)
    petitions = of(hromada, "petitions", "petitions")
    versions = set(ResourceVersion.objects.filter(resource__dataset=petitions).values_list("pk", flat=True))
    module_switch_set(actor=hromada_admin, hromada=hromada, module="petitions", enabled=False)
    report = services.platform_sync(hromada)
    assert report.withdrawn == [petitions.name]
    petitions.refresh_from_db()
    assert petitions.state == DatasetState.WITHDRAWN and "вимкнено" in petitions.withdrawn_reason
    # Kept, with its history; the other modules' datasets stay published.
    assert (
        set(ResourceVersion.objects.filter(resource__dataset=petitions).values_list("pk", flat=True))
        == versions
    )
    others = platform_datasets(hromada).exclude(pk=petitions.pk)
    assert others.exists() and all(d.state == DatasetState.PUBLISHED for d in others)
    assert Client().get(f"/opendata/dataset/{petitions.name}/").status_code == 410
    # Off again: nothing more to write.
    before = entries(hromada)
    assert services.platform_sync(hromada).withdrawn == []
    assert entries(hromada) == before

    module_switch_set(actor=hromada_admin, hromada=hromada, module="petitions", enabled=True)
    collecting(hromada=hromada, title="Нова петиція, поки модуль був вимкнений")
    report = services.platform_sync(hromada)
    assert report.republished == [petitions.name] and report.updated == [petitions.name]
    petitions.refresh_from_db()
    assert petitions.state == DatasetState.PUBLISHED and petitions.withdrawn_reason == ""
    assert "Нова петиція" in content(current(petitions, "CSV"))
    assert current(petitions, "CSV").number == 2


def test_a_failing_rows_keeps_the_last_version_and_the_others_go_on(hromada, probe):
    services.platform_sync(hromada)
    counts = of(hromada, "odprobe", "counts")
    good = current(counts, "CSV")
    assert "Центр,3" in content(good)
    probe["fail"] = True
    collecting(hromada=hromada, title="Петиція під час збою")
    report = services.platform_sync(hromada)
    assert list(report.failed) == [counts.name] and "database is down" in report.failed[counts.name]
    assert report.updated == [of(hromada, "petitions", "petitions").name]
    counts.refresh_from_db()
    assert counts.state == DatasetState.PUBLISHED
    assert (
        current(counts, "CSV") == good
        and ResourceVersion.objects.filter(resource__dataset=counts).count() == 2
    )
    # Mended: the next run publishes the new data.
    probe.update(fail=False, rows=[{"district": "Центр", "count": 4}])
    assert services.platform_sync(hromada).updated == [counts.name]
    assert "Центр,4" in content(current(counts, "CSV"))


def test_ckan_finds_the_platforms_datasets(hromada, hromada_admin):
    collecting(hromada=hromada, title="Петиція для CKAN")
    services.platform_sync(hromada)
    petitions = of(hromada, "petitions", "petitions")
    client = Client()
    shown = client.get("/api/3/action/package_show", {"id": petitions.name}).json()
    assert shown["success"] is True
    result = shown["result"]
    assert result["name"] == petitions.name and result["license_id"] == "CC-BY-4.0"
    assert result["organization"]["name"] == "platform" and result["state"] == "active"
    assert sorted(r["format"] for r in result["resources"]) == ["CSV", "JSON"]
    found = client.get("/api/3/action/package_search", {"fq": "organization:platform", "rows": 1000}).json()
    assert found["success"] is True
    assert found["result"]["count"] == len(registry_keys())
    assert petitions.name in {p["name"] for p in found["result"]["results"]}
    by_text = client.get(
        "/api/action/package_search", {"q": str(registry.get("petitions").datasets[0].title)}
    )
    assert petitions.name in {p["name"] for p in by_text.json()["result"]["results"]}
    # A module switched off: CKAN says deleted, as it does for a withdrawn package.
    module_switch_set(actor=hromada_admin, hromada=hromada, module="petitions", enabled=False)
    services.platform_sync(hromada)
    gone = client.get("/api/3/action/package_show", {"id": petitions.name}).json()
    assert gone["result"]["state"] == "deleted"


def test_staff_cannot_edit_the_platforms_resources(hromada, hromada_admin):
    services.platform_sync(hromada)
    petitions = of(hromada, "petitions", "petitions")
    resource = petitions.resources.get(format="CSV")
    upload = SimpleUploadedFile("x.csv", b"a,b\n1,2\n", content_type="text/csv")
    with pytest.raises(DomainError) as exc:
        services.resource_create(petitions, hromada_admin, name="Моє", upload=upload)
    assert exc.value.code == "platform_dataset"
    with pytest.raises(DomainError) as exc:
        services.resource_upload_version(resource, hromada_admin, upload)
    assert exc.value.code == "platform_dataset"
    for call in (
        lambda: services.dataset_withdraw(petitions, hromada_admin, "Не треба"),
        lambda: services.dataset_update(petitions, hromada_admin, title="Інша назва"),
    ):
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.code == "platform_dataset"
    # Nor may a dataset of their own be filed under the platform publisher.
    with pytest.raises(DomainError) as exc:
        services.dataset_create(
            hromada, hromada_admin, petitions.publisher, name="moi-dani", title="Мої дані"
        )
    assert exc.value.code == "platform_dataset"
    # Tags are the staff's to add.
    services.dataset_update(petitions, hromada_admin, tags=["петиції"])
    assert list(petitions.tags.values_list("name", flat=True)) == ["петиції"]
    assert ResourceVersion.objects.filter(resource__dataset=petitions).count() == 2

    client = Client()
    client.force_login(hromada_admin)
    for path in (
        f"/staff/opendata/d/{petitions.name}/resources/new/",
        f"/staff/opendata/d/{petitions.name}/r/{resource.public_id}/version/",
    ):
        page = client.get(path)
        assert page.status_code == 409
        assert "публікує сама платформа" in page.content.decode()
        refused = client.post(path, {"name": "x", "upload": SimpleUploadedFile("x.csv", b"a\n1\n")})
        assert refused.status_code == 409
    # The platform publisher is no choice for a new dataset: with no other, there is none.
    new_form = client.get("/staff/opendata/new/").content.decode()
    assert "Ви ще не редактор жодного розпорядника" in new_form and 'value="platform"' not in new_form
    edit = client.get(f"/staff/opendata/d/{petitions.name}/").content.decode()
    assert "resources/new/" not in edit and "/version/" not in edit
    assert ResourceVersion.objects.filter(resource__dataset=petitions).count() == 2


def test_the_public_page_names_the_module_and_the_regeneration(hromada, dataset, editor):
    services.platform_sync(hromada)
    petitions = of(hromada, "petitions", "petitions")
    page = Client().get(f"/opendata/dataset/{petitions.name}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Дані публікує сама платформа" in html
    assert f"«{registry.get('petitions').name}»" in html
    stamp = timezone.localtime(current(petitions, "CSV").resource.last_modified).strftime("%d.%m.%Y %H:%M")
    assert "Востаннє згенеровано: <time" in html and stamp in html
    # A publisher's own dataset says nothing of the kind.
    services.resource_create(dataset, editor, name="Бюджет", upload=csv_file())
    services.dataset_publish(dataset, editor)
    own = Client().get(f"/opendata/dataset/{dataset.name}/")
    assert own.status_code == 200 and "Дані публікує сама платформа" not in own.content.decode()


def test_the_staff_button_runs_the_sync_for_the_manager_only(hromada, hromada_admin):
    officer = staff_user(hromada, "officer")
    client = Client()
    client.force_login(officer)
    assert client.post("/staff/opendata/platform/sync/").status_code == 403
    assert not platform_datasets(hromada).exists()
    client.force_login(hromada_admin)
    index = client.get("/staff/opendata/").content.decode()
    assert "Оновити дані платформи зараз" in index
    response = client.post("/staff/opendata/platform/sync/", follow=True)
    assert response.redirect_chain[-1][0] == "/staff/opendata/"
    assert platform_datasets(hromada).count() == len(registry_keys())
    assert "Дані платформи оновлено" in response.content.decode()
    assert client.get("/staff/opendata/platform/sync/").status_code == 405


def test_the_periodic_job_serves_hromadas_using_open_data(hromada, other_hromada, hromada_admin):
    assert "hromada.opendata.services.platform.platform_tick" in [job.path for job in registry.jobs()]
    other_admin = staff_user(other_hromada, "admin")
    module_switch_set(actor=other_admin, hromada=other_hromada, module="opendata", enabled=False)
    totals = platform_tick()
    assert totals["created"] >= len(registry_keys())
    assert platform_datasets(hromada).count() == len(registry_keys())
    assert not platform_datasets(other_hromada).exists()
    assert platform_tick()["created"] == 0


def test_a_dataset_no_module_declares_any_more_is_withdrawn(hromada, probe):
    services.platform_sync(hromada)
    counts = of(hromada, "odprobe", "counts")
    registry.unregister("odprobe")  # the module uninstalled
    report = services.platform_sync(hromada)
    assert report.withdrawn == [counts.name] and report.failed == {}
    counts.refresh_from_db()
    assert counts.state == DatasetState.WITHDRAWN
    assert ResourceVersion.objects.filter(resource__dataset=counts).count() == 2
