"""Private helpers shared by the account services."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError, PermissionDenied

from ..models import User

log = logging.getLogger("hromada.accounts")


def _forbidden(message=None) -> PermissionDenied:
    return PermissionDenied("forbidden", message or _("У вас немає прав на цю дію."))


def _language(value: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return value if value in codes else settings.LANGUAGE_CODE


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError("invalid_email", _("Вкажіть правильну адресу електронної пошти."), field="email")
    return email


def _clean_display_name(display_name: str) -> str:
    display_name = (display_name or "").strip()
    if len(display_name) > 150:
        raise DomainError(
            "display_name_too_long", _("Ім'я для показу — не довше 150 символів."), field="display_name"
        )
    return display_name


def _forget_identity_cache(user: User) -> None:
    user._state.fields_cache.pop("identity", None)
