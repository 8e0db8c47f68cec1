"""Submitting petitions, and the categories they are filed under.

A petition's content is checked by one function, `petition_check`, which reports every
problem at once (a person fixes the whole form in one go, not one error per attempt);
drafts are checked more gently (`strict=False`: limits, not completeness)."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts import rules as account_rules
from hromada.core.calendar import deadline_for
from hromada.core.errors import DomainError
from hromada.core.search import fold
from hromada.core.uploads import MB, check_upload
from hromada.tenancy.models import Hromada, IdentityLevel

from .. import rules
from ..models import ALT_TEXT_MAX, TEXT_MAX, TITLE_MAX, Attachment, Category, Petition, Status
from ..selectors import petition_settings
from ._common import _clean_text, _forbidden, _identity_of

TITLE_MIN = 10
TEXT_MIN = 50
MAX_ATTACHMENTS = 5
ATTACHMENT_MAX_BYTES = 5 * MB
ATTACHMENT_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


class PetitionInvalid(DomainError):
    """Every problem found in a petition. The code, message and field are the first
    problem's (the API's stable answer); `errors` holds them all (the form shows each
    by its field)."""

    def __init__(self, errors: list[DomainError]) -> None:
        first = errors[0]
        super().__init__(first.code, first.message, field=first.field, status=first.status)
        self.errors = errors


@dataclass
class Upload:
    """A file to attach, with the short description a screen reader reads for an image.
    `slot` names the form's pair of fields (file_<slot>, alt_<slot>) for errors."""

    file: Any
    alt_text: str = ""
    slot: int | None = None

    @property
    def file_field(self) -> str:
        return f"file_{self.slot}" if self.slot else "files"

    @property
    def alt_field(self) -> str:
        return f"alt_{self.slot}" if self.slot else "files"


@dataclass
class Checked:
    title: str
    text: str
    category: Category | None
    uploads: list[tuple[Upload, Any]]


def _as_uploads(files) -> list[Upload]:
    return [f if isinstance(f, Upload) else Upload(file=f) for f in (files or [])]


def petition_check(
    *,
    hromada: Hromada,
    title: str | None,
    text: str | None,
    category: Category | None,
    uploads: list[Upload] | None = None,
    kept_attachments: int = 0,
    strict: bool = True,
) -> Checked:
    """The petition's content, cleaned, or PetitionInvalid listing every problem."""
    errors: list[DomainError] = []

    def clean(value, field):
        try:
            return _clean_text(value, field=field)
        except DomainError as exc:
            errors.append(exc)
            return ""

    title = " ".join(clean(title, "title").split())
    text = clean(text, "text")
    if strict and not title and not any(e.field == "title" for e in errors):
        errors.append(DomainError("title_required", _("Вкажіть назву петиції."), field="title"))
    elif strict and title and len(title) < TITLE_MIN:
        errors.append(
            DomainError(
                "title_too_short",
                _("Назва занадто коротка: %(len)d символів, потрібно щонайменше %(n)d.")
                % {"len": len(title), "n": TITLE_MIN},
                field="title",
            )
        )
    if len(title) > TITLE_MAX:
        errors.append(
            DomainError(
                "title_too_long",
                _("Назва задовга: %(len)d символів, дозволено до %(max)d.")
                % {"len": len(title), "max": TITLE_MAX},
                field="title",
            )
        )
    if strict and len(text) < TEXT_MIN and not any(e.field == "text" for e in errors):
        errors.append(
            DomainError(
                "text_too_short",
                _(
                    "Текст петиції занадто короткий: %(len)d символів. Опишіть суть вимоги "
                    "(щонайменше %(n)d символів)."
                )
                % {"len": len(text), "n": TEXT_MIN},
                field="text",
            )
        )
    if len(text) > TEXT_MAX:
        errors.append(
            DomainError(
                "text_too_long",
                _("Текст задовгий: %(len)d символів, дозволено до %(max)d.")
                % {"len": len(text), "max": TEXT_MAX},
                field="text",
            )
        )
    if (category is None and strict) or (category is not None and category.hromada_id != hromada.pk):
        errors.append(DomainError("category_invalid", _("Оберіть категорію зі списку."), field="category"))
        category = None
    uploads = list(uploads or [])
    checked: list[tuple[Upload, Any]] = []
    if len(uploads) + kept_attachments > MAX_ATTACHMENTS:
        errors.append(
            DomainError(
                "too_many_files",
                _("Можна додати не більше %(n)d файлів.") % {"n": MAX_ATTACHMENTS},
                field="files" if uploads[0].slot is None else uploads[0].file_field,
            )
        )
    else:
        for upload in uploads:
            try:
                info = check_upload(
                    upload.file,
                    allowed=ATTACHMENT_TYPES,
                    max_bytes=ATTACHMENT_MAX_BYTES,
                    field=upload.file_field,
                )
            except DomainError as exc:
                errors.append(exc)
                continue
            alt = " ".join(clean(upload.alt_text, upload.alt_field).split())
            if info.content_type.startswith("image/") and not alt:
                errors.append(
                    DomainError(
                        "alt_text_required",
                        _(
                            "Опишіть зображення «%(name)s» кількома словами: опис прочитає програма екранного доступу."
                        )
                        % {"name": os.path.basename(upload.file.name)[:100]},
                        field=upload.alt_field,
                    )
                )
            elif len(alt) > ALT_TEXT_MAX:
                errors.append(
                    DomainError(
                        "alt_text_too_long",
                        _("Опис зображення задовгий: %(len)d символів, дозволено до %(max)d.")
                        % {"len": len(alt), "max": ALT_TEXT_MAX},
                        field=upload.alt_field,
                    )
                )
            upload.alt_text = alt
            checked.append((upload, info))
    if errors:
        raise PetitionInvalid(errors)
    return Checked(title=title, text=text, category=category, uploads=checked)


def _check_may_submit(author, hromada: Hromada) -> None:
    statute = petition_settings(hromada=hromada)
    if not account_rules.has_identity_level(author, statute.submit_level, hromada=hromada):
        if statute.submit_level == IdentityLevel.VERIFIED:
            raise DomainError(
                "identity_required",
                _("Щоб подати петицію, підтвердьте особу через id.gov.ua або в ЦНАП."),
                status=403,
            )
        raise DomainError(
            "email_unconfirmed", _("Щоб подати петицію, підтвердьте електронну пошту."), status=403
        )


def _author_name(author) -> str:
    identity = _identity_of(author)
    return identity.public_name_full if identity else (author.display_name or author.email)


def _save_attachments(petition: Petition, uploads: list[tuple[Upload, Any]]) -> None:
    for upload, info in uploads:
        name = os.path.basename(upload.file.name)[:200] or f"file.{info.extension}"
        upload.file.name = f"{uuid.uuid4().hex}.{info.extension}"
        Attachment.objects.create(
            hromada=petition.hromada,
            petition=petition,
            file=upload.file,
            original_name=name,
            content_type=info.content_type,
            size=upload.file.size,
            alt_text=upload.alt_text if info.content_type.startswith("image/") else "",
        )


def _submission_fields(hromada: Hromada, now) -> dict:
    """What submission fixes: the next number and the statute's rules in force now.
    Call inside the transaction; the hromada row lock serialises numbering (submissions
    are rare), so public numbers stay consecutive whatever drafts exist."""
    statute = petition_settings(hromada=hromada)
    Hromada.objects.select_for_update().filter(pk=hromada.pk).first()
    number = (Petition.objects.filter(hromada=hromada).aggregate(n=Max("number"))["n"] or 0) + 1
    return {
        "number": number,
        "status": Status.MODERATION,
        "submitted_at": now,
        "moderation_due": deadline_for(start=now, working_days=statute.moderation_days),
        **statute_fields(hromada),
    }


def statute_fields(hromada: Hromada) -> dict:
    statute = petition_settings(hromada=hromada)
    return {
        "threshold": statute.threshold,
        "collection_days": statute.collection_days,
        "consideration_days": statute.consideration_days,
        "min_age": statute.min_age,
        "sign_level": statute.sign_level,
        "sign_after_threshold": statute.sign_after_threshold,
    }


def petition_submit(
    *,
    hromada: Hromada,
    author,
    title: str,
    text: str,
    category: Category | None,
    files: list | None = None,
) -> Petition:
    """Submit a new petition for moderation. `files` are uploads or `Upload`s (an image
    needs its alt text)."""
    _check_may_submit(author, hromada)
    checked = petition_check(
        hromada=hromada, title=title, text=text, category=category, uploads=_as_uploads(files)
    )
    now = timezone.now()
    with transaction.atomic():
        petition = Petition.objects.create(
            hromada=hromada,
            author=author,
            author_name=_author_name(author),
            title=checked.title,
            text=checked.text,
            search_text=fold(f"{checked.title} {checked.text}"),
            category=checked.category,
            **_submission_fields(hromada, now),
        )
        _save_attachments(petition, checked.uploads)
    return petition


def category_create(*, hromada: Hromada, actor, name: str, slug: str) -> Category:
    if not rules.can_manage_categories(actor, hromada):
        raise _forbidden(_("Категорії створює адміністратор громади."))
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("name_required", _("Вкажіть назву категорії."), field="name")
    try:
        with transaction.atomic():
            return Category.objects.create(hromada=hromada, name=name[:100], slug=slug)
    except IntegrityError:
        raise DomainError("category_exists", _("Така категорія вже є."), field="slug", status=409)
