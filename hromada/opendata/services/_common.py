"""What the catalogue's services share: who may act for a publisher, text and length
checks that raise DomainError with stable codes, the dataset's after-write refresh."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.accounts.rules import has_perm
from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.text import check_text

from ..models import NAME_MAX, TITLE_MAX, Dataset, Publisher, PublisherMember
from ..search import search_text_of

# CKAN's name: 2–100 characters of lowercase ASCII letters, digits, - and _.
NAME_RE = re.compile(rf"^[a-z0-9_-]{{2,{NAME_MAX}}}$")


def can_manage(user, hromada) -> bool:
    return bool(user and user.is_authenticated and has_perm(user, hromada, "opendata.manage"))


def is_member(user, publisher: Publisher) -> bool:
    if not (user and user.is_authenticated):
        return False
    return PublisherMember.objects.filter(publisher=publisher, user=user, hromada=publisher.hromada).exists()


def can_publish_for(user, publisher: Publisher) -> bool:
    """May `user` create and change `publisher`'s datasets: opendata.publish and
    membership of the publisher, or opendata.manage."""
    if can_manage(user, publisher.hromada):
        return True
    return bool(
        user
        and user.is_authenticated
        and has_perm(user, publisher.hromada, "opendata.publish")
        and is_member(user, publisher)
    )


def can_admin_publisher(user, publisher: Publisher) -> bool:
    """May `user` change who edits for `publisher`: opendata.manage, or a member with
    the administrator role who still holds opendata.publish."""
    if can_manage(user, publisher.hromada):
        return True
    return bool(
        user
        and user.is_authenticated
        and has_perm(user, publisher.hromada, "opendata.publish")
        and PublisherMember.objects.filter(publisher=publisher, user=user, role="admin").exists()
    )


def require_manage(actor, hromada) -> None:
    if not can_manage(actor, hromada):
        raise PermissionDenied(
            "opendata_forbidden",
            _("Керувати розпорядниками й темами може лише адміністратор відкритих даних."),
        )


def require_publisher(actor, publisher: Publisher) -> None:
    if not can_publish_for(actor, publisher):
        raise PermissionDenied(
            "opendata_forbidden",
            _("Змінювати набори даних розпорядника «%(p)s» можуть лише його редактори.")
            % {"p": publisher.title},
        )


def clean_name(value, *, field: str = "name", code: str = "name_invalid") -> str:
    value = (value or "").strip()
    if not NAME_RE.match(value):
        raise DomainError(
            code,
            _(
                "Адреса має містити від 2 до %(n)d малих латинських літер, цифр, дефісів чи підкреслень "
                "(наприклад, «byudzhet-2026»)."
            )
            % {"n": NAME_MAX},
            field=field,
        )
    return value


def clean_line(value, *, field: str, max_length: int, required: bool = False, label: str = "") -> str:
    value = check_text((value or "").strip(), field=field, multiline=False)
    if required and not value:
        raise DomainError(
            f"{field}_required", _("Заповніть поле «%(f)s».") % {"f": label or field}, field=field
        )
    if len(value) > max_length:
        raise DomainError(
            f"{field}_too_long",
            _("Поле «%(f)s» задовге: до %(n)d знаків.") % {"f": label or field, "n": max_length},
            field=field,
        )
    return value


def clean_text(value, *, field: str) -> str:
    return check_text((value or "").strip(), field=field)


def clean_title(value, *, field: str = "title") -> str:
    return clean_line(value, field=field, max_length=TITLE_MAX, required=True, label=_("Назва"))


def clean_email(value, *, field: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise DomainError(
                f"{field}_invalid", _("Адреса e-mail «%(v)s» неправильна.") % {"v": value[:100]}, field=field
            ) from None
    return value


_URL = URLValidator(schemes=["http", "https"])


def clean_url(value, *, field: str, max_length: int = 1000) -> str:
    value = (value or "").strip()
    if value:
        try:
            if len(value) > max_length:
                raise ValidationError("too long")
            _URL(value)
        except ValidationError:
            raise DomainError(
                f"{field}_invalid",
                _("Посилання має бути повною адресою http:// чи https:// (до %(n)d знаків).")
                % {"n": max_length},
                field=field,
            ) from None
    return value


def touch(dataset: Dataset, *, when=None) -> None:
    """After every write: move metadata_modified (the harvester's incremental key) and
    store the words the dataset is found by."""
    dataset.metadata_modified = when or timezone.now()
    dataset.search_text = search_text_of(dataset)
    dataset.save(update_fields=["metadata_modified", "search_text", "updated_at"])
