"""Following a petition without signing it: the follower is told what signers are told
(selectors.petition_audience). Not a legal act, so nothing is ledgered."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError

from .. import rules
from ..models import Follow, Petition


def petition_follow(*, petition: Petition, user) -> bool:
    """Follow a public petition; True when a follow was added (False: already followed)."""
    if user is None or not user.is_authenticated:
        raise DomainError("login_required", _("Увійдіть, щоб відстежувати петицію."), status=401)
    if petition.status not in rules.PUBLIC_STATUSES:
        raise DomainError("not_public", _("Відстежувати можна лише оприлюднену петицію."), status=409)
    try:
        with transaction.atomic():
            Follow.objects.create(
                hromada_id=petition.hromada_id, petition=petition, user=user, created_at=timezone.now()
            )
    except IntegrityError:  # the unique constraint: one follow per person and petition
        return False
    return True


def petition_unfollow(*, petition: Petition, user) -> bool:
    """Stop following; True when a follow was removed."""
    if user is None or not user.is_authenticated:
        return False
    deleted, _rows = Follow.objects.filter(petition=petition, user=user).delete()
    return bool(deleted)


def follows_erase(*, user) -> None:
    """Account deletion (module.py `personal_data_erase`): follows are no public record."""
    Follow.objects.filter(user=user).delete()
