"""The platform publishes its own data (ADR 0009 decision 9): every open dataset a
module declares in the registry (hromada.core.modules `Dataset`) becomes a portal
dataset of the hromada's platform publisher, with a CSV and a JSON resource generated
from `rows(hromada=)` through the kernel's one writer (hromada.core.opendata).

`platform_sync` is idempotent and cheap when nothing changed: the files are generated,
hashed (sha256) and compared with the current versions' hashes; only a changed hash
goes through the catalogue's version service (a new ResourceVersion, its DataStore load,
its ledger entry, a new metadata_modified). An unchanged run writes nothing.

A module switched off for the hromada has its datasets withdrawn (kept, with their
history) and published again when it is switched back on. A dataset whose rows() raises,
or yields a field its declaration does not name (never personal data by accident), is
reported and logged; its last good version stays published and the others go on."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hromada.core.modules import Dataset as RegistryDataset
from hromada.core.modules import Module, registry, resolve
from hromada.core.opendata import csv_stream, json_stream
from hromada.ledger.services import ledger_append
from hromada.tenancy.models import Hromada
from hromada.tenancy.selectors import module_enabled

from ..models import NAME_MAX, Dataset, DatasetSource, DatasetState, Publisher, PublisherKind, Resource
from . import catalogue
from ._common import touch

logger = logging.getLogger("hromada.opendata.platform")

PUBLISHER_NAME = "platform"
LICENCE = "CC-BY-4.0"
# The files are regenerated within minutes of a change in the module's data.
FREQUENCY = "Відразу після внесення змін"
FORMATS = (("CSV", "csv", "text/csv"), ("JSON", "json", "application/json"))


class UndeclaredFields(ValueError):
    """rows() yielded a row whose keys are not exactly the dataset's declared fields."""


@dataclass
class SyncReport:
    """What one platform_sync did, by dataset name."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # a new version of a resource
    unchanged: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    republished: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # name: why

    def as_dict(self) -> dict:
        return asdict(self)


# --- the platform publisher -----------------------------------------------------------------


def _free_name(model, hromada, base: str) -> str:
    name, n = base[:NAME_MAX], 1
    while model.objects.for_hromada(hromada).filter(name=name).exists():
        n += 1
        suffix = f"-{n}"
        name = base[: NAME_MAX - len(suffix)] + suffix
    return name


def platform_publisher(hromada: Hromada) -> Publisher:
    """The hromada's platform publisher (kind=platform, one per hromada), made when missing."""
    found = Publisher.objects.for_hromada(hromada).filter(kind=PublisherKind.PLATFORM).first()
    if found is not None:
        return found
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Платформа громади")
        description = _(
            "Дані, які платформа публікує сама з даних своїх модулів: петиції, бюджет участі, "
            "консультації, звернення та інші. Оновлюються автоматично, без персональних даних."
        )
    try:
        with transaction.atomic():
            return Publisher.objects.create(
                hromada=hromada,
                kind=PublisherKind.PLATFORM,
                name=_free_name(Publisher, hromada, PUBLISHER_NAME),
                title=title,
                description=description,
            )
    except IntegrityError:  # made by a concurrent sync
        return Publisher.objects.for_hromada(hromada).get(kind=PublisherKind.PLATFORM)


# --- generated content ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Content:
    csv: bytes
    json: bytes
    rows: int

    def of(self, fmt: str) -> bytes:
        return self.csv if fmt == "CSV" else self.json


def generate(hromada: Hromada, spec: RegistryDataset) -> _Content:
    """The dataset's CSV and JSON from one pass of rows(): the declared fields only, in
    their declared order. A row with a missing or an undeclared key is refused whole."""
    names = spec.field_names
    declared = set(names)
    rows = []
    for number, row in enumerate(resolve(spec.rows)(hromada=hromada), 1):
        keys = set(row)
        if keys != declared:
            raise UndeclaredFields(
                f"row {number}: undeclared {sorted(keys - declared)}, missing {sorted(declared - keys)}"
            )
        rows.append({name: row[name] for name in names})
    return _Content(
        csv="".join(csv_stream(rows, names)).encode("utf-8"),
        json="".join(json_stream(rows)).encode("utf-8"),
        rows=len(rows),
    )


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- what the registry says about a dataset -------------------------------------------------


def _describe(module: Module, spec: RegistryDataset) -> dict:
    """The dataset's and its resources' texts from the registry, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        title = str(spec.title)[:300]
        notes = str(spec.description or "")
        fields = "; ".join(
            f"{f.name} — {f.description}" if str(f.description) else f.name for f in spec.fields
        )
        resource = _("Поля: %(fields)s.") % {"fields": fields}
        module_name = str(module.name)
    return {"title": title, "notes": notes, "resource_description": resource, "module_name": module_name}


def dataset_name(module_label: str, slug: str) -> str:
    return f"{module_label}-{slug}".lower().replace("_", "-")[:NAME_MAX]


def _platform_datasets(hromada: Hromada) -> dict[tuple[str, str], Dataset]:
    return {
        (d.module_label, d.module_slug): d
        for d in Dataset.objects.for_hromada(hromada).filter(source=DatasetSource.PLATFORM)
    }


# --- the sync -------------------------------------------------------------------------------


def _upload(dataset: Dataset, ext: str, mimetype: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{dataset.name}.{ext}", content, content_type=mimetype)


def _create(
    hromada, publisher: Publisher, module: Module, spec: RegistryDataset, content: _Content
) -> Dataset:
    texts = _describe(module, spec)
    now = timezone.now()
    dataset = Dataset.objects.create(
        hromada=hromada,
        publisher=publisher,
        source=DatasetSource.PLATFORM,
        module_label=module.label,
        module_slug=spec.slug,
        name=_free_name(Dataset, hromada, dataset_name(module.label, spec.slug)),
        title=texts["title"],
        notes=texts["notes"],
        license_id=LICENCE,
        frequency=FREQUENCY,
        purpose=_describe_purpose(),
        language="uk",
        metadata_modified=now,
    )
    for fmt, ext, mimetype in FORMATS:
        catalogue._resource_create(
            dataset,
            None,
            name=f"{texts['title']} ({fmt})"[:300],
            upload=_upload(dataset, ext, mimetype, content.of(fmt)),
            format=fmt,
            description=texts["resource_description"],
        )
    # Published with its resources' hashes in the ledger entry.
    catalogue._publish(dataset, None)
    return dataset


def _describe_purpose() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Прозорість роботи громади: дані платформи, оприлюднені автоматично")


def _refresh_texts(dataset: Dataset, module: Module, spec: RegistryDataset) -> bool:
    """The registry's title and description, when they changed (a new release)."""
    texts = _describe(module, spec)
    changed = [k for k in ("title", "notes") if getattr(dataset, k) != texts[k]]
    resources = list(dataset.resources.exclude(description=texts["resource_description"]))
    if not changed and not resources:
        return False
    for key in changed:
        setattr(dataset, key, texts[key])
    if changed:
        dataset.save(update_fields=[*changed, "updated_at"])
    if resources:
        Resource.objects.filter(pk__in=[r.pk for r in resources]).update(
            description=texts["resource_description"], updated_at=timezone.now()
        )
        changed.append("resources")
    touch(dataset)
    ledger_append(
        hromada=dataset.hromada,
        kind="opendata.dataset_updated",
        payload={**catalogue._ledger_base(dataset, None), "changed": sorted(changed)},
    )
    return True


def _sync_one(
    hromada, publisher: Publisher, module: Module, spec: RegistryDataset, existing: Dataset | None
) -> tuple[str, list[str]]:
    """One registry dataset, inside the caller's savepoint: its name and what was done
    ("created", "republished", "updated"; none: unchanged)."""
    content = generate(hromada, spec)
    if existing is None:
        return _create(hromada, publisher, module, spec, content).name, ["created"]
    done: list[str] = []
    dataset = Dataset.objects.select_for_update().select_related("publisher").get(pk=existing.pk)
    if dataset.state != DatasetState.PUBLISHED:
        catalogue._publish(dataset, None)
        done.append("republished")
    changed = _refresh_texts(dataset, module, spec)
    by_format = {r.format: r for r in dataset.resources.select_related("current").filter(url="")}
    for fmt, ext, mimetype in FORMATS:
        data = content.of(fmt)
        resource = by_format.get(fmt)
        if resource is None:  # a resource lost, or a format added to the platform's set later
            catalogue._resource_create(
                dataset,
                None,
                name=f"{dataset.title} ({fmt})"[:300],
                upload=_upload(dataset, ext, mimetype, data),
                format=fmt,
                description=_describe(module, spec)["resource_description"],
            )
            changed = True
        elif resource.current is None or resource.current.sha256 != _sha256(data):
            with translation.override(settings.LANGUAGE_CODE):
                note = ngettext(
                    "Дані модуля змінилися: %(n)d рядок", "Дані модуля змінилися: %(n)d рядків", content.rows
                ) % {"n": content.rows}
            catalogue._resource_upload_version(
                resource, None, _upload(dataset, ext, mimetype, data), note=note
            )
            changed = True
    if changed:
        done.append("updated")
    return dataset.name, done


def _withdraw(dataset: Dataset, reason: str) -> bool:
    """Withdraw a published platform dataset (kept, with its versions); False when it
    was not published."""
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().select_related("publisher").get(pk=dataset.pk)
        if locked.state != DatasetState.PUBLISHED:
            return False
        catalogue._withdraw(locked, None, reason)
        return True


def platform_sync(hromada: Hromada) -> SyncReport:
    """Bring the hromada's platform datasets in line with its enabled modules' registry
    datasets (see the module docstring). Never raises for one dataset's failure."""
    report = SyncReport()
    publisher = platform_publisher(hromada)
    existing = _platform_datasets(hromada)
    declared: set[tuple[str, str]] = set()
    for module, spec in registry.datasets():
        key = (module.label, spec.slug)
        declared.add(key)
        found = existing.get(key)
        name = found.name if found is not None else dataset_name(*key)
        try:
            with transaction.atomic():  # a savepoint: one failure leaves the rest standing
                if module_enabled(hromada, module.label):
                    name, done = _sync_one(hromada, publisher, module, spec, found)
                elif found is not None:
                    with translation.override(settings.LANGUAGE_CODE):
                        reason = _(
                            "Модуль «%(m)s» вимкнено в громаді: набір оприлюднять знову, коли його увімкнуть."
                        ) % {"m": module.name}
                    done = ["withdrawn"] if _withdraw(found, reason) else []
                else:
                    continue
        except Exception as exc:  # noqa: BLE001 - a module's failing rows() must not stop the others
            logger.exception("platform dataset %s of hromada %s not regenerated", name, hromada.pk)
            report.failed[name] = f"{type(exc).__name__}: {exc}"[:500]
            continue
        for what in done:
            getattr(report, what).append(name)
        if not done and module_enabled(hromada, module.label):
            report.unchanged.append(name)
    # A module uninstalled, or a dataset it no longer declares.
    with translation.override(settings.LANGUAGE_CODE):
        gone = _("Модуль більше не надає цього набору.")
    for key, found in existing.items():
        if key in declared:
            continue
        try:
            if _withdraw(found, gone):
                report.withdrawn.append(found.name)
        except Exception as exc:  # noqa: BLE001 - as above
            logger.exception("platform dataset %s of hromada %s not withdrawn", found.name, hromada.pk)
            report.failed[found.name] = f"{type(exc).__name__}: {exc}"[:500]
    return report


def platform_tick() -> dict:
    """Periodic job (module.py `jobs`): platform_sync for every active hromada that uses
    the open data portal."""
    totals: dict[str, int] = {}
    for hromada in Hromada.objects.filter(is_active=True):
        if not module_enabled(hromada, "opendata"):
            continue
        try:
            report = platform_sync(hromada)
        except Exception:  # noqa: BLE001 - one hromada's failure must not stop the others
            logger.exception("platform datasets of hromada %s not synchronised", hromada.pk)
            totals["hromadas_failed"] = totals.get("hromadas_failed", 0) + 1
            continue
        for key, value in report.as_dict().items():
            totals[key] = totals.get(key, 0) + len(value)
    return totals
