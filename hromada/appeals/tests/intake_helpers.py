"""Helpers of the intake part's tests: images, a drawn boundary, attributes."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from hromada.appeals.models import AttributeType, CategoryAttribute
from hromada.appeals.tests.factories import LAT, LON

# A point clearly outside the boundary drawn by draw_boundary.
OUT_LAT, OUT_LON = LAT + 0.5, LON + 0.5


def image(name: str = "photo.png", fmt: str = "PNG", size=(8, 8)) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, format=fmt)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def not_an_image(name: str = "photo.png") -> SimpleUploadedFile:
    """A file that calls itself a PNG but is text."""
    return SimpleUploadedFile(name, b"hello, this is not an image at all", content_type="image/png")


def draw_boundary(hromada, *, lat: float = LAT, lon: float = LON, half: float = 0.05):
    from hromada.places import services
    from hromada.places.tests.geo_fixtures import square

    return services.area_save(
        actor=None,
        hromada=hromada,
        kind="boundary",
        name="Межа громади",
        geometry_value=square(lon, lat, half),
    )


def pole_attribute(category, *, required: bool = True) -> CategoryAttribute:
    return CategoryAttribute.objects.create(
        hromada_id=category.hromada_id,
        category=category,
        code="pole",
        description="Номер опори",
        datatype=AttributeType.STRING,
        required=required,
    )
