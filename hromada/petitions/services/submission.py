"""Submitting petitions, and the categories they are filed under."""

from __future__ import annotations

import os
import uuid

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
from ..models import TEXT_MAX, TITLE_MAX, Attachment, Category, Petition, Status
from ..selectors import petition_settings
from ._common import _clean_text, _forbidden, _identity_of

TITLE_MIN = 10
TEXT_MIN = 50
MAX_ATTACHMENTS = 5
ATTACHMENT_MAX_BYTES = 5 * MB
ATTACHMENT_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


def petition_submit(
    *,
    hromada: Hromada,
    author,
    title: str,
    text: str,
    category: Category | None,
    files: list | None = None,
) -> Petition:
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
    title = " ".join(_clean_text(title, field="title").split())
    text = _clean_text(text, field="text")
    if not title:
        raise DomainError("title_required", _("Вкажіть назву петиції."), field="title")
    if len(title) < TITLE_MIN:
        raise DomainError(
            "title_too_short",
            _("Назва занадто коротка: щонайменше %(n)d символів.") % {"n": TITLE_MIN},
            field="title",
        )
    if len(title) > TITLE_MAX:
        raise DomainError(
            "title_too_long",
            _("Назва задовга: %(len)d символів, дозволено до %(max)d.")
            % {"len": len(title), "max": TITLE_MAX},
            field="title",
        )
    if len(text) < TEXT_MIN:
        raise DomainError(
            "text_too_short",
            _("Текст петиції занадто короткий: опишіть суть вимоги (щонайменше %(n)d символів).")
            % {"n": TEXT_MIN},
            field="text",
        )
    if len(text) > TEXT_MAX:
        raise DomainError(
            "text_too_long",
            _("Текст задовгий: %(len)d символів, дозволено до %(max)d.")
            % {"len": len(text), "max": TEXT_MAX},
            field="text",
        )
    if category is None or category.hromada_id != hromada.pk:
        raise DomainError("category_invalid", _("Оберіть категорію зі списку."), field="category")
    files = list(files or [])
    if len(files) > MAX_ATTACHMENTS:
        raise DomainError(
            "too_many_files",
            _("Можна додати не більше %(n)d файлів.") % {"n": MAX_ATTACHMENTS},
            field="files",
        )
    checked = [
        (f, check_upload(f, allowed=ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES, field="files"))
        for f in files
    ]
    now = timezone.now()
    identity = _identity_of(author)
    with transaction.atomic():
        # The hromada row lock serialises numbering; submissions are rare.
        Hromada.objects.select_for_update().filter(pk=hromada.pk).first()
        number = (Petition.objects.filter(hromada=hromada).aggregate(n=Max("number"))["n"] or 0) + 1
        petition = Petition.objects.create(
            hromada=hromada,
            number=number,
            author=author,
            author_name=identity.public_name_full if identity else (author.display_name or author.email),
            title=title,
            text=text,
            search_text=fold(f"{title} {text}"),
            category=category,
            status=Status.MODERATION,
            threshold=statute.threshold,
            collection_days=statute.collection_days,
            consideration_days=statute.consideration_days,
            min_age=statute.min_age,
            sign_level=statute.sign_level,
            sign_after_threshold=statute.sign_after_threshold,
            submitted_at=now,
            moderation_due=deadline_for(start=now, working_days=statute.moderation_days),
        )
        for upload, info in checked:
            name = os.path.basename(upload.name)[:200] or f"file.{info.extension}"
            upload.name = f"{uuid.uuid4().hex}.{info.extension}"
            Attachment.objects.create(
                hromada=hromada,
                petition=petition,
                file=upload,
                original_name=name,
                content_type=info.content_type,
                size=upload.size,
            )
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
