"""Datasets and their resources: create, change, publish, withdraw; files uploaded as
versions (every one kept); downloads counted per day.

Every write runs in one transaction, moves the dataset's metadata_modified and stores
its search words (search.search_text_of). The public ledger records what the public
sees: a publication (with each resource's current file hash), every change and new file
of a published or withdrawn dataset, a withdrawal with its reason. A draft changes
freely and unrecorded until it is published, as consultations' drafts do."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError
from hromada.core.modules import registry
from hromada.ledger.services import ledger_append
from hromada.tenancy.selectors import module_settings

from ..models import (
    TITLE_MAX,
    Dataset,
    DatasetSource,
    DatasetState,
    DownloadDay,
    Group,
    Publisher,
    PublisherKind,
    Resource,
    ResourceVersion,
    Tag,
)
from ..vocabularies import DEFAULT_LICENCE, LANGUAGES, format_of, frequency, licence
from ._common import (
    clean_email,
    clean_line,
    clean_name,
    clean_text,
    clean_title,
    clean_url,
    require_publisher,
    touch,
)
from .uploads import check_resource_upload

DATASET_FIELDS = frozenset(
    {
        "name",
        "title",
        "notes",
        "tags",
        "groups",
        "license_id",
        "frequency",
        "purpose",
        "language",
        "maintainer",
        "maintainer_email",
        "spatial",
        "temporal_start",
        "temporal_end",
    }
)
TAG_MAX = 100
TAGS_MAX = 50
REASON_MAX = 500
# What the platform sets on its own datasets from the module registry (services.platform):
# changed by hand, it would be overwritten by the next regeneration.
PLATFORM_OWNED_FIELDS = frozenset({"name", "title", "notes", "license_id", "frequency"})


# --- the DataStore's entry point ------------------------------------------------------------


def _version_added(version: ResourceVersion) -> None:
    """Called once for every new version of a tabular resource (CSV, XLSX), inside the
    transaction that saved it: the DataStore's single entry point (the load is enqueued
    when that transaction commits)."""
    from hromada.opendata.datastore import schedule_load

    schedule_load(version)


# --- validation -----------------------------------------------------------------------------


def _clean_tags(hromada, tags: Iterable[str]) -> list[Tag]:
    if isinstance(tags, str):
        tags = [t for t in tags.split(",")]
    names: list[str] = []
    for raw in tags:
        name = " ".join(str(raw or "").split())
        if not name:
            continue
        clean_line(name, field="tags", max_length=TAG_MAX, label=_("Теги"))
        if any(c in name for c in ",:\"'<>"):
            raise DomainError(
                "tag_invalid",
                _("Тег «%(t)s» містить недозволений знак (кома, двокрапка, лапки, < чи >).")
                % {"t": name[:50]},
                field="tags",
            )
        if name.lower() not in {n.lower() for n in names}:
            names.append(name)
    if len(names) > TAGS_MAX:
        raise DomainError("tags_too_many", _("Забагато тегів: до %(n)d.") % {"n": TAGS_MAX}, field="tags")
    out = []
    for name in names:
        tag, _created = Tag.objects.get_or_create(hromada=hromada, name=name)
        out.append(tag)
    return out


def _clean_groups(hromada, groups: Iterable) -> list[Group]:
    out: list[Group] = []
    for g in groups or ():
        if isinstance(g, Group):
            found = g if g.hromada_id == hromada.pk else None
        else:
            found = Group.objects.for_hromada(hromada).filter(name=str(g)).first()
        if found is None:
            raise DomainError(
                "group_unknown",
                _("Теми «%(g)s» немає.") % {"g": str(getattr(g, "name", g))[:100]},
                field="groups",
            )
        if found not in out:
            out.append(found)
    return out


def _clean_date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(
            "date_invalid",
            _("Дата «%(v)s» неправильна: потрібно РРРР-ММ-ДД.") % {"v": str(value)[:30]},
            field=field,
        ) from None


def _clean_fields(hromada, fields: dict) -> dict:
    """The model values of a dataset's editable fields (tags and groups as lists)."""
    out: dict = {}
    if "name" in fields:
        out["name"] = clean_name(fields["name"], code="dataset_name_invalid")
    if "title" in fields:
        out["title"] = clean_title(fields["title"])
    if "notes" in fields:
        out["notes"] = clean_text(fields["notes"], field="notes")
    if "license_id" in fields:
        value = fields["license_id"]
        if not value:
            settings = module_settings(hromada=hromada, label="opendata")
            value = (settings.default_license if settings else "") or DEFAULT_LICENCE
        if licence(value) is None:
            raise DomainError(
                "licence_unknown",
                _("Невідома ліцензія «%(l)s».") % {"l": str(value)[:40]},
                field="license_id",
            )
        out["license_id"] = value
    if "frequency" in fields:
        value = (fields["frequency"] or "").strip()
        if value and frequency(value) is None:
            raise DomainError(
                "frequency_unknown",
                _("Невідома частота оновлення «%(f)s».") % {"f": value[:60]},
                field="frequency",
            )
        out["frequency"] = value
    if "purpose" in fields:
        out["purpose"] = clean_line(fields["purpose"], field="purpose", max_length=512, label=_("Мета збору"))
    if "language" in fields:
        value = (fields["language"] or "uk").strip()
        if value not in LANGUAGES:
            raise DomainError(
                "language_unknown", _("Невідома мова «%(l)s».") % {"l": value[:10]}, field="language"
            )
        out["language"] = value
    if "maintainer" in fields:
        out["maintainer"] = clean_line(
            fields["maintainer"], field="maintainer", max_length=200, label=_("Відповідальна особа")
        )
    if "maintainer_email" in fields:
        out["maintainer_email"] = clean_email(fields["maintainer_email"], field="maintainer_email")
    if "spatial" in fields:
        out["spatial"] = clean_line(fields["spatial"], field="spatial", max_length=300, label=_("Територія"))
    if "temporal_start" in fields:
        out["temporal_start"] = _clean_date(fields["temporal_start"], "temporal_start")
    if "temporal_end" in fields:
        out["temporal_end"] = _clean_date(fields["temporal_end"], "temporal_end")
    if "tags" in fields:
        out["tags"] = _clean_tags(hromada, fields["tags"] or ())
    if "groups" in fields:
        out["groups"] = _clean_groups(hromada, fields["groups"] or ())
    return out


def _check_period(start, end) -> None:
    if start and end and start > end:
        raise DomainError(
            "temporal_order", _("Дата початку даних пізніша за дату кінця."), field="temporal_end"
        )


def _name_taken(name: str) -> DomainError:
    return DomainError(
        "dataset_name_taken",
        _("Набір з адресою «%(n)s» уже є: оберіть іншу.") % {"n": name},
        field="name",
        status=409,
    )


def _check_publisher(hromada, publisher: Publisher) -> None:
    if publisher.hromada_id != hromada.pk:
        raise DomainError("publisher_unknown", _("Такого розпорядника немає."), field="publisher", status=404)
    if publisher.kind == PublisherKind.PLATFORM:
        raise DomainError(
            "platform_dataset",
            _("Набори розпорядника «%(p)s» створює лише сама платформа з даних своїх модулів.")
            % {"p": publisher.title},
            field="publisher",
            status=409,
        )
    if not publisher.active:
        raise DomainError(
            "publisher_inactive",
            _("Розпорядник «%(p)s» неактивний.") % {"p": publisher.title},
            field="publisher",
        )


def platform_refusal(dataset: Dataset, *, what: str = "resources") -> DomainError | None:
    """Why a platform dataset, regenerated from its module's data (services.platform),
    may not have its resources ("resources"), publication ("state") or registry-given
    texts ("fields") edited by hand; None for a publisher's own dataset."""
    if dataset.source != DatasetSource.PLATFORM:
        return None
    module = registry.get(dataset.module_label)
    module_name = str(module.name) if module else dataset.module_label
    if what == "state":
        message = _(
            "Цей набір публікує сама платформа з даних модуля «%(m)s»: він оприлюднений, доки модуль "
            "увімкнено, і знімається, коли модуль вимикають."
        )
    elif what == "fields":
        message = _(
            "Назву, опис, адресу, ліцензію й частоту оновлення цього набору бере платформа з модуля "
            "«%(m)s»: вручну їх не змінюють."
        )
    else:
        message = _(
            "Цей набір публікує сама платформа з даних модуля «%(m)s»: його ресурси оновлюються "
            "автоматично, вручну їх не додають і не змінюють."
        )
    return DomainError("platform_dataset", message % {"m": module_name}, status=409)


def _refuse_platform(dataset: Dataset, *, what: str = "resources") -> None:
    refusal = platform_refusal(dataset, what=what)
    if refusal is not None:
        raise refusal


# --- ledger payloads ------------------------------------------------------------------------


def _ledger_base(dataset: Dataset, actor) -> dict:
    return {
        "dataset": str(dataset.public_id),
        "name": dataset.name,
        "title": dataset.title,
        "publisher": dataset.publisher.name,
    }


def _resources_record(dataset: Dataset) -> list[dict]:
    out = []
    for r in dataset.resources.select_related("current").order_by("position", "created_at"):
        item: dict[str, object] = {"resource": str(r.public_id), "name": r.name, "format": r.format}
        if r.current is not None:
            item.update({"version": r.current.number, "sha256": r.current.sha256, "size": r.current.size})
        else:
            item["url"] = r.url
        out.append(item)
    return out


# --- datasets -------------------------------------------------------------------------------


def dataset_create(
    hromada,
    actor,
    publisher: Publisher,
    *,
    name: str,
    title: str,
    notes: str = "",
    tags: Iterable[str] = (),
    groups: Iterable = (),
    license_id: str | None = None,
    frequency: str = "",
    purpose: str = "",
    language: str = "uk",
    maintainer: str = "",
    maintainer_email: str = "",
    spatial: str = "",
    temporal_start=None,
    temporal_end=None,
    publish: bool = False,
) -> Dataset:
    _check_publisher(hromada, publisher)
    require_publisher(actor, publisher)
    values = _clean_fields(
        hromada,
        {
            "name": name,
            "title": title,
            "notes": notes,
            "license_id": license_id,
            "frequency": frequency,
            "purpose": purpose,
            "language": language,
            "maintainer": maintainer,
            "maintainer_email": maintainer_email,
            "spatial": spatial,
            "temporal_start": temporal_start,
            "temporal_end": temporal_end,
        },
    )
    _check_period(values["temporal_start"], values["temporal_end"])
    if Dataset.objects.for_hromada(hromada).filter(name=values["name"]).exists():
        raise _name_taken(values["name"])
    try:
        with transaction.atomic():
            tag_rows = _clean_tags(hromada, tags)
            group_rows = _clean_groups(hromada, groups)
            now = timezone.now()
            dataset = Dataset.objects.create(
                hromada=hromada,
                publisher=publisher,
                source=DatasetSource.MANUAL,
                metadata_modified=now,
                **values,
            )
            dataset.tags.set(tag_rows)
            dataset.groups.set(group_rows)
            touch(dataset, when=now)
            if publish:
                _publish(dataset, actor)
    except IntegrityError:  # a concurrent create of the same name
        raise _name_taken(values["name"]) from None
    return dataset


def dataset_update(dataset: Dataset, actor, **fields) -> Dataset:
    """Change the fields named (dataset_create's names; tags and groups replace)."""
    require_publisher(actor, dataset.publisher)
    unknown = set(fields) - DATASET_FIELDS
    if unknown:
        raise DomainError(
            "field_unknown", _("Невідомі поля набору: %(f)s.") % {"f": ", ".join(sorted(unknown))[:200]}
        )
    hromada = dataset.hromada
    values = _clean_fields(hromada, fields)
    with transaction.atomic():
        dataset = Dataset.objects.select_for_update().select_related("publisher").get(pk=dataset.pk)
        if "name" in values and values["name"] != dataset.name:
            if (
                Dataset.objects.for_hromada(hromada)
                .filter(name=values["name"])
                .exclude(pk=dataset.pk)
                .exists()
            ):
                raise _name_taken(values["name"])
            if dataset.state != DatasetState.DRAFT:
                # Harvesters and links know a published dataset by its address.
                raise DomainError(
                    "dataset_name_fixed",
                    _("Адресу оприлюдненого набору не змінюють: за нею його знаходять інші системи."),
                    field="name",
                    status=409,
                )
        if any(k in PLATFORM_OWNED_FIELDS and getattr(dataset, k) != v for k, v in values.items()):
            _refuse_platform(dataset, what="fields")
        tags = values.pop("tags", None)
        groups = values.pop("groups", None)
        _check_period(
            values.get("temporal_start", dataset.temporal_start),
            values.get("temporal_end", dataset.temporal_end),
        )
        changed = sorted(k for k, v in values.items() if getattr(dataset, k) != v)
        for key, value in values.items():
            setattr(dataset, key, value)
        dataset.save()
        if tags is not None:
            if {t.pk for t in tags} != set(dataset.tags.values_list("pk", flat=True)):
                changed.append("tags")
            dataset.tags.set(tags)
        if groups is not None:
            if {g.pk for g in groups} != set(dataset.groups.values_list("pk", flat=True)):
                changed.append("groups")
            dataset.groups.set(groups)
        if not changed:
            return dataset
        touch(dataset)
        if dataset.state != DatasetState.DRAFT:
            ledger_append(
                hromada=hromada,
                kind="opendata.dataset_updated",
                payload={**_ledger_base(dataset, actor), "changed": sorted(changed)},
            )
    return dataset


def _publish(dataset: Dataset, actor) -> None:
    now = timezone.now()
    dataset.state = DatasetState.PUBLISHED
    dataset.published_at = dataset.published_at or now
    dataset.withdrawn_reason = ""
    dataset.save(update_fields=["state", "published_at", "withdrawn_reason", "updated_at"])
    touch(dataset, when=now)
    ledger_append(
        hromada=dataset.hromada,
        kind="opendata.dataset_published",
        payload={
            **_ledger_base(dataset, actor),
            "license_id": dataset.license_id,
            "resources": _resources_record(dataset),
        },
    )


def dataset_publish(dataset: Dataset, actor) -> Dataset:
    """Publish a draft, or put a withdrawn dataset back."""
    require_publisher(actor, dataset.publisher)
    with transaction.atomic():
        dataset = Dataset.objects.select_for_update().select_related("publisher").get(pk=dataset.pk)
        _refuse_platform(dataset, what="state")
        if dataset.state == DatasetState.PUBLISHED:
            raise DomainError("dataset_already_published", _("Набір уже оприлюднено."), status=409)
        _publish(dataset, actor)
    return dataset


def dataset_withdraw(dataset: Dataset, actor, reason: str) -> Dataset:
    """Take a published dataset down; its page answers 410 with the reason."""
    require_publisher(actor, dataset.publisher)
    reason = clean_line(reason, field="reason", max_length=REASON_MAX, required=True, label=_("Причина"))
    with transaction.atomic():
        dataset = Dataset.objects.select_for_update().select_related("publisher").get(pk=dataset.pk)
        _refuse_platform(dataset, what="state")
        if dataset.state != DatasetState.PUBLISHED:
            raise DomainError("dataset_not_published", _("Зняти можна лише оприлюднений набір."), status=409)
        _withdraw(dataset, actor, reason)
    return dataset


def _withdraw(dataset: Dataset, actor, reason: str) -> None:
    """Withdraw a published dataset (locked by the caller) with its ledger entry."""
    dataset.state = DatasetState.WITHDRAWN
    dataset.withdrawn_reason = reason
    dataset.save(update_fields=["state", "withdrawn_reason", "updated_at"])
    touch(dataset)
    ledger_append(
        hromada=dataset.hromada,
        kind="opendata.dataset_withdrawn",
        payload={**_ledger_base(dataset, actor), "reason": reason},
    )


# --- resources and their versions -----------------------------------------------------------


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _store_version(resource: Resource, actor, upload, checked, note: str) -> ResourceVersion:
    """The next version of `resource` (called with the resource row locked)."""
    number = (resource.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    stem = slugify(os.path.splitext(checked.original_name)[0])[:60] or "resource"
    version = ResourceVersion(
        hromada=resource.hromada,
        resource=resource,
        number=number,
        original_name=checked.original_name,
        mimetype=checked.mimetype,
        size=upload.size,
        sha256=_sha256(upload),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )
    upload.seek(0)
    version.file.save(f"{stem}-v{number}{checked.extension}", File(upload), save=False)
    version.save()
    now = timezone.now()
    resource.current = version
    resource.last_modified = now
    resource.save(update_fields=["current", "last_modified", "updated_at"])
    if checked.format.tabular:
        _version_added(version)
    return version


def _version_ledger(resource: Resource, version: ResourceVersion, actor) -> None:
    dataset = resource.dataset
    if dataset.state == DatasetState.DRAFT:
        return
    ledger_append(
        hromada=resource.hromada,
        kind="opendata.resource_version",
        payload={
            **_ledger_base(dataset, actor),
            "resource": str(resource.public_id),
            "resource_name": resource.name,
            "format": resource.format,
            "version": version.number,
            "sha256": version.sha256,
            "size": version.size,
            "note": version.note,
        },
    )


def resource_create(
    dataset: Dataset,
    actor,
    *,
    name: str,
    upload=None,
    url: str = "",
    format: str = "",
    description: str = "",
) -> Resource:
    """A file (its first version) or a link to data kept elsewhere — exactly one."""
    require_publisher(actor, dataset.publisher)
    _refuse_platform(dataset)
    return _resource_create(
        dataset, actor, name=name, upload=upload, url=url, format=format, description=description
    )


def _resource_create(
    dataset: Dataset, actor, *, name: str, upload=None, url: str = "", format: str = "", description: str = ""
) -> Resource:
    """resource_create once the actor may: also the platform's own way in (actor None)."""
    url = clean_url(url, field="url")
    if upload is None and not url:
        raise DomainError(
            "resource_source_required", _("Завантажте файл або вкажіть посилання."), field="upload"
        )
    if upload is not None and url:
        raise DomainError("resource_source_both", _("Або файл, або посилання: не обидва разом."), field="url")
    format = (format or "").strip().upper()
    checked = None
    if upload is not None:
        checked = check_resource_upload(upload, declared=format)
        format = checked.format.code
    elif format and format_of(format) is None:
        raise DomainError(
            "format_unknown", _("Невідомий формат «%(f)s».") % {"f": format[:20]}, field="format"
        )
    name = (name or "").strip()
    if not name and checked is not None:
        name = os.path.splitext(checked.original_name)[0]
    name = clean_line(name, field="name", max_length=TITLE_MAX, required=True, label=_("Назва"))
    description = clean_text(description, field="description")
    with transaction.atomic():
        dataset = Dataset.objects.select_for_update().select_related("publisher").get(pk=dataset.pk)
        position = (dataset.resources.aggregate(p=Max("position"))["p"] or 0) + 1
        resource = Resource.objects.create(
            hromada=dataset.hromada,
            dataset=dataset,
            name=name,
            description=description,
            format=format,
            url=url,
            position=position,
            last_modified=timezone.now() if url else None,
        )
        if upload is not None:
            version = _store_version(resource, actor, upload, checked, note="")
            _version_ledger(resource, version, actor)
        elif dataset.state != DatasetState.DRAFT:
            ledger_append(
                hromada=dataset.hromada,
                kind="opendata.dataset_updated",
                payload={
                    **_ledger_base(dataset, actor),
                    "changed": ["resources"],
                    "resource": str(resource.public_id),
                    "url": url,
                },
            )
        touch(dataset)
    return resource


def resource_upload_version(resource: Resource, actor, upload, note: str = "") -> ResourceVersion:
    """A new file for `resource`, in its format; the old versions stay downloadable."""
    dataset = resource.dataset
    require_publisher(actor, dataset.publisher)
    _refuse_platform(dataset)
    return _resource_upload_version(resource, actor, upload, note=note)


def _resource_upload_version(resource: Resource, actor, upload, note: str = "") -> ResourceVersion:
    """resource_upload_version once the actor may: also the platform's own way in."""
    if upload is None:
        raise DomainError("upload_required", _("Оберіть файл нової версії."), field="upload")
    if resource.url:
        raise DomainError(
            "resource_is_link",
            _("Це посилання на дані деінде: нову версію файлу до нього не додають."),
            status=409,
        )
    note = clean_line(note, field="note", max_length=300, label=_("Що змінилося"))
    checked = check_resource_upload(upload, declared=resource.format)
    with transaction.atomic():
        dataset = Dataset.objects.select_for_update().select_related("publisher").get(pk=resource.dataset_id)
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        resource.dataset = dataset
        _refuse_withdrawn(resource)
        version = _store_version(resource, actor, upload, checked, note=note)
        _version_ledger(resource, version, actor)
        touch(dataset)
    return version


RESOURCE_FIELDS = frozenset({"name", "description", "format", "url"})


def resource_update(resource: Resource, actor, **fields) -> Resource:
    """Change a resource's name and description; a link's address and format too (a
    file's format is its content's, checked on upload, and a file has no address)."""
    dataset = resource.dataset
    require_publisher(actor, dataset.publisher)
    unknown = set(fields) - RESOURCE_FIELDS
    if unknown:
        raise DomainError(
            "field_unknown", _("Невідомі поля ресурсу: %(f)s.") % {"f": ", ".join(sorted(unknown))[:200]}
        )
    values: dict[str, str] = {}
    if "name" in fields:
        values["name"] = clean_line(
            fields["name"], field="name", max_length=TITLE_MAX, required=True, label=_("Назва")
        )
    if "description" in fields:
        values["description"] = clean_text(fields["description"], field="description")
    if not resource.url and ({"url", "format"} & set(fields)):
        raise DomainError(
            "resource_is_file",
            _("Формат файлу визначає його вміст, а посилання файл не має: змініть файл новою версією."),
            field="format" if "format" in fields else "url",
            status=409,
        )
    if "url" in fields:
        values["url"] = clean_url(fields["url"], field="url")
        if not values["url"]:
            raise DomainError("resource_url_required", _("Вкажіть посилання на дані."), field="url")
    if "format" in fields:
        fmt = (fields["format"] or "").strip().upper()
        if fmt and format_of(fmt) is None:
            raise DomainError(
                "format_unknown", _("Невідомий формат «%(f)s».") % {"f": fmt[:20]}, field="format"
            )
        values["format"] = fmt
    with transaction.atomic():
        dataset = Dataset.objects.select_for_update().select_related("publisher").get(pk=dataset.pk)
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        resource.dataset = dataset
        _refuse_withdrawn(resource)
        changed = sorted(k for k, v in values.items() if getattr(resource, k) != v)
        if not changed:
            return resource
        for key in changed:
            setattr(resource, key, values[key])
        if "url" in changed:
            resource.last_modified = timezone.now()  # a link's data is what it points to
        resource.save()
        touch(dataset)
        if dataset.state != DatasetState.DRAFT:
            ledger_append(
                hromada=dataset.hromada,
                kind="opendata.dataset_updated",
                payload={
                    **_ledger_base(dataset, actor),
                    "changed": ["resources"],
                    "resource": str(resource.public_id),
                    "resource_changed": changed,
                },
            )
    return resource


def _refuse_withdrawn(resource: Resource) -> None:
    if resource.withdrawn_at is not None:
        raise DomainError("resource_withdrawn", _("Цей ресурс знято: змінювати його не можна."), status=409)


def resource_withdraw(resource: Resource, actor, reason: str) -> Resource:
    """Take a resource down with a reason: it is no longer listed, served or searched
    (its DataStore table neither), its versions and their files stay."""
    dataset = resource.dataset
    require_publisher(actor, dataset.publisher)
    reason = clean_line(reason, field="reason", max_length=REASON_MAX, required=True, label=_("Причина"))
    with transaction.atomic():
        dataset = Dataset.objects.select_for_update().select_related("publisher").get(pk=dataset.pk)
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        resource.dataset = dataset
        _refuse_withdrawn(resource)
        resource.withdrawn_at = timezone.now()
        resource.withdrawn_reason = reason
        resource.datastore_active = False
        resource.save(update_fields=["withdrawn_at", "withdrawn_reason", "datastore_active", "updated_at"])
        touch(dataset)
        if dataset.state != DatasetState.DRAFT:
            ledger_append(
                hromada=dataset.hromada,
                kind="opendata.dataset_updated",
                payload={
                    **_ledger_base(dataset, actor),
                    "changed": ["resources"],
                    "resource": str(resource.public_id),
                    "resource_withdrawn": reason,
                },
            )
    return resource


# --- downloads ------------------------------------------------------------------------------


def resource_download_count(resource: Resource, *, day: dt.date | None = None) -> None:
    """One more download of `resource` today: a per-day counter and the resource's
    total, both incremented in the database (F()), never a row per request."""
    day = day or timezone.localdate()
    with transaction.atomic():
        updated = DownloadDay.objects.filter(resource=resource, day=day).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    DownloadDay.objects.create(
                        hromada_id=resource.hromada_id, resource=resource, day=day, count=1
                    )
            except IntegrityError:  # another request created today's row first
                DownloadDay.objects.filter(resource=resource, day=day).update(count=F("count") + 1)
        Resource.objects.filter(pk=resource.pk).update(downloads=F("downloads") + 1)
