"""Fixtures and helpers the catalogue's tests share (no tests here): a publisher with
an editor, a dataset, uploads of each format."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hromada.accounts.tests.factories import staff_user
from hromada.opendata import services

CSV = "назва,сума\nОсвіта,1200.50\nКультура,300\n".encode()


def csv_file(name: str = "budget.csv", content: bytes = CSV) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def xlsx_file(name: str = "table.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def pdf_file(name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


@pytest.fixture
def publisher(hromada, hromada_admin):
    return services.publisher_create(
        hromada, hromada_admin, name="finance", title="Фінансове управління", identifier="12345678"
    )


@pytest.fixture
def editor(hromada, publisher, hromada_admin):
    """An officer who edits for `publisher`."""
    user = staff_user(hromada, "officer")
    services.publisher_member_add(publisher, hromada_admin, user)
    return user


@pytest.fixture
def dataset(hromada, publisher, editor):
    return services.dataset_create(
        hromada,
        editor,
        publisher,
        name="budget-2026",
        title="Бюджет громади на 2026 рік",
        notes="Доходи й видатки",
        tags=["бюджет", "фінанси"],
        frequency="Щороку",
    )
