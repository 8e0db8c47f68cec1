"""Following a consultation (told of its news without taking part) and subscribing to
every new consultation of the hromada (a Follow with no consultation). A person's own
preference, not an act with legal weight: not ledgered. Both idempotent, guarded by the
database's unique constraints."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError

from ..models import Consultation, Follow, Status


def _require_login(user) -> None:
    if user is None or not user.is_authenticated:
        raise DomainError("login_required", _("Увійдіть, щоб стежити за консультаціями."), status=401)


def is_following(consultation: Consultation, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (
        Follow.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation, user=user)
        .exists()
    )


def is_subscribed(*, hromada, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Follow.objects.for_hromada(hromada).filter(consultation__isnull=True, user=user).exists()


def _add(*, hromada, consultation, user) -> Follow:
    rows = Follow.objects.for_hromada(hromada).filter(consultation=consultation, user=user)
    found = rows.first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Follow.objects.create(
                hromada=hromada, consultation=consultation, user=user, at=timezone.now()
            )
    except IntegrityError:  # a second click of the same person meanwhile
        return rows.get()


def follow_add(*, consultation: Consultation, user) -> Follow:
    """Follow a published consultation (idempotent)."""
    _require_login(user)
    if consultation.status == Status.DRAFT:
        raise DomainError("consultation_not_found", _("Такої консультації немає."), status=404)
    if consultation.status == Status.CANCELLED:
        raise DomainError("cancelled", _("Консультацію скасовано."), status=409)
    return _add(hromada=consultation.hromada, consultation=consultation, user=user)


def follow_remove(*, consultation: Consultation, user) -> bool:
    """Stop following (idempotent). True when a row was removed."""
    _require_login(user)
    with transaction.atomic():
        deleted, _rows = (
            Follow.objects.for_hromada(consultation.hromada_id)
            .filter(consultation=consultation, user=user)
            .delete()
        )
    return bool(deleted)


def subscribe(*, hromada, user) -> Follow:
    """Hear of every new consultation of the hromada when it opens (idempotent)."""
    _require_login(user)
    return _add(hromada=hromada, consultation=None, user=user)


def unsubscribe(*, hromada, user) -> bool:
    _require_login(user)
    with transaction.atomic():
        deleted, _rows = (
            Follow.objects.for_hromada(hromada).filter(consultation__isnull=True, user=user).delete()
        )
    return bool(deleted)
