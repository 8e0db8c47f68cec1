"""Validation of uploaded files by their content, not by the name or the
browser-declared type."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .formats import filesize

MB = 1024 * 1024

# How a refusal names each type: the message lists exactly the types the refusing rule
# allows, in this order, so it can never promise a type the rule does not take.
TYPE_NAMES: dict[str, str] = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WebP",
    "application/pdf": "PDF",
}


def allowed_types_text(allowed: set[str] | frozenset[str]) -> str:
    """'JPEG, PNG, WebP, PDF' for the given content types (a known order, unknown ones last)."""
    known = [name for ctype, name in TYPE_NAMES.items() if ctype in allowed]
    unknown = sorted(ctype for ctype in allowed if ctype not in TYPE_NAMES)
    return ", ".join(known + unknown)


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str


_SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]


def sniff(head: bytes) -> CheckedFile | None:
    for magic, content_type, ext in _SIGNATURES:
        if head.startswith(magic):
            return CheckedFile(content_type, ext)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return CheckedFile("image/webp", "webp")
    return None


def check_upload(upload, *, allowed: set[str], max_bytes: int, field: str) -> CheckedFile:
    """Raise DomainError unless `upload` is one of `allowed` types and not too large."""
    if upload.size == 0:
        raise DomainError("file_empty", _("Файл «%(name)s» порожній.") % {"name": upload.name}, field=field)
    if upload.size > max_bytes:
        raise DomainError(
            "file_too_large",
            _("Файл «%(name)s» завеликий: %(size)s, дозволено до %(max)s.")
            % {"name": upload.name, "size": filesize(upload.size), "max": filesize(max_bytes)},
            field=field,
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    checked = sniff(head)
    if checked is None or checked.content_type not in allowed:
        raise DomainError(
            "file_type_not_allowed",
            _("Файл «%(name)s» має недозволений тип. Дозволено: %(types)s.")
            % {"name": upload.name, "types": allowed_types_text(allowed)},
            field=field,
        )
    if checked.content_type.startswith("image/"):
        _verify_image(upload, field)
    return checked


def _verify_image(upload, field: str) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise DomainError(
            "file_corrupt", _("Зображення «%(name)s» пошкоджене.") % {"name": upload.name}, field=field
        )
    finally:
        upload.seek(0)
