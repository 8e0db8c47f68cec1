"""An uploaded resource file checked by its content against the format it claims.

The kernel's check_upload knows PDF by its signature; the data formats are text or ZIP
containers, recognised here: a ZIP container by its signature and, for OOXML and
OpenDocument, its manifest; text formats by decoding (UTF-8 or cp1251, no NUL bytes)
and, for JSON and XML, by their first character."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError
from hromada.core.formats import filesize
from hromada.core.uploads import MB, check_upload

from ..vocabularies import FORMATS, Format, format_from_name, format_of

# A 1,000,000-row CSV is about 100 MB; the DataStore streams it, so the limit is the disk's.
UPLOAD_MAX_BYTES = 200 * MB
HEAD = 64 * 1024  # what the text checks read


def upload_max_bytes() -> int:
    return int(getattr(settings, "OPENDATA_UPLOAD_MAX_BYTES", UPLOAD_MAX_BYTES))


@dataclass(frozen=True)
class CheckedUpload:
    format: Format
    mimetype: str
    original_name: str
    extension: str


def _refuse(upload, fmt: Format | None) -> DomainError:
    if fmt is None:
        return DomainError(
            "upload_format",
            _("Файл «%(name)s» має формат, якого портал не приймає. Можна: %(all)s.")
            % {"name": upload.name, "all": ", ".join(f.code for f in FORMATS)},
            field="upload",
        )
    return DomainError(
        "upload_format",
        _("Вміст файлу «%(name)s» не схожий на %(fmt)s.") % {"name": upload.name, "fmt": fmt.code},
        field="upload",
    )


def _head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    return head


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            # The head may cut a multi-byte character in two.
            if encoding == "utf-8-sig" and exc.start >= len(head) - 3:
                return True
    return False


def _first_char(head: bytes) -> str:
    text = head.decode("utf-8-sig", "ignore").lstrip()
    return text[:1]


def _zip_ok(upload, fmt: Format) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if fmt.code in ("XLSX", "DOCX"):
                return "[Content_Types].xml" in names
            if fmt.code == "ODS":
                return (
                    "mimetype" in names
                    and archive.read("mimetype").decode("ascii", "replace").strip() == (fmt.mimetypes[0])
                )
            return True
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return False
    finally:
        upload.seek(0)


def check_resource_upload(upload, *, declared: str = "") -> CheckedUpload:
    """The upload's format (from `declared`, else the file's extension) and mimetype;
    DomainError upload_empty / upload_too_large / upload_format otherwise."""
    name = os.path.basename(upload.name or "")
    if not upload.size:
        raise DomainError("upload_empty", _("Файл «%(name)s» порожній.") % {"name": name}, field="upload")
    limit = upload_max_bytes()
    if upload.size > limit:
        raise DomainError(
            "upload_too_large",
            _("Файл «%(name)s» завеликий: %(size)s, можна до %(max)s.")
            % {"name": name, "size": filesize(upload.size), "max": filesize(limit)},
            field="upload",
            status=413,
        )
    fmt = format_of(declared) if declared else format_from_name(name)
    if fmt is None and declared:
        raise DomainError(
            "format_unknown",
            _("Невідомий формат «%(f)s». Можна: %(all)s.")
            % {"f": declared[:20], "all": ", ".join(f.code for f in FORMATS)},
            field="format",
        )
    if fmt is None:
        raise _refuse(upload, None)
    named = format_from_name(name)
    if declared and named is not None and named != fmt:
        raise DomainError(
            "upload_format",
            _("Файл «%(name)s» має формат %(got)s, а потрібен %(fmt)s.")
            % {"name": name, "got": named.code, "fmt": fmt.code},
            field="upload",
        )
    head = _head(upload)
    if fmt.code == "PDF":
        try:
            check_upload(upload, allowed={"application/pdf"}, max_bytes=limit, field="upload")
        except DomainError:
            raise _refuse(upload, fmt) from None
        ok = True
    elif fmt.code in ("XLSX", "DOCX", "ODS", "ZIP"):
        ok = head.startswith(b"PK\x03\x04") and _zip_ok(upload, fmt)
    else:
        # Text, and not a known binary signature that cp1251 would decode as well.
        ok = _is_text(head) and not head.startswith((b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff"))
        if ok and fmt.code in ("JSON", "GEOJSON"):
            ok = _first_char(head) in ("{", "[")
        elif ok and fmt.code in ("XML", "HTML"):
            ok = _first_char(head) == "<"
    if not ok:
        raise _refuse(upload, fmt)
    ext = os.path.splitext(name)[1].lower()
    if ext not in fmt.extensions:
        ext = fmt.extensions[0]
    return CheckedUpload(format=fmt, mimetype=fmt.mimetypes[0], original_name=name[:200], extension=ext)
