"""A consultation's background documents: an uploaded file (PDF, office documents,
images) or a link; ordered; removed. Drafts change freely; once the consultation is
published, every document added or removed is ledgered (with the file's SHA-256), so
the public record shows what was put before people and when — a document added late
(an explanation, a corrected table) is allowed, but never silently."""

from __future__ import annotations

import hashlib
import os
import uuid
import zipfile
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError
from hromada.core.uploads import MB, check_upload
from hromada.ledger.services import ledger_append

from ..models import TITLE_MAX, Consultation, Document, Status
from .consultations import _require_manage

MAX_DOCUMENTS = 30
FILE_MAX_BYTES = 20 * MB
# The kernel's check_upload knows PDF and images by their content; office documents
# (OOXML and OpenDocument, both ZIP containers) are recognised here by their container's
# own manifest, never by the name alone.
KERNEL_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp"}
OFFICE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
ALLOWED_TEXT = "PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, JPEG, PNG, WebP"


def _office_type(upload) -> tuple[str, str] | None:
    """(content type, extension) of an OOXML/ODF upload, or None."""
    ext = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    if ext not in OFFICE_TYPES:
        return None
    upload.seek(0)
    if upload.read(4) != b"PK\x03\x04":
        upload.seek(0)
        return None
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if ext in ("docx", "xlsx", "pptx"):
                ok = "[Content_Types].xml" in names
            else:
                ok = (
                    "mimetype" in names
                    and archive.read("mimetype").decode("ascii", "replace").strip() == (OFFICE_TYPES[ext])
                )
    except (zipfile.BadZipFile, OSError, KeyError):
        ok = False
    finally:
        upload.seek(0)
    return (OFFICE_TYPES[ext], ext) if ok else None


def _check_file(upload) -> tuple[str, str]:
    if upload.size and upload.size <= FILE_MAX_BYTES:
        office = _office_type(upload)
        if office is not None:
            return office
    try:
        checked = check_upload(upload, allowed=KERNEL_TYPES, max_bytes=FILE_MAX_BYTES, field="file")
    except DomainError as exc:
        if exc.code == "file_type_not_allowed":
            raise DomainError(
                "file_type_not_allowed",
                _("Файл «%(name)s» має недозволений тип. Дозволено: %(types)s.")
                % {"name": upload.name, "types": ALLOWED_TEXT},
                field="file",
            ) from None
        raise
    return checked.content_type, checked.extension


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _editable(consultation: Consultation) -> None:
    if consultation.status == Status.CANCELLED:
        raise DomainError("cancelled", _("Консультацію скасовано: документи не змінюють."), status=409)


def _ledger(consultation: Consultation, event: str, document: Document, sha256: str = "") -> None:
    if consultation.status != Status.PUBLISHED:
        return
    ledger_append(
        hromada=consultation.hromada,
        kind="consultations.document_changed",
        payload={
            "consultation": str(consultation.public_id),
            "number": consultation.number,
            "event": event,
            "title": document.title,
            "url": document.url,
            "content_type": document.content_type,
            "size": document.size,
            "sha256": sha256,
        },
    )


def document_add(*, consultation: Consultation, actor, title: str, upload=None, url: str = "") -> Document:
    """A file or a link (exactly one), at the end of the list."""
    _require_manage(actor, consultation.hromada)
    _editable(consultation)
    title = (title or "").strip()
    if not title and upload is not None:
        title = os.path.splitext(os.path.basename(upload.name or ""))[0]
    if not title:
        raise DomainError("document_title_required", _("Вкажіть назву документа."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            "document_title_too_long",
            _("Назва документа задовга: до %(n)d знаків.") % {"n": TITLE_MAX},
            field="title",
        )
    url = (url or "").strip()
    if (upload is None) == (not url):
        raise DomainError(
            "document_file_or_url",
            _("Додайте або файл, або посилання на документ (щось одне)."),
            field="file",
        )
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise DomainError(
                "document_url_invalid", _("Посилання має починатися з https:// або http://."), field="url"
            ) from None
    hromada = consultation.hromada
    if Document.objects.for_hromada(hromada).filter(consultation=consultation).count() >= MAX_DOCUMENTS:
        raise DomainError(
            "too_many_documents",
            _("До консультації можна додати не більше %(n)d документів.") % {"n": MAX_DOCUMENTS},
            field="file",
        )
    content_type, size, sha256 = "", 0, ""
    if upload is not None:
        content_type, ext = _check_file(upload)
        sha256 = _sha256(upload)
        size = upload.size
        upload.name = f"{uuid.uuid4().hex}.{ext}"
    with transaction.atomic():
        top = (
            Document.objects.for_hromada(hromada)
            .filter(consultation=consultation)
            .aggregate(n=Max("order"))["n"]
            or 0
        )
        document = Document.objects.create(
            hromada=hromada,
            consultation=consultation,
            title=title,
            file=upload or "",
            url=url,
            content_type=content_type,
            size=size,
            order=top + 1,
        )
        _ledger(consultation, "added", document, sha256)
    return document


def _documents(consultation: Consultation) -> list[Document]:
    return list(
        Document.objects.for_hromada(consultation.hromada)
        .filter(consultation=consultation)
        .order_by("order", "id")
    )


def document_move(*, consultation: Consultation, actor, document_id: int, up: bool) -> None:
    """Move a document one place up or down (renumbers 1…n)."""
    _require_manage(actor, consultation.hromada)
    _editable(consultation)
    with transaction.atomic():
        Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
        rows = _documents(consultation)
        index = next((i for i, d in enumerate(rows) if d.pk == document_id), None)
        if index is None:
            raise DomainError("document_not_found", _("Такого документа немає."), status=404)
        other = index - 1 if up else index + 1
        if 0 <= other < len(rows):
            rows[index], rows[other] = rows[other], rows[index]
        for n, row in enumerate(rows, 1):
            if row.order != n:
                row.order = n
                row.save(update_fields=["order"])


def document_delete(*, consultation: Consultation, actor, document_id: int) -> None:
    _require_manage(actor, consultation.hromada)
    _editable(consultation)
    with transaction.atomic():
        document = (
            Document.objects.for_hromada(consultation.hromada)
            .filter(consultation=consultation, pk=document_id)
            .first()
        )
        if document is None:
            raise DomainError("document_not_found", _("Такого документа немає."), status=404)
        _ledger(consultation, "removed", document)
        if document.file:
            transaction.on_commit(partial(document.file.delete, save=False))
        document.delete()
