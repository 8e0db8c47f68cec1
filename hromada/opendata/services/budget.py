"""The open budget's import (ADR 0009 decision 11, docs/opendata-budget.md): a file
exported from openbudget.gov.ua, read by openbudget.py, becomes a version of one
resource of the `budget-<year>` dataset — through the catalogue's own services, so the
DataStore loads it and the ledger records it like any other upload.

What is uploaded is the file's lines in one published shape (UTF-8, fixed headings,
codes as text, amounts in hryvnias with a decimal point): the explorer and anyone
using the DataStore query the same columns whatever the source file looked like.

A file that cannot be read at all, or that has no readable line, is refused before
anything is written: the published version stays as it was. Rows that cannot be read
are reported one by one and the rest are imported."""

from __future__ import annotations

import os

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError
from hromada.core.opendata import csv_table_stream
from hromada.ledger.services import ledger_append

from .. import openbudget
from ..models import BudgetImport, BudgetKind, Dataset, Publisher
from ._common import require_publisher
from .catalogue import dataset_create, dataset_publish, resource_create, resource_upload_version
from .uploads import check_resource_upload

YEAR_MIN, YEAR_MAX = 2000, 2100


def budget_dataset_name(year: int) -> str:
    return f"budget-{year}"


def resource_title(kind: str) -> str:
    titles: dict[str, str] = {
        BudgetKind.REVENUES: _("Доходи бюджету"),
        BudgetKind.PROGRAMME: _("Видатки за програмами (КПКВК)"),
        BudgetKind.ECONOMIC: _("Видатки за економічною класифікацією (КЕКВ)"),
    }
    return titles[kind]


def _clean_year(year) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = 0
    if not YEAR_MIN <= value <= YEAR_MAX:
        raise DomainError(
            "budget_year",
            _("Рік має бути числом від %(a)d до %(b)d.") % {"a": YEAR_MIN, "b": YEAR_MAX},
            field="year",
        )
    return value


def _clean_kind(kind) -> str:
    if kind not in BudgetKind.values:
        raise DomainError("budget_kind", _("Оберіть, що містить файл: доходи чи видатки."), field="kind")
    return kind


def _published_file(parsed: openbudget.Parsed, year: int, kind: str) -> ContentFile:
    text = "".join(csv_table_stream(parsed.header(), [parsed.table()], lineterminator="\n"))
    return ContentFile(text.encode("utf-8"), name=f"budget-{year}-{kind}.csv")


def _dataset_for(hromada, actor, year: int, publisher: Publisher | None) -> tuple[Dataset, bool]:
    existing = (
        Dataset.objects.for_hromada(hromada)
        .select_related("publisher")
        .filter(name=budget_dataset_name(year))
        .first()
    )
    if existing is not None:
        require_publisher(actor, existing.publisher)
        return existing, False
    if publisher is None:
        raise DomainError(
            "budget_publisher", _("Оберіть розпорядника, який оприлюднює бюджет."), field="publisher"
        )
    made = dataset_create(
        hromada,
        actor,
        publisher,
        name=budget_dataset_name(year),
        title=_("Бюджет громади на %(y)d рік: план і виконання") % {"y": year},
        notes=_(
            "Доходи за кодами класифікації доходів, видатки за програмами (КПКВК), функціями (КФКВК) і "
            "економічною класифікацією (КЕКВ): план на рік і виконання, за місяцями. Завантажено з "
            "вивантажень «Відкритого бюджету» (openbudget.gov.ua)."
        ),
        tags=["бюджет", "доходи", "видатки", "відкритий бюджет"],
        frequency="Щомісяця",
        purpose=_(
            "Оприлюднення бюджету громади та звітів про його виконання (Бюджетний кодекс України, ст. 28)"
        ),
        temporal_start=f"{year}-01-01",
        temporal_end=f"{year}-12-31",
    )
    return made, True


def budget_import(
    hromada,
    year,
    kind,
    file,
    user,
    *,
    publisher: Publisher | None = None,
    cumulative: bool = False,
    note: str = "",
) -> BudgetImport:
    """Import `file` as the `kind` table of `year`'s budget. The dataset is made (by
    `publisher`) and published the first time; later imports add versions. Returns the
    import with its per-row report; DomainError when nothing could be imported."""
    year = _clean_year(year)
    kind = _clean_kind(kind)
    if file is None:
        raise DomainError("upload_required", _("Оберіть файл."), field="file")
    if publisher is not None and publisher.hromada_id != hromada.pk:
        raise DomainError("budget_publisher", _("Такого розпорядника немає."), field="publisher")
    try:
        checked = check_resource_upload(file)
    except DomainError as exc:
        raise DomainError(exc.code, exc.message, field="file", status=exc.status) from None
    if not checked.format.tabular:
        raise DomainError(
            "budget_format",
            _("Потрібен файл CSV (або XLSX) з вивантаження «Відкритого бюджету»."),
            field="file",
        )
    file.seek(0)
    try:
        parsed = openbudget.parse(file, kind, year=year, cumulative=cumulative)
    except openbudget.BadFile as exc:
        raise DomainError("budget_file", str(exc), field="file") from None
    name = os.path.basename(file.name or "")[:200]
    with transaction.atomic():
        dataset, created = _dataset_for(hromada, user, year, publisher)
        previous = (
            BudgetImport.objects.for_hromada(hromada)
            .filter(year=year, kind=kind, resource__dataset=dataset)
            .select_related("resource")
            .first()
        )
        upload = _published_file(parsed, year, kind)
        change = note or _("Завантажено файл «%(name)s»: %(n)d рядків") % {
            "name": name,
            "n": len(parsed.lines),
        }
        if previous is None:
            resource = resource_create(
                dataset,
                user,
                name=resource_title(kind),
                upload=upload,
                description=_(
                    "Рядки бюджету з файлу «%(name)s» у єдиному форматі: коди як текст, суми в гривнях."
                )
                % {"name": name},
            )
            version = resource.current
        else:
            resource = previous.resource
            version = resource_upload_version(resource, user, upload, note=change[:300])
        totals = parsed.totals()
        record = BudgetImport.objects.create(
            hromada=hromada,
            year=year,
            kind=kind,
            dataset=dataset,
            resource=resource,
            version=version,
            imported_by=user if getattr(user, "is_authenticated", False) else None,
            original_name=name,
            encoding=parsed.encoding,
            rows_read=parsed.rows_read,
            lines=len(parsed.lines),
            skipped=parsed.skipped,
            refused=parsed.problems_total,
            problems=parsed.problems,
            notes=parsed.notes,
        )
        ledger_append(
            hromada=hromada,
            kind="opendata.budget_imported",
            payload={
                "dataset": str(dataset.public_id),
                "resource": str(resource.public_id),
                "year": year,
                "kind": kind,
                "version": version.number if version else None,
                "sha256": version.sha256 if version else "",
                "lines": len(parsed.lines),
                "refused": parsed.problems_total,
                "plan_year": str(totals["plan_year"]),
                "executed": str(totals["executed"]),
            },
        )
        if created:
            dataset_publish(dataset, user)
    return record
